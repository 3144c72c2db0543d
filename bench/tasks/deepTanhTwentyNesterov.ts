/**
 * Advice-quality task (held out, round 23): a deep narrow tanh MLP on twenty noisy classes under Nesterov
 * momentum. 16 Gaussian features; the class is the argmax of a fixed random linear teacher's 20 scores, then
 * 55% of the labels (training and validation alike) replaced by a uniformly drawn class; 4,000 training /
 * 1,000 validation rows, 6 epochs. Model: six dense 32 (tanh) → dense 20 (softmax),
 * `tf.train.momentum(0.01, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 16;
const CLASSES = 20;
const ROWS = 5000;
const REDRAWN = 0.55;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(23006);
  const normal = gaussian(uniform);
  const w = Array.from({ length: CLASSES * FEATURES }, () => normal());
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    const scores = Array.from({ length: CLASSES }, (_, c) => x.reduce((s, v, k) => s + v * w[c * FEATURES + k]!, 0));
    const label = scores.indexOf(Math.max(...scores));
    ys[r] = uniform() < REDRAWN ? Math.floor(uniform() * CLASSES) : label;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'tanh', inputShape: [FEATURES] }));
  for (let i = 0; i < 5; i++) model.add(tf.layers.dense({ units: 32, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
