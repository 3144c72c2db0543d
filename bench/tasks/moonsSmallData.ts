/**
 * Advice-quality task (held out, round 9): small data, many epochs (where overfitting decides).
 * Two interleaved half-moons with Gaussian noise σ 0.3; only 400 training points, 2,000
 * validation points; 20 epochs. Model: MLP 2-128-128-2 (relu, softmax),
 * `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const ROWS = 2400;
const TRAIN = 400;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(2718);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * 2);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const c = uniform() < 0.5 ? 0 : 1;
    const t = Math.PI * uniform();
    xs[r * 2] = (c === 0 ? Math.cos(t) : 1 - Math.cos(t)) + 0.3 * normal();
    xs[r * 2 + 1] = (c === 0 ? Math.sin(t) : 0.5 - Math.sin(t)) + 0.3 * normal();
    ys[r] = c;
  }
  return { xs, ys, count: ROWS, width: 2 };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [2] }));
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), TRAIN, 2);
}

export const loss = 'categoricalCrossentropy';
