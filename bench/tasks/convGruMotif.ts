/**
 * Advice-quality task (held out, round 11): a convolution feeding a recurrent layer. Sequences of
 * 20 tokens from a vocabulary of 8; two 3-token motifs (1-2-3 and 4-5-6) may each be planted once;
 * the class says which comes first, or that neither appears (3 classes, class-index labels);
 * 2,500 training / 800 validation sequences. Model: embedding 8 → conv1d 16 (3, relu) → max pool 2
 * → GRU 16 → dense 3 (softmax), `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 20;
const VOCAB = 8;
const ROWS = 3300;
const TRAIN = 2500;
const MOTIFS = [[1, 2, 3], [4, 5, 6]] as const;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(777001);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    // Background tokens 0 and 7 only, so a motif appears only where planted.
    const seq: number[] = Array.from({ length: LENGTH }, () => (uniform() < 0.5 ? 0 : 7));
    const kind = Math.floor(uniform() * 3);
    if (kind < 2) {
      // Both motifs, in non-overlapping places; `kind` says which goes first.
      const a = Math.floor(uniform() * 7);
      const b = 10 + Math.floor(uniform() * 7);
      const [first, second] = kind === 0 ? [MOTIFS[0], MOTIFS[1]] : [MOTIFS[1], MOTIFS[0]];
      first.forEach((t, k) => (seq[a + k] = t));
      second.forEach((t, k) => (seq[b + k] = t));
    }
    seq.forEach((t, k) => (tokens[r * LENGTH + k] = t));
    labels[r] = kind;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 8, inputLength: LENGTH }));
  model.add(tf.layers.conv1d({ filters: 16, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.gru({ units: 16 }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeSequences();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
