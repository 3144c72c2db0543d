/**
 * Advice-quality task (held out, round 22): an MNIST CNN with batch normalization and dropout under
 * Adamax at batch size 128. 4,000 training / 1,000 validation digits, 3 epochs. Model: conv 8×3×3 → BN →
 * relu → max pool → dropout 0.25 → conv 16×3×3 → BN → relu → max pool → dropout 0.25 → flatten → dense 10
 * (softmax), `tf.train.adamax(2e-3)`; the bench passes `--batch-size 128` to find-lr and train.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, useBias: false, inputShape: [28, 28, 1] }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, useBias: false }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adamax(2e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(4000, 1000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}

export const loss = 'categoricalCrossentropy';
