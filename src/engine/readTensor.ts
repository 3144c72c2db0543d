/** Reading a tensor built for the purpose (the data checks, the baseline). */
import type * as tfjs from '@tensorflow/tfjs';
import type { Tf } from './tfjs';

/** float32's largest finite value (tfjs's number type): a value past it is Infinity there. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The values of the tensor `make` builds, its intermediates freed. Not `tf.tidy(() => t.dataSync())`:
 * tidy looks for tensors in what its function returns, and walks a typed array element by element
 * (`for … in`, each value into a Set) — 4 s of a 1.5-million-row CSV's data checks, in which Ctrl-C
 * and SIGTERM waited.
 */
export function readTensor(tf: Tf, make: () => tfjs.Tensor): Float32Array | Int32Array | Uint8Array {
  const tensor = tf.tidy(make);
  try {
    return tensor.dataSync<'float32' | 'int32' | 'bool'>();
  } finally {
    tensor.dispose();
  }
}
