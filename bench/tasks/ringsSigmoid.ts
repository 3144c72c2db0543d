/**
 * Advice-quality task (held out, round 8): binary classification of concentric rings with a
 * sigmoid output. Points uniform in the disc of radius 1; the label is the parity of the ring
 * (five rings of equal width), 3% of labels flipped; 6,000 training / 2,000 validation points.
 * Model: MLP 2-48-48-1 (relu, sigmoid output), `tf.train.momentum(0.05, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, tableTensors } from './data';

const ROWS = 8000;
const RINGS = 5;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(60601);
  const xs = new Float32Array(ROWS * 2);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    // Uniform in the disc: radius by the square root of a uniform draw.
    const radius = Math.sqrt(uniform());
    const angle = 2 * Math.PI * uniform();
    xs[r * 2] = radius * Math.cos(angle);
    xs[r * 2 + 1] = radius * Math.sin(angle);
    const ring = Math.min(RINGS - 1, Math.floor(radius * RINGS)) % 2;
    ys[r] = uniform() < 0.03 ? 1 - ring : ring;
  }
  return { xs, ys, count: ROWS, width: 2 };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 48, activation: 'relu', inputShape: [2] }));
  model.add(tf.layers.dense({ units: 48, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 6000, null);
}

export const loss = 'binaryCrossentropy';
