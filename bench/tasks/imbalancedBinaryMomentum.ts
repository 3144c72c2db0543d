/**
 * Advice-quality task (held out, round 21): a 10% positive class under SGD momentum. 10 Gaussian features;
 * positive where x1 + 0.7·x2 − 0.5·x3·x4 is above its 90th percentile (2% of labels flipped); 5,000
 * training / 2,000 validation rows. Model: dense 32 (relu) → dense 1 (sigmoid), `tf.train.momentum(0.01,
 * 0.9)`, binary cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 10;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(21009);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const scores: number[] = [];
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    const x = (k: number): number => xs[r * FEATURES + k]!;
    scores.push(x(0) + 0.7 * x(1) - 0.5 * x(2) * x(3));
  }
  const cut = [...scores].sort((a, b) => a - b)[Math.floor(0.9 * ROWS)]!;
  const ys = new Float32Array(ROWS);
  scores.forEach((s, r) => (ys[r] = (s > cut ? 1 : 0) ^ (uniform() < 0.02 ? 1 : 0)));
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, null);
}

export const loss = 'binaryCrossentropy';
