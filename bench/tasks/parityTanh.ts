/**
 * Advice-quality task (held out, round 6): a slow learner. Ten input bits (±1); the class is the
 * parity of bits 0, 3 and 7, with 5% of the labels flipped; the other seven bits are noise.
 * 6,000 training / 2,000 validation rows, 8 epochs (a budget ~7x a 100-step range test).
 * Model: MLP 10-32-32-2 with tanh, softmax, compiled with `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, tableTensors } from './data';

const FEATURES = 10;
const ROWS = 8000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(3141);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let j = 0; j < FEATURES; j++) xs[r * FEATURES + j] = uniform() < 0.5 ? -1 : 1;
    const bit = (j: number): number => (xs[r * FEATURES + j]! > 0 ? 1 : 0);
    const parity = (bit(0) + bit(3) + bit(7)) % 2;
    ys[r] = uniform() < 0.05 ? 1 - parity : parity;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'tanh', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 32, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 6000, 2);
}

export const loss = 'categoricalCrossentropy';
