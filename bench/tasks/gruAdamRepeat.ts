/**
 * Advice-quality task (held out, round 5): a GRU compiled with Adam. Sequences of 8 tokens from a
 * vocabulary of 5; the class says whether some token appears twice in a row (1) or not (0);
 * about half of the sequences have a repeat. Class-index labels (sparse categorical
 * cross-entropy, 2 classes); 2,000 training / 700 validation sequences.
 * Model: embedding 6 → GRU 12 → dense 2 (softmax), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, sequenceTensors } from './data';

const LENGTH = 8;
const VOCAB = 5;
const ROWS = 2700;
const TRAIN = 2000;

function makeSequences(): { tokens: Float32Array; labels: Float32Array } {
  const uniform = seeded(8086);
  const tokens = new Float32Array(ROWS * LENGTH);
  const labels = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    // Half the rows are drawn without any repeat; the other half get one planted at a random place.
    const plant = uniform() < 0.5 ? 1 + Math.floor(uniform() * (LENGTH - 1)) : -1;
    let previous = -1;
    let repeat = false;
    for (let t = 0; t < LENGTH; t++) {
      let token: number;
      if (t === plant) token = previous;
      else do token = Math.floor(uniform() * VOCAB); while (token === previous);
      if (token === previous) repeat = true;
      tokens[r * LENGTH + t] = token;
      previous = token;
    }
    labels[r] = repeat ? 1 : 0;
  }
  return { tokens, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 6, inputLength: LENGTH }));
  model.add(tf.layers.gru({ units: 12 }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof sequenceTensors> {
  const { tokens, labels } = makeSequences();
  return sequenceTensors(tokens, labels, LENGTH, TRAIN);
}

export const loss = 'sparseCategoricalCrossentropy';
