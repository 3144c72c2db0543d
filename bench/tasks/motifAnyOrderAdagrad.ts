/**
 * Advice-quality task (held out, round 21): do tokens 1, 2 and 3 all occur within some window of 5, in any
 * order (half the sequences: negatives are drawn until none does), under Adagrad. Sequences of 24 tokens from a vocabulary of 8; 3,000
 * training / 1,000 validation. Model: embedding 6 → conv1d 16×5 (relu) → global max pool → dense 2
 * (softmax), sparse labels, `tf.train.adagrad(0.05)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 24;
const VOCAB = 8;
const ROWS = 4000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 6, inputLength: LENGTH }));
  model.add(tf.layers.conv1d({ filters: 16, kernelSize: 5, activation: 'relu' }));
  model.add(tf.layers.globalMaxPooling1d());
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adagrad(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function hasMotif(seq: readonly number[]): boolean {
  for (let i = 0; i + 5 <= seq.length; i++) {
    const w = seq.slice(i, i + 5);
    if (w.includes(1) && w.includes(2) && w.includes(3)) return true;
  }
  return false;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const uniform = seeded(21007);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const draw = (): number[] => Array.from({ length: LENGTH }, () => 1 + Math.floor(uniform() * (VOCAB - 1)));
    let seq = draw();
    // Negatives are drawn again until no window holds the motif by chance; positives get it planted.
    if (uniform() >= 0.5) {
      while (hasMotif(seq)) seq = draw();
    } else {
      // Plant the three tokens in a random order inside one window of 5.
      const at = Math.floor(uniform() * (LENGTH - 4));
      const slots = [0, 1, 2, 3, 4].sort(() => uniform() - 0.5).slice(0, 3);
      [1, 2, 3].forEach((token, k) => (seq[at + slots[k]!] = token));
    }
    seq.forEach((v, t) => (tokens[r * LENGTH + t] = v));
    labels[r] = hasMotif(seq) ? 1 : 0;
  }
  return sequenceTensors(tokens, labels, LENGTH, 3000);
}

export const loss = 'sparseCategoricalCrossentropy';
