/**
 * Every worker gone mid-run: a `lrlab worker --concurrency 2` killed outright, whose worker
 * processes hand their trials back to the queue and exit. The run must not wait in silence
 * showing the dead workers as running its trials: its progress says that no worker has taken a
 * trial for N s and how to start one, and a worker started then finishes the run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { EngineHost } from '../../src/extension/engineHost';
import type { ProgressParams } from '../../src/protocol/progress';
import type { SweepResult } from '../../src/protocol/results';
import type { RedisServer } from './cluster';
import { lrlab, root, startRedis, stopAll, tempFolder, tiny, workerIdOf, workersFor } from './cluster';

let redis: RedisServer;
before(async () => {
  redis = await startRedis();
});
after(stopAll);


test('every worker gone mid-run: progress says no worker has taken a trial for N s and how to start one, without the dead workers; a new worker finishes the run', async (t) => {
  const supervisor = lrlab(['worker', '--redis', redis.url, '--concurrency', '2'], { cwd: tempFolder('lrlab-worker-cwd-') });
  t.after(() => supervisor.child.kill('SIGKILL'));
  await supervisor.waitFor(/taking trials from[\s\S]*taking trials from/, 60_000);
  const dead = [...supervisor.out.matchAll(/lrlab worker (\S+): wasm/g)].map((m) => m[1]!);

  const host = new EngineHost({ extensionPath: root, log: () => undefined });
  t.after(() => host.dispose());
  const messages: { at: number; message: string }[] = [];
  const handlers = { onProgress: (p: ProgressParams) => messages.push({ at: Date.now(), message: p.message }), onAppend: () => undefined };
  const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
  const slow = path.join(root, 'test', 'fixtures', 'distributed', 'slowClassifier.js');
  const run = host.run('no-worker', { kind: 'sweep', model: slow, wd: [1e-2, 1e-3], steps: 300, startLr: 1e-9, endLr: 1e-4, seed: 1, redis: redis.url }, handlers, token);
  run.catch(() => undefined);

  // Both worker processes training a trial of this run, then their supervisor killed: they hand the trials back and exit.
  await supervisor.waitFor(/: started[\s\S]*: started/, 90_000);
  const t0 = Date.now();
  supervisor.child.kill('SIGKILL');
  // Its worker processes write to the same pipe after it is gone (Proc.waitFor stops at its exit).
  const until = async (check: () => boolean, ms: number): Promise<void> => {
    const end = Date.now() + ms;
    while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 200));
  };
  await until(() => /handed back to the queue[\s\S]*handed back to the queue/.test(supervisor.out), 30_000);
  assert.match(supervisor.out, /handed back to the queue[\s\S]*handed back to the queue/);
  const deadline = Date.now() + 30_000;
  const idle = (): { at: number; message: string } | undefined => messages.find((m) => m.at > t0 && /no worker has taken a trial for \d+ s/.test(m.message));
  await until(() => idle() !== undefined, deadline - Date.now());
  const said = idle();
  assert.ok(said !== undefined, messages.map((m) => m.message).join(' | '));
  assert.match(said.message, new RegExp(`^0/2 trials done; 2 queued; no worker has taken a trial for 1\\d s — start \`lrlab worker --redis redis://127\\.0\\.0\\.1:${redis.port}\`$`));
  assert.ok((said.at - t0) / 1000 < 20, `${(said.at - t0) / 1000} s after the kill`);
  // After the hand-back no line shows a worker running a trial (they all exited).
  const handedBack = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  for (const m of messages.filter((m) => m.at > handedBack)) assert.doesNotMatch(m.message, new RegExp(`running: |${dead.join('|')}`), m.message);

  const [worker] = await workersFor(t, redis.url, 1);
  const result = (await run) as SweepResult;
  assert.deepEqual(result.curves.map((c) => [c.label, c.worker]), [['wd 1e-2', workerIdOf(worker!.out)], ['wd 1e-3', workerIdOf(worker!.out)]]);
});

test('the only worker busy with another run: the second run says the live worker is busy elsewhere, not "start one", and runs once it is free', async (t) => {
  const [worker] = await workersFor(t, redis.url, 1);
  const slow = path.join(root, 'test', 'fixtures', 'distributed', 'slowClassifier.js');
  // A trial of ~30 s (2,000 steps at ~15 ms), then a second run whose one trial waits for the worker.
  const first = lrlab(['sweep', slow, '--wd', '0', '--steps', '2000', '--start-lr', '1e-9', '--end-lr', '1e-4', '--seed', '1', '--redis', redis.url]);
  t.after(() => first.child.kill('SIGKILL'));
  await worker!.waitFor(/: started/, 60_000);
  const second = lrlab(['sweep', tiny, '--wd', '0', '--steps', '10', '--seed', '1', '--redis', redis.url]);
  t.after(() => second.child.kill('SIGKILL'));
  await second.waitFor(/No worker has taken a trial of this run for 10 s/, 40_000);
  assert.match(second.out, new RegExp(`No worker has taken a trial of this run for 10 s: the live worker \\(${workerIdOf(worker!.out)}\\) is busy with other runs' trials, or on another backend than this run's; its trials wait in the queue for one`));
  assert.doesNotMatch(second.out, /none is running: start one/);
  // The first run cancelled (Ctrl-C): the worker takes the second's trial.
  first.child.kill('SIGINT');
  assert.equal(await second.code(60_000), 0, second.tail());
});
