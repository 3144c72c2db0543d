/**
 * Turning CLI strings into typed option values, by the option table (`src/protocol/options.ts`):
 * each option's flag, aliases and type come from there. Every failure is an `OptionError` naming
 * the option by its protocol name; the message shows the flag the user typed.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OptionError } from '../../protocol/errors';
import type { CommandName, OptionName, OptionValue } from '../../protocol/options';
import { OPTION_NAMES, flagFor, flagsOf, optionsOf, specOf } from '../../protocol/options';
import { checkBudget, checkNumberOption, decimalNumber, numberExpected, parseDuration } from '../../protocol/optionRules';
import { closest } from '../../protocol/didYouMean';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | undefined>;
  /** What followed a `--`: a training script's own arguments. */
  readonly rest?: readonly string[];
}

/** Protocol name (`maxLr`) of a flag (`max-lr`). */
export function optionOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The parseArgs spec of one or more commands (sweep: `sweep` and `short-runs`): every option's flag and aliases, and `--help`. */
export function flagSpec(...commands: CommandName[]): FlagSpec {
  const spec: FlagSpec = { help: { type: 'boolean', short: 'h' } };
  for (const command of commands) {
    for (const name of optionsOf(command)) {
      const option = specOf(name);
      const type = option.type === 'boolean' ? 'boolean' : 'string';
      for (const flag of flagsOf(name)) spec[flag] = { type };
    }
  }
  return spec;
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

/**
 * Dashes that are not `-`: hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal
 * bar, minus sign, small and full-width hyphen-minus. A web page or a word processor turns `--`
 * into one of these, and a pasted `—max-lr 0.1` would else read as a second model file.
 */
const DASHES = '\u2010-\u2015\u2212\uFE58\uFE63\uFF0D';
const LOOK_ALIKE_DASHES = new RegExp(`^[${DASHES}]+`);
const LEADING_DASHES = new RegExp(`^[${DASHES}-]+`);
const ANY_DASH = new RegExp(`[${DASHES}]`, 'g');

/** `—max-lr` → `--max-lr` (with the dash it starts with), when `word` is an option typed with look-alike dashes. */
export function lookAlikeFlag(word: string): { dash: string; flag: string } | undefined {
  const dashes = LOOK_ALIKE_DASHES.exec(word)?.[0];
  if (dashes === undefined || !/^[A-Za-z]/.test(word.slice(dashes.length))) return undefined;
  const rest = word.slice(dashes.length).replace(LEADING_DASHES, '');
  return { dash: dashes, flag: `--${rest.replace(ANY_DASH, '-')}` };
}

/** How to say a look-alike dash: `'—' (U+2014)`. */
export function lookAlikeText(word: string, found: { dash: string; flag: string }): string {
  const code = `U+${(found.dash.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${word}' starts with '${found.dash}' (${code}), not two hyphens (pasted from a web page or a document?): type it as ${found.flag}`;
}

/** The commands whose flags `command`'s parser reads (`sweep` reads its short-run mode's too). */
function commandsOf(command: string): string[] {
  return command === 'sweep' ? ['sweep', 'short-runs'] : [command];
}

/** The option a flag (no dashes) names: among `command`'s where it is one of them, else any. */
function optionByFlag(flag: string, command: string): OptionName | undefined {
  const named = OPTION_NAMES.filter((n) => flagsOf(n).includes(flag));
  const own = named.find((n) => (specOf(n).commands as readonly string[]).some((c) => commandsOf(command).includes(c)));
  return own ?? named[0];
}

/** Commands (as a user types them) whose flags include `flag` (no dashes): `--max-lr` is train's and schedule's, not find-lr's. */
function commandsWithFlag(flag: string): string[] {
  const commands = new Set<string>();
  for (const name of OPTION_NAMES) {
    const spec = specOf(name);
    if (!flagsOf(name).includes(flag)) continue;
    for (const command of spec.commands) commands.add(command === 'short-runs' ? 'sweep --short-runs' : command);
  }
  return [...commands];
}

/** The placeholder `--help` shows after a flag (`N`, `X`), or `VALUE`. */
function placeholderOf(flag: string, command: string): string {
  const name = optionByFlag(flag, command);
  const spec = name === undefined ? undefined : specOf(name);
  return spec !== undefined && spec.type !== 'boolean' && spec.arg !== undefined ? spec.arg : 'VALUE';
}

/** node's parseArgs error as one line of ours: its messages run over several lines and name no fix. */
function parseArgsMessage(text: string, argv: readonly string[], spec: FlagSpec, command: string): { option: string; message: string } {
  const first = text.split('\n')[0] ?? text;
  const flag = /'(--?[\w-]+)/.exec(first)?.[1] ?? 'arguments';
  const typed = flag.replace(/^-+/, '').split('=')[0] ?? '';
  const option = optionOf(typed);
  if (/argument is ambiguous/.test(first)) {
    // `--max-lr --epochs 1`: the value was forgotten, and node took nothing.
    // The occurrence whose next word is an option (a flag given twice has an earlier one with its value).
    const at = argv.findIndex((word, i) => word === flag && (argv[i + 1] ?? '').startsWith('-'));
    const next = argv[at + 1] ?? '';
    return { option, message: `${flag} needs a value (${flag} ${placeholderOf(typed, command)}), and the word after it, '${next}', is an option.` };
  }
  if (/argument missing/.test(first)) return { option, message: `${flag} needs a value (${flag} ${placeholderOf(typed, command)}).` };
  if (/^Unknown option/.test(first)) {
    const guess = closest(typed, Object.keys(spec).filter((f) => f !== 'help'));
    if (guess !== undefined) return { option, message: `Unknown option '${flag}'. Did you mean \`--${guess}\`?` };
    const elsewhere = commandsWithFlag(typed).filter((c) => c !== command);
    if (elsewhere.length > 0) return { option, message: `${flag} is not an option of lrlab ${command} (it is one of ${elsewhere.map((c) => `lrlab ${c}`).join(', ')}).` };
    return { option, message: `Unknown option '${flag}'.` };
  }
  // "Option '--json' does not take an argument", …: node's first sentence is clear.
  return { option, message: `${first.split('. ')[0] ?? first}.` };
}

/**
 * An option given twice: `--max-lr 0.1 --max-lr 0.3` silently ran at 0.3 (node keeps the last).
 * Refused with both values. The same value twice (`--json --json`, `--seed 1 --seed 1`) is
 * accepted: nothing is lost or guessed, and a command line built by appending to another (a pasted
 * recipe line plus the user's own `--json`) still runs.
 */
function refuseRepeats(tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>, command: string): void {
  const seen = new Map<string, string | boolean>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const value = token.value ?? true;
    const first = seen.get(token.name);
    if (first === undefined) {
      seen.set(token.name, value);
      continue;
    }
    if (first === value) continue;
    const name = optionByFlag(token.name, command);
    const join = name !== undefined && specOf(name).type === 'numberList' ? ` (a list is one value: ${token.rawName} ${String(first)},${String(value)})` : '';
    throw new OptionError(name ?? optionOf(token.name), `${token.rawName} is given twice, ${String(first)} and then ${String(value)}: LR Lab does not guess which one you mean.`, `Give ${token.rawName} once${join}.`);
  }
}

