import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeOptimizer, describeTrials, formatCount, formatLoss, formatLosses, formatLr, formatMomentum, formatPercent, formatSeconds, formatWeightDecay, listTrials, modelName } from '../../src/protocol/format';
import { LOSS_AXIS_HEADROOM, chartLossAxis, lossAxisRange, onTickGrid } from '../../src/protocol/lossAxis';

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
  assert.equal(describeOptimizer({ ...base, name: 'sgd', momentum: 0, sources: { optimizer: 'model.compile', momentum: 'model.compile' } }), 'optimizer sgd (model.compile), lr from the schedule, momentum 0 (model.compile)');
  assert.equal(describeOptimizer({ ...base, name: 'sgd', momentum: 0.9, sources: { optimizer: 'default', momentum: 'flag' } }), 'optimizer sgd (default), lr from the schedule, momentum 0.9 (--momentum)');
  assert.equal(
    describeOptimizer({ ...base, name: 'adam', lr: 0.001, momentum: 0.9, beta2: 0.999, epsilon: 1e-7, sources: { optimizer: 'setting', lr: 'model.compile', momentum: 'model.compile', beta2: 'model.compile', epsilon: 'model.compile' } }),
    'optimizer adam (lrlab.optimizer), lr 0.001 (model.compile), beta1 0.9 (model.compile), beta2 0.999 (model.compile), epsilon 1e-7 (model.compile)',
  );
  // Adam's momentum flag in its own word (--beta1 is --momentum's alias): it read "beta1 0.8 (--momentum)".
  assert.equal(describeOptimizer({ ...base, name: 'adam', momentum: 0.8, beta2: 0.999, epsilon: 1e-8, sources: { optimizer: 'flag', momentum: 'flag', beta2: 'default', epsilon: 'default' } }), 'optimizer adam (--optimizer), lr from the schedule, beta1 0.8 (--beta1), beta2 0.999 (default), epsilon 1e-8 (default)');
  assert.equal(describeOptimizer({ ...base, name: 'adam', momentum: 0.8, beta2: 0.999, epsilon: 1e-8, sources: { optimizer: 'flag', momentum: 'setting', beta2: 'default', epsilon: 'default' } }), 'optimizer adam (--optimizer), lr from the schedule, beta1 0.8 (lrlab.momentum), beta2 0.999 (default), epsilon 1e-8 (default)');
  // A library call's option is named as the call passes it.
  assert.equal(describeOptimizer({ ...base, name: 'sgd', momentum: 0.8, sources: { optimizer: 'model.compile', momentum: 'option' } }), 'optimizer sgd (model.compile), lr from the schedule, momentum 0.8 (momentum)');
  assert.equal(describeOptimizer({ ...base, name: 'adagrad', momentum: null, epsilon: 1e-7, initialAccumulatorValue: 0.1, sources: { optimizer: 'model.compile', epsilon: 'default', initialAccumulatorValue: 'model.compile' } }), 'optimizer adagrad (model.compile), lr from the schedule, epsilon 1e-7 (default), initial accumulator 0.1 (model.compile)');
});

test('formatSeconds: its first digit under a tenth of a second, one decimal below 10 s, whole seconds to a minute, then minutes and seconds', () => {
  const cases: [number | null, string][] = [
    [0.44, '0.4 s'],
    [0.047, '0.05 s'],
    [0.05, '0.05 s'],
    [0.094, '0.09 s'],
    [0.095, '0.1 s'],
    [0.0042, '0.004 s'],
    [1e-7, '0 s'],
    [0.0007, '0.001 s'],
    [0, '0 s'],
    [8.44477500725, '8.4 s'],
    [8, '8 s'],
    [9.96, '10 s'],
    [42.4, '42 s'],
    [60, '1 min'],
    [125, '2 min 5 s'],
    [3600, '1 h'],
    [3900, '1 h 5 min'],
    [-1, '—'],
    [null, '—'],
  ];
  for (const [x, want] of cases) assert.equal(formatSeconds(x), want, String(x));
});

test('formatCount: singular for one, the plural otherwise (irregular given)', () => {
  assert.equal(formatCount(1, 'range test'), '1 range test');
  assert.equal(formatCount(3, 'range test'), '3 range tests');
  assert.equal(formatCount(0, 'epoch'), '0 epochs');
  assert.equal(formatCount(2, 'batch', 'batches'), '2 batches');
});

