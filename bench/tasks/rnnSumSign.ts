/**
 * Advice-quality task (held out, round 7): a SimpleRNN. Sequences of 10 tokens from {0, 1, 2},
 * read as steps of −1, 0, +1; the class is whether the walk ends above zero (1) or not (0), with 3%
 * of the labels flipped. Class-index labels (sparse categorical cross-entropy, 2 classes); 3,000
 * training / 1,000 validation sequences, 6 epochs.
 * Model: embedding 3 → 4 → SimpleRNN 16 (tanh) → dense 2 (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 10;
const ROWS = 4000;
const TRAIN = 3000;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(2718);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let walk = 0;
    for (let t = 0; t < LENGTH; t++) {
      const token = Math.floor(uniform() * 3);
      tokens[r * LENGTH + t] = token;
      walk += token - 1;
    }
    const label = walk > 0 ? 1 : 0;
    labels[r] = uniform() < 0.03 ? 1 - label : label;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: 3, outputDim: 4, inputLength: LENGTH }));
  model.add(tf.layers.simpleRNN({ units: 16 }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeSequences();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
