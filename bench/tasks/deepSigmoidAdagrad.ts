/**
 * Advice-quality task (held out, round 22): a deep sigmoid MLP without normalization under Adagrad, a slow
 * learner. 10 Gaussian features; 4 classes from a fixed random two-layer tanh teacher (3% of the labels
 * flipped); 4,000 training / 1,000 validation rows, 5 epochs. Model: seven dense 32 (sigmoid) → dense 4
 * (softmax), `tf.train.adagrad(0.05)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 10;
const HIDDEN = 16;
const CLASSES = 4;
const ROWS = 5000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(22001);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: HIDDEN * FEATURES }, () => normal() / Math.sqrt(FEATURES / 2));
  const w2 = Array.from({ length: CLASSES * HIDDEN }, () => normal() / Math.sqrt(HIDDEN / 2));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    const h = Array.from({ length: HIDDEN }, (_, j) => Math.tanh(x.reduce((s, v, k) => s + v * w1[j * FEATURES + k]!, 0)));
    const scores = Array.from({ length: CLASSES }, (_, c) => h.reduce((s, v, j) => s + v * w2[c * HIDDEN + j]!, 0));
    const label = scores.indexOf(Math.max(...scores));
    ys[r] = uniform() < 0.03 ? Math.floor(uniform() * CLASSES) : label;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'sigmoid', inputShape: [FEATURES] }));
  for (let i = 0; i < 6; i++) model.add(tf.layers.dense({ units: 32, activation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adagrad(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
