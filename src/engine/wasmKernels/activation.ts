/**
 * Relu's gradient in one pass. tfjs computes it as `mul(dy, cast(step(x)))`: a Step kernel that
 * writes a whole 0/1 tensor, then a Multiply that reads it back — on a CNN's first conv output
 * (128 × 26 × 26 × 16 floats) two passes over 5.5 MB each where one will do. Training never fuses
 * the activation into the conv or dense kernel (tfjs-core's `shouldFuse` is false while recording
 * gradients), so every relu layer pays it on every step.
 *
 * The gradient override applies on wasm only where this kernel is registered; anywhere else (cpu,
 * tfjs-node, a tensor of another dtype) tfjs's own gradient runs, unchanged. The values are tfjs's
 * to the bit: dy · 1 is dy, dy · 0 keeps dy's sign, NaN in x gives NaN (test/engine/wasmKernels.test.ts).
 */
import type { GradConfig, Tensor, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../tfjs';
import type { FmaGemm } from './fmaGemm';
import { type KernelArgs, input, sizeOf } from './kit';

/** Kernel name, for `runKernel`. Inputs `x` (Relu's input) and `dy`; output dx. */
export const RELU_GRAD_KERNEL = 'LrLabReluGrad';

export function reluGrad(gemm: FmaGemm) {
  return (args: KernelArgs): TensorInfo => {
    const x = input(args, 'x');
    const dy = input(args, 'dy');
    const n = sizeOf(dy.shape);
    if (x.dtype !== 'float32' || dy.dtype !== 'float32' || sizeOf(x.shape) !== n) throw new Error(`${RELU_GRAD_KERNEL}: x and dy must be float32 of one size`);
    const out = args.backend.makeOutput([...dy.shape], 'float32');
    const at = (t: TensorInfo): number => args.backend.typedArrayFromHeap(t).byteOffset;
    if (n > 0) gemm.reluGrad(at(x), at(dy), n, at(out));
    return out;
  };
}

/**
 * Relu's gradient config: the one-pass kernel where the active backend is wasm and has it, else
 * `original` (tfjs-core's). Registered by installWasmTrainingKernels, which puts `original` back on
 * uninstall.
 */
export function reluGradConfig(tf: Tf, original: GradConfig): GradConfig {
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const grad = dy as Tensor;
      if (x !== undefined && !Array.isArray(dy) && x.dtype === 'float32' && grad.dtype === 'float32' && tf.getBackend() === 'wasm' && tf.getKernel(RELU_GRAD_KERNEL, 'wasm') !== undefined) {
        return { x: () => tf.engine().runKernel<Tensor>(RELU_GRAD_KERNEL, { x, dy: grad }) };
      }
      return original.gradFunc(dy, saved, attrs);
    },
  };
}

/**
 * The gradient of the one-pass kernel itself (a gradient of a gradient: a Hessian-vector product, a
 * gradient penalty): d/d(dy) is the same mask, d/dx is zero almost everywhere — what tfjs's
 * `mul(dy, step(x))` gives, Step's own gradient being zero.
 */
export function reluGradGradConfig(tf: Tf): GradConfig {
  return {
    kernelName: RELU_GRAD_KERNEL,
    inputsToSave: ['x'],
    gradFunc: (g, saved) => {
      const [x] = saved;
      const grad = g as Tensor;
      return {
        dy: () => tf.engine().runKernel<Tensor>(RELU_GRAD_KERNEL, { x: x!, dy: grad }),
        x: () => tf.zerosLike(x!),
      };
    },
  };
}
