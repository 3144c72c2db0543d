/**
 * Advice-quality task (held out, round 22): a Fashion-MNIST CNN at batch size 16 under Nesterov momentum.
 * 2,000 training / 1,000 validation images, 3 epochs. Model: conv 8×3×3 (relu) → max pool → conv 16×3×3
 * (relu) → max pool → flatten → dense 10 (softmax), `tf.train.momentum(0.01, 0.9, true)`; the bench passes
 * `--batch-size 16` to find-lr and train.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(2000, 1000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}

export const loss = 'categoricalCrossentropy';
