/**
 * Whether this runtime validates a module that uses WebAssembly relaxed SIMD, turning on Node 20's
 * `--experimental-wasm-relaxed-simd` if that is what it takes. Its own small file: the FMA kernels
 * (fmaGemm.ts) ask before compiling, and the engine's launcher (launch.ts, a separate bundle of a
 * few KB) asks first, so that V8's flags are the same when a code cache is made and when it is used.
 */
import v8 from 'node:v8';

/** `WebAssembly.validate` (the engine's tsconfig has no DOM lib, where WebAssembly's types live). */
const validate = (bytes: Uint8Array): boolean => (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(bytes);

export function relaxedSimd(bytes: Uint8Array): boolean {
  if (validate(bytes)) return true;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return validate(bytes);
}
