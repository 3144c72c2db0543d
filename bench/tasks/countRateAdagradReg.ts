/**
 * Advice-quality task (held out, round 24): a count regression under Adagrad with leaky-ReLU layers. 6 Gaussian
 * features; a Poisson count with rate exp(1 + 0.5·x1 + 0.4·x2·x3 − 0.3·x4²), regressed as log(1 + count) (MSE);
 * 4,000 training / 2,000 validation rows, 5 epochs. Model: dense 48 (leaky ReLU) → dense 48 (leaky ReLU) → dense 1,
 * `tf.train.adagrad(0.01)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const DATA_SEED = 24012;
const FEATURES = 6;
const ROWS = 6000;

function poisson(uniform: () => number, rate: number): number {
  // Knuth's method (the rates here stay under about 60).
  const limit = Math.exp(-rate);
  let k = 0;
  let p = uniform();
  while (p > limit) {
    k++;
    p *= uniform();
  }
  return k;
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 48, inputShape: [FEATURES] }));
  model.add(tf.layers.leakyReLU({ alpha: 0.1 }));
  model.add(tf.layers.dense({ units: 48 }));
  model.add(tf.layers.leakyReLU({ alpha: 0.1 }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adagrad(0.01), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(DATA_SEED);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    const x = (k: number): number => xs[r * FEATURES + k]!;
    const rate = Math.exp(Math.min(4, 1 + 0.5 * x(0) + 0.4 * x(1) * x(2) - 0.3 * x(3) * x(3)));
    ys[r] = Math.log1p(poisson(uniform, rate));
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 4000, null);
}

export const loss = 'meanSquaredError';
