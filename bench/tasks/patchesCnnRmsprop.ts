/**
 * Advice-quality task (held out, round 8): a small CNN compiled with RMSprop. 12 × 12 grey
 * images over Gaussian pixel noise (σ 0.5) holding one faint 3 × 3 patch (+0.6) at a random place;
 * the class is the quadrant the patch's centre lies in (4 classes); 3,000 training / 1,000
 * validation images. Model: conv 3×3×8 (relu) → max pool 2 → flatten → dense 16 (relu) → dense 4
 * (softmax), `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, squareImageTensors } from './data';

const SIDE = 12;
const ROWS = 4000;
const TRAIN = 3000;

function makeImages(): { images: Float32Array; labels: Int32Array } {
  const uniform = seeded(24601);
  const normal = gaussian(uniform);
  const images = new Float32Array(ROWS * SIDE * SIDE);
  const labels = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const base = r * SIDE * SIDE;
    for (let p = 0; p < SIDE * SIDE; p++) images[base + p] = 0.5 * normal();
    // The patch's centre, one pixel in from every edge.
    const row = 1 + Math.floor(uniform() * (SIDE - 2));
    const col = 1 + Math.floor(uniform() * (SIDE - 2));
    for (let dr = -1; dr <= 1; dr++) {
      for (let dc = -1; dc <= 1; dc++) {
        const at = base + (row + dr) * SIDE + col + dc;
        images[at] = images[at]! + 0.6;
      }
    }
    labels[r] = (row < SIDE / 2 ? 0 : 2) + (col < SIDE / 2 ? 0 : 1);
  }
  return { images, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [SIDE, SIDE, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 16, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof squareImageTensors> {
  const { images, labels } = makeImages();
  return squareImageTensors(images, labels, SIDE, 4, TRAIN);
}

export const loss = 'categoricalCrossentropy';
