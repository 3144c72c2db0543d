/**
 * `Sum` over every axis but the last — the bias gradient of every dense and conv layer. tfjs-backend-wasm
 * 4.22 first transposes the whole tensor so that the reduced axes come last (a full copy of, e.g., a
 * 128×26×26×16 activation gradient), then sums. With LR Lab's wasm module (fmaGemm.ts) the column
 * sums are one SIMD pass over the tensor as it lies, each column summed in the same row order as the
 * backend's own. Any other reduction, dtype or a runtime without the module: the backend's Sum.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { FmaGemm } from './fmaGemm';
import { type KernelArgs, type Kernels, input, sizeOf } from './kit';

/** The reduced axes, non-negative and sorted, or null when `axis` is not a list of integers. */
function axesOf(axis: unknown, rank: number): number[] | null {
  const list = Array.isArray(axis) ? (axis as unknown[]) : [axis];
  const out: number[] = [];
  for (const a of list) {
    if (typeof a !== 'number' || !Number.isInteger(a) || a < -rank || a >= rank) return null;
    out.push(a < 0 ? a + rank : a);
  }
  return [...new Set(out)].sort((p, q) => p - q);
}

export function leadingAxesSum(k: Kernels, gemm: FmaGemm | null) {
  return (args: KernelArgs): TensorInfo => {
    const x = input(args, 'x');
    const rank = x.shape.length;
    const axes = axesOf(args.attrs['axis'], rank);
    const leading = axes !== null && rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
    if (gemm === null || !leading || x.dtype !== 'float32' || sizeOf(x.shape) === 0) return k.call('Sum', args.backend, args.inputs, args.attrs);
    const cols = x.shape[rank - 1]!;
    const keepDims = args.attrs['keepDims'] === true;
    const out = args.backend.makeOutput(keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols], 'float32');
    gemm.columnSums(args.backend.typedArrayFromHeap(x).byteOffset, sizeOf(x.shape) / cols, cols, args.backend.typedArrayFromHeap(out).byteOffset);
    return out;
  };
}

/**
 * `Add` of a bias row to every row of a tensor (`[..., C] + [C]`, either order; a conv or dense
 * layer's bias): tfjs-backend-wasm 4.22 broadcasts it at 1.55 ms for a 128×26×26×16 activation, a
 * twentieth of an MNIST-CNN step; one SIMD pass on the module takes ~0.3 ms, with the same sums.
 * Anything else (other shapes, dtypes, a runtime without the module): the backend's Add.
 */
export function rowBroadcastAdd(k: Kernels, gemm: FmaGemm | null) {
  return (args: KernelArgs): TensorInfo => {
    const a = input(args, 'a');
    const b = input(args, 'b');
    const isRow = (row: TensorInfo, full: TensorInfo): boolean => {
      const cols = full.shape.at(-1);
      return full.shape.length >= 2 && cols !== undefined && cols > 0 && row.shape.length >= 1 && row.shape.length <= full.shape.length && row.shape.at(-1) === cols && sizeOf(row.shape) === cols;
    };
    const [full, row] = isRow(b, a) ? [a, b] : isRow(a, b) ? [b, a] : [null, null];
    if (gemm === null || full === null || row === null || a.dtype !== 'float32' || b.dtype !== 'float32' || sizeOf(full.shape) === 0) return k.call('Add', args.backend, args.inputs, args.attrs);
    const cols = full.shape.at(-1)!;
    const out = args.backend.makeOutput([...full.shape], 'float32');
    const at = (t: TensorInfo): number => args.backend.typedArrayFromHeap(t).byteOffset;
    gemm.addRow(at(full), at(row), sizeOf(full.shape) / cols, cols, at(out));
    return out;
  };
}
