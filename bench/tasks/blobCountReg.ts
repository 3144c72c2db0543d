/**
 * Advice-quality task (held out, round 17): counting from images, as a regression. Data: 16×16
 * images of Gaussian noise (s.d. 0.1) with 0–5 bright 2×2 squares (value 1) at random places; the
 * target is their number (MSE); 3,000 training / 1,000 validation images. Model: conv 8 (3×3, relu)
 * → max pool 2 → conv 16 (3×3, relu) → max pool 2 → flatten → dense 1, `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const SIDE = 16;
const ROWS = 4000;
const TRAIN = 3000;

function makeImages(): { images: Float32Array; counts: Float32Array } {
  const uniform = seeded(17011);
  const normal = gaussian(uniform);
  const images = new Float32Array(ROWS * SIDE * SIDE);
  const counts = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const base = r * SIDE * SIDE;
    for (let p = 0; p < SIDE * SIDE; p++) images[base + p] = 0.1 * normal();
    const n = Math.floor(uniform() * 6);
    for (let k = 0; k < n; k++) {
      const [x, y] = [Math.floor(uniform() * (SIDE - 1)), Math.floor(uniform() * (SIDE - 1))];
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) images[base + (y + dy) * SIDE + x + dx] = 1;
    }
    counts[r] = n;
  }
  return { images, counts };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [SIDE, SIDE, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { images, counts } = makeImages();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor4d(images.subarray(from * SIDE * SIDE, to * SIDE * SIDE), [to - from, SIDE, SIDE, 1]),
    ys: tf.tensor2d(counts.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
