/**
 * Advice-quality task (held out, round 19): a rare positive class (about 15%) under Adam. 10 Gaussian
 * features; positive where a fixed random linear score plus 0.5·x1·x2 is above its 85th percentile
 * (2% of labels flipped); 5,000 training / 2,000 validation rows. Model: dense 32 (relu) → dense 1
 * (sigmoid), `tf.train.adam(1e-3)`, binary cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 10;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(19010);
  const normal = gaussian(uniform);
  const w = Array.from({ length: FEATURES }, () => normal());
  const xs = new Float32Array(ROWS * FEATURES);
  const scores: number[] = [];
  for (let r = 0; r < ROWS; r++) {
    let s = 0;
    for (let k = 0; k < FEATURES; k++) {
      const v = normal();
      xs[r * FEATURES + k] = v;
      s += w[k]! * v;
    }
    scores.push(s + 0.5 * xs[r * FEATURES]! * xs[r * FEATURES + 1]!);
  }
  const cut = [...scores].sort((a, b) => a - b)[Math.floor(0.85 * ROWS)]!;
  const ys = new Float32Array(ROWS);
  scores.forEach((s, r) => (ys[r] = (s > cut ? 1 : 0) ^ (uniform() < 0.02 ? 1 : 0)));
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, null);
}

export const loss = 'binaryCrossentropy';
