/**
 * Advice-quality task (held out, round 22): an off-centre regression under RMSprop: a building's daily
 * energy use in kWh (mean about 520, s.d. about 85), left in its units. 10 standardized features;
 * target 500 + 60·x1 − 40·x2 + 30·x3·x4 + 25·sin(2·x5) + 20·x6² + noise (s.d. 15); 5,000 training / 2,000
 * validation rows, 5 epochs. Model: dense 64 (relu) → dense 64 (relu) → dense 1, `tf.train.rmsprop(1e-3)`, MSE.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 10;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(22009);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    const x = (k: number): number => xs[r * FEATURES + k]!;
    ys[r] = 500 + 60 * x(0) - 40 * x(1) + 30 * x(2) * x(3) + 25 * Math.sin(2 * x(4)) + 20 * x(5) * x(5) + 15 * normal();
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, null);
}

export const loss = 'meanSquaredError';
