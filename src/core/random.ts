/**
 * Seeded pseudo-random numbers. tfjs initializers, dropout and our shuffles all draw from
 * `Math.random` (tfjs seeds its own generators from it), so the engine installs one of these as
 * `Math.random` when `--seed` is given: same seed, same backend → the same curve.
 */

/** mulberry32: tiny, fast, full 32-bit period; plenty for shuffles and initializer seeds. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A `--seed` as mulberry32's 32 bits, all of it counted: a seed in [0, 2^32) is itself, and above
 * (or below 0) its higher bits are folded in, so that `--seed 1` and `--seed 4294967297` (which
 * `>>> 0` alone makes one seed) give different runs — the option takes whole numbers up to 2^53 − 1.
 */
export function seedBits(seed: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296);
  if (high === 0) return low;
  // The high part hashed (murmur3's finalizer) before it meets the low bits: a plain multiple of it made -1 and 2^32 + 1 one seed.
  let h = Math.imul(high ^ (high >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (low ^ h ^ (h >>> 16)) >>> 0;
}

/** Fisher–Yates permutation of `0..n-1`. */
export function permutation(n: number, random: () => number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/**
 * Hands out batches of indices over `count` samples, reshuffling at every epoch. The last
 * partial batch of an epoch is dropped when a full batch is possible, so every step sees the
 * same batch size (a range test's loss points stay comparable).
 */
export class BatchSampler {
  private order: Int32Array;
  private position = 0;
  epoch = 0;

  constructor(
    private readonly count: number,
    readonly batchSize: number,
    private readonly random: () => number,
  ) {
    if (count < 1) throw new RangeError('BatchSampler needs at least one sample');
    this.order = permutation(count, random);
  }

  get batchesPerEpoch(): number {
    return Math.max(1, Math.floor(this.count / this.batchSize));
  }

  next(): Int32Array {
    const size = Math.min(this.batchSize, this.count);
    if (this.position + size > this.count) {
      this.order = permutation(this.count, this.random);
      this.position = 0;
      this.epoch++;
    }
    const batch = this.order.slice(this.position, this.position + size);
    this.position += size;
    return batch;
  }
}
