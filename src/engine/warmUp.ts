/**
 * The first training steps of a fresh engine process are many times slower than the rest: V8
 * compiles tfjs's JavaScript (layers, tape, kernels' glue) as it first runs, and runs the wasm
 * kernels in its baseline tier until they are hot enough to be optimised. On a short range test
 * that is a large share of what the user waits for.
 *
 * `warmUp` trains two small throwaway models (a dense net and a small conv net, the kernels every
 * common model uses: fused matmul, conv, pooling, softmax cross-entropy, their gradients, our
 * optimizer and batch copy) for a few steps, at times when the engine would otherwise wait: while
 * a pre-started engine idles, and while esbuild bundles the model file in its own process. It
 * touches no user code, leaves no tensors behind, and every experiment re-seeds before it builds
 * its model, so results do not depend on it.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Tf } from './tfjs';
import { Trainer } from './trainer';
import { activeFmaGemm } from './wasmKernels';

/**
 * How much to warm. `light` (12 steps of a small dense net and a small conv net) readies tfjs's
 * JavaScript; it runs while esbuild bundles the model file, beside it on the same CPUs, so it stays
 * on this thread. `full` runs while a pre-started engine idles: 40 steps, the dense net large
 * enough that its products split between the FMA module's worker threads, as the user's will (V8
 * optimises the module's code only after heavy work; the workers also warm themselves when they
 * start, fmaGemm.ts). After
 * `light` the first 100-step range test of the benchmark MLP still ran ~20% slower than the next
 * one in the process (388–414 against 326–341 ms, 2 FMA threads); after `full`, as fast (336–379
 * against 337–342 ms). `full` beside esbuild (measured, not shipped) cost the README example's
 * first, unbundled run 0.15 s of wall time for 0.03 s of range test: CPUs the bundle needed.
 */
export type WarmDepth = 'light' | 'full';

/** How long the full warm-up waits for the FMA module's workers to start and warm (~0.1–0.3 s on 2 CPUs). */
const WORKERS_READY_MS = 2000;

/** Steps per warm-up model at each depth. */
export const WARM_UP_STEPS: Readonly<Record<WarmDepth, number>> = { light: 12, full: 40 };

interface WarmModel {
  readonly model: tfjs.LayersModel;
  readonly xs: tfjs.Tensor;
  readonly ys: tfjs.Tensor;
  readonly batch: number;
}

function warmModels(tf: Tf, depth: WarmDepth): WarmModel[] {
  const L = tf.layers;
  // full: the first layer's products (forward, dW) are over fmaGemm's PARALLEL_MIN_MACS
  // (64 × 256 × 128 ≈ 2.1 M multiply-adds each), so the FMA threads take them.
  const [inputs, units, batch] = depth === 'full' ? [256, 128, 64] : [48, 32, 16];
  const dense = tf.sequential({ layers: [L.dense({ units, activation: 'relu', inputShape: [inputs] }), L.dense({ units: 10, activation: 'softmax' })] });
  const conv = tf.sequential({
    layers: [
      L.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [10, 10, 1] }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const labels = (n: number): tfjs.Tensor => tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % 10), 'int32'), 10).toFloat());
  return [
    { model: dense, xs: tf.randomUniform([batch, inputs]), ys: labels(batch), batch },
    { model: conv, xs: tf.randomUniform([16, 10, 10, 1]), ys: labels(16), batch: 16 },
  ];
}

/**
 * Warms the training path; stops early once `until` settles (when given) so it never delays
 * work that is ready. Errors are swallowed: warming is an optimisation only.
 */
export async function warmUp(tf: Tf, depth: WarmDepth, until?: Promise<unknown>): Promise<void> {
  let settled = false;
  until?.then(
    () => (settled = true),
    () => (settled = true),
  );
  // One turn first, so that work already done (a cached bundle) is seen as settled: no step then.
  await new Promise<void>((resolve) => setImmediate(resolve));
  // Nothing to wait for (a cached bundle): not even the throwaway models are built.
  if (settled) return;
  if (depth === 'full') {
    // Its products are for the FMA module's threads: start them (each warms itself first) and give
    // them until they are ready, or the run arrives, before the steps that should reach them.
    const gemm = activeFmaGemm(tf);
    gemm?.startWorkers();
    for (let waited = 0; gemm !== null && gemm.ready < gemm.threads && !settled && waited < WORKERS_READY_MS; waited += 10) {
      await new Promise<void>((resolve) => setTimeout(resolve, 10));
    }
    if (settled) return;
  }
  const loss = (y: tfjs.Tensor, p: tfjs.Tensor): tfjs.Tensor => tf.metrics.categoricalCrossentropy(y, p);
  let models: WarmModel[] = [];
  try {
    models = warmModels(tf, depth);
    for (const { model, xs, ys, batch } of models) {
      const indices = Int32Array.from({ length: batch }, (_, i) => i);
      const trainer = new Trainer(tf, model, loss, 'categorical', { optimizer: { name: 'sgd', lr: 1e-3, momentum: 0.9, weightDecay: 0 } });
      try {
        for (let i = 0; i < WARM_UP_STEPS[depth] && !settled; i++) {
          trainer.stepOn({ xs, ys, count: batch }, indices);
          if (i % 4 === 3) trainer.evaluate({ xs, ys, count: batch }, batch);
          // Let the pending work (the bundle, IPC) be noticed between steps.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } finally {
        trainer.dispose();
      }
    }
  } catch {
    // a failed warm-up only means the first steps run cold
  } finally {
    for (const { model, xs, ys } of models) {
      model.dispose();
      tf.dispose([xs, ys]);
    }
  }
}
