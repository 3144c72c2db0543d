/**
 * Advice-quality task (held out, round 18): a bag-of-embeddings topic classifier under Adam.
 * Sequences of 40 tokens from a vocabulary of 50; each of 3 topics owns 8 tokens, and a sequence of
 * topic t draws 25% of its tokens from t's and the rest from the whole vocabulary; 3,000 training /
 * 1,000 validation sequences. Model: embedding 8 → global average pool → dense 3 (softmax), sparse
 * labels, `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 40;
const VOCAB = 50;
const ROWS = 4000;
const TRAIN = 3000;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(18009);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const topic = Math.floor(uniform() * 3);
    for (let t = 0; t < LENGTH; t++) tokens[r * LENGTH + t] = uniform() < 0.25 ? 2 + topic * 8 + Math.floor(uniform() * 8) : Math.floor(uniform() * VOCAB);
    labels[r] = topic;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeSequences();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
