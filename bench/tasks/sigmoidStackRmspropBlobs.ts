/**
 * Advice-quality task (held out, round 24): six sigmoid layers under RMSprop on six Gaussian blob classes, a
 * saturating net whose range test can dip at an LR that whole runs do not survive. 8 Gaussian features around six
 * random centres (s.d. 1, centres s.d. 1.5), 25% of the labels redrawn in both splits; 4,000 training / 1,000
 * validation rows, 16 epochs. Model: six dense 32 (sigmoid) → dense 6 (softmax), `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const DATA_SEED = 24001;
const FEATURES = 8;
const CLASSES = 6;
const ROWS = 5000;
const REDRAWN = 0.25;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(DATA_SEED);
  const normal = gaussian(uniform);
  const centres = Array.from({ length: CLASSES * FEATURES }, () => 1.5 * normal());
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const c = Math.floor(uniform() * CLASSES);
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = centres[c * FEATURES + k]! + normal();
    ys[r] = uniform() < REDRAWN ? Math.floor(uniform() * CLASSES) : c;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'sigmoid', inputShape: [FEATURES] }));
  for (let i = 0; i < 5; i++) model.add(tf.layers.dense({ units: 32, activation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
