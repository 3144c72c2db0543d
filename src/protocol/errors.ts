/**
 * Errors that reach a user. Every one names what is at fault (file, option/setting, value) and
 * what to do; none carries a stack trace to the user (the engine logs stacks for developers).
 */

export type ErrorCode =
  | 'bad-option'
  | 'model-file'
  | 'model-exports'
  | 'model-build'
  | 'data'
  | 'shape'
  | 'loss'
  | 'backend'
  | 'out-of-memory'
  | 'cancelled'
  | 'untrusted'
  /** Scale-out: Redis unreachable or gone, a queue fault. */
  | 'redis'
  | 'internal';

export interface LrLabErrorData {
  readonly code: ErrorCode;
  /** One line, in the user's words: what is wrong. */
  readonly message: string;
  /** What to do about it, when we know. */
  readonly fix: string | null;
  readonly file: string | null;
  readonly line: number | null;
  /** The option / setting / CLI flag at fault, by its protocol name (e.g. `maxLr`). */
  readonly option: string | null;
}

/** The one error class that crosses every boundary (engine → CLI, engine → extension host). */
export class LrLabError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | null;
  readonly file: string | null;
  readonly line: number | null;
  readonly option: string | null;

  constructor(
    code: ErrorCode,
    message: string,
    details: { fix?: string; file?: string; line?: number; option?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'LrLabError';
    this.code = code;
    this.fix = details.fix ?? null;
    this.file = details.file ?? null;
    this.line = details.line ?? null;
    this.option = details.option ?? null;
  }

  toData(): LrLabErrorData {
    return {
      code: this.code,
      message: this.message,
      fix: this.fix,
      file: this.file,
      line: this.line,
      option: this.option,
    };
  }

  static fromData(data: LrLabErrorData): LrLabError {
    const details: { fix?: string; file?: string; line?: number; option?: string } = {};
    if (data.fix !== null) details.fix = data.fix;
    if (data.file !== null) details.file = data.file;
    if (data.line !== null) details.line = data.line;
    if (data.option !== null) details.option = data.option;
    return new LrLabError(data.code, data.message, details);
  }
}

/** A bad option value. `option` is the protocol name; messages show the CLI flag too. */
export class OptionError extends LrLabError {
  constructor(option: string, message: string, fix?: string) {
    super('bad-option', message, fix === undefined ? { option } : { option, fix });
    this.name = 'OptionError';
  }
}

/** One line for a terminal or a notification: message, then the fix. */
export function formatError(data: LrLabErrorData): string {
  const where = data.file === null ? '' : data.line === null ? `${printable(data.file)}: ` : `${printable(data.file)}:${data.line}: `;
  const fix = data.fix === null ? '' : ` ${printable(data.fix)}`;
  const text = printable(data.message);
  // A message ending in a parenthesis ("… (reading 'model')") still ends its sentence before the fix.
  const message = fix !== '' && !/([.!?:]|[.!?]\))$/.test(text) ? `${text}.` : text;
  return `${where}${message}${fix}`;
}

/** The longest part of an error line shown (a model file's 100 KB error message was printed whole). */
const MAX_SHOWN = 2000;

/**
 * Text from files and user code as one safe line: control characters (a CSV cell or model.json holding
 * terminal escapes cleared the screen and recoloured it when echoed) shown as `\x1b`, line breaks and
 * tabs as spaces, and past MAX_SHOWN characters cut, saying how much was left out.
 */
export function printable(text: string): string {
  const line = text.replace(/\r?\n|\t/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return line.length <= MAX_SHOWN ? line : `${line.slice(0, MAX_SHOWN)}… (${(line.length - MAX_SHOWN).toLocaleString('en')} more characters)`;
}

/** camelCase protocol name → CLI flag (`maxLr` → `--max-lr`). One name per option everywhere. */
export function flagOf(option: string): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
