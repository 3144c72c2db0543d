/**
 * Advice-quality task (held out, round 9): one-step forecasting with an LSTM (sequence
 * regression, MSE), compiled with RMSprop. Each row is a window of 20 values of a noisy series
 * x_t = 1.2·x_{t−1} − 0.5·x_{t−2} + 0.5·sin(2πt/p) + ε (p in [6, 14] per row, ε ~ N(0, 0.2²));
 * the target is the next value. 3,000 training / 1,000 validation windows.
 * Model: LSTM 16 over [20, 1] → dense 1, `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const WINDOW = 20;
const ROWS = 4000;
const TRAIN = 3000;

function makeWindows(): { xs: Float32Array; ys: Float32Array } {
  const uniform = seeded(90210);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * WINDOW);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const period = 6 + 8 * uniform();
    const phase = 2 * Math.PI * uniform();
    const series = [normal() * 0.5, normal() * 0.5];
    // 30 steps of burn-in, then the window and its next value.
    for (let t = 2; t < 30 + WINDOW + 1; t++) {
      series.push(1.2 * series[t - 1]! - 0.5 * series[t - 2]! + 0.5 * Math.sin((2 * Math.PI * t) / period + phase) + 0.2 * normal());
    }
    const tail = series.slice(-WINDOW - 1);
    for (let t = 0; t < WINDOW; t++) xs[r * WINDOW + t] = tail[t]!;
    ys[r] = tail[WINDOW]!;
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: 16, inputShape: [WINDOW, 1] }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'meanSquaredError' });
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
