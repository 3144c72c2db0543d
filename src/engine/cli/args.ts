/**
 * Turning CLI strings into typed option values. Every failure is an `OptionError` naming the
 * option by its protocol name; the message shows the flag the user typed.
 */
import { parseArgs } from 'node:util';
import { OptionError, flagOf } from '../../protocol/errors';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | undefined>;
}

/** Protocol name (`maxLr`) of a flag (`max-lr`). */
export function optionOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** node's parseArgs refuses `--max-lr -0.1`; join negative numbers to their flag so we can say why it is wrong. */
function joinNegativeNumbers(argv: readonly string[], spec: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const next = argv[i + 1];
    const flag = token.startsWith('--') ? token.slice(2) : undefined;
    if (flag !== undefined && spec[flag]?.type === 'string' && next !== undefined && /^-\d|^-\.\d|^-Inf/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else {
      out.push(token);
    }
  }
  return out;
}

export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  try {
    const args = joinNegativeNumbers(argv, spec);
    const { values, positionals } = parseArgs({ args, options: spec, strict: true, allowPositionals: true });
    return { positionals, values: values as Record<string, string | boolean | undefined> };
  } catch (error) {
    // node's messages are clear ("Unknown option '--foo'") but long; keep the first sentence.
    const text = error instanceof Error ? error.message.split('. ')[0] ?? error.message : String(error);
    const match = /'(--?[\w-]+)'/.exec(text);
    const flag = match?.[1] ?? 'arguments';
    throw new OptionError(optionOf(flag.replace(/^-+/, '')), `${text}.`, 'Run `lrlab help` for the options.');
  }
}

export function stringFlag(args: ParsedArgs, flag: string): string | undefined {
  const v = args.values[flag];
  return typeof v === 'string' ? v : undefined;
}

export function booleanFlag(args: ParsedArgs, flag: string): boolean | undefined {
  const v = args.values[flag];
  return typeof v === 'boolean' ? v : undefined;
}

/** A number flag: accepts `1e-3`, `0.1`, `100`; rejects `abc`, `1e`, `` and non-finite values. */
export function numberFlag(args: ParsedArgs, flag: string): number | undefined {
  const raw = stringFlag(args, flag);
  if (raw === undefined) return undefined;
  return parseNumber(optionOf(flag), raw);
}

export function parseNumber(option: string, raw: string): number {
  const trimmed = raw.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new OptionError(option, `${flagOf(option)} must be a number, got '${raw}'.`);
  }
  return value;
}

export function integerFlag(args: ParsedArgs, flag: string): number | undefined {
  const value = numberFlag(args, flag);
  if (value !== undefined && !Number.isInteger(value)) {
    throw new OptionError(optionOf(flag), `${flagOf(optionOf(flag))} must be a whole number, got ${value}.`);
  }
  return value;
}

/** `--wd 1e-2,1e-3,0` → numbers. */
export function numberListFlag(args: ParsedArgs, flag: string): number[] | undefined {
  const raw = stringFlag(args, flag);
  if (raw === undefined) return undefined;
  const option = optionOf(flag);
  const parts = raw.split(',').filter((p) => p.trim() !== '');
  if (parts.length === 0) throw new OptionError(option, `${flagOf(option)} needs at least one value, got '${raw}'.`);
  return parts.map((p) => parseNumber(option, p));
}

export function choiceFlag<T extends string>(args: ParsedArgs, flag: string, choices: readonly T[]): T | undefined {
  const raw = stringFlag(args, flag);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) {
    const option = optionOf(flag);
    throw new OptionError(option, `${flagOf(option)} must be one of ${choices.join(', ')}, got '${raw}'.`);
  }
  return raw as T;
}

/** `--budget 90`, `90s`, `5m`, `1.5h` → seconds. */
export function durationFlag(args: ParsedArgs, flag: string): number | undefined {
  const raw = stringFlag(args, flag);
  if (raw === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/i.exec(raw);
  const value = match === null ? Number.NaN : Number(match[1]) * ({ s: 1, m: 60, h: 3600 }[(match[2] ?? 's').toLowerCase() as 's' | 'm' | 'h']);
  if (!Number.isFinite(value) || value <= 0) {
    throw new OptionError(optionOf(flag), `${flagOf(optionOf(flag))} must be a positive duration like 60s, 5m or 1h, got '${raw}'.`);
  }
  return value;
}
