/**
 * Advice-quality task (held out, round 17): a GRU under Adam counting over a sequence. Sequences of
 * 15 tokens from a vocabulary of 5 (tokens 0–2 are symbols, 3–4 filler); the label is the symbol
 * that occurs most often (ties redrawn), 3 classes, class-index labels; 2,500 training / 800
 * validation sequences. Model: embedding 8 → GRU 12 → dense 3 (softmax), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 15;
const VOCAB = 5;
const ROWS = 3300;
const TRAIN = 2500;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(17002);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let counts = [0, 0, 0];
    do {
      counts = [0, 0, 0];
      for (let t = 0; t < LENGTH; t++) {
        const token = Math.floor(uniform() * VOCAB);
        tokens[r * LENGTH + t] = token;
        if (token < 3) counts[token]!++;
      }
    } while (counts.filter((c) => c === Math.max(...counts)).length > 1);
    labels[r] = counts.indexOf(Math.max(...counts));
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.gru({ units: 12 }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeSequences();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
