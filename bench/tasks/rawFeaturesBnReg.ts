/**
 * Advice-quality task (held out, round 14): a regression on raw, unscaled features whose first
 * layer is batch normalization (what some users write instead of standardizing their inputs).
 * Data: 6 features with means 1,200 / 3 / 45 / 0.02 / 300 / -8 and standard deviations 400 / 1.2 /
 * 12 / 0.005 / 90 / 3; the target is a fixed smooth function of the standardized features plus
 * noise (s.d. 0.1); 5,000 training / 2,000 validation rows. Model: BN → dense 32 (relu) → dense
 * 32 (relu) → dense 1, `tf.train.sgd(0.01)` (momentum 0), MSE.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const MEANS = [1200, 3, 45, 0.02, 300, -8];
const SDS = [400, 1.2, 12, 0.005, 90, 3];
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const normal = gaussian(seeded(27182));
  const width = MEANS.length;
  const xs = new Float32Array(ROWS * width);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const z = MEANS.map(() => normal());
    z.forEach((v, k) => (xs[r * width + k] = MEANS[k]! + SDS[k]! * v));
    ys[r] = Math.sin(z[0]!) + 0.5 * z[1]! * z[2]! - 0.3 * z[3]! ** 2 + 0.4 * Math.tanh(2 * z[4]!) + 0.2 * z[5]! + 0.1 * normal();
  }
  return { xs, ys, count: ROWS, width };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.batchNormalization({ inputShape: [MEANS.length] }));
  model.add(tf.layers.dense({ units: 32, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 32, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, null);
}

export const loss = 'meanSquaredError';
