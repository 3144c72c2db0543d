/**
 * The model's own metrics in the trainer (src/engine/metrics.ts, Trainer.evaluate and the
 * training steps): resolved by the names the user gave, equal to tfjs's own metric over the same
 * data, no tensor growth. Pure-JS cpu backend: this is about the numbers, not speed.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { resolveMetrics } from '../../src/engine/metrics';
import { Trainer, accuracyKindOf } from '../../src/engine/trainer';
import { inputsOffScale, labelChecks, outputsOffStart } from '../../src/engine/baseline';
import type { Split } from '../../src/engine/trainer';
import { computeBaseline, describeHingeZeroOne, describeOffPrior } from '../../src/core/baseline';
import { describeOffScaleInputs } from '../../src/core/inputScale';

const T = tf;
before(async () => {
  assert.ok(await tf.setBackend('cpu'));
});

function regression(): { model: tf.LayersModel; split: Split } {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones', biasInitializer: 'zeros' }));
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae', 'MSE'] });
  const xs = tf.tensor2d([[1, 0], [0, 1], [1, 1], [2, -1], [0, 0]]);
  const ys = tf.tensor2d([[2], [0], [1], [1], [3]]);
  return { model, split: { xs, ys, count: 5 } };
}

test('compile metrics by their names: mae and MSE over a split equal tfjs computed on all of it at once', () => {
  const { model, split } = regression();
  const { metrics, warnings } = resolveMetrics(T, undefined, model, 'meanSquaredError', 1);
  assert.deepEqual(metrics.map((m) => m.name), ['mae', 'MSE']);
  assert.deepEqual(warnings, []);
  const trainer = new Trainer(T, model, (a, b) => tf.losses.meanSquaredError(a, b), null, { optimizer: { name: 'sgd', lr: 0, momentum: 0, weightDecay: 0 }, metrics });
  // Batches of 2: the weighting by batch size must give the whole-split mean.
  const e = trainer.evaluate(split, split.count, 2);
  const prediction = model.predict(split.xs) as tf.Tensor;
  const mae = tf.metrics.meanAbsoluteError(split.ys, prediction).mean().dataSync()[0]!;
  const mse = tf.metrics.meanSquaredError(split.ys, prediction).mean().dataSync()[0]!;
  assert.ok(Math.abs(e.metrics['mae']! - mae) < 1e-6, `${e.metrics['mae']} vs ${mae}`);
  assert.ok(Math.abs(e.metrics['MSE']! - mse) < 1e-6);
  assert.ok(Math.abs(e.loss - mse) < 1e-6, 'the MSE loss and the MSE metric agree');
  assert.equal(e.accuracy, null);
  trainer.dispose();
});

test('training metrics: the mean over the epoch\'s batches, read and reset by takeTrainMetrics; no tensor growth', () => {
  const { model, split } = regression();
  const { metrics } = resolveMetrics(T, ['mae'], model, 'meanSquaredError', 1);
  const trainer = new Trainer(T, model, (a, b) => tf.losses.meanSquaredError(a, b), null, { optimizer: { name: 'sgd', lr: 0, momentum: 0, weightDecay: 0 }, metrics, trainMetrics: true });
  // LR 0: the weights stay, so each batch's MAE is known beforehand.
  const batches = [Int32Array.from([0, 1]), Int32Array.from([2, 3, 4])];
  const expected = batches.map((idx) => tf.tidy(() => {
    const i = tf.tensor1d(idx, 'int32');
    return tf.metrics.meanAbsoluteError(tf.gather(split.ys, i), model.predict(tf.gather(split.xs, i)) as tf.Tensor).mean().dataSync()[0]!;
  }));
  const before = tf.memory().numTensors;
  for (const idx of batches) trainer.stepOn(split, idx);
  const taken = trainer.takeTrainMetrics();
  assert.ok(Math.abs(taken['mae']! - (expected[0]! + expected[1]!) / 2) < 1e-6, `${taken['mae']}`);
  assert.deepEqual(trainer.takeTrainMetrics(), { mae: null }, 'reset after reading');
  for (let k = 0; k < 5; k++) trainer.stepOn(split, batches[1]!);
  trainer.takeTrainMetrics();
  assert.equal(tf.memory().numTensors, before);
  trainer.dispose();
});

test('accuracy as named: "acc" with class indices is sparse categorical accuracy, one sigmoid unit is binary; unknown names warn', () => {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' }));
  const sparse = resolveMetrics(T, ['acc', 'f1'], model, 'sparseCategoricalCrossentropy', 3);
  assert.deepEqual(sparse.metrics.map((m) => m.name), ['acc']);
  assert.equal(sparse.metrics[0]!.fn, tf.metrics.sparseCategoricalAccuracy);
  assert.match(sparse.warnings[0]!, /^The metric 'f1' is not one LR Lab can compute \(known: accuracy, acc, /);
  assert.equal(resolveMetrics(T, ['accuracy'], model, 'binaryCrossentropy', 1).metrics[0]!.fn, tf.metrics.binaryAccuracy);
  assert.equal(resolveMetrics(T, ['accuracy'], model, 'categoricalCrossentropy', 3).metrics[0]!.fn, tf.metrics.categoricalAccuracy);
  // The export wins over the compile's metrics, and a function keeps its own name.
  const named = function precisionAt(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.metrics.precision(yTrue, yPred);
  };
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: [named] });
  assert.deepEqual(resolveMetrics(T, undefined, model, 'categoricalCrossentropy', 3).metrics.map((m) => m.name), ['precisionAt']);
  assert.deepEqual(resolveMetrics(T, ['mse'], model, 'categoricalCrossentropy', 3).metrics.map((m) => m.name), ['mse']);
});

test('tfjs\'s precision and recall count only outputs of exactly 1 (and 0): named, they keep tfjs\'s numbers with a note, whose thresholding function gives the 0.5 figure (a model at 95% accuracy read 0.0% precision)', () => {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' }));
  const { metrics, warnings } = resolveMetrics(T, ['accuracy', 'precision', 'Recall'], model, 'binaryCrossentropy', 1);
  assert.deepEqual(metrics.map((m) => m.name), ['accuracy', 'precision', 'Recall']);
  assert.deepEqual(warnings, [], 'said where the metrics are shown (train), not by every command');
  const notes = metrics.map((m) => m.note);
  assert.equal(notes[0], undefined);
  assert.match(notes[1]!, /^'precision' is tfjs's own precision, which counts only an output of exactly 1 as a prediction: it does not threshold probabilities at 0\.5 as Keras does/);
  assert.match(notes[2]!, /^'Recall' is tfjs's own recall, which counts only an output of exactly 1 or exactly 0 as a prediction/);
  const y = tf.tensor2d([[1], [1], [0], [0]]);
  const p = tf.tensor2d([[0.9], [0.8], [0.2], [0.6]]);
  const value = (t: tf.Tensor): number => t.dataSync()[0]!;
  assert.equal(value(metrics[0]!.fn(y, p).mean()), 0.75);
  assert.equal(value(metrics[1]!.fn(y, p)), 0, 'tfjs: no output is exactly 1');
  assert.equal(value(metrics[2]!.fn(y, p)), 0);
  // The note's function, as written there: 2 true positives of 3 predicted, 2 of 2 found.
  const threshold = (m: 'precision' | 'recall') => (yt: tf.Tensor, yp: tf.Tensor): tf.Tensor => tf.metrics[m](yt, tf.cast(tf.greater(yp, 0.5), 'float32'));
  assert.match(notes[1]!, /\(y, p\) => tf\.metrics\.precision\(y, tf\.cast\(tf\.greater\(p, 0\.5\), 'float32'\)\)/);
  assert.ok(Math.abs(value(threshold('precision')(y, p)) - 2 / 3) < 1e-6);
  assert.equal(value(threshold('recall')(y, p)), 1);
  // Other metrics say nothing.
  assert.deepEqual(resolveMetrics(T, ['accuracy', 'mse'], model, 'binaryCrossentropy', 1).metrics.map((m) => m.note), [undefined, undefined]);
});

test('the trainer\'s own binary accuracy is per sample, as tfjs\'s binaryAccuracy: five sigmoid outputs (multi-label) and one give the share right, never above 1', () => {
  for (const labels of [5, 1]) {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: labels, activation: 'sigmoid', inputShape: [3] }));
    const xs = tf.randomNormal([7, 3], 0, 1, 'float32', 11);
    const ys = tf.cast(tf.greater(tf.randomUniform([7, labels], 0, 1, 'float32', 12), 0.5), 'float32');
    const trainer = new Trainer(T, model, (a, b) => tf.losses.sigmoidCrossEntropy(a, b), 'binary', { optimizer: { name: 'sgd', lr: 0, momentum: 0, weightDecay: 0 } });
    // Batches of 3 (the last of 1): the weighting must give the whole-split mean.
    const e = trainer.evaluate({ xs, ys, count: 7 }, 7, 3);
    const expected = tf.metrics.binaryAccuracy(ys, model.predict(xs) as tf.Tensor).mean().dataSync()[0]!;
    assert.ok(e.accuracy !== null && e.accuracy <= 1 && Math.abs(e.accuracy - expected) < 1e-6, `${labels} labels: ${e.accuracy} against tfjs ${expected}`);
  }
});

test('a hinge loss\'s accuracy reads its margins at 0 (labels -1/1 or 0/1), not at 0.5 as probabilities', () => {
  assert.equal(accuracyKindOf('hinge'), 'sign');
  assert.equal(accuracyKindOf('squaredHinge'), 'sign');
  assert.equal(accuracyKindOf('binaryCrossentropy'), 'binary');
  assert.equal(accuracyKindOf('categoricalHinge'), 'categorical');
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'ones' }));
  // Predictions equal the inputs: 0.3 and -0.2 are right for labels 1 and -1 (or 0), 0.7 is wrong for -1.
  const xs = tf.tensor2d([[0.3], [-0.2], [0.7], [-0.9]]);
  for (const negative of [-1, 0]) {
    const ys = tf.tensor2d([[1], [negative], [negative], [1]]);
    const trainer = new Trainer(T, model, (a, b) => tf.losses.hingeLoss(a, b), 'sign', { optimizer: { name: 'sgd', lr: 0, momentum: 0, weightDecay: 0 } });
    const e = trainer.evaluate({ xs, ys, count: 4 }, 4, 4);
    assert.equal(e.accuracy, 0.5, `labels ${negative}/1`);
  }
});

test('a hinge model\'s "accuracy" metric reads margins at 0, as the trainer does, where tfjs\'s binaryAccuracy counts no -1 label right; a metric named binaryAccuracy stays tfjs\'s', () => {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [1], activation: 'tanh' }));
  for (const loss of ['hinge', 'squared_hinge']) {
    const { metrics, warnings } = resolveMetrics(T, ['accuracy', 'binaryAccuracy'], model, loss, 1);
    assert.deepEqual(metrics.map((m) => m.name), ['accuracy', 'binaryAccuracy']);
    assert.equal(metrics[1]!.fn, tf.metrics.binaryAccuracy);
    assert.match(warnings.join('\n'), new RegExp(`^'accuracy' of a ${loss} model is read from the sign of its margins`));
    const margins = tf.tensor2d([[0.3], [-0.2], [0.7], [-0.9], [0.6]]);
    for (const negative of [-1, 0]) {
      const ys = tf.tensor2d([[1], [negative], [negative], [1], [1]]);
      // Right: 0.3 (+), -0.2 (-), 0.6 (+); wrong: 0.7 (-), -0.9 (+).
      assert.ok(Math.abs(tf.mean(metrics[0]!.fn(ys, margins)).dataSync()[0]! - 0.6) < 1e-6, `labels ${negative}/1`);
    }
    // tfjs's: only 0.6 rounds to a positive and equals its label.
    assert.ok(Math.abs(tf.mean(metrics[1]!.fn(tf.tensor2d([[1], [-1], [-1], [1], [1]]), margins)).dataSync()[0]! - 0.2) < 1e-6);
  }
  // Two margins per sample (a multi-label hinge): per sample the share right, as the trainer's.
  const two = resolveMetrics(T, ['acc'], model, 'hinge', 2).metrics[0]!.fn(tf.tensor2d([[1, -1], [1, 1]]), tf.tensor2d([[0.5, 0.5], [0.1, 0.2]]));
  assert.deepEqual(Array.from(two.dataSync()), [0.5, 1]);
  // Other losses warn nothing about it.
  assert.deepEqual(resolveMetrics(T, ['accuracy'], model, 'binaryCrossentropy', 1).warnings, []);
});

test('a hinge loss given 0/1 labels: tfjs reads them as −1/+1 and does not convert them, so each 0 costs 1 whatever is predicted — said, with the fix; −1/+1 labels and other losses are not', () => {
  const xs = tf.randomNormal([40, 2], 0, 1, 'float32', 3);
  const zeroOne = tf.tensor2d(Float32Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : 0)), [40, 1]);
  // What the warning claims, on tfjs itself: under the layers' 'hinge' a label 0 costs 1 at any prediction.
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: tf.initializers.randomNormal({ stddev: 5, seed: 1 }) })] });
  model.compile({ optimizer: 'sgd', loss: 'hinge' });
  assert.equal((model.evaluate(xs, tf.zeros([40, 1])) as tf.Tensor).dataSync()[0], 1);
  const none = { xs, ys: tf.zeros([0, 1]), count: 0 };
  const hingeZeroOneOf = (lossName: string, train: Split): ReturnType<typeof labelChecks>['zeroOne'] => labelChecks(lossName, { train, validation: none }).zeroOne;
  const found = hingeZeroOneOf('hinge', { xs, ys: zeroOne, count: 40 });
  assert.deepEqual(found, { zeros: 30, labels: 40 });
  assert.equal(describeHingeZeroOne('hinge', found), "The labels are 0 and 1, but tfjs's hinge loss reads a label as −1 or +1 and does not convert 0/1 labels as Keras does: each label 0 (30 labels of 40) costs 1 whatever the model predicts, so those samples teach it nothing and no learning rate fixes that. Map the labels to −1/+1 (ys.mul(2).sub(1)), or use 'binaryCrossentropy' with a sigmoid output.");
  assert.deepEqual(hingeZeroOneOf('squaredHinge', { xs, ys: zeroOne, count: 40 }), { zeros: 30, labels: 40 });
  const signs = tf.tensor2d(Float32Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : -1)), [40, 1]);
  assert.equal(hingeZeroOneOf('hinge', { xs, ys: signs, count: 40 }), null);
  assert.equal(hingeZeroOneOf('binaryCrossentropy', { xs, ys: zeroOne, count: 40 }), null);
  tf.dispose([xs, zeroOne, signs]);
});

test('the Kullback-Leibler baseline is what tfjs-layers\' kullbackLeiblerDivergence scores for a model that always outputs the labels\' mean distribution', () => {
  const labels = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0, 0.5, 0.5]];
  const q = [0, 1, 2].map((c) => labels.reduce((a, r) => a + r[c]!, 0) / labels.length);
  // A zero kernel and a bias of ln q: its softmax is q for every input.
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'softmax', kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: 0 }) })] });
  model.layers[0]!.setWeights([tf.zeros([2, 3]), tf.tensor1d(q.map(Math.log))]);
  model.compile({ optimizer: 'sgd', loss: 'kullbackLeiblerDivergence' });
  const scored = (model.evaluate(tf.randomNormal([4, 2]), tf.tensor2d(labels)) as tf.Tensor).dataSync()[0]!;
  const baseline = computeBaseline('kullbackLeiblerDivergence', { values: labels.flat(), rows: 4, width: 3 }, null, 3).baseline!;
  assert.ok(Math.abs(scored - baseline.loss) < 1e-5, `tfjs ${scored}, baseline ${baseline.loss}`);
});

test('categorical accuracy with a class per position is the share of positions right per sample, as tfjs\'s categoricalAccuracy, never above 1', () => {
  const model = tf.sequential();
  model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'softmax' }), inputShape: [4, 2] }));
  const xs = tf.randomNormal([9, 4, 2], 0, 1, 'float32', 21);
  const ys = tf.oneHot(tf.randomUniform([9, 4], 0, 3, 'int32', 22), 3).toFloat();
  const trainer = new Trainer(T, model, (a, b) => tf.losses.softmaxCrossEntropy(a, b), 'categorical', { optimizer: { name: 'sgd', lr: 0, momentum: 0, weightDecay: 0 } });
  const e = trainer.evaluate({ xs, ys, count: 9 }, 9, 4);
  const expected = tf.metrics.categoricalAccuracy(ys, model.predict(xs) as tf.Tensor).mean().dataSync()[0]!;
  assert.ok(e.accuracy !== null && e.accuracy <= 1 && Math.abs(e.accuracy - expected) < 1e-6, `${e.accuracy} against tfjs ${expected}`);
});

test('off-centre labels are read from the fresh model in training mode without side effects: batch-norm moving statistics and the seeded Math.random stay as they were, no tensor left behind', () => {
  // Unscaled inputs (around 50) through a batch-norm input layer: in training mode it centres them and the outputs start near 0;
  // the labels average 300.
  const model = tf.sequential();
  model.add(tf.layers.batchNormalization({ inputShape: [3] }));
  model.add(tf.layers.dense({ units: 8, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 1 }));
  const xs = tf.add(tf.randomNormal([64, 3], 0, 1, 'float32', 3), 50);
  const ys = tf.add(tf.randomNormal([64, 1], 0, 10, 'float32', 4), 300);
  const moving = (): number[][] => model.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
  const before = moving();
  const tensors = tf.memory().numTensors;
  const random = Math.random;
  let s = 7;
  Math.random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  try {
    const off = outputsOffStart(T, model, 'meanSquaredError', { xs, ys, count: 64 }, 1);
    assert.ok(off !== null && 'offCentre' in off, JSON.stringify(off));
    const o = off.offCentre;
    assert.ok(Math.abs(o.centre - 300) < 5 && Math.abs(o.predicted) < 20, JSON.stringify(o));
    // The generator's next draw is its 1st: the pass drew nothing from it.
    let t = 7;
    const first = ((t = (Math.imul(t, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
    assert.equal(Math.random(), first);
  } finally {
    Math.random = random;
  }
  assert.deepEqual(moving(), before);
  assert.equal(tf.memory().numTensors, tensors);
  // Labels centred where the outputs start: nothing; a classifier's loss: nothing.
  assert.equal(outputsOffStart(T, model, 'meanSquaredError', { xs, ys: tf.randomNormal([64, 1], 0, 1, 'float32', 5), count: 64 }, 1), null);
  // A classifier's loss on outputs that are not probabilities (a linear output): nothing.
  assert.equal(outputsOffStart(T, model, 'binaryCrossentropy', { xs, ys, count: 64 }, 1), null);
});

test('a sigmoid classifier whose labels are 5% positive starts off the class balance: the warning gives the bias that starts it there, and with it the outputs start on the prior', () => {
  const build = (bias?: number): tf.Sequential => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }));
    // A zero kernel: the output starts at sigmoid(bias) whatever the draw (50% positive without a bias).
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'zeros', ...(bias === undefined ? {} : { biasInitializer: tf.initializers.constant({ value: bias }) }) }));
    return model;
  };
  const xs = tf.randomNormal([400, 4], 0, 1, 'float32', 11);
  const labels = Float32Array.from({ length: 400 }, (_, i) => (i % 20 === 0 ? 1 : 0));
  const ys = tf.tensor2d(labels, [400, 1]);
  const off = outputsOffStart(T, build(), 'binaryCrossentropy', { xs, ys, count: 400 }, 1);
  assert.ok(off !== null && 'offPrior' in off, `sigmoid: ${JSON.stringify(off)}`);
  assert.ok(Math.abs(off.offPrior.frequencies[0]! - 0.05) < 1e-6 && Math.abs(off.offPrior.predicted[0]! - 0.5) < 1e-6 && off.offPrior.ratio > 3, JSON.stringify(off.offPrior));
  const text = describeOffPrior(off.offPrior);
  assert.match(text, /^The freshly built model's outputs start far from the class balance: it predicts 50% positive on average where 5% of the labels are positive, so even that average costs [\d.]+x the chance level/);
  assert.match(text, /ln\(p\/\(1−p\)\) = -2\.94 \(biasInitializer: tf\.initializers\.constant\(\{ value: -2\.94 \}\)\)\.$/);
  // Started at the log-odds it gives, the same model starts on the prior: no warning.
  assert.equal(outputsOffStart(T, build(-2.94), 'binaryCrossentropy', { xs, ys, count: 400 }, 1), null);
  // Balanced labels: none; a logits loss (tf.losses.sigmoidCrossEntropy takes logits, not probabilities): none.
  assert.equal(outputsOffStart(T, build(), 'binaryCrossentropy', { xs, ys: tf.tensor2d(labels.map((_, i) => i % 2), [400, 1]), count: 400 }, 1), null);
  assert.equal(outputsOffStart(T, build(), 'sigmoidCrossEntropy', { xs, ys, count: 400 }, 1), null);
  // Softmax over 3 classes at 96/2/2 (class indices): the log of the frequencies.
  const softmax = tf.sequential();
  softmax.add(tf.layers.dense({ units: 3, activation: 'softmax', inputShape: [4], kernelInitializer: 'zeros' }));
  const indices = tf.tensor1d(Float32Array.from({ length: 400 }, (_, i) => (i % 50 === 0 ? 1 : i % 50 === 1 ? 2 : 0)));
  const multi = outputsOffStart(T, softmax, 'sparseCategoricalCrossentropy', { xs, ys: indices, count: 400 }, 3);
  assert.ok(multi !== null && 'offPrior' in multi, `softmax: ${JSON.stringify(multi)}`);
  assert.match(describeOffPrior(multi.offPrior), /Start the softmax output layer's bias at the log of the class frequencies, \[-0\.0408, -3\.91, -3\.91\]/);
  tf.dispose([xs, ys, indices]);
});

test('inputs far from scale 1 on a real model: a feature at ~1e4 is named, and the off-balance note then says to rescale, not to move the output bias; token ids into an embedding and inputs at scale 1 are not', () => {
  // A user trial's binary classifier: one feature at ~1e4 left every run at 50%, and the only note was a bias of -0.026.
  const classifier = tf.sequential();
  classifier.add(tf.layers.dense({ units: 16, activation: 'relu', inputShape: [6] }));
  classifier.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  const scaled = tf.tidy(() => tf.concat([tf.add(tf.mul(tf.randomNormal([300, 1], 0, 1, 'float32', 3), 5000), 10000), tf.randomNormal([300, 5], 0, 1, 'float32', 4)], 1));
  const ys = tf.tensor2d(Float32Array.from({ length: 300 }, (_, i) => i % 2), [300, 1]);
  const off = inputsOffScale(T, classifier, { xs: scaled, ys, count: 300 });
  assert.ok(off !== null);
  assert.deepEqual([off.high.map((f) => f.index), off.samples, off.features], [[0], 256, 6]);
  assert.match(describeOffScaleInputs(off), /^Input feature 1 of 6 is far above scale 1 \(root mean square 1\.1e4: mean 1e4, /);
  const start = outputsOffStart(T, classifier, 'binaryCrossentropy', { xs: scaled, ys, count: 300 }, 1);
  assert.ok(start !== null && 'offPrior' in start, 'saturated outputs start off the class balance');
  const text = describeOffPrior(start.offPrior, true);
  assert.match(text, /The inputs are far from scale 1 \(the note on them\): rescale them first/);
  assert.doesNotMatch(text, /biasInitializer/);
  // Standardized, the same data: nothing.
  const standard = tf.randomNormal([300, 6], 0, 1, 'float32', 5);
  assert.equal(inputsOffScale(T, classifier, { xs: standard, ys, count: 300 }), null);
  // Token ids (up to 5,000) into an embedding: indices, not magnitudes.
  const embedded = tf.sequential();
  embedded.add(tf.layers.embedding({ inputDim: 5000, outputDim: 4, inputLength: 10 }));
  embedded.add(tf.layers.flatten());
  embedded.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  const ids = tf.tensor2d(Float32Array.from({ length: 3000 }, (_, i) => (i * 7919) % 5000), [300, 10]);
  assert.equal(inputsOffScale(T, embedded, { xs: ids, ys, count: 300 }), null);
  tf.dispose([scaled, ys, standard, ids]);
});

test('a model\'s own regularizers: minimized, yet apart from the loss a step returns (the data loss, as evaluate reads it); takePenalty gives their mean; no tensor growth', () => {
  const { split } = regression();
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones', biasInitializer: 'zeros', kernelRegularizer: tf.regularizers.l2({ l2: 0.5 }) }));
  const mse = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.losses.meanSquaredError(a, b);
  const still = new Trainer(T, model, mse, null, { optimizer: { name: 'sgd', lr: 0, momentum: 0, weightDecay: 0 } });
  // LR 0: the weights stay ones, so the penalty is 0.5 · (1² + 1²) = 1 at every step.
  const all = Int32Array.from([0, 1, 2, 3, 4]);
  const before = tf.memory().numTensors;
  const loss = still.stepOn(split, all);
  const again = still.stepOn(split, all);
  assert.equal(tf.memory().numTensors, before, 'no tensor growth');
  assert.equal(still.penalized, true, 'an uncompiled model\'s regularizers count from its first step');
  const evaluated = still.evaluate(split).loss;
  assert.ok(Math.abs(loss - evaluated) < 1e-6, `the step's loss ${loss} is the data loss ${evaluated}, not with the penalty`);
  assert.equal(again, loss);
  const penalty = still.takePenalty();
  assert.ok(penalty !== null && Math.abs(penalty - 1) < 1e-6, `penalty ${penalty}`);
  assert.equal(still.takePenalty(), null, 'reset by the read');
  still.dispose();
  // The penalty is minimized: with data a zero-weight model fits exactly (labels 0), SGD shrinks the kernel faster with it.
  const zeros = { xs: split.xs, ys: tf.zerosLike(split.ys), count: 5 };
  const shrink = (regularized: boolean): number => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones', biasInitializer: 'zeros', ...(regularized ? { kernelRegularizer: tf.regularizers.l2({ l2: 0.5 }) } : {}) }));
    const t = new Trainer(T, m, mse, null, { optimizer: { name: 'sgd', lr: 0.05, momentum: 0, weightDecay: 0 } });
    t.stepOn(zeros, all);
    assert.equal(t.penalized, regularized);
    const taken = t.takePenalty();
    assert.ok(regularized ? taken !== null && taken > 0 : taken === null, `penalty ${taken}`);
    t.dispose();
    return Math.abs((m.getWeights()[0]!.dataSync() as Float32Array).reduce((a, b) => a + b, 0));
  };
  assert.ok(shrink(true) < shrink(false), 'the kernel shrinks more with its L2 term');
});
