/**
 * Advice-quality task (held out, round 10): multi-label classification, five independent sigmoid
 * outputs. Data: 16 Gaussian features; label j is 1 where unit j of a fixed random teacher network
 * (16-32-5, tanh) is positive, 5% of the labels flipped; 4,000 training / 1,000 validation rows.
 * The metric is tfjs's accuracy for a binary cross-entropy: the mean over labels. Model: dense 64
 * (relu) → dense 5 (sigmoid), binary cross-entropy, `tf.train.momentum(0.05, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const FEATURES = 16;
const HIDDEN = 32;
const LABELS = 5;
const ROWS = 5000;
const TRAIN = 4000;

function makeTable(): { xs: Float32Array; ys: Float32Array } {
  const uniform = seeded(5150);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: HIDDEN * FEATURES }, () => normal() / Math.sqrt(FEATURES / 2));
  const w2 = Array.from({ length: LABELS * HIDDEN }, () => normal() / Math.sqrt(HIDDEN / 4));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS * LABELS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    const h = Array.from({ length: HIDDEN }, (_, i) => Math.tanh(x.reduce((s, v, k) => s + v * w1[i * FEATURES + k]!, 0)));
    for (let j = 0; j < LABELS; j++) {
      const on = h.reduce((s, v, i) => s + v * w2[j * HIDDEN + i]!, 0) > 0 ? 1 : 0;
      ys[r * LABELS + j] = uniform() < 0.05 ? 1 - on : on;
    }
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: LABELS, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeTable();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor2d(xs.subarray(from * FEATURES, to * FEATURES), [to - from, FEATURES]),
    ys: tf.tensor2d(ys.subarray(from * LABELS, to * LABELS), [to - from, LABELS]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'binaryCrossentropy';
