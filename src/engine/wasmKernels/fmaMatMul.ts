/**
 * `BatchMatMul` and `_FusedMatMul` on LR Lab's FMA gemm (fmaGemm.ts): every dense layer's forward
 * pass (bias and relu/relu6 fused) and both products of its backward pass (a transposed operand is
 * only a change of strides, no transpose is materialised). Anything the gemm does not cover —
 * other dtypes, other fused activations, a bias that is not one value per column, batch shapes
 * that broadcast partially — goes to the fallback (the transpose + XNNPACK path of matmul.ts).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { FmaGemm } from './fmaGemm';
import { type KernelArgs, type WasmBackend, sizeOf } from './kit';
import { ownValue } from '../../protocol/own';

const ACTIVATIONS: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2 };

/** Heap address of a tensor's data (its typed-array view's byte offset). */
function address(backend: WasmBackend, t: TensorInfo): number {
  return backend.typedArrayFromHeap(t).byteOffset;
}

interface Plan {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batch: number;
  readonly aStep: number;
  readonly bStep: number;
  readonly outShape: number[];
}

/** Batch dimensions that are equal, or one side without any (all ones): the output's, or null. */
function outerShape(a: readonly number[], b: readonly number[]): number[] | null {
  const ones = (s: readonly number[]): boolean => s.every((d) => d === 1);
  if (a.length === b.length && a.every((d, i) => d === b[i])) return [...a];
  if (ones(a) && a.length <= b.length) return [...b];
  if (ones(b) && b.length <= a.length) return [...a];
  return null;
}

function planOf(a: TensorInfo, b: TensorInfo, ta: boolean, tb: boolean): Plan | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = ta ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = ta ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = tb ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = tb ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb || m === 0 || n === 0 || k === 0) return null;
  const outer = outerShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (outer === null) return null;
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  return { m, n, k, batch: Math.max(batchA, batchB), aStep: batchA === 1 ? 0 : m * k, bStep: batchB === 1 ? 0 : k * n, outShape: [...outer, m, n] };
}

export function fmaMatMul(gemm: FmaGemm, name: 'BatchMatMul' | '_FusedMatMul', fallback: (args: KernelArgs) => TensorInfo) {
  return (args: KernelArgs): TensorInfo => {
    const { backend, attrs, inputs } = args;
    const a = inputs['a'];
    const b = inputs['b'];
    if (a === undefined || b === undefined) return fallback(args);
    const ta = attrs['transposeA'] === true;
    const tb = attrs['transposeB'] === true;
    const plan = planOf(a, b, ta, tb);
    if (plan === null) return fallback(args);
    let activation = 0;
    let bias = 0;
    if (name === '_FusedMatMul') {
      const named = attrs['activation'] ?? 'linear';
      const act = ownValue(ACTIVATIONS, named);
      const biasInfo = inputs['bias'];
      if (act === undefined || inputs['preluActivationWeights'] !== undefined) return fallback(args);
      if (biasInfo !== undefined) {
        // One value per output column ([n], [1, n], …); a bias over rows or batches is the fallback's.
        if (biasInfo.dtype !== 'float32' || sizeOf(biasInfo.shape) !== plan.n || biasInfo.shape.at(-1) !== plan.n) return fallback(args);
        bias = address(backend, biasInfo);
      }
      activation = act;
    }
    const { m, n, k } = plan;
    const out = backend.makeOutput(plan.outShape, 'float32');
    const pa = address(backend, a);
    const pb = address(backend, b);
    const pc = address(backend, out);
    // A stored [m, k] (or [k, m] transposed), B stored [k, n] (or [n, k]): strides in floats.
    const rsa = ta ? 1 : k;
    const csa = ta ? m : 1;
    const rsb = tb ? 1 : n;
    const csb = tb ? k : 1;
    for (let i = 0; i < plan.batch; i++) {
      gemm.run({ m, n, k, a: pa + 4 * i * plan.aStep, rsa, csa, b: pb + 4 * i * plan.bStep, rsb, csb, c: pc + 4 * i * m * n, ldc: n, bias, activation });
    }
    return out;
  };
}
