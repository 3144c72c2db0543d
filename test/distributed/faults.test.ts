/**
 * Scale-out faults with real processes: the run cancelled or its process killed, a worker killed
 * or stopped mid-trial, Redis stopped mid-run. Trials use a model whose steps take ~15 ms each,
 * so there is a "middle" to act in; workers run with a 4 s lock (LRLAB_WORKER_LOCK_S) so that a
 * dead worker's trial is noticed quickly. The tests share one Redis and a pool of workers and
 * run in order: each leaves the pool as the next one expects, and the last one stops Redis.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import type { SweepResult } from '../../src/protocol/results';
import type { Proc, RedisServer } from './cluster';
import { json, lrlab, root, startRedis, startWorker, stopAll, workerIdOf } from './cluster';

const slow = path.join(root, 'test', 'fixtures', 'distributed', 'slowClassifier.js');
const WORKER_ENV = { LRLAB_WORKER_LOCK_S: '4' };
let redis: RedisServer;
let queue: Queue;
let pool: Proc[];

before(async () => {
  redis = await startRedis();
  queue = new Queue('trials', { prefix: 'lrlab', connection: { host: '127.0.0.1', port: redis.port } });
  pool = await Promise.all([0, 1, 2].map(() => startWorker(redis.url, { env: WORKER_ENV })));
});
after(async () => {
  await queue.close();
  await stopAll();
});

const running = (w: Proc): boolean => w.child.exitCode === null && w.child.signalCode === null;
/** How many trials a worker has started so far. */
const startedCount = (w: Proc): number => w.out.match(/: started/g)?.length ?? 0;

/** Waits until `check` holds (polling), failing with `what` after `ms`; returns the ms it took. */
async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<number> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - t0;
}

/**
 * Follows the progress events of the trials of the run `pid()` (every event: a job's stored
 * progress is only its latest, which is mostly a progress line, not points): for each worker, the
 * last training step it streamed for its current trial of that run, or null from its "start" until
 * its first points (the model is built and the data loaded by then). A worker that has only logged
 * "started" is about to call the user's createModel, and while user code runs there is no SIGINT
 * listener (src/engine/userCode.ts); Node drops a SIGINT caught just before the listener is removed
 * (libuv dispatches it to a handle that is gone), so a test that signals on "started" loses its Ctrl-C.
 */
async function followTraining(pid: () => number): Promise<{ step: (worker: Proc) => number | null; close: () => Promise<void> }> {
  const events = new QueueEvents('trials', { prefix: 'lrlab', connection: { host: '127.0.0.1', port: redis.port } });
  const steps = new Map<string, number | null>();
  const ours = new Map<string, Promise<boolean>>();
  events.on('progress', ({ jobId, data }) => {
    const event = data as { t?: string; w?: string; worker?: { id: string }; points?: { step: number }[] };
    if (!ours.has(jobId)) ours.set(jobId, queue.getJob(jobId).then((job) => (job?.data as { submitter?: string } | undefined)?.submitter?.endsWith(`:${pid()}`) === true, () => false));
    void ours.get(jobId)!.then((mine) => {
      if (mine && event.t === 'start' && event.worker !== undefined) steps.set(event.worker.id, null);
      if (mine && event.t === 'points' && event.w !== undefined) steps.set(event.w, event.points?.at(-1)?.step ?? null);
    });
  });
  await events.waitUntilReady();
  return { step: (worker) => steps.get(workerIdOf(worker)) ?? null, close: () => events.close() };
}

async function queueIsEmpty(): Promise<boolean> {
  const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
  return Object.values(counts).every((n) => n === 0);
}

const sixTrials = (steps: number, ...more: string[]): string[] => ['sweep', slow, '--wd', '1e-1,1e-2,1e-3,1e-4,1e-5,0', '--steps', String(steps), '--seed', '1', '--json', '--redis', redis.url, ...more];

