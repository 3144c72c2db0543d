/**
 * Advice-quality task (held out, round 24): averaged word embeddings under Adadelta for a binary polarity label.
 * 25 tokens from a vocabulary of 50 (tokens 1–8 positive, 9–16 negative, the rest neutral; each sequence leans one
 * way); the label is whether positive tokens outnumber negative ones (ties: a coin); 3,000 training / 1,000
 * validation sequences, 5 epochs. Model: embedding 50 → 8 → global average pool → dense 1 (sigmoid), binary
 * cross-entropy, `tf.train.adadelta(1)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded } from './data';

const DATA_SEED = 24011;
const LENGTH = 25;
const TOKENS = 50;
const ROWS = 4000;
const TRAIN = 3000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: TOKENS, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adadelta(1), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(DATA_SEED);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const lean = uniform() < 0.5 ? 1 : 9;
    let balance = 0;
    for (let t = 0; t < LENGTH; t++) {
      const u = uniform();
      // 12% leaning words, 8% the other way, 80% neutral.
      const token = u < 0.12 ? lean + Math.floor(uniform() * 8) : u < 0.2 ? 10 - lean + Math.floor(uniform() * 8) : 17 + Math.floor(uniform() * 33);
      tokens[r * LENGTH + t] = token;
      if (token >= 1 && token <= 8) balance++;
      else if (token >= 9 && token <= 16) balance--;
    }
    labels[r] = balance > 0 ? 1 : balance < 0 ? 0 : uniform() < 0.5 ? 1 : 0;
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor2d(tokens.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH]),
    ys: tf.tensor2d(labels.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'binaryCrossentropy';
