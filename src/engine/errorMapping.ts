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
  // tfjs-core has no gradient for some settings of some ops on any backend (a dilated convolution's
  // gradient: "Error in gradient of conv2D: dilation rates greater than 1 are not yet supported in
  // gradients"): the model cannot be trained by tfjs, which is no bug of LR Lab's to report.
  const gradient = NO_GRADIENT.map((pattern) => pattern.exec(message)).find((m) => m !== null);
  if (gradient !== undefined && gradient !== null) {
    const op = gradient[1] ?? 'an op';
    return new LrLabError('model-build', `tfjs cannot train this model: it has no gradient for ${op} as the model uses it (${message.split('\n')[0] ?? message}).`, {
      fix: /dilation/i.test(message)
        ? 'tfjs computes dilated convolutions forward only: use dilationRate 1 in the model\'s convolution layers (a larger kernel or another layer widens the receptive field).'
        : 'Change that layer or op to one tfjs can differentiate; no backend of tfjs has this gradient.',
      cause: error,
    });
  }
  return new LrLabError('internal', message.split('\n')[0] ?? message, { cause: error });
}

/** tfjs-core's messages for a gradient it does not have (the op's name in the first group). */
const NO_GRADIENT = [/Error in gradient of (\w+):/, /gradient function not found for (\w+)/i, /Cannot compute gradient.*?(\w+) is not (?:yet )?(?:implemented|supported)/i];

/** Throws the standard cancellation error when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new LrLabError('cancelled', 'The run was cancelled.');
}
