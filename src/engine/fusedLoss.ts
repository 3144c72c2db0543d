/**
 * tfjs-layers' `categoricalCrossentropy` (what `model.fit` runs for that name), averaged over the
 * batch, as one op on the gradient tape with its gradient written out — the same kernels in the
 * same order as tfjs' automatic differentiation runs, so the loss and every gradient are the same
 * to the bit (checked against the layers function: test/engine/fusedLoss.test.ts).
 *
 * Why: on the tape each small op of the loss saves copies of its inputs and gets a gradient of its
 * own (Cast, ones, broadcasts): the layers function is 48 of the 92 kernel calls of an MNIST MLP
 * step (batch 128), at a few µs each on wasm (#18). This is 29: 8 forward (untaped, nothing copied
 * but the 3 tensors the gradient needs) and the gradient's. The loss and its gradient alone: 220 →
 * 142 µs (`scratch`-free figure in bench/README.md, "The loss as one op").
 *
 * The layers function, for reference (tfjs-layers `losses.categoricalCrossentropy`, not from logits):
 *   q = p / sum(p, -1, keepDims);  c = clip(q, ε, 1 − ε);  loss = −sum(y · log c, −1)
 * and LR Lab's mean over the samples. Its gradient, as the tape computes it:
 *   g = −(dy / n) · y / c, where ε ≤ q ≤ 1 − ε (clip passes the gradient there, inclusive), else 0
 *   ∂/∂p = g / s − sum(g · p, −1) / s²   (the division's two paths; s = sum(p))
 * `LRLAB_FUSED_LOSS=off` uses the layers function on the tape as before (for benchmarks).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Tf } from './tfjs';
import type { LossFn } from './trainer';

export function fusedLossEnabled(): boolean {
  return process.env['LRLAB_FUSED_LOSS'] !== 'off';
}

/** Mean categorical cross-entropy of probability rows `yPred` (the last axis) against `yTrue`, as `model.fit` computes it. */
export function fusedCategoricalCrossentropy(tf: Tf): LossFn {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      // Inside a customGrad the forward's ops are not taped: only the returned mean is.
      const loss = tf.customGrad((...args: (tfjs.Tensor | tfjs.GradSaveFunc)[]) => {
        const [p, save] = args as [tfjs.Tensor, tfjs.GradSaveFunc];
        const last = p.rank - 1;
        // tfjs-layers reads its epsilon from the backend (1e-7 for float32), as here.
        const eps = tf.backend().epsilon();
        const s = tf.sum(p, last, true);
        const q = tf.div(p, s);
        const c = tf.clipByValue(q, eps, 1 - eps);
        const perSample = tf.neg(tf.sum(tf.mul(tf.cast(yTrue, 'float32'), tf.log(c)), last));
        const value = tf.mean(perSample);
        const n = perSample.size;
        // Kept (as clones) past this tidy for the gradient; the tape disposes them after backprop. p too:
        // the forward pass's tidy disposes the model's output before the gradient runs, which reading
        // it from this closure survived only where a clone shares the data (cpu, LR Lab's wasm kernels);
        // on stock tfjs-backend-wasm, whose clones copy, the library's findLr threw "Cannot read
        // properties of undefined (reading 'backend')".
        save([s, q, c, p]);
        return {
          value,
          gradFunc: (dy: tfjs.Tensor, saved: tfjs.Tensor[]) => {
            const [sSaved, qSaved, cSaved, pSaved] = saved as [tfjs.Tensor, tfjs.Tensor, tfjs.Tensor, tfjs.Tensor];
            // mean, then neg: −(dy / n) for every sample (the ones it is broadcast by change no bit).
            const perSampleGrad = tf.neg(tf.div(dy, n));
            // mul (y · log c) then log: −(dy / n) · y / c.
            const dc = tf.div(tf.mul(perSampleGrad, tf.cast(yTrue, 'float32')), cSaved);
            // clipByValue passes the gradient where ε ≤ q ≤ 1 − ε: exactly where clipping left q as it was.
            const dq = tf.where(tf.equal(cSaved, qSaved), dc, tf.zerosLike(dc));
            // div(p, s): dq / s to p; −sum(dq · p) / s² to s, which sum(p) broadcasts back to every p.
            const toS = tf.neg(tf.div(tf.sum(tf.mul(dq, pSaved), last, true), tf.square(sSaved)));
            return tf.add(tf.div(dq, sSaved), toS);
          },
        };
      });
      return loss(yPred);
    });
}
