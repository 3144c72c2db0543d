/**
 * Advice-quality task (held out, round 24): MNIST with a five-layer hard-sigmoid MLP under RMSprop. A hard sigmoid
 * has no gradient at all outside ±2.5, so a unit pushed there by a large step stays dead. 3,000 training / 1,000
 * validation digits (the first of each split), 40% of the labels redrawn in both splits, 16 epochs. Model: five
 * dense 64 (hardSigmoid) → dense 10 (softmax), `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensors, mnistSlice, seeded } from './data';

const DATA_SEED = 24004;
const REDRAWN = 0.4;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'hardSigmoid', inputShape: [784] }));
  for (let i = 0; i < 4; i++) model.add(tf.layers.dense({ units: 64, activation: 'hardSigmoid' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 1000);
  const uniform = seeded(DATA_SEED);
  const noisy = (labels: Int32Array): Int32Array => Int32Array.from(labels, (y) => (uniform() < REDRAWN ? Math.floor(uniform() * 10) : y));
  return { train: imageTensors({ ...train, labels: noisy(train.labels) }, 'flat'), validation: imageTensors({ ...validation, labels: noisy(validation.labels) }, 'flat') };
}

export const loss = 'categoricalCrossentropy';
