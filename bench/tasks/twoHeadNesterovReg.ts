/**
 * Advice-quality task (held out, round 22): a two-output regression from a functional model with two heads
 * (`tf.model`, `tf.layers.concatenate`), under Nesterov momentum at batch size 128. 6 uniform features in
 * [−1, 1]; outputs sin(π·x1)·x2 (scale about 0.4) and 8·x3·x4 + 4·x5 + 3·x6² (scale about 4), each with
 * noise (s.d. 0.05 and 0.5); 4,000 training / 2,000 validation rows, 5 epochs. Model: shared dense 64 (relu)
 * → dense 64 (relu); per output dense 32 (tanh) → dense 1; the two concatenated (MSE over both),
 * `tf.train.momentum(0.01, 0.9, true)`; the bench passes `--batch-size 128` to find-lr and train.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const FEATURES = 6;
const ROWS = 6000;
const TRAIN = 4000;

export function createModel(): tf.LayersModel {
  const input = tf.input({ shape: [FEATURES] });
  const h1 = tf.layers.dense({ units: 64, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const trunk = tf.layers.dense({ units: 64, activation: 'relu' }).apply(h1) as tf.SymbolicTensor;
  const head = (): tf.SymbolicTensor => {
    const inner = tf.layers.dense({ units: 32, activation: 'tanh' }).apply(trunk) as tf.SymbolicTensor;
    return tf.layers.dense({ units: 1 }).apply(inner) as tf.SymbolicTensor;
  };
  const output = tf.layers.concatenate().apply([head(), head()]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(22012);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS * 2);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = 2 * uniform() - 1;
    const x = (k: number): number => xs[r * FEATURES + k]!;
    ys[2 * r] = Math.sin(Math.PI * x(0)) * x(1) + 0.05 * normal();
    ys[2 * r + 1] = 8 * x(2) * x(3) + 4 * x(4) + 3 * x(5) * x(5) + 0.5 * normal();
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor2d(xs.subarray(from * FEATURES, to * FEATURES), [to - from, FEATURES]),
    ys: tf.tensor2d(ys.subarray(from * 2, to * 2), [to - from, 2]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
