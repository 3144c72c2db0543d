/**
 * `--seed`: tfjs initializers, dropout masks and our shuffles all draw from `Math.random`
 * (tfjs seeds its own generators from it), so the engine process replaces `Math.random` with a
 * seeded generator. Each experiment re-seeds before building its model, so every curve of a
 * sweep starts from the same weights and sees the same batches.
 */
import { mulberry32, seedBits } from '../core/random';

const originalRandom = Math.random;

/** Seeds `Math.random` for this process (`null`: restore the unseeded generator). Returns a generator for shuffles. */
export function seedProcess(seed: number | null): () => number {
  if (seed === null) {
    Math.random = originalRandom;
    return originalRandom;
  }
  const bits = seedBits(seed);
  const generator = mulberry32(bits);
  Math.random = generator;
  // Shuffles get their own stream, so the number of initializer draws cannot shift batch order.
  return mulberry32(bits ^ 0x5bd1e995);
}

/** Marks a `shuffle` already wrapped by `seedDatasetShuffles` (a process loads tfjs once, but may ask twice). */
const SEEDED_SHUFFLE = Symbol.for('lrlab.seededShuffle');

/**
 * tf.data's `dataset.shuffle(n)` given no seed seeds itself from the clock (`tf.util.now()`): under the
 * same `--seed` a user's tf.data pipeline read its samples in another order on every run, and gave
 * another curve (a user trial: max LR 1.54, then 1.12). Wrapped here, a shuffle given no seed takes one
 * drawn from `Math.random` — seeded under `--seed` (`seedProcess`, before loadData or the script runs),
 * as unseeded as before without it. A seed the user gives is kept.
 */
export function seedDatasetShuffles(tf: unknown): void {
  const proto = (tf as { data?: { Dataset?: { prototype?: { shuffle?: unknown } } } }).data?.Dataset?.prototype;
  const shuffle = proto?.shuffle;
  if (proto === undefined || typeof shuffle !== 'function' || SEEDED_SHUFFLE in shuffle) return;
  const seeded = function (this: unknown, bufferSize: unknown, seed?: unknown, ...rest: unknown[]): unknown {
    // tfjs reads a falsy seed (0, '') as none, as here.
    return Reflect.apply(shuffle, this, [bufferSize, seed || String(Math.floor(Math.random() * 0x100000000)), ...rest]) as unknown;
  };
  Object.defineProperty(seeded, SEEDED_SHUFFLE, { value: true });
  proto.shuffle = seeded;
}
