/**
 * Convolution gradients the wasm backend lacks or gets wrong (tfjs-backend-wasm 4.22):
 * - `Conv2DBackpropFilter`: missing. With relaxed SIMD, LR Lab's FMA gemm (fmaGemm.ts) computes
 *   dW = im2col(X)ᵀ · dY, reading im2col(X) straight from X (3–7x the composition below). Else
 *   composed from the backend's own XNNPACK `Conv2D`:
 *   dW[i,j,c,o] = Σ_{b,y,x} X[b, y·s+i−pad, x·s+j−pad, c] · dY[b,y,x,o] is a convolution of X
 *   (batch and channel axes swapped) with dY (as a filter of size outH×outW, in-channels = batch),
 *   the forward stride becoming the dilation. Exact: the same sums, in XNNPACK's order.
 * - `Conv2DBackpropInput`: present and correct but ~2 GFLOP/s. dX is a stride-1 `Conv2D` of dY
 *   spread out by the stride (zeros between rows/columns) and padded by (k−1−pad), with the filter
 *   flipped and its channel axes swapped — again the backend's fast `Conv2D`.
 * - `DepthwiseConv2dNativeBackpropFilter` / `…BackpropInput`: missing; direct loops on the heap.
 * - `Conv3DBackpropInputV2`: present but wrong (input gradients off by up to 100 %); a direct loop.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../tfjs';
import { type KernelArgs, type Kernels, type WasmBackend, free, input, zeros } from './kit';
import type { FmaGemm } from './fmaGemm';

type Shape4 = [number, number, number, number];
type Shape5 = [number, number, number, number, number];
type Pad2D = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

function channelsLast(attrs: NamedAttrMap, kernel: string): void {
  const f = attrs['dataFormat'];
  if (f !== undefined && f !== 'NHWC' && f !== 'channelsLast' && f !== 'NDHWC') {
    throw new Error(`LR Lab's wasm ${kernel} supports channels-last data only, got dataFormat ${JSON.stringify(f)}`);
  }
}

function explicitPad(top: number, bottom: number, left: number, right: number): [[number, number], [number, number], [number, number], [number, number]] {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

export function conv2DBackpropFilter(tf: Tf, k: Kernels, gemm: FmaGemm | null = null) {
  return (args: KernelArgs): TensorInfo => {
    const { backend, attrs } = args;
    channelsLast(attrs, 'Conv2DBackpropFilter');
    const x = input(args, 'x');
    const dy = input(args, 'dy');
    const filterShape = attrs['filterShape'] as Shape4;
    const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, attrs['strides'] as [number, number], 1, attrs['pad'] as Pad2D, attrs['dimRoundingMode'] as Rounding);
    const [fh, fw, inC, outC] = filterShape;
    const p = info.padInfo;
    if (gemm !== null && x.dtype === 'float32' && dy.dtype === 'float32') {
      // LR Lab's FMA gemm reads im2col(x)ᵀ straight from x: dW = im2col(x)ᵀ · dy, no transposes.
      const dw = backend.makeOutput([...filterShape], 'float32');
      const at = (t: TensorInfo): number => backend.typedArrayFromHeap(t).byteOffset;
      gemm.conv2dFilterGrad(
        { batch: info.batchSize, inHeight: info.inHeight, inWidth: info.inWidth, inChannels: inC, filterHeight: fh, filterWidth: fw, strideHeight: info.strideHeight, strideWidth: info.strideWidth, dilationHeight: 1, dilationWidth: 1, padTop: p.top, padLeft: p.left, outHeight: info.outHeight, outWidth: info.outWidth, outChannels: outC },
        at(x),
        at(dy),
        at(dw),
      );
      return dw;
    }
    const xT = k.transpose(backend, x, [3, 1, 2, 0]); // [inC, H, W, batch]
    const dyT = k.transpose(backend, dy, [1, 2, 0, 3]); // [outH, outW, batch, outC]
    const conv = k.call('Conv2D', backend, { x: xT, filter: dyT }, {
      strides: [1, 1],
      dilations: [info.strideHeight, info.strideWidth],
      pad: explicitPad(p.top, p.bottom, p.left, p.right),
      dataFormat: 'NHWC',
    }); // [inC, ≥fh, ≥fw, outC]: 'valid' strides that leave rows over give extra rows, dropped here
    free(backend, xT, dyT);
    let cut = conv;
    if (conv.shape[1] !== fh || conv.shape[2] !== fw) {
      cut = k.call('Slice', backend, { x: conv }, { begin: [0, 0, 0, 0], size: [inC, fh, fw, outC] });
      free(backend, conv);
    }
    const dw = k.transpose(backend, cut, [1, 2, 0, 3]);
    free(backend, cut);
    return dw;
  };
}

/** Zero-spread dY by the stride into a padded buffer: the input of the stride-1 convolution that gives dX. */
function spread(backend: WasmBackend, dy: TensorInfo, sH: number, sW: number, padT: number, padL: number, outH: number, outW: number): TensorInfo {
  const [b, h, w, c] = dy.shape as Shape4;
  const out = zeros(backend, [b, outH, outW, c]);
  const src = backend.typedArrayFromHeap(dy);
  const dst = backend.typedArrayFromHeap(out);
  for (let n = 0; n < b; n++) {
    for (let y = 0; y < h; y++) {
      const row = padT + y * sH;
      if (row < 0 || row >= outH) continue;
      for (let x = 0; x < w; x++) {
        const col = padL + x * sW;
        if (col < 0 || col >= outW) continue;
        const s = ((n * h + y) * w + x) * c;
        dst.set(src.subarray(s, s + c), ((n * outH + row) * outW + col) * c);
      }
    }
  }
  return out;
}

