/**
 * Advice-quality task (held out, round 16): skewed class frequencies under Adam. Data: 6 Gaussian
 * features; 6 classes drawn with frequencies 50 / 20 / 10 / 10 / 5 / 5%, each class's mean a fixed
 * random point (s.d. 1.2 around it); 5,000 training / 2,000 validation rows. Model: dense 32 (relu)
 * → dense 32 (relu) → dense 6 (softmax), `tf.train.adam(0.001)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 6;
const CLASSES = 6;
const ROWS = 7000;
const SHARES = [0.5, 0.2, 0.1, 0.1, 0.05, 0.05];

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(50000);
  const normal = gaussian(uniform);
  const centres = Array.from({ length: CLASSES }, () => Array.from({ length: FEATURES }, () => 1.5 * normal()));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let u = uniform();
    let c = 0;
    while (c < CLASSES - 1 && u >= SHARES[c]!) u -= SHARES[c++]!;
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = centres[c]![k]! + 1.2 * normal();
    ys[r] = c;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 32, activation: 'relu' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
