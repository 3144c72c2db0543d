/** The headline rule (src/core/headline.ts) on synthetic curves with known answers, run through the real tracker. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CROSS_ENTROPY_CAP, RangeTestTracker, lrSweep } from '../../src/core/rangeTest';
import { AT_ZERO, BLOW_UP_FLOOR, BLOW_UP_MARGIN, MIN_HALF_WINDOW, blowUpEdge, blowUpLr, SQUARED_ERROR_FACTOR, bottomIndex, levelHalfWindow, medianPick, recommend } from '../../src/core/headline';
import { MAX_HALF_WINDOW_DECADES, curveShape } from '../../src/core/curveShape';
import { mulberry32 } from '../../src/core/random';
import type { RangePoint } from '../../src/protocol/results';

function gaussian(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A 100-step range test 1e-7 → 10 on `curve(x)`, x = log10(lr), with multiplicative noise. */
function rangeTest(curve: (x: number, i: number) => number, options: { noise?: number; seed?: number; lossCap?: number; steps?: number } = {}): { points: RangePoint[]; stop: string | null } {
  const noise = gaussian(options.seed ?? 1);
  const tracker = new RangeTestTracker({ lossCap: options.lossCap ?? null });
  for (const [i, lr] of lrSweep({ startLr: 1e-7, endLr: 10, steps: options.steps ?? 100, sweep: 'exp' }).entries()) {
    const { stop } = tracker.push(lr, curve(Math.log10(lr), i) * (1 + (options.noise ?? 0) * noise()));
    if (stop !== null) return { points: tracker.points, stop };
  }
  return { points: tracker.points, stop: null };
}

function near(lr: number | undefined, x: number, decades: number, what: string): void {
  assert.ok(lr !== undefined && Math.abs(Math.log10(lr) - x) <= decades, `${what}: 10^${lr === undefined ? '?' : Math.log10(lr).toFixed(2)}, expected 10^${x.toFixed(2)} ± ${decades}`);
}

/** Points of the 100-step test are 8/99 ≈ 0.081 decade apart; the last one left of x = −1 is index 74 (x ≈ −1.02). */
const SPACING = 8 / 99;
const LAST_BEFORE_MINUS_ONE = -7 + (8 * 74) / 99;

/**
 * Falls from 2.3 to 0.3 around x = −3, bottoms at x = −1 (a kink), blows up after: back above 2.3
 * at x = −1 + ln(3)/3 ≈ −0.634, far enough that the blow-up margin does not act. Known headline:
 * the bottom, 10^−1, read by a ±2-point line at most two points before the last point left of
 * the kink (the line through a kink leans on the rise).
 */
const curveA = (x: number): number => 2.3 - 2 / (1 + Math.exp(-3 * (x + 3))) + (x > -1 ? Math.expm1(3 * (x + 1)) : 0);

