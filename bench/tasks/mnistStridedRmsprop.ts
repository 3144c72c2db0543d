/**
 * Advice-quality task (held out, round 21): an MNIST CNN that downsamples by strided convolutions, under
 * RMSprop. 3,000 training / 1,000 validation digits. Model: conv 16×3×3 stride 2 (relu) → conv 32×3×3
 * stride 2 (relu) → flatten → dense 10 (softmax), `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}

export const loss = 'categoricalCrossentropy';
