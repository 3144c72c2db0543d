/**
 * Advice-quality task (held out, round 13): PReLU layers (a learned slope per unit) under Nesterov
 * momentum: points in [-1, 1]^3 classed by which of 3
 * concentric spherical shells they fall in, 5% of labels flipped; 5,000 training / 2,000 validation.
 * Model: dense 64 → PReLU → dense 64 → PReLU → dense 3 (softmax), `tf.train.momentum(0.01, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, tableTensors } from './data';

const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(14142);
  const xs = new Float32Array(ROWS * 3);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = [2 * uniform() - 1, 2 * uniform() - 1, 2 * uniform() - 1];
    x.forEach((v, k) => (xs[r * 3 + k] = v));
    const radius = Math.hypot(x[0]!, x[1]!, x[2]!);
    const shell = radius < 0.65 ? 0 : radius < 0.95 ? 1 : 2;
    ys[r] = uniform() < 0.05 ? Math.floor(uniform() * 3) : shell;
  }
  return { xs, ys, count: ROWS, width: 3 };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, inputShape: [3] }));
  model.add(tf.layers.prelu({}));
  model.add(tf.layers.dense({ units: 64 }));
  model.add(tf.layers.prelu({}));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, 3);
}

export const loss = 'categoricalCrossentropy';
