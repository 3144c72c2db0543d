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

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: process.stderr.isTTY === true,
  sameTerminal: process.stderr.isTTY === true && process.stdout.isTTY === true,
  startedAt: 0,
};
