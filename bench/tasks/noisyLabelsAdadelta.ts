/**
 * Advice-quality task (held out, round 22): labels with 25% noise in both splits under Adadelta, so the
 * best a model can do leaves the loss far above zero. 12 Gaussian features; 3 classes from a fixed random
 * two-layer tanh teacher, then a quarter of the labels (training and validation alike) replaced by a
 * uniformly drawn class; 5,000 training / 2,000 validation rows, 4 epochs. Model: dense 64 (relu) → dense 64
 * (relu) → dense 3 (softmax), `tf.train.adadelta(1, 0.95)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 12;
const HIDDEN = 12;
const CLASSES = 3;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(22003);
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
    ys[r] = uniform() < 0.25 ? Math.floor(uniform() * CLASSES) : label;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adadelta(1, 0.95), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
