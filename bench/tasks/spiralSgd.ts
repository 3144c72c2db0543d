/**
 * Advice-quality task (held out): two interleaved spirals (2-D points, 1.5 turns each, Gaussian
 * noise 0.05), 4,000 training / 2,000 validation points. Model: MLP 2-64-64-2 (tanh), compiled
 * with plain SGD (`tf.train.sgd`: momentum 0).
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const ROWS = 6000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(4242);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * 2);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const cls = r % 2;
    const t = Math.sqrt(uniform()) * 3 * Math.PI; // 1.5 turns, denser towards the outside
    const sign = cls === 0 ? 1 : -1;
    xs[r * 2] = (sign * t * Math.cos(t)) / (3 * Math.PI) + 0.05 * normal();
    xs[r * 2 + 1] = (sign * t * Math.sin(t)) / (3 * Math.PI) + 0.05 * normal();
    ys[r] = cls;
  }
  return { xs, ys, count: ROWS, width: 2 };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'tanh', inputShape: [2] }));
  model.add(tf.layers.dense({ units: 64, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, 2);
}
