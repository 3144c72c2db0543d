/**
 * A worker that lost its trial's lock while it lived: stopped (SIGSTOP) mid-trial past its lock and
 * its heartbeat, its trial was queued again and another worker took it. Resumed, it must not train on
 * to the end for nothing (its result could not be recorded: the lock is another worker's) — it stops
 * the trial as soon as BullMQ fails to renew the lock, says so, and the run ends on the other worker.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { SweepResult } from '../../src/protocol/results';
import type { RedisServer } from './cluster';
import { escapeRegExp, json, lrlab, root, startRedis, startWorker, stopAll, workerIdOf } from './cluster';

let redis: RedisServer;
before(async () => {
  redis = await startRedis();
});
after(stopAll);

const slow = path.join(root, 'test', 'fixtures', 'distributed', 'slowClassifier.js');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('a worker stopped past its lock, resumed after another worker took its trial, stops that trial within seconds and says why; the run ends on the other worker', async (t) => {
  // A 4 s lock, renewed every 2 s; a trial of 400 steps of ~15 ms each (~6 s).
  const env = { LRLAB_WORKER_LOCK_S: '4' };
  const victim = await startWorker(redis.url, { env });
  const remote = lrlab(['sweep', slow, '--wd', '1e-3', '--steps', '400', '--seed', '3', '--json', '--redis', redis.url]);
  const started = await victim.waitFor(new RegExp(`trial (\\S+ \\S+) \\(range-test\\) of run \\S+ from \\S+:${remote.pid}: started`), 90_000);
  const label = started[1]!;
  await sleep(1_000);
  victim.child.kill('SIGSTOP');
  const survivor = await startWorker(redis.url, { env });
  await survivor.waitFor(new RegExp(`trial ${escapeRegExp(label)} \\(range-test\\) of run \\S+ from \\S+:${remote.pid}: started`), 60_000);
  const from = victim.out.length;
  const t0 = Date.now();
  victim.child.kill('SIGCONT');
  await victim.waitFor(new RegExp(`trial ${escapeRegExp(label)}: stopped — its lock is gone \\(this worker was stopped or starved past 4 s, or its run took it for dead\\): another worker may hold the trial, or its run dropped it; nothing this worker finds can be recorded`), 6_000);
  const stoppedAfter = (Date.now() - t0) / 1000;
  t.diagnostic(`SIGCONT → the trial stopped ${stoppedAfter.toFixed(1)} s later`);

  const result = await json<SweepResult>(remote);
  assert.equal(result.curves.length, 1);
  assert.equal(result.curves[0]!.worker, workerIdOf(survivor.out), 'the survivor finished the trial');
  assert.ok(result.curves[0]!.points.length > 0);
  // The stopped worker trained no further: it never finished the trial, and it lives on for the next one.
  assert.doesNotMatch(victim.out.slice(from), new RegExp(`trial ${escapeRegExp(label)}: done in`), victim.tail());
  assert.equal(victim.child.exitCode, null, victim.tail());
  // At the next renewal (overdue on resuming), not when the trial ends: ~5 s of its steps were left.
  assert.ok(stoppedAfter < 2, `stopped ${stoppedAfter} s after SIGCONT`);
});
