/**
 * Advice-quality task (held out, round 13): a Gaussian-noise input layer as regularizer on MNIST,
 * 3,000 training / 1,000 validation digits. Model: gaussianNoise 0.3 → dense 128 (relu) → dense 10
 * (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.gaussianNoise({ stddev: 0.3, inputShape: [784] }));
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
