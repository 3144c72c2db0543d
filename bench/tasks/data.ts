/**
 * Data for the advice-quality tasks (bench/adviceQuality.ts): seeded synthetic sets, MNIST
 * slices from the examples, and Fashion-MNIST from Debian's `dataset-fashion-mnist` package
 * (`apt-get install -y dataset-fashion-mnist`; its files land in /usr/share/datasets/fashion-mnist).
 * Every set is the same on every run and machine: the data seed is fixed, separate from `--seed`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { mnist } from '../../examples/shared/mnistData';
import { mulberry32 } from '../../src/core/random';

export interface Table {
  /** N × width, row-major. */
  readonly xs: Float32Array;
  readonly ys: Float32Array | Int32Array;
  readonly count: number;
  readonly width: number;
}

/** A seeded uniform generator in [0, 1) (the engine's mulberry32). */
export const seeded = mulberry32;

/** Standard normal draws from a uniform generator (Box–Muller). */
export function gaussian(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Image classification split: images N × pixels in [0, 1], labels 0..9. */
export interface ImageSplit {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

export function mnistSlice(train: number, validation: number): { train: ImageSplit; validation: ImageSplit } {
  const full = mnist();
  const cut = (s: ImageSplit, n: number): ImageSplit => ({ images: s.images.subarray(0, n * 784), labels: s.labels.subarray(0, n), count: Math.min(n, s.count) });
  return { train: cut(full.train, train), validation: cut(full.validation, validation) };
}

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

function readIdx(file: string): Uint8Array {
  const full = path.join(FASHION_DIR, file);
  if (!existsSync(full)) throw new Error(`${full} is missing: install Debian's dataset-fashion-mnist package (apt-get install -y dataset-fashion-mnist).`);
  return gunzipSync(readFileSync(full));
}

/** The first `n` images of an IDX image/label file pair (the files are already in shuffled order). */
function fashionPart(prefix: 'train' | 't10k', n: number): ImageSplit {
  const images = readIdx(`${prefix}-images-idx3-ubyte.gz`);
  const labels = readIdx(`${prefix}-labels-idx1-ubyte.gz`);
  const out = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) out[i] = images[16 + i]! / 255;
  return { images: out, labels: Int32Array.from(labels.subarray(8, 8 + n)), count: n };
}

/** Fashion-MNIST: the first `train` training images, the first `validation` test images. */
export function fashionSlice(train: number, validation: number): { train: ImageSplit; validation: ImageSplit } {
  return { train: fashionPart('train', train), validation: fashionPart('t10k', validation) };
}

export function imageTensors(split: ImageSplit, shape: 'flat' | 'image'): { xs: tf.Tensor; ys: tf.Tensor } {
  return tf.tidy(() => ({
    xs: shape === 'flat' ? tf.tensor2d(split.images, [split.count, 784]) : tf.tensor4d(split.images, [split.count, 28, 28, 1]),
    ys: tf.oneHot(tf.tensor1d(split.labels, 'int32'), 10).toFloat(),
  }));
}

/** Splits `make(n)` rows into train and validation tensors; `oneHot` classes for categorical labels. */
export function tableTensors(table: Table, trainCount: number, oneHot: number | null): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } =>
    tf.tidy(() => {
      const xs = tf.tensor2d(table.xs.subarray(from * table.width, to * table.width), [to - from, table.width]);
      const labels = table.ys.subarray(from, to);
      const ys = oneHot === null ? tf.tensor2d(Float32Array.from(labels), [to - from, 1]) : tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), oneHot).toFloat();
      return { xs, ys };
    });
  return { train: part(0, trainCount), validation: part(trainCount, table.count) };
}

type Splits = { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } };

/** Token sequences (rows × `length`) with class-index labels: rows [0, train) train, the rest validate. */
export function sequenceTensors(tokens: Float32Array, labels: Float32Array, length: number, train: number): Splits {
  const rows = labels.length;
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor2d(tokens.subarray(from * length, to * length), [to - from, length]),
    ys: tf.tensor1d(labels.subarray(from, to)),
  });
  return { train: part(0, train), validation: part(train, rows) };
}

/** Square grey images (rows × side²) with one-hot labels of `classes`: rows [0, train) train, the rest validate. */
export function squareImageTensors(images: Float32Array, labels: Int32Array, side: number, classes: number, train: number): Splits {
  const rows = labels.length;
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } =>
    tf.tidy(() => ({
      xs: tf.tensor4d(images.subarray(from * side * side, to * side * side), [to - from, side, side, 1]),
      ys: tf.oneHot(tf.tensor1d(labels.subarray(from, to), 'int32'), classes).toFloat(),
    }));
  return { train: part(0, train), validation: part(train, rows) };
}
