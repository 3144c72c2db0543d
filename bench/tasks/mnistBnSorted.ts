/**
 * Advice-quality task (held out, round 16): batch normalization with a training split sorted by
 * class, as a loadData that reads one folder per class returns it. 3,000 training / 1,000
 * validation digits (training rows ordered by label). Model: dense 64 (no bias) → BN → relu →
 * dense 10 (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, inputShape: [784], useBias: false }));
  model.add(tf.layers.batchNormalization({}));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  const order = Array.from({ length: train.count }, (_, i) => i).sort((a, b) => train.labels[a]! - train.labels[b]! || a - b);
  const images = new Float32Array(train.count * 784);
  order.forEach((from, to) => images.set(train.images.subarray(from * 784, from * 784 + 784), to * 784));
  const labels = Int32Array.from(order.map((i) => train.labels[i]!));
  return { train: imageTensors({ images, labels, count: train.count }, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
