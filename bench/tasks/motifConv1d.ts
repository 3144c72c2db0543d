/**
 * Advice-quality task (held out, round 2): a conv1d sequence classifier. Sequences of 24 tokens
 * from a vocabulary of 10; in three of four sequences one of three 3-token motifs is planted at
 * a random place, and the class says which (0–2) or none (3); motifs that occur by chance are
 * label noise. One-hot labels. 3,000 training / 1,000 validation sequences.
 * Model: embedding 12 → conv1d 16 filters of width 5 (relu) → global max pool → dense 4
 * (softmax), compiled with Nesterov momentum 0.9.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded } from './data';

const LENGTH = 24;
const VOCAB = 10;
const ROWS = 4000;
const TRAIN = 3000;
const MOTIFS = [
  [3, 1, 4],
  [1, 5, 9],
  [2, 6, 5],
] as const;

function makeSequences(): { tokens: Float32Array; labels: Int32Array } {
  const uniform = seeded(8675309);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let t = 0; t < LENGTH; t++) tokens[r * LENGTH + t] = Math.floor(uniform() * VOCAB);
    const cls = Math.floor(uniform() * 4);
    if (cls < 3) {
      const at = Math.floor(uniform() * (LENGTH - 3));
      MOTIFS[cls]!.forEach((token, k) => (tokens[r * LENGTH + at + k] = token));
    }
    labels[r] = cls;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 12, inputLength: LENGTH }));
  model.add(tf.layers.conv1d({ filters: 16, kernelSize: 5, activation: 'relu' }));
  model.add(tf.layers.globalMaxPooling1d({}));
  model.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { tokens, labels } = makeSequences();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } =>
    tf.tidy(() => ({
      xs: tf.tensor2d(tokens.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH]),
      ys: tf.oneHot(tf.tensor1d(labels.subarray(from, to), 'int32'), 4).toFloat(),
    }));
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}
