/**
 * The benchmark models of bench/models.ts as a model file, so the product path (`lrlab find-lr`,
 * `train`, short runs) trains exactly what the kernel columns of bench/throughput.ts time:
 * `LRLAB_BENCH_MODEL=mlp256|mlp512|cnn` picks the model; the data are the 10,000 MNIST digits of
 * the examples (8,000 train, 2,000 validation).
 *
 *   LRLAB_BENCH_MODEL=cnn npx lrlab find-lr bench/benchModel.ts --batch-size 128 --json
 */
import * as tf from '@tensorflow/tfjs';
import { CLASSES, IMAGE_SIZE, mnist } from '../examples/shared/mnistData';
import { buildBenchModel } from './models';

const name = process.env['LRLAB_BENCH_MODEL'] ?? 'mlp256';

export function createModel(): tf.LayersModel {
  return buildBenchModel(tf, name).model;
}

function toTensors(split: { images: Float32Array; labels: Int32Array; count: number }): { xs: tf.Tensor; ys: tf.Tensor } {
  return tf.tidy(() => ({
    xs: name === 'cnn' ? tf.tensor4d(split.images, [split.count, IMAGE_SIZE, IMAGE_SIZE, 1]) : tf.tensor2d(split.images, [split.count, IMAGE_SIZE * IMAGE_SIZE]),
    ys: tf.oneHot(tf.tensor1d(split.labels, 'int32'), CLASSES).toFloat(),
  }));
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { train, validation } = mnist();
  return { train: toTensors(train), validation: toTensors(validation) };
}

export const loss = 'categoricalCrossentropy';
