/**
 * Advice-quality task (held out, round 7): imbalanced classes. 12 Gaussian features; 5 classes
 * with priors 50 / 20 / 15 / 10 / 5%, each a Gaussian blob whose centre is 1.6 from the origin in
 * its own direction (overlapping), 4% of the labels redrawn from the priors. 6,000 training /
 * 2,000 validation rows, 5 epochs.
 * Model: MLP 12-96-96-5 with elu and dropout 0.2 after each hidden layer, softmax, compiled with
 * `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 12;
const CLASSES = 5;
const PRIORS = [0.5, 0.2, 0.15, 0.1, 0.05];
const ROWS = 8000;

function draw(uniform: () => number): number {
  let u = uniform();
  for (let c = 0; c < CLASSES; c++) {
    if (u < PRIORS[c]!) return c;
    u -= PRIORS[c]!;
  }
  return CLASSES - 1;
}

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(5772);
  const normal = gaussian(uniform);
  const centres = Array.from({ length: CLASSES }, () => {
    const v = Array.from({ length: FEATURES }, () => normal());
    const norm = Math.hypot(...v);
    return v.map((x) => (1.6 * x) / norm);
  });
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const c = draw(uniform);
    for (let j = 0; j < FEATURES; j++) xs[r * FEATURES + j] = centres[c]![j]! + normal();
    ys[r] = uniform() < 0.04 ? draw(uniform) : c;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(hp: { dropout?: number } = {}): tf.LayersModel {
  const rate = hp.dropout ?? 0.2;
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 96, activation: 'elu', inputShape: [FEATURES] }));
  model.add(tf.layers.dropout({ rate }));
  model.add(tf.layers.dense({ units: 96, activation: 'elu' }));
  model.add(tf.layers.dropout({ rate }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 6000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
