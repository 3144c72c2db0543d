/** Where a CLI command writes. Injected so tests can run commands in-process. */
export interface CliIo {
  /** One result document or human text on stdout. */
  out(text: string): void;
  /** Progress, warnings and errors on stderr. */
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly interactive: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: process.stderr.isTTY,
};