test('clean curve: the headline is where the loss bottoms out, minLr = maxLr/10', () => {
  const h = recommend(rangeTest(curveA).points);
  assert.ok(h !== null);
  const at = Math.log10(h.maxLr);
  assert.ok(at <= -1 && at >= LAST_BEFORE_MINUS_ONE - 2 * SPACING - 0.005, `headline 10^${at.toFixed(2)}, expected the bottom 10^-1 at most two points early`);
  assert.equal(h.minLr, h.maxLr / 10);
  assert.match(h.reason, /^where the loss bottoms out \(it climbs back above its start at /);
});

test('a squared-error loss (meanSquaredError) takes half the bottom and says why; other losses take the bottom itself', () => {
  const points = rangeTest(curveA).points;
  const plain = recommend(points, 'categoricalCrossentropy');
  const squared = recommend(points, 'meanSquaredError');
  assert.ok(plain !== null && squared !== null);
  assert.equal(SQUARED_ERROR_FACTOR, 0.5);
  assert.ok(Math.abs(squared.maxLr - plain.maxLr * SQUARED_ERROR_FACTOR) < 1e-12);
  assert.match(squared.reason, /^half of .*, where the loss bottoms out: a squared-error loss/);
  assert.deepEqual(recommend(points, 'meanAbsoluteError'), plain);
});

test('noisy curves (5% and 10% per batch): the bottom moves at most half a decade, and only to the safe side (by one point at most to the right)', () => {
  for (const noise of [0.05, 0.1]) {
    for (const seed of [1, 2, 3, 4, 5]) {
      const h = recommend(rangeTest(curveA, { noise, seed }).points);
      assert.ok(h !== null);
      const at = Math.log10(h.maxLr);
      assert.ok(at <= -1 + SPACING && at >= -1 - MAX_HALF_WINDOW_DECADES, `noise ${noise} seed ${seed}: 10^${at.toFixed(2)} vs the bottom 10^-1`);
    }
  }
});

/**
 * A sharp dip (a CNN's curve): steep fall around x = −1.6, bottom at −1, steep blow-up right after
 * (back above the start at x ≈ −0.86, so here the blow-up margin sets the headline; this test reads
 * the bottom itself). The shape's own fit is sized for slopes and, under 5% noise, widens and puts
 * its lowest point 0.4 decade early; the level fit stays narrow (its level noise is already
 * small) and reads the dip within three points.
 */
const curveB = (x: number): number => 2.3 - 2 / (1 + Math.exp(-8 * (x + 1.6))) + (x > -1 ? Math.expm1(8 * (x + 1)) : 0);

test('a sharp dip under 5% noise: the level fit reads the bottom where the slope-sized fit smears it left', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const shape = curveShape(rangeTest(curveB, { noise: 0.05, seed }).points);
    assert.ok(shape !== null);
    const at = Math.log10(shape.lrs[bottomIndex(shape)]!);
    const wide = Math.log10(shape.lrs[shape.minIndex]!);
    assert.ok(at >= LAST_BEFORE_MINUS_ONE - 3 * SPACING - 0.005 && at <= -1, `seed ${seed}: bottom 10^${at.toFixed(2)}, expected 10^-1 within three points`);
    assert.ok(at - wide >= 0.15, `seed ${seed}: bottom 10^${at.toFixed(2)} vs the wide fit's lowest point 10^${wide.toFixed(2)}`);
  }
});

test('the level window is ±2 points on a clean curve and widens with the noise, never past the shape\'s own', () => {
  const clean = curveShape(rangeTest(curveA).points);
  assert.ok(clean !== null);
  assert.equal(levelHalfWindow(clean), MIN_HALF_WINDOW);
  const noisy = curveShape(rangeTest(curveA, { noise: 0.2, seed: 3 }).points);
  assert.ok(noisy !== null);
  assert.ok(levelHalfWindow(noisy) > MIN_HALF_WINDOW && levelHalfWindow(noisy) <= noisy.halfWindow, `window ±${levelHalfWindow(noisy)} of ±${noisy.halfWindow}`);
});

test('capped-loss curve with a cliff right after the bottom: the test stops as diverged, and the headline stays BLOW_UP_MARGIN below the blow-up', () => {
  // Chance 2.3 → 1.0 around x = −2, still easing down to x = −0.5, then up 50 per decade to tfjs's cap.
  const cliff = (x: number): number => Math.min(CROSS_ENTROPY_CAP * 0.95, x < -0.5 ? 2.3 - 1.3 / (1 + Math.exp(-3 * (x + 2))) : 1.0 + 50 * (x + 0.5));
  const { points, stop } = rangeTest(cliff, { lossCap: CROSS_ENTROPY_CAP });
  assert.equal(stop, 'diverged');
  const h = recommend(points);
  assert.ok(h !== null);
  // Back above 2.3 at x = −0.5 + 1.3/50 = −0.474; the light fit (±2 points) reads a corner up to two
  // points early, the point grid up to one late. The bottom (−0.5) is closer to it than the margin.
  const at = Math.log10(h.maxLr) + Math.log10(BLOW_UP_MARGIN);
  assert.ok(at >= -0.474 - 2 * SPACING && at <= -0.474 + SPACING, `headline × ${BLOW_UP_MARGIN} = 10^${at.toFixed(2)}, expected the blow-up 10^-0.47`);
  assert.match(h.reason, new RegExp(`^${BLOW_UP_MARGIN}x below .*, where the loss climbs back above its start: it bottoms out at `));
  // The edge itself (what find-lr's trials back off from) is where the capped headline was placed below.
  const edge = blowUpEdge(points);
  assert.ok(edge !== null && Math.abs(edge / (h.maxLr * BLOW_UP_MARGIN) - 1) < 1e-9, `edge ${edge}, headline ${h.maxLr}`);
});

