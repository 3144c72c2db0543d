/**
 * Advice-quality task (held out, round 4): a small CNN on synthetic images, Adam-compiled.
 * 12 × 12 grey images holding one bar (length 6–9 pixels) in one of four orientations (the class:
 * horizontal, vertical, diagonal, anti-diagonal) at a random place, over Gaussian pixel noise
 * (σ 0.35) with 10% of pixels blanked; 3,000 training / 1,000 validation images.
 * Model: conv 3×3×8 (relu) → max pool 2 → conv 3×3×16 (relu) → flatten → dense 4 (softmax),
 * `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, squareImageTensors } from './data';

const SIDE = 12;
const ROWS = 4000;
const TRAIN = 3000;
const STEPS: readonly (readonly [number, number])[] = [[0, 1], [1, 0], [1, 1], [1, -1]];

function makeImages(): { images: Float32Array; labels: Int32Array } {
  const uniform = seeded(90210);
  const normal = gaussian(uniform);
  const images = new Float32Array(ROWS * SIDE * SIDE);
  const labels = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const cls = Math.floor(uniform() * 4);
    labels[r] = cls;
    const base = r * SIDE * SIDE;
    for (let p = 0; p < SIDE * SIDE; p++) images[base + p] = 0.35 * normal();
    const [dr, dc] = STEPS[cls]!;
    const length = 6 + Math.floor(uniform() * 4);
    // A start from which the whole bar stays inside the image.
    const r0 = dr === 0 ? Math.floor(uniform() * SIDE) : Math.floor(uniform() * (SIDE - length + 1));
    const c0 = dc === 0 ? Math.floor(uniform() * SIDE) : dc > 0 ? Math.floor(uniform() * (SIDE - length + 1)) : length - 1 + Math.floor(uniform() * (SIDE - length + 1));
    for (let k = 0; k < length; k++) {
      const at = base + (r0 + dr * k) * SIDE + (c0 + dc * k);
      images[at] = images[at]! + 1;
    }
    for (let p = 0; p < SIDE * SIDE; p++) if (uniform() < 0.1) images[base + p] = 0;
  }
  return { images, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [SIDE, SIDE, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof squareImageTensors> {
  const { images, labels } = makeImages();
  return squareImageTensors(images, labels, SIDE, 4, TRAIN);
}

export const loss = 'categoricalCrossentropy';
