/**
 * Advice-quality task (held out, round 22): a long-range dependency for an LSTM under RMSprop, a slow
 * learner. Sequences of 30 tokens from a vocabulary of 6; the class is whether the first token is one of
 * {0, 1, 2} (binary, sigmoid output), 29 distractors after it. 3,000 training / 1,000 validation
 * sequences, 5 epochs. Model: embedding 6 → 8 → LSTM 16 → dense 1 (sigmoid), binary cross-entropy,
 * `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 30;
const TOKENS = 6;
const ROWS = 4000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: TOKENS, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.lstm({ units: 16 }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const uniform = seeded(22005);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let t = 0; t < LENGTH; t++) tokens[r * LENGTH + t] = Math.floor(uniform() * TOKENS);
    labels[r] = tokens[r * LENGTH]! < 3 ? 1 : 0;
  }
  const splits = sequenceTensors(tokens, labels, LENGTH, 3000);
  // One column of 0/1 labels for the sigmoid output.
  return { train: { xs: splits.train.xs, ys: splits.train.ys.reshape([-1, 1]) }, validation: { xs: splits.validation.xs, ys: splits.validation.ys.reshape([-1, 1]) } };
}

export const loss = 'binaryCrossentropy';
