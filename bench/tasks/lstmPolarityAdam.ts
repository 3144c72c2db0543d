/**
 * Advice-quality task (held out, round 20): an LSTM under Adam on token polarity. Sequences of 20 tokens
 * from a vocabulary of 24: tokens 1–4 are positive, 5–8 negative, the rest neutral; the label says
 * whether positives outnumber negatives (ties dropped by adding one positive); 3,000 training / 1,000
 * validation sequences. Model: embedding 8 → LSTM 16 → dense 1 (sigmoid), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, tableTensors } from './data';

const LENGTH = 20;
const VOCAB = 24;
const ROWS = 4000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.lstm({ units: 16 }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(20009);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let score = 0;
    for (let t = 0; t < LENGTH; t++) {
      const v = 1 + Math.floor(uniform() * (VOCAB - 1));
      tokens[r * LENGTH + t] = v;
      if (v <= 4) score++;
      else if (v <= 8) score--;
    }
    if (score === 0) {
      tokens[r * LENGTH] = 1;
      score = 1;
    }
    labels[r] = score > 0 ? 1 : 0;
  }
  return tableTensors({ xs: tokens, ys: labels, count: ROWS, width: LENGTH }, 3000, null);
}

export const loss = 'binaryCrossentropy';
