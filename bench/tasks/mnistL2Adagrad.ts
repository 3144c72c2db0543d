/**
 * Advice-quality task (held out, round 15): an MNIST MLP with L2 kernel regularizers under Adagrad.
 * 3,000 training / 1,000 validation digits. Model: dense 256 (relu, L2 1e-4) → dense 10 (softmax,
 * L2 1e-4), `tf.train.adagrad(0.01)`.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 256, activation: 'relu', inputShape: [784], kernelRegularizer: tf.regularizers.l2({ l2: 1e-4 }) }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelRegularizer: tf.regularizers.l2({ l2: 1e-4 }) }));
  model.compile({ optimizer: tf.train.adagrad(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
