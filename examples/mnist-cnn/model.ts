/**
 * MNIST CNN for LR Lab: conv3×3×16 (ReLU) → max-pool 2 → conv3×3×32 (ReLU) → max-pool 2 →
 * dense 10 (softmax), with optional dropout before the classifier. Same 10,000 real digits as
 * the MLP example. Trains on every backend, the WebAssembly one included (LR Lab registers the
 * conv and pooling gradients tfjs-backend-wasm 4.22 lacks or gets wrong: src/engine/wasmKernels).
 *
 *   npx lrlab find-lr examples/mnist-cnn/model.ts
 */
import * as tf from '@tensorflow/tfjs';
import { CLASSES, IMAGE_SIZE, mnist } from '../shared/mnistData';

export function createModel(hp: { dropout?: number } = {}): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  if ((hp.dropout ?? 0) > 0) model.add(tf.layers.dropout({ rate: hp.dropout ?? 0 }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function toTensors(split: { images: Float32Array; labels: Int32Array; count: number }): { xs: tf.Tensor; ys: tf.Tensor } {
  return tf.tidy(() => ({
    xs: tf.tensor4d(split.images, [split.count, IMAGE_SIZE, IMAGE_SIZE, 1]),
    ys: tf.oneHot(tf.tensor1d(split.labels, 'int32'), CLASSES).toFloat(),
  }));
}

export async function loadData(): Promise<{ train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } }> {
  const { train, validation } = mnist();
  return { train: toTensors(train), validation: toTensors(validation) };
}

export const loss = 'categoricalCrossentropy';
export const metrics = ['accuracy'];
