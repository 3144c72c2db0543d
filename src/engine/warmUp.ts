/**
 * The first training steps of a fresh engine process are many times slower than the rest: V8
 * compiles tfjs's JavaScript (layers, tape, kernels' glue) as it first runs, and runs the wasm
 * kernels in its baseline tier until they are hot enough to be optimised. On a short range test
 * that is a large share of what the user waits for.
 *
 * `warmUp` trains two tiny throwaway models (a dense net and a small conv net, the kernels every
 * common model uses: fused matmul, conv, pooling, softmax cross-entropy, their gradients, our
 * optimizer and batch copy) for a few steps, at times when the engine would otherwise wait: while
 * a pre-started engine idles, and while esbuild bundles the model file in its own process. It
 * touches no user code, leaves no tensors behind, and every experiment re-seeds before it builds
 * its model, so results do not depend on it.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Tf } from './tfjs';
import { Trainer } from './trainer';

/** Steps per warm-up model: past this V8 has optimised the hot paths (measured in bench/loopProfile.ts). */
export const WARM_UP_STEPS = 12;
const BATCH = 16;

interface WarmModel {
  readonly model: tfjs.LayersModel;
  readonly xs: tfjs.Tensor;
  readonly ys: tfjs.Tensor;
}

function warmModels(tf: Tf): WarmModel[] {
  const L = tf.layers;
  const dense = tf.sequential({ layers: [L.dense({ units: 32, activation: 'relu', inputShape: [48] }), L.dense({ units: 10, activation: 'softmax' })] });
  const conv = tf.sequential({
    layers: [
      L.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [10, 10, 1] }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const labels = (): tfjs.Tensor => tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from({ length: BATCH }, (_, i) => i % 10), 'int32'), 10).toFloat());
  return [
    { model: dense, xs: tf.randomUniform([BATCH, 48]), ys: labels() },
    { model: conv, xs: tf.randomUniform([BATCH, 10, 10, 1]), ys: labels() },
  ];
}

/**
 * Warms the training path; stops early once `until` settles (when given) so it never delays
 * work that is ready. Errors are swallowed: warming is an optimisation only.
 */
export async function warmUp(tf: Tf, until?: Promise<unknown>): Promise<void> {
  let settled = false;
  until?.then(
    () => (settled = true),
    () => (settled = true),
  );
  // One turn first, so that work already done (a cached bundle) is seen as settled: no step then.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const loss = (y: tfjs.Tensor, p: tfjs.Tensor): tfjs.Tensor => tf.metrics.categoricalCrossentropy(y, p);
  let models: WarmModel[] = [];
  try {
    models = warmModels(tf);
    const indices = Int32Array.from({ length: BATCH }, (_, i) => i);
    for (const { model, xs, ys } of models) {
      const trainer = new Trainer(tf, model, loss, 'categorical', { optimizer: { name: 'sgd', lr: 1e-3, momentum: 0.9, weightDecay: 0 } });
      try {
        for (let i = 0; i < WARM_UP_STEPS && !settled; i++) {
          trainer.stepOn({ xs, ys, count: BATCH }, indices);
          if (i % 4 === 3) trainer.evaluate({ xs, ys, count: BATCH }, BATCH);
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
