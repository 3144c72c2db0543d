import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeTestTracker, lrSweep } from '../../src/core/rangeTest';
import { mulberry32 } from '../../src/core/random';
import type { RangePoint } from '../../src/protocol/results';
import { STABLE_RISE_OF_DROP, summarizeCurve } from '../../src/core/sweepCurve';
import { TIE_FRACTION_OF_SCALE, bestBalance } from '../../src/core/balance';
import type { CurveFacts } from '../../src/core/balance';

function gaussian(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A range test from 1e-7 to 10 (100 steps) on `curve(log10 lr)` through the real tracker, with multiplicative noise. */
function rangeTest(curve: (x: number) => number, noise = 0, seed = 1): RangePoint[] {
  const g = gaussian(seed);
  const tracker = new RangeTestTracker();
  for (const lr of lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' })) {
    if (tracker.push(lr, curve(Math.log10(lr)) * (1 + noise * g())).stop !== null) break;
  }
  return tracker.points;
}

/** The facts bestBalance reads, from a curve's summary (as sweep.ts builds them). */
function facts(label: string, points: readonly RangePoint[], weightDecay = 0): CurveFacts {
  const s = summarizeCurve(points);
  return { label, minLoss: s.minSmoothedLoss, lrAtMinLoss: s.lrAtMinLoss, stableRange: s.stableRange, stableDecades: s.stableDecades, divergedAt: s.blowUpLr, startLoss: s.startLoss, levelNoise: s.levelNoise, weightDecay };
}

/** Falls from 2.3 by a sigmoid centred at x = −3 and keeps falling, slowly, to the last LR: no turn-up. */
const fallsToTheEnd = (x: number): number => 0.3 + 2 / (1 + Math.exp(3 * (x + 3))) - 0.02 * (x + 3);
/** The same fall, then a blow-up past x = `turn`. */
const turnsUpAt = (turn: number) => (x: number): number => 0.3 + 2 / (1 + Math.exp(3 * (x + 3))) + (x > turn ? Math.expm1(3 * (x - turn)) : 0);

test('a curve that falls smoothly to the end of the sweep has a stable range that reaches the end', () => {
  for (const noise of [0, 0.03]) {
    const points = rangeTest(fallsToTheEnd, noise);
    assert.equal(points.length, 100, 'no divergence stop');
    const s = summarizeCurve(points);
    assert.ok(s.stableRange !== null, `noise ${noise}: a stable range`);
    assert.equal(s.stableRange.maxLr, points.at(-1)!.lr, `noise ${noise}: it reaches the last LR of the sweep`);
    assert.ok(Math.abs(Math.log10(s.stableRange.minLr) - -4.1) < 0.4, `noise ${noise}: it starts where the loss starts clearly falling, got ${s.stableRange.minLr}`);
    assert.equal(s.blowUpLr, null);
  }
});

test('a loss that reaches ~zero and stays there is stable along the whole floor (the separable-data case)', () => {
  // Falls to 1e-7 by LR 0.7 and stays there to LR 10: the stable range must not stop at the end of the fall.
  const points = rangeTest((x) => Math.max(1e-7, 0.7 / (1 + Math.exp(4 * (x + 2.5)))));
  const s = summarizeCurve(points);
  assert.ok(s.stableRange !== null);
  assert.equal(s.stableRange.maxLr, points.at(-1)!.lr);
  assert.ok(s.minSmoothedLoss !== null && s.minSmoothedLoss < 0.01, `min ${s.minSmoothedLoss}`);
});

test('a curve that turns up ends its stable range at the turn-up, before the raw-loss blow-up', () => {
  const points = rangeTest(turnsUpAt(-1));
  const s = summarizeCurve(points);
  assert.ok(s.stableRange !== null && s.blowUpLr !== null && s.lrAtMinLoss !== null);
  const end = Math.log10(s.stableRange.maxLr);
  assert.ok(end >= Math.log10(s.lrAtMinLoss) && end < -0.6, `stable range ends at 10^${end.toFixed(2)}, the curve turns up at 10^-1`);
  assert.ok(s.stableRange.maxLr < s.blowUpLr, 'before the blow-up');
  // The blow-up: where 0.3 + expm1(3(x+1)) passes the start (2.3): x ≈ -0.63, read on the lightly smoothed raw loss.
  assert.ok(Math.abs(Math.log10(s.blowUpLr) - -0.63) < 0.15, `blow-up at ${s.blowUpLr}`);
  assert.ok(STABLE_RISE_OF_DROP > 0);
});

test('curves that differ only in the noise are a tie, and the reason says so', () => {
  const a = facts('wd 1e-3', rangeTest(turnsUpAt(-1), 0.05, 1), 1e-3);
  const b = facts('wd 1e-4', rangeTest(turnsUpAt(-1), 0.05, 2), 1e-4);
  assert.notEqual(a.minLoss, b.minLoss, 'the noise makes the minima differ');
  const balance = bestBalance([a, b]);
  assert.equal(balance.tie, true);
  assert.match(balance.reason, /^A tie/);
  assert.match(balance.reason, /a difference no training outcome would show/);
  assert.doesNotMatch(balance.reason, /stays higher|too much regularization/);
});

test('curves that all reach ~zero loss are a tie decided by the stable range', () => {
  // The issue's case: 1.2e-7 vs 8.4e-4 vs 4.4e-3 from a start of 0.7; the one that reaches zero earliest is stable over the widest range.
  const floorAt = (floor: number, centre: number) => (x: number): number => Math.max(floor, 0.7 / (1 + Math.exp(4 * (x - centre)))) + (x > -0.2 ? Math.expm1(3 * (x + 0.2)) : 0);
  const curves = [facts('wd 1e-2', rangeTest(floorAt(4.4e-3, -1.5)), 1e-2), facts('wd 1e-3', rangeTest(floorAt(8.4e-4, -2.5)), 1e-3), facts('wd 0', rangeTest(floorAt(1.2e-7, -3.5)), 0)];
  const balance = bestBalance(curves);
  assert.equal(balance.tie, true);
  assert.equal(balance.best, 2, balance.reason);
  assert.match(balance.reason, /^A tie on loss — wd 0, .* reach lowest losses within 0\.035 of the lowest \(5% of the starting loss 0\.7/);
  assert.match(balance.reason, /decided by the stable range: wd 0 is stable from .* the widest/);
  assert.doesNotMatch(balance.reason, /stays higher/);
});

test('a real difference (more than the tie band) is decided by the loss, with words for the others', () => {
  const scaled = (k: number, turn: number) => (x: number): number => 0.3 + k + (2 - k) / (1 + Math.exp(3 * (x + 3))) + (x > turn ? Math.expm1(3 * (x - turn)) : 0);
  const curves = [facts('wd 1e-2', rangeTest(scaled(0.6, -0.5)), 1e-2), facts('wd 1e-3', rangeTest(scaled(0, -1)), 1e-3), facts('wd 1e-4', rangeTest(scaled(0.4, -2.6)), 1e-4)];
  const balance = bestBalance(curves);
  assert.equal(balance.tie, false);
  assert.equal(balance.best, 1);
  assert.match(balance.reason, /^wd 1e-3 reaches the lowest loss \(0\.3\d*\), stable from/);
  assert.match(balance.reason, /wd 1e-4 bottoms early \(at [\d.e-]+\) and rises: too little regularization/);
  assert.match(balance.reason, /wd 1e-2 stays higher \(0\.9\d*\): too much regularization/);
  // The same curves at another momentum each: the differences are momentum's too, so no regularization verdict.
  const mixed = bestBalance(curves.map((c, i) => ({ ...c, momentum: [0.8, 0.9, 0.99][i]! })));
  assert.equal(mixed.best, 1);
  assert.match(mixed.reason, /wd 1e-2 stays higher \(0\.9\d*\)(;|\.)/);
  assert.doesNotMatch(mixed.reason, /regularization/);
  // More dropout on the training loss: it sits higher by dropout's own noise too, so no "too much regularization" claim.
  const dropped = [0.5, 0, 0].map((d, i) => ({ ...curves[i]!, weightDecay: 1e-3, dropout: d, label: `dropout ${d}` }));
  const onTrain = bestBalance(dropped, null, { trainSignal: true });
  assert.match(onTrain.reason, /dropout 0\.5 stays higher \(0\.9\d*\): on the training loss, partly dropout's own noise \(--signal val tells how much is too much regularization\)/);
  assert.match(bestBalance(dropped, null, { trainSignal: false }).reason, /dropout 0\.5 stays higher \(0\.9\d*\): too much regularization/);
});

test('the baseline loss, when given, is the scale of the tie band', () => {
  const curve = (label: string, minLoss: number, decades: number): CurveFacts => ({ label, minLoss, lrAtMinLoss: 0.1, stableRange: { minLr: 0.1 / 10 ** decades, maxLr: 0.1 }, stableDecades: decades, divergedAt: null, startLoss: 1 });
  const pair = [curve('a', 0.5, 1), curve('b', 0.56, 2)];
  assert.equal(bestBalance(pair).tie, false, `0.06 apart is more than ${TIE_FRACTION_OF_SCALE} × the start 1`);
  const withBaseline = bestBalance(pair, 2.3);
  assert.equal(withBaseline.tie, true, '0.06 apart is within 5% of a baseline of 2.3');
  assert.equal(withBaseline.best, 1, 'decided by the wider stable range');
  assert.match(withBaseline.reason, /5% of the baseline loss 2\.3/);
});

test('a tie on loss and on stable range lists the least regularization and says the range tests do not separate them', () => {
  const curve = (label: string, minLoss: number, weightDecay: number): CurveFacts => ({ label, minLoss, lrAtMinLoss: 0.1, stableRange: { minLr: 1e-3, maxLr: 0.1 }, stableDecades: 2, divergedAt: null, startLoss: 1.4, weightDecay });
  const balance = bestBalance([curve('wd 1e-2', 1.00, 1e-2), curve('wd 1e-3', 1.02, 1e-3), curve('wd 0', 1.03, 0)]);
  assert.equal(balance.tie, true);
  assert.equal(balance.best, 2);
  assert.match(balance.reason, /^A tie — wd 0, wd 1e-2, wd 1e-3 reach lowest losses within 0\.07 of the lowest .*: these range tests do not separate them; wd 0 is listed as the least regularization of them/);
});

test('noisy curves: the tie band is the noise of their levels, and the reason says that, not 5% of the scale', () => {
  const curve = (label: string, minLoss: number, weightDecay: number): CurveFacts => ({ label, minLoss, lrAtMinLoss: 0.03, stableRange: null, stableDecades: 0, divergedAt: null, startLoss: 2.6, weightDecay, levelNoise: 0.17 });
  const balance = bestBalance([curve('wd 1e-2', 1.83, 1e-2), curve('wd 1e-4', 1.66, 1e-4)]);
  assert.equal(balance.tie, true, '0.17 apart, within 3 × √2 × 0.17 = 0.72');
  assert.match(balance.reason, /reach lowest losses within 0\.72\d* of the lowest \(3× the noise of the difference between the curves' fitted lowest levels, more than 5% of the starting loss 2\.6\): a difference these range tests cannot tell from noise/);
  assert.doesNotMatch(balance.reason, /\(5% of the starting loss/);
});

test('no finite curve: no pick, and the reason says what to do', () => {
  const { best, tie, reason } = bestBalance([{ label: 'a', minLoss: null, lrAtMinLoss: null, stableRange: null, stableDecades: 0, divergedAt: null }]);
  assert.equal(best, null);
  assert.equal(tie, false);
  assert.match(reason, /Lower --start-lr/);
});
