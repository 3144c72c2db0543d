/**
 * Advice-quality task (held out, round 21): six classes of 12-D Gaussian features labelled by a random
 * teacher network (12-16-6, tanh; 5% of labels flipped), under Adam. 5,000 training / 2,000 validation
 * rows. Model: dense 64 (elu) → dense 64 (elu) → dense 6 (softmax), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 12;
const HIDDEN = 16;
const CLASSES = 6;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'elu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'elu' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(21008);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: FEATURES * HIDDEN }, () => normal() / Math.sqrt(FEATURES) * 2);
  const w2 = Array.from({ length: HIDDEN * CLASSES }, () => normal() / Math.sqrt(HIDDEN) * 2);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    const h = Array.from({ length: HIDDEN }, (_, j) => Math.tanh(Array.from({ length: FEATURES }, (_, k) => xs[r * FEATURES + k]! * w1[k * HIDDEN + j]!).reduce((a, b) => a + b, 0)));
    const scores = Array.from({ length: CLASSES }, (_, c) => h.reduce((a, v, j) => a + v * w2[j * CLASSES + c]!, 0));
    const best = scores.indexOf(Math.max(...scores));
    ys[r] = uniform() < 0.05 ? Math.floor(uniform() * CLASSES) : best;
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
