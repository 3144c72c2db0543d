/**
 * Advice-quality task (held out, round 11): multinomial logistic regression (one dense softmax
 * layer) under Adadelta. Data: 50 Gaussian features with scales from 0.2 to 5; 3 classes from a
 * fixed random linear teacher with logistic noise; 5,000 training / 2,000 validation rows.
 * Model: dense 3 (softmax), `tf.train.adadelta(1, 0.95)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 50;
const CLASSES = 3;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(246810);
  const normal = gaussian(uniform);
  const scales = Array.from({ length: FEATURES }, (_, k) => 0.2 * 25 ** (k / (FEATURES - 1)));
  const w = Array.from({ length: CLASSES * FEATURES }, (_, i) => normal() / (scales[i % FEATURES]! * Math.sqrt(FEATURES / 4)));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = scales.map((s) => s * normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    const scores = Array.from({ length: CLASSES }, (_, c) => x.reduce((s, v, k) => s + v * w[c * FEATURES + k]!, 0) - Math.log(-Math.log(uniform() + 1e-12)));
    ys[r] = scores.indexOf(Math.max(...scores));
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax', inputShape: [FEATURES] }));
  model.compile({ optimizer: tf.train.adadelta(1, 0.95), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
