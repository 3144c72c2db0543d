/**
 * Advice-quality task (held out, round 17): three interleaved spiral arms under Adam. Data: points
 * along 3 arms of an Archimedean spiral (radius 0.1–1, 1.5 turns) with Gaussian jitter (s.d. 0.04);
 * the label is the arm; 3,000 training / 1,000 validation points. Model: dense 64 (relu) → dense 64
 * (relu) → dense 3 (softmax), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const ARMS = 3;
const ROWS = 4000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(17010);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * 2);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const arm = Math.floor(uniform() * ARMS);
    const t = uniform();
    const radius = 0.1 + 0.9 * t;
    const angle = t * 3 * Math.PI + (arm * 2 * Math.PI) / ARMS;
    xs[2 * r] = radius * Math.cos(angle) + 0.04 * normal();
    xs[2 * r + 1] = radius * Math.sin(angle) + 0.04 * normal();
    ys[r] = arm;
  }
  return { xs, ys, count: ROWS, width: 2 };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [2] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: ARMS, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 3000, ARMS);
}

export const loss = 'categoricalCrossentropy';
