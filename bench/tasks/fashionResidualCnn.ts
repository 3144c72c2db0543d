/**
 * Advice-quality task (held out, round 11): a residual CNN (functional API) with batch
 * normalization on Fashion-MNIST, 3,000 training / 1,000 validation images. Model: conv 16 (3×3,
 * same) → BN → relu → [conv 16 → BN → relu → conv 16 → BN] added to its input → relu → max pool 2 →
 * global average pool → dense 10 (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionSlice, imageTensors } from './data';

export function createModel(): tf.LayersModel {
  const conv = (): tf.layers.Layer => tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false });
  const input = tf.input({ shape: [28, 28, 1] });
  const stem = tf.layers.activation({ activation: 'relu' }).apply(tf.layers.batchNormalization({}).apply(conv().apply(input))) as tf.SymbolicTensor;
  const inner = tf.layers.activation({ activation: 'relu' }).apply(tf.layers.batchNormalization({}).apply(conv().apply(stem)));
  const block = tf.layers.batchNormalization({}).apply(conv().apply(inner)) as tf.SymbolicTensor;
  const joined = tf.layers.activation({ activation: 'relu' }).apply(tf.layers.add().apply([stem, block]));
  const pooled = tf.layers.globalAveragePooling2d({}).apply(tf.layers.maxPooling2d({ poolSize: 2 }).apply(joined));
  const output = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = fashionSlice(3000, 1000);
  return { train: imageTensors(train, 'image'), validation: imageTensors(validation, 'image') };
}

export const loss = 'categoricalCrossentropy';
