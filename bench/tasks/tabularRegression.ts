/**
 * Advice-quality task: tabular regression with MSE. Friedman's #1 function,
 * y = 10 sin(π x1 x2) + 20 (x3 − ½)² + 10 x4 + 5 x5 + N(0, 1) with x ∈ U[0, 1]^10 (five
 * features are noise), features standardized, the target left in its own units (mean ≈ 14,
 * variance ≈ 24) as users often do; 6,000 training / 2,000 validation rows.
 * Model: MLP 10-64-64-1 (linear output), SGD momentum.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 10;
const ROWS = 8000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(1991);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  const sd = Math.sqrt(1 / 12);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => uniform());
    ys[r] = 10 * Math.sin(Math.PI * x[0]! * x[1]!) + 20 * (x[2]! - 0.5) ** 2 + 10 * x[3]! + 5 * x[4]! + normal();
    x.forEach((v, j) => (xs[r * FEATURES + j] = (v - 0.5) / sd));
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 6000, null);
}

export const loss = 'meanSquaredError';
