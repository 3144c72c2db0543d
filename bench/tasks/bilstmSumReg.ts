/**
 * Advice-quality task (held out, round 12): a bidirectional LSTM regression. Sequences of 10
 * values uniform in [-1, 1]; the target is their weighted sum with weights rising from 0.1 to 1.0
 * plus noise (σ 0.05) (MSE); 3,000 training / 1,000 validation sequences. Model: bidirectional
 * LSTM 8 (concatenated) → dense 1, `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 10;
const ROWS = 4000;
const TRAIN = 3000;

function makeSeries(): { xs: Float32Array; ys: Float32Array } {
  const uniform = seeded(86420);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let y = 0;
    for (let t = 0; t < LENGTH; t++) {
      const v = 2 * uniform() - 1;
      xs[r * LENGTH + t] = v;
      y += v * (0.1 + (0.9 * t) / (LENGTH - 1));
    }
    ys[r] = y + 0.05 * normal();
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 8 }), mergeMode: 'concat', inputShape: [LENGTH, 1] }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeSeries();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
