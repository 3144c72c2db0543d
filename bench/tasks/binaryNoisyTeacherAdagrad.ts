/**
 * Advice-quality task (held out, round 23): a binary teacher with half of its labels redrawn (a quarter
 * flipped) under Adagrad. 12 Gaussian features; the label is the sign of a fixed random two-layer tanh
 * teacher, then 50% of the labels (training and validation alike) replaced by a fair coin; 4,000 training /
 * 2,000 validation rows, 6 epochs. Model: dense 32 (tanh) → dense 32 (tanh) → dense 1 (sigmoid), binary
 * cross-entropy, `tf.train.adagrad(0.05)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 12;
const HIDDEN = 16;
const ROWS = 6000;
const REDRAWN = 0.5;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(23002);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: HIDDEN * FEATURES }, () => normal() / Math.sqrt(FEATURES / 2));
  const w2 = Array.from({ length: HIDDEN }, () => normal());
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    const score = Array.from({ length: HIDDEN }, (_, j) => Math.tanh(x.reduce((s, v, k) => s + v * w1[j * FEATURES + k]!, 0))).reduce((s, h, j) => s + h * w2[j]!, 0);
    ys[r] = uniform() < REDRAWN ? (uniform() < 0.5 ? 1 : 0) : score > 0 ? 1 : 0;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'tanh', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 32, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adagrad(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, null);
}

export const loss = 'binaryCrossentropy';
