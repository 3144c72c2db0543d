/**
 * Advice-quality task (held out, round 23): MNIST with most labels redrawn in both splits, a tanh MLP under
 * plain SGD: the best possible loss stays near three quarters of ln 10. 3,000 training / 1,000 validation
 * digits, each label replaced with probability 0.55 by a uniformly drawn digit (seeded; it can redraw the
 * true one), 4 epochs. Model: dense 64 (tanh) → dense 10 (softmax), `tf.train.sgd(0.01)` (momentum 0).
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice, seeded } from './data';

const REDRAWN = 0.55;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'tanh', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  const uniform = seeded(23009);
  const noisy = (labels: Int32Array): Int32Array => Int32Array.from(labels, (y) => (uniform() < REDRAWN ? Math.floor(uniform() * 10) : y));
  return { train: imageTensors({ ...train, labels: noisy(train.labels) }, 'flat'), validation: imageTensors({ ...validation, labels: noisy(validation.labels) }, 'flat') };
}

export const loss = 'categoricalCrossentropy';
