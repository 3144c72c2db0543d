/**
 * Advice-quality task: tabular classification. 20 standard-normal features, 4 classes labelled by
 * a random tanh teacher network (argmax of its 4 outputs), 5% of labels flipped at random;
 * 6,000 training / 2,000 validation rows. Model: MLP 20-64-64-4, SGD momentum.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 20;
const CLASSES = 4;
const ROWS = 8000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(2024);
  const normal = gaussian(uniform);
  const hidden = 16;
  const w1 = Array.from({ length: FEATURES * hidden }, () => normal() / Math.sqrt(FEATURES) * 2);
  const w2 = Array.from({ length: hidden * CLASSES }, () => normal() / Math.sqrt(hidden) * 2);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let j = 0; j < FEATURES; j++) xs[r * FEATURES + j] = normal();
    const h = Array.from({ length: hidden }, (_, k) => Math.tanh(Array.from({ length: FEATURES }, (_, j) => xs[r * FEATURES + j]! * w1[j * hidden + k]!).reduce((a, b) => a + b, 0)));
    const out = Array.from({ length: CLASSES }, (_, c) => h.reduce((s, v, k) => s + v * w2[k * CLASSES + c]!, 0));
    ys[r] = uniform() < 0.05 ? Math.floor(uniform() * CLASSES) : out.indexOf(Math.max(...out));
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 6000, CLASSES);
}
