/**
 * Advice-quality task (held out, round 20): a softplus MNIST MLP under Adam. 3,000 training / 1,000
 * validation digits. Model: dense 128 (softplus) → dense 64 (softplus) → dense 10 (softmax),
 * `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'softplus', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 64, activation: 'softplus' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
