/**
 * Advice-quality task (held out, round 22): a deep tanh MLP with a small weight initialization (normal,
 * s.d. 0.02) under RMSprop, a slow learner: the signal shrinks through every layer at the start. 8 Gaussian
 * features; the class is which of 3 spherical shells a point lies in (radius cut at the 1/3 and 2/3
 * quantiles, 5% of the labels flipped); 4,000 training / 1,000 validation rows, 4 epochs. Model: six
 * dense 48 (tanh, kernels normal s.d. 0.02) → dense 3 (softmax), `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 8;
const CLASSES = 3;
const ROWS = 5000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(22002);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const radii = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let sq = 0;
    for (let k = 0; k < FEATURES; k++) {
      const v = normal();
      xs[r * FEATURES + k] = v;
      sq += v * v;
    }
    radii[r] = Math.sqrt(sq);
  }
  const sorted = Float32Array.from(radii).sort();
  const [a, b] = [sorted[Math.floor(ROWS / 3)]!, sorted[Math.floor((2 * ROWS) / 3)]!];
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const label = radii[r]! < a ? 0 : radii[r]! < b ? 1 : 2;
    ys[r] = uniform() < 0.05 ? Math.floor(uniform() * CLASSES) : label;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const small = (): ReturnType<typeof tf.initializers.randomNormal> => tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 48, activation: 'tanh', kernelInitializer: small(), inputShape: [FEATURES] }));
  for (let i = 0; i < 5; i++) model.add(tf.layers.dense({ units: 48, activation: 'tanh', kernelInitializer: small() }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: small() }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
