/**
 * `MaxPoolGrad` of tfjs-backend-wasm 4.22 is wrong: its running maximum starts at the smallest
 * *positive* float, so a window whose maximum is ≤ 0 sends its gradient to the window's first
 * position instead of its maximum, and ties send it to the last position. Ours routes each output's gradient to the first position
 * holding the window's maximum (as TensorFlow and tfjs's cpu backend do); a window of NaNs
 * only passes no gradient.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../tfjs';
import { type KernelArgs, input, zeros } from './kit';

type Shape4 = [number, number, number, number];

export function maxPoolGrad(tf: Tf) {
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
    const out = zeros(backend, [...(x.shape as Shape4)]);
    const xs = backend.typedArrayFromHeap(x);
    const ds = backend.typedArrayFromHeap(dy);
    const dx = backend.typedArrayFromHeap(out);
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    for (let b = 0; b < batchSize; b++) {
      const xb = b * inHeight * inWidth * ch;
      for (let y = 0; y < outHeight; y++) {
        const r0 = Math.max(0, y * strideHeight - top);
        const r1 = Math.min(inHeight, y * strideHeight - top + filterHeight);
        for (let xo = 0; xo < outWidth; xo++) {
          const c0 = Math.max(0, xo * strideWidth - left);
          const c1 = Math.min(inWidth, xo * strideWidth - left + filterWidth);
          const d0 = ((b * outHeight + y) * outWidth + xo) * ch;
          for (let k = 0; k < ch; k++) {
            let best = Number.NEGATIVE_INFINITY;
            let at = -1;
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
            if (at >= 0) dx[at] = dx[at]! + ds[d0 + k]!;
          }
        }
      }
    }
    return out;
  };
}
