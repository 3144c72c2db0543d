/**
 * Advice-quality task (held out, round 10): regression from images. 16×16 grey images, each one
 * Gaussian blob (width 1.5 px) at a random sub-pixel position plus pixel noise (σ 0.1); the targets
 * are the blob's (x, y) centre scaled to [-1, 1] (MSE, two outputs); 3,000 training / 1,000
 * validation images. Model: conv 8 (3×3, relu) → max pool 2 → conv 16 (3×3, relu) → flatten →
 * dense 2 (linear), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const SIDE = 16;
const ROWS = 4000;
const TRAIN = 3000;

function makeImages(): { images: Float32Array; targets: Float32Array } {
  const uniform = seeded(31337);
  const normal = gaussian(uniform);
  const images = new Float32Array(ROWS * SIDE * SIDE);
  const targets = new Float32Array(ROWS * 2);
  for (let r = 0; r < ROWS; r++) {
    const cx = 2 + uniform() * (SIDE - 5);
    const cy = 2 + uniform() * (SIDE - 5);
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) images[r * SIDE * SIDE + y * SIDE + x] = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 1.5 ** 2)) + 0.1 * normal();
    }
    targets[r * 2] = (2 * (cx - 2)) / (SIDE - 5) - 1;
    targets[r * 2 + 1] = (2 * (cy - 2)) / (SIDE - 5) - 1;
  }
  return { images, targets };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [SIDE, SIDE, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 2 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { images, targets } = makeImages();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor4d(images.subarray(from * SIDE * SIDE, to * SIDE * SIDE), [to - from, SIDE, SIDE, 1]),
    ys: tf.tensor2d(targets.subarray(from * 2, to * 2), [to - from, 2]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
