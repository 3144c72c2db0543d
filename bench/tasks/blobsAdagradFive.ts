/**
 * Advice-quality task (held out, round 19): five overlapping Gaussian blobs in 6-D under Adagrad.
 * Centres drawn once (s.d. 1.5), points with s.d. 1; 4,000 training / 2,000 validation points. Model:
 * dense 32 (relu) → dense 5 (softmax), `tf.train.adagrad(0.01)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const DIM = 6;
const CLASSES = 5;
const ROWS = 6000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [DIM] }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adagrad(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(19006);
  const normal = gaussian(uniform);
  const centres = Array.from({ length: CLASSES }, () => Array.from({ length: DIM }, () => 1.5 * normal()));
  const xs = new Float32Array(ROWS * DIM);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const c = r % CLASSES;
    ys[r] = c;
    for (let k = 0; k < DIM; k++) xs[r * DIM + k] = centres[c]![k]! + normal();
  }
  return tableTensors({ xs, ys, count: ROWS, width: DIM }, 4000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
