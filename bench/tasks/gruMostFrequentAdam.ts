/**
 * Advice-quality task (held out, round 21): which of four tokens occurs most often in a sequence of 15
 * (ties to the smallest), under Adam. 3,000 training / 1,000 validation sequences. Model: embedding 4 →
 * GRU 16 → dense 4 (softmax), sparse labels, `tf.train.adam(3e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 15;
const TOKENS = 4;
const ROWS = 4000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: TOKENS, outputDim: 4, inputLength: LENGTH }));
  model.add(tf.layers.gru({ units: 16 }));
  model.add(tf.layers.dense({ units: TOKENS, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(3e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const uniform = seeded(21010);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    // A skewed mix per sequence, so one token usually leads.
    const weights = Array.from({ length: TOKENS }, () => uniform() + 0.2);
    const total = weights.reduce((a, b) => a + b, 0);
    const counts = new Array<number>(TOKENS).fill(0);
    for (let t = 0; t < LENGTH; t++) {
      let u = uniform() * total;
      let v = 0;
      while (v < TOKENS - 1 && u >= weights[v]!) u -= weights[v++]!;
      tokens[r * LENGTH + t] = v;
      counts[v]!++;
    }
    labels[r] = counts.indexOf(Math.max(...counts));
  }
  return sequenceTensors(tokens, labels, LENGTH, 3000);
}

export const loss = 'sparseCategoricalCrossentropy';
