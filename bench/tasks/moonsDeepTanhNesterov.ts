/**
 * Advice-quality task (held out, round 18): a deep narrow tanh MLP under Nesterov momentum. Data:
 * two interleaved half-moons with Gaussian jitter (s.d. 0.15); 3,000 training / 1,000 validation
 * points. Model: dense 32 (tanh) × 4 → dense 2 (softmax), `tf.train.momentum(0.01, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const ROWS = 4000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(18008);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * 2);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const moon = uniform() < 0.5 ? 0 : 1;
    const angle = Math.PI * uniform();
    xs[2 * r] = (moon === 0 ? Math.cos(angle) : 1 - Math.cos(angle)) + 0.15 * normal();
    xs[2 * r + 1] = (moon === 0 ? Math.sin(angle) : 0.5 - Math.sin(angle)) + 0.15 * normal();
    ys[r] = moon;
  }
  return { xs, ys, count: ROWS, width: 2 };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'tanh', inputShape: [2] }));
  for (let k = 0; k < 3; k++) model.add(tf.layers.dense({ units: 32, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 3000, 2);
}

export const loss = 'categoricalCrossentropy';
