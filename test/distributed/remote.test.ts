/**
 * Scale-out as a user runs it: a real redis-server, two `lrlab worker` processes started from
 * folders without the project, and `lrlab sweep|batch-size … --redis` next to the same command
 * run locally. Remote results equal local ones (same seed, same backend), in the same order, plus
 * the worker and backend of every trial.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { EngineHost } from '../../src/extension/engineHost';
import { LrLabError } from '../../src/protocol/errors';
import type { AppendParams, ProgressParams } from '../../src/protocol/progress';
import type { BatchSizeResult, MomentumResult, SweepResult } from '../../src/protocol/results';
import type { Proc, RedisServer } from './cluster';
import { freePort, json, lrlab, root, startRedis, startWorker, stopAll, tempFolder, tiny, workerIdOf, workersFor } from './cluster';
import { isAlive } from '../processAlive';

let redis: RedisServer;
let workers: Proc[];
const workerIds = (): string[] => workers.map((w) => workerIdOf(w));

before(async () => {
  redis = await startRedis();
  workers = await Promise.all([startWorker(redis.url), startWorker(redis.url)]);
});
after(stopAll);

/** A result without what only a remote run has. */
function withoutPlacement<T extends object>(value: T): Omit<T, 'worker' | 'backend'> {
  const { worker: _worker, backend: _backend, ...rest } = value as T & { worker?: string; backend?: string };
  return rest;
}

test('a sweep on two workers started elsewhere equals the local sweep, curve for curve, each naming its worker and backend', async () => {
  const args = ['sweep', tiny, '--wd', '1e-2,1e-3,1e-4,0', '--dropout', '0,0.3', '--steps', '40', '--seed', '3', '--json'];
  const [local, remote] = await Promise.all([json<SweepResult>(lrlab(args)), json<SweepResult>(lrlab([...args, '--redis', redis.url]))]);
  assert.equal(remote.curves.length, 8);
  assert.deepEqual(remote.curves.map((c) => c.label), local.curves.map((c) => c.label));
  remote.curves.forEach((curve, i) => assert.deepEqual(withoutPlacement(curve), local.curves[i], `curve ${curve.label}`));
  assert.deepEqual([remote.best, remote.reason, remote.settings], [local.best, local.reason, local.settings]);
  // The same shape as a local result, plus `workers`; every curve names one of them.
  assert.deepEqual(Object.keys(remote).sort(), [...Object.keys(local), 'workers'].sort());
  const ids = remote.workers!.map((w) => w.id);
  for (const c of remote.curves) {
    assert.ok(c.worker !== undefined && ids.includes(c.worker), `${c.label} ran on ${String(c.worker)}`);
    assert.equal(c.backend, local.backend);
  }
  assert.deepEqual(new Set(ids), new Set(workerIds()), 'both workers took trials');
  for (const w of remote.workers!) {
    assert.ok(w.cores >= 1 && w.memoryGb > 0 && w.cpu !== '' && w.backend === local.backend, JSON.stringify(w));
  }
});

