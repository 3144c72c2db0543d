/**
 * Advice-quality task (held out, round 2): an RMSprop-compiled classifier (LR Lab reads the
 * optimizer from model.compile; no flags). Points in 8-D drawn from a standard normal, the class
 * is the shell their radius falls in (3 classes of equal size: χ²₈ terciles), 5% of labels
 * flipped; 6,000 training / 2,000 validation points. Model: MLP 8-64-64-3 (relu),
 * `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 8;
const CLASSES = 3;
const ROWS = 8000;
/** Terciles of the χ² distribution with 8 degrees of freedom. */
const CUTS = [5.67, 9.52] as const;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(6021);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let r2 = 0;
    for (let j = 0; j < FEATURES; j++) {
      const v = normal();
      xs[r * FEATURES + j] = v;
      r2 += v * v;
    }
    const cls = r2 < CUTS[0] ? 0 : r2 < CUTS[1] ? 1 : 2;
    ys[r] = uniform() < 0.05 ? Math.floor(uniform() * CLASSES) : cls;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 6000, CLASSES);
}
