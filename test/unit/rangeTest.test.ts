import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CROSS_ENTROPY_CAP,
  DIVERGENCE_WARMUP,
  RAW_DIVERGE_STEPS,
  EmaSmoother,
  LrFinderSmoother,
  MAX_RANGE_STEPS,
  RangeTestTracker,
  hasDiverged,
  lrSweep,
  sweepLr,
} from '../../src/core/rangeTest';
import { OptionError } from '../../src/protocol/errors';

const close = (actual: number | null, expected: number, tol = 1e-12): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
};

test('exponential sweep: pytorch-lr-finder spacing, first LR = startLr, last LR = endLr exactly', () => {
  const lrs = lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' });
  assert.equal(lrs.length, 100);
  assert.equal(lrs[0], 1e-7);
  assert.equal(lrs[99], 10);
  // 8 decades over 99 intervals (i/(N-1)), not 100 as fastai's i/N.
  for (const i of [0, 17, 50, 98]) close(lrs[i + 1]! / lrs[i]!, 10 ** (8 / 99), 1e-12);
  close(lrs[33]!, 1e-7 * 10 ** ((8 * 33) / 99));
  assert.deepEqual(lrSweep({ startLr: 0.5, endLr: 2, steps: 2, sweep: 'exp' }), [0.5, 2]);
});

test('linear sweep: even steps from startLr to endLr', () => {
  assert.deepEqual(lrSweep({ startLr: 1, endLr: 3, steps: 3, sweep: 'linear' }), [1, 2, 3]);
  const lrs = lrSweep({ startLr: 0.001, endLr: 1, steps: 1000, sweep: 'linear' });
  assert.equal(lrs[999], 1);
  close(lrs[500]! - lrs[499]!, 0.999 / 999, 1e-9);
  assert.equal(sweepLr({ startLr: 0.001, endLr: 1, steps: 1000, sweep: 'linear' }, 0), 0.001);
});

test('sweep options: each bad value throws an OptionError naming its option', () => {
  const ok = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' } as const;
  const bad: [Parameters<typeof lrSweep>[0], string, RegExp][] = [
    [{ ...ok, startLr: 0 }, 'startLr', /--start-lr must be a number greater than 0, got 0/],
    [{ ...ok, startLr: -1e-3 }, 'startLr', /greater than 0/],
    [{ ...ok, startLr: Number.NaN }, 'startLr', /got NaN/],
    [{ ...ok, endLr: Number.POSITIVE_INFINITY }, 'endLr', /--end-lr .* got Infinity/],
    [{ ...ok, startLr: 1, endLr: 1 }, 'startLr', /--start-lr \(1\) must be below --end-lr \(1\)/],
    [{ ...ok, startLr: 2, endLr: 1 }, 'startLr', /must be below/],
    [{ ...ok, steps: 1 }, 'steps', /--steps must be a whole number between 2 and 100000, got 1/],
    [{ ...ok, steps: 10.5 }, 'steps', /got 10\.5/],
    [{ ...ok, steps: MAX_RANGE_STEPS + 1 }, 'steps', /between 2 and 100000/],
    [{ ...ok, steps: Number.NaN }, 'steps', /whole number/],
    [{ ...ok, sweep: 'log' as 'exp' }, 'sweep', /--sweep must be exp or linear/],
  ];
  for (const [options, option, message] of bad) {
    assert.throws(
      () => lrSweep(options),
      (e: unknown) => e instanceof OptionError && e.option === option && message.test(e.message),
      JSON.stringify(options),
    );
  }
  assert.equal(lrSweep({ ...ok, steps: MAX_RANGE_STEPS }).length, MAX_RANGE_STEPS);
});

test('bias-corrected EMA (β 0.98): hand-computed values; NaN/Inf return null and leave the state alone', () => {
  const s = new EmaSmoother(0.98);
  // avg = 0.02·2 = 0.04; 0.04 / (1 - 0.98) = 2
  close(s.push(2), 2);
  // avg = 0.98·0.04 + 0.02·1 = 0.0592; / (1 - 0.9604) = 1.4949…
  close(s.push(1), 0.0592 / 0.0396);
  assert.equal(s.push(Number.NaN), null);
  assert.equal(s.push(Number.POSITIVE_INFINITY), null);
  // NaN/Inf skipped: avg = 0.98·0.0592 + 0.02·4 = 0.138016; / (1 - 0.98³ = 0.058808)
  close(s.push(4), 0.138016 / 0.058808);
  // avg = 0.98·0.138016 + 0.02·0 = 0.13525568; / (1 - 0.98⁴ = 0.07763184)
  close(s.push(0), 0.13525568 / 0.07763184);
});