test('momentum short runs on workers equal the local ones; batch sizes name their workers and find the same max LR', async () => {
  const momentum = ['sweep', tiny, '--short-runs', '--momentum', '0.9,0.97', '--max-lr', '0.3', '--steps', '30', '--seed', '5', '--json'];
  // --budget is the whole study's wall time (start-ups included): 16 s lets both sizes train on a loaded machine (each size's start-up and range test take ~1-3 s of its share).
  const sizes = ['batch-size', tiny, '--sizes', '16,64', '--budget', '16s', '--range-steps', '20', '--seed', '2', '--json'];
  const [local, remote] = await Promise.all([json<MomentumResult>(lrlab(momentum)), json<MomentumResult>(lrlab([...momentum, '--redis', redis.url]))]);
  const untimed = (r: MomentumResult['runs'][number]): unknown => ({ ...withoutPlacement(r), records: r.records.map(({ seconds: _s, ...rest }) => rest) });
  assert.deepEqual(remote.runs.map(untimed), local.runs.map(untimed));
  assert.deepEqual([remote.best, remote.reason], [local.best, local.reason]);
  for (const r of remote.runs) assert.ok(workerIds().includes(r.worker ?? ''), String(r.worker));

  const [localSizes, remoteSizes] = await Promise.all([json<BatchSizeResult>(lrlab(sizes)), json<BatchSizeResult>(lrlab([...sizes, '--redis', redis.url]))]);
  assert.deepEqual(localSizes.runs.map((r) => r.status), ['ok', 'ok'], JSON.stringify(localSizes.runs.map((r) => r.reason)));
  assert.deepEqual(remoteSizes.runs.map((r) => [r.batchSize, r.status, r.maxLr]), localSizes.runs.map((r) => [r.batchSize, r.status, r.maxLr]));
  for (const r of remoteSizes.runs) assert.ok(workerIds().includes(r.worker ?? '') && r.backend === localSizes.backend, JSON.stringify(r.worker));
  assert.deepEqual(Object.keys(remoteSizes.runs[0]!).sort(), [...Object.keys(localSizes.runs[0]!), 'worker', 'backend'].sort());
});

test('a second run after loadData()\'s file changed: the workers read the new data, as a local run does (they had kept the first run\'s)', async () => {
  const project = tempFolder('lrlab-file-data-');
  cpSync(path.join(root, 'test', 'fixtures', 'distributed', 'fileData.js'), path.join(project, 'fileData.js'));
  const dataFile = path.join(project, 'data.json');
  const data = JSON.parse(readFileSync(path.join(root, 'test', 'fixtures', 'distributed', 'data.json'), 'utf8')) as { xs: number[][]; ys: number[][] };
  writeFileSync(dataFile, JSON.stringify(data));
  const args = ['sweep', path.join(project, 'fileData.js'), '--wd', '1e-2,1e-3,1e-4,0', '--steps', '20', '--seed', '4', '--json'];
  const first = await json<SweepResult>(lrlab([...args, '--redis', redis.url]));
  // The user edits the data: every label moved to the next class.
  writeFileSync(dataFile, JSON.stringify({ xs: data.xs, ys: data.ys.map((y) => [y[2]!, y[0]!, y[1]!]) }));
  const [local, remote] = await Promise.all([json<SweepResult>(lrlab(args)), json<SweepResult>(lrlab([...args, '--redis', redis.url]))]);
  assert.notDeepEqual(local.curves.map((c) => c.points), first.curves.map((c) => withoutPlacement(c).points), 'the new data gives other curves');
  remote.curves.forEach((curve, i) => assert.deepEqual(withoutPlacement(curve), local.curves[i], `curve ${curve.label} on ${String(curve.worker)}`));
});

test('a model that calls process.exit during a trial: the trial fails saying so, and the worker lives on (it ended the worker, and the run waited for one forever)', async () => {
  const run = lrlab(['sweep', path.join(root, 'test', 'fixtures', 'distributed', 'exitingLoss.js'), '--wd', '0', '--steps', '20', '--redis', redis.url]);
  assert.equal(await run.code(60_000), 1, run.tail());
  assert.match(run.out, new RegExp(`On worker (${workerIds().join('|')}): the model file \\(or a library it uses\\) called process\\.exit\\(3\\) during the trial`));
  assert.doesNotMatch(run.out, /\n\s+at /, 'no stack trace');
  for (const w of workers) assert.ok(w.child.exitCode === null && w.child.signalCode === null, `worker ${workerIdOf(w)} still runs`);
});

