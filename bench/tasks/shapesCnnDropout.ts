/**
 * Advice-quality task (held out, round 5): a CNN with dropout on synthetic images, Nesterov.
 * 10 × 10 grey images holding one filled shape (square, plus sign, ring, or X; 3 × 3 to 5 × 5) at a
 * random place, with brightness 0.6–1.2, over Gaussian noise (σ 0.4); 3,000 training / 1,000
 * validation images, 4 classes (one-hot).
 * Model: conv 3×3×12 (relu) → max pool 2 → dropout 0.25 → flatten → dense 32 (relu) → dense 4
 * (softmax), compiled with `tf.train.momentum(0.01, 0.9, true)` (Nesterov).
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, squareImageTensors } from './data';

const SIDE = 10;
const ROWS = 4000;
const TRAIN = 3000;

/** Whether (dr, dc) in a size × size box belongs to shape `kind`. */
function inShape(kind: number, dr: number, dc: number, size: number): boolean {
  const last = size - 1;
  const mid = last / 2;
  if (kind === 0) return true; // square
  if (kind === 1) return Math.abs(dr - mid) < 0.6 || Math.abs(dc - mid) < 0.6; // plus
  if (kind === 2) return dr === 0 || dc === 0 || dr === last || dc === last; // ring
  return dr === dc || dr === last - dc; // X
}

function makeImages(): { images: Float32Array; labels: Int32Array } {
  const uniform = seeded(31415);
  const normal = gaussian(uniform);
  const images = new Float32Array(ROWS * SIDE * SIDE);
  const labels = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const kind = Math.floor(uniform() * 4);
    labels[r] = kind;
    const base = r * SIDE * SIDE;
    for (let p = 0; p < SIDE * SIDE; p++) images[base + p] = 0.4 * normal();
    const size = 3 + Math.floor(uniform() * 3);
    const r0 = Math.floor(uniform() * (SIDE - size + 1));
    const c0 = Math.floor(uniform() * (SIDE - size + 1));
    const brightness = 0.6 + 0.6 * uniform();
    for (let dr = 0; dr < size; dr++) {
      for (let dc = 0; dc < size; dc++) {
        if (!inShape(kind, dr, dc, size)) continue;
        const at = base + (r0 + dr) * SIDE + (c0 + dc);
        images[at] = images[at]! + brightness;
      }
    }
  }
  return { images, labels };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 12, kernelSize: 3, activation: 'relu', inputShape: [SIDE, SIDE, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 32, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9, true), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof squareImageTensors> {
  const { images, labels } = makeImages();
  return squareImageTensors(images, labels, SIDE, 4, TRAIN);
}

export const loss = 'categoricalCrossentropy';
