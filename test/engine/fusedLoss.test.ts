/**
 * The categorical cross-entropy as one taped op (src/engine/fusedLoss.ts) against tfjs-layers' own
 * function, which `model.fit` runs for the name: the loss and the gradient to the bit on wasm and
 * cpu — clipped probabilities at both ends, a probability exactly at ε, rows that do not sum to 1,
 * soft and int32 labels, NaN and negative outputs, sequences — and whole training steps give the
 * same weights to the bit, with ~20 fewer kernels and no tensor left behind.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfjs from '@tensorflow/tfjs';
import { fusedCategoricalCrossentropy } from '../../src/engine/fusedLoss';
import { layersLoss, resolveLoss } from '../../src/engine/loss';
import { type Tf, loadTf } from '../../src/engine/tfjs';
import { Trainer, type LossFn } from '../../src/engine/trainer';

let tf: Tf;

before(async () => {
  tf = (await loadTf({ backend: 'wasm' })).tf;
});

/** Equal to the bit, NaN to any NaN (a NaN's payload is not the arithmetic's). */
function sameBits(actual: tfjs.Tensor, expected: tfjs.Tensor, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = new Uint32Array(Float32Array.from(actual.dataSync()).buffer);
  const e = new Uint32Array(Float32Array.from(expected.dataSync()).buffer);
  const isNaN32 = (bits: number): boolean => (bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0;
  for (let i = 0; i < e.length; i++) {
    if (isNaN32(e[i]!) && isNaN32(a[i]!)) continue;
    assert.equal(a[i], e[i], `${what}: element ${i} is ${actual.dataSync()[i]}, tfjs-layers gives ${expected.dataSync()[i]}`);
  }
}

function layersMean(): LossFn {
  const fn = layersLoss(tf, 'categoricalCrossentropy');
  return (y, p) => tf.mean(fn(y, p));
}

/** Loss and gradient to the predictions, the loss scaled by `dy` so the gradient coming in is not 1. */
function lossAndGrad(loss: LossFn, y: tfjs.Tensor, p: tfjs.Tensor, dy: number): [tfjs.Tensor, tfjs.Tensor] {
  const value = loss(y, p);
  const grad = tf.grad((q: tfjs.Tensor) => tf.mul(loss(y, q), dy))(p);
  return [value, grad];
}

function cases(): [string, tfjs.Tensor, tfjs.Tensor][] {
  const rng = (seed: number): (() => number) => {
    let s = seed;
    return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  };
  const r = rng(7);
  const eps = tf.backend().epsilon();
  // Sharp softmax rows: many probabilities below ε and above 1 − ε, both clipped.
  const sharp = tf.softmax(tf.tensor2d(Float32Array.from({ length: 64 * 10 }, () => (r() - 0.5) * 60), [64, 10]));
  const oneHot = tf.oneHot(tf.tensor1d(Int32Array.from({ length: 64 }, () => Math.floor(r() * 10)), 'int32'), 10).toFloat();
  // Outputs that are not probabilities (a sigmoid layer): rows normalised by the loss; soft labels.
  const loose = tf.tensor2d(Float32Array.from({ length: 17 * 5 }, () => r() * 2), [17, 5]);
  const soft = tf.div(tf.tensor2d(Float32Array.from({ length: 17 * 5 }, () => r()), [17, 5]), 2.5);
  // A probability exactly at ε and at 1 − ε (kept by the clip's inclusive bounds), exact 0 and 1, a negative and a NaN output.
  const edges = tf.tensor2d([eps, 0.5, 0.5 - eps, 1 - eps, eps, 0, 0, 1, 0, -0.1, 0.6, 0.5, Number.NaN, 0.5, 0.5, 0.2, 0.3, 0.5], [6, 3]);
  const edgeLabels = tf.tensor2d([1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0.25, 0.25, 0.5], [6, 3]);
  // A sequence model's output [batch, time, classes] with int32 one-hot labels.
  const sequence = tf.softmax(tf.tensor3d(Float32Array.from({ length: 4 * 3 * 6 }, () => (r() - 0.5) * 8), [4, 3, 6]));
  const sequenceLabels = tf.oneHot(tf.tensor2d(Int32Array.from({ length: 12 }, () => Math.floor(r() * 6)), [4, 3], 'int32'), 6);
  return [
    ['sharp softmax, one-hot', oneHot, sharp],
    ['unnormalised outputs, soft labels', soft, loose],
    ['ε, 1 − ε, 0, 1, negative and NaN outputs', edgeLabels, edges],
    ['sequence output, int32 one-hot labels', sequenceLabels, sequence],
  ];
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`${backend}: the fused categorical cross-entropy gives tfjs-layers' loss and gradient to the bit`, async () => {
    await tf.setBackend(backend);
    try {
      const fused = fusedCategoricalCrossentropy(tf);
      const reference = layersMean();
      for (const [what, y, p] of cases()) {
        for (const dy of [1, 3.7]) {
          const [value, grad] = lossAndGrad(fused, y, p, dy);
          const [refValue, refGrad] = lossAndGrad(reference, y, p, dy);
          sameBits(value, refValue, `${what}: loss`);
          sameBits(grad, refGrad, `${what}: gradient (dy ${dy})`);
          tf.dispose([value, grad, refValue, refGrad]);
        }
        if (what.startsWith('sharp')) {
          // The case is what it says: probabilities clipped at both ends, so the mask is exercised.
          const q = p.dataSync();
          assert.ok(q.some((v) => v < 1e-7) && q.some((v) => v > 1 - 1e-7), 'clipped at both ends');
        }
        tf.dispose([y, p]);
      }
    } finally {
      await tf.setBackend('wasm');
    }
  });
}

