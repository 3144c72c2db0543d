/**
 * Advice-quality task (held out, round 6): a longer budget. Fashion-MNIST (Debian's
 * `dataset-fashion-mnist`), 4,000 training / 2,000 validation images, trained 15 epochs (~940
 * steps at batch 64: the 1cycle run is ~10x the range test). Model: MLP 784-96-10 with relu,
 * compiled with `tf.train.momentum(0.05, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 96, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(4000, 2000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
