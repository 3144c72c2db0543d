/**
 * Advice-quality task (held out, round 24): does a sequence end with the token it began with? A GRU under Adam
 * must carry the first of 26 tokens to the end, and sits at the class balance until it does. Vocabulary 4; the last token
 * repeats the first in 30% of the sequences, else is another token; the middle is uniform. 3,000 training / 1,000
 * validation sequences, 10 epochs. Model: embedding 4 → 6 → GRU 12 → dense 1 (sigmoid), binary cross-entropy,
 * `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded } from './data';

const DATA_SEED = 24007;
const LENGTH = 26;
const TOKENS = 4;
const ROWS = 4000;
const TRAIN = 3000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: TOKENS, outputDim: 6, inputLength: LENGTH }));
  model.add(tf.layers.gru({ units: 12 }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(DATA_SEED);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let t = 0; t < LENGTH; t++) tokens[r * LENGTH + t] = Math.floor(uniform() * TOKENS);
    const first = tokens[r * LENGTH]!;
    const same = uniform() < 0.3;
    tokens[r * LENGTH + LENGTH - 1] = same ? first : (first + 1 + Math.floor(uniform() * (TOKENS - 1))) % TOKENS;
    labels[r] = same ? 1 : 0;
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor2d(tokens.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH]),
    ys: tf.tensor2d(labels.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'binaryCrossentropy';