test('a model that throws from a timer, or leaves a rejected promise unawaited, during a trial: the trial fails saying so, and the worker lives on (it ended every worker process, and the run waited for one forever)', async () => {
  for (const [kind, how, message] of [['strayThrow.js', 'outside the calls LR Lab awaits \\(from a timer or an event handler\\)', 'stray refresh failed'], ['strayReject.js', 'in a promise nothing awaited', 'unawaited refresh failed']] as const) {
    const run = lrlab(['sweep', path.join(root, 'test', 'fixtures', 'distributed', kind), '--wd', '1e-3,0', '--steps', '200', '--redis', redis.url]);
    assert.equal(await run.code(60_000), 1, run.tail());
    assert.match(run.out, new RegExp(`${kind}:\\d+: Trial wd (1e-3|0) failed on worker (${workerIds().join('|')}): the model file \\(or a library it uses\\) threw ${how} during the trial: ${message}\\. Await what loadData\\(\\) and createModel\\(\\) start`), kind);
    assert.doesNotMatch(run.out, /\n\s+at |no heartbeat|No worker has taken/, kind);
    for (const w of workers) assert.ok(w.child.exitCode === null && w.child.signalCode === null, `${kind}: worker ${workerIdOf(w)} still runs`);
  }
  // The workers still take trials.
  assert.equal(await lrlab(['sweep', tiny, '--wd', '0', '--steps', '10', '--redis', redis.url]).code(60_000), 0);
});

test('a worker waiting on a slow loadData(): the run says so, naming the trial and the worker, as a local run does (it showed only its queue meanwhile)', async () => {
  const run = lrlab(['sweep', path.join(root, 'test', 'fixtures', 'distributed', 'slowLoad.js'), '--wd', '0', '--steps', '10', '--redis', redis.url]);
  assert.equal(await run.code(90_000), 0, run.tail());
  assert.match(run.out, new RegExp(`lrlab: trial wd 0 on (${workerIds().join('|')}): Still waiting for loadData\\(\\) in slowLoad\\.js: 10 s so far`));
});

test('data that exists only where the run starts: the trial fails naming the worker and the path', async () => {
  const project = tempFolder('lrlab-cwd-data-');
  cpSync(path.join(root, 'test', 'fixtures', 'distributed'), project, { recursive: true });
  const run = lrlab(['sweep', path.join(project, 'cwdData.js'), '--wd', '0', '--steps', '10', '--redis', redis.url], { cwd: project, env: { LRLAB_TEST_DATA_DIR: project } });
  assert.equal(await run.code(), 1, run.out);
  assert.match(run.out, new RegExp(`Worker (${workerIds().join('|')}) cannot read \\S*lrlab-not-on-this-worker\\S*data\\.json: loadData\\(\\) reads it from disk`));
  assert.doesNotMatch(run.out, /\n\s+at /, 'no stack trace');
});

