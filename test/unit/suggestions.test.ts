import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeTestTracker, lrSweep } from '../../src/core/rangeTest';
import { MIN_POINTS, curveShape, noiseSigma, suggest, valley, valleyIndex } from '../../src/core/suggestions';
import { stableRange, summarizeCurve } from '../../src/core/sweepCurve';
import { fittedCurve } from '../../src/core/curveShape';
import type { RangePoint } from '../../src/protocol/results';
import { mulberry32 } from '../../src/core/random';
import { NO_FACTS } from '../../src/core/hints';

/** Seeded (core's mulberry32), so every noisy curve here is the same on every run. */
const prng = mulberry32;

function gaussian(seed: number): () => number {
  const random = prng(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Curve A, a function of x = log10(lr): loss = 2.3 − 2·sigmoid(3(x+3)), plus a blow-up
 * expm1(3(x+1)) past x = −1. Known answers: the steepest descent is at x = −3 (slope −1.5 per
 * decade); the slope rises above −10% of the 2.0 drop per decade (−0.2, "clearly falling") at
 * x = −3 + ln(0.9655/0.0345)/3 ≈ −1.89 and below it at ≈ −4.11; the loss is lowest at x ≈ −1.
 */
function curveA(x: number): number {
  return 2.3 - 2 / (1 + Math.exp(-3 * (x + 3))) + (x > -1 ? Math.expm1(3 * (x + 1)) : 0);
}
const A_STEEP = -3;
const A_FALL_ENDS = -3 + Math.log(0.9655 / 0.0345) / 3;
const A_FALL_STARTS = -3 - Math.log(0.9655 / 0.0345) / 3;
const A_TURN_UP = -1;

/**
 * Curve B: 2 until x = −5, then falling 0.4 per decade (a straight line in log LR) right up to
 * the turn-up at x = −1, where it blows up. Smith's maxLr is just below x = −1.
 */
function curveB(x: number): number {
  return x < -5 ? 2 : x < -1 ? 2 - 0.4 * (x + 5) : 0.4 + Math.expm1(2 * (x + 1));
}
const B_TURN_UP = -1;

interface RunOptions {
  readonly noise?: number;
  readonly seed?: number;
  readonly steps?: number;
  /** Replaces the loss of iteration i (NaN tails, flat curves ...). */
  readonly loss?: (loss: number, i: number) => number;
}

/** A range test on a synthetic curve through the real tracker (EMA, divergence stop). */
function rangeTest(curve: (x: number) => number, options: RunOptions = {}): RangePoint[] {
  const noise = gaussian(options.seed ?? 1);
  const tracker = new RangeTestTracker();
  for (const [i, lr] of lrSweep({ startLr: 1e-7, endLr: 10, steps: options.steps ?? 100, sweep: 'exp' }).entries()) {
    const clean = curve(Math.log10(lr)) * (1 + (options.noise ?? 0) * noise());
    if (tracker.push(lr, options.loss === undefined ? clean : options.loss(clean, i)).stop !== null) break;
  }
  return tracker.points;
}

const decade = (lr: number | null | undefined): number => {
  assert.ok(lr !== null && lr !== undefined && Number.isFinite(lr), `not an LR: ${lr}`);
  return Math.log10(lr);
};

function assertNear(lr: number | null | undefined, x: number, decades: number, what: string): void {
  const at = decade(lr);
  assert.ok(Math.abs(at - x) <= decades, `${what}: 10^${at.toFixed(2)}, expected 10^${x.toFixed(2)} ± ${decades} decade`);
}

test('clean curve A: steep at the known steepest LR, Smith range at the known end of the fall', () => {
  const points = rangeTest(curveA);
  assert.ok(points.length < 100, 'the blow-up stopped the test');
  const s = suggest(points);
  assertNear(s.suggestions.steep, A_STEEP, 0.1, 'steep');
  assert.ok(s.range !== null);
  assertNear(s.range.maxLr, A_FALL_ENDS, 0.15, 'maxLr');
  assert.ok(decade(s.range.maxLr) < A_TURN_UP, 'maxLr below the turn-up');
  assert.equal(s.range.minLr, s.range.maxLr / 10);
  assert.match(s.reasons.steep, /^steepest descent of the loss: -1\.\d+ per decade at 0\.001\d+$/);
  assert.match(s.reasons.range, /^loss still clearly falling \(-0\.\d+ per decade\) at 0\.01\d*, before it flattens/);
});

test('fastai minimum and valley read the recorded EMA over points [N//10 : N-5]', () => {
  const points = rangeTest(curveA);
  const s = suggest(points);
  const n = points.length;
  const candidates = points.slice(Math.floor(n / 10), n - 5);
  const smoothed = candidates.map((p) => p.smoothed!);
  const lowest = smoothed.indexOf(Math.min(...smoothed));
  assert.equal(s.suggestions.minimum, candidates[lowest]!.lr / 10);
  assert.equal(s.suggestions.valley, candidates[valleyIndex(smoothed)!]!.lr);
  // The EMA lags: its lowest point lies at or past the true turn-up, the valley inside the fall.
  assert.ok(decade(candidates[lowest]!.lr) >= A_TURN_UP - 0.1);
  assert.ok(decade(s.suggestions.valley) > A_FALL_STARTS && decade(s.suggestions.valley) < A_FALL_ENDS);
  assert.match(s.reasons.minimum, /^lowest EMA of the loss, \d\.\d+ at 0\.\d+ \(of the points read; the EMA lags the plotted curve\), divided by 10$/);
  assert.match(s.reasons.valley, /fastai's valley/);
});

test('curve B (falls right up to the turn-up): maxLr below the turn-up and within half a decade of it', () => {
  for (const [noise, seeds] of [[0, [1]], [0.05, [1, 2, 3, 4, 5]], [0.1, [1, 2, 3, 4, 5]]] as const) {
    for (const seed of seeds) {
      const s = suggest(rangeTest(curveB, { noise, seed }));
      const at = decade(s.range?.maxLr);
      assert.ok(at < B_TURN_UP && at > B_TURN_UP - 0.5, `noise ${noise} seed ${seed}: maxLr 10^${at.toFixed(2)}`);
    }
  }
});

test('noisy curve A (10% and 20% per-batch noise): steep and maxLr stay at the known LRs', () => {
  for (const noise of [0.1, 0.2]) {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const s = suggest(rangeTest(curveA, { noise, seed }));
      if (noise === 0.1) assertNear(s.suggestions.steep, A_STEEP, 0.35, `noise ${noise} seed ${seed} steep`);
      assert.ok(s.range !== null, `noise ${noise} seed ${seed}: ${s.reasons.range}`);
      assertNear(s.range.maxLr, A_FALL_ENDS, 0.3, `noise ${noise} seed ${seed} maxLr`);
    }
  }
});

test('noise does not fool the reading: same curve, 10% noise, the fit widens its window', () => {
  const clean = curveShape(rangeTest(curveA))!;
  const noisy = curveShape(rangeTest(curveA, { noise: 0.1, seed: 3 }))!;
  assert.equal(clean.halfWindow, 2);
  assert.ok(noisy.halfWindow > clean.halfWindow);
  assert.ok(Math.abs(noisy.drop - clean.drop) < 0.15, `drop ${noisy.drop} vs ${clean.drop}`);
});

test('noise estimate: σ of seeded white noise is recovered within 10%', () => {
  const noise = gaussian(11);
  const values = Array.from({ length: 2000 }, (_, i) => 5 - i / 1000 + 0.3 * noise());
  const sigma = noiseSigma(values);
  assert.ok(Math.abs(sigma - 0.3) < 0.03, `σ ${sigma}`);
});

test('a loss that gets ragged: maxLr stops before the scatter grows', () => {
  const noise = gaussian(3);
  const tracker = new RangeTestTracker();
  for (const lr of lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' })) {
    const x = Math.log10(lr);
    // Falls around x = -3; per-batch noise jumps from 0.01 to 0.5 at x = -2.
    tracker.push(lr, 2.3 - 2 / (1 + Math.exp(-2 * (x + 3))) + (x > -2 ? 0.5 : 0.01) * noise());
  }
  const s = suggest(tracker.points);
  assert.match(s.reasons.range, /before the loss gets ragged at/);
  assert.ok(s.range !== null && decade(s.range.maxLr) < -2 && decade(s.range.maxLr) > -2.6, `maxLr ${s.range?.maxLr}`);
  assert.ok(decade(s.suggestions.steep) < -2, `steep ${s.suggestions.steep}: the scatter past -2 is not a slope`);
});

test('a loss still falling when the test ends: maxLr is the last point read, and the reason says so', () => {
  const points = rangeTest((x) => 2 - 0.2 * (x + 7)); // 0.2 per decade all the way to endLr
  assert.equal(points.length, 100);
  const s = suggest(points);
  // [N//10 : N-5] ends at index 94, x = -7 + 8·94/99 ≈ 0.6.
  assertNear(s.range?.maxLr, -7 + (8 * 94) / 99, 0.01, 'maxLr');
  assert.match(s.reasons.range, /and still falling at the last point read/);
});

test('a NaN/Inf tail never becomes a suggestion', () => {
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
    // The loss turns NaN at iteration 60 (x ≈ -2.15, mid-fall); the tracker stops there.
    const points = rangeTest(curveA, { loss: (l, i) => (i >= 60 ? bad : l) });
    assert.equal(points.length, 61);
    assert.deepEqual(points.at(-1), { lr: points.at(-1)!.lr, loss: null, smoothed: null });
    const s = suggest(points);
    const lastUsable = points[points.length - 5 - 1]!.lr; // fastai's [N//10 : N-5]
    for (const lr of [s.suggestions.steep, s.suggestions.valley, s.suggestions.minimum, s.range?.maxLr]) {
      assert.ok(lr !== null && lr !== undefined && Number.isFinite(lr) && lr <= lastUsable, `suggested ${lr}, last usable ${lastUsable}`);
    }
    assertNear(s.suggestions.steep, A_STEEP, 0.15, 'steep');
  }
});

test('points after a NaN in the middle are not used either (fastai cuts at the first NaN)', () => {
  const points = rangeTest(curveA).map((p, i) => (i === 50 ? { ...p, loss: null, smoothed: null } : p));
  const s = suggest(points);
  for (const lr of [s.suggestions.steep, s.suggestions.valley, s.suggestions.minimum, s.range?.maxLr]) {
    assert.ok(lr !== null && lr !== undefined && lr < points[50]!.lr, `suggested ${lr} past the NaN at ${points[50]!.lr}`);
  }
});

test('flat curve (clean and noisy): no suggestion, and the reason says the loss did not fall', () => {
  for (const noise of [0, 0.1, 0.2]) {
    for (const seed of [1, 2, 3]) {
      const s = suggest(rangeTest(() => 1, { noise, seed }));
      assert.deepEqual(s.suggestions, { steep: null, valley: null, minimum: null }, `noise ${noise} seed ${seed}`);
      assert.equal(s.range, null);
      for (const reason of Object.values(s.reasons)) {
        assert.match(reason, /^the loss barely fell \(.*\): the LR range is too low \(raise --end-lr\), the test too short \(more --steps\), or the model cannot learn this data$/);
      }
    }
  }
  assert.equal(stableRange(rangeTest(() => 1)), null);
});

test('a 20% fall under 10% noise is not flat; a loss that only rises, with no baseline known, names both causes', () => {
  const fall = (x: number): number => 1 - 0.2 / (1 + Math.exp(-3 * (x + 3)));
  for (const seed of [1, 2, 3]) {
    const small = suggest(rangeTest(fall, { noise: 0.1, seed }));
    assert.ok(small.range !== null && small.suggestions.steep !== null, small.reasons.range);
  }
  assertNear(suggest(rangeTest(fall, { noise: 0.02 })).suggestions.steep, -3, 0.3, 'steep of the small fall');
  const rising = suggest(rangeTest((x) => 1 + 0.1 * (x + 7)));
  assert.equal(rising.range, null);
  // Without a baseline, "nothing learned yet" and "learned before the first points" look alike (hints.ts).
  assert.match(rising.reasons.range, /barely fell and then rose .*either nothing was learned yet \(run more --steps or raise --end-lr\) or learning happened before the first points \(lower --start-lr\)/);
});

test('a loss flat for decades that rises only at high LRs learned little: the reason asks for more --steps, not a lower --start-lr', () => {
  // Flat at 1.1 (a classifier at chance) from 1e-7 to 0.05, then up 3 per decade (the test diverges).
  const late = suggest(rangeTest((x) => 1.1 + (x > -1.3 ? 3 * (x + 1.3) : 0), { noise: 0.01 }));
  assert.equal(late.range, null);
  assert.match(late.reasons.range, /^the loss barely fell before it rose at 0\.0\d+ \(.*\): the model learned little in this test, run more --steps$/);
});

test('negative losses (log-likelihoods) get the same reading as the shifted positive curve', () => {
  const positive = rangeTest(curveA).slice(0, 85); // before the blow-up: the stop differs by sign
  const negative = positive.map((p) => ({ lr: p.lr, loss: p.loss! - 3, smoothed: p.smoothed! - 3 }));
  const a = suggest(positive);
  const b = suggest(negative);
  assert.deepEqual(b.suggestions, a.suggestions);
  assert.deepEqual(b.range, a.range);
  assert.ok(b.range !== null);
});

test('too short: every suggestion null with "not enough points" and the count after trimming, no throw', () => {
  // 8 points: [0 : 3] → 3 left; 14 points: [1 : 9] → 8 left.
  for (const [n, left] of [[8, 3], [14, 8], [0, 0]] as const) {
    const s = suggest(rangeTest(curveA).slice(0, n));
    assert.deepEqual(s.suggestions, { steep: null, valley: null, minimum: null });
    assert.equal(s.range, null);
    for (const reason of Object.values(s.reasons)) {
      assert.match(reason, new RegExp(`^not enough points: ${left} finite points after trimming .*need ≥ ${MIN_POINTS}`));
    }
  }
  // 16 points leave exactly MIN_POINTS: suggestions come back.
  const sixteen = rangeTest((x) => curveA(Math.min(x, -1.5)), { steps: 16 });
  assert.equal(sixteen.length, 16);
  assert.notEqual(suggest(sixteen).suggestions.minimum, null);
  // NaN on the second step: the reason says where.
  const nan = suggest(rangeTest(curveA, { loss: (l, i) => (i >= 1 ? Number.NaN : l) }));
  assert.match(nan.reasons.valley, /^not enough points: 0 finite points .*NaN\/Inf at LR 1\.2e-7.*lower --start-lr/);
  // Cut short by the user: not "run more --steps" (a Ctrl-C after 5 of 3,000 steps read so).
  const cut = suggest(rangeTest(curveA).slice(0, 5), { ...NO_FACTS, stopReason: 'cancelled', settings: { startLr: 1e-7, endLr: 10, steps: 3000 } });
  assert.match(cut.reasons.range, /^cancelled after 5 of 3000 steps: too few points to read \(\d+ finite points after trimming .*need ≥ 10\)$/);
  assert.doesNotMatch(cut.reasons.range, /run more/);
  // Diverged after a few steps, every loss finite (pinned at the loss cap): a lower start, not more steps (a user's
  // test at --start-lr 0.5 diverged after 6 steps and read "run more --steps").
  const diverged = suggest(rangeTest(curveA).slice(0, 6), { ...NO_FACTS, stopReason: 'diverged', divergedAt: 0.9, settings: { startLr: 0.5, endLr: 10, steps: 100 } });
  assert.match(diverged.reasons.range, /^diverged at LR 0\.9 after 6 steps, too few to read \(\d+ finite points after trimming .*need ≥ 10\): lower --start-lr$/);
  assert.match(suggest(rangeTest(curveA).slice(0, 6), { ...NO_FACTS, stopReason: 'diverged', divergedAt: 0.9, settings: { startLr: 0.5, endLr: 10, steps: 100 } }, 'option').reasons.range, /: lower startLr$/);
  // Cut with enough points, flat at the chance level: not "nothing learned yet … run more steps" either.
  const flat = rangeTest(() => Math.log(2), { steps: 3000 }).slice(0, 300);
  const early = suggest(flat, { ...NO_FACTS, baseline: { loss: Math.log(2), valLoss: Math.log(2), kind: 'chance' }, stopReason: 'cancelled', settings: { startLr: 1e-7, endLr: 10, steps: 3000 } });
  assert.match(early.reasons.range, /^cancelled at LR \S+ after 300 of 3000 steps, before the loss showed where the model learns: no LR to read yet — run the whole test$/);
});

/** fastai's valley, transcribed from fastai/callback/schedule.py (O(n²) double loop). */
function fastaiValley(losses: readonly number[]): number {
  const n = losses.length;
  let maxStart = 0;
  let maxEnd = 0;
  const lds = new Array<number>(n).fill(1);
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && lds[i]! < lds[j]! + 1) lds[i] = lds[j]! + 1;
      if (lds[maxEnd]! < lds[i]!) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd]!;
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  return maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
}

