/**
 * Advice-quality task (held out, round 17): an LSTM under Adamax comparing the ends of a sequence.
 * Sequences of 10 tokens from a vocabulary of 6; the label says whether the first token equals the
 * last (drawn so that about half do); 2,500 training / 800 validation sequences. Model: embedding 8
 * → LSTM 16 → dense 1 (sigmoid), `tf.train.adamax(0.002)`, binary cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, tableTensors } from './data';

const LENGTH = 10;
const VOCAB = 6;
const ROWS = 3300;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(17008);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const row = Array.from({ length: LENGTH }, () => Math.floor(uniform() * VOCAB));
    const same = uniform() < 0.5;
    if (same) row[LENGTH - 1] = row[0]!;
    else while (row[LENGTH - 1] === row[0]) row[LENGTH - 1] = Math.floor(uniform() * VOCAB);
    row.forEach((v, t) => (tokens[r * LENGTH + t] = v));
    labels[r] = same ? 1 : 0;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.lstm({ units: 16 }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adamax(0.002), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const { tokens, labels } = makeSequences();
  return tableTensors({ xs: tokens, ys: labels, count: ROWS, width: LENGTH }, 2500, null);
}

export const loss = 'binaryCrossentropy';
