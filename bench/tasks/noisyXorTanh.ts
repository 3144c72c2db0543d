/**
 * Advice-quality task (held out, round 15): XOR of two features hidden among ten irrelevant ones,
 * a tanh MLP under momentum. Data: 12 uniform features in [-1, 1]; the label is whether x₁·x₂ > 0
 * (4% flipped); 4,000 training / 2,000 validation rows. Model: dense 32 (tanh) → dense 32 (tanh)
 * → dense 2 (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, tableTensors } from './data';

const FEATURES = 12;
const ROWS = 6000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(22360);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = 2 * uniform() - 1;
    const label = xs[r * FEATURES]! * xs[r * FEATURES + 1]! > 0 ? 1 : 0;
    ys[r] = uniform() < 0.04 ? 1 - label : label;
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
  return tableTensors(makeTable(), 4000, 2);
}

export const loss = 'categoricalCrossentropy';
