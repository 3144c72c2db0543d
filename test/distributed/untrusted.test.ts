/**
 * Redis content is untrusted: whoever can write to that Redis can write any key, any job and any
 * event. These tests play such a writer (a rogue worker, forged events, forged jobs) against a
 * real `lrlab sweep --redis` and real `lrlab worker`s: a run never shows a worker's text raw, and
 * never ends without a trial or with data that is not a trial's.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Job } from 'bullmq';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { SweepResult, WorkerInfo } from '../../src/protocol/results';
import type { Proc, RedisServer } from './cluster';
import { json, lrlab, root, startRedis, stopAll, tiny, workerIdOf, workersFor } from './cluster';

let redis: RedisServer;
const closers: (() => Promise<unknown>)[] = [];

before(async () => {
  redis = await startRedis();
});
after(async () => {
  for (const close of closers) await close();
  await stopAll();
});

const ROGUE: WorkerInfo = { id: 'rogue:1', backend: 'wasm', threads: 1, cpu: 'x', cores: 1, memoryGb: 1, version: '0' };
/** Control characters a terminal acts on (escape sequences, CR): none may reach the output. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** A BullMQ worker on lrlab's queue that is not lrlab: it takes trial jobs and does what `process` says. */
function rogueWorker(process: (job: Job) => Promise<unknown>): Worker {
  const worker = new Worker('trials', process, { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'lrlab', name: ROGUE.id, concurrency: 8 });
  worker.on('error', () => undefined);
  closers.push(() => worker.close(true));
  return worker;
}


/** The pid of the `lrlab` that queued a job. */
const submitterPid = (job: Job): number => Number(String((job.data as { submitter?: string }).submitter).split(':').pop());

test('a failure reason a worker wrote is shown as one line without escape sequences, at most 500 characters, naming the worker', async () => {
  const tagged = (data: unknown): string => `lrlab-error:${JSON.stringify(data)}`;
  const reasons = {
    ansi: tagged({ code: 'data', message: '\u001b[2J\u001b[31mPWNED\nsecond line\rover', fix: '\u001b]0;title\u0007Fix it.', file: null, line: null, option: null }),
    huge: 'A'.repeat(100_000),
    number: tagged({ message: 5 }),
  };
  const runs = Object.entries(reasons).map(([name, reason]) => ({ name, reason, proc: lrlab(['sweep', tiny, '--wd', '0', '--steps', '10', '--redis', redis.url]) }));
  const rogue = rogueWorker(async (job) => {
    await job.updateProgress({ t: 'start', worker: ROGUE });
    throw new UnrecoverableError(runs.find((r) => r.proc.pid === submitterPid(job))?.reason ?? 'not one of this test');
  });
  try {
    const [ansi, huge, number] = await Promise.all(runs.map(async (run) => {
      assert.equal(await run.proc.code(), 1, run.proc.tail());
      assert.doesNotMatch(run.proc.out, CONTROL, `${run.name}: ${JSON.stringify(run.proc.tail(300))}`);
      const line = run.proc.out.split('\n').find((l) => l.startsWith('lrlab: Trial wd 0'));
      assert.ok(line !== undefined, run.proc.tail());
      return line;
    }));
    assert.equal(ansi, 'lrlab: Trial wd 0 failed on worker rogue:1: PWNED second line over. Fix it.');
    assert.match(huge!, /^lrlab: Trial wd 0 failed on worker rogue:1: A{499}…$/);
    assert.equal(number, 'lrlab: Trial wd 0 failed on worker rogue:1, which gave no reason.');
  } finally {
    await rogue.close(true);
  }
});

