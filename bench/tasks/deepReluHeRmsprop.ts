/**
 * Advice-quality task (held out, round 19): a deep narrow ReLU MLP (He initialization) under RMSprop.
 * 16 Gaussian features labelled by a random teacher network (16-32-4, tanh; 4 classes, 5% flipped);
 * 5,000 training / 2,000 validation rows. Model: five dense 64 (relu, He normal) → dense 4 (softmax),
 * `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 16;
const CLASSES = 4;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [FEATURES] }));
  for (let i = 0; i < 4; i++) model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(19012);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: 32 }, () => Array.from({ length: FEATURES }, () => normal() / 2));
  const w2 = Array.from({ length: CLASSES }, () => Array.from({ length: 32 }, () => normal()));
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
