/**
 * Advice-quality task (held out, round 4): a 10-class Gaussian mixture in 16 dimensions (class
 * centres N(0, 1.2²), unit-variance clusters: they overlap), 5,000 training / 2,000 validation
 * points. Model: MLP 16-128-128-10 with selu activations, compiled with plain SGD
 * (`tf.train.sgd(0.01)`: momentum 0).
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 16;
const CLASSES = 10;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(1618);
  const normal = gaussian(uniform);
  const centres = Array.from({ length: CLASSES }, () => Array.from({ length: FEATURES }, () => 1.2 * normal()));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const cls = Math.floor(uniform() * CLASSES);
    ys[r] = cls;
    for (let j = 0; j < FEATURES; j++) xs[r * FEATURES + j] = centres[cls]![j]! + normal();
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'selu', kernelInitializer: 'leCunNormal', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 128, activation: 'selu', kernelInitializer: 'leCunNormal' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
