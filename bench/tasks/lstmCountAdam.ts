/**
 * Advice-quality task (held out, round 8): an LSTM compiled with Adam that has to count.
 * Sequences of 12 tokens from a vocabulary of 6; the class says whether token 0 appears at least
 * three times (about half of the sequences: token 0 is drawn more often in half of them).
 * Class-index labels (sparse categorical cross-entropy, 2 classes); 2,500 training / 800
 * validation sequences. Model: embedding 6 → LSTM 16 → dense 2 (softmax), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 12;
const VOCAB = 6;
const ROWS = 3300;
const TRAIN = 2500;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(31337);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    // Token 0 with probability 1/6 or 1/3, so that both classes are common.
    const zero = uniform() < 0.5 ? 1 / 6 : 1 / 3;
    let zeros = 0;
    for (let t = 0; t < LENGTH; t++) {
      const token = uniform() < zero ? 0 : 1 + Math.floor(uniform() * (VOCAB - 1));
      if (token === 0) zeros++;
      tokens[r * LENGTH + t] = token;
    }
    labels[r] = zeros >= 3 ? 1 : 0;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 6, inputLength: LENGTH }));
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
