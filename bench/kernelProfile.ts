/**
 * Where one training step's time goes on the wasm backend: every registered wasm kernel is
 * wrapped with a timer (top-level calls only: a kernel of ours that calls the backend's own
 * kernels through its captured functions counts once), then one model trains on a fixed batch.
 *
 *   npx tsx bench/kernelProfile.ts [mlp256|mlp512|cnn] [--threads 1]
 *
 * Prints ms per step, the share inside kernels, and the top kernels with calls per step.
 */
import { loadTf } from '../src/engine/tfjs';
import { Trainer } from '../src/engine/trainer';
import { buildBenchModel } from './models';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'cnn';
const threadsAt = args.indexOf('--threads');
const threads = threadsAt >= 0 ? Number(args[threadsAt + 1]) : 1;

async function main(): Promise<void> {
  const { tf, report } = await loadTf({ backend: 'wasm', threads, fmaThreads: Number(process.env['FMA'] ?? threads) });
  const times = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const k of tf.getKernelsForBackend('wasm')) {
    const f = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (p) => {
        const t = performance.now();
        const r = f(p);
        times.set(k.kernelName, (times.get(k.kernelName) ?? 0) + performance.now() - t);
        counts.set(k.kernelName, (counts.get(k.kernelName) ?? 0) + 1);
        return r;
      },
    });
  }
  const { model, xShape } = buildBenchModel(tf, name);
  const xs = tf.randomUniform(xShape, 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([xShape[0]!], 0, 10, 'int32', 2), 10).toFloat();
  const trainer = new Trainer(tf, model, (y, p) => tf.metrics.categoricalCrossentropy(y, p), 'categorical', { optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 0 } });
  // Past the FMA workers' tier-up (their own module instances leave V8's baseline tier after ~40 heavy steps: warmUp.ts).
  for (let i = 0; i < 60; i++) trainer.step(xs, ys);
  times.clear();
  counts.clear();
  const n = name === 'cnn' ? 20 : 50;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) trainer.step(xs, ys);
  const perStep = (performance.now() - t0) / n;
  let inKernels = 0;
  for (const v of times.values()) inKernels += v / n;
  console.log(`${name} on wasm, ${report.threads} thread(s): ${perStep.toFixed(2)} ms/step, ${inKernels.toFixed(2)} ms in kernels`);
  for (const [k, v] of [...times.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env['TOP'] ?? 12))) {
    console.log(`  ${k.padEnd(28)} ${(v / n).toFixed(3)} ms  ×${(counts.get(k) ?? 0) / n}`);
  }
}

void main();
