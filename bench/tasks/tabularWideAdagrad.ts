/**
 * Advice-quality task (held out, round 18): a wide tabular classifier under Adagrad. Data: 30
 * Gaussian features; 8 classes, the argmax of a fixed random teacher network (30-20-8, tanh), 3% of
 * the labels redrawn; 6,000 training / 2,000 validation rows. Model: dense 128 (relu) → dense 8
 * (softmax), `tf.train.adagrad(0.05)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 30;
const HIDDEN = 20;
const CLASSES = 8;
const ROWS = 8000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(18003);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: HIDDEN * FEATURES }, () => normal() / Math.sqrt(FEATURES / 2));
  const w2 = Array.from({ length: CLASSES * HIDDEN }, () => normal() / Math.sqrt(HIDDEN / 4));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    const h = Array.from({ length: HIDDEN }, (_, i) => Math.tanh(x.reduce((s, v, k) => s + v * w1[i * FEATURES + k]!, 0)));
    const scores = Array.from({ length: CLASSES }, (_, c) => h.reduce((s, v, i) => s + v * w2[c * HIDDEN + i]!, 0));
    ys[r] = uniform() < 0.03 ? Math.floor(uniform() * CLASSES) : scores.indexOf(Math.max(...scores));
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adagrad(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 6000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
