/**
 * Advice-quality task (held out, round 9): an autoencoder, a regression with 784 outputs. MNIST
 * digits (3,000 training / 1,000 validation) are reconstructed through a 16-unit bottleneck;
 * the loss is the mean squared error per pixel. Model: MLP 784-64-16-64-784 (relu, sigmoid
 * output), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 16, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 784, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  const images = (split: { images: Float32Array; count: number }): { xs: tf.Tensor; ys: tf.Tensor } => {
    const xs = tf.tensor2d(split.images, [split.count, 784]);
    return { xs, ys: xs.clone() };
  };
  return { train: images(train), validation: images(validation) };
}

export const loss = 'meanSquaredError';