test('pytorch-lr-finder smoother (smooth_f 0.05): first value is the loss, no bias correction', () => {
  const s = new LrFinderSmoother();
  assert.equal(s.push(Number.NaN), null); // nothing started yet: the next loss is still the first
  assert.equal(s.push(2), 2);
  close(s.push(1), 0.05 * 1 + 0.95 * 2); // 1.95
  assert.equal(s.push(Number.NEGATIVE_INFINITY), null);
  close(s.push(4), 0.05 * 4 + 0.95 * 1.95); // 2.0525
  // The tracker's biasCorrection: false uses it with smooth_f = 1 - smoothing.
  const t = new RangeTestTracker({ biasCorrection: false, smoothing: 0.95 });
  t.push(1e-3, 2);
  close(t.push(2e-3, 1).point.smoothed, 1.95);
});

test('smoothing and diverge options are checked', () => {
  assert.throws(() => new EmaSmoother(1), (e: unknown) => e instanceof OptionError && e.option === 'smoothing');
  assert.throws(() => new RangeTestTracker({ smoothing: -0.1 }), (e: unknown) => e instanceof OptionError && e.option === 'smoothing');
  assert.throws(() => new RangeTestTracker({ diverge: 1 }), (e: unknown) => e instanceof OptionError && e.option === 'diverge');
});

test('divergence rule smooth - best > (k-1)·max(|best|, floor): positive, negative and near-zero losses', () => {
  assert.ok(hasDiverged(4.01, 1, 4)); // the peers' smooth > 4·best
  assert.ok(!hasDiverged(3.99, 1, 4));
  assert.ok(hasDiverged(5.01, 1, 5) && !hasDiverged(4.99, 1, 5)); // pytorch-lr-finder's k = 5
  // Log-likelihood best -2: `smooth > 4·best = -8` would fire at once; the difference form
  // waits for a rise of 3·2 = 6.
  assert.ok(!hasDiverged(-1.5, -2, 4));
  assert.ok(!hasDiverged(3.99, -2, 4));
  assert.ok(hasDiverged(4.01, -2, 4));
  // Near zero the floor decides.
  assert.ok(!hasDiverged(4e-7, 1e-7, 4, 0.01));
  assert.ok(hasDiverged(0.031, 1e-7, 4, 0.01));
});

test('tracker: no divergence stop during warm-up, then the stop comes on the first point after it', () => {
  const t = new RangeTestTracker();
  const losses = [1, 1, 50, 50, 50, 50, 50, 50];
  const stops = losses.map((l, i) => t.push(10 ** (i - 7), l).stop);
  // The smoothed loss exceeds 4× best from the third point on; the rule may fire only once
  // more than DIVERGENCE_WARMUP points are recorded.
  assert.ok(t.points[2]!.smoothed! > 4);
  assert.deepEqual(stops.slice(0, DIVERGENCE_WARMUP), new Array(DIVERGENCE_WARMUP).fill(null));
  assert.equal(stops[DIVERGENCE_WARMUP], 'diverged');
});

test('tracker: a negative log-likelihood that falls does not diverge; one that rises by 3×|best| does', () => {
  const t = new RangeTestTracker({ smoothing: 0 }); // β 0: smoothed = loss, so the numbers are exact
  const falling = Array.from({ length: 20 }, (_, i) => -1 - (2 * i) / 19); // -1 → -3
  for (const l of falling) assert.equal(t.push(1e-3, l).stop, null);
  assert.equal(t.bestLoss, -3);
  assert.equal(t.push(1e-2, 5.9).stop, null); // 8.9 above best: under 3·3 = 9
  assert.equal(t.push(1e-2, 6.1).stop, 'diverged');
});

test('tracker: a loss that reached ~1e-7 does not "diverge" on a wobble to 1e-6, but does on a real rise', () => {
  const t = new RangeTestTracker({ smoothing: 0 });
  t.push(1e-5, 1); // floor = 1% of the first loss
  for (let i = 0; i < 10; i++) assert.equal(t.push(1e-4, 1e-7).stop, null);
  assert.equal(t.push(1e-3, 1e-6).stop, null);
  assert.equal(t.push(1e-2, 0.02).stop, null); // rise 0.02 < 3 × 0.01
  assert.equal(t.push(1e-1, 0.05).stop, 'diverged');
});

