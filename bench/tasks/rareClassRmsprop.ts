/**
 * Advice-quality task (held out, round 17): a rare positive class under RMSprop. Data: 16 Gaussian
 * features; the label is 1 where a fixed random teacher's score (a tanh layer of 8, then a linear
 * read-out) is in its top 10% (2% of labels flipped), so chance accuracy is about 90%; 5,000
 * training / 2,000 validation rows. Model: dense 32 (relu) → dense 1 (sigmoid),
 * `tf.train.rmsprop(1e-3)`, binary cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 16;
const HIDDEN = 8;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(17012);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: HIDDEN * FEATURES }, () => normal() / Math.sqrt(FEATURES / 2));
  const w2 = Array.from({ length: HIDDEN }, () => normal());
  const xs = new Float32Array(ROWS * FEATURES);
  const scores = new Float64Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    scores[r] = Array.from({ length: HIDDEN }, (_, i) => Math.tanh(x.reduce((s, v, k) => s + v * w1[i * FEATURES + k]!, 0))).reduce((s, h, i) => s + h * w2[i]!, 0);
  }
  const cut = Float64Array.from(scores).sort()[Math.floor(0.9 * ROWS)]!;
  const ys = Float32Array.from(scores, (s) => ((s >= cut) !== uniform() < 0.02 ? 1 : 0));
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, null);
}

export const loss = 'binaryCrossentropy';
