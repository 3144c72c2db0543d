/**
 * Advice-quality task (held out, round 24): the adding problem for a SimpleRNN under momentum, a slow starter:
 * the loss sits at the mean's until the net finds the markers. Sequences of 30 steps of (value in [0, 1), marker);
 * one marker in the first half, one in the second; the target is the sum of the two marked values (variance 1/6 around
 * 1); 3,000 training / 1,000 validation sequences, 15 epochs. Model: SimpleRNN 16 (tanh) → dense 1, MSE,
 * `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded } from './data';

const DATA_SEED = 24006;
const LENGTH = 30;
const ROWS = 4000;
const TRAIN = 3000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.simpleRNN({ units: 16, inputShape: [LENGTH, 2] }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(DATA_SEED);
  const xs = new Float32Array(ROWS * LENGTH * 2);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const first = Math.floor(uniform() * (LENGTH / 2));
    const second = LENGTH / 2 + Math.floor(uniform() * (LENGTH / 2));
    let sum = 0;
    for (let t = 0; t < LENGTH; t++) {
      const v = uniform();
      const marked = t === first || t === second;
      xs[(r * LENGTH + t) * 2] = v;
      xs[(r * LENGTH + t) * 2 + 1] = marked ? 1 : 0;
      if (marked) sum += v;
    }
    ys[r] = sum;
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH * 2, to * LENGTH * 2), [to - from, LENGTH, 2]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
