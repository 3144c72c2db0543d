/**
 * Turns whatever a run threw into the one error type users see. Known failure shapes of tfjs
 * and wasm (memory exhaustion) get a message and a fix, an error thrown in the user's own code
 * (its stack names a line of their bundle) is theirs (`model-file`, with that file and line); anything else is `internal`, with the
 * original message (never a stack) and the stack kept for the log.
 */
import { LrLabError } from '../protocol/errors';
import { locateUserFrame } from './userFrames';

const OUT_OF_MEMORY = [
  /Array buffer allocation failed/i,
  /Aborted\(OOM\)/i,
  /Cannot enlarge memory/i,
  /out of memory/i,
  /Invalid typed array length/i,
  /WebAssembly\.Memory\(\): could not allocate/i,
];

/**
 * What a thrown value says, for any value: `String()` throws on an object without a prototype
 * (`throw Object.create(null)` in a createModel read "internal error: Cannot convert object to
 * primitive value … please report it") or with a `toString` that throws.
 */
export function thrownText(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return String(value);
  } catch {
    // no usable toString
  }
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // cyclic, or a getter that throws
  }
  return Object.prototype.toString.call(value);
}

/** The first non-empty line of what was thrown (an Error's message, an error-like object's, or the value). */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'object' && error !== null && 'message' in error ? thrownText(error.message) : thrownText(error);
  const line = (text.split('\n').find((l) => l.trim() !== '') ?? text).trim();
  // A last sentence that introduces the lines cut off ("… one of the following reasons:") goes with them:
  // tfjs's "Unknown activation: exponential. This may be due to one of the following reasons:" read on
  // into LR Lab's own next sentence.
  return /^(.*?[.!?])\s+[^.!?]*:$/.exec(line)?.[1] ?? line;
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error instanceof LrLabError && error.code === 'cancelled'));
}

export function toLrLabError(error: unknown): LrLabError {
  if (error instanceof LrLabError) return error;
  if (isAbort(error)) return new LrLabError('cancelled', 'The run was cancelled.');
  const message = thrownText(error);
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
  // An embedding (or a gather) given an index outside its table: the inputs are not the whole numbers
  // 0..inputDim−1 it looks up (a CSV's float features fed to an Embedding read "internal error: GatherV2:
  // the index value -1 is not in [0, 9] … please report it").
  const gather = /GatherV2: the index value (-?[\d.e+]+) is not in \[0, (\d+)\]/.exec(message);
  if (gather !== null) {
    return new LrLabError('data', `An embedding lookup got the index ${gather[1]}, outside its table's 0..${gather[2]}: the inputs that feed an Embedding layer must be whole numbers from 0 to its inputDim − 1 (token or category ids).`, {
      fix: `Encode those input values as ids 0..${gather[2]} (or give the Embedding layer an inputDim above the largest id); features that are measurements belong in a dense layer, not an embedding.`,
      cause: error,
    });
  }
  // tfjs found no path from any weight to the loss: a compiled or exported loss that does not compute from yPred.
  if (/Cannot find a connection between any variable and the result of the loss function/.test(message)) {
    return new LrLabError('model-build', "The loss does not depend on the model's output: tfjs found no path from any weight to it, so there is nothing to train.", {
      fix: 'A loss function (yTrue, yPred) => tensor must compute its value from yPred (a constant such as tf.scalar(…) or a value read from elsewhere gives no gradient).',
      cause: error,
    });
  }
  // Thrown in the user's own code that a run calls (a loss, a metric, a custom layer's call, a data getter): theirs to fix
  // at the line their stack names, not an LR Lab bug to report (a user's loss that threw read "internal error … please report it").
  const at = locateUserFrame(error);
  if (at !== null) {
    // The message stays the user's own (callers quote it: "loadData() threw: …"); the file, line and fix say whose.
    return new LrLabError('model-file', firstLine(error), {
      file: at.file,
      line: at.line,
      fix: USER_CODE_FIX,
      cause: error,
    });
  }
  // A thrown value that is no Error (a string, an object, null): LR Lab and tfjs throw Errors, so it
  // came from the user's code a run calls — one without a stack to name the line (a loss that threw
  // "bad loss" read "internal error … please report it").
  if (!(error instanceof Error)) {
    return new LrLabError('model-file', `Your code threw a value that is not an Error: ${firstLine(error)}.`, { fix: NO_STACK_FIX, cause: error });
  }
  return new LrLabError('internal', message.split('\n')[0] ?? message, { cause: error });
}

/** The fix of a value that is not an Error thrown by the user's code during a run: nothing names its line. */
const NO_STACK_FIX = 'Something LR Lab calls in your model file (a loss, metric, layer or data function) threw it; throw an Error there instead (new Error(…)) and its stack names the line. LRLAB_DEBUG=1 prints what is known.';

/** The fix of an error the user's own code threw during a run (also how a study tells it from LR Lab's own failures after IPC). */
export const USER_CODE_FIX = 'Your code threw this at that line while LR Lab ran it (a loss, metric, layer or data function it calls): fix it there; LRLAB_DEBUG=1 prints the whole stack.';

/**
 * Whether a run failed in the user's code while it trained (`toLrLabError`'s user-frame case): a batch-size
 * study tolerates it for one size, as it did when such errors were `internal` (a layer that fails at some batch sizes).
 */
export function isUserCodeThrow(error: LrLabError): boolean {
  return error.code === 'model-file' && (error.fix === USER_CODE_FIX || error.fix === NO_STACK_FIX);
}

/** tfjs-core's messages for a gradient it does not have (the op's name in the first group). */
const NO_GRADIENT = [/Error in gradient of (\w+):/, /gradient function not found for (\w+)/i, /Cannot compute gradient.*?(\w+) is not (?:yet )?(?:implemented|supported)/i];

/** Throws the standard cancellation error when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new LrLabError('cancelled', 'The run was cancelled.');
}
