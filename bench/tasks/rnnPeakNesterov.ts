/**
 * Advice-quality task (held out, round 16): a SimpleRNN classifier under Nesterov momentum. Data:
 * sequences of 12 values (Gaussian noise, s.d. 1) with one bump of height 2.5 added at a random
 * position; the label is which third of the sequence holds the bump (3 classes); 3,000 training /
 * 1,000 validation sequences. Model: SimpleRNN 16 (tanh) → dense 3 (softmax), sparse labels,
 * `tf.train.momentum(0.01, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 12;
const ROWS = 4000;
const TRAIN = 3000;

function makeSequences(): { xs: Float32Array; ys: Float32Array } {
  const uniform = seeded(70711);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const at = Math.floor(uniform() * LENGTH);
    for (let t = 0; t < LENGTH; t++) xs[r * LENGTH + t] = normal() + (t === at ? 2.5 : 0);
    ys[r] = Math.floor((at * 3) / LENGTH);
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.simpleRNN({ units: 16, inputShape: [LENGTH, 1] }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeSequences();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor1d(ys.subarray(from, to)),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'sparseCategoricalCrossentropy';
