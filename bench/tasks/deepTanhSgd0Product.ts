/**
 * Advice-quality task (held out, round 24): a thirteen-layer tanh MLP under plain SGD (momentum 0) on a product of three
 * of six features, a slow starter that needs a large step. 6 Gaussian features; the class is whether x1·x2·x3 > 0.3
 * (about 20% of rows), 5% of the labels flipped; class-index labels; 4,000 training / 1,000 validation rows, 10 epochs. Model: twelve
 * dense 24 (tanh) → dense 2 (softmax), sparse categorical cross-entropy, `tf.train.sgd(0.01)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const DATA_SEED = 24008;
const FEATURES = 6;
const ROWS = 5000;
const TRAIN = 4000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 24, activation: 'tanh', inputShape: [FEATURES] }));
  for (let i = 0; i < 11; i++) model.add(tf.layers.dense({ units: 24, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(DATA_SEED);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    const label = xs[r * FEATURES]! * xs[r * FEATURES + 1]! * xs[r * FEATURES + 2]! > 0.3 ? 1 : 0;
    ys[r] = uniform() < 0.05 ? 1 - label : label;
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor2d(xs.subarray(from * FEATURES, to * FEATURES), [to - from, FEATURES]),
    ys: tf.tensor1d(ys.subarray(from, to)),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'sparseCategoricalCrossentropy';
