/**
 * Advice-quality task (held out, round 18): an LSTM regression under Nesterov momentum. Data: 24
 * samples of a sine with random amplitude (0.5–2), frequency and phase, plus noise (s.d. 0.2); the
 * target is the amplitude (MSE); 3,000 training / 1,000 validation sequences. Model: LSTM 12 →
 * dense 1, `tf.train.momentum(0.01, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 24;
const ROWS = 4000;
const TRAIN = 3000;

function makeSequences(): { xs: Float32Array; ys: Float32Array } {
  const uniform = seeded(18005);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const amplitude = 0.5 + 1.5 * uniform();
    const frequency = 0.2 + 0.6 * uniform();
    const phase = 2 * Math.PI * uniform();
    for (let t = 0; t < LENGTH; t++) xs[r * LENGTH + t] = amplitude * Math.sin(frequency * t + phase) + 0.2 * normal();
    ys[r] = amplitude;
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: 12, inputShape: [LENGTH, 1] }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeSequences();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
