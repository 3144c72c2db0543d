/**
 * Advice-quality task (held out, round 22): a deep sigmoid MLP on MNIST without normalization under SGD
 * momentum, a slow learner (sigmoid's small gradients compound over six layers). 3,000 training / 1,000
 * validation digits, 3 epochs. Model: six dense 64 (sigmoid) → dense 10 (softmax),
 * `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'sigmoid', inputShape: [784] }));
  for (let i = 0; i < 5; i++) model.add(tf.layers.dense({ units: 64, activation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