/**
 * Reads `argv` by `spec`. An unknown flag is a one-line OptionError that names the closest flag of
 * `command` when it looks like a typo ("did you mean `--steps`?") and how to list its options.
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec, command: string): ParsedArgs {
  // After `--`: the training script's own arguments, not LR Lab's.
  const end = argv.indexOf('--');
  const own = end < 0 ? argv : argv.slice(0, end);
  for (const word of own) {
    const found = lookAlikeFlag(word);
    if (found !== undefined) throw new OptionError(optionOf(found.flag.slice(2).split('=')[0] ?? ''), `${lookAlikeText(word, found)}.`);
  }
  const args = joinNegativeNumbers(own, spec);
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: FlagSpec; strict: true; allowPositionals: true; tokens: true }>>;
  try {
    parsed = parseArgs({ args, options: spec, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    const { option, message } = parseArgsMessage(error instanceof Error ? error.message : String(error), args, spec, command);
    throw new OptionError(option, message, `Run \`lrlab help ${command}\` for its options.`);
  }
  refuseRepeats(parsed.tokens, command);
  return { positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined>, ...(end < 0 ? {} : { rest: argv.slice(end + 1) }) };
}

export function booleanFlag(args: ParsedArgs, flag: string): boolean | undefined {
  const v = args.values[flag];
  return typeof v === 'boolean' ? v : undefined;
}

/**
 * A number: accepts `1e-3`, `0.1`, `100`; rejects `abc`, `1e`, ``, non-finite values and
 * non-decimal forms (`0x10`, which `Number` reads as 16). `1,5` hints at the decimal point.
 */
