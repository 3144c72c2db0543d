/**
 * Advice-quality task (held out, round 18): a GRU under RMSprop on token order. Sequences of 12
 * tokens from a vocabulary of 8, each holding token 1 and token 2 exactly once at random places (the
 * others drawn from 3–7); the label says whether 1 comes before 2; 2,500 training / 800 validation
 * sequences. Model: embedding 6 → GRU 12 → dense 1 (sigmoid), `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, tableTensors } from './data';

const LENGTH = 12;
const VOCAB = 8;
const ROWS = 3300;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(18002);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const row = Array.from({ length: LENGTH }, () => 3 + Math.floor(uniform() * (VOCAB - 3)));
    const a = Math.floor(uniform() * LENGTH);
    let b = Math.floor(uniform() * (LENGTH - 1));
    if (b >= a) b++;
    row[a] = 1;
    row[b] = 2;
    row.forEach((v, t) => (tokens[r * LENGTH + t] = v));
    labels[r] = a < b ? 1 : 0;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 6, inputLength: LENGTH }));
  model.add(tf.layers.gru({ units: 12 }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const { tokens, labels } = makeSequences();
  return tableTensors({ xs: tokens, ys: labels, count: ROWS, width: LENGTH }, 2500, null);
}

export const loss = 'binaryCrossentropy';
