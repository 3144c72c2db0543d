/**
 * The engine's optimizer against tfjs' own optimizers (same conventions when LR/momentum are
 * constant) and against hand-computed updates for what tfjs cannot do (per-step momentum,
 * weight decay, AdamW). Pure-JS cpu backend: this is about the maths, not speed.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { EngineOptimizer, decaysByDefault } from '../../src/engine/optimizer';
import type { OptimizerSettings } from '../../src/engine/optimizer';
import type { OptimizerName } from '../../src/protocol/results';
import { OPTIMIZER_NAMES } from '../../src/protocol/results';

const T = tf;
before(async () => {
  assert.ok(await tf.setBackend('cpu'));
});

function quadraticGrad(w: tf.Variable): tf.Tensor {
  // loss = sum((w - 3)^2 * c) with per-coordinate curvature c → grad = 2c(w - 3)
  return tf.tidy(() => tf.mul(tf.sub(w, 3), tf.tensor1d([2, 0.5, 8])));
}

function runOurs(name: OptimizerName, lr: number, momentum: number, steps: number, extra: Partial<OptimizerSettings> = {}, lrAt?: (step: number) => number): Float32Array {
  const w = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const opt = new EngineOptimizer(T, [{ variable: w, decay: true }], name, { lr, momentum, weightDecay: 0, epsilon: 1e-7, ...extra });
  for (let i = 0; i < steps; i++) {
    if (lrAt !== undefined) opt.setLr(lrAt(i));
    const g = quadraticGrad(w);
    opt.step([g]);
    g.dispose();
  }
  const out = w.dataSync() as Float32Array;
  opt.dispose();
  w.dispose();
  return out;
}

function runTfjs(optimizer: tf.Optimizer, steps: number, lrAt?: (step: number) => number): Float32Array {
  const w = tf.variable(tf.tensor1d([1, -2, 0.5]));
  for (let i = 0; i < steps; i++) {
    // What the inserted callback does to a user's tfjs optimizer: its (protected) learningRate is read every step.
    if (lrAt !== undefined) (optimizer as unknown as { learningRate: number }).learningRate = lrAt(i);
    const g = quadraticGrad(w);
    optimizer.applyGradients({ [w.name]: g });
    g.dispose();
  }
  const out = w.dataSync() as Float32Array;
  optimizer.dispose();
  w.dispose();
  // A comparison of two runs that did not move would prove nothing.
  assert.ok(out.some((v, i) => Math.abs(v - [1, -2, 0.5][i]!) > 1e-2), `tfjs's ${optimizer.getClassName()} did not move: ${String(out)}`);
  return out;
}

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)), `[${i}] ${a[i]} vs ${b[i]}`);
}

test('SGD with momentum matches tf.train.momentum (PyTorch convention)', () => {
  assertClose(runOurs('sgd', 0.05, 0.9, 20), runTfjs(tf.train.momentum(0.05, 0.9), 20));
});

test('Nesterov matches tf.train.momentum(useNesterov)', () => {
  assertClose(runOurs('nesterov', 0.05, 0.9, 20), runTfjs(tf.train.momentum(0.05, 0.9, true), 20));
});

test('Adam matches tf.train.adam', () => {
  assertClose(runOurs('adam', 0.01, 0.9, 30), runTfjs(tf.train.adam(0.01, 0.9, 0.999, 1e-7), 30));
});

// The optimizers only tfjs has: the engine follows tfjs's own update, so the LR found is the user's.
test('RMSprop matches tf.train.rmsprop: plain, with momentum, centered', () => {
  assertClose(runOurs('rmsprop', 0.01, 0, 30, { rho: 0.9 }), runTfjs(tf.train.rmsprop(0.01), 30));
  assertClose(runOurs('rmsprop', 0.01, 0.9, 30, { rho: 0.8 }), runTfjs(tf.train.rmsprop(0.01, 0.8, 0.9), 30));
  assertClose(runOurs('rmsprop', 0.005, 0.5, 30, { rho: 0.9, centered: true }), runTfjs(tf.train.rmsprop(0.005, 0.9, 0.5, undefined, true), 30));
});

test('RMSprop with an LR that changes every step matches tfjs driven the same way (LR folded into its momentum)', () => {
  const lrAt = (i: number): number => 0.001 * 1.3 ** i;
  assertClose(runOurs('rmsprop', 0.001, 0.9, 20, {}, lrAt), runTfjs(tf.train.rmsprop(0.001, 0.9, 0.9), 20, lrAt));
});

test('Adagrad, Adadelta and Adamax match tf.train.adagrad, adadelta and adamax', () => {
  assertClose(runOurs('adagrad', 0.1, 0, 30), runTfjs(tf.train.adagrad(0.1), 30));
  assertClose(runOurs('adagrad', 0.1, 0, 30, { initialAccumulatorValue: 0.5 }), runTfjs(tf.train.adagrad(0.1, 0.5), 30));
  assertClose(runOurs('adadelta', 0.05, 0, 30, { rho: 0.95 }), runTfjs(tf.train.adadelta(0.05, 0.95), 30));
  assertClose(runOurs('adamax', 0.02, 0.9, 30, { beta2: 0.999 }), runTfjs(tf.train.adamax(0.02, 0.9, 0.999), 30));
  assertClose(runOurs('adamax', 0.02, 0.8, 30, { beta2: 0.99, decay: 0.1 }), runTfjs(tf.train.adamax(0.02, 0.8, 0.99, undefined, 0.1), 30));
});

test('Adagrad, Adadelta and Adamax with an LR that changes every step match tfjs driven the same way', () => {
  const lrAt = (i: number): number => 0.01 * 1.2 ** i;
  assertClose(runOurs('adagrad', 0.01, 0, 20, {}, lrAt), runTfjs(tf.train.adagrad(0.01), 20, lrAt));
  assertClose(runOurs('adadelta', 0.01, 0, 20, { rho: 0.95 }, lrAt), runTfjs(tf.train.adadelta(0.01, 0.95), 20, lrAt));
  assertClose(runOurs('adamax', 0.01, 0.9, 20, { beta2: 0.999 }, lrAt), runTfjs(tf.train.adamax(0.01, 0.9, 0.999), 20, lrAt));
});

test('momentum set per step really changes the update (tfjs setMomentum does not)', () => {
  const w = tf.variable(tf.tensor1d([0]));
  const opt = new EngineOptimizer(T, [{ variable: w, decay: false }], 'sgd', { lr: 1, momentum: 0.9, weightDecay: 0 });
  const g = tf.tensor1d([1]);
  opt.step([g]); // buf = 1, w = -1
  opt.setMomentum(0.5);
  opt.step([g]); // buf = 0.5*1 + 1 = 1.5, w = -2.5
  assert.ok(Math.abs(w.dataSync()[0]! + 2.5) < 1e-6, String(w.dataSync()[0]));
  opt.setLr(0.1);
  opt.setMomentum(0);
  opt.step([g]); // buf = 1, w = -2.6
  assert.ok(Math.abs(w.dataSync()[0]! + 2.6) < 1e-6, String(w.dataSync()[0]));
  g.dispose();
  opt.dispose();
  w.dispose();
});

test('weight decay: SGD adds wd*w to the gradient; AdamW decays decoupled; non-decayed params untouched', () => {
  const kernel = tf.variable(tf.tensor1d([2]));
  const bias = tf.variable(tf.tensor1d([2]));
  const sgd = new EngineOptimizer(T, [{ variable: kernel, decay: true }, { variable: bias, decay: false }], 'sgd', { lr: 0.1, momentum: 0, weightDecay: 0.5 });
  const zero = tf.tensor1d([0]);
  sgd.step([zero, zero]);
  assert.ok(Math.abs(kernel.dataSync()[0]! - (2 - 0.1 * 0.5 * 2)) < 1e-6);
  assert.equal(bias.dataSync()[0], 2);
  sgd.dispose();
  const w = tf.variable(tf.tensor1d([2]));
  const adamw = new EngineOptimizer(T, [{ variable: w, decay: true }], 'adamw', { lr: 0.1, momentum: 0.9, weightDecay: 0.5 });
  adamw.step([zero]); // zero gradient: only the decay w *= 1 - lr*wd acts
  assert.ok(Math.abs(w.dataSync()[0]! - 2 * (1 - 0.05)) < 1e-6, String(w.dataSync()[0]));
  adamw.dispose();
  tf.dispose([kernel, bias, w, zero]);
});

test('no tensor growth across steps, for every optimizer; dispose frees its state', () => {
  for (const name of OPTIMIZER_NAMES) {
    const w = tf.variable(tf.randomNormal([50, 20]));
    const g = tf.onesLike(w);
    const start = tf.memory().numTensors;
    const opt = new EngineOptimizer(T, [{ variable: w, decay: true }], name, { lr: 0.01, momentum: 0.9, weightDecay: 1e-4, centered: true });
    opt.step([g]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      opt.setLr(0.01 * (i + 1));
      opt.setMomentum(0.85 + i / 1000);
      opt.step([g]);
    }
    assert.equal(tf.memory().numTensors, before, name);
    opt.dispose();
    assert.equal(tf.memory().numTensors, start, name);
    tf.dispose([w, g]);
  }
});

test('decay applies to kernels and embeddings only by default', () => {
  assert.ok(decaysByDefault('dense_Dense1/kernel'));
  assert.ok(decaysByDefault('embedding_1/embeddings'));
  assert.ok(!decaysByDefault('dense_Dense1/bias'));
  assert.ok(!decaysByDefault('batch_normalization_1/gamma'));
  assert.ok(!decaysByDefault('batch_normalization_1/moving_mean'));
});
