/**
 * Advice-quality task (held out, round 15): a one-convolution CNN under Adamax on Fashion-MNIST.
 * 3,000 training / 1,000 validation images. Model: conv 8 (5×5, stride 2, relu) → flatten → dense
 * 10 (softmax), `tf.train.adamax(0.002)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 5, strides: 2, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adamax(0.002), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(3000, 1000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}

export const loss = 'categoricalCrossentropy';
