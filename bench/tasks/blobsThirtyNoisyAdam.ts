/**
 * Advice-quality task (held out, round 23): thirty classes with heavy label noise under Adam, where even the
 * best model leaves the loss near ln 30. Thirty Gaussian blobs in 10-D (centres drawn with s.d. 1.2, points
 * with s.d. 1 around them); 60% of the labels (training and validation alike) replaced by a uniformly drawn
 * class; 4,000 training / 1,000 validation rows, 6 epochs. Model: dense 64 (relu) → dense 30 (softmax),
 * `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 10;
const CLASSES = 30;
const ROWS = 5000;
const REDRAWN = 0.6;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(23001);
  const normal = gaussian(uniform);
  const centres = Array.from({ length: CLASSES * FEATURES }, () => 1.2 * normal());
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const c = Math.floor(uniform() * CLASSES);
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = centres[c * FEATURES + k]! + normal();
    ys[r] = uniform() < REDRAWN ? Math.floor(uniform() * CLASSES) : c;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