test('a worker that returns something other than the trial\'s result: the trial fails naming the trial and the worker, nothing invalid is kept', async () => {
  const values: Record<string, unknown> = {
    garbage: { garbage: 1 },
    lol: { value: { points: 'lol' }, worker: { id: 'evil', backend: 'wasm' } },
    wrongKind: { value: { label: 'wd 0', records: [], earlyValLoss: null, diverged: false }, worker: ROGUE },
  };
  const runs = Object.entries(values).map(([name, value]) => ({ name, value, proc: lrlab(['sweep', tiny, '--wd', '0', '--steps', '10', '--json', '--redis', redis.url]) }));
  const rogue = rogueWorker(async (job) => {
    await job.updateProgress({ t: 'start', worker: ROGUE });
    return runs.find((r) => r.proc.pid === submitterPid(job))?.value;
  });
  try {
    const lines = await Promise.all(runs.map(async (run) => {
      assert.equal(await run.proc.code(), 1, run.proc.tail());
      assert.ok(!run.proc.out.includes('"curves"'), `${run.name}: no result printed\n${run.proc.tail()}`);
      return run.proc.out.split('\n').find((l) => l.startsWith('lrlab: Trial')) ?? run.proc.tail();
    }));
    assert.deepEqual(lines.map((l) => l.replace(/\. Run the same.*/, '')), [
      'lrlab: Trial wd 0 came back from worker rogue:1 with a result that is not one of that trial (result.value: is missing); it was not used',
      'lrlab: Trial wd 0 came back from worker rogue:1 with a result that is not one of that trial (result.value.points: must be a list, not the string "lol"); it was not used',
      'lrlab: Trial wd 0 came back from worker rogue:1 with a result that is not one of that trial (result.value.points: is missing); it was not used',
    ]);
  } finally {
    await rogue.close(true);
  }
});

test('a result of the right shape that is not the trial queued (another label, points outside its LRs or past its steps, a validation loss without steps, another worker named): refused, naming the trial, the worker the queue shows, and why', async () => {
  // A stand-in worker relabelled a sweep's short runs "wd 0.5" (never in the grid, then recommended) and named itself a trusted host.
  const points = Array.from({ length: 10 }, (_, i) => ({ lr: 1e-7 * 10 ** (i * 0.8), loss: 0.7, smoothed: 0.7 }));
  const cases: { name: string; args: string[]; value: unknown; why: string }[] = [
    { name: 'relabelled', args: ['--short-runs', '--max-lr', '0.1'], value: { value: { label: 'wd 0.5', records: [], earlyValLoss: null, diverged: false }, worker: ROGUE }, why: 'it is labelled "wd 0.5", not "wd 0"' },
    { name: 'no steps', args: ['--short-runs', '--max-lr', '0.1'], value: { value: { label: 'wd 0', records: [], earlyValLoss: 0.01, diverged: false }, worker: ROGUE }, why: 'it has a validation loss and no step records' },
    { name: 'outside its LRs', args: [], value: { value: { points: points.map((p, i) => (i === 9 ? { ...p, lr: 1e6 } : p)), stopReason: 'completed', divergedAt: null, seconds: 0.1, streamed: [] }, worker: ROGUE }, why: "its point at LR 1000000 is outside the test's 1e-7 – 10" },
    { name: 'past its steps', args: [], value: { value: { points: [...points, ...points], stopReason: 'completed', divergedAt: null, seconds: 0.1, streamed: [] }, worker: ROGUE }, why: 'it has 20 points for a test of 10 steps' },
    { name: 'another worker', args: [], value: { value: { points, stopReason: 'completed', divergedAt: null, seconds: 0.1, streamed: [] }, worker: { ...ROGUE, id: 'trusted-host:1' } }, why: 'it names worker trusted-host:1 as its own, where the queue shows rogue:1 held it' },
  ];
  const runs = cases.map((c) => ({ ...c, proc: lrlab(['sweep', tiny, '--wd', '0', '--steps', '10', ...c.args, '--json', '--redis', redis.url]) }));
  const rogue = rogueWorker(async (job) => {
    await job.updateProgress({ t: 'start', worker: ROGUE });
    return runs.find((r) => r.proc.pid === submitterPid(job))?.value;
  });
  try {
    for (const run of runs) {
      assert.equal(await run.proc.code(), 1, `${run.name}: ${run.proc.tail()}`);
      assert.ok(!run.proc.out.includes('"curves"') && !run.proc.out.includes('"runs"'), `${run.name}: no result printed\n${run.proc.tail()}`);
      const line = run.proc.out.split('\n').find((l) => l.startsWith('lrlab: Trial')) ?? run.proc.tail();
      assert.equal(line.replace(/\. Run the same.*/, ''), `lrlab: Trial wd 0 came back from worker rogue:1 with a result that is not one of that trial (${run.why}); it was not used`, run.name);
    }
  } finally {
    await rogue.close(true);
  }
});

