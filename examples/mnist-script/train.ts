/**
 * A plain tfjs training script — no LR Lab exports — on the MNIST digits of examples/mnist-mlp
 * (the same model and data, for comparison):
 *
 *   npx lrlab find-lr examples/mnist-script/train.ts
 *
 * LR Lab runs it up to `model.fit` and uses that call's model, data, batch size and validation
 * data; the epochs and the save below never run under LR Lab. Run it with tsx to train for real.
 */
import * as tf from '@tensorflow/tfjs';
import { CLASSES, PIXELS, mnist } from '../shared/mnistData';

async function main(): Promise<void> {
  const { train, validation } = mnist();
  const tensors = (split: typeof train): [tf.Tensor, tf.Tensor] => [tf.tensor2d(split.images, [split.count, PIXELS]), tf.oneHot(tf.tensor1d(split.labels, 'int32'), CLASSES).toFloat()];
  const [xs, ys] = tensors(train);
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [PIXELS] }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(xs, ys, {
    epochs: 5,
    batchSize: 64,
    validationData: tensors(validation),
    callbacks: { onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: val accuracy ${logs?.['val_acc']?.toFixed(3) ?? '?'}`) },
  });
  console.log(`trained ${history.epoch.length} epochs`);
  await model.save('file://./mnist-mlp-trained');
}

void main();