test('formatLosses: one form per column for small values — plain with 3 significant digits, or every value under 0.01 in exponent form when one needs it; larger ones stay plain', () => {
  assert.deepEqual(formatLosses([2.3456, 0.0123, null]), ['2.35', '0.0123', '—']);
  assert.deepEqual(formatLosses([0.000001377, 9.268e-7, 0.05]), ['1.38e-6', '9.27e-7', '0.05']);
  assert.deepEqual(formatLosses([0.00123, 9.268e-4, 0.5]), ['1.23e-3', '9.27e-4', '0.5']);
  // A user's training table (9.7e1 beside 1.05e4) and momentum study (8.22e0 beside 1.96e-7).
  assert.deepEqual(formatLosses([10500, 862, 97]), ['1.05e4', '862', '97']);
  assert.deepEqual(formatLosses([8.22, 1.96e-7, 4.91e-5]), ['8.22', '1.96e-7', '4.91e-5']);
  assert.equal(formatLoss(0.0000950), '9.5e-5');
  assert.equal(formatLoss(Number.NaN), '—');
});

test('formatMomentum and formatWeightDecay: as command lines take them', () => {
  assert.equal(formatMomentum(0.95), '0.95');
  assert.equal(formatMomentum(0.9999), '0.9999');
  assert.equal(formatMomentum(0.849999999), '0.85');
  assert.equal(formatWeightDecay(0.000316227766), '3.2e-4');
  assert.equal(formatWeightDecay(0), '0');
  assert.equal(formatPercent(0.9734), '97.3%');
});