test('valley: longest decreasing subsequence and fastai index rule, by hand', () => {
  // LDS of [5,9,4,8,3,7,2,1,6] has length 5 (e.g. 5,4,3,2,1) and ends at index 7;
  // fastai: max_start = 7 - 5 = 2, sections = 5/3 → idx = 2 + 1 + 0 = 3.
  const v = valley([5, 9, 4, 8, 3, 7, 2, 1, 6])!;
  assert.deepEqual([v.index, v.last, v.length], [3, 7, 5]);
  assert.ok(v.first === 0 || v.first === 1, `first ${v.first}`); // 5,4,3,2,1 or 9,8,7,2,1
  // Strictly decreasing 10..1: max_start = 9 - 10 = -1, sections = 10/3 → idx = -1 + 3 + 1 = 3.
  assert.equal(valleyIndex([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]), 3);
  // Not contiguous: 9,8,7,6,4 skips the small values in between; ends at index 7 (first reach of 5),
  // max_start = 2, sections = 5/3 → idx = 3.
  assert.deepEqual(valley([9, 1, 8, 2, 7, 3, 6, 4, 5]), { index: 3, first: 0, last: 7, length: 5 });
  // Equal values are not decreasing; one value; none.
  assert.equal(valleyIndex([2, 2, 2]), 0);
  assert.equal(valleyIndex([1]), 0);
  assert.equal(valleyIndex([]), null);
});

