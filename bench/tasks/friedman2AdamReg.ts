/**
 * Advice-quality task (held out, round 18): Friedman #2 under Adam. Data: x1 ∈ [0, 100], x2 ∈
 * [40π, 560π], x3 ∈ [0, 1], x4 ∈ [1, 11] (uniform), each fed standardized; target
 * √(x1² + (x2·x3 − 1/(x2·x4))²) / 100 + noise (s.d. 0.1); 4,000 training / 2,000 validation rows.
 * Model: dense 64 (relu) → dense 64 (relu) → dense 1, `tf.train.adam(1e-3)`, mean squared error.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const ROWS = 6000;
const RANGES: readonly (readonly [number, number])[] = [[0, 100], [40 * Math.PI, 560 * Math.PI], [0, 1], [1, 11]];

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(18004);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * 4);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = RANGES.map(([lo, hi]) => lo + (hi - lo) * uniform());
    x.forEach((v, k) => {
      const [lo, hi] = RANGES[k]!;
      xs[r * 4 + k] = (v - (lo + hi) / 2) / ((hi - lo) / Math.sqrt(12));
    });
    const [x1, x2, x3, x4] = x as [number, number, number, number];
    ys[r] = Math.sqrt(x1 ** 2 + (x2 * x3 - 1 / (x2 * x4)) ** 2) / 100 + 0.1 * normal();
  }
  return { xs, ys, count: ROWS, width: 4 };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [4] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, null);
}

export const loss = 'meanSquaredError';
