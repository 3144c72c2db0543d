/**
 * The categorical cross-entropy as one taped op (src/engine/fusedLoss.ts) against tfjs-layers'
 * function on the tape: kernels per training step, the loss and its gradient alone, and the MLP
 * and CNN training steps, in alternating blocks in one process (wasm, one XNNPACK thread, the
 * FMA module's threads as the engine runs them on this machine). Prints ratios; the numbers are
 * the same to the bit (test/engine/fusedLoss.test.ts), only the time differs.
 *
 *   npx tsx bench/fusedLoss.ts [--models mlp256,cnn] [--rounds 4]
 */
import type * as tfjs from '@tensorflow/tfjs';
import os from 'node:os';
import { buildBenchModel } from './models';
import { fusedCategoricalCrossentropy } from '../src/engine/fusedLoss';
import { layersLoss } from '../src/engine/loss';
import { loadTf } from '../src/engine/tfjs';
import { Trainer, type LossFn } from '../src/engine/trainer';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const { tf, report } = await loadTf({ backend: 'wasm', threads: 1, fmaThreads: Math.max(1, Math.floor(os.cpus().length / 2)) });
  const rounds = Number(flag('rounds', '4'));
  const layers = layersLoss(tf, 'categoricalCrossentropy');
  const losses: [string, LossFn][] = [
    ['tfjs-layers on the tape', (y, p) => tf.tidy(() => tf.mean(layers(y, p)))],
    ['fused', fusedCategoricalCrossentropy(tf)],
  ];
  console.log(`load ${os.loadavg()[0]!.toFixed(2)}; wasm, ${report.threads} XNNPACK thread(s)`);

  // The loss and its gradient alone, batch 128 × 10 classes.
  const p = tf.softmax(tf.randomNormal([128, 10], 0, 3, 'float32', 1));
  const y = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32', 2), 10).toFloat();
  const alone = losses.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    losses.forEach(([, loss], i) => {
      const g = tf.valueAndGrad((q: tfjs.Tensor) => loss(y, q) as tfjs.Scalar);
      for (let k = 0; k < 200; k++) tf.dispose(Object.values(g(p)));
      const t0 = performance.now();
      for (let k = 0; k < 2000; k++) tf.dispose(Object.values(g(p)));
      alone[i]!.push(((performance.now() - t0) / 2000) * 1000);
    });
  }
  console.log(`loss + gradient alone (128 × 10): ${losses.map(([name], i) => `${name} ${median(alone[i]!).toFixed(0)} µs`).join(', ')}; fused / layers ${(median(alone[1]!) / median(alone[0]!)).toFixed(2)}`);

  for (const name of flag('models', 'mlp256,cnn').split(',')) {
    const { xShape } = buildBenchModel(tf, name);
    const xs = tf.randomUniform(xShape, 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.randomUniform([xShape[0]!], 0, 10, 'int32', 2), 10).toFloat();
    const trainers = losses.map(([, loss]) => new Trainer(tf, buildBenchModel(tf, name).model, loss, 'categorical', { optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 0 } }));
    const kernels: number[] = [];
    for (const t of trainers) {
      for (let k = 0; k < 60; k++) t.step(xs, ys);
      kernels.push((await tf.profile(() => void t.step(xs, ys))).kernels.length);
    }
    const steps = name === 'cnn' ? 40 : 300;
    const times = trainers.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      trainers.forEach((t, i) => {
        const t0 = performance.now();
        for (let k = 0; k < steps; k++) t.step(xs, ys);
        times[i]!.push((performance.now() - t0) / steps);
      });
    }
    const [a, b] = [median(times[0]!), median(times[1]!)];
    console.log(`${name}: kernels per step ${kernels[0]} → ${kernels[1]}; ms per step (median of ${rounds} blocks of ${steps}) ${a.toFixed(3)} → ${b.toFixed(3)}; fused / layers ${(b / a).toFixed(3)} (blocks: ${times.map((t) => t.map((x) => x.toFixed(2)).join(' ')).join(' | ')})`);
    tf.dispose([xs, ys]);
    trainers.forEach((t) => t.model.dispose());
  }
}

void main();
