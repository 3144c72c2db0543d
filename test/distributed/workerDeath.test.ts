/**
 * A worker killed outright (SIGKILL) mid-trial, with the default 30 s lock: the run must not show
 * the trial as running until that lock expires, in silence. The worker's heartbeat (a thread of its
 * own) stops with the process, the run says within seconds which worker stopped answering and which
 * trial goes back to the queue, another worker runs it long before the lock would have expired, and
 * the result is a local run's, every trial once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { descendants } from '../processTree';
import type { BatchSizeResult, SweepResult } from '../../src/protocol/results';
import type { RedisServer } from './cluster';
import { escapeRegExp, json, lrlab, root, startRedis, stopAll, tiny, workerIdOf, workersFor } from './cluster';

let redis: RedisServer;
before(async () => {
  redis = await startRedis();
});
after(stopAll);

const slow = path.join(root, 'test', 'fixtures', 'distributed', 'slowClassifier.js');

test('a worker killed mid-trial: the run says within 10 s that it stopped answering, its trial runs again on another worker long before its 30 s lock expires, and the result is a local run\'s', async (t) => {
  // The default lock, said explicitly: without the heartbeat, the trial would wait for it (30 s and a stalled check).
  const [victim, survivor] = await workersFor(t, redis.url, 2, { LRLAB_WORKER_LOCK_S: '30' });
  const args = ['sweep', slow, '--wd', '1e-2,1e-3,1e-4,0', '--steps', '150', '--seed', '3', '--json'];
  const local = json<SweepResult>(lrlab(args));
  const remote = lrlab([...args, '--redis', redis.url]);
  const started = await victim!.waitFor(new RegExp(`trial (\\S+ \\S+) \\(range-test\\) of run \\S+ from \\S+:${remote.pid}: started`), 90_000);
  const label = started[1]!;
  const t0 = Date.now();
  victim!.child.kill('SIGKILL');
  const [dead, alive] = [workerIdOf(victim!.out), workerIdOf(survivor!.out)];

  await remote.waitFor(new RegExp(`trial ${escapeRegExp(label)}: its worker ${escapeRegExp(dead)} stopped answering \\(no heartbeat for 5 s\\); the trial goes back to the queue and runs again on the next worker that takes it\\.`), 30_000);
  const noticed = (Date.now() - t0) / 1000;
  await remote.waitFor(new RegExp(`trial ${escapeRegExp(label)} runs again on ${escapeRegExp(alive)} \\(its worker ${escapeRegExp(dead)} stopped\\)`), 60_000);
  const rerun = (Date.now() - t0) / 1000;
  t.diagnostic(`SIGKILL → notice ${noticed.toFixed(1)} s, → rerun started ${rerun.toFixed(1)} s`);
  assert.ok(noticed <= 10, `the notice came ${noticed} s after the kill`);
  assert.ok(rerun < 25, `the trial ran again ${rerun} s after the kill (its lock alone would hold it 30 s)`);

  const [expected, got] = await Promise.all([local, json<SweepResult>(remote)]);
  assert.deepEqual(got.curves.map((c) => c.label), expected.curves.map((c) => c.label));
  got.curves.forEach((c, i) => {
    const { worker, backend: _backend, ...rest } = c;
    assert.deepEqual(rest, expected.curves[i], c.label);
    assert.equal(worker, alive, `${c.label} finished on the surviving worker`);
  });
  // Said once: BullMQ's 'stalled' event when the trial is queued again adds no second notice.
  assert.equal(remote.out.match(/stopped answering|stopped responding/g)?.length, 1, remote.tail());
});

test('two workers with one host:pid (containers on the host network, lrlab as PID 1): the second names itself apart, so the run tells them apart', async (t) => {
  // --kill-child: a SIGKILLed unshare takes its namespace's lrlab along (they lived on, taking later tests' trials).
  const inNamespace = ['unshare', '-p', '-f', '--kill-child', '--mount-proc'];
  const first = lrlab(['worker', '--redis', redis.url], { prefix: inNamespace });
  t.after(() => first.child.kill('SIGKILL'));
  await first.waitFor(/taking trials from/, 60_000);
  const second = lrlab(['worker', '--redis', redis.url], { prefix: inNamespace });
  t.after(() => second.child.kill('SIGKILL'));
  await second.waitFor(/taking trials from/, 60_000);
  const [a, b] = [workerIdOf(first), workerIdOf(second)];
  assert.match(a, /:1$/, first.out);
  assert.match(b, /:1~[0-9a-f]{4}$/, second.out);
  // Trials of ~1.5 s each (the slow loss): both workers take some.
  const result = await json<SweepResult>(lrlab(['sweep', slow, '--wd', '1e-2,1e-3,1e-4,0', '--steps', '100', '--seed', '1', '--json', '--redis', redis.url]));
  assert.deepEqual(new Set(result.workers?.map((w) => w.id)), new Set([a, b]));
});

/** A process's command line ('' once it is gone). */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

test('a batch-size trial whose engine is SIGKILLed on the worker (the out-of-memory killer picks the engine, the largest process) goes back to the queue and runs again; its size completes (it failed at once, and the study with it)', async (t) => {
  // A Redis of its own: the namespaced workers of the test above outlive their `unshare` and would take the trial.
  const own = await startRedis();
  t.after(() => own.proc.child.kill('SIGKILL'));
  const [worker] = await workersFor(t, own.url, 1);
  const run = lrlab(['batch-size', tiny, '--sizes', '16', '--budget', '12s', '--range-steps', '20', '--seed', '2', '--json', '--redis', own.url]);
  await worker!.waitFor(/trial batch 16 \(batch-size\) of run \S+ from \S+: started/, 90_000);
  // The size's own engine: a child of the worker running the engine bundle over IPC.
  let engine: number | undefined;
  for (let i = 0; i < 200 && engine === undefined; i++) {
    engine = descendants(worker!.pid).find((p) => {
      const cmdline = commandLine(p);
      return /engine\.js/.test(cmdline) && !/watchdog/.test(cmdline);
    });
    if (engine === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(engine !== undefined, `no engine under the worker: ${JSON.stringify(descendants(worker!.pid).map(commandLine))}`);
  process.kill(engine, 'SIGKILL');
  await worker!.waitFor(/trial batch 16: its engine was killed \(SIGKILL: the system's out-of-memory killer, or another process\); handed back to the queue \(1 of 3 times\)/, 30_000);
  const result = await json<BatchSizeResult>(run, 180_000);
  assert.equal(result.runs.length, 1);
  assert.equal(result.runs[0]!.status, 'ok', JSON.stringify(result.runs[0]).slice(0, 500));
  assert.ok(result.runs[0]!.finalValLoss !== null, 'the size completed on its second run');
});
