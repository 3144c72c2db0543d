/**
 * Advice-quality task (held out, round 21): a Fashion-MNIST MLP with dropout under Nesterov momentum.
 * 4,000 training / 1,000 validation images. Model: dense 256 (relu) → dropout 0.3 → dense 10 (softmax),
 * `tf.train.momentum(0.01, 0.9, true)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(hp: { dropout?: number } = {}): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dropout({ rate: hp.dropout ?? 0.3 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(4000, 1000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
