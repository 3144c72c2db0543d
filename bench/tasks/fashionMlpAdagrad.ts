/**
 * Advice-quality task (held out, round 10): an Adagrad-compiled MLP on Fashion-MNIST, 3,000
 * training / 1,000 validation images (flattened). Model: dense 128 (relu) → dense 10 (softmax),
 * `tf.train.adagrad(0.05)`: Adagrad's per-weight step shrinks as squared gradients accumulate, so
 * its useful LR sits well above SGD's.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adagrad(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(3000, 1000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
