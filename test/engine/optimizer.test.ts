/**
 * The engine's optimizer against tfjs' own optimizers (same conventions when LR/momentum are
 * constant) and against hand-computed updates for what tfjs cannot do (per-step momentum,
 * weight decay, AdamW). Pure-JS cpu backend: this is about the maths, not speed.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { EngineOptimizer, decaysByDefault } from '../../src/engine/optimizer';

const T = tf;
before(async () => {
  assert.ok(await tf.setBackend('cpu'));
});

function quadraticGrad(w: tf.Variable): tf.Tensor {
  // loss = sum((w - 3)^2 * c) with per-coordinate curvature c → grad = 2c(w - 3)
  return tf.tidy(() => tf.mul(tf.sub(w, 3), tf.tensor1d([2, 0.5, 8])));
}

function runOurs(name: 'sgd' | 'nesterov' | 'adam', lr: number, momentum: number, steps: number): Float32Array {
  const w = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const opt = new EngineOptimizer(T, [{ variable: w, decay: true }], name, { lr, momentum, weightDecay: 0, epsilon: 1e-7 });
  for (let i = 0; i < steps; i++) {
    const g = quadraticGrad(w);
    opt.step([g]);
    g.dispose();
  }
  const out = w.dataSync() as Float32Array;
  opt.dispose();
  w.dispose();
  return out;
}

function runTfjs(optimizer: tf.Optimizer, steps: number): Float32Array {
  const w = tf.variable(tf.tensor1d([1, -2, 0.5]));
  for (let i = 0; i < steps; i++) {
    const g = quadraticGrad(w);
    optimizer.applyGradients({ [w.name]: g });
    g.dispose();
  }
  const out = w.dataSync() as Float32Array;
  optimizer.dispose();
  w.dispose();
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

test('no tensor growth across steps', () => {
  const w = tf.variable(tf.randomNormal([50, 20]));
  const opt = new EngineOptimizer(T, [{ variable: w, decay: true }], 'adam', { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 });
  const g = tf.onesLike(w);
  opt.step([g]);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 50; i++) {
    opt.setLr(0.01 * (i + 1));
    opt.setMomentum(0.85 + i / 1000);
    opt.step([g]);
  }
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([w, g]);
  opt.dispose();
});

test('decay applies to kernels and embeddings only by default', () => {
  assert.ok(decaysByDefault('dense_Dense1/kernel'));
  assert.ok(decaysByDefault('embedding_1/embeddings'));
  assert.ok(!decaysByDefault('dense_Dense1/bias'));
  assert.ok(!decaysByDefault('batch_normalization_1/gamma'));
  assert.ok(!decaysByDefault('batch_normalization_1/moving_mean'));
});
