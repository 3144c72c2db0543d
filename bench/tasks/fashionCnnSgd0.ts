/**
 * Advice-quality task (held out, round 21): a Fashion-MNIST CNN under plain SGD (momentum 0). 3,000
 * training / 1,000 validation images. Model: conv 8×5×5 (relu) → max pool → conv 16×3×3 (relu) → max pool
 * → flatten → dense 10 (softmax), `tf.train.sgd(0.05)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(3000, 1000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}

export const loss = 'categoricalCrossentropy';
