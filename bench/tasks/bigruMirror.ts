/**
 * Advice-quality task (held out, round 9): a bidirectional GRU. Sequences of 8 tokens from a
 * vocabulary of 4; the class says whether the sequence is a palindrome. Half of the sequences are
 * built as palindromes, the others drawn at random (re-labelled if they happen to be one).
 * Class-index labels (sparse categorical cross-entropy, 2 classes); 2,000 training / 700
 * validation sequences. Model: embedding 4 → bidirectional GRU 8 (concatenated) → dense 2
 * (softmax), Nesterov momentum `tf.train.momentum(0.05, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 8;
const VOCAB = 4;
const ROWS = 2700;
const TRAIN = 2000;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(8118);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const seq = Array.from({ length: LENGTH }, () => Math.floor(uniform() * VOCAB));
    if (uniform() < 0.5) for (let t = 0; t < LENGTH / 2; t++) seq[LENGTH - 1 - t] = seq[t]!;
    seq.forEach((token, t) => (tokens[r * LENGTH + t] = token));
    labels[r] = seq.every((token, t) => token === seq[LENGTH - 1 - t]) ? 1 : 0;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 4, inputLength: LENGTH }));
  model.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units: 8 }), mergeMode: 'concat' }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9, true), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeSequences();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
