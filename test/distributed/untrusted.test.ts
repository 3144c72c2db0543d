/**
 * Redis content is untrusted: whoever can write to that Redis can write any key, any job and any
 * event. These tests play such a writer (a rogue worker, forged events, forged jobs) against a
 * real `lrlab sweep --redis` and real `lrlab worker`s: a run never shows a worker's text raw, and
 * never ends without a trial or with data that is not a trial's.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { UnrecoverableError, Worker } from 'bullmq';
import type { WorkerInfo } from '../../src/protocol/results';
import type { RedisServer } from './cluster';
import { lrlab, startRedis, stopAll, tiny } from './cluster';

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