export function parseNumber(option: string, raw: string, flag = flagFor(option as OptionName)): number {
  const value = decimalNumber(raw);
  if (value === undefined) {
    const comma = /^\s*[+-]?\d+,\d+\s*$/.test(raw) ? ` (a decimal point, not a comma: ${raw.trim().replace(',', '.')})` : '';
    // `0x10`, `0b11`: numbers to JavaScript, not what a user means by a learning rate or a count.
    throw new OptionError(option, `${flag} must be ${numberExpected(raw)}, got '${raw}'${comma}.`);
  }
  // Below the smallest double (1e-400): read as 0, it was refused as "got 0", which the user never typed.
  if (value === 0 && /[1-9]/.test(raw.replace(/e.*$/i, ''))) {
    // The option's own lower bound where it has one above 0 (an LR's 1e-30: 1e-300 would be refused in turn).
    const spec = (OPTION_NAMES as readonly string[]).includes(option) ? specOf(option as OptionName) : null;
    const min = spec !== null && (spec.type === 'number' || spec.type === 'integer') ? spec.range?.min : undefined;
    const floor = min !== undefined && min > 0 ? min : 1e-300;
    throw new OptionError(option, `${flag} ${raw.trim()} is below the smallest number LR Lab can hold (about 5e-324): it reads as 0.`, `Give a value of ${floor} or more.`);
  }
  return value;
}

/** What the command line gave for an option (its flag, else its first alias given), and the flag as typed. */
function given(args: ParsedArgs, name: OptionName): { raw: string | boolean; flag: string } | undefined {
  const flags = flagsOf(name);
  const both = flags.filter((f) => args.values[f] !== undefined);
  // `--wd 1e-4 --weight-decay 1e-3`: one option under two names; refused rather than one silently winning.
  if (both.length > 1) throw new OptionError(name, `--${both[0] ?? ''} and --${both[1] ?? ''} are the same option, given twice.`, `Give ${flagFor(name)} once.`);
  const flag = both[0];
  const raw = flag === undefined ? undefined : args.values[flag];
  return flag === undefined || raw === undefined ? undefined : { raw, flag: `--${flag}` };
}

/**
 * One option's value from the command line, typed by the option table; `undefined` when it was
 * not given. Checks the form (a number, a whole number, one of the choices, a duration); ranges
 * are the engine's to check, so the CLI and the editor get the same messages.
 */
export function readOption<K extends OptionName>(args: ParsedArgs, name: K): OptionValue<K> | undefined {
  const found = given(args, name);
  if (found === undefined) return undefined;
  const { raw, flag } = found;
  const spec = specOf(name);
  if (spec.type === 'boolean') return (raw === true) as OptionValue<K>;
  const text = String(raw);
  switch (spec.type) {
    case 'number':
      return parseNumber(name, text, flag) as OptionValue<K>;
    case 'integer': {
      const value = parseNumber(name, text, flag);
      if (!Number.isInteger(value)) throw new OptionError(name, `${flag} must be a whole number, got ${value}.`);
      // Past 2^53 − 1 the number read is not the one typed (9007199254740993 → …992): the table's rule says so with the text as typed.
      if (!Number.isSafeInteger(value)) checkNumberOption(name, value, text.trim());
      return value as OptionValue<K>;
    }
    case 'choice':
      if (!spec.choices.includes(text)) throw new OptionError(name, `${flag} must be one of ${spec.choices.join(', ')}, got '${text}'.`);
      return text as OptionValue<K>;
    case 'string':
      return text as OptionValue<K>;
    case 'path':
      // An empty one resolves to the folder lrlab runs in: `--save ""` wrote model.json there.
      if (text.trim() === '') throw new OptionError(name, `${flag} must name a path, got an empty one.`);
      return path.resolve(text) as OptionValue<K>;
    case 'numberList': {
      const parts = text.split(',');
      if (parts.every((p) => p.trim() === '')) throw new OptionError(name, `${flag} needs at least one value, got '${text}'.`);
      // An empty item ('1e-3,,1e-4') is a typo, and a value twice runs the same curve or size twice.
      if (parts.some((p) => p.trim() === '')) throw new OptionError(name, `${flag} has an empty value in '${text}': separate the values with single commas.`);
      const values = parts.map((p) => {
        const value = decimalNumber(p);
        if (value === undefined) throw new OptionError(name, `${flag} takes decimal numbers separated by commas, and '${p.trim()}' in '${text}' is not one.`);
        return value;
      });
      const twice = values.find((v, i) => values.indexOf(v) !== i);
      if (twice !== undefined) throw new OptionError(name, `${flag} lists ${twice} twice in '${text}': each value runs once.`);
      return values as OptionValue<K>;
    }
    case 'duration': {
      const seconds = parseDuration(text);
      if (seconds === undefined) throw new OptionError(name, `${flag} must be a positive duration like 60s, 5m or 1h, got '${text}'.`);
      return (name === 'budgetSeconds' ? checkBudget(seconds) : seconds) as OptionValue<K>;
    }
  }
}

/** Several options as request fields: only those given, each typed by the table. */
export function readOptions<K extends OptionName>(args: ParsedArgs, names: readonly K[]): { [P in K]?: OptionValue<P> } {
  const out: { [P in K]?: OptionValue<P> } = {};
  for (const name of names) {
    const value = readOption(args, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
