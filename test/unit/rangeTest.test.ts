import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LossSmoother, RangeTestTracker, hasDiverged, lrSweep } from '../../src/core/rangeTest';
import { OptionError } from '../../src/protocol/errors';

test('exponential sweep ends exactly at endLr (pytorch-lr-finder), linear is evenly spaced', () => {
  const lrs = lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' });
  assert.equal(lrs.length, 100);
  assert.ok(Math.abs(lrs[0]! - 1e-7) < 1e-20);
  assert.ok(Math.abs(lrs[99]! - 10) < 1e-12);
  const ratio = lrs[1]! / lrs[0]!;
  assert.ok(Math.abs(lrs[51]! / lrs[50]! - ratio) < 1e-9);
  assert.ok(Math.abs(ratio - 10 ** (8 / 99)) < 1e-12);
  assert.deepEqual(lrSweep({ startLr: 1, endLr: 3, steps: 3, sweep: 'linear' }), [1, 2, 3]);
});

test('sweep options: each bad value names its option', () => {
  const bad: [Parameters<typeof lrSweep>[0], string][] = [
    [{ startLr: 1, endLr: 1, steps: 10, sweep: 'exp' }, 'startLr'],
    [{ startLr: 2, endLr: 1, steps: 10, sweep: 'exp' }, 'startLr'],
    [{ startLr: 0, endLr: 1, steps: 10, sweep: 'exp' }, 'startLr'],
    [{ startLr: 1e-7, endLr: Number.NaN, steps: 10, sweep: 'exp' }, 'endLr'],
    [{ startLr: 1e-7, endLr: 1, steps: 0, sweep: 'exp' }, 'steps'],
    [{ startLr: 1e-7, endLr: 1, steps: 1e9, sweep: 'exp' }, 'steps'],
    [{ startLr: 1e-7, endLr: 1, steps: 10.5, sweep: 'exp' }, 'steps'],
  ];
  for (const [o, option] of bad) assert.throws(() => lrSweep(o), (e: unknown) => e instanceof OptionError && e.option === option, JSON.stringify(o));
});

test('bias-corrected EMA: hand-computed values (β 0.98)', () => {
  const s = new LossSmoother(0.98);
  assert.ok(Math.abs(s.push(2)! - 2) < 1e-12); // avg 0.04 / 0.02
  // avg = 0.98*0.04 + 0.02*1 = 0.0592; / (1 - 0.9604) = 1.494949...
  assert.ok(Math.abs(s.push(1)! - 0.0592 / 0.0396) < 1e-12);
  assert.equal(s.push(Number.NaN), null);
  // NaN left the state alone: avg = 0.98*0.0592 + 0.02*4 = 0.138016; / (1 - 0.98^3)
  assert.ok(Math.abs(s.push(4)! - 0.138016 / (1 - 0.98 ** 3)) < 1e-12);
});

test('pytorch-lr-finder variant: first value is the loss, no bias correction', () => {
  const s = new LossSmoother(0.95, false);
  assert.equal(s.push(2), 2);
  assert.ok(Math.abs(s.push(1)! - (0.05 * 1 + 0.95 * 2)) < 1e-12);
});

test('divergence works for positive, negative and near-zero losses', () => {
  assert.ok(hasDiverged(4.01, 1, 4));
  assert.ok(!hasDiverged(3.99, 1, 4));
  assert.ok(!hasDiverged(-1.5, -2, 4)); // log-likelihood still near its best
  assert.ok(hasDiverged(4.5, -2, 4)); // rose by 6.5 > 3 * 2
  assert.ok(!hasDiverged(1e-9, 0, 4)); // floor: a wobble around zero is not divergence
});

test('tracker stops on divergence after warm-up, and on a non-finite loss', () => {
  const t = new RangeTestTracker({ diverge: 4 });
  const losses = [1, 1, 1, 1, 1, 1, 0.5, 0.5, 50, 500, 5000];
  let stop: string | null = null;
  for (const [i, l] of losses.entries()) {
    stop = t.push(i, l).stop;
    if (stop !== null) break;
  }
  assert.equal(stop, 'diverged');
  assert.ok(t.points.length < losses.length);
  const n = new RangeTestTracker();
  n.push(1, 1);
  const r = n.push(2, Number.POSITIVE_INFINITY);
  assert.equal(r.stop, 'non-finite');
  assert.deepEqual(r.point, { lr: 2, loss: null, smoothed: null });
});
