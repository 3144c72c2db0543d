/**
 * Workers on different backends serve one queue. A run that asks for `--backend cpu` is served by
 * the worker on cpu: a worker on another backend that takes one of its trials leaves it in the queue
 * for that worker (it failed the whole run, though a matching worker was idle). Only where no worker
 * on the asked backend beats is the trial refused, with what to start.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SweepResult } from '../../src/protocol/results';
import type { Proc, RedisServer } from './cluster';
import { escapeRegExp, json, lrlab, startRedis, startWorker, stopAll, tiny, workerIdOf } from './cluster';

let redis: RedisServer;
let wasm: Proc;
let cpu: Proc;

before(async () => {
  redis = await startRedis();
  [wasm, cpu] = await Promise.all([startWorker(redis.url, { args: ['--backend', 'wasm'] }), startWorker(redis.url, { args: ['--backend', 'cpu'] })]);
});
after(stopAll);

test('a run that asks for --backend cpu: every trial runs on the cpu worker, the wasm worker leaves the ones it takes in the queue, and the result equals the local cpu run', async () => {
  const args = ['sweep', tiny, '--wd', '1e-2,1e-3,1e-4,0', '--steps', '30', '--seed', '3', '--backend', 'cpu', '--json'];
  const [local, remote] = await Promise.all([json<SweepResult>(lrlab(args)), json<SweepResult>(lrlab([...args, '--redis', redis.url]), 120_000)]);
  const cpuId = workerIdOf(cpu);
  assert.deepEqual(remote.curves.map((c) => c.label), local.curves.map((c) => c.label));
  remote.curves.forEach((c, i) => {
    const { worker, backend, ...rest } = c;
    assert.equal(worker, cpuId, `${c.label} ran on the cpu worker`);
    assert.equal(backend, 'cpu', c.label);
    assert.deepEqual(rest, local.curves[i], c.label);
  });
  // Four trials queued at once and two idle workers: the wasm worker took at least one and passed it on.
  assert.match(wasm.out, new RegExp(`trial wd \\S+: asks for --backend cpu \\(this worker runs wasm\\): left in the queue for the worker on cpu \\(${escapeRegExp(cpuId)}\\)`), wasm.tail());
  assert.doesNotMatch(wasm.out, /failed/, wasm.tail());
});

test('a batch-size study on workers says each size as it finishes (its lines came out together after the last size): here both sizes run on the one wasm worker, one after the other, each with half the budget (each had all of it, and the study took twice its budget)', async () => {
  const t0 = Date.now();
  const run = lrlab(['batch-size', tiny, '--sizes', '16,32', '--budget', '12s', '--range-steps', '20', '--seed', '2', '--backend', 'wasm', '--redis', redis.url]);
  // Without a terminal, a line per tenth of the run as the running size trains (it said "2 queued" until a size was done).
  await run.waitFor(/^lrlab: \d+% 0\/2 trials done; running: batch (16|32) on \S+ \(\d+%\); 1 queued$/m, 90_000);
  const first = await run.waitFor(/^lrlab: batch (16|32) \(\d\/2\) done: /m, 90_000);
  const other = first[1] === '16' ? '32' : '16';
  // Said while the other size still trains on the same worker.
  assert.doesNotMatch(wasm.out, new RegExp(`trial batch ${other}: done in`), `${run.tail()}\n${wasm.tail()}`);
  assert.doesNotMatch(run.out, new RegExp(`batch ${other} \\(\\d/2\\) done`), run.tail());
  assert.equal(await run.code(90_000), 0, run.tail());
  assert.match(run.out, new RegExp(`batch ${other} \\(\\d/2\\) done: `), run.tail());
  assert.match(run.out, /note: The 2 sizes shared 1 live worker: they ran 1 at a time, each with 5\.\d s of --budget 12 s\. Start as many worker processes as sizes/, run.tail());
  // Within its budget (and the workers' start-up of each size), not twice it.
  assert.ok(Date.now() - t0 < 30_000, `${(Date.now() - t0) / 1000} s`);
});

test('with no worker on the asked backend left, the trial is refused in one line saying which backend to start (the cpu worker stopped cleanly)', async () => {
  cpu.child.kill('SIGTERM');
  assert.equal(await cpu.code(30_000), 0, cpu.tail());
  const run = lrlab(['sweep', tiny, '--wd', '0', '--steps', '20', '--seed', '3', '--backend', 'cpu', '--redis', redis.url]);
  assert.equal(await run.code(60_000), 1, run.tail());
  assert.match(run.out, new RegExp(`Worker ${escapeRegExp(workerIdOf(wasm))} runs the wasm backend; this run asked for --backend cpu, and no worker on \\S+ runs it\\.`), run.tail());
  assert.match(run.out, /Start a worker with --backend cpu, or run without --backend/, run.tail());
  assert.doesNotMatch(run.out, /\n\s+at /, 'no stack trace');
});