/** A two-trial sweep on one real worker, with a BullMQ queue handle and a raw Redis client to forge events with. */
async function sweepOnOneWorker(t: Parameters<typeof workersFor>[0]): Promise<{ worker: Proc; run: Proc; queue: Queue; control: Redis }> {
  const [worker] = await workersFor(t, redis.url, 1);
  const slow = path.join(root, 'test', 'fixtures', 'distributed', 'slowClassifier.js');
  const run = lrlab(['sweep', slow, '--wd', '1e-2,1e-3', '--steps', '150', '--seed', '1', '--json', '--redis', redis.url]);
  const queue = new Queue('trials', { prefix: 'lrlab', connection: { host: '127.0.0.1', port: redis.port } });
  return { worker: worker!, run, queue, control: new Redis(redis.port, '127.0.0.1') };
}

/** The run's two trial jobs, once the worker has started the first. */
async function jobsOf(worker: Proc, run: Proc, queue: Queue): Promise<string[]> {
  await worker.waitFor(new RegExp(`from \\S+:${run.pid}: started`), 90_000);
  const ours = (await queue.getJobs(['active', 'wait'])).filter((job) => submitterPid(job) === run.pid).map((job) => job.id!).sort();
  assert.equal(ours.length, 2, JSON.stringify(ours));
  return ours;
}

test('forged "completed" events (garbage, or a result the worker never sent) are ignored: the run takes each trial\'s result from its job, once', async (t) => {
  const { worker, run, queue, control } = await sweepOnOneWorker(t);
  try {
    const ours = await jobsOf(worker, run, queue);
    const forge = (jobId: string, returnvalue: string): Promise<unknown> => control.xadd('lrlab:trials:events', '*', 'event', 'completed', 'jobId', jobId, 'returnvalue', returnvalue);
    // The second trial waits for the one worker meanwhile: it has surely not finished.
    await forge(ours[1]!, '{"garbage":1}');
    await forge(ours[1]!, JSON.stringify({ value: { points: 'lol' }, worker: { id: 'evil', backend: 'wasm' } }));
    await forge(ours[0]!, JSON.stringify({ value: { points: 'lol' }, worker: { id: 'evil', backend: 'wasm' } }));
    const result = await json<SweepResult>(run);
    assert.deepEqual(result.curves.map((c) => [c.label, c.worker, Array.isArray(c.points) && c.points.length > 0]), [['wd 1e-2', workerIdOf(worker), true], ['wd 1e-3', workerIdOf(worker), true]]);
    assert.equal(run.out.match(/Ignored a 'completed' event for trial wd 1e-3: the queue on redis:\/\/127\.0\.0\.1:\d+ does not show that trial finished/g)?.length, 2, run.tail());
    // Replayed once the trials are done: nothing more happens (the run has ended with its results).
    await forge(ours[0]!, '{"garbage":1}');
  } finally {
    control.disconnect();
    await queue.close();
  }
});

test('a cancel message naming this run, or its heartbeat key deleted: a Redis fault (exit 1) that says so, never the user\'s own cancel (130)', async (t) => {
  const [worker] = await workersFor(t, redis.url, 1);
  const slow = path.join(root, 'test', 'fixtures', 'distributed', 'slowClassifier.js');
  const queue = new Queue('trials', { prefix: 'lrlab', connection: { host: '127.0.0.1', port: redis.port } });
  const control = new Redis(redis.port, '127.0.0.1');
  try {
    for (const how of ['publish', 'delete'] as const) {
      const run = lrlab(['sweep', slow, '--wd', '1e-2,1e-3', '--steps', '400', '--start-lr', '1e-9', '--end-lr', '1e-4', '--seed', '1', '--redis', redis.url]);
      await worker!.waitFor(new RegExp(`from \\S+:${run.pid}: started`), 90_000);
      const runId = (await queue.getJobs(['active', 'wait'])).find((job) => submitterPid(job) === run.pid)?.id?.replace(/-\d+$/, '') ?? '';
      assert.notEqual(runId, '');
      if (how === 'publish') await control.publish('lrlab:cancel', runId);
      else await control.del(`lrlab:run:${runId}:alive`);
      assert.equal(await run.code(30_000), 1, `${how}: ${run.tail()}`);
      const alive = `lrlab:run:${runId}:alive`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const dropped = new RegExp(`lrlab: Trial wd 1e-2 was dropped by worker ${workerIdOf(worker)}, which was told this run had ended; it had not \\(its heartbeat key ${alive} was gone from Redis at redis://127\\.0\\.0\\.1:\\d+, or a message on lrlab:cancel named it\\): Redis restarted with older data or none`);
      const lost = new RegExp(`lrlab: Redis at redis://127\\.0\\.0\\.1:\\d+ lost this run's heartbeat key ${alive}, so the workers drop its trials: Redis restarted with older data or none`);
      assert.match(run.out, how === 'publish' ? dropped : new RegExp(`${dropped.source}|${lost.source}`), run.tail());
      assert.doesNotMatch(run.out, /cancelled on its worker/);
    }
  } finally {
    control.disconnect();
    await queue.close();
  }
});