test('blowUpEdge: none on a curve that never climbs back above its start, nor without a curve', () => {
  const falling = rangeTest((x) => 2.3 - 2 / (1 + Math.exp(-3 * (x + 3)))).points;
  assert.equal(blowUpEdge(falling), null);
  assert.equal(blowUpEdge(falling.slice(0, 3)), null);
  // curveA climbs back above 2.3 a little past x = -1 + ln(1 + 2)/3 ≈ -0.63 (the fit reads it within two points).
  const edge = blowUpEdge(rangeTest(curveA).points);
  assert.ok(edge !== null && Math.abs(Math.log10(edge) + 0.63) <= 2 * SPACING, `edge ${edge}`);
});

/**
 * An early bottom that holds (a batch-normalized CNN's curve, or a regression whose first fall is
 * the output learning the target's mean): falls around x = −4.5, bottoms at x = −3.5, then rises
 * slowly (0.3 per decade) and stays far below its start until it blows up past x = −0.8 (back above
 * 2.3 near x = −0.6). Known headline: a decade below the blow-up, not the early bottom.
 */
const curveC = (x: number): number => 2.3 - 2 / (1 + Math.exp(-4 * (x + 4.5))) + (x > -3.5 ? 0.3 * (x + 3.5) : 0) + (x > -0.8 ? Math.expm1(4 * (x + 0.8)) : 0);

test('an early bottom that holds for decades: the headline is BLOW_UP_FLOOR below the blow-up, and says why', () => {
  for (const loss of ['categoricalCrossentropy', 'meanSquaredError']) {
    const points = rangeTest(curveC, { noise: 0.03, seed: 2 }).points;
    const shape = curveShape(points);
    assert.ok(shape !== null);
    const bottom = shape.lrs[bottomIndex(shape)]!;
    near(bottom, -3.5, 0.4, 'bottom');
    const blowUp = blowUpLr(shape, bottomIndex(shape));
    assert.ok(blowUp !== null);
    near(blowUp, -0.6, 2 * SPACING, 'blow-up');
    const h = recommend(points, loss);
    assert.ok(h !== null);
    assert.equal(BLOW_UP_FLOOR, 10);
    assert.ok(Math.abs(h.maxLr - blowUp / BLOW_UP_FLOOR) < 1e-12, `${loss}: headline ${h.maxLr} vs blow-up ${blowUp}`);
    assert.match(h.reason, new RegExp(`^${BLOW_UP_FLOOR}x below .*, where the loss climbs back above its start, and no lower: it bottoms out at .*, 2\\.\\d decades before that edge`));
  }
  // The clean curve's bottom is 0.37 decade below its blow-up: the floor does not act there.
  assert.match(recommend(rangeTest(curveA).points)!.reason, /^where the loss bottoms out/);
});

