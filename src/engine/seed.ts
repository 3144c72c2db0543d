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
