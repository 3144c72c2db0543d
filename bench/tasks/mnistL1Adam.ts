/**
 * Advice-quality task (held out, round 12): L1 kernel regularizers under Adam on MNIST, 3,000
 * training / 1,000 validation digits. Model: dense 128 (relu, L1 1e-5) → dense 10 (softmax,
 * L1 1e-5), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice } from './data';

export function createModel(): tf.LayersModel {
  const l1 = (): ReturnType<typeof tf.regularizers.l1> => tf.regularizers.l1({ l1: 1e-5 });
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', kernelRegularizer: l1(), inputShape: [784] }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelRegularizer: l1() }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
