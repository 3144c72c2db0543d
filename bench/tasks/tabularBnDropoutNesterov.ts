/**
 * Advice-quality task (held out, round 20): batch normalization and dropout on tabular data under
 * Nesterov momentum. 20 Gaussian features labelled by a random teacher network (20-24-3, tanh; 3
 * classes, 5% flipped); 5,000 training / 2,000 validation rows. Model: dense 64 → batch norm → relu →
 * dropout 0.2 → dense 64 → batch norm → relu → dense 3 (softmax), `tf.train.momentum(0.01, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 20;
const CLASSES = 3;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, inputShape: [FEATURES] }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.2 }));
  model.add(tf.layers.dense({ units: 64 }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(20007);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: 24 }, () => Array.from({ length: FEATURES }, () => normal() / 2));
  const w2 = Array.from({ length: CLASSES }, () => Array.from({ length: 24 }, () => normal()));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    const h = w1.map((row) => Math.tanh(row.reduce((s, v, k) => s + v * x[k]!, 0)));
    const o = w2.map((row) => row.reduce((s, v, j) => s + v * h[j]!, 0));
    const c = o.indexOf(Math.max(...o));
    ys[r] = uniform() < 0.05 ? Math.floor(uniform() * CLASSES) : c;
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
