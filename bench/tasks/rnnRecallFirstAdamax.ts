/**
 * Advice-quality task (held out, round 22): a long-range dependency for a SimpleRNN under Adamax, a slow
 * learner. Sequences of 20 tokens from a vocabulary of 4, uniformly drawn; the class is the first token
 * (19 distractors after it). Class-index labels; 3,000 training / 1,000 validation sequences, 5 epochs.
 * Model: embedding 4 → 8 → SimpleRNN 32 (tanh) → dense 4 (softmax), `tf.train.adamax(2e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 20;
const TOKENS = 4;
const ROWS = 4000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: TOKENS, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.simpleRNN({ units: 32 }));
  model.add(tf.layers.dense({ units: TOKENS, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adamax(2e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const uniform = seeded(22004);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let t = 0; t < LENGTH; t++) tokens[r * LENGTH + t] = Math.floor(uniform() * TOKENS);
    labels[r] = tokens[r * LENGTH]!;
  }
  return sequenceTensors(tokens, labels, LENGTH, 3000);
}

export const loss = 'sparseCategoricalCrossentropy';
