/**
 * Advice-quality task (held out): a sequence model. Sequences of 12 tokens from a vocabulary of
 * 8; the class says whether token 1 occurs more often than token 2 (0), less often (1) or as
 * often (2). Class-index labels (sparse categorical cross-entropy). 2,000 training / 1,000
 * validation sequences. Model: embedding 8 → GRU 16 → dense 3 (softmax), SGD momentum.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 12;
const VOCAB = 8;
const ROWS = 3000;
const TRAIN = 2000;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(31337);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let diff = 0;
    for (let t = 0; t < LENGTH; t++) {
      const token = Math.floor(uniform() * VOCAB);
      tokens[r * LENGTH + t] = token;
      if (token === 1) diff++;
      if (token === 2) diff--;
    }
    labels[r] = diff > 0 ? 0 : diff < 0 ? 1 : 2;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.gru({ units: 16 }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeSequences();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
