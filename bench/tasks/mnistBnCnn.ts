/**
 * Advice-quality task (held out, round 2): a CNN with batch normalization on MNIST, 3,000
 * training / 2,000 validation digits. Model: conv3×3×16 → batch-norm → relu → pool →
 * conv3×3×32 → batch-norm → relu → pool → dense 10, compiled with SGD momentum 0.9.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, useBias: false, inputShape: [28, 28, 1] }));
  model.add(tf.layers.batchNormalization({}));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, useBias: false }));
  model.add(tf.layers.batchNormalization({}));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 2000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}
