/**
 * Advice-quality task (held out, round 20): a GRU under Adamax counting a token. Sequences of 16 tokens
 * from a vocabulary of 6; the label says whether token 1 occurs at least 3 times (about half do);
 * 3,000 training / 1,000 validation sequences. Model: embedding 4 → GRU 12 → dense 2 (softmax), sparse
 * labels, `tf.train.adamax(0.002)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 16;
const VOCAB = 6;
const ROWS = 4000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 4, inputLength: LENGTH }));
  model.add(tf.layers.gru({ units: 12 }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adamax(0.002), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const uniform = seeded(20004);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let ones = 0;
    for (let t = 0; t < LENGTH; t++) {
      const v = uniform() < 0.16 ? 1 : 2 + Math.floor(uniform() * (VOCAB - 2));
      tokens[r * LENGTH + t] = v;
      if (v === 1) ones++;
    }
    labels[r] = ones >= 3 ? 1 : 0;
  }
  return sequenceTensors(tokens, labels, LENGTH, 3000);
}

export const loss = 'sparseCategoricalCrossentropy';
