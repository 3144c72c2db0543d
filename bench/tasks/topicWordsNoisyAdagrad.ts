/**
 * Advice-quality task (held out, round 23): the topic of a short text from a few topic words, with noisy
 * labels, under Adagrad. 30 tokens from a vocabulary of 40: each token is, with probability 0.2, one of its
 * topic's 5 words (4 topics, tokens 0–19), else one of 20 neutral words (20–39); 55% of the topics (training
 * and validation alike) replaced by a uniformly drawn one. Class-index labels; 3,000 training / 1,000
 * validation texts, 6 epochs. Model: embedding 40 → 8 → global average pool → dense 4 (softmax),
 * `tf.train.adagrad(0.05)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 30;
const VOCABULARY = 40;
const TOPICS = 4;
const ROWS = 4000;
const REDRAWN = 0.55;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCABULARY, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: TOPICS, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adagrad(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const uniform = seeded(23008);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const topic = Math.floor(uniform() * TOPICS);
    for (let t = 0; t < LENGTH; t++) tokens[r * LENGTH + t] = uniform() < 0.2 ? topic * 5 + Math.floor(uniform() * 5) : 20 + Math.floor(uniform() * 20);
    labels[r] = uniform() < REDRAWN ? Math.floor(uniform() * TOPICS) : topic;
  }
  return sequenceTensors(tokens, labels, LENGTH, 3000);
}

export const loss = 'sparseCategoricalCrossentropy';
