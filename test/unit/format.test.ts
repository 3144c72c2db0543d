import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeOptimizer, formatLr } from '../../src/protocol/format';
import { LOSS_AXIS_HEADROOM, lossAxisRange } from '../../src/protocol/lossAxis';

test('formatLr: 3 significant digits, exponent below 1e-3 and from 1e4, decided on the rounded value', () => {
  const cases: [number | null, string][] = [
    [0.0123, '0.0123'],
    [0.3, '0.3'],
    [1.234e-4, '1.23e-4'],
    [2e-5, '2e-5'],
    [0.00099, '9.9e-4'],
    [0.0009996, '0.001'],
    [0.001, '0.001'],
    [12.345, '12.3'],
    [9999.7, '1e4'],
    [-3e-7, '-3e-7'],
    [0, '0'],
    [null, '—'],
    [Number.NaN, '—'],
    [Number.POSITIVE_INFINITY, '—'],
  ];
  for (const [x, want] of cases) assert.equal(formatLr(x), want, String(x));
});

test('lossAxisRange: from the lowest loss to 1.6 x the start above it; raw losses lower only the bottom; a curve never below its start is shown whole', () => {
  assert.deepEqual(lossAxisRange([2, 1.5, 1, 3, 50], [0.9, 60]), { min: 0.9, max: 0.9 + (2 - 0.9) * LOSS_AXIS_HEADROOM });
  assert.deepEqual(lossAxisRange([null, 2, 1, 40]), { min: 1, max: 1 + 1 * 1.6 });
  assert.deepEqual(lossAxisRange([1, 2, 5]), { min: 1, max: 5 });
  assert.equal(lossAxisRange([null, Number.NaN]), null);
  assert.ok(lossAxisRange([3, 3])!.max > 3, 'a flat curve still has a height');
  // A 300,000-step run: spread into Math.min this overflowed the stack (RangeError).
  const long = Array.from({ length: 300_000 }, (_, i) => 2 - i / 300_000);
  assert.deepEqual(lossAxisRange(long, [0.5]), { min: 0.5, max: 0.5 + 1.5 * LOSS_AXIS_HEADROOM });
});

test('describeOptimizer: what ran and where each value came from, on one line', () => {
  const base = { lr: null, beta2: null, epsilon: null, rho: null, centered: null, initialAccumulatorValue: null, decay: null };
  assert.equal(describeOptimizer({ ...base, name: 'sgd', momentum: 0, sources: { optimizer: 'model.compile', momentum: 'model.compile' } }), 'optimizer sgd (model.compile), lr —, momentum 0 (model.compile)');
  assert.equal(describeOptimizer({ ...base, name: 'sgd', momentum: 0.9, sources: { optimizer: 'default', momentum: 'flag' } }), 'optimizer sgd (default), lr —, momentum 0.9 (--momentum)');
  assert.equal(
    describeOptimizer({ ...base, name: 'adam', lr: 0.001, momentum: 0.9, beta2: 0.999, epsilon: 1e-7, sources: { optimizer: 'setting', lr: 'model.compile', momentum: 'model.compile', beta2: 'model.compile', epsilon: 'model.compile' } }),
    'optimizer adam (lrlab.optimizer), lr 0.001 (model.compile), beta1 0.9 (model.compile), beta2 0.999 (model.compile), epsilon 1e-7 (model.compile)',
  );
  assert.equal(describeOptimizer({ ...base, name: 'adagrad', momentum: null, epsilon: 1e-7, initialAccumulatorValue: 0.1, sources: { optimizer: 'model.compile', epsilon: 'default', initialAccumulatorValue: 'model.compile' } }), 'optimizer adagrad (model.compile), lr —, epsilon 1e-7 (default), initial accumulator 0.1 (model.compile)');
});
