/**
 * Advice-quality task (held out, round 10): two stacked LSTMs (the first returns its sequence).
 * Sequences of 8 tokens from a vocabulary of 10; the class says whether the sequence never
 * decreases. Half are built sorted, the others drawn at random (re-labelled if they happen to be
 * sorted). Class-index labels (sparse categorical cross-entropy, 2 classes); 2,000 training / 700
 * validation sequences. Model: embedding 8 → LSTM 16 (returnSequences) → LSTM 16 → dense 2
 * (softmax), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 8;
const VOCAB = 10;
const ROWS = 2700;
const TRAIN = 2000;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(90210);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const seq = Array.from({ length: LENGTH }, () => Math.floor(uniform() * VOCAB));
    if (uniform() < 0.5) seq.sort((a, b) => a - b);
    seq.forEach((token, t) => (tokens[r * LENGTH + t] = token));
    labels[r] = seq.every((token, t) => t === 0 || seq[t - 1]! <= token) ? 1 : 0;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.lstm({ units: 16, returnSequences: true }));
  model.add(tf.layers.lstm({ units: 16 }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeSequences();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