test('valley equals the transcribed fastai O(n²) loop on 300 seeded sequences (ties included)', () => {
  const random = prng(42);
  for (let k = 0; k < 300; k++) {
    const n = 1 + Math.floor(random() * 60);
    const levels = k % 2 === 0 ? 5 : 1000; // few levels: many ties
    const values = Array.from({ length: n }, () => Math.floor(random() * levels));
    assert.equal(valleyIndex(values), Math.max(0, fastaiValley(values)), JSON.stringify(values));
  }
});

test('sweep summary: stable range from the first clearly falling LR to the turn-up; min loss and its LR', () => {
  const summary = summarizeCurve(rangeTest(curveA));
  assert.ok(summary.stableRange !== null);
  assertNear(summary.stableRange.minLr, A_FALL_STARTS, 0.15, 'stable minLr');
  // The loss is still at its lowest past the end of the fall (A_FALL_ENDS), up to the turn-up.
  assertNear(summary.stableRange.maxLr, A_TURN_UP, 0.15, 'stable maxLr');
  assert.ok(Math.abs(summary.stableDecades - (A_TURN_UP - A_FALL_STARTS)) < 0.3, `decades ${summary.stableDecades}`);
  // True minimum: 2.3 - 2·sigmoid(6) ≈ 0.305 at x = -1.
  assert.ok(summary.minSmoothedLoss !== null && Math.abs(summary.minSmoothedLoss - 0.305) < 0.03, `min ${summary.minSmoothedLoss}`);
  assertNear(summary.lrAtMinLoss, A_TURN_UP, 0.35, 'LR at min');
  assert.deepEqual(stableRange(rangeTest(curveA)), summary.stableRange);
  assert.deepEqual(summarizeCurve(rangeTest(curveA).slice(0, 5)), { minSmoothedLoss: null, lrAtMinLoss: null, stableRange: null, stableDecades: 0, blowUpLr: null, startLoss: null, levelNoise: null });
});

