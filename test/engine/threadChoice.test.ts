/**
 * The FMA module's choice between splitting a product between its threads and running it alone
 * (src/engine/wasmKernels/threadChoice.ts), on timings with known answers. That both ways give the
 * same bits is fmaMatMul.test.ts's ("every sum is bit-identical to one thread").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHOSEN_PHASE, FAR_AHEAD, FAR_PHASES, PROBE_PHASE, SPLIT_FIRST, ThreadChoice } from '../../src/engine/wasmKernels/threadChoice';
import type { Way } from '../../src/engine/wasmKernels/threadChoice';

/** `calls` jobs of one shape, each taking what `cost` says for the way it ran and its place in a run of that way; the ways run, in order. */
function drive(choice: ThreadChoice, shape: string, calls: number, cost: (way: Way, inARow: number) => number, ways: Way[] = []): Way[] {
  for (let i = 0; i < calls; i++) {
    const way = choice.next(shape);
    const inARow = ways.length > 0 && ways.at(-1) === way ? runLength(ways) + 1 : 1;
    choice.took(shape, way, cost(way, inARow));
    ways.push(way);
  }
  return ways;
}
function runLength(ways: readonly Way[]): number {
  let n = 0;
  for (let i = ways.length - 1; i >= 0 && ways[i] === ways.at(-1); i--) n++;
  return n;
}
const count = (ways: readonly Way[], way: Way): number => ways.filter((w) => w === way).length;

test('a shape splits for its first jobs, then times running alone for a few, and keeps splitting where that is faster (timing alone again only every few phases)', () => {
  const choice = new ThreadChoice();
  const cycle = FAR_PHASES * CHOSEN_PHASE + PROBE_PHASE;
  const ways = drive(choice, 'mlp', SPLIT_FIRST + PROBE_PHASE + 4 * cycle, (way) => (way === 'split' ? 0.6 : 1.0));
  assert.deepEqual(ways.slice(0, SPLIT_FIRST), new Array<Way>(SPLIT_FIRST).fill('split'));
  assert.deepEqual(ways.slice(SPLIT_FIRST, SPLIT_FIRST + PROBE_PHASE), new Array<Way>(PROBE_PHASE).fill('alone'), 'then alone, to have both timings');
  // 0.6 against 1.0 is far ahead (under FAR_AHEAD): alone is timed again once every FAR_PHASES chosen phases.
  assert.ok(0.6 < FAR_AHEAD * 1.0);
  assert.equal(count(ways.slice(SPLIT_FIRST + PROBE_PHASE), 'alone'), 4 * PROBE_PHASE);
  assert.equal(choice.aloneJobs, 5 * PROBE_PHASE);
});

test('a split that is slow for its first jobs after a stretch alone (the worker asleep) is judged on the jobs after them, and chosen', () => {
  const choice = new ThreadChoice();
  // Split: 1.3 ms for the first two jobs in a row (1.2 for the first 20 of all), 0.6 after; alone 1.0. Judged job by job, the
  // probes of a split would read it cold every time.
  let splits = 0;
  const ways = drive(choice, 'dw', SPLIT_FIRST + 3 * (PROBE_PHASE + FAR_PHASES * CHOSEN_PHASE), (way, inARow) => {
    if (way === 'alone') return 1.0;
    splits++;
    return splits <= 20 ? 1.2 : inARow <= 2 ? 1.3 : 0.6;
  });
  const after = ways.slice(SPLIT_FIRST + PROBE_PHASE);
  assert.ok(count(after, 'split') >= after.length - 3 * PROBE_PHASE, `split ${count(after, 'split')} of ${after.length}`);
});

test('where a split is slower (a busy machine), the jobs run alone, a split is timed again after each phase, and splitting resumes once it is faster again', () => {
  const choice = new ThreadChoice();
  let busy = true;
  // Busy: a split costs 1.2 ms against 1.0 alone (close: split is timed after every chosen phase). Then idle: split 0.6.
  const cost = (way: Way): number => (way === 'alone' ? 1.0 : busy ? 1.2 : 0.6);
  const phases = 6;
  const first = drive(choice, 'cnn', SPLIT_FIRST + PROBE_PHASE + phases * (CHOSEN_PHASE + PROBE_PHASE), cost);
  const settled = first.slice(SPLIT_FIRST + PROBE_PHASE);
  assert.equal(count(settled, 'alone'), phases * CHOSEN_PHASE);
  assert.equal(count(settled, 'split'), phases * PROBE_PHASE);
  busy = false;
  // The next split phase times 0.6: from then on split is the choice.
  const later = drive(choice, 'cnn', 2 * (CHOSEN_PHASE + PROBE_PHASE) + CHOSEN_PHASE, cost);
  assert.deepEqual(later.slice(-CHOSEN_PHASE), new Array<Way>(CHOSEN_PHASE).fill('split'));
});

test('shapes are timed apart: one slow to split does not keep another from splitting; a timing that is no number is ignored', () => {
  const choice = new ThreadChoice();
  drive(choice, 'forward', SPLIT_FIRST + 300, (way) => (way === 'split' ? 2 : 1));
  const other = drive(choice, 'gradient', SPLIT_FIRST + 300, (way, inARow) => (way === 'split' ? (inARow === 3 ? Number.NaN : 1) : 2));
  // 300 jobs after the first split phase: 8 alone, then split but for one more alone phase after FAR_PHASES of split.
  assert.equal(count(other.slice(SPLIT_FIRST), 'alone'), 2 * PROBE_PHASE);
  assert.equal(count(drive(choice, 'forward', 100, (way) => (way === 'split' ? 2 : 1)), 'alone') >= 80, true);
});
