/**
 * Advice-quality task (held out, round 7): a bag-of-embeddings text classifier compiled with
 * Adamax. Documents of 16 tokens from a vocabulary of 40: each of 4 topics owns 6 keywords, the
 * other 16 tokens are shared filler; a document draws each token from its topic's keywords with
 * probability 0.2, else from the filler or another topic's keywords (20% of those). Class-index
 * labels (4 classes); 4,000 training / 1,000 validation documents, 4 epochs.
 * Model: embedding 40 → 8 → global average pooling → dense 4 (softmax), `tf.train.adamax(2e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 16;
const VOCAB = 40;
const TOPICS = 4;
const KEYWORDS = 6;
const ROWS = 5000;
const TRAIN = 4000;

function makeDocuments(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(1618);
  const filler = VOCAB - TOPICS * KEYWORDS;
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const topic = Math.floor(uniform() * TOPICS);
    for (let t = 0; t < LENGTH; t++) {
      let token: number;
      if (uniform() < 0.2) token = topic * KEYWORDS + Math.floor(uniform() * KEYWORDS);
      else if (uniform() < 0.2) token = Math.floor(uniform() * TOPICS * KEYWORDS);
      else token = TOPICS * KEYWORDS + Math.floor(uniform() * filler);
      tokens[r * LENGTH + t] = token;
    }
    labels[r] = topic;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.globalAveragePooling1d({}));
  model.add(tf.layers.dense({ units: TOPICS, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adamax(2e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeDocuments();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
