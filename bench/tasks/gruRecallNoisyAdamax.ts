/**
 * Advice-quality task (held out, round 23): a GRU recalling the token two places from the end, with most
 * labels redrawn, under Adamax. Sequences of 14 tokens from a vocabulary of 6, uniformly drawn; the class is
 * the 13th token, then 45% of the labels (training and validation alike) replaced by a uniformly drawn token,
 * so the best possible loss is near seven tenths of ln 6. Class-index labels; 3,000 training / 1,000 validation
 * sequences, 5 epochs. Model: embedding 6 → 8 → GRU 16 → dense 6 (softmax), `tf.train.adamax(2e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 14;
const TOKENS = 6;
const ROWS = 4000;
const RECALLED = 12;
const REDRAWN = 0.45;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: TOKENS, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.gru({ units: 16 }));
  model.add(tf.layers.dense({ units: TOKENS, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adamax(2e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const uniform = seeded(23005);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let t = 0; t < LENGTH; t++) tokens[r * LENGTH + t] = Math.floor(uniform() * TOKENS);
    labels[r] = uniform() < REDRAWN ? Math.floor(uniform() * TOKENS) : tokens[r * LENGTH + RECALLED]!;
  }
  return sequenceTensors(tokens, labels, LENGTH, 3000);
}

export const loss = 'sparseCategoricalCrossentropy';
