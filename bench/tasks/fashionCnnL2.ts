/**
 * Advice-quality task (held out, round 10): a CNN with L2 kernel regularizers (weight decay inside
 * the model's loss) and dropout on Fashion-MNIST, 3,000 training / 1,000 validation images. Model:
 * conv 16 (3×3, relu, L2 1e-3) → max pool 2 → conv 32 (3×3, relu, L2 1e-3) → max pool 2 → flatten →
 * dropout 0.25 → dense 64 (relu, L2 1e-3) → dense 10 (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(): tf.LayersModel {
  const l2 = (): ReturnType<typeof tf.regularizers.l2> => tf.regularizers.l2({ l2: 1e-3 });
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelRegularizer: l2(), inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', kernelRegularizer: l2() }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelRegularizer: l2() }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(3000, 1000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}

export const loss = 'categoricalCrossentropy';
