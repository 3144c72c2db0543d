/**
 * The three training-speed models of issue 5, at batch 128: MLP 784-256-10, MLP 784-512-512-10
 * and the CNN conv3×3×16-pool-conv3×3×32-pool-dense10 (bench/throughput.ts, bench/kernelProfile.ts;
 * bench/throughput_torch.py builds the same ones in PyTorch).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Tf } from '../src/engine/tfjs';

export const BATCH = 128;

export function buildBenchModel(tf: Tf, name: string): { model: tfjs.Sequential; xShape: number[] } {
  const L = tf.layers;
  const model = tf.sequential();
  if (name === 'cnn') {
    model.add(L.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
    model.add(L.maxPooling2d({ poolSize: 2 }));
    model.add(L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
    model.add(L.maxPooling2d({ poolSize: 2 }));
    model.add(L.flatten());
    model.add(L.dense({ units: 10, activation: 'softmax' }));
    return { model, xShape: [BATCH, 28, 28, 1] };
  }
  if (name !== 'mlp256' && name !== 'mlp512') throw new Error(`unknown bench model ${name} (mlp256, mlp512, cnn)`);
  model.add(L.dense({ units: name === 'mlp256' ? 256 : 512, activation: 'relu', inputShape: [784] }));
  if (name === 'mlp512') model.add(L.dense({ units: 512, activation: 'relu' }));
  model.add(L.dense({ units: 10, activation: 'softmax' }));
  return { model, xShape: [BATCH, 784] };
}
