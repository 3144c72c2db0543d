/** Advice-quality task: a small CNN on MNIST, 3,000 training / 2,000 validation digits, SGD momentum. */
import type * as tf from '@tensorflow/tfjs';
import { smallCnn } from './cnn';
import { imageTensors, mnistSlice } from './data';

export const createModel = smallCnn;

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnistSlice(3000, 2000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}