test('listTrials and describeTrials: the short runs as reasons and the panel list them, the pick starred; a first round that learned nothing named after them', () => {
  const runs = [{ maxLr: 0.297, earlyValLoss: 0.5386, earlyValAccuracy: null, diverged: false }, { maxLr: 0.89, earlyValLoss: 0.5532, earlyValAccuracy: null, diverged: false }, { maxLr: 2.67, earlyValLoss: null, earlyValAccuracy: null, diverged: true }];
  assert.equal(listTrials(runs), '0.297 → 0.539, 0.89 → 0.553, 2.67 → diverged');
  // With the runs' validation accuracy (format 7) beside each loss; none beside a run without a loss.
  assert.equal(listTrials([{ maxLr: 0.0214, earlyValLoss: 0.6072, earlyValAccuracy: 0.6071, diverged: false }, { maxLr: 0.0714, earlyValLoss: 0.6258, earlyValAccuracy: 0.6286, diverged: false }, { maxLr: 0.214, earlyValLoss: null, earlyValAccuracy: null, diverged: true }], 0.0714), '0.0214 → 0.607 (60.7%), ★ 0.0714 → 0.626 (62.9%), 0.214 → diverged');
  assert.equal(listTrials([{ maxLr: 0.1, earlyValLoss: null, earlyValAccuracy: null, diverged: false }], 0.1), '★ 0.1 → cut short');
  const first = { steps: 100, runs: [{ maxLr: 0.297, earlyValLoss: 0.6379, earlyValAccuracy: null, diverged: false }, { maxLr: 0.89, earlyValLoss: 0.6357, earlyValAccuracy: null, diverged: false }, { maxLr: 2.67, earlyValLoss: 0.6714, earlyValAccuracy: null, diverged: false }] };
  const t = { steps: 300, around: 0.89, runs, seeds: 1, picked: 0.297, seconds: 2.1 };
  assert.equal(describeTrials(t), '3 short 1cycle runs of 300 steps in 2.1 s, early validation loss per max LR: ★ 0.297 → 0.539, 0.89 → 0.553, 2.67 → diverged');
  assert.equal(describeTrials({ ...t, picked: null, earlier: [{ ...first, outcome: 'learned nothing' }] }), '3 short 1cycle runs of 300 steps in 2.1 s, early validation loss per max LR: 0.297 → 0.539, 0.89 → 0.553, 2.67 → diverged; none chosen (after 3 runs of 100 steps that learned nothing: 0.297 → 0.638, 0.89 → 0.636, 2.67 → 0.671)');
  // Backed off from the starred run (core backOffFromEdge): the line says so; a headline equal to the pick adds nothing.
  assert.equal(describeTrials({ ...t, runs: [{ maxLr: 0.752, earlyValLoss: 0.1036, earlyValAccuracy: null, diverged: false }, { maxLr: 2.26, earlyValLoss: 0.0923, earlyValAccuracy: null, diverged: false }], picked: 2.26 }, 1.3), '3 short 1cycle runs of 300 steps in 2.1 s, early validation loss per max LR: 0.752 → 0.104, ★ 2.26 → 0.0923; recommended 1.3, half a step below ★ (it sits at the blow-up edge)'.replace('3 short', '2 short'));
  assert.equal(describeTrials(t, 0.297), describeTrials(t));
  // A classifier's runs: the accuracy beside each loss, and the heading says so.
  assert.equal(describeTrials({ ...t, runs: [{ maxLr: 0.297, earlyValLoss: 0.5386, earlyValAccuracy: 0.81, diverged: false }, { maxLr: 0.89, earlyValLoss: null, earlyValAccuracy: null, diverged: true }] }), '3 short 1cycle runs of 300 steps in 2.1 s, early validation loss (accuracy) per max LR: ★ 0.297 → 0.539 (81.0%), 0.89 → diverged'.replace('3 short', '2 short'));
  // Each candidate at two seeds (format 8): the heading says the runs are their mean.
  assert.equal(describeTrials({ ...t, seeds: 2 }), '3 short 1cycle runs of 300 steps, each at 2 seeds, in 2.1 s, early validation loss per max LR (the mean of its seeds): ★ 0.297 → 0.539, 0.89 → 0.553, 2.67 → diverged');
  // At two seeds, a candidate that diverged says at which seed; one that diverged at its first seed ran no other, and the heading says so.
  const bySeed = (maxLr: number, seeds: { seed: number; earlyValLoss: number | null; diverged: boolean }[]): (typeof runs)[number] & { bySeed: { seed: number; earlyValLoss: number | null; earlyValAccuracy: null; diverged: boolean }[] } => {
    const diverged = seeds.some((x) => x.diverged);
    return { maxLr, earlyValLoss: diverged ? null : seeds.reduce((a, x) => a + x.earlyValLoss!, 0) / seeds.length, earlyValAccuracy: null, diverged, bySeed: seeds.map((x) => ({ ...x, earlyValAccuracy: null })) };
  };
  const low = bySeed(0.297, [{ seed: 4, earlyValLoss: 0.5, diverged: false }, { seed: 5, earlyValLoss: 0.6, diverged: false }]);
  const late = bySeed(0.89, [{ seed: 4, earlyValLoss: 0.52, diverged: false }, { seed: 5, earlyValLoss: null, diverged: true }]);
  const early = bySeed(2.67, [{ seed: 4, earlyValLoss: null, diverged: true }]);
  assert.equal(listTrials([low, late, early], 0.297), '★ 0.297 → 0.55, 0.89 → diverged at seed 5, 2.67 → diverged at seed 4');
  assert.equal(describeTrials({ ...t, seeds: 2, runs: [low, late, early] }), '3 short 1cycle runs of 300 steps, each at 2 seeds (none after one that diverged), in 2.1 s, early validation loss per max LR (the mean of its seeds): ★ 0.297 → 0.55, 0.89 → diverged at seed 5, 2.67 → diverged at seed 4');
  // Diverged only at its last seed: every seed ran, nothing to add to the heading.
  assert.equal(describeTrials({ ...t, seeds: 2, runs: [low, late] }), '2 short 1cycle runs of 300 steps, each at 2 seeds, in 2.1 s, early validation loss per max LR (the mean of its seeds): ★ 0.297 → 0.55, 0.89 → diverged at seed 5');
  const broke = { steps: 100, runs: [{ maxLr: 1.31, earlyValLoss: 5.36, earlyValAccuracy: null, diverged: false }, { maxLr: 3.94, earlyValLoss: null, earlyValAccuracy: null, diverged: true }], outcome: 'broke down' as const };
  assert.equal(describeTrials({ ...t, earlier: [broke, { ...first, outcome: 'learned nothing' }] }), '3 short 1cycle runs of 300 steps in 2.1 s, early validation loss per max LR: ★ 0.297 → 0.539, 0.89 → 0.553, 2.67 → diverged (after 2 runs of 100 steps that broke down: 1.31 → 5.36, 3.94 → diverged; then 3 runs of 100 steps that learned nothing: 0.297 → 0.638, 0.89 → 0.636, 2.67 → 0.671)');
  // Format 10: a round whose pick barely learned, run again 3x as long.
  assert.equal(describeTrials({ ...t, earlier: [{ ...first, outcome: 'barely learned' }] }), '3 short 1cycle runs of 300 steps in 2.1 s, early validation loss per max LR: ★ 0.297 → 0.539, 0.89 → 0.553, 2.67 → diverged (after 3 runs of 100 steps that barely learned: 0.297 → 0.638, 0.89 → 0.636, 2.67 → 0.671)');
  // Format 11: nothing learned in 100 steps, nor in 300, so 9x lower.
  assert.equal(describeTrials({ ...t, earlier: [{ ...first, outcome: 'learned nothing' }, { ...first, steps: 300, outcome: 'still learned nothing' }] }), '3 short 1cycle runs of 300 steps in 2.1 s, early validation loss per max LR: ★ 0.297 → 0.539, 0.89 → 0.553, 2.67 → diverged (after 3 runs of 100 steps that learned nothing: 0.297 → 0.638, 0.89 → 0.636, 2.67 → 0.671; then 3 runs of 300 steps that still learned nothing: 0.297 → 0.638, 0.89 → 0.636, 2.67 → 0.671)');
});

