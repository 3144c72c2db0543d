/**
 * Advice-quality task (held out, round 10): a CNN that downsamples by strided convolutions instead
 * of pooling, with elu activations, on MNIST (3,000 training / 1,000 validation images). Model:
 * conv 16 (3×3, stride 2, elu) → conv 32 (3×3, stride 2, elu) → flatten → dense 10 (softmax),
 * Nesterov momentum `tf.train.momentum(0.01, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: 'elu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, activation: 'elu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}

export const loss = 'categoricalCrossentropy';