test('a bad URL, or a training script (its model cannot travel), is refused before anything runs; an unreachable Redis is a clear error within seconds', async () => {
  const bad = lrlab(['sweep', tiny, '--redis', 'http://127.0.0.1:6379']);
  assert.equal(await bad.code(), 2, bad.out);
  assert.match(bad.out, /--redis must be a Redis URL .*'http:\/\/127\.0\.0\.1:6379' has the scheme 'http'/);

  const script = lrlab(['sweep', path.join(root, 'test', 'fixtures', 'scripts', 'topLevel.js'), '--wd', '0', '--redis', redis.url]);
  assert.equal(await script.code(), 2, script.out);
  assert.match(script.out, /topLevel\.js is a training script: .* so its trials cannot go to workers/);

  const closed = `redis://127.0.0.1:${redis.port === 1 ? 2 : 1}`;
  const t0 = Date.now();
  const unreachable = lrlab(['sweep', tiny, '--wd', '0', '--steps', '10', '--redis', closed]);
  assert.equal(await unreachable.code(), 1, unreachable.out);
  assert.match(unreachable.out, /Cannot reach Redis at redis:\/\/127\.0\.0\.1:[12]: connection refused/);
  assert.ok(Date.now() - t0 < 30_000, `${Date.now() - t0} ms`);

  const worker = lrlab(['worker', '--redis', closed]);
  assert.equal(await worker.code(30_000), 1, worker.out);
  assert.match(worker.out, /Cannot reach Redis at redis:\/\/127\.0\.0\.1:[12]/);
  // Several worker processes: the supervisor says it once and starts none (each printed its own before).
  const three = lrlab(['worker', '--redis', closed, '--concurrency', '3']);
  assert.equal(await three.code(30_000), 1, three.out);
  assert.equal(three.out.match(/Cannot reach Redis/g)?.length, 1, three.out);
  assert.doesNotMatch(three.out, /worker processes \(pids/);
  // --concurrency in its range, before anything starts: 1,000 started 1,000 processes, 0 and -5 ran one.
  for (const n of ['0', '-5', '1000']) {
    const refused = lrlab(['worker', '--redis', closed, '--concurrency', n]);
    assert.equal(await refused.code(30_000), 2, refused.out);
    assert.match(refused.out, new RegExp(`--concurrency must be a whole number between 1 and 256, got ${n}\\.`));
    assert.doesNotMatch(refused.out, /worker processes|Cannot reach/);
  }
});

test('a worker refuses a Redis on another machine without a password, and says why', async () => {
  for (const url of ['redis://192.0.2.10:6379', 'rediss://user@redis.example.com:6380']) {
    const worker = lrlab(['worker', '--redis', url]);
    assert.equal(await worker.code(30_000), 2, worker.out);
    assert.match(worker.out, /refuses .* it is not on this machine and the URL has no password\. A trial job carries model code that the worker runs/);
  }
  // The password never shows in messages.
  const wrong = lrlab(['worker', '--redis', `redis://:hunter2@127.0.0.1:${redis.port}/x`]);
  assert.equal(await wrong.code(30_000), 2, wrong.out);
  assert.doesNotMatch(wrong.out, /hunter2/);
});

test('TLS and a password: rediss://:password@host runs trials; a wrong password or a plain URL on the TLS port is a clear error', async (t) => {
  const tls = path.join(root, 'test', 'fixtures', 'distributed', 'tls');
  const port = await freePort();
  const secure = await startRedis(['--port', '0', '--tls-port', String(port), '--tls-cert-file', path.join(tls, 'cert.pem'), '--tls-key-file', path.join(tls, 'key.pem'), '--tls-auth-clients', 'no', '--requirepass', 's3cret']);
  const env = { NODE_EXTRA_CA_CERTS: path.join(tls, 'cert.pem') };
  const url = `rediss://:s3cret@localhost:${port}`;
  const [worker] = (await workersFor(t, url, 1, env)) as [Proc];
  assert.match(worker.out, new RegExp(`taking trials from rediss://:\\*\\*\\*@localhost:${port}`));
  // The terminal output names the worker, its kind and its trials.
  const text = lrlab(['sweep', tiny, '--wd', '1e-2,0', '--steps', '20', '--seed', '1', '--redis', url], { env });
  assert.equal(await text.code(), 0, text.tail());
  assert.match(text.out, new RegExp(`Ran on 1 worker: ${workerIdOf(worker)} \\(wasm, 1 thread; .+, \\d+ cores, [\\d.]+ GB\\): wd 1e-2, wd 0\\.`));

  const wrong = lrlab(['sweep', tiny, '--redis', `rediss://:nope@localhost:${port}`], { env });
  assert.equal(await wrong.code(), 1, wrong.tail());
  assert.match(wrong.out, new RegExp(`Cannot reach Redis at rediss://:\\*\\*\\*@localhost:${port}: the password \\(or user\\) is wrong`));
  const plain = lrlab(['sweep', tiny, '--redis', `redis://:s3cret@localhost:${port}`], { env });
  assert.equal(await plain.code(), 1, plain.tail());
  assert.match(plain.out, /Cannot reach Redis at redis:\/\/:\*\*\*@localhost:\d+: .*rediss:\/\/ for a TLS one/);
  assert.doesNotMatch(wrong.out + plain.out + worker.out, /s3cret|nope/);
  secure.proc.child.kill('SIGKILL');
  // TLS to an address (127.0.0.1) on a plain port: the one-line error alone (Node warned twice first,
  // "Setting the TLS ServerName to an IP address is not permitted by RFC 6066").
  const address = lrlab(['sweep', tiny, '--redis', `rediss://127.0.0.1:${redis.port}`]);
  assert.equal(await address.code(), 1, address.tail());
  assert.doesNotMatch(address.out, /DeprecationWarning|RFC 6066/, address.tail());
  assert.equal(address.out.split('\n').filter((l) => l.startsWith('lrlab: ') && !/^lrlab: (Loading|Running)/.test(l)).length, 1, address.tail());
});

test('--concurrency 2: two worker processes; Ctrl-C stops them all, a killed supervisor takes them along', async (t) => {
  const supervisor = lrlab(['worker', '--redis', redis.url, '--concurrency', '2'], { cwd: tempFolder('lrlab-worker-cwd-') });
  // Should an assertion fail, its workers must not take the next test's trials.
  t.after(() => supervisor.child.kill('SIGKILL'));
  await supervisor.waitFor(/taking trials from[\s\S]*taking trials from/, 60_000);
  const pids = [...supervisor.out.matchAll(/lrlab worker \S+:(\d+): wasm, 1 thread;/g)].map((m) => Number(m[1]));
  assert.equal(new Set(pids).size, 2, supervisor.tail());
  // One of them killed outright (SIGKILL, the OOM killer): said, and another started in its place (it ran on at half its capacity, silently).
  process.kill(pids[0]!, 'SIGKILL');
  const restarted = await supervisor.waitFor(new RegExp(`lrlab worker: worker process ${pids[0]} was killed \\(SIGKILL\\); started another \\(pid (\\d+)\\), 2 of 2 running`), 30_000);
  const replacement = Number(restarted[1]);
  await supervisor.waitFor(new RegExp(`lrlab worker \\S+:${replacement}: wasm[\\s\\S]*taking trials from`), 60_000);
  supervisor.child.kill('SIGINT');
  assert.equal(await supervisor.code(30_000), 0, supervisor.tail());
  const gone = (pid: number): boolean => !isAlive(pid);
  assert.ok([...pids, replacement].every(gone), 'its worker processes stopped with it');
  assert.doesNotMatch(supervisor.out, /worker process \d+ (exited|was killed).*still running/, 'a Ctrl-C stop is no loss to report');

  const killed = lrlab(['worker', '--redis', redis.url, '--concurrency', '2'], { cwd: tempFolder('lrlab-worker-cwd-') });
  await killed.waitFor(/taking trials from[\s\S]*taking trials from/, 60_000);
  const orphans = [...killed.out.matchAll(/lrlab worker \S+:(\d+):/g)].map((m) => Number(m[1]));
  killed.child.kill('SIGKILL');
  const t0 = Date.now();
  while (!orphans.every(gone) && Date.now() - t0 < 15_000) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(orphans.every(gone), 'no orphan worker processes');
});

test('the editor\'s engine with lrlab.redisUrl: trials stream in as they arrive with their workers named; Cancel empties the queue', async () => {
  const host = new EngineHost({ extensionPath: root, log: () => undefined });
  after(() => host.dispose());
  const series = new Set<string>();
  const messages: string[] = [];
  const handlers = { onProgress: (p: ProgressParams) => messages.push(p.message), onAppend: (a: AppendParams) => series.add(a.series) };
  const result = (await host.run('remote', { kind: 'sweep', model: tiny, wd: [1e-2, 0], steps: 30, seed: 1, redis: redis.url }, handlers, token().token as never)) as SweepResult;
  assert.deepEqual([...series].sort(), ['wd 0', 'wd 1e-2']);
  assert.ok(messages.some((m) => new RegExp(`running: wd \\S+ on (${workerIds().join('|')})`).test(m)), messages.join(' | '));
  assert.ok(result.curves.every((c) => workerIds().includes(c.worker ?? '')));

  const slow = path.join(root, 'test', 'fixtures', 'distributed', 'slowClassifier.js');
  const cancel = token();
  messages.length = 0;
  const cancelled = host.run('cancel', { kind: 'sweep', model: slow, wd: [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 0], steps: 200, seed: 1, redis: redis.url }, handlers, cancel.token as never);
  const t0 = Date.now();
  while (!messages.some((m) => /running: .* on .*, .* on /.test(m)) && Date.now() - t0 < 60_000) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(messages.some((m) => /running: .* on .*, .* on /.test(m)), `two trials running on workers before Cancel, not after 60 s: ${messages.join(' | ')}`);
  cancel.cancel();
  // The engine returns what it has, or (on a slow machine) the host kills it after its grace time.
  const partial = (await cancelled.catch((e: unknown) => {
    if (e instanceof LrLabError && e.code === 'cancelled') return null;
    throw e;
  })) as SweepResult | null;
  if (partial !== null) assert.ok(partial.curves.length < 6 && partial.warnings.some((w) => /^Cancelled after/.test(w)), JSON.stringify(partial.warnings));
  const queue = new Queue('trials', { prefix: 'lrlab', connection: { host: '127.0.0.1', port: redis.port } });
  try {
    const empty = async (): Promise<boolean> => Object.values(await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized')).every((n) => n === 0);
    const t1 = Date.now();
    while (!(await empty()) && Date.now() - t1 < 10_000) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(await empty(), 'queued trials removed and running ones stopped');
  } finally {
    await queue.close();
  }
});

/** A minimal stand-in for vscode.CancellationToken. */
function token(): { token: { isCancellationRequested: boolean; onCancellationRequested: (f: () => void) => { dispose(): void } }; cancel: () => void } {
  const listeners: (() => void)[] = [];
  const t = { isCancellationRequested: false, onCancellationRequested: (f: () => void) => (listeners.push(f), { dispose: () => undefined }) };
  return { token: t, cancel: () => ((t.isCancellationRequested = true), listeners.forEach((f) => f())) };
}

test('a worker that loads other data than the machine that started the run (a stale synced copy) is said, naming its trials; one that loads the same data is not', async () => {
  const cwdData = path.join(root, 'test', 'fixtures', 'distributed', 'cwdData.js');
  const rows = (n: number, flip: boolean): string => {
    const xs: number[][] = [];
    const ys: number[][] = [];
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      xs.push([Math.cos(c * 2.1) * 2 + ((i * 7) % 10) / 10, Math.sin(c * 2.1) * 2 + ((i * 3) % 10) / 10]);
      ys.push([0, 1, 2].map((k) => (k === (flip ? (c + 1) % 3 : c) ? 1 : 0)));
    }
    return JSON.stringify({ xs, ys });
  };
  const here = tempFolder('lrlab-data-here-');
  const stale = tempFolder('lrlab-data-stale-');
  writeFileSync(path.join(here, 'data.json'), rows(150, false));
  writeFileSync(path.join(stale, 'data.json'), rows(120, true));
  // A Redis of its own: the file's two workers have no LRLAB_TEST_DATA_DIR.
  const own = await startRedis();
  const args = ['sweep', cwdData, '--wd', '1e-2,0', '--steps', '20', '--seed', '1', '--json', '--redis', own.url];
  const env = { LRLAB_TEST_DATA_DIR: here };
  const same = await startWorker(own.url, { env });
  const ok = await json<SweepResult>(lrlab(args, { env }));
  assert.ok(!ok.warnings.some((w) => /loaded other data/.test(w)), ok.warnings.join('\n'));
  same.child.kill('SIGKILL');
  await same.exited;
  const other = await startWorker(own.url, { env: { LRLAB_TEST_DATA_DIR: stale } });
  try {
    const run = lrlab(args, { env });
    const mixed = await json<SweepResult>(run);
    const said = mixed.warnings.filter((w) => w.startsWith('Worker '));
    assert.equal(said.length, 1, mixed.warnings.join('\n'));
    assert.match(said[0]!, new RegExp(`^Worker ${workerIdOf(other).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} loaded other data than this machine: 96 training samples and 24 validation ones there, 120 and 30 here, and other labels\\. Its trials \\((wd 1e-2, wd 0|wd 0, wd 1e-2)\\) trained on its data, while the baseline and this run's comparisons are this machine's\\. Make every worker read the same files`));
    assert.match(run.out, /lrlab: trial wd (1e-2|0): worker \S+ loaded other data than this machine \(96 training samples/);
  } finally {
    other.child.kill('SIGKILL');
    own.proc.child.kill('SIGKILL');
  }
});
