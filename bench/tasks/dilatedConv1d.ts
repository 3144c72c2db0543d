/**
 * Advice-quality task (held out, round 12): dilated 1-D convolutions on a signal. Signals of 64
 * samples: a sine of one of 3 frequencies (2, 3 or 5 cycles, random phase and amplitude 0.5–1.5)
 * in Gaussian noise (σ 0.8); the class is the frequency; 3,000 training / 1,000 validation.
 * Model: conv1d 12 (5, dilation 2, relu) → conv1d 12 (5, dilation 4, relu) → global average pool →
 * dense 3 (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 64;
const ROWS = 4000;
const TRAIN = 3000;
const CYCLES = [2, 3, 5] as const;

function makeSignals(): { xs: Float32Array; ys: Int32Array } {
  const uniform = seeded(112358);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const c = Math.floor(uniform() * CYCLES.length);
    const phase = 2 * Math.PI * uniform();
    const amplitude = 0.5 + uniform();
    for (let t = 0; t < LENGTH; t++) xs[r * LENGTH + t] = amplitude * Math.sin((2 * Math.PI * CYCLES[c]! * t) / LENGTH + phase) + 0.8 * normal();
    ys[r] = c;
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv1d({ filters: 12, kernelSize: 5, dilationRate: 2, activation: 'relu', inputShape: [LENGTH, 1] }));
  model.add(tf.layers.conv1d({ filters: 12, kernelSize: 5, dilationRate: 4, activation: 'relu' }));
  model.add(tf.layers.globalAveragePooling1d({}));
  model.add(tf.layers.dense({ units: CYCLES.length, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeSignals();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } =>
    tf.tidy(() => ({
      xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
      ys: tf.oneHot(tf.tensor1d(ys.subarray(from, to), 'int32'), CYCLES.length).toFloat(),
    }));
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'categoricalCrossentropy';
