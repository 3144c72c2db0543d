/**
 * MNIST MLP for LR Lab: 784 → 128 (ReLU) → 10 (softmax), with optional dropout.
 *
 *   npx lrlab find-lr examples/mnist-mlp/model.ts
 */
import * as tf from '@tensorflow/tfjs';
import { CLASSES, PIXELS, mnist } from '../shared/mnistData';

export function createModel(hp: { dropout?: number } = {}): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [PIXELS] }));
  if ((hp.dropout ?? 0) > 0) model.add(tf.layers.dropout({ rate: hp.dropout ?? 0 }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function toTensors(split: { images: Float32Array; labels: Int32Array; count: number }): { xs: tf.Tensor; ys: tf.Tensor } {
  return tf.tidy(() => ({
    xs: tf.tensor2d(split.images, [split.count, PIXELS]),
    ys: tf.oneHot(tf.tensor1d(split.labels, 'int32'), CLASSES).toFloat(),
  }));
}

export async function loadData(): Promise<{ train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } }> {
  const { train, validation } = mnist();
  return { train: toTensors(train), validation: toTensors(validation) };
}

export const loss = 'categoricalCrossentropy';
export const metrics = ['accuracy'];
