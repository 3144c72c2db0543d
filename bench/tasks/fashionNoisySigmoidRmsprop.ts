/**
 * Advice-quality task (held out, round 23): Fashion-MNIST with half of the labels redrawn in both splits,
 * a sigmoid MLP under RMSprop: the best possible loss stays near three quarters of ln 10. 3,000 training /
 * 1,000 validation images, each label replaced with probability 0.5 by a uniformly drawn class (seeded; it
 * can redraw the true one), 4 epochs. Model: dense 64 (sigmoid) → dense 64 (sigmoid) → dense 10 (softmax),
 * `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors, seeded } from './data';

const REDRAWN = 0.5;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'sigmoid', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 64, activation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(3000, 1000);
  const uniform = seeded(23003);
  const noisy = (labels: Int32Array): Int32Array => Int32Array.from(labels, (y) => (uniform() < REDRAWN ? Math.floor(uniform() * 10) : y));
  return { train: imageTensors({ ...train, labels: noisy(train.labels) }, 'flat'), validation: imageTensors({ ...validation, labels: noisy(validation.labels) }, 'flat') };
}

export const loss = 'categoricalCrossentropy';
