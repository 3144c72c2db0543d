import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeTestTracker, lrSweep } from '../../src/core/rangeTest';
import { suggest, summarizeCurve, valleyIndex } from '../../src/core/suggestions';
import { mulberry32 } from '../../src/core/random';
import type { RangePoint } from '../../src/protocol/results';

/**
 * A synthetic range test with known answers: loss = 2.3 − 2·sigmoid(3·(x+3)) + blow-up past
 * x = −1 (x = log10 lr). The steepest descent is at x = −3 (lr 1e-3); the loss stops clearly
 * falling (slope > −10% of the 2.0 drop per decade) at x ≈ −1.9 and turns up near x ≈ −1.
 */
function lossAt(lr: number): number {
  const x = Math.log10(lr);
  const fall = 2.3 - 2 / (1 + Math.exp(-3 * (x + 3)));
  return fall + (x > -1 ? Math.expm1(3 * (x + 1)) : 0);
}

function run(noise = 0, seed = 1, transform: (l: number, i: number) => number = (l) => l): RangePoint[] {
  const random = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const tracker = new RangeTestTracker();
  for (const [i, lr] of lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' }).entries()) {
    const loss = transform(lossAt(lr) * (1 + noise * gauss()), i);
    if (tracker.push(lr, loss).stop !== null) break;
  }
  return tracker.points;
}

const decade = (a: number, b: number): number => Math.abs(Math.log10(a) - Math.log10(b));

test('clean curve: steep at the known steepest LR, Smith range below the turn-up, all reasons', () => {
  const points = run();
  const s = suggest(points);
  assert.ok(s.suggestions.steep !== null && decade(s.suggestions.steep, 1e-3) < 0.25, `steep ${s.suggestions.steep}`);
  assert.ok(s.range !== null);
  assert.ok(decade(s.range.maxLr, 10 ** -1.9) < 0.3, `maxLr ${s.range.maxLr}`);
  assert.ok(Math.abs(s.range.minLr - s.range.maxLr / 10) < 1e-15);
  assert.ok(s.suggestions.valley !== null && s.suggestions.valley > 1e-5 && s.suggestions.valley < 0.1, `valley ${s.suggestions.valley}`);
  assert.ok(s.suggestions.minimum !== null && s.suggestions.minimum < 0.1);
  assert.match(s.reasons.steep, /steepest descent: -\d.* per decade at/);
  assert.match(s.reasons.range, /clearly falling/);
  assert.ok(points.length < 100, 'the blow-up stopped the test');
});

test('noisy curve (5% multiplicative noise): suggestions stay in the right decade', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const s = suggest(run(0.05, seed));
    assert.ok(s.suggestions.steep !== null && decade(s.suggestions.steep, 1e-3) < 0.5, `seed ${seed} steep ${s.suggestions.steep}`);
    assert.ok(s.range !== null && decade(s.range.maxLr, 10 ** -1.9) < 0.5, `seed ${seed} maxLr ${s.range?.maxLr}`);
  }
});

test('a NaN tail never becomes a suggestion', () => {
  const points = run(0, 1, (l, i) => (i >= 75 ? Number.NaN : l));
  assert.equal(points.at(-1)!.loss, null);
  const s = suggest(points);
  for (const lr of [s.suggestions.steep, s.suggestions.valley, s.suggestions.minimum, s.range?.maxLr ?? null]) {
    assert.ok(lr !== null && Number.isFinite(lr) && lr < points.at(-1)!.lr, String(lr));
  }
});

test('flat curve: no steep point, no range, and the reason says the loss did not fall', () => {
  const points = run(0, 1, () => 1.0);
  const s = suggest(points);
  assert.equal(s.suggestions.steep, null);
  assert.equal(s.range, null);
  assert.match(s.reasons.range, /barely fell/);
});

test('too short: every suggestion null with a "not enough points" reason, no throw', () => {
  const s = suggest(run().slice(0, 8));
  assert.deepEqual(s.suggestions, { steep: null, valley: null, minimum: null });
  assert.equal(s.range, null);
  assert.match(s.reasons.valley, /not enough points/);
  assert.match(suggest([]).reasons.range, /not enough points/);
});

test('valley: longest decreasing subsequence with fastai index rule', () => {
  // LDS of [5,9,4,8,3,7,2,1,6] is 5,4,3,2,1 (length 5) ending at index 7.
  // fastai: start = 7 - 5 = 2, sections = 5/3 → idx = 2 + 1 + 0 = 3.
  assert.equal(valleyIndex([5, 9, 4, 8, 3, 7, 2, 1, 6]), 3);
  assert.equal(valleyIndex([]), null);
  assert.equal(valleyIndex([1]), 0);
});

test('curve summary: min loss, LR at it, and a stable range of positive width', () => {
  const summary = summarizeCurve(run());
  assert.ok(summary.minSmoothedLoss !== null && summary.minSmoothedLoss < 0.5);
  assert.ok(summary.stableRange !== null);
  assert.ok(summary.stableDecades > 1 && summary.stableDecades < 4, `decades ${summary.stableDecades}`);
});
