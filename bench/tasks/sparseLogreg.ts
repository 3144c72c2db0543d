/**
 * Advice-quality task (held out, round 5): multinomial logistic regression (no hidden layer) on
 * sparse bag-of-words-like features. 300 features, each row has 12 active ones (value 1); a
 * teacher's weights over the active features pick one of 5 classes (8% labels flipped);
 * 5,000 training / 2,000 validation rows.
 * Model: one dense layer 300 → 5 (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 300;
const CLASSES = 5;
const ACTIVE = 12;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(4321);
  const normal = gaussian(uniform);
  const teacher = Array.from({ length: FEATURES * CLASSES }, () => normal());
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const scores = new Array<number>(CLASSES).fill(0);
    for (let k = 0; k < ACTIVE; k++) {
      const f = Math.floor(uniform() * FEATURES);
      xs[r * FEATURES + f] = 1;
      for (let c = 0; c < CLASSES; c++) scores[c] = scores[c]! + teacher[f * CLASSES + c]!;
    }
    const cls = scores.indexOf(Math.max(...scores));
    ys[r] = uniform() < 0.08 ? Math.floor(uniform() * CLASSES) : cls;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax', inputShape: [FEATURES] }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