test('a worker checks a job before it runs it: data that is not a trial job, or a damaged model bundle, fails with a clear reason that the worker logs on one line', async (t) => {
  const [worker] = await workersFor(t, redis.url, 1);
  const queue = new Queue('trials', { prefix: 'lrlab', connection: { host: '127.0.0.1', port: redis.port } });
  const control = new Redis(redis.port, '127.0.0.1');
  try {
    const hash = 'ab'.repeat(32);
    await control.set(`lrlab:bundle:${hash}`, 'not json{');
    await control.set('lrlab:run:evil-run:alive', '1', 'EX', 120);
    const settings = { startLr: 1e-7, endLr: 10, steps: 10, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, batchSize: 32, seed: 1 };
    const job = (trial: unknown, more: object = {}): object => ({ format: 1, runId: 'evil-run', index: 0, submitter: 'evil:1', source: { model: tiny }, bundle: null, trial, ...more });
    const id = workerIdOf(worker);
    const cases: [string, unknown, string][] = [
      ['null', null, `Worker ${id} cannot run job evil-null: it is not a trial job (job: must be an object, not null).`],
      ['text', 'just a string', `Worker ${id} cannot run job evil-text: it is not a trial job (job: must be an object, not the string "just a string").`],
      ['kind', job({ kind: 'rm-rf', label: 'x' }), `Worker ${id} cannot run job evil-kind: it is not a trial job (job.trial.kind: must be one of range-test, short-run, batch-size, not the string "rm-rf").`],
      ['settings', job({ kind: 'range-test', label: 'wd 0', settings: 'x', dropout: null, optimizer: { name: 'sgd', momentum: 0.9 } }), `Worker ${id} cannot run job evil-settings: it is not a trial job (job.trial.settings: must be an object, not the string "x").`],
      ['format', job({ kind: 'range-test' }, { format: 999 }), `Worker ${id} reads trial jobs of format 1; job evil-format has format 999.`],
      ['bundle', job({ kind: 'range-test', label: 'wd 0', settings, dropout: null, optimizer: { name: 'sgd', momentum: 0.9 } }, { bundle: hash }), `Worker ${id} found the model bundle ${hash.slice(0, 12)} on ${redis.url} damaged (bundle: is not JSON).`],
    ];
    for (const [name, data] of cases) await queue.add(name, data, { jobId: `evil-${name}`, attempts: 1 });
    for (const [name, , expected] of cases) {
      const deadline = Date.now() + 60_000;
      let stored = await queue.getJob(`evil-${name}`);
      while (stored?.finishedOn === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        stored = await queue.getJob(`evil-${name}`);
      }
      assert.ok(stored?.failedReason !== undefined, `${name}: ${stored?.finishedOn === undefined ? 'not finished' : `completed with ${JSON.stringify(stored.returnvalue)}`}`);
      const reason = JSON.parse(stored.failedReason.replace(/^lrlab-error:/, '')) as { message: string; fix: string | null };
      assert.equal(reason.message, expected, name);
      // The worker said so, on one line of its own.
      assert.ok(worker!.out.split('\n').some((l) => /^trial .+: failed: /.test(l) && l.includes(`: failed: ${expected} ${reason.fix ?? ''}`.trim())), `${name}:\n${worker!.tail()}`);
    }
    assert.doesNotMatch(worker!.out, /Cannot read properties|\n\s+at /);
  } finally {
    control.disconnect();
    await queue.close();
  }
});