test('tracker: a NaN/Inf loss stops at once as non-finite, with null loss and smoothed in the point', () => {
  const t = new RangeTestTracker();
  t.push(1e-4, 1);
  const r = t.push(2e-4, Number.POSITIVE_INFINITY);
  assert.equal(r.stop, 'non-finite');
  assert.deepEqual(r.point, { lr: 2e-4, loss: null, smoothed: null });
  assert.deepEqual(t.points.at(-1), r.point);
  assert.equal(t.bestLoss, 1);
  assert.equal(t.push(3e-4, Number.NaN).stop, 'non-finite');
  // The smoother skipped both: the next finite loss continues the average of [1].
  close(t.push(4e-4, 1).point.smoothed, 1);
});

/** A 100-step test on a log sweep 1e-7 → 10, as `lrlab find-lr` runs it. */
function sweep100(loss: (i: number, lr: number) => number, options: ConstructorParameters<typeof RangeTestTracker>[0] = {}): { t: RangeTestTracker; stopAt: number | null; stop: string | null } {
  const lrs = lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' });
  const t = new RangeTestTracker(options);
  for (const [i, lr] of lrs.entries()) {
    const { stop } = t.push(lr, loss(i, lr));
    if (stop !== null) return { t, stopAt: i, stop };
  }
  return { t, stopAt: null, stop: null };
}

test('raw divergence: a cross-entropy pinned near the tfjs cap at the end stops the test, though the lagging EMA stays under 4x best', () => {
  // examples/mnist-mlp's shape: chance 2.3, down to ~1 around LR 0.1, then 9-15 from step 92 on.
  const curve = (i: number): number => (i < 80 ? 2.3 - (1.3 * Math.max(0, i - 60)) / 20 : i < 92 ? 1 + (i - 80) * 0.1 : [13.3, 14.6, 9.1, 14.4, 15.4, 13.6, 14.1, 13.8][i - 92]!);
  const ema = sweep100(curve, { lossCap: null, diverge: 1e9 }); // the EMA rule alone never fires here
  assert.equal(ema.stop, null);
  const { t, stopAt, stop } = sweep100(curve);
  assert.equal(stop, 'diverged');
  // Three consecutive raw losses above 4 × 2.3 = 9.2: steps 92, 93 and (9.1 is under) 95, 96, 97.
  assert.equal(stopAt, 97);
  const lrs = lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' });
  assert.equal(t.divergedAt, lrs[95], 'divergedAt is the first LR of the streak that stopped it');
});

test('raw divergence: one wild batch (or two) is a spike, not divergence', () => {
  const spikes = new Set([40, 41, 70]);
  const { stop } = sweep100((i) => (spikes.has(i) ? 50 : 2.3 - i / 100));
  assert.equal(stop, null);
  assert.equal(RAW_DIVERGE_STEPS, 3);
});

test('raw divergence: with 100 classes (start 4.6, 4x = 18.4 above the cap) a loss pinned at the cap still stops the test', () => {
  const pinned = (i: number): number => (i < 90 ? 4.6 - i / 100 : CROSS_ENTROPY_CAP * 0.98);
  assert.equal(sweep100(pinned, { lossCap: null }).stop, null, 'without the cap the k x start line (18.4) is never reached');
  const { stop, stopAt } = sweep100(pinned, { lossCap: CROSS_ENTROPY_CAP });
  assert.equal(stop, 'diverged');
  assert.equal(stopAt, 92);
  // A model that starts near the cap is not "diverged" for staying there.
  assert.equal(sweep100(() => CROSS_ENTROPY_CAP * 0.9, { lossCap: CROSS_ENTROPY_CAP }).stop, null);
});

test('raw divergence: an MSE that explodes far above its start stops where the explosion starts', () => {
  const { t, stop, stopAt } = sweep100((i) => (i < 80 ? 240 - i * 2.5 : 240 * 10 ** ((i - 79) / 3)));
  assert.equal(stop, 'diverged');
  const lrs = lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' });
  // The start is the median of the first 5 losses (235): above 4 × 235 = 940 from step 81 (1114) on;
  // the stop comes on the third such step and names the first.
  assert.equal(t.divergedAt, lrs[81]);
  assert.equal(stopAt, 83);
});
