/**
 * `BatchMatMul` / `_FusedMatMul` of tfjs-backend-wasm 4.22 take their fast (XNNPACK) path only
 * when neither operand is transposed; with `transposeA`/`transposeB` — every dense layer's
 * backward pass — they fall into a scalar loop. Transposing the operand first (a fast wasm
 * kernel) and calling the fast path gives the same sums ~25x faster for that kernel.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { type KernelArgs, type Kernels, free, input } from './kit';

function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export function untransposedMatMul(k: Kernels, name: 'BatchMatMul' | '_FusedMatMul') {
  return (args: KernelArgs): TensorInfo => {
    const { backend, attrs } = args;
    const ta = attrs['transposeA'] === true;
    const tb = attrs['transposeB'] === true;
    if (!ta && !tb) return k.call(name, backend, args.inputs, attrs);
    const a = input(args, 'a');
    const b = input(args, 'b');
    const made: TensorInfo[] = [];
    const aa = ta ? k.transpose(backend, a, swapLast(a.shape.length)) : a;
    const bb = tb ? k.transpose(backend, b, swapLast(b.shape.length)) : b;
    if (ta) made.push(aa);
    if (tb) made.push(bb);
    try {
      return k.call(name, backend, { ...args.inputs, a: aa, b: bb }, { ...attrs, transposeA: false, transposeB: false });
    } finally {
      free(backend, ...made);
    }
  };
}
