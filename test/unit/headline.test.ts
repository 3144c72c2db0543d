/** The headline rule (src/core/headline.ts) on synthetic curves with known answers, run through the real tracker. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CROSS_ENTROPY_CAP, RangeTestTracker, lrSweep } from '../../src/core/rangeTest';
import { BLOW_UP_MARGIN, recommend } from '../../src/core/headline';
import { MAX_HALF_WINDOW_DECADES } from '../../src/core/curveShape';
import { mulberry32 } from '../../src/core/random';
import type { RangePoint } from '../../src/protocol/results';

function gaussian(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A 100-step range test 1e-7 → 10 on `curve(x)`, x = log10(lr), with multiplicative noise. */
function rangeTest(curve: (x: number, i: number) => number, options: { noise?: number; seed?: number; lossCap?: number } = {}): { points: RangePoint[]; stop: string | null } {
  const noise = gaussian(options.seed ?? 1);
  const tracker = new RangeTestTracker({ lossCap: options.lossCap ?? null });
  for (const [i, lr] of lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' }).entries()) {
    const { stop } = tracker.push(lr, curve(Math.log10(lr), i) * (1 + (options.noise ?? 0) * noise()));
    if (stop !== null) return { points: tracker.points, stop };
  }
  return { points: tracker.points, stop: null };
}

function near(lr: number | undefined, x: number, decades: number, what: string): void {
  assert.ok(lr !== undefined && Math.abs(Math.log10(lr) - x) <= decades, `${what}: 10^${lr === undefined ? '?' : Math.log10(lr).toFixed(2)}, expected 10^${x.toFixed(2)} ± ${decades}`);
}

/**
 * Falls from 2.3 to 0.3 around x = −3, bottoms at x = −1, blows up after: back above 2.3 at
 * x = −1 + ln(3)/3 ≈ −0.634. Known headline: min(10^−1, 10^−0.634 / 3) = 10^−1.11.
 */
const curveA = (x: number): number => 2.3 - 2 / (1 + Math.exp(-3 * (x + 3))) + (x > -1 ? Math.expm1(3 * (x + 1)) : 0);
const A_HEADLINE = Math.min(-1, -1 + Math.log(3) / 3 - Math.log10(BLOW_UP_MARGIN));

test('clean curve: the headline is the lower of the lowest point and a third of the blow-up, minLr = maxLr/10', () => {
  const h = recommend(rangeTest(curveA).points);
  assert.ok(h !== null);
  near(h.maxLr, A_HEADLINE, 0.12, 'headline');
  assert.equal(h.minLr, h.maxLr / 10);
  assert.match(h.reason, /climbs back above its start/);
});

test('noisy curves (5% and 10% per batch): the headline only moves to the safe side, by at most the fit window (0.5 decade)', () => {
  // Noise widens the centred fit (up to ±MAX_HALF_WINDOW_DECADES); a wide window blurs the sharp
  // turn-up into the minimum, which moves it left, never right into the blow-up.
  for (const noise of [0.05, 0.1]) {
    for (const seed of [1, 2, 3, 4, 5]) {
      const h = recommend(rangeTest(curveA, { noise, seed }).points);
      assert.ok(h !== null);
      const at = Math.log10(h.maxLr);
      assert.ok(at <= A_HEADLINE + 0.1 && at >= A_HEADLINE - MAX_HALF_WINDOW_DECADES, `noise ${noise} seed ${seed}: 10^${at.toFixed(2)} vs clean 10^${A_HEADLINE.toFixed(2)}`);
    }
  }
});

test('capped-loss curve: tfjs pins the cross-entropy near 16.1, the test stops as diverged, and the headline stays a factor 3 below the blow-up', () => {
  // Chance 2.3 → 1.0 around x = −2, flat to x = −0.5, then up 16.25 per decade to the cap (pinned from x ≈ 0.3).
  const capped = (x: number): number => Math.min(CROSS_ENTROPY_CAP * 0.95, x < -0.5 ? 2.3 - 1.3 / (1 + Math.exp(-3 * (x + 2))) : 1.0 + 16.25 * (x + 0.5));
  const { points, stop } = rangeTest(capped, { lossCap: CROSS_ENTROPY_CAP });
  assert.equal(stop, 'diverged');
  const h = recommend(points);
  assert.ok(h !== null);
  // Back above 2.3 at x = −0.5 + 1.3/16.25 = −0.42; a third of that is 10^−0.90, below the lowest point (−0.5).
  near(h.maxLr, -0.42 - Math.log10(BLOW_UP_MARGIN), 0.12, 'headline');
  assert.match(h.reason, /^a third of /);
});

test('a curve still falling at the end: the headline is the last point read, and the reason says to raise --end-lr', () => {
  const h = recommend(rangeTest((x) => 2.3 - 0.2 * (x + 7)).points);
  assert.ok(h !== null);
  // Candidates end 5 points before the last (index 94 of 100): x = −7 + 8·94/99.
  near(h.maxLr, -7 + (8 * 94) / 99, 0.01, 'headline');
  assert.match(h.reason, /still falling .* raise --end-lr/);
});

test('a flat curve (noise around 2.3) gets no headline', () => {
  assert.equal(recommend(rangeTest(() => 2.3, { noise: 0.02 }).points), null);
});

test('too few points get no headline', () => {
  assert.equal(recommend(rangeTest(curveA).points.slice(0, 12)), null);
});
