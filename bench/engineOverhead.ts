/**
 * Engine overhead of the LR range test against a bare tfjs training loop on the same model,
 * data, batch size and backend, plus the range test's wall time on examples/mnist-mlp.
 *
 *   npx tsx bench/engineOverhead.ts [--steps 300] [--backend auto]
 *
 * Bare loop: tf.train.momentum + optimizer.minimize on gathered batches (what a user would
 * write). Engine: rangeTestCurve (own optimizer with per-step LR, smoothing, divergence check,
 * streaming, a yield to the event loop per step). Prints steps/s and the ratio.
 */
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { findLr, rangeTestCurve, resolveFindLrSettings } from '../src/engine/experiments/findLr';
import { loadForRun } from '../src/engine/session';
import { Reporter, silentSink } from '../src/engine/reporter';
import { BatchSampler, mulberry32 } from '../src/core/random';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const steps = Number(flag('steps', '300'));
const backend = flag('backend', 'auto') as 'auto';
const model = path.join(__dirname, '..', 'examples', 'mnist-mlp', 'model.ts');

async function main(): Promise<void> {
  const ctx = { reporter: new Reporter('bench', silentSink), signal: new AbortController().signal };
  const request = { kind: 'find-lr' as const, model, backend, seed: 1, batchSize: 64 };
  const loaded = await loadForRun(request, ctx);
  const tf = loaded.tf;
  const train = loaded.data.train;

  // Bare tfjs loop.
  const bare = loaded.buildModel({});
  const optimizer = tf.train.momentum(1e-3, 0.9);
  const sampler = new BatchSampler(train.count, 64, mulberry32(1));
  const step = (): void => {
    const idx = tf.tensor1d(sampler.next(), 'int32');
    const xs = tf.gather(train.xs, idx);
    const ys = tf.gather(train.ys, idx);
    const cost = optimizer.minimize(() => tf.mean<tfjs.Scalar>(loaded.loss.fn(ys, bare.apply(xs, { training: true }) as tfjs.Tensor)), true);
    cost?.dataSync(); // the range test reads every loss too
    tf.dispose([idx, xs, ys, cost as tfjs.Tensor]);
  };
  for (let i = 0; i < 20; i++) step(); // warm-up
  let t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const bareRate = steps / ((performance.now() - t0) / 1000);
  loaded.disposeModel(bare);
  optimizer.dispose();

  // Engine range test (an LR window that does not diverge, so every step runs).
  const settings = resolveFindLrSettings({ ...request, steps, startLr: 1e-4, endLr: 1e-3, optimizer: 'sgd', momentum: 0.9 }, null);
  await rangeTestCurve(loaded, { ...settings, steps: 20 }, {}, ctx, 'warm-up');
  t0 = performance.now();
  const curve = await rangeTestCurve(loaded, settings, {}, ctx, 'bench');
  const engineRate = curve.points.length / ((performance.now() - t0) / 1000);

  // The real thing on the example, as the README runs it.
  t0 = performance.now();
  const result = await findLr({ kind: 'find-lr', model, backend, seed: 1 }, ctx);
  const wall = (performance.now() - t0) / 1000;

  console.log(`backend: ${loaded.backend.name} (tfjs ${loaded.backend.tfjsVersion}), model: mnist-mlp 784-128-10, batch 64, ${train.count} training samples`);
  console.log(`bare tfjs loop:    ${bareRate.toFixed(1)} steps/s`);
  console.log(`engine range test: ${engineRate.toFixed(1)} steps/s`);
  console.log(`engine / bare:     ${(engineRate / bareRate).toFixed(3)} (overhead ${((1 - engineRate / bareRate) * 100).toFixed(1)}%)`);
  console.log(`find-lr on examples/mnist-mlp (default 100 steps): ${wall.toFixed(2)} s wall (${result.points.length} steps, ${result.stopReason}), suggestion valley ${result.suggestions.valley?.toExponential(2) ?? '—'}`);
}

void main();
