/**
 * Advice-quality task (held out, round 12): a SimpleRNN regression under Adamax. Sequences of 12
 * values uniform in [0, 1]; the target is the largest minus the smallest (MSE); 3,000 training /
 * 1,000 validation sequences. Model: SimpleRNN 24 (tanh) → dense 1, `tf.train.adamax(2e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded } from './data';

const LENGTH = 12;
const ROWS = 4000;
const TRAIN = 3000;

function makeSeries(): { xs: Float32Array; ys: Float32Array } {
  const uniform = seeded(424243);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let lo = 1;
    let hi = 0;
    for (let t = 0; t < LENGTH; t++) {
      const v = uniform();
      xs[r * LENGTH + t] = v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    ys[r] = hi - lo;
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.simpleRNN({ units: 24, inputShape: [LENGTH, 1] }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adamax(2e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeSeries();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