/** W[i,j,c,o] → W'[kh−1−i, kw−1−j, o, c]: the filter of the transposed convolution. */
function flipFilter(backend: WasmBackend, filter: TensorInfo): TensorInfo {
  const [kh, kw, inC, outC] = filter.shape as Shape4;
  const out = backend.makeOutput([kh, kw, outC, inC], 'float32');
  const src = backend.typedArrayFromHeap(filter);
  const dst = backend.typedArrayFromHeap(out);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const s0 = (i * kw + j) * inC * outC;
      const d0 = ((kh - 1 - i) * kw + (kw - 1 - j)) * outC * inC;
      for (let c = 0; c < inC; c++) for (let o = 0; o < outC; o++) dst[d0 + o * inC + c] = src[s0 + c * outC + o]!;
    }
  }
  return out;
}

export function conv2DBackpropInput(tf: Tf, k: Kernels) {
  return (args: KernelArgs): TensorInfo => {
    const { backend, attrs } = args;
    channelsLast(attrs, 'Conv2DBackpropInput');
    const dy = input(args, 'dy');
    const filter = input(args, 'filter');
    const inputShape = attrs['inputShape'] as Shape4;
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, attrs['strides'] as [number, number], 1, attrs['pad'] as Pad2D, attrs['dimRoundingMode'] as Rounding);
    const [kh, kw] = filter.shape as Shape4;
    const [, inH, inW] = inputShape;
    // dX[r] = Σ_i dYspread[r + i − (kh−1−padTop)] · W[kh−1−i]: pad the spread dY by kh−1−padTop on top,
    // and size it so that a 'valid' stride-1 conv with a kh×kw filter yields exactly inH×inW.
    const padT = kh - 1 - info.padInfo.top;
    const padL = kw - 1 - info.padInfo.left;
    const spreadH = inH + kh - 1;
    const spreadW = inW + kw - 1;
    const flipped = flipFilter(backend, filter);
    const [, outH, outW] = dy.shape as Shape4;
    const padB = spreadH - padT - outH;
    const padR = spreadW - padL - outW;
    if (info.strideHeight === 1 && info.strideWidth === 1 && Math.min(padT, padL, padB, padR) >= 0) {
      // Stride 1: nothing to spread, so the padding is the convolution's own (XNNPACK reads zeros
      // for it, summing the same products in the same order) and dY is not copied.
      const dx = k.call('Conv2D', backend, { x: dy, filter: flipped }, { strides: [1, 1], dilations: [1, 1], pad: explicitPad(padT, padB, padL, padR), dataFormat: 'NHWC' });
      free(backend, flipped);
      return dx;
    }
    const big = spread(backend, dy, info.strideHeight, info.strideWidth, padT, padL, spreadH, spreadW);
    const dx = k.call('Conv2D', backend, { x: big, filter: flipped }, { strides: [1, 1], dilations: [1, 1], pad: 'valid', dataFormat: 'NHWC' });
    free(backend, big, flipped);
    return dx;
  };
}

export function depthwiseBackpropFilter(tf: Tf) {
  return (args: KernelArgs): TensorInfo => {
    const { backend, attrs } = args;
    channelsLast(attrs, 'DepthwiseConv2dNativeBackpropFilter');
    const x = input(args, 'x');
    const dy = input(args, 'dy');
    const filterShape = attrs['filterShape'] as Shape4;
    const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, attrs['strides'] as [number, number], attrs['dilations'] as [number, number], attrs['pad'] as Pad2D, attrs['dimRoundingMode'] as Rounding, true);
    const [kh, kw, inC, mult] = filterShape;
    const out = zeros(backend, [kh, kw, inC, mult]);
    const xs = backend.typedArrayFromHeap(x);
    const ds = backend.typedArrayFromHeap(dy);
    const dw = backend.typedArrayFromHeap(out);
    const { batchSize, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
    const outC = inC * mult;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const w0 = (i * kw + j) * outC;
        for (let b = 0; b < batchSize; b++) {
          for (let y = 0; y < outHeight; y++) {
            const r = y * strideHeight - info.padInfo.top + i * dilationHeight;
            if (r < 0 || r >= inHeight) continue;
            for (let xo = 0; xo < outWidth; xo++) {
              const c = xo * strideWidth - info.padInfo.left + j * dilationWidth;
              if (c < 0 || c >= inWidth) continue;
              const x0 = ((b * inHeight + r) * inWidth + c) * inC;
              const d0 = ((b * outHeight + y) * outWidth + xo) * outC;
              for (let ch = 0; ch < inC; ch++) {
                const xv = xs[x0 + ch]!;
                for (let q = 0; q < mult; q++) dw[w0 + ch * mult + q] = dw[w0 + ch * mult + q]! + xv * ds[d0 + ch * mult + q]!;
              }
            }
          }
        }
      }
    }
    return out;
  };
}

