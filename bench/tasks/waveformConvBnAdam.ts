/**
 * Advice-quality task (held out, round 14): a 1-D CNN with batch normalization under Adam. Data:
 * 48-sample signals of one of 3 waveforms (sine, square, sawtooth) at a random frequency (1.5–4
 * periods), phase and amplitude (0.5–2), plus Gaussian noise (s.d. 0.4); 3,000 training / 1,000
 * validation signals. Model: conv1d 16 (k5) → BN → relu → max pool 2 → conv1d 16 (k5) → BN →
 * relu → global average pool → dense 3 (softmax), `tf.train.adam(0.001)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 48;
const ROWS = 4000;
const TRAIN = 3000;

function makeSignals(): { xs: Float32Array; ys: Int32Array } {
  const uniform = seeded(16180);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const kind = r % 3;
    const periods = 1.5 + 2.5 * uniform();
    const phase = uniform();
    const amplitude = 0.5 + 1.5 * uniform();
    for (let t = 0; t < LENGTH; t++) {
      const u = (periods * t) / LENGTH + phase;
      const f = u - Math.floor(u);
      const clean = kind === 0 ? Math.sin(2 * Math.PI * u) : kind === 1 ? (f < 0.5 ? 1 : -1) : 2 * f - 1;
      xs[r * LENGTH + t] = amplitude * clean + 0.4 * normal();
    }
    ys[r] = kind;
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv1d({ filters: 16, kernelSize: 5, inputShape: [LENGTH, 1], useBias: false }));
  model.add(tf.layers.batchNormalization({}));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.conv1d({ filters: 16, kernelSize: 5, useBias: false }));
  model.add(tf.layers.batchNormalization({}));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.globalAveragePooling1d({}));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeSignals();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } =>
    tf.tidy(() => ({
      xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
      ys: tf.oneHot(tf.tensor1d(ys.subarray(from, to), 'int32'), 3).toFloat(),
    }));
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'categoricalCrossentropy';
