/**
 * The FMA module's choice between splitting a product between its threads and running it alone
 * (src/engine/wasmKernels/threadChoice.ts), on timings with known answers. That both ways give the
 * same bits is fmaMatMul.test.ts's ("every sum is bit-identical to one thread").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAR_AHEAD, PROBE_EVERY, PROBE_EVERY_FAR, SPLIT_FIRST, ThreadChoice } from '../../src/engine/wasmKernels/threadChoice';
import type { Way } from '../../src/engine/wasmKernels/threadChoice';

/** `calls` jobs of one shape, each taking what `cost` says for the way it ran; the ways run, in order. */
function drive(choice: ThreadChoice, shape: string, calls: number, cost: (way: Way, call: number) => number): Way[] {
  const ways: Way[] = [];
  for (let i = 0; i < calls; i++) {
    const way = choice.next(shape);
    choice.took(shape, way, cost(way, i));
    ways.push(way);
  }
  return ways;
}
const count = (ways: readonly Way[], way: Way): number => ways.filter((w) => w === way).length;

test('a shape splits for its first calls, then times running alone once, and keeps splitting where that is faster (timing the other way rarely)', () => {
  const choice = new ThreadChoice();
  const ways = drive(choice, 'mlp', SPLIT_FIRST + 1 + 4 * PROBE_EVERY_FAR, (way) => (way === 'split' ? 0.6 : 1.0));
  assert.deepEqual(ways.slice(0, SPLIT_FIRST), new Array<Way>(SPLIT_FIRST).fill('split'));
  assert.equal(ways[SPLIT_FIRST], 'alone', 'then alone once, to have both timings');
  // 0.6 against 1.0 is far ahead (under FAR_AHEAD): alone is timed again once every PROBE_EVERY_FAR calls.
  assert.ok(0.6 < FAR_AHEAD * 1.0);
  const after = ways.slice(SPLIT_FIRST + 1);
  assert.equal(count(after, 'alone'), 4);
  assert.equal(choice.aloneJobs, 5);
});

test('where a split is slower (a busy machine), the jobs run alone, a split is timed again every so often, and splitting resumes once it is faster again', () => {
  const choice = new ThreadChoice();
  let busy = true;
  // Busy: a split costs 1.2 ms against 1.0 alone (close: split is timed every PROBE_EVERY calls). Then idle: split 0.6.
  const cost = (way: Way): number => (way === 'alone' ? 1.0 : busy ? 1.2 : 0.6);
  const first = drive(choice, 'cnn', SPLIT_FIRST + 1 + 10 * (PROBE_EVERY + 1), cost);
  const settled = first.slice(SPLIT_FIRST + 1);
  assert.ok(count(settled, 'alone') >= 9 * PROBE_EVERY, `alone ${count(settled, 'alone')} of ${settled.length}`);
  assert.ok(count(settled, 'split') >= 9 && count(settled, 'split') <= 11, `split timed ${count(settled, 'split')} times`);
  busy = false;
  // The split's running mean falls below alone's after a few of its timings, and from then on it is the choice.
  const later = drive(choice, 'cnn', 8 * (PROBE_EVERY + 1), cost);
  assert.deepEqual(later.slice(-PROBE_EVERY), new Array<Way>(PROBE_EVERY).fill('split'));
});

test('shapes are timed apart: one slow to split does not keep another from splitting', () => {
  const choice = new ThreadChoice();
  drive(choice, 'forward', SPLIT_FIRST + 100, (way) => (way === 'split' ? 2 : 1));
  const other = drive(choice, 'gradient', SPLIT_FIRST + 100, (way) => (way === 'split' ? 1 : 2));
  assert.ok(count(other.slice(SPLIT_FIRST + 1), 'split') >= 95);
  // A timing that is no number (a clock gone wrong) changes nothing.
  choice.took('gradient', 'split', Number.NaN);
  assert.equal(choice.next('gradient'), 'split');
});
