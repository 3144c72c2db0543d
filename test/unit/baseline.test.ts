/** The baseline maths (src/core/baseline.ts), the v1 → v2 upgrade and the metric columns, with known answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OFF_CENTRE_RATIO, OFF_PRIOR_RATIO, PROBABILITY_EPSILON, baselineLossOf, computeBaseline, constantOutputs, describeBaseline, describeConstantOutputs, describeOffCentre, describeOffPrior, describeNarrowValidation, describeRareInValidation, describeUnevenScales, narrowValidation, offCentreLabels, offPrior, rareInValidation, unevenOutputScales } from '../../src/core/baseline';
import type { LabelMatrix } from '../../src/core/baseline';
import { anyResultSchema } from '../../src/protocol/resultSchema';
import { formatMetric, metricColumns } from '../../src/protocol/metricColumns';
import type { EpochRecord, RecipeResult, TrainResult } from '../../src/protocol/results';
import { extent } from '../../webview/bounds';
import { withBaseline } from '../../src/protocol/lossAxis';

const matrix = (rows: readonly (readonly number[])[]): LabelMatrix => ({ values: rows.flat(), rows: rows.length, width: rows[0]?.length ?? 1 });
const oneHot = (labels: readonly number[], classes: number): LabelMatrix => matrix(labels.map((l) => Array.from({ length: classes }, (_, c) => (c === l ? 1 : 0))));
const indices = (labels: readonly number[]): LabelMatrix => ({ values: labels, rows: labels.length, width: 1 });
const close = (a: number | null | undefined, b: number, what: string): void => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

test('softmax cross-entropy: ln C when balanced, the entropy of the class frequencies otherwise; one-hot and indices agree', () => {
  const balanced = [0, 1, 2, 3, 0, 1, 2, 3];
  const b = computeBaseline('categoricalCrossentropy', oneHot(balanced, 4), oneHot(balanced, 4), 4);
  close(b.baseline?.loss, Math.log(4), 'balanced');
  assert.equal(b.baseline?.kind, 'chance');
  assert.equal(b.reason, 'the chance level 1.39 = ln 4');
  // 3/4 of class 0: −(¾ ln ¾ + ¼ ln ¼) = 0.5623...
  const skewed = [0, 0, 0, 1];
  const entropy = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
  close(computeBaseline('categoricalCrossentropy', oneHot(skewed, 2), null, 2).baseline?.loss, entropy, 'skewed one-hot');
  const sparse = computeBaseline('sparse_categorical_crossentropy', indices(skewed), null, 2);
  close(sparse.baseline?.loss, entropy, 'skewed indices');
  assert.equal(sparse.baseline?.valLoss, null);
  // Validation: the training prior scored on the validation labels (balanced val, ¾/¼ prior).
  const val = computeBaseline('sparseCategoricalCrossentropy', indices(skewed), indices([0, 1]), 2).baseline!;
  close(val.valLoss, -(0.5 * Math.log(0.75) + 0.5 * Math.log(0.25)), 'validation cross-entropy');
  // A class never seen in training costs −ln ε on validation, as tfjs clips.
  close(computeBaseline('sparseCategoricalCrossentropy', indices([0, 0]), indices([1]), 2).baseline?.valLoss, -Math.log(PROBABILITY_EPSILON), 'unseen class');
});

test('sigmoid / binary cross-entropy: the binary entropy of each output, averaged', () => {
  close(computeBaseline('binaryCrossentropy', matrix([[1], [0], [1], [0]]), null, 1).baseline?.loss, Math.log(2), 'balanced');
  const p = 0.2;
  const h = -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
  close(computeBaseline('binaryCrossentropy', matrix([[1], [0], [0], [0], [0]]), null, 1).baseline?.loss, h, 'p = 0.2');
  // Two outputs (multi-label): the mean of ln 2 and H(0.2).
  const two = matrix([[1, 1], [0, 1], [1, 0], [0, 0], [1, 0], [0, 0], [1, 0], [0, 0], [1, 0], [0, 0]]);
  close(computeBaseline('binaryCrossentropy', two, null, 2).baseline?.loss, (Math.log(2) + h) / 2, 'multi-label');
});

test('regression: MSE → the label variance, MAE → the mean absolute deviation from the median (and it says median); validation scored against the training constant', () => {
  const ys = matrix([[1], [2], [3], [4], [10]]);
  const mse = computeBaseline('meanSquaredError', ys, matrix([[4], [4]]), 1).baseline!;
  // mean 4: variance (9 + 4 + 1 + 0 + 36) / 5 = 10; validation: predicting 4 for 4s costs 0.
  close(mse.loss, 10, 'variance');
  close(mse.valLoss, 0, 'validation MSE');
  assert.equal(mse.kind, 'mean');
  assert.equal(describeBaseline(mse), 'the loss of predicting the mean, 10');
  // median 3: |−2| + |−1| + 0 + 1 + 7 = 11 / 5.
  const mae = computeBaseline('mae', ys, null, 1).baseline!;
  close(mae.loss, 2.2, 'MAE');
  // Its constant is the median, and it reads so (format 9); MSE's has no such field.
  assert.equal(mae.constant, 'median');
  assert.equal(describeBaseline(mae), 'the loss of predicting the median, 2.2');
  assert.equal('constant' in mse, false);
  close(computeBaseline('mse', matrix([[1, 10], [3, 30]]), null, 2).baseline?.loss, (1 + 100) / 2, 'two outputs');
});

test('hinge and squared hinge: the loss of the best constant margin (1 − |p₊ − p₋| and 1 − (p₊ − p₋)² for −1/1 labels; 0/1 labels as tfjs-layers takes them)', () => {
  // Labels 1, −1, 1, 1 (p₊ − p₋ = 0.5): hinge at the margin 1 is (0 + 2 + 0 + 0) / 4 = 0.5; squared hinge at 0.5 is (3·0.25 + 2.25) / 4 = 0.75.
  const pm = matrix([[1], [-1], [1], [1]]);
  close(computeBaseline('hinge', pm, null, 1).baseline?.loss, 0.5, 'hinge');
  close(computeBaseline('squaredHinge', pm, null, 1).baseline?.loss, 0.75, 'squared hinge');
  // Validation scored with the training split's constant: labels −1, −1 against the margin 1 cost 2 each.
  close(computeBaseline('hinge', pm, matrix([[-1], [-1]]), 1).baseline?.valLoss, 2, 'validation hinge');
  // 0/1 labels, as tfjs-layers' hinge takes them (no conversion): a 0 costs 1 whatever the margin; the 1s cost nothing past 1.
  close(computeBaseline('hinge', matrix([[1], [0], [1], [1]]), null, 1).baseline?.loss, 0.25, '0/1 hinge');
  close(computeBaseline('squared_hinge', matrix([[1], [0], [1], [1]]), null, 1).baseline?.loss, 0.25, '0/1 squared hinge');
  // Balanced −1/1: the best constant is no better than 0: loss 1.
  const balanced = computeBaseline('hinge', matrix([[1], [-1]]), null, 1).baseline;
  close(balanced?.loss, 1, 'balanced');
  assert.equal(balanced?.kind, 'chance');
});

test('losses without a known constant optimum: no baseline, with the reason', () => {
  for (const name of ['categoricalHinge', 'poisson', 'myLoss']) {
    const b = computeBaseline(name, matrix([[1], [0]]), null, 1);
    assert.equal(b.baseline, null);
    assert.match(b.reason, new RegExp(`^no baseline for the loss '${name}': LR Lab knows the best constant prediction only for`));
  }
  // A function without a name of its own ("the loss loss" read badly).
  assert.match(computeBaseline('custom loss', matrix([[1], [0]]), null, 1).reason, /^no baseline for a custom loss function: LR Lab knows/);
  assert.equal(baselineLossOf('MSE'), 'mse');
  assert.equal(computeBaseline('meanSquaredError', { values: [], rows: 0, width: 1 }, null, 1).baseline, null);
});

function epoch(i: number, extra: Partial<EpochRecord> = {}): EpochRecord {
  return { epoch: i, trainLoss: 1, valLoss: 1, valAccuracy: null, metrics: {}, valMetrics: {}, lr: 0.1, momentum: null, seconds: i, ...extra };
}

test('off-centre labels: a regression whose fresh outputs cost over 10x the baseline (MSE; √10x MAE) is named, by its worst output, with the fix that fits — off by its centre or by its scale', () => {
  assert.deepEqual(OFF_CENTRE_RATIO, { mse: 10, mae: Math.sqrt(10) });
  // Every row's outputs the same constant: a matrix of it.
  const constant = (rows: number, values: readonly number[]): LabelMatrix => matrix(Array.from({ length: rows }, () => [...values]));
  // Mean 300, σ 10; outputs starting at 0 cost (300² + 10²) / 10² = 901x the mean's loss.
  const prices = matrix([[290], [310], [290], [310]]);
  const far = offCentreLabels('meanSquaredError', prices, constant(4, [0]))!;
  assert.deepEqual({ ...far, ratio: Number(far.ratio.toFixed(6)) }, { loss: 'mse', ratio: 901, output: null, centre: 300, spread: 10, predicted: 0, predictedSpread: 0 });
  assert.equal(describeOffCentre(far), "The freshly built model's outputs start far from the labels: it predicts 0 on average where the labels average 300 (σ 10), so its predictions cost 900x the baseline (the loss of predicting the labels' mean). Every run spends its first steps moving the outputs there rather than learning the task: a training run loses epochs to it, and a range test or a short run reads that offset as much as the task. Standardize the labels (subtract 300 and divide by 10, then undo it on predictions), or start the output layer's bias at 300 (biasInitializer: tf.initializers.constant({ value: 300 })).");
  // Starting near the labels, or within 3σ of them (ratio 1 + 2.9² < 10): nothing to say.
  assert.equal(offCentreLabels('mse', prices, constant(4, [299])), null);
  assert.equal(offCentreLabels('mse', prices, constant(4, [271])), null);
  assert.ok(offCentreLabels('mse', prices, constant(4, [269])) !== null);
  // Predictions for the first rows only: their loss against those rows.
  assert.ok(offCentreLabels('mse', prices, constant(2, [0])) !== null);
  // Labels near 0 and outputs far out: the inputs or the output layer, not the labels.
  const near = offCentreLabels('mse', matrix([[-1], [1]]), constant(2, [5]))!;
  assert.equal(near.ratio, 26);
  assert.match(describeOffCentre(near), /it predicts 5 on average where the labels average 0 \(σ 1\), .*The outputs start further from 0 than the labels sit \(5 against 0\), so it is the outputs that are far out: standardize the inputs .*or check the output layer's initialization\.$/);
  // Labels 2.7σ from 0 and outputs starting near 0, 3.2σ from the labels: the labels' fix, not the inputs'.
  const modest = offCentreLabels('mse', matrix([[0.77], [1.69], [0.77], [1.69]]), constant(4, [-0.246]))!;
  assert.ok(modest !== null, 'fires');
  assert.match(describeOffCentre(modest), /Standardize the labels \(subtract 1\.23 and divide by 0\.46, then undo it on predictions\), or start the output layer's bias at 1\.23/);
  assert.doesNotMatch(describeOffCentre(modest), /standardize the inputs/);
  // Off by scale: labels with σ 0.001 around 0.002, outputs spread ±0.4 around 0 — a constant at their mean would be near.
  const tiny = matrix([[0.001], [0.003], [0.001], [0.003]]);
  const scale = offCentreLabels('mse', tiny, matrix([[0.4], [-0.4], [0.4], [-0.4]]))!;
  assert.ok(scale !== null && Math.abs(scale.predictedSpread - 0.4) < 1e-9 && scale.predicted === 0, JSON.stringify(scale));
  assert.match(describeOffCentre(scale), /^The freshly built model's outputs start far from the labels: they vary by 0\.4 across samples where the labels have σ 0\.001 \(around 0\.002\), so its predictions cost \S+x the baseline .*Every run spends its first steps shrinking them rather than learning the task.* Standardize the labels \(subtract 0\.002 and divide by 0\.001, then undo it on predictions\), or scale down the output layer's initial weights \(where the inputs are far from scale 1, standardize them too: they make the outputs vary\)\.$/);
  // Absolute error: the median and the mean absolute deviation from it (300; 20/3), the loss of outputs at 0 is 300 = 45x.
  const mae = offCentreLabels('meanAbsoluteError', matrix([[290], [310], [300]]), constant(3, [0]))!;
  assert.deepEqual([mae.loss, mae.centre, Number(mae.spread.toFixed(6)), Number(mae.ratio.toFixed(6))], ['mae', 300, 6.666667, 45]);
  assert.match(describeOffCentre(mae), /where the labels have a median of 300 \(mean absolute deviation 6\.67\), so its predictions cost 45x the baseline \(the loss of predicting the labels' median\)\..* Standardize the labels \(subtract 300 and divide by 6\.67,/);
  // Huber and log-cosh are read as absolute error that far out, and the text says that the ratio is absolute error's, not their own loss over their baseline.
  for (const [name, label] of [['huberLoss', 'Huber'], ['logcosh', 'log-cosh']] as const) {
    const robust = offCentreLabels(name, matrix([[290], [310], [300]]), constant(3, [0]))!;
    assert.deepEqual([robust.loss, robust.via, Number(robust.ratio.toFixed(6))], ['mae', name === 'huberLoss' ? 'huber' : 'logcosh', 45]);
    assert.ok(describeOffCentre(robust).includes(`so its predictions cost 45x the absolute error of predicting the labels' median (${label} loss is absolute error that far from the labels).`), describeOffCentre(robust));
  }
  assert.equal(mae.via, undefined);
  // Two outputs: the one off centre is named (1-based); their centres (0.5 and 101) differ, so one bias value is not the fix: each output's is.
  const two = offCentreLabels('mse', matrix([[0, 100], [1, 102]]), constant(2, [0.5, 0]))!;
  assert.equal(two.output, 1);
  assert.match(describeOffCentre(two), /where the labels of output 2 average 101 \(σ 1\)/);
  assert.match(describeOffCentre(two), /Standardize each output's labels \(subtract its mean and divide by its σ, then undo it on predictions\), or start the output layer's bias at each output's own mean: \[0\.5, 101\] \(one biasInitializer value cannot: after building the model, const out = model\.layers\[model\.layers\.length - 1\]; out\.setWeights\(\[out\.getWeights\(\)\[0\], tf\.tensor1d\(\[…\]\)\]\)\)\.$/);
  assert.doesNotMatch(describeOffCentre(two), /tf\.initializers\.constant/);
  // An autoencoder's 20 outputs, centres 3 to 6.8 (σ 0.1 each), outputs at 0: too many to list, their range instead.
  const wide = offCentreLabels('mse', matrix([0, 1].map((r) => Array.from({ length: 20 }, (_, c) => 3 + c * 0.2 + (r === 0 ? -0.1 : 0.1)))), constant(2, new Array<number>(20).fill(0)))!;
  assert.match(describeOffCentre(wide), /each output's own mean: 20 values from 3 to 6\.8 \(one biasInitializer value cannot/);
  // Two outputs with the same centre: one value is the fix, as for one output.
  const same = offCentreLabels('mse', matrix([[299, 300], [301, 300.5]]), constant(2, [0, 0]))!;
  assert.equal(same.centres, undefined);
  assert.match(describeOffCentre(same), /tf\.initializers\.constant\(\{ value: 300(\.25)? \}\)/);
  // An autoencoder's border pixel (always 0, predicted 0.5) beside pixels that vary: the outputs as a whole start near their labels.
  assert.equal(offCentreLabels('mse', matrix([[0, 0], [0, 1]]), constant(2, [0.5, 0.5])), null);
  // Not a regression loss, labels that never vary, outputs that do not line up or are not finite: nothing.
  assert.equal(offCentreLabels('binaryCrossentropy', prices, constant(4, [0])), null);
  assert.equal(offCentreLabels('mse', matrix([[3], [3]]), constant(2, [0])), null);
  assert.equal(offCentreLabels('mse', prices, constant(4, [0, 0])), null);
  assert.equal(offCentreLabels('mse', prices, constant(5, [0])), null);
  assert.equal(offCentreLabels('mse', prices, constant(4, [Number.NaN])), null);
});

test('tf.losses ops given as functions have the baseline of the loss they compute (logits losses: the same best constant)', () => {
  assert.deepEqual(['softmaxCrossEntropy', 'sigmoidCrossEntropy', 'logLoss', 'absoluteDifference', 'meanSquaredError', 'huberLoss', 'hingeLoss'].map(baselineLossOf), ['categorical', 'binary', 'binary', 'mae', 'mse', 'huber', null]);
  const labels = matrix([[1, 0], [0, 1], [0, 1], [0, 1]]);
  assert.deepEqual(computeBaseline('softmaxCrossEntropy', labels, null, 2).baseline, computeBaseline('categoricalCrossentropy', labels, null, 2).baseline);
});

test('metric columns: the model\'s own names (train and val), no empty accuracy column for a regression', () => {
  const mae = metricColumns([epoch(1, { metrics: { mae: 2.5 }, valMetrics: { mae: 2.4 } })]);
  assert.deepEqual(mae.map((c) => c.title), ['mae', 'val mae']);
  assert.equal(formatMetric('mae', 2.4), '2.4');
  // A classifier naming no metric: the legacy accuracy column, from valAccuracy.
  assert.deepEqual(metricColumns([epoch(1, { valAccuracy: 0.5 })]).map((c) => c.title), ['val acc']);
  // Named 'acc': that column, not a second one.
  const acc = metricColumns([epoch(1, { valAccuracy: 0.9, metrics: { acc: 0.8 }, valMetrics: { acc: 0.9 } })]);
  assert.deepEqual(acc.map((c) => c.title), ['acc', 'val acc']);
  assert.equal(formatMetric('acc', 0.9), '90.0%');
  assert.deepEqual(metricColumns([epoch(1)]), []);
  // Older records (format 1) have no metrics at all.
  assert.deepEqual(metricColumns([{ ...epoch(1, { valAccuracy: 0.5 }), metrics: undefined, valMetrics: undefined } as unknown as EpochRecord]).map((c) => c.title), ['val acc']);
});

test('history format 1 → 2 (the result schema): baseline null, epoch metrics empty, recipe failure null and an epochs reason; a complete format-2 result keeps every value', () => {
  const v1Train = {
    kind: 'train', model: '/w/model.ts', backend: 'wasm', seconds: 3, policy: 'onecycle', schedule: { maxLr: 0.1 },
    history: [{ epoch: 1, trainLoss: 1, valLoss: 1, valAccuracy: 0.5, lr: 0.1, momentum: null, seconds: 1 }],
    diagnosis: { verdict: 'good', reason: 'flat' }, savedTo: null, warnings: [],
  };
  const train = anyResultSchema.parse(v1Train, 'result') as TrainResult;
  assert.equal(train.baseline, null);
  assert.deepEqual(train.history[0]!.metrics, {});
  assert.deepEqual(train.history[0]!.valMetrics, {});
  const v1Recipe = {
    kind: 'recipe', model: '/w/model.ts', backend: 'wasm', seconds: 9, budgetSeconds: 60, estimatedSeconds: 50,
    steps: [{ name: 'train', status: 'done', message: 'ok', seconds: 3, evidence: v1Train }, { name: 'momentum', status: 'skipped', message: 'no time', seconds: 0, evidence: null }],
    recommendation: { lr: { minLr: 0.01, maxLr: 0.1 }, momentum: { max: 0.95, min: 0.85 }, weightDecay: 0, batchSize: 32, epochs: 3, schedule: 'onecycle' },
    diagnosis: null, warnings: [],
  };
  const recipe = anyResultSchema.parse(v1Recipe, 'result') as RecipeResult;
  assert.equal(recipe.failure, null);
  assert.equal(recipe.baseline, null);
  assert.equal(recipe.recommendation?.epochsReason, "the confirming run's length");
  assert.equal((recipe.steps[0]!.evidence as TrainResult).baseline, null);
  assert.deepEqual((recipe.steps[0]!.evidence as TrainResult).history[0]!.metrics, {});
  // A complete format-2 result keeps every value it has ('not-learning' included).
  const v2 = { ...v1Train, diagnosis: { verdict: 'not-learning', reason: 'at chance' }, baseline: { loss: 0.69, valLoss: 0.7, kind: 'chance' }, history: [{ ...v1Train.history[0], metrics: { mae: 1 }, valMetrics: { mae: 2 } }] };
  assert.deepEqual(anyResultSchema.parse(v2, 'result'), v2);
  assert.throws(() => anyResultSchema.parse({ ...v2, baseline: { loss: 0.69, valLoss: null, kind: 'median' } }, 'result'), /result\.baseline\.kind: must be one of "chance", "mean"/);
  // Format 14: the confirming step's run 3x lower (`compared`) round-trips; one that is no train result is refused.
  const parsedRecipe = anyResultSchema.parse(v1Recipe, 'result') as RecipeResult;
  const v14 = { ...parsedRecipe, steps: [{ ...parsedRecipe.steps[0]!, compared: v2 }, parsedRecipe.steps[1]!] };
  assert.deepEqual(anyResultSchema.parse(JSON.parse(JSON.stringify(v14)), 'result'), v14);
  assert.throws(() => anyResultSchema.parse({ ...v14, steps: [{ ...v14.steps[0], compared: { ...v2, kind: 'momentum' } }] }, 'result'), /result\.steps\[0\]\.compared/);
  // Format 17: the recommended epochs' own cycle (`checked`) round-trips the same way; a malformed one is refused, named.
  const v17 = { ...parsedRecipe, steps: [{ ...parsedRecipe.steps[0]!, checked: v2 }, parsedRecipe.steps[1]!] };
  assert.deepEqual(anyResultSchema.parse(JSON.parse(JSON.stringify(v17)), 'result'), v17);
  assert.throws(() => anyResultSchema.parse({ ...v17, steps: [{ ...v17.steps[0], checked: { ...v2, history: 'none' } }] }, 'result'), /result\.steps\[0\]\.checked\.history/);
});

test('panel helpers: the x extent of 200,000 points (no spread into Math.min), bounds stretched to show a baseline just above', () => {
  const many = Array.from({ length: 200_000 }, (_, i) => (i === 7 ? Number.NaN : 1 + (i % 1000)));
  assert.deepEqual(extent(many), { min: 1, max: 1000 });
  assert.equal(extent([Number.NaN]), null);
  assert.deepEqual(withBaseline({ min: 0, max: 1 }, 1.5), { min: 0, max: 1.575 });
  assert.deepEqual(withBaseline({ min: 0, max: 1 }, 5), { min: 0, max: 1 }, 'far above: the curve is not squashed');
  assert.deepEqual(withBaseline({ min: 0, max: 1 }, 0.5), { min: 0, max: 1 });
});

test('outputs off the class balance: the fresh outputs\' mean as a constant over the chance level, the worst binary output named, logits and balanced starts left alone', () => {
  const rows = (n: number, f: (i: number) => number[]): LabelMatrix => {
    const values = Array.from({ length: n }, (_, i) => f(i)).flat();
    return { values, rows: n, width: values.length / n };
  };
  // Two sigmoid outputs, 5% and 4% positive; outputs start at 0.5. (A balanced output beside them would
  // dilute the mean over outputs, as tfjs's loss does.)
  const labels = rows(200, (i) => [i % 20 === 0 ? 1 : 0, i % 25 === 0 ? 1 : 0]);
  const half = rows(50, () => [0.5, 0.5]);
  const o = offPrior('binaryCrossentropy', labels, half, 2);
  assert.ok(o !== null && o.output === 1 && o.frequencies[0] === 0.04 && o.predicted[0] === 0.5, JSON.stringify(o));
  assert.ok(o.ratio > OFF_PRIOR_RATIO);
  // Each output's bias is its own: the log-odds of 5% and 4%, not output 2's for both.
  assert.equal(describeOffPrior(o).replace(/ Every run spends.*?\)\. /, ' … '), "The freshly built model's outputs start far from the class balance: output 2 predicts 50% positive on average where 4% of its labels are positive, and the outputs together cost 3.8x the chance level (the loss of predicting the class frequencies). … Start each sigmoid output's bias at its own labels' log-odds, [-2.94, -3.18] (after building: the last layer's setWeights([its kernel, tf.tensor1d([-2.94, -3.18])])).");
  // Outputs already on the prior; balanced labels; a logits loss; outputs that are not probabilities.
  assert.equal(offPrior('binaryCrossentropy', labels, rows(50, () => [0.05, 0.04]), 2), null);
  assert.equal(offPrior('binaryCrossentropy', rows(200, (i) => [i % 2]), rows(50, () => [0.5]), 1), null);
  assert.equal(offPrior('sigmoidCrossEntropy', labels, half, 2), null);
  assert.equal(offPrior('binaryCrossentropy', labels, rows(50, () => [3, -2]), 2), null);
  // 90/10 starts at 2.1x the chance level: under the limit.
  assert.equal(offPrior('binaryCrossentropy', rows(100, (i) => [i % 10 === 0 ? 1 : 0]), rows(50, () => [0.5]), 1), null);
  // One-hot softmax over 4 classes at 97/1/1/1 from a uniform start; more than 10 classes are not listed.
  const oneHot = rows(100, (i) => [0, 1, 2, 3].map((c) => (c === (i < 97 ? 0 : i - 96) ? 1 : 0)));
  const soft = offPrior('categoricalCrossentropy', oneHot, rows(10, () => [0.25, 0.25, 0.25, 0.25]), 4);
  assert.ok(soft !== null && soft.output === null);
  assert.match(describeOffPrior(soft), /its average prediction \(25%, 25%, 25%, 25%\) is far from the labels' class frequencies \(97%, 1%, 1%, 1%\)/);
  const many = offPrior('sparseCategoricalCrossentropy', rows(100, (i) => [i < 89 ? 0 : i - 88]), rows(10, () => Array<number>(12).fill(1 / 12)), 12);
  assert.ok(many !== null);
  assert.match(describeOffPrior(many), /log of the class frequencies \(ln of each class's share of the labels\)\.$/);
});

test('Huber (δ 1) and log-cosh: the loss of the best constant, found on the convex loss', () => {
  // The constant is found by golden-section search: to ~1e-8 (the loss is flat at its minimum), the loss far closer.
  const close = (a: number | null | undefined, b: number, what: string): void => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-7 * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);
  // Labels 0, 0, 0, 10: for a constant c in [0, 1], 3·c²/2 + (10 − c − 1/2) is least at c = 1/3, where the mean is (1/6 + 28/3) / 4 = 7/3.
  const skewed = computeBaseline('huberLoss', matrix([[0], [0], [0], [10]]), matrix([[1], [1]]), 1).baseline;
  close(skewed?.loss, 7 / 3, 'huber');
  assert.equal(skewed?.kind, 'mean');
  assert.equal(skewed?.constant, 'fitted');
  // Validation: the training split's constant (1/3) on labels 1, 1: (2/3)² / 2.
  close(skewed?.valLoss, 2 / 9, 'validation huber');
  // Within δ of each other the labels cost a half square: -0.5 and 0.5 around the constant 0 → 0.125.
  close(computeBaseline('huberLoss', matrix([[-0.5], [0.5]]), null, 1).baseline?.loss, 0.125, 'huber, quadratic part');
  // Log-cosh of −1 and 1: the constant 0 by symmetry, log cosh 1 each.
  close(computeBaseline('logcosh', matrix([[-1], [1]]), null, 1).baseline?.loss, Math.log(Math.cosh(1)), 'logcosh');
  // Far out, log-cosh is |d| − log 2 (no overflow at 1000).
  close(computeBaseline('logcosh', matrix([[-1000], [1000]]), null, 1).baseline?.loss, 1000 - Math.LN2, 'logcosh far out');
  // Constant labels: nothing to learn (the loss at the constant is 0).
  assert.equal(computeBaseline('huberLoss', matrix([[2], [2]]), null, 1).baseline?.loss, 0);
  assert.match(describeBaseline(skewed), /^the loss of the best constant prediction, 2\.33$/);
});

test('mean absolute percentage error: the median weighted by 1/|y|, its loss as tfjs-layers computes it (100 · |y − c| / max(|y|, 1e-7))', () => {
  // Labels 1, 2, 4: weights 1, 1/2, 1/4 (total 1.75): the weighted median is 1, where the errors are 0%, 50% and 75%: mean 41.67.
  const b = computeBaseline('meanAbsolutePercentageError', matrix([[1], [2], [4]]), matrix([[2]]), 1).baseline;
  assert.ok(b !== null && Math.abs(b.loss - 125 / 3) < 1e-9, `mape: ${b?.loss}`);
  assert.deepEqual([b?.kind, b?.constant], ['mean', 'fitted']);
  // Validation: the constant 1 on the label 2: 50%.
  assert.ok(Math.abs((b?.valLoss ?? NaN) - 50) < 1e-9);
  // Its short name too; no other constant scores lower (a scan around it).
  assert.equal(baselineLossOf('mape'), 'mape');
  const labels = [3, 5, 8, 13, 40];
  const at = (c: number): number => labels.reduce((a, y) => a + (100 * Math.abs(y - c)) / y, 0) / labels.length;
  const best = computeBaseline('mape', matrix(labels.map((y) => [y])), null, 1).baseline!.loss;
  for (let c = 1; c <= 45; c += 0.25) assert.ok(best <= at(c) + 1e-9, `constant ${c}: ${at(c)} < ${best}`);
});

test('Kullback-Leibler divergence: the best constant is the labels\' mean distribution, scored as tfjs-layers does (Σ y·ln(y/q) per row, clipped to [1e-7, 1])', () => {
  assert.equal(baselineLossOf('kullbackLeiblerDivergence'), 'kld');
  assert.equal(baselineLossOf('kld'), 'kld');
  // Rows (0.7, 0.3) and (0.1, 0.9): q = (0.4, 0.6); 0.7 ln(7/4) + 0.3 ln(1/2) = 0.18379, 0.1 ln(1/4) + 0.9 ln(3/2) = 0.22629.
  const soft = computeBaseline('kullbackLeiblerDivergence', matrix([[0.7, 0.3], [0.1, 0.9]]), matrix([[0.4, 0.6]]), 2).baseline!;
  assert.ok(Math.abs(soft.loss - (0.7 * Math.log(0.7 / 0.4) + 0.3 * Math.log(0.3 / 0.6) + 0.1 * Math.log(0.1 / 0.4) + 0.9 * Math.log(0.9 / 0.6)) / 2) < 1e-12, String(soft.loss));
  assert.ok(Math.abs(soft.valLoss!) < 1e-12, 'validation at the mean distribution itself: 0');
  assert.equal(soft.kind, 'chance');
  assert.equal(soft.accuracy, undefined, 'no accuracy for soft targets');
  // One-hot labels: the clipped zeros add ε·ln(ε/q), and the rest is the cross-entropy of the class frequencies.
  const hard = computeBaseline('kld', matrix([[1, 0], [1, 0], [0, 1], [1, 0]]), null, 2).baseline!;
  assert.ok(Math.abs(hard.loss - (-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)))) < 1e-5, String(hard.loss));
});

test("a classifier's chance accuracy: the best a constant scores on validation (its most frequent class), as tfjs's accuracies score", () => {
  // One-hot: class 1 is the training majority (3 of 4), class 0 validation's (3 of 4): a model that always says 0 scores 75% there, so that is chance.
  const oneHot = computeBaseline('categoricalCrossentropy', matrix([[0, 1], [0, 1], [1, 0], [0, 1]]), matrix([[1, 0], [0, 1], [1, 0], [1, 0]]), 2).baseline;
  assert.equal(oneHot?.accuracy, 0.75);
  assert.equal(oneHot?.valSamples, 4);
  // Class indices: 2 is the majority; validation 2, 2, 0 → 2/3.
  assert.equal(computeBaseline('sparseCategoricalCrossentropy', matrix([[2], [2], [1]]), matrix([[2], [2], [0]]), 3).baseline?.accuracy, 2 / 3);
  // Sigmoid outputs, per label, each output's more frequent side on validation: 1 of 2 and 2 of 2 → 3 of 4 labels,
  // each scored apart: 2 labels per sample (outputs), where one-hot rows and a single output have none.
  const multi = computeBaseline('binaryCrossentropy', matrix([[0, 1], [0, 1], [1, 1]]), matrix([[0, 1], [1, 1]]), 2).baseline;
  assert.deepEqual([multi?.accuracy, multi?.valSamples, multi?.outputs], [0.75, 2, 2]);
  assert.equal(oneHot?.outputs, undefined);
  // Soft labels: binaryCrossentropy's accuracy reads 0.3 as negative (above 0.5 is positive), sigmoidCrossEntropy's
  // (the sign of its logits against label above 0, engine/metrics.ts) as positive: 1 of 3 against 3 of 3 positive.
  const soft = matrix([[0.3], [0.3], [0.9]]);
  assert.equal(computeBaseline('binaryCrossentropy', soft, soft, 1).baseline?.accuracy, 2 / 3);
  assert.equal(computeBaseline('sigmoidCrossEntropy', soft, soft, 1).baseline?.accuracy, 1);
  // Hinge labels −1/1, read as positive above 0.
  assert.equal(computeBaseline('hinge', matrix([[-1], [-1], [1]]), matrix([[-1], [1], [1]]), 1).baseline?.accuracy, 2 / 3);
  // 49.5% positive in training, 52% in validation: always "1" scores 52% there, and that is chance (not the training majority's 48%).
  const shifted = computeBaseline('binaryCrossentropy', matrix(Array.from({ length: 200 }, (_, i) => [i < 99 ? 1 : 0])), matrix(Array.from({ length: 100 }, (_, i) => [i < 52 ? 1 : 0])), 1).baseline;
  assert.equal(shifted?.accuracy, 0.52);
  // None for a regression, or without validation labels.
  assert.equal(computeBaseline('meanSquaredError', matrix([[1], [2]]), matrix([[1]]), 1).baseline?.accuracy, undefined);
  assert.equal(computeBaseline('categoricalCrossentropy', matrix([[0, 1], [1, 0]]), null, 2).baseline?.accuracy, undefined);
});

test('outputs on very different scales: one loss is the largest one\'s, and the warning names each output\'s spread', () => {
  // Three targets with σ 0.01, 1 and 1000 (a user's multi-output regression that read "good" with output 1 worse than its mean).
  const rows = Array.from({ length: 200 }, (_, i) => { const z = i % 2 === 0 ? 1 : -1; return [0.01 * z, 1 * z + 5, 1000 * z]; });
  const u = unevenOutputScales('meanSquaredError', matrix(rows))!;
  assert.deepEqual([u.loss, u.largest, u.spreads.map((x) => Number(x.toPrecision(3)))], ['mse', 2, [0.01, 1, 1000]]);
  assert.ok(u.share > 0.999);
  assert.equal(describeUnevenScales(u), "The outputs' labels are on very different scales (output 1 σ 0.01, output 2 σ 1, output 3 σ 1000): the loss is over 99.9% output 3's, so the range test, the short runs and the verdicts read that output almost alone, and the others can stay badly fit unnoticed. Standardize each output's labels (subtract its mean and divide by its σ; undo it on predictions), or weight the outputs in a loss of your own.");
  // Huber reads as absolute error: mean absolute deviations.
  assert.equal(unevenOutputScales('huberLoss', matrix(rows))?.loss, 'mae');
  // Spreads within 10x, one output, a constant output beside another, or a classifier: nothing to say.
  assert.equal(unevenOutputScales('meanSquaredError', matrix(rows.map((r) => [r[1]!, 5 * r[0]! * 100]))), null);
  assert.equal(unevenOutputScales('meanSquaredError', matrix(rows.map((r) => [r[2]!]))), null);
  assert.equal(unevenOutputScales('meanSquaredError', matrix(rows.map((r) => [3, r[2]!]))), null);
  assert.equal(unevenOutputScales('categoricalCrossentropy', matrix(rows)), null);
});

test('outputs on very different scales where no output is most of the loss (784 pixels of an autoencoder, 0 to 0.41): nothing to say; where one is, a long list names the largest and the smallest only', () => {
  // Pixels: spreads from 0.002 to 0.4 across 784 outputs, none over 1% of the loss.
  const pixels = Array.from({ length: 100 }, (_, i) => Array.from({ length: 784 }, (_, k) => (i % 2 === 0 ? 1 : -1) * (0.002 + (0.4 * ((k * 37) % 784)) / 784) + 0.5));
  assert.equal(unevenOutputScales('meanSquaredError', matrix(pixels)), null);
  // Twenty outputs, one at σ 100, the others at 0.5 to 2.4: the list is the largest, the five smallest and how many more.
  const many = Array.from({ length: 100 }, (_, i) => Array.from({ length: 20 }, (_, k) => (i % 2 === 0 ? 1 : -1) * (k === 7 ? 100 : 0.5 + 0.1 * k)));
  const u = unevenOutputScales('meanSquaredError', matrix(many))!;
  assert.equal(u.largest, 7);
  assert.match(describeUnevenScales(u), /^The outputs' labels are on very different scales \(output 8 σ 100; smallest: output 1 σ 0\.5, output 2 σ 0\.6, output 3 σ 0\.7, output 4 σ 0\.8, output 5 σ 0\.9; and 14 more outputs\): the loss is 9\d\.\d% output 8's/);
});

test('a validation split narrow in classes: sorted samples split in order are said (sparse, one-hot, binary); random splits, small ones, many classes and regressions are not', () => {
  // 10 classes of 100 samples sorted by class, the last fifth held out: classes 8 and 9 only.
  const sorted = Array.from({ length: 1000 }, (_, i) => Math.floor(i / 100));
  const narrow = narrowValidation('sparseCategoricalCrossentropy', indices(sorted.slice(0, 800)), indices(sorted.slice(800)));
  assert.ok(narrow !== null);
  // Classes 8 and 9 are not in the training split at all; its 8 classes are all missing from validation.
  assert.deepEqual([narrow.trainClasses, narrow.validationClasses, narrow.unseen, narrow.validationRows, narrow.binary], [8, [], [8, 9], 200, false]);
  close(narrow.missingShare, 1, 'missing share');
  assert.equal(
    describeNarrowValidation(narrow, 'option'),
    'The validation split holds none of the 8 classes the training split has, and classes 8, 9 that it lacks, where a random split of its 200 samples would hold about 8 of them: its loss and accuracy, which every verdict, epoch count and short-run ranking reads, say nothing of the classes it lacks (100% of the training samples). The samples look sorted by class: shuffle them (xs and ys together) before splitting off validationData, or leave validationData out to have findLr hold out a random share (validationSplit).',
  );
  // Sorted 0..9, validation cut inside class 7: classes 7 (its last samples) and 8, 9.
  const cut = narrowValidation('sparseCategoricalCrossentropy', indices(sorted.slice(0, 750)), indices(sorted.slice(750)));
  assert.deepEqual([cut?.validationClasses, cut?.unseen], [[7], [8, 9]]);
  assert.match(describeNarrowValidation(cut!, 'flag'), /^The validation split holds one class only \(class 7\) of the 8 classes the training split has, and classes 8, 9 that it lacks, where/);
  // Interleaved (sample i is class i % 10): every class in both splits.
  const cycled = Array.from({ length: 1000 }, (_, i) => i % 10);
  assert.equal(narrowValidation('sparseCategoricalCrossentropy', indices(cycled.slice(0, 800)), indices(cycled.slice(800))), null);
  // One-hot rows: the same.
  const three = Array.from({ length: 300 }, (_, i) => Math.floor(i / 100));
  const hot = narrowValidation('categoricalCrossentropy', oneHot(three.slice(0, 240), 3), oneHot(three.slice(240), 3));
  assert.deepEqual([hot?.validationClasses, hot?.trainClasses], [[2], 3]);
  assert.match(describeNarrowValidation(hot!, 'flag'), /^The validation split holds one class only \(class 2\) of the 3 classes the training split has, where a random split of its 60 samples would hold about 3 of them: .* \(83% of the training samples\)\. The samples look sorted by class, and the validation split a share of them taken in that order \(fit's validationSplit takes the last share, unshuffled, as tfjs does\)\./);
  // One sigmoid output: labels 0 and 1, read at 0.5.
  const labels = Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 1));
  const binary = narrowValidation('binaryCrossentropy', indices(labels.slice(0, 160)), indices(labels.slice(160)));
  assert.deepEqual([binary?.validationClasses, binary?.binary], [[1], true]);
  // Five validation samples of two even labels are one label 6% of the time by chance: not said.
  const even = Array.from({ length: 100 }, (_, i) => i % 2);
  assert.equal(narrowValidation('binaryCrossentropy', indices(even), indices([1, 1, 1, 1, 1])), null);
  // 1,000 classes and 200 validation samples: a random split holds ~181 of them, missing most classes, and is not narrow.
  const many = Array.from({ length: 5000 }, (_, i) => i % 1000);
  const drawn = Array.from({ length: 200 }, (_, i) => (i * 7919) % 1000);
  assert.equal(narrowValidation('sparseCategoricalCrossentropy', indices(many), indices(drawn)), null);
  // Several binary outputs (multi-label), a regression, one training class, no validation rows: nothing to say.
  assert.equal(narrowValidation('binaryCrossentropy', matrix([[0, 1], [1, 0], [0, 0]]), matrix([[1, 1]])), null);
  assert.equal(narrowValidation('meanSquaredError', indices([0, 0, 1, 1]), indices([1, 1])), null);
  assert.equal(narrowValidation('sparseCategoricalCrossentropy', indices(Array.from({ length: 50 }, () => 0)), indices(Array.from({ length: 50 }, () => 1))), null);
  assert.equal(narrowValidation('sparseCategoricalCrossentropy', indices(sorted), indices([])), null);
});

test('a class the validation split holds few of, against the others: a 99:1 task\'s 2 positives in 200 are said, with the fix; a balanced split, 10 or more of the class, or many classes are not', () => {
  const binary = (n: number, positives: number): LabelMatrix => matrix(Array.from({ length: n }, (_, i) => [i < positives ? 1 : 0]));
  const rare = rareInValidation('binaryCrossentropy', binary(800, 8), binary(200, 2));
  assert.deepEqual(rare, { cls: 1, count: 2, validationRows: 200, binary: true });
  assert.equal(describeRareInValidation(rare, 'flag', true), "The validation split holds 2 samples of label 1 (of 200): the validation loss, which every verdict, epoch count and short-run ranking reads, moves with those few samples' confidence, so a rise or a fall of one of them can decide a verdict. Hold out more of label 1 (a larger validation split from loadData; at least 10, e.g. by splitting each class in the same share).");
  // The share LR Lab held out, where it held one out (--validation-split is ignored beside loadData's own split).
  assert.match(describeRareInValidation(rare, 'flag', false), /\(a larger --validation-split, or return a validation split from loadData\(\); at least 10/);
  assert.match(describeRareInValidation(rare, 'option', true), /\(more validationData; at least 10/);
  assert.match(describeRareInValidation(rare, 'option', false), /\(a larger validationSplit, or validationData; at least 10/);
  assert.equal(rareInValidation('binaryCrossentropy', binary(800, 40), binary(200, 10)), null, '10 of it');
  // Ten even classes, 6 validation samples each: few, but not few against the others.
  const even = (n: number): LabelMatrix => matrix(Array.from({ length: n }, (_, i) => [i % 10]));
  assert.equal(rareInValidation('sparseCategoricalCrossentropy', even(600), even(60)), null);
  // Sparse indices, 3 classes, one of them 3 in 90: said, as class 2.
  const three = (n: number, rareCount: number): LabelMatrix => matrix(Array.from({ length: n }, (_, i) => [i < rareCount ? 2 : i % 2]));
  assert.equal(rareInValidation('sparseCategoricalCrossentropy', three(300, 10), three(90, 3))?.cls, 2);
  // A regression, and a class absent from validation (narrowValidation's or nothing: 0 held is not "few"), are not this warning's.
  assert.equal(rareInValidation('meanSquaredError', binary(800, 8), binary(200, 2)), null);
  assert.equal(rareInValidation('binaryCrossentropy', binary(800, 8), binary(200, 0)), null);
});

test('outputs whose training labels are one value each, of several: said, naming them (a multi-label task\'s label never present in training); all constant, one output, one-hot classes and an image\'s many pixels are not', () => {
  const rows = Array.from({ length: 40 }, (_, i) => [i % 2, i % 5 === 0 ? 1 : 0, 0]);
  const found = constantOutputs('binaryCrossentropy', matrix(rows));
  assert.deepEqual(found, { outputs: [{ output: 2, value: 0 }], width: 3 });
  assert.equal(describeConstantOutputs(found), 'One output has the same training label in every row: output 3 (all 0). The model can only learn to predict that value there, whatever its validation labels hold, and the loss and accuracy average it in. Check those labels (a label missing from the training split?), or drop the output.');
  // A regression's second target constant at 5: said too.
  assert.deepEqual(constantOutputs('meanSquaredError', matrix(rows.map((r) => [r[0]!, 5])))?.outputs, [{ output: 1, value: 5 }]);
  assert.equal(constantOutputs('binaryCrossentropy', matrix(rows.map(() => [0, 0]))), null, 'all constant: constantLabels says it');
  assert.equal(constantOutputs('binaryCrossentropy', matrix(rows.map((r) => [r[0]!]))), null, 'one output');
  assert.equal(constantOutputs('categoricalCrossentropy', matrix(rows.map((r) => [r[0]!, 1 - r[0]!, 0]))), null, 'a class absent from one-hot rows: another warning');
  assert.equal(constantOutputs('meanSquaredError', matrix(rows.map((r) => [r[0]!, ...new Array<number>(99).fill(0)]))), null, 'an image\'s 100 pixels');
});

test('soft labels under a cross-entropy: their own entropy is the floor no model gets below (Baseline.floor); one-hot rows and 0/1 labels have none', () => {
  // Rows (0.7, 0.2, 0.1) and (0.1, 0.8, 0.1): entropies 0.8018 and 0.6390.
  const soft = computeBaseline('categoricalCrossentropy', matrix([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]), matrix([[0.5, 0.5, 0]]), 3).baseline!;
  const h = (p: number[]): number => -p.reduce((a, x) => a + (x > 0 ? x * Math.log(x) : 0), 0);
  assert.ok(Math.abs(soft.floor!.loss - (h([0.7, 0.2, 0.1]) + h([0.1, 0.8, 0.1])) / 2) < 1e-12, JSON.stringify(soft.floor));
  assert.ok(Math.abs(soft.floor!.valLoss! - Math.LN2) < 1e-12);
  assert.ok(soft.floor!.loss < soft.loss);
  // Label-smoothed binary targets (0.9 / 0.1): each label's entropy, 0.325.
  const smoothed = computeBaseline('binaryCrossentropy', matrix([[0.9], [0.1], [0.9], [0.1]]), null, 1).baseline!;
  assert.ok(Math.abs(smoothed.floor!.loss - h([0.9, 0.1])) < 1e-12);
  assert.equal(smoothed.floor!.valLoss, null);
  assert.equal(computeBaseline('categoricalCrossentropy', matrix([[1, 0], [0, 1]]), null, 2).baseline!.floor, undefined);
  assert.equal(computeBaseline('binaryCrossentropy', matrix([[1], [0]]), null, 1).baseline!.floor, undefined);
  assert.equal(computeBaseline('meanSquaredError', matrix([[0.3], [0.7]]), null, 1).baseline!.floor, undefined);
});