test('long tests are read in time: 20 000 noisy points in well under a second, same answers', () => {
  const started = performance.now();
  const s = suggest(rangeTest(curveA, { noise: 0.1, steps: 20_000 }));
  assert.ok(performance.now() - started < 1500, `${performance.now() - started} ms`);
  assertNear(s.suggestions.steep, A_STEEP, 0.3, 'steep');
  assertNear(s.range?.maxLr, A_FALL_ENDS, 0.3, 'maxLr');
});

test('a sweep curve with a sharp bottom just before its blow-up: the summary is the fitted curve\'s own lowest point, not the wide fit at the headline\'s bottom (which the blow-up pulls up)', () => {
  // Falls 1.1 → 0.6 around LR 0.01, then from 0.1 climbs steeply: what a user's Adam sweep without dropout looked like.
  const random = prng(3);
  const points: RangePoint[] = Array.from({ length: 90 }, (_, i) => {
    const x = -4 + (4 * i) / 89;
    const loss = (1.1 - 0.5 / (1 + Math.exp(-3 * (x + 2))) + (x > -1 ? 3 * (10 ** (2 * (x + 1)) - 1) : 0)) * (1 + 0.06 * (random() - 0.5));
    return { lr: 10 ** x, loss, smoothed: loss };
  });
  const summary = summarizeCurve(points);
  const fitted = fittedCurve(curveShape(points));
  const lowest = fitted.reduce((a, p) => (p.loss < a.loss ? p : a));
  assert.equal(summary.minSmoothedLoss, lowest.loss);
  assert.equal(summary.lrAtMinLoss, lowest.lr);
  // Near the loss reached there (0.69 at LR 0.033), not the 2.7 the wide fit reads at the headline's bottom (LR 0.075).
  assert.ok(summary.minSmoothedLoss < 0.75, `min ${summary.minSmoothedLoss}`);
});

test('a long sweep (30,000 steps, past the shape\'s binning): minimum and valley are read over fastai\'s [N//10 : N-5] of all the points, not the first tenth (a user\'s read "minimum 1.84e-8, lowest EMA at 1.84e-7")', () => {
  const long = rangeTest(curveA, { steps: 30_000 });
  const short = rangeTest(curveA, { steps: 300 });
  const s = suggest(long);
  const t = suggest(short);
  // fastai's minimum: the LR of the lowest EMA ÷ 10, where curve A bottoms out (just before its turn-up at 10^-1).
  assertNear(s.suggestions.minimum, decade(t.suggestions.minimum), 0.3, 'minimum (30,000 steps against 300)');
  assertNear(s.suggestions.valley, decade(t.suggestions.valley), 0.5, 'valley (30,000 steps against 300)');
  assert.ok(decade(s.suggestions.minimum) > -4, `minimum at 10^${decade(s.suggestions.minimum).toFixed(2)}`);
});
