/**
 * Advice-quality task (held out, round 19): a bag-of-embeddings regression under Adamax. Sequences of
 * 20 tokens from a vocabulary of 30, each token with a fixed hidden value (standard normal); the
 * target is the mean of the sequence's values plus noise (s.d. 0.05); 3,000 training / 1,000
 * validation sequences. Model: embedding 4 → global average pool → dense 1, `tf.train.adamax(0.002)`, MSE.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 20;
const VOCAB = 30;
const ROWS = 4000;
const TRAIN = 3000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 4, inputLength: LENGTH }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adamax(0.002), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(19011);
  const normal = gaussian(uniform);
  const values = Array.from({ length: VOCAB }, () => normal());
  const tokens = new Float32Array(ROWS * LENGTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let sum = 0;
    for (let t = 0; t < LENGTH; t++) {
      const v = Math.floor(uniform() * VOCAB);
      tokens[r * LENGTH + t] = v;
      sum += values[v]!;
    }
    ys[r] = sum / LENGTH + 0.05 * normal();
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor2d(tokens.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
