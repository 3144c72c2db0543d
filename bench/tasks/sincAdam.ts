/**
 * Advice-quality task (held out, round 3): regression with MSE and an Adam-compiled model.
 * y = 3 sinc(‖x‖ · 2) + x₁ + N(0, 0.1²) with x ∈ N(0, 1)³ (sinc(t) = sin(t)/t), 6,000 training /
 * 2,000 validation rows. Model: MLP 3-128-128-1 (relu, linear output), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 3;
const ROWS = 8000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(7283);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    const t = 2 * Math.hypot(...x);
    ys[r] = 3 * (t === 0 ? 1 : Math.sin(t) / t) + x[0]! + 0.1 * normal();
    x.forEach((v, j) => (xs[r * FEATURES + j] = v));
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 6000, null);
}

export const loss = 'meanSquaredError';
