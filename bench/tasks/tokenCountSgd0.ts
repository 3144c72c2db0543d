/**
 * Advice-quality task (held out, round 14): averaged token embeddings under plain SGD (momentum 0).
 * Data: sequences of 24 tokens from a vocabulary of 60; the label says whether tokens 1–10 occur
 * more often than tokens 11–20 (ties redrawn; 5% of labels flipped); 4,000 training / 1,000
 * validation sequences. Model: embedding 16 → global average pool → dense 16 (relu) → dense 1
 * (sigmoid), `tf.train.sgd(0.05)`, binary cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, tableTensors } from './data';

const LENGTH = 24;
const VOCAB = 60;
const ROWS = 5000;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(57721);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let a = 0;
    let b = 0;
    do {
      a = 0;
      b = 0;
      for (let t = 0; t < LENGTH; t++) {
        const token = Math.floor(uniform() * VOCAB);
        tokens[r * LENGTH + t] = token;
        if (token >= 1 && token <= 10) a++;
        else if (token >= 11 && token <= 20) b++;
      }
    } while (a === b);
    labels[r] = (a > b) !== uniform() < 0.05 ? 1 : 0;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 16, inputLength: LENGTH }));
  model.add(tf.layers.globalAveragePooling1d({}));
  model.add(tf.layers.dense({ units: 16, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const { tokens, labels } = makeSequences();
  // Token ids as floats (the embedding reads them), labels as one column for the sigmoid output.
  return tableTensors({ xs: tokens, ys: labels, count: ROWS, width: LENGTH }, 4000, null);
}

export const loss = 'binaryCrossentropy';
