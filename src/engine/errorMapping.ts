/**
 * Turns whatever a run threw into the one error type users see. Known failure shapes of tfjs
 * and wasm (memory exhaustion) get a message and a fix; anything else is `internal`, with the
 * original message (never a stack) and the stack kept for the log.
 */
import { LrLabError } from '../protocol/errors';

const OUT_OF_MEMORY = [
  /Array buffer allocation failed/i,
  /Aborted\(OOM\)/i,
  /Cannot enlarge memory/i,
  /out of memory/i,
  /Invalid typed array length/i,
  /WebAssembly\.Memory\(\): could not allocate/i,
];

/** The first non-empty line of what was thrown (an Error's message, an error-like object's, or the value). */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return (text.split('\n').find((line) => line.trim() !== '') ?? text).trim();
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error instanceof LrLabError && error.code === 'cancelled'));
}

export function toLrLabError(error: unknown): LrLabError {
  if (error instanceof LrLabError) return error;
  if (isAbort(error)) return new LrLabError('cancelled', 'The run was cancelled.');
  const message = error instanceof Error ? error.message : String(error);
  if (OUT_OF_MEMORY.some((pattern) => pattern.test(message))) {
    return new LrLabError('out-of-memory', `Ran out of memory (${message.split('\n')[0] ?? ''}).`, {
      fix: 'Use a smaller --batch-size or a smaller model, or install @tensorflow/tfjs-node.',
      cause: error,
    });
  }
  return new LrLabError('internal', message.split('\n')[0] ?? message, { cause: error });
}

/** Throws the standard cancellation error when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new LrLabError('cancelled', 'The run was cancelled.');
}
