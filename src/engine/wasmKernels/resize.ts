/**
 * Resize gradients (behind `upSampling2d` and `tf.image.resize*`): tfjs-backend-wasm 4.22 ignores
 * `halfPixelCenters` in both, so those gradients land on the wrong pixels (the adjoint identity
 * below is off by 100–500 %). tfjs's cpu backend is no reference here: its nearest-neighbour
 * gradient is wrong even without `halfPixelCenters`, and its bilinear gradient returns height
 * and width swapped (an error for non-square images). Ours are the exact adjoints of the forward kernels
 * (same source-pixel arithmetic, including `alignCorners` and `halfPixelCenters`), so
 * ⟨resize(x), dy⟩ = ⟨x, grad(dy)⟩ holds to rounding — the property the tests check.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { type KernelArgs, input, zeros } from './kit';

type Shape4 = [number, number, number, number];

/** `alignCorners` maps corner to corner: the scale is (in−1)/(out−1). */
function scaleOf(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

/** What both gradients read: inputs, flags, and the in/out sizes. */
function resizeArgs(args: KernelArgs) {
  const images = input(args, 'images');
  const dy = input(args, 'dy');
  const [batch, inH, inW, ch] = images.shape as Shape4;
  const [, outH, outW] = dy.shape as Shape4;
  return { dy, batch, inH, inW, ch, outH, outW, alignCorners: args.attrs['alignCorners'] === true, half: args.attrs['halfPixelCenters'] === true };
}

export function resizeNearestNeighborGrad() {
  return (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const { dy, batch, inH, inW, ch, outH, outW, alignCorners, half } = resizeArgs(args);
    const sh = scaleOf(inH, outH, alignCorners);
    const sw = scaleOf(inW, outW, alignCorners);
    const source = (o: number, scale: number, size: number): number => {
      const f = half ? scale * (o + 0.5) : scale * o;
      const n = Math.min(size - 1, alignCorners ? Math.round(f) : Math.floor(f));
      return half ? Math.max(0, n) : n;
    };
    const rows = Array.from({ length: outH }, (_, o) => source(o, sh, inH));
    const cols = Array.from({ length: outW }, (_, o) => source(o, sw, inW));
    const out = zeros(backend, [batch, inH, inW, ch]);
    const ds = backend.typedArrayFromHeap(dy);
    const dx = backend.typedArrayFromHeap(out);
    let d = 0;
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < outH; y++) {
        const row = (b * inH + rows[y]!) * inW;
        for (let x = 0; x < outW; x++) {
          const base = (row + cols[x]!) * ch;
          for (let k = 0; k < ch; k++) dx[base + k] = dx[base + k]! + ds[d++]!;
        }
      }
    }
    return out;
  };
}

interface Lerp {
  readonly lo: number;
  readonly hi: number;
  readonly frac: number;
}

export function resizeBilinearGrad() {
  return (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const { dy, batch, inH, inW, ch, outH, outW, alignCorners, half } = resizeArgs(args);
    const lerp = (o: number, scale: number, size: number): Lerp => {
      const f = half ? scale * (o + 0.5) - 0.5 : scale * o;
      const lo = Math.max(0, Math.floor(f));
      return { lo, hi: Math.min(size - 1, Math.ceil(f)), frac: f - lo };
    };
    const rows = Array.from({ length: outH }, (_, o) => lerp(o, scaleOf(inH, outH, alignCorners), inH));
    const cols = Array.from({ length: outW }, (_, o) => lerp(o, scaleOf(inW, outW, alignCorners), inW));
    const out = zeros(backend, [batch, inH, inW, ch]);
    const ds = backend.typedArrayFromHeap(dy);
    const dx = backend.typedArrayFromHeap(out);
    let d = 0;
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < outH; y++) {
        const r = rows[y]!;
        const top = (b * inH + r.lo) * inW;
        const bottom = (b * inH + r.hi) * inW;
        for (let x = 0; x < outW; x++) {
          const c = cols[x]!;
          // forward: v = tl + (tr−tl)·cf + ((bl + (br−bl)·cf) − (tl + (tr−tl)·cf))·rf
          const wTL = (1 - r.frac) * (1 - c.frac);
          const wTR = (1 - r.frac) * c.frac;
          const wBL = r.frac * (1 - c.frac);
          const wBR = r.frac * c.frac;
          const tl = (top + c.lo) * ch;
          const tr = (top + c.hi) * ch;
          const bl = (bottom + c.lo) * ch;
          const br = (bottom + c.hi) * ch;
          for (let k = 0; k < ch; k++) {
            const g = ds[d++]!;
            dx[tl + k] = dx[tl + k]! + g * wTL;
            dx[tr + k] = dx[tr + k]! + g * wTR;
            dx[bl + k] = dx[bl + k]! + g * wBL;
            dx[br + k] = dx[br + k]! + g * wBR;
          }
        }
      }
    }
    return out;
  };
}