test('forged or damaged progress events (wrong types, non-finite numbers, control characters, huge text, not JSON, a trial the run lacks) are dropped and counted: nothing of them reaches the output, and the events after them still arrive', async (t) => {
  const { worker, run, queue, control } = await sweepOnOneWorker(t);
  try {
    const ours = await jobsOf(worker, run, queue);
    const runId = ours[0]!.replace(/-\d+$/, '');
    const real = workerIdOf(worker);
    const point = { step: 1, lr: 1e-5, momentum: 0.9, loss: 1, smoothed: 1, valLoss: null, valAccuracy: null, seconds: 0.1 };
    // Written as text: JSON.stringify cannot write 1e999 (Infinity once parsed) or a bare NaN.
    const forged: [string, string][] = [
      [ours[0]!, JSON.stringify({ t: 'start', worker: { ...ROGUE, id: '\u001b[2J\u001b[31mevil\r' } })],
      [ours[0]!, JSON.stringify({ t: 'start', worker: 5 })],
      [ours[0]!, `{"t":"progress","w":${JSON.stringify(real)},"message":"x","fraction":1e999}`],
      [ours[0]!, JSON.stringify({ t: 'points', w: real, series: 'wd 1e-2', points: 5 })],
      [ours[0]!, 'NaN'],
      [ours[0]!, JSON.stringify({ t: 'progress', w: real, message: 'A'.repeat(1_000_000), fraction: 0.5 })],
      [`${runId}-99`, JSON.stringify({ t: 'progress', w: real, message: 'x', fraction: 0.5 })],
      [ours[0]!, JSON.stringify({ t: 'points', w: real, series: '\u001b]0;title\u0007', points: [point] })],
      [ours[0]!, JSON.stringify({ t: 'points', w: real, series: 'wd 1e-2', points: [{ ...point, step: 'one' }] })],
      [ours[1]!, '{"t":'],
    ];
    for (const [jobId, data] of forged) await control.xadd('lrlab:trials:events', '*', 'event', 'progress', 'jobId', jobId, 'data', data);
    const result = await json<SweepResult>(run);
    assert.deepEqual(result.curves.map((c) => [c.label, c.worker, Array.isArray(c.points) && c.points.length > 0]), [['wd 1e-2', real, true], ['wd 1e-3', real, true]]);
    assert.deepEqual(result.workers?.map((w) => w.id), [real]);
    assert.doesNotMatch(run.out, CONTROL, JSON.stringify(run.tail(500)));
    assert.doesNotMatch(run.out, /evil|A{100}/);
    // One warning while it runs, and the count in the result: every forged event was read (the stream outlived the one that is not JSON).
    assert.equal(run.out.match(/Ignored a progress event/g)?.length, 1, run.tail());
    assert.match(run.out, /lrlab: Ignored a progress event for trial wd 1e-2 that is not one a worker sends \(progress\.worker\.id: holds control characters\); any more are counted\./);
    assert.ok(result.warnings.includes(`Ignored ${forged.length} progress events that are not ones a worker sends (written to lrlab:trials:events on ${redis.url} by something other than an lrlab worker of this version).`), result.warnings.join(' | '));
  } finally {
    control.disconnect();
    await queue.close();
  }
});

test('an ACL user without a command LR Lab needs: the worker and the run say so in one line, with the ACL to give (it read "internal error: NOPERM … please report it")', async () => {
  const control = new Redis(redis.port, '127.0.0.1');
  try {
    // A user that may not subscribe (the worker's cancel channel) nor run the queue's scripts.
    await control.call('ACL', 'SETUSER', 'narrow', 'on', '>narrowpw', '~*', '+@read', '+@write', '+@connection', '-subscribe', '-evalsha', '-eval');
    const url = `redis://narrow:narrowpw@127.0.0.1:${redis.port}`;
    const worker = lrlab(['worker', '--redis', url]);
    assert.equal(await worker.code(60_000), 1, worker.out);
    assert.match(worker.out, new RegExp(`^lrlab: Redis at redis://narrow:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port} refused the worker: its user has no permission to run the '\\w+' command LR Lab needs\\. Use a Redis user that may run every command on LR Lab's keys and channels \\(ACL SETUSER`, 'm'));
    assert.doesNotMatch(worker.out, /internal error|please report/);
    const run = lrlab(['sweep', tiny, '--wd', '0', '--steps', '10', '--redis', url]);
    assert.equal(await run.code(60_000), 1, run.out);
    assert.match(run.out, /its user has no permission to run the '\w+' command LR Lab needs\. Use a Redis user/);
    assert.doesNotMatch(run.out, /internal error|please report/);
  } finally {
    control.disconnect();
  }
});
