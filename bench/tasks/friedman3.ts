/**
 * Advice-quality task (held out, round 2): regression with MSE on a small target scale.
 * Friedman's #3 function, y = atan((x2·x3 − 1/(x2·x4)) / x1) + N(0, 0.1²) with x1 ∈ U[0, 100],
 * x2 ∈ U[40π, 560π], x3 ∈ U[0, 1], x4 ∈ U[1, 11]; features standardized, the target left in its
 * own units (radians, variance ≈ 0.1, unlike tabular-reg's ≈ 24); 4,000 training / 2,000
 * validation rows. Model: MLP 4-64-64-1 (tanh, linear output), SGD momentum.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 4;
const ROWS = 6000;
const RANGES: readonly (readonly [number, number])[] = [
  [0, 100],
  [40 * Math.PI, 560 * Math.PI],
  [0, 1],
  [1, 11],
];

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(1991 * 3);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const u = RANGES.map(() => uniform());
    const [x1, x2, x3, x4] = u.map((v, j) => RANGES[j]![0] + v * (RANGES[j]![1] - RANGES[j]![0])) as [number, number, number, number];
    ys[r] = Math.atan((x2 * x3 - 1 / (x2 * x4)) / x1) + 0.1 * normal();
    u.forEach((v, j) => (xs[r * FEATURES + j] = (v - 0.5) / Math.sqrt(1 / 12)));
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'tanh', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, null);
}

export const loss = 'meanSquaredError';
