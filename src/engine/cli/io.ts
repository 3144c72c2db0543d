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
 * stdout's own write, taken before `cliMain` points `process.stdout.write` at stderr: the result
 * is all that goes to stdout (a model file's raw `process.stdout.write` broke `--json`).
 */
export const writeStdout: typeof process.stdout.write = process.stdout.write.bind(process.stdout);

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
  sameTerminal: process.stderr.isTTY === true && process.stdout.isTTY === true,
  startedAt: 0,
};