function mlp(seed: number): tfjs.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, inputShape: [20], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

test('the model file\'s categoricalCrossentropy trains as model.fit\'s function does: same losses and weights to the bit over 15 steps, ~20 fewer kernels a step, no tensor left', async () => {
  const resolved = resolveLoss(tf, { file: '/work/model.js', loss: 'categoricalCrossentropy', createModel: () => mlp(1), loadData: async () => null }, mlp(1));
  assert.equal(resolved.name, 'categoricalCrossentropy');
  const xs = tf.randomUniform([64, 20], -1, 1, 'float32', 3);
  const ys = tf.oneHot(tf.randomUniform([64], 0, 4, 'int32', 4), 4).toFloat();
  const trainers = [resolved.fn, layersMean()].map((loss) => new Trainer(tf, mlp(5), loss, 'categorical', { optimizer: { name: 'sgd', lr: 0.3, momentum: 0.9, weightDecay: 1e-3 } }));
  const kernels: number[] = [];
  for (let step = 0; step < 15; step++) {
    const losses = trainers.map((t) => t.step(xs, ys));
    assert.equal(losses[0], losses[1], `step ${step}: loss`);
  }
  trainers[0]!.model.getWeights().forEach((w, i) => sameBits(w, trainers[1]!.model.getWeights()[i]!, `weight ${i} after 15 steps`));
  assert.ok(trainers[0]!.model.getWeights().some((w, i) => w.dataSync().some((v, j) => v !== mlp(5).getWeights()[i]!.dataSync()[j])), 'the weights moved');
  for (const trainer of trainers) {
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => void trainer.step(xs, ys));
    kernels.push(profile.kernels.length);
    assert.equal(tf.memory().numTensors, before, 'a step leaves no tensor');
  }
  assert.ok(kernels[0]! <= kernels[1]! - 15, `kernels per step: fused ${kernels[0]}, tfjs-layers ${kernels[1]}`);
  // Outside a gradient tape (evaluation) nothing is kept for a gradient that never comes.
  const before = tf.memory().numTensors;
  const prediction = trainers[0]!.model.predict(xs) as tfjs.Tensor;
  const value = resolved.fn(ys, prediction);
  assert.equal(tf.memory().numTensors, before + 2, 'only the prediction and the loss');
  tf.dispose([prediction, value]);
  const [evaluated, reference] = trainers.map((t) => t.evaluate({ xs, ys, count: 64 }));
  assert.ok(Number.isFinite(evaluated!.loss));
  assert.equal(evaluated!.loss, reference!.loss, 'evaluation: the same loss');
});

test('LRLAB_FUSED_LOSS=off resolves tfjs-layers\' function on the tape, as before', async () => {
  const xs = tf.randomUniform([8, 20], -1, 1, 'float32', 3);
  const ys = tf.oneHot(tf.randomUniform([8], 0, 4, 'int32', 4), 4).toFloat();
  const kernelsOfStep = async (off: boolean): Promise<number> => {
    if (off) process.env['LRLAB_FUSED_LOSS'] = 'off';
    try {
      const model = mlp(1);
      const resolved = resolveLoss(tf, { file: '/work/model.js', loss: 'categoricalCrossentropy', createModel: () => model, loadData: async () => null }, model);
      const trainer = new Trainer(tf, model, resolved.fn, 'categorical', { optimizer: { name: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0 } });
      trainer.step(xs, ys);
      return (await tf.profile(() => void trainer.step(xs, ys))).kernels.length;
    } finally {
      delete process.env['LRLAB_FUSED_LOSS'];
    }
  };
  const [off, on] = [await kernelsOfStep(true), await kernelsOfStep(false)];
  assert.ok(off >= on + 15, `kernels per step: off ${off}, fused ${on}`);
});
