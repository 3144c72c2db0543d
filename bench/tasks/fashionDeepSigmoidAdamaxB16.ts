/**
 * Advice-quality task (held out, round 24): Fashion-MNIST with a six-layer sigmoid MLP under Adamax at batch
 * size 16, small noisy batches on a saturating net. 3,000 training / 1,000 validation images (the first of each
 * file), 4 epochs. Model: six dense 64 (sigmoid) → dense 10 (softmax), `tf.train.adamax(2e-3)`; find-lr and
 * train at `--batch-size 16`.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'sigmoid', inputShape: [784] }));
  for (let i = 0; i < 5; i++) model.add(tf.layers.dense({ units: 64, activation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adamax(2e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(3000, 1000);
  return { train: imageTensors(train, 'flat'), validation: imageTensors(validation, 'flat') };
}

export const loss = 'categoricalCrossentropy';