test('a curve still falling at the end: the headline is the last point read, and the reason says to raise --end-lr', () => {
  const h = recommend(rangeTest((x) => 2.3 - 0.2 * (x + 7)).points);
  assert.ok(h !== null);
  // Candidates end 5 points before the last (index 94 of 100): x = −7 + 8·94/99.
  near(h.maxLr, -7 + (8 * 94) / 99, 0.01, 'headline');
  assert.match(h.reason, /^the loss is still falling at \S+, the last point read \(the test's last 5 points, to 10, are left out: a fit at its edge is unreliable\): raise --end-lr to see where it bottoms out$/);
  // 40 steps (0.2 decade apart): still falling at the last point read, blown up a decade on, in the
  // last points (not read): no higher --end-lr to ask for.
  const blown = recommend(rangeTest((x, i) => (i < 39 ? 2.3 - 0.2 * (x + 7) : 50), { steps: 40 }).points);
  assert.ok(blown !== null);
  assert.match(blown.reason, /^the loss is still falling at \S+, the last point read \(the test's last \d+ points, to 10, are left out: a fit at its edge is unreliable\); past it, it climbs back above its start at \S+$/);
  assert.doesNotMatch(blown.reason, /--end-lr/);
});

test('a loss that reaches zero and creeps on down: the bottom is where it got there, not the last point read', () => {
  // A user's LSTM: at chance (1.1) up to x = −2.5, at ~1e-4 by x = −1.5, then creeping from 1e-4 to 1e-7 up to the end
  // (read as "still falling at 89.1, raise --end-lr": an Adam headline of 89 that a recipe then trained at).
  const zeroed = (x: number): number => (x < -2.5 ? 1.1 : x < -1.5 ? 1.1 * Math.pow(1e-4 / 1.1, x + 2.5) : 1e-4 * Math.pow(1e-3, (x + 1.5) / 2.5));
  const { points } = rangeTest(zeroed);
  const shape = curveShape(points)!;
  const at = bottomIndex(shape);
  near(shape.lrs[at], -1.8, 0.25, 'bottom: where the loss fell under 1e-3 of its start');
  const h = recommend(points)!;
  near(h.maxLr, -1.8, 0.25, 'headline');
  assert.doesNotMatch(h.reason, /still falling|--end-lr/);
  assert.match(h.reason, /^where the loss reaches zero \(under 0\.1% of its start: the batches are fitted perfectly from there, and lower readings are rounding\)$/);
  // A curve that stays clear of zero keeps its lowest point (curveA's bottom is 0.3 of 2.3).
  assert.equal(AT_ZERO, 1e-3);
  near(recommend(rangeTest(curveA).points)!.maxLr, -1.1, 0.2, 'curveA');
});

test('a loss that goes below zero (Poisson, cosine proximity): zero is no floor, the bottom is its lowest point', () => {
  // From 1.2 through 0 (at x = −2.875) down to −2 at x = −1, then climbing: a Poisson range test.
  const signed = (x: number): number => (x < -4 ? 1.2 : x < -1 ? 1.2 - (3.2 * (x + 4)) / 3 : -2 + 4 * (x + 1));
  const { points } = rangeTest(signed);
  const shape = curveShape(points)!;
  near(shape.lrs[bottomIndex(shape)], -1, 0.25, 'bottom: the lowest point, not where the loss crossed zero');
  const h = recommend(points)!;
  assert.ok(Math.log10(h.maxLr) > -2.5, `headline ${h.maxLr}: past the zero crossing`);
  assert.doesNotMatch(h.reason, /reaches zero/);
});

test('a flat curve (noise around 2.3) gets no headline', () => {
  assert.equal(recommend(rangeTest(() => 2.3, { noise: 0.02 }).points), null);
});

test('too few points get no headline', () => {
  assert.equal(recommend(rangeTest(curveA).points.slice(0, 12)), null);
});

test('medianPick: the test whose headline is the median, the lower middle of an even count, none where no test has one', () => {
  assert.equal(medianPick([0.3, 0.1, 0.2]), 2);
  assert.equal(medianPick([0.3, null, 0.1]), 2, 'two with a headline: the lower');
  assert.equal(medianPick([null, 0.5, null]), 1);
  assert.equal(medianPick([null, null, null]), -1);
  assert.equal(medianPick([0.2, 0.2, 0.1]), 0, 'ties keep their order');
  assert.equal(medianPick([0.4, 0.1, 0.3, 0.2]), 3, 'four: the second lowest');
});
