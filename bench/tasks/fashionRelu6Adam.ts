/**
 * Advice-quality task (held out, round 11): relu6 and softplus hidden layers under Adam on
 * Fashion-MNIST, 4,000 training / 1,000 validation images (flattened). Model: dense 200 (relu6) →
 * dense 100 (softplus) → dense 10 (softmax), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 200, activation: 'relu6', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 100, activation: 'softplus' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(4000, 1000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
