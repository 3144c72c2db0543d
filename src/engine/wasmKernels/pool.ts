/**
 * `MaxPoolGrad` of tfjs-backend-wasm 4.22 is wrong: its running maximum starts at the smallest
 * *positive* float, so a window whose maximum is ≤ 0 sends its gradient to the window's first
 * position instead of its maximum, and ties send it to the last position. Ours routes each output's gradient to the first position
 * holding the window's maximum (as TensorFlow and tfjs's cpu backend do); a window of NaNs
 * only passes no gradient.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../tfjs';
import type { FmaGemm } from './fmaGemm';
import { type KernelArgs, input, zeros } from './kit';

type Shape4 = [number, number, number, number];

export function maxPoolGrad(tf: Tf, _k: unknown, gemm: FmaGemm | null) {
  return (args: KernelArgs): TensorInfo => {
    const { backend, attrs } = args;
    const dy = input(args, 'dy');
    const x = input(args, 'input');
    const info = tf.backend_util.computePool2DInfo(
      x.shape as Shape4,
      attrs['filterSize'] as [number, number],
      attrs['strides'] as [number, number],
      1,
      attrs['pad'] as 'same' | 'valid' | number,
      attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    );
    const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    // The forward output y holds each window's maximum exactly (max-pooling copies an input), so
    // the first position equal to y is the first maximum: one predictable compare per position,
    // stopping at the match, is ~2.5x faster than tracking a running maximum. A window whose y
    // has no equal (NaN) falls back to the running maximum, TensorFlow's rule for NaN.
    const y = args.inputs['output'];
    const withY = y !== undefined && y.shape.join() === dy.shape.join() ? y : null;
    // The output first, every heap view after it: allocating can grow the heap, which detaches the
    // views taken before (their reads then give undefined, their byteOffset 0).
    if (gemm !== null && withY !== null && x.dtype === 'float32' && dy.dtype === 'float32' && withY.dtype === 'float32') {
      // The module zeroes dx itself (a JavaScript fill took a third of the kernel's time).
      const out = backend.makeOutput([...(x.shape as Shape4)], 'float32');
      const at = (t: TensorInfo): number => backend.typedArrayFromHeap(t).byteOffset;
      const geometry = [batchSize, inHeight, inWidth, ch, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, top, left];
      gemm.maxPoolGrad(at(x), at(withY), at(dy), at(out), geometry);
      return out;
    }
    const out = zeros(backend, [...(x.shape as Shape4)]);
    const xs = backend.typedArrayFromHeap(x);
    const ds = backend.typedArrayFromHeap(dy);
    const ys = withY === null ? null : backend.typedArrayFromHeap(withY);
    const dx = backend.typedArrayFromHeap(out);
    for (let b = 0; b < batchSize; b++) {
      const xb = b * inHeight * inWidth * ch;
      for (let oy = 0; oy < outHeight; oy++) {
        const r0 = Math.max(0, oy * strideHeight - top);
        const r1 = Math.min(inHeight, oy * strideHeight - top + filterHeight);
        for (let ox = 0; ox < outWidth; ox++) {
          const c0 = Math.max(0, ox * strideWidth - left);
          const c1 = Math.min(inWidth, ox * strideWidth - left + filterWidth);
          const d0 = ((b * outHeight + oy) * outWidth + ox) * ch;
          for (let k = 0; k < ch; k++) {
            let at = -1;
            if (ys !== null) {
              const m = ys[d0 + k]!;
              search: for (let r = r0; r < r1; r++) {
                for (let c = c0; c < c1; c++) {
                  const i = xb + (r * inWidth + c) * ch + k;
                  if (xs[i] === m) {
                    at = i;
                    break search;
                  }
                }
              }
            }
            if (at < 0) {
              let best = Number.NEGATIVE_INFINITY;
              for (let r = r0; r < r1; r++) {
                for (let c = c0; c < c1; c++) {
                  const i = xb + (r * inWidth + c) * ch + k;
                  const v = xs[i]!;
                  if (v > best || (at < 0 && v === best)) {
                    best = v;
                    at = i;
                  }
                }
              }
            }
            if (at >= 0) dx[at] = dx[at]! + ds[d0 + k]!;
          }
        }
      }
    }
    return out;
  };
}
