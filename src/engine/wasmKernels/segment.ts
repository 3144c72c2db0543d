/**
 * `UnsortedSegmentSum` is missing from tfjs-backend-wasm 4.22; tfjs's `gather` gradient needs it,
 * so no `embedding` layer can train without it. out[id] += x[i] for each segment id in range;
 * ids outside [0, numSegments) are dropped, as in TensorFlow.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { type KernelArgs, input, sizeOf, zeros } from './kit';

export function unsortedSegmentSum() {
  return (args: KernelArgs): TensorInfo => {
    const { backend, attrs } = args;
    const x = input(args, 'x');
    const ids = input(args, 'segmentIds');
    const numSegments = attrs['numSegments'] as number;
    const inner = x.shape.slice(ids.shape.length);
    const width = sizeOf(inner);
    const out = zeros(backend, [numSegments, ...inner], x.dtype);
    const xs = backend.typedArrayFromHeap(x);
    const is = backend.typedArrayFromHeap(ids);
    const o = backend.typedArrayFromHeap(out);
    const n = sizeOf(ids.shape);
    for (let i = 0; i < n; i++) {
      const id = is[i]!;
      if (id < 0 || id >= numSegments) continue;
      const src = i * width;
      const dst = id * width;
      for (let j = 0; j < width; j++) o[dst + j] = o[dst + j]! + xs[src + j]!;
    }
    return out;
  };
}
