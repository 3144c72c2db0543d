/**
 * The application's own TensorFlow.js. The library imports the `@tensorflow/tfjs` peer that the
 * application resolves — the library bundle leaves it external, so npm never nests a second copy
 * — hence the app's models and tensors pass in and out, and its backend (tfjs-node when it loaded
 * it, wasm, cpu) does the work. The only value import of tfjs outside src/engine/tfjs.ts (which
 * loads the engine's bundled copy for the CLI and the extension).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tf } from '../engine/tfjs';

export function appTf(): Tf {
  return tf;
}
