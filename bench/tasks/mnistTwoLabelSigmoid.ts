/**
 * Advice-quality task (held out, round 21): two binary labels per MNIST digit (is it 5 or more; is it
 * even), sigmoid outputs under SGD momentum. 3,000 training / 1,000 validation digits. Model: dense 64
 * (relu) → dense 2 (sigmoid), `tf.train.momentum(0.01, 0.9)`, binary cross-entropy, binary accuracy.
 */
import * as tf from '@tensorflow/tfjs';
import { mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 2, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  const part = (s: { images: Float32Array; labels: Int32Array; count: number }): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor2d(s.images, [s.count, 784]),
    ys: tf.tensor2d(Float32Array.from(Array.from(s.labels).flatMap((d) => [d >= 5 ? 1 : 0, d % 2 === 0 ? 1 : 0])), [s.count, 2]),
  });
  return { train: part(train), validation: part(validation) };
}

export const loss = 'binaryCrossentropy';
