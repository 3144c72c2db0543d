/**
 * Advice-quality task (held out, round 18): relu6 units under RMSprop on an XOR of Gaussian blobs.
 * Data: 8 features; the first two are drawn around one of four centres (±1, ±1; s.d. 0.45), the
 * other six are noise; the label is the XOR of the centre's signs; 4,000 training / 2,000
 * validation rows. Model: dense 64 (relu6) → dense 64 (relu6) → dense 2 (softmax),
 * `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 8;
const ROWS = 6000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(18010);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const [a, b] = [uniform() < 0.5 ? -1 : 1, uniform() < 0.5 ? -1 : 1];
    xs[r * FEATURES] = a + 0.45 * normal();
    xs[r * FEATURES + 1] = b + 0.45 * normal();
    for (let k = 2; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    ys[r] = a * b > 0 ? 0 : 1;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu6', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu6' }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, 2);
}

export const loss = 'categoricalCrossentropy';
