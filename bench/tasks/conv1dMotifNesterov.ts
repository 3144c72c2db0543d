/**
 * Advice-quality task (held out, round 17): a convolutional text-style classifier under Nesterov
 * momentum. Sequences of 30 tokens from a vocabulary of 12; three motifs of 3 tokens (1-2-3, 4-5-6,
 * 7-8-9) — one of them is planted at a random position, or none (class 0: any motif drawn by chance
 * is broken up); 4 classes, class-index labels; 3,000 training / 1,000 validation sequences.
 * Model: embedding 8 → conv1d 16 (kernel 3, relu) → global max pool → dense 4 (softmax),
 * `tf.train.momentum(0.01, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 30;
const VOCAB = 12;
const ROWS = 4000;
const TRAIN = 3000;
const MOTIFS = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(17005);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const row = Array.from({ length: LENGTH }, () => Math.floor(uniform() * VOCAB));
    // Break every motif drawn by chance, then plant at most one.
    for (let t = 0; t + 2 < LENGTH; t++) if (MOTIFS.some((m) => m.every((v, k) => row[t + k] === v))) row[t + 1] = 0;
    const label = Math.floor(uniform() * 4);
    if (label > 0) {
      const at = Math.floor(uniform() * (LENGTH - 2));
      MOTIFS[label - 1]!.forEach((v, k) => (row[at + k] = v));
    }
    row.forEach((v, t) => (tokens[r * LENGTH + t] = v));
    labels[r] = label;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.conv1d({ filters: 16, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.globalMaxPooling1d());
  model.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeSequences();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
