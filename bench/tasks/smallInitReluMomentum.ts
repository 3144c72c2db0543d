/**
 * Advice-quality task (held out, round 24): a five-layer ReLU MLP initialized far too small (normal, s.d. 0.03)
 * under momentum: the signal and the gradients start near zero, so it sits at the class frequencies before it learns. 12
 * Gaussian features; 4 classes, the argmax of a fixed random linear teacher with biases 0, −2, −4, −5
 * (classes of roughly a half, a quarter, an eighth and an eighth); 4,000 training / 1,000 validation rows,
 * 10 epochs. Model: four dense 64 (relu, kernels normal s.d. 0.03) → dense 4 (softmax, the same), categorical
 * cross-entropy, `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const DATA_SEED = 24009;
const FEATURES = 12;
const CLASSES = 4;
const ROWS = 5000;
const BIAS = [0, -2, -4, -5];

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(DATA_SEED);
  const normal = gaussian(uniform);
  const w = Array.from({ length: CLASSES * FEATURES }, () => normal());
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    let best = 0;
    let top = -Infinity;
    for (let c = 0; c < CLASSES; c++) {
      let s = BIAS[c]!;
      for (let k = 0; k < FEATURES; k++) s += w[c * FEATURES + k]! * xs[r * FEATURES + k]!;
      if (s > top) [top, best] = [s, c];
    }
    ys[r] = best;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const small = (): ReturnType<typeof tf.initializers.randomNormal> => tf.initializers.randomNormal({ mean: 0, stddev: 0.03 });
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: small(), inputShape: [FEATURES] }));
  for (let i = 0; i < 3; i++) model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: small() }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: small() }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
