/**
 * Advice-quality task (held out, round 4): an LSTM sequence classifier. Sequences of 10 tokens
 * from a vocabulary of 6; the class says which of tokens 1 and 2 occurs first (0: token 1,
 * 1: token 2, 2: neither occurs). Class-index labels (sparse categorical cross-entropy);
 * 1,500 training / 500 validation sequences.
 * Model: embedding 6 → LSTM 12 → dense 3 (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 10;
const VOCAB = 6;
const ROWS = 2000;
const TRAIN = 1500;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(5150);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    // A third of the rows draw from tokens 0 and 3–5 only, so that "neither" is as common as the rest.
    const neither = uniform() < 1 / 3;
    let first = 2;
    for (let t = 0; t < LENGTH; t++) {
      let token = Math.floor(uniform() * VOCAB);
      if (neither && (token === 1 || token === 2)) token = 3 + Math.floor(uniform() * 3);
      tokens[r * LENGTH + t] = token;
      if (first === 2 && token === 1) first = 0;
      else if (first === 2 && token === 2) first = 1;
    }
    labels[r] = first;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 6, inputLength: LENGTH }));
  model.add(tf.layers.lstm({ units: 12 }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeSequences();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
