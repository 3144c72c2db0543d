/**
 * Advice-quality task (held out, round 9): a residual MLP built with the functional API
 * (`tf.model`, `tf.layers.add`), swish activations and layer normalization, compiled with Adam.
 * Data: 12 Gaussian features; 6 classes, the argmax of a fixed random teacher network
 * (12-24-6, tanh), 5% of the labels redrawn at random; 5,000 training / 2,000 validation rows.
 * Model: dense 48 (swish) → two blocks of [dense 48 (swish) → layer norm] added to their input →
 * dense 6 (softmax), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 12;
const HIDDEN = 24;
const CLASSES = 6;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(424242);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: HIDDEN * FEATURES }, () => normal() / Math.sqrt(FEATURES / 2));
  const w2 = Array.from({ length: CLASSES * HIDDEN }, () => normal() / Math.sqrt(HIDDEN / 4));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    const h = Array.from({ length: HIDDEN }, (_, i) => Math.tanh(x.reduce((s, v, k) => s + v * w1[i * FEATURES + k]!, 0)));
    const scores = Array.from({ length: CLASSES }, (_, c) => h.reduce((s, v, i) => s + v * w2[c * HIDDEN + i]!, 0));
    const label = scores.indexOf(Math.max(...scores));
    ys[r] = uniform() < 0.05 ? Math.floor(uniform() * CLASSES) : label;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const input = tf.input({ shape: [FEATURES] });
  let h = tf.layers.dense({ units: 48, activation: 'swish' }).apply(input) as tf.SymbolicTensor;
  for (let block = 0; block < 2; block++) {
    const inner = tf.layers.dense({ units: 48, activation: 'swish' }).apply(h) as tf.SymbolicTensor;
    const normed = tf.layers.layerNormalization({}).apply(inner) as tf.SymbolicTensor;
    h = tf.layers.add().apply([h, normed]) as tf.SymbolicTensor;
  }
  const output = tf.layers.dense({ units: CLASSES, activation: 'softmax' }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
