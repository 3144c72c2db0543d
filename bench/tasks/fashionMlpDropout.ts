/**
 * Advice-quality task (held out, round 2): a wider, deeper MLP with dropout on Fashion-MNIST,
 * 4,000 training / 2,000 test images. Model: 784-256-128-10 (relu, dropout 0.3 after each hidden
 * layer), compiled with SGD momentum 0.9.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(4000, 2000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}
