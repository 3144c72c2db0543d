/**
 * Advice-quality task (held out, round 14): a wide MNIST MLP under RMSprop. 3,000 training / 1,000
 * validation digits. Model: dense 512 (relu) → dense 10 (softmax), `tf.train.rmsprop(0.001)`.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.rmsprop(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
