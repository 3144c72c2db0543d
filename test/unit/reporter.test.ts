import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reporter } from '../../src/engine/reporter';
import type { AppendParams, ProgressParams, StreamPoint } from '../../src/protocol/progress';

function point(step: number): StreamPoint {
  return { step, lr: step, momentum: null, loss: step, smoothed: null, valLoss: null, valAccuracy: null, seconds: 0 };
}

test('appends are batched by time, never drop a point, and all go out before the progress message that follows them', () => {
  let clock = 0;
  const appends: AppendParams[] = [];
  const progress: ProgressParams[] = [];
  const order: string[] = [];
  const r = new Reporter('run-1', { append: (a) => { appends.push(a); order.push('append'); }, progress: (p) => { progress.push(p); order.push(p.message); }, log: () => undefined }, 100, () => clock);
  r.progress('range-test', 'starting', 0, true);
  for (let i = 0; i < 1000; i++) {
    clock += 1; // 1 ms per point → about one append per 100 points
    r.point('main', point(i));
  }
  r.progress('range-test', 'done', 1, true);
  const steps = appends.flatMap((a) => a.points.map((p) => p.step));
  assert.deepEqual(steps, Array.from({ length: 1000 }, (_, i) => i));
  assert.ok(appends.length >= 9 && appends.length <= 12, `appends ${appends.length}`);
  // The points still pending when 'done' is reported are flushed first: 'done' is the last message.
  assert.deepEqual([order[0], order.at(-1)], ['starting', 'done']);
  assert.equal(order.filter((o) => o === 'append').length, appends.length);
  assert.ok(appends.every((a) => a.runId === 'run-1') && progress.every((p) => p.runId === 'run-1'));
});

test('a series\' first point goes out at once (the chart starts drawing), the next ones are batched; so does the first after a restart', () => {
  let clock = 0;
  const appends: AppendParams[] = [];
  const r = new Reporter('r', { append: (a) => appends.push(a), progress: () => undefined, log: () => undefined }, 100, () => clock);
  r.progress('range-test', 'starting', 0, true); // a flush: the interval starts now
  clock = 5;
  r.point('main', point(0));
  assert.deepEqual(appends.map((a) => a.points.map((p) => p.step)), [[0]], 'the first point, 5 ms after a flush');
  clock = 10;
  r.point('main', point(1));
  r.point('other', point(0));
  assert.deepEqual(appends.map((a) => `${a.series}:${a.points.map((p) => p.step).join(',')}`), ['main:0', 'main:1', 'other:0'], 'a new series flushes what is pending with it');
  clock = 20;
  r.point('main', point(2));
  assert.equal(appends.length, 3, 'then batched');
  r.restart('main');
  clock = 25;
  r.point('main', point(0));
  assert.deepEqual(appends.slice(3).map((a) => ({ series: a.series, steps: a.points.map((p) => p.step), restart: a.restart ?? false })), [{ series: 'main', steps: [2], restart: false }, { series: 'main', steps: [0], restart: true }]);
});

test('throttled progress drops repeats within the interval but not forced phase changes', () => {
  let clock = 0;
  const progress: ProgressParams[] = [];
  const r = new Reporter('r', { append: () => undefined, progress: (p) => progress.push(p), log: () => undefined }, 100, () => clock);
  r.progress('a', 'x', 0.1);
  r.progress('a', 'x', 0.2);
  r.progress('b', 'y', null, true);
  clock = 500;
  r.progress('b', 'y', 0.5);
  assert.deepEqual(progress.map((p) => p.fraction), [0.1, null, 0.5]);
});

test('the progress fraction never goes back: a piece of work run again from its start holds the bar where it stood until it passes it', () => {
  const progress: ProgressParams[] = [];
  const r = new Reporter('run-1', { append: () => undefined, progress: (p) => progress.push(p), log: () => undefined }, 0, () => 0);
  r.share(0, 0.5);
  r.progress('range-test', 'a', 0.3, true);
  r.progress('range-test', 'b', 0.6, true);
  // The range test is run again with a wider range: its own fraction starts over.
  r.progress('range-test', 'again', 0, true);
  r.progress('range-test', 'again', 0.8, true);
  r.share(0.5, 0.5);
  r.progress('short-run', 'c', 0.5, true);
  r.progress('status', 'no fraction', null, true);
  r.progress('done', 'd', 1, true);
  assert.deepEqual(progress.map((p) => p.fraction), [0.15, 0.3, 0.3, 0.4, 0.75, null, 1]);
});

test("a composite run's step (within) is the part its experiment's fractions and shares fill: a recipe's first range test filled the bar to 85%, where it stayed for four more steps", () => {
  const progress: ProgressParams[] = [];
  const r = new Reporter('run-1', { append: () => undefined, progress: (p) => progress.push(p), log: () => undefined }, 0, () => 0);
  // Step 1 of a recipe: a tenth of the bar; find-lr inside it divides that tenth, and ends by giving it all back.
  r.within(0, 0.1);
  r.share(0, 0.5);
  r.progress('range-test', 'half of its half', 0.5, true);
  r.share(0, 1);
  r.progress('range-test', 'its end', 1, true);
  // Step 2 from a fifth of the budget used, for 40% of it: the study's own 0..1.
  r.within(0.2, 0.4);
  r.progress('recipe', 'step 2', 0, true);
  r.progress('batch-size', 'half of the study', 0.5, true);
  // The whole bar again.
  r.within(0, 1);
  r.progress('short-run', 'at 70%', 0.7, true);
  assert.deepEqual(progress.map((p) => Number(p.fraction?.toFixed(3))), [0.025, 0.1, 0.2, 0.4, 0.7]);
});
