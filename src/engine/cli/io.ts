import { Socket } from 'node:net';
import { RESULT_FD, RESULT_FD_ENV, isRegularFile, writeWhole } from './resultGuard';

/** Where a CLI command writes. Injected so tests can run commands in-process. */
export interface CliIo {
  /** One result document or human text on stdout. */
  out(text: string): void;
  /** Progress, warnings and errors on stderr. */
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly interactive: boolean;
  /** Whether stdout and stderr are both the terminal: what progress showed need not be printed again. */
  readonly sameTerminal?: boolean;
  /**
   * When the command started, on the `performance.now()` clock: a wall-time budget counts from
   * here. `0` for the `lrlab` process (its own start-up included); unset: when the command is called.
   */
  readonly startedAt?: number;
}

/**
 * Under `bin/lrlab`'s guard (resultGuard.ts) the result goes to descriptor 3, a socket to the parent,
 * which copies it to its stdout (this process's descriptor 1 is the parent's stderr). Taken out of
 * the environment so that nothing this process starts writes there.
 */
const guarded = process.env[RESULT_FD_ENV] !== undefined;
delete process.env[RESULT_FD_ENV];
let channel: Socket | null = null;

/** The guard's socket (its parent's EOF on it is the parent gone), or `null` where the CLI is not guarded. */
export function resultChannel(): Socket | null {
  if (!guarded) return null;
  if (channel === null) {
    channel = new Socket({ fd: RESULT_FD, readable: true, writable: true });
    channel.on('error', noteStdoutError);
    channel.unref(); // an idle socket keeps no process alive (a model's never-settling promise is still found)
  }
  return channel;
}

type Write = (text: string, callback?: (error?: Error | null) => void) => boolean;

/**
 * stdout's own write, taken before `cliMain` points `process.stdout.write` at stderr: the result
 * is all that goes to stdout (a model file's raw `process.stdout.write` broke `--json`). Under the
 * guard, the socket's.
 */
export const writeStdout: Write = guarded
  ? (text, callback) => resultChannel()!.write(text, callback)
  : isRegularFile(1)
    ? (text, callback) => {
        // A file: Node's own write drops what a short write left (a `--json` cut at `ulimit -f`, exit 0).
        let failure: Error | null = null;
        try {
          writeWhole(1, text);
        } catch (error) {
          failure = error as Error;
        }
        callback?.(failure);
        return true;
      }
    : process.stdout.write.bind(process.stdout);

/**
 * Calls `done` once stdout has taken everything written so far; under the guard the socket's side
 * is ended too (its parent's EOF: the result is whole).
 */
export function flushStdout(done: () => void): void {
  const socket = resultChannel();
  if (socket === null) writeStdout('', done);
  else socket.end(done);
}

/**
 * The first error writing stdout met (a full disk, a device error): the result did not arrive. A
 * closed pipe is the reader's choice (`lrlab … | head -1`), not a failure to report.
 */
let stdoutError: Error | null = null;
const noteStdoutError = (error: Error | null | undefined): void => {
  if (error === null || error === undefined || (error as NodeJS.ErrnoException).code === 'EPIPE') return;
  stdoutError ??= error;
};
process.stdout.on('error', noteStdoutError);

/**
 * Progress, warnings and errors on stderr are best effort: a stderr that cannot be written (`2>/dev/full`,
 * a closed pipe) must not end the run before its result reaches stdout (it did: exit 1, stdout empty).
 */
const ignoreStderrError = (): void => undefined;
process.stderr.on('error', ignoreStderrError);

export function stdoutFailure(): Error | null {
  return stdoutError;
}

export const processIo: CliIo = {
  out: (text) => writeStdout(`${text}\n`, noteStdoutError),
  err: (text) => process.stderr.write(`${text}\n`, ignoreStderrError),
  interactive: process.stderr.isTTY === true,
  // Under the guard, stdout is no terminal (that is when it applies): this descriptor 1 is stderr's.
  sameTerminal: !guarded && process.stderr.isTTY === true && process.stdout.isTTY === true,
  startedAt: 0,
};