test('cancel (Ctrl-C on lrlab sweep): the result so far, queued trials removed, running ones stopped; the same when the process is killed', async () => {
  let before = pool.map(startedCount);
  const cancelled = lrlab(sixTrials(200));
  await until('every worker busy', () => pool.every((w, i) => startedCount(w) > before[i]!), 60_000);
  cancelled.child.kill('SIGINT');
  // Stopped by Ctrl-C: the result so far on stdout, and exit 130 like every command (#16).
  const result = await json<SweepResult>(cancelled, 30_000, 130);
  assert.ok(result.curves.length < 6, `${result.curves.length} curves`);
  assert.ok(result.warnings.some((w) => /^Cancelled after \d+ of 6 curves/.test(w)), result.warnings.join(' | '));
  assert.ok((await until('queue empty after cancel', queueIsEmpty, 10_000)) < 10_000);
  for (const w of pool) await w.waitFor(/was cancelled by the run that queued it/, 10_000);

  // Killed outright: nothing can clean up, so workers notice that its heartbeat stopped — up to
  // ALIVE_TTL_MS + HEARTBEAT_MS (7.5 s) later, so the trials must outlast that: 200 steps (~3 s at
  // 15 ms a step) could end first, and a worker whose trial ended with nothing left in the queue
  // then said neither line (failed once on a fast machine).
  before = pool.map(startedCount);
  const killed = lrlab(sixTrials(800));
  await until('every worker busy again', () => pool.every((w, i) => startedCount(w) > before[i]!), 60_000);
  killed.child.kill('SIGKILL');
  assert.ok((await until('queue empty after the submitter died', queueIsEmpty, 20_000)) < 20_000);
  // Its heartbeat key expired, no message came: the trial stopped because the run ended, not "cancelled by" it.
  for (const w of pool) await until(`${workerIdOf(w)} idle`, () => /stopped: the run that queued it has ended \(it finished — another worker may have run this trial meanwhile — or its lrlab stopped or was killed\), or Redis lost the run's keys\./.test(w.out) || /is gone \(cancelled, or its lrlab stopped\)/.test(w.out), 15_000);
  for (const w of pool) assert.equal(w.out.match(/cancelled by the run that queued it/g)?.length, 1, w.tail());
  assert.ok(pool.every(running), 'workers keep running');
});

test('a worker killed mid-trial: its trial runs again on another worker; every result once, equal to a local run', async () => {
  const [victim, ...others] = pool as [Proc, Proc, Proc];
  const args = ['sweep', slow, '--wd', '1e-2,1e-3,1e-4,0', '--steps', '80', '--seed', '7', '--json'];
  const local = json<SweepResult>(lrlab(args));
  const before = startedCount(victim);
  const remote = lrlab([...args, '--redis', redis.url]);
  await until('the victim busy', () => startedCount(victim) > before, 60_000);
  victim.child.kill('SIGKILL');
  const [expected, got] = await Promise.all([local, json<SweepResult>(remote)]);
  assert.deepEqual(got.curves.map((c) => c.label), expected.curves.map((c) => c.label));
  got.curves.forEach((c, i) => {
    const { worker, backend: _backend, ...rest } = c;
    assert.deepEqual(rest, expected.curves[i], c.label);
    assert.ok(others.map((w) => workerIdOf(w)).includes(worker ?? ''), `${c.label} finished on a surviving worker, not ${String(worker)}`);
  });
  assert.match(remote.out, /runs again on/);
  await until('queue empty', queueIsEmpty);
  pool = others;
});

test('Ctrl-C on a worker finishes its trial; SIGTERM hands its trial back to the queue at once', async () => {
  const survivor = await startWorker(redis.url, { env: WORKER_ENV });
  // Run with the file, the pool is two workers here; run alone (--test-name-pattern), three: the third just takes trials too.
  const [finisher, quitter, ...rest] = pool as [Proc, Proc, ...Proc[]];
  let run: Proc | null = null;
  const training = await followTraining(() => run?.pid ?? -1);
  run = lrlab(sixTrials(100));
  // Each is signalled while it trains a trial of this run with a third of its 100 steps to go, not
  // while it loads one (see followTraining), and not after that trial ended.
  try {
    await Promise.all(([[finisher, 'SIGINT'], [quitter, 'SIGTERM']] as const).map(async ([worker, signal]) => {
      await until(`${workerIdOf(worker)} training a trial of this run`, () => (training.step(worker) ?? Infinity) < 66, 60_000);
      worker.child.kill(signal);
    }));
  } finally {
    await training.close();
  }
  await finisher.waitFor(/stopping after the current trial/);
  const [finished, quit] = await Promise.all([finisher.code(60_000), quitter.code(30_000)]);
  assert.equal(finished, 0, finisher.tail());
  assert.match(finisher.out, /done in/, 'Ctrl-C: the trial it had was finished');
  assert.equal(quit, 0, quitter.tail());
  assert.match(quitter.out, /handed back to the queue/);
  const result = await json<SweepResult>(run);
  assert.equal(result.curves.length, 6);
  const by = result.curves.map((c) => c.worker);
  assert.ok(by.includes(workerIdOf(finisher)) && !by.includes(workerIdOf(quitter)) && by.every((w) => [finisher, survivor, ...rest].map((w) => workerIdOf(w)).includes(w ?? '')), JSON.stringify(by));
  pool = [survivor, ...rest];
});

test('Redis stopped mid-run: the run and the workers end with a clear error within seconds', async () => {
  const [worker] = pool as [Proc];
  const before = startedCount(worker);
  const run = lrlab(['sweep', slow, '--wd', '1e-2,1e-3,1e-4', '--steps', '300', '--seed', '1', '--redis', redis.url]);
  await until('the worker busy', () => startedCount(worker) > before, 60_000);
  const t0 = Date.now();
  await queue.close();
  redis.proc.child.kill('SIGTERM');
  assert.equal(await run.code(30_000), 1, run.tail());
  const seconds = (Date.now() - t0) / 1000;
  assert.match(run.out, new RegExp(`Lost Redis at redis://127\\.0\\.0\\.1:${redis.port}: connection refused, and still so after 5 s`));
  assert.ok(seconds < 15, `${seconds} s`);
  assert.equal(await worker.code(30_000), 1, worker.tail());
  // What it says is true: here the run lost Redis too (and failed above), so the trial runs nowhere again.
  assert.match(worker.out, new RegExp(`lost Redis at redis://127\\.0\\.0\\.1:${redis.port}: connection refused; stopping\\. A trial it was running is left unfinished: it runs again on another worker if its run still reaches Redis, else that run fails too\\. Start lrlab worker again once Redis is back\\.`));
});
