/**
 * Advice-quality task (held out, round 15): a deep, narrow relu MLP under Nesterov momentum. Data:
 * 20 Gaussian features; 4 classes, the argmax of a fixed random teacher network (20-40-4, tanh),
 * 5% of the labels redrawn; 5,000 training / 2,000 validation rows. Model: six dense 48 (relu,
 * He-normal) → dense 4 (softmax), `tf.train.momentum(0.01, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 20;
const HIDDEN = 40;
const CLASSES = 4;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(17320);
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
    ys[r] = uniform() < 0.05 ? Math.floor(uniform() * CLASSES) : scores.indexOf(Math.max(...scores));
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  for (let i = 0; i < 6; i++) model.add(tf.layers.dense({ units: 48, activation: 'relu', kernelInitializer: 'heNormal', ...(i === 0 ? { inputShape: [FEATURES] } : {}) }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
