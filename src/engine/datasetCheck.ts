/**
 * Whether a `tf.data.Dataset` gives different values each time it is read — a random `.map()`
 * (augmentation: random flips, crops, noise). LR Lab reads a dataset into memory once, so such an
 * augmentation is drawn once and every epoch sees the same samples; the user should know.
 *
 * How: every sample read is reduced to one number, its dot product with fixed pseudo-random
 * weights (a fingerprint that a flip, a crop or noise changes, and a reordering does not); then
 * the dataset is read again from the start for a few samples, and each must match a sample of the
 * first read. A `.shuffle()` only reorders (its samples all come from what was read), so it passes;
 * a random map does not. A dataset that cannot be read twice is not judged.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { mulberry32 } from '../core/random';
import type { Tf } from './tfjs';
import { readTensor } from './readTensor';

/** Samples read again from the start to compare. */
export const RECHECK_SAMPLES = 32;
/** Relative tolerance of a fingerprint match (float32 sums of the same values). */
const MATCH_TOLERANCE = 1e-4;

/** One number per sample (first axis) of `xs`: its values times fixed pseudo-random weights. */
export function fingerprints(tf: Tf, xs: tfjs.Tensor): Float32Array {
  const n = xs.shape[0] ?? 0;
  if (n === 0) return new Float32Array(0);
  const per = xs.size / n;
  const random = mulberry32(0x5eed);
  const weights = Float32Array.from({ length: per }, () => random() * 2 - 1);
  return readTensor(tf, () => tf.sum(tf.mul(tf.reshape(tf.cast(xs, 'float32'), [n, per]), tf.tensor1d(weights)), 1)) as Float32Array;
}

function matches(sorted: Float32Array, value: number): boolean {
  const tolerance = MATCH_TOLERANCE * (Math.abs(value) + 1);
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value - tolerance) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! <= value + tolerance;
}

/**
 * `true` when reading `dataset` again gives samples that the first read (`first`: fingerprints
 * of every sample read) did not; `false` when they all match; `null` when it cannot be told (the
 * dataset cannot be read again, or gives nothing). `samplesOf` turns one element into its xs, with
 * the sample axis first (a batch, or one sample with an axis added); it owns what it returns.
 */
export async function readsDifferently(
  tf: Tf,
  dataset: tfjs.data.Dataset<tfjs.TensorContainer>,
  first: Float32Array,
  samplesOf: (element: unknown) => tfjs.Tensor | null,
): Promise<boolean | null> {
  const sorted = Float32Array.from(first).sort();
  let checked = 0;
  try {
    const iterator = await dataset.iterator();
    while (checked < RECHECK_SAMPLES) {
      const result = (await iterator.next()) as IteratorResult<unknown, unknown>;
      if (result.done === true) break;
      // The element is the dataset's fresh tensors, disposed on every way out (an element whose xs
      // could not be read, or one that differed, leaked its tensors: two per refused library call).
      try {
        const xs = samplesOf(result.value);
        if (xs === null) return null;
        try {
          for (const value of fingerprints(tf, xs)) {
            if (!matches(sorted, value)) return true;
            checked++;
          }
        } finally {
          xs.dispose();
        }
      } finally {
        tf.dispose(result.value as tfjs.TensorContainer);
      }
    }
  } catch {
    return null;
  }
  return checked === 0 ? null : false;
}
