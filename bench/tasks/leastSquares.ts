/**
 * Advice-quality task: linear least squares with a known SGD stability limit.
 * x ∈ R^20, independent normal features with variances λ_j = 4 · 100^(−j/19) (4 down to 0.04,
 * condition number 100), y = x·w* + 0.5·N(0, 1); 4,000 training / 2,000 validation rows.
 * Model: one dense unit (with bias), MSE, SGD momentum.
 *
 * The limit: the MSE's Hessian is 2·E[x xᵀ] (the bias adds a direction of eigenvalue 2), so its
 * largest eigenvalue is 2·λ_max = 8, and full-batch heavy-ball SGD with momentum β is stable for
 * lr < 2(1 + β)/8 = (1 + β)/4: 0.4625 at 1cycle's momentum 0.85 at the peak LR, 0.475 at the
 * range test's 0.9, 0.25 without momentum. `STABILITY_LIMIT` below is the 1cycle one.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 20;
const ROWS = 6000;
export const LARGEST_VARIANCE = 4;
/** (1 + 0.85) / (2 · LARGEST_VARIANCE): the largest stable LR at 1cycle's peak (momentum 0.85). */
export const STABILITY_LIMIT = (1 + 0.85) / (2 * LARGEST_VARIANCE);

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(77);
  const normal = gaussian(uniform);
  const scale = Array.from({ length: FEATURES }, (_, j) => Math.sqrt(LARGEST_VARIANCE * 100 ** (-j / (FEATURES - 1))));
  const w = Array.from({ length: FEATURES }, () => normal());
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let y = 0.5 * normal();
    for (let j = 0; j < FEATURES; j++) {
      const v = scale[j]! * normal();
      xs[r * FEATURES + j] = v;
      y += v * w[j]!;
    }
    ys[r] = y;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [FEATURES] }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, null);
}

export const loss = 'meanSquaredError';
