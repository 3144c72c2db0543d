/**
 * The engine optimizer's most used updates as single kernels on the FMA module (gemm.c's
 * `sgd_update`, `adam_update`): one pass over a parameter and its state, where tfjs's ops took
 * four to six kernels (SGD, Nesterov) or about twelve (Adam, AdamW), each a pass and a fresh tensor
 * (SGD: 0.4 ms of a 4.3 ms MLP step, bench/README.md). Each product, sum, quotient and root is
 * rounded as tfjs's own kernel rounds it, so the values are the same to the bit
 * (test/engine/optimizerUpdate.test.ts). Registered on wasm only where the FMA module runs
 * (index.ts); elsewhere, and for the other optimizers, `EngineOptimizer` keeps its tfjs ops.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { FmaGemm } from './fmaGemm';
import { type KernelArgs, type WasmBackend, sizeOf } from './kit';

/** Kernel names, for `tf.getKernel` and `runKernel` (optimizer.ts). */
export const SGD_UPDATE_KERNEL = 'LrLabSgdUpdate';
export const ADAM_UPDATE_KERNEL = 'LrLabAdamUpdate';

/** The inputs' heap addresses, checked: float32, one size. */
function operands(kernel: string, backend: WasmBackend, inputs: KernelArgs['inputs'], names: readonly string[]): { at: number[]; shape: number[]; n: number } {
  const infos = names.map((name) => {
    const t = inputs[name];
    if (t === undefined) throw new Error(`${kernel}: input ${name} is required`);
    return t;
  });
  const shape = [...infos[0]!.shape];
  const n = sizeOf(shape);
  for (const t of infos) if (t.dtype !== 'float32' || sizeOf(t.shape) !== n) throw new Error(`${kernel}: ${names.join(', ')} must be float32 of one size`);
  return { at: infos.map((t) => backend.typedArrayFromHeap(t).byteOffset), shape, n };
}

/** Inputs `w`, `v` (velocity), `g`; attrs `lr`, `momentum`, `weightDecay`, `decay`, `nesterov`. Outputs [w', v']. */
export function sgdUpdate(gemm: FmaGemm) {
  return ({ backend, attrs, inputs }: KernelArgs): TensorInfo[] => {
    const { at, shape, n } = operands(SGD_UPDATE_KERNEL, backend, inputs, ['w', 'v', 'g']);
    const [w, v, g] = at as [number, number, number];
    const outs = [backend.makeOutput(shape, 'float32'), backend.makeOutput(shape, 'float32')] as const;
    const [wOut, vOut] = outs.map((t) => backend.typedArrayFromHeap(t).byteOffset) as [number, number];
    gemm.sgdUpdate(w, v, g, n, Number(attrs['lr']), Number(attrs['momentum']), Number(attrs['weightDecay']), attrs['decay'] === true, attrs['nesterov'] === true, wOut, vOut);
    return [...outs];
  };
}

/**
 * Inputs `w`, `m`, `v`, `g`; attrs `lr`, `beta1`, `oneMinusBeta1`, `beta2`, `oneMinusBeta2`,
 * `correction1`, `correction2`, `epsilon`, `decay` (0 none, 1 L2, 2 decoupled), `weightDecay`.
 * Outputs [w', m', v'].
 */
export function adamUpdate(gemm: FmaGemm) {
  return ({ backend, attrs, inputs }: KernelArgs): TensorInfo[] => {
    const { at, shape, n } = operands(ADAM_UPDATE_KERNEL, backend, inputs, ['w', 'm', 'v', 'g']);
    const [w, m, v, g] = at as [number, number, number, number];
    const outs = [backend.makeOutput(shape, 'float32'), backend.makeOutput(shape, 'float32'), backend.makeOutput(shape, 'float32')] as const;
    const [wOut, mOut, vOut] = outs.map((t) => backend.typedArrayFromHeap(t).byteOffset) as [number, number, number];
    const num = (name: string): number => Number(attrs[name]);
    const decay = num('decay');
    gemm.adamUpdate({
      w, m, v, g, n, wOut, mOut, vOut,
      lr: num('lr'), beta1: num('beta1'), oneMinusBeta1: num('oneMinusBeta1'), beta2: num('beta2'), oneMinusBeta2: num('oneMinusBeta2'),
      correction1: num('correction1'), correction2: num('correction2'), epsilon: num('epsilon'), decay: decay === 1 ? 1 : decay === 2 ? 2 : 0, weightDecay: num('weightDecay'),
    });
    return [...outs];
  };
}