test('onTickGrid: the loss axis moved out to a round step\'s multiples, with that step (a PNG read 0.18, 0.4, 0.6, …: its lowest gap uneven)', () => {
  assert.deepEqual(onTickGrid({ min: 0.18, max: 1.6 }), { min: 0, max: 1.6, stepSize: 0.2 });
  assert.deepEqual(onTickGrid({ min: 2.21, max: 2.34 }), { min: 2.2, max: 2.34, stepSize: 0.02 });
  assert.deepEqual(onTickGrid({ min: 1042.6, max: 1400 }), { min: 1000, max: 1400, stepSize: 50 });
  // A loss that goes below zero keeps its sign; nothing to snap is left as it is.
  assert.deepEqual(onTickGrid({ min: -1.3, max: 0.4 }), { min: -1.4, max: 0.4, stepSize: 0.2 });
  assert.deepEqual(onTickGrid({}), {});
  assert.deepEqual(onTickGrid({ min: 1, max: 1 }), { min: 1, max: 1 });
  // Every bound is a whole number of steps from 0.
  for (const [min, max] of [[0.0031, 0.0097], [0.42, 0.7], [13.7, 250]] as const) {
    const g = onTickGrid({ min, max });
    assert.ok(g.min! <= min && g.max! >= max, JSON.stringify(g));
    for (const bound of [g.min!, g.max!]) assert.ok(Math.abs(bound / g.stepSize! - Math.round(bound / g.stepSize!)) < 1e-6, JSON.stringify(g));
  }
});

test('chartLossAxis: the panel\'s and the plot files\' loss axis — 5% room below, never below 0 for losses that are not, the baseline shown, on the grid (the panel\'s began at −0.5 under a curve from 0.1)', () => {
  assert.deepEqual(chartLossAxis({ min: 0.1, max: 3.62 }, null), { min: 0, max: 4, stepSize: 0.5 });
  assert.deepEqual(chartLossAxis({ min: 0.18, max: 1.6 }, 1.1), { min: 0, max: 1.6, stepSize: 0.2 });
  // A loss that goes below zero keeps its room below.
  assert.deepEqual(chartLossAxis({ min: -1.2, max: 0.4 }, null), { min: -1.4, max: 0.4, stepSize: 0.2 });
});

test('modelName: the base name, with its folder where the name is one every model has', () => {
  assert.equal(modelName('/w/examples/mnist-mlp/model.ts'), 'mnist-mlp/model.ts');
  assert.equal(modelName('/w/iris/model.json'), 'iris/model.json');
  assert.equal(modelName('C:\\Users\\me\\proj\\train.js'), 'proj/train.js');
  assert.equal(modelName('/w/src/Index.mjs'), 'src/Index.mjs');
  assert.equal(modelName('/w/src/classifier.ts'), 'classifier.ts');
  assert.equal(modelName('/w/src/model-v2.ts'), 'model-v2.ts');
  assert.equal(modelName('model.ts'), 'model.ts');
  assert.equal(modelName('C:\\model.ts'), 'model.ts');
});
