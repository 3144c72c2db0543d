/**
 * Advice-quality task (held out, round 20): logistic regression under plain SGD (momentum 0) with many
 * irrelevant features. 100 Gaussian features, 5 of them informative (fixed weights); label 1 where
 * their weighted sum plus logistic noise is positive; 5,000 training / 2,000 validation rows. Model:
 * dense 1 (sigmoid), `tf.train.sgd(0.01)`, binary cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 100;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [FEATURES] }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(20006);
  const normal = gaussian(uniform);
  const w = [1.5, -1.2, 1.0, -0.8, 0.6];
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let s = 0;
    for (let k = 0; k < FEATURES; k++) {
      const v = normal();
      xs[r * FEATURES + k] = v;
      if (k < w.length) s += w[k]! * v;
    }
    const u = Math.min(Math.max(uniform(), 1e-9), 1 - 1e-9);
    ys[r] = s + Math.log(u / (1 - u)) > 0 ? 1 : 0;
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, null);
}

export const loss = 'binaryCrossentropy';
