/**
 * Advice-quality task (held out, round 8): a smooth nonlinear regression (MSE) trained with
 * plain SGD. Inputs uniform in [-1, 1]⁴; y = sin(3·x₁)·x₂ + 0.5·x₃² − 0.3·x₄ + Gaussian noise
 * (σ 0.1); 5,000 training / 2,000 validation rows. Model: MLP 4-64-64-1 (tanh), `tf.train.sgd(0.01)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const ROWS = 7000;
const WIDTH = 4;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(77007);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * WIDTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: WIDTH }, () => 2 * uniform() - 1);
    x.forEach((v, k) => (xs[r * WIDTH + k] = v));
    ys[r] = Math.sin(3 * x[0]!) * x[1]! + 0.5 * x[2]! * x[2]! - 0.3 * x[3]! + 0.1 * normal();
  }
  return { xs, ys, count: ROWS, width: WIDTH };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'tanh', inputShape: [WIDTH] }));
  model.add(tf.layers.dense({ units: 64, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, null);
}

export const loss = 'meanSquaredError';
