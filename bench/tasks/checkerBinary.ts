/**
 * Advice-quality task (held out, round 3): binary classification with a sigmoid output and
 * binaryCrossentropy. Points uniform in [-1, 1]², the label is the colour of a 4 × 4
 * checkerboard, 3% of labels flipped; 6,000 training / 2,000 validation points.
 * Model: MLP 2-64-64-1 (relu, sigmoid output), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, tableTensors } from './data';

const ROWS = 8000;
const CELLS = 4;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(4417);
  const xs = new Float32Array(ROWS * 2);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const a = 2 * uniform() - 1;
    const b = 2 * uniform() - 1;
    xs[r * 2] = a;
    xs[r * 2 + 1] = b;
    const colour = (Math.floor(((a + 1) / 2) * CELLS) + Math.floor(((b + 1) / 2) * CELLS)) % 2;
    ys[r] = uniform() < 0.03 ? 1 - colour : colour;
  }
  return { xs, ys, count: ROWS, width: 2 };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [2] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 6000, null);
}

export const loss = 'binaryCrossentropy';
