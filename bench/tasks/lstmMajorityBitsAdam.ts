/**
 * Advice-quality task (held out, round 19): an LSTM under Adam on the majority of the first five bits.
 * Sequences of 10 bits (each a 0/1 feature per step); the label says whether at least three of the first
 * five are 1 (the last five are noise); 3,000 training / 1,000 validation sequences. Model: LSTM 16 →
 * dense 1 (sigmoid), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded } from './data';

const LENGTH = 10;
const ROWS = 4000;
const TRAIN = 3000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: 16, inputShape: [LENGTH, 1] }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(19003);
  const bits = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let ones = 0;
    for (let t = 0; t < LENGTH; t++) {
      const b = uniform() < 0.5 ? 1 : 0;
      bits[r * LENGTH + t] = b;
      if (t < 5) ones += b;
    }
    labels[r] = ones >= 3 ? 1 : 0;
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(bits.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor2d(labels.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'binaryCrossentropy';