export function depthwiseBackpropInput(tf: Tf) {
  return (args: KernelArgs): TensorInfo => {
    const { backend, attrs } = args;
    channelsLast(attrs, 'DepthwiseConv2dNativeBackpropInput');
    const dy = input(args, 'dy');
    const filter = input(args, 'filter');
    const inputShape = attrs['inputShape'] as Shape4;
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, attrs['strides'] as [number, number], attrs['dilations'] as [number, number], attrs['pad'] as Pad2D, attrs['dimRoundingMode'] as Rounding, true);
    const [kh, kw, inC, mult] = filter.shape as Shape4;
    const out = zeros(backend, [...inputShape]);
    const ds = backend.typedArrayFromHeap(dy);
    const ws = backend.typedArrayFromHeap(filter);
    const dx = backend.typedArrayFromHeap(out);
    const { batchSize, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
    const outC = inC * mult;
    for (let b = 0; b < batchSize; b++) {
      for (let y = 0; y < outHeight; y++) {
        for (let xo = 0; xo < outWidth; xo++) {
          const d0 = ((b * outHeight + y) * outWidth + xo) * outC;
          for (let i = 0; i < kh; i++) {
            const r = y * strideHeight - info.padInfo.top + i * dilationHeight;
            if (r < 0 || r >= inHeight) continue;
            for (let j = 0; j < kw; j++) {
              const c = xo * strideWidth - info.padInfo.left + j * dilationWidth;
              if (c < 0 || c >= inWidth) continue;
              const x0 = ((b * inHeight + r) * inWidth + c) * inC;
              const w0 = (i * kw + j) * outC;
              for (let ch = 0; ch < inC; ch++) {
                let sum = 0;
                for (let q = 0; q < mult; q++) sum += ds[d0 + ch * mult + q]! * ws[w0 + ch * mult + q]!;
                dx[x0 + ch] = dx[x0 + ch]! + sum;
              }
            }
          }
        }
      }
    }
    return out;
  };
}

export function conv3DBackpropInput(tf: Tf) {
  return (args: KernelArgs): TensorInfo => {
    const { backend, attrs } = args;
    const dy = input(args, 'dy');
    const filter = input(args, 'filter');
    const inputShape = attrs['inputShape'] as Shape5;
    const info = tf.backend_util.computeConv3DInfo(inputShape, filter.shape as Shape5, attrs['strides'] as [number, number, number], 1, attrs['pad'] as 'same' | 'valid');
    const [kd, kh, kw, inC, outC] = filter.shape as Shape5;
    const out = zeros(backend, [...inputShape]);
    const ds = backend.typedArrayFromHeap(dy);
    const ws = backend.typedArrayFromHeap(filter);
    const dx = backend.typedArrayFromHeap(out);
    const { batchSize, inDepth, inHeight, inWidth, outDepth, outHeight, outWidth, strideDepth, strideHeight, strideWidth } = info;
    const { front, top, left } = info.padInfo;
    for (let b = 0; b < batchSize; b++) {
      for (let z = 0; z < outDepth; z++) {
        for (let y = 0; y < outHeight; y++) {
          for (let xo = 0; xo < outWidth; xo++) {
            const d0 = (((b * outDepth + z) * outHeight + y) * outWidth + xo) * outC;
            for (let a = 0; a < kd; a++) {
              const dd = z * strideDepth - front + a;
              if (dd < 0 || dd >= inDepth) continue;
              for (let i = 0; i < kh; i++) {
                const r = y * strideHeight - top + i;
                if (r < 0 || r >= inHeight) continue;
                for (let j = 0; j < kw; j++) {
                  const c = xo * strideWidth - left + j;
                  if (c < 0 || c >= inWidth) continue;
                  const x0 = (((b * inDepth + dd) * inHeight + r) * inWidth + c) * inC;
                  const w0 = ((a * kh + i) * kw + j) * inC * outC;
                  for (let ch = 0; ch < inC; ch++) {
                    let sum = 0;
                    const wc = w0 + ch * outC;
                    for (let o = 0; o < outC; o++) sum += ds[d0 + o]! * ws[wc + o]!;
                    dx[x0 + ch] = dx[x0 + ch]! + sum;
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  };
}
