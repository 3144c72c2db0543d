/** Advice-quality task (held out): the small CNN on Fashion-MNIST, 3,000 training / 2,000 test images, SGD momentum. */
import type * as tf from '@tensorflow/tfjs';
import { smallCnn } from './cnn';
import { fashionSlice, imageTensors } from './data';

export const createModel = smallCnn;

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(3000, 2000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}
