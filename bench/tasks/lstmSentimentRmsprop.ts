/**
 * Advice-quality task (held out, round 15): an LSTM sentiment-style classifier under RMSprop.
 * Data: sequences of 16 tokens from a vocabulary of 40; tokens 1–6 are "positive", 7–12
 * "negative", a "not" token (13) flips the next token's sign; the label says whether the signed sum
 * is positive (ties redrawn, 5% flipped); 3,000 training / 1,000 validation sequences. Model:
 * embedding 12 → LSTM 16 → dense 1 (sigmoid), `tf.train.rmsprop(0.001)`, binary cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, tableTensors } from './data';

const LENGTH = 16;
const VOCAB = 40;
const ROWS = 4000;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(44721);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let score = 0;
    do {
      score = 0;
      let negate = false;
      for (let t = 0; t < LENGTH; t++) {
        const token = Math.floor(uniform() * VOCAB);
        tokens[r * LENGTH + t] = token;
        const value = token >= 1 && token <= 6 ? 1 : token >= 7 && token <= 12 ? -1 : 0;
        score += negate ? -value : value;
        negate = token === 13;
      }
    } while (score === 0);
    labels[r] = (score > 0) !== uniform() < 0.05 ? 1 : 0;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 12, inputLength: LENGTH }));
  model.add(tf.layers.lstm({ units: 16 }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.rmsprop(0.001), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const { tokens, labels } = makeSequences();
  return tableTensors({ xs: tokens, ys: labels, count: ROWS, width: LENGTH }, 3000, null);
}

export const loss = 'binaryCrossentropy';
