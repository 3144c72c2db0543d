/**
 * Advice-quality task (held out, round 17): label noise in the training split only. Fashion-MNIST,
 * 3,000 training images of which 20% carry a label redrawn uniformly (seeded; it can redraw the
 * true one), 1,000 clean validation images. Model: dense 128 (relu) → dense 10 (softmax),
 * `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors, seeded } from './data';

const FLIPPED = 0.2;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(3000, 1000);
  const uniform = seeded(17001);
  const labels = Int32Array.from(train.labels, (y) => (uniform() < FLIPPED ? Math.floor(uniform() * 10) : y));
  return { train: imageTensors({ ...train, labels }, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
