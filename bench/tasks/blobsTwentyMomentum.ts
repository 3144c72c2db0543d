/**
 * Advice-quality task (held out, round 20): twenty overlapping Gaussian blobs in 10-D under SGD
 * momentum. Centres drawn once (s.d. 1.2), points with s.d. 1; 6,000 training / 2,000 validation
 * points. Model: dense 64 (relu) → dense 20 (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const DIM = 10;
const CLASSES = 20;
const ROWS = 8000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [DIM] }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(20011);
  const normal = gaussian(uniform);
  const centres = Array.from({ length: CLASSES }, () => Array.from({ length: DIM }, () => 1.2 * normal()));
  const xs = new Float32Array(ROWS * DIM);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const c = r % CLASSES;
    ys[r] = c;
    for (let k = 0; k < DIM; k++) xs[r * DIM + k] = centres[c]![k]! + normal();
  }
  return tableTensors({ xs, ys, count: ROWS, width: DIM }, 6000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
