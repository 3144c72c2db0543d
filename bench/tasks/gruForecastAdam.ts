/**
 * Advice-quality task (held out, round 13): a GRU forecaster under Adam. The next value of a sum of
 * two sines (periods 17 and 41 steps, random phases and amplitudes) plus noise (σ 0.05), from the
 * previous 16 values (MSE); 3,000 training / 1,000 validation windows. Model: GRU 16 → dense 1,
 * `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const WINDOW = 16;
const ROWS = 4000;
const TRAIN = 3000;

function makeWindows(): { xs: Float32Array; ys: Float32Array } {
  const uniform = seeded(271828);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * WINDOW);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const [p1, p2, a1, a2] = [2 * Math.PI * uniform(), 2 * Math.PI * uniform(), 0.5 + uniform(), 0.2 + 0.5 * uniform()];
    const at = (t: number): number => a1 * Math.sin((2 * Math.PI * t) / 17 + p1) + a2 * Math.sin((2 * Math.PI * t) / 41 + p2) + 0.05 * normal();
    for (let t = 0; t < WINDOW; t++) xs[r * WINDOW + t] = at(t);
    ys[r] = at(WINDOW);
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.gru({ units: 16, inputShape: [WINDOW, 1] }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeWindows();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * WINDOW, to * WINDOW), [to - from, WINDOW, 1]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
