/**
 * The library's options, checked in the library's own words. An application calls
 * `findLr(model, data, { endLR: 10 })` from plain JavaScript as often as from TypeScript: an option
 * LR Lab does not know is refused with the nearest name it does (it used to be ignored, so the test
 * ran at the defaults), a value of the wrong type says so (`'32'` is a string, not 32), and the
 * engine's errors name the option as the call spells it (`endLr`), not as the CLI flag (`--end-lr`).
 */
import { LrLabError, OptionError } from '../protocol/errors';
import { FLAG_OPTIONS, OPTION_NAMES, flagsOf, renameFlags, specOf } from '../protocol/options';
import type { OptionName } from '../protocol/options';

/** The type a value must have: from the option table for the engine's options, by hand for the schedules'. */
export type ValueKind = 'number' | 'boolean' | 'string' | 'numberList' | 'any' | { readonly choices: readonly string[] };

/** Each CLI flag's options: a few share one across commands (`--steps`: `steps`, and `rows` of schedule). */

/** The kind of value an engine option takes (`specOf`). */
export function kindOfOption(name: OptionName): ValueKind {
  const spec = specOf(name);
  switch (spec.type) {
    case 'number':
    case 'integer':
    case 'duration':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'choice':
      return { choices: spec.choices };
    case 'string':
    case 'path':
      return 'string';
    case 'numberList':
      return 'numberList';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${value}`;
  return typeof value;
}

function matches(kind: ValueKind, value: unknown): boolean {
  if (typeof kind === 'object') return typeof value === 'string' && kind.choices.includes(value);
  switch (kind) {
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'numberList':
      return Array.isArray(value) && value.every((v) => typeof v === 'number');
    case 'any':
      return true;
  }
}

const KIND_TEXT: Readonly<Record<Exclude<ValueKind, object>, string>> = { number: 'a number', boolean: 'true or false', string: 'a string', numberList: 'an array of numbers', any: 'a value' };

function kindText(kind: ValueKind): string {
  return typeof kind === 'object' ? `one of ${kind.choices.map((c) => `'${c}'`).join(', ')}` : KIND_TEXT[kind];
}

/** Edit distance, for "did you mean": case counts as a small difference (`endLR` → `endLr`). */
function distance(a: string, b: string): number {
  if (a.toLowerCase() === b.toLowerCase()) return 0.5;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * Refuses an options argument that is no plain object, a key that `fn` does not take (naming the
 * nearest one it does) and a value of the wrong type. `undefined` values are "not given".
 */
export function checkLibraryOptions(fn: string, options: unknown, kinds: Readonly<Record<string, ValueKind>>, example: string, required = false): void {
  if (options === undefined && !required) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new OptionError('options', `${fn}(): the options must be an object like ${example}, got ${options === undefined ? 'none' : describe(options)}.`);
  }
  const known = Object.keys(kinds);
  for (const [key, value] of Object.entries(options)) {
    // Own keys only: JSON.parse gives an own "__proto__" key, which read Object.prototype here (a TypeError).
    const kind = Object.hasOwn(kinds, key) ? kinds[key] : undefined;
    if (kind === undefined) {
      // The CLI's names of an option (its flag, an alias: --wd, --beta1) name the option meant.
      const alias = OPTION_NAMES.find((name) => known.includes(name) && flagsOf(name).some((a) => a === key || a === key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)));
      const nearest = known.map((name) => ({ name, d: distance(key, name) })).sort((a, b) => a.d - b.d)[0];
      const guess = alias !== undefined ? `; did you mean ${alias}?` : nearest !== undefined && nearest.d <= Math.max(1, Math.floor(key.length / 4)) ? `; did you mean ${nearest.name}?` : '.';
      throw new OptionError(key, `${fn}(): unknown option ${JSON.stringify(key)}${guess}`, `${fn}() takes ${known.join(', ')}.`);
    }
    if (value !== undefined && !matches(kind, value)) {
      throw new OptionError(key, `${fn}(): ${key} must be ${kindText(kind)}, got ${describe(value)}.`);
    }
  }
}

/**
 * A CLI flag in an engine message as the library's option (`--end-lr 10` → `endLr: 10`, `--max-lr`
 * → `maxLr`); where options share a flag, the one the function takes, else the error's own. Flags
 * given one after another are options of one call: `--start-lr 1e-7 --end-lr 10` → `startLr: 1e-7, endLr: 10`.
 */
function inLibraryWords(text: string, names: readonly string[], own: string | null): string {
  const nameOf = (flag: string): string | undefined => {
    const candidates: readonly string[] = FLAG_OPTIONS.get(flag) ?? [];
    return candidates.find((c) => names.includes(c)) ?? candidates.find((c) => c === own) ?? candidates[0];
  };
  const pair = /(--[a-z][a-z0-9-]*) (-?\d[\d.e+-]*\d|-?\d)(?=[\s,;.)]|$)/g;
  const pairs = text.replace(new RegExp(`${pair.source}(?: ${pair.source})*`, 'g'), (run: string) =>
    [...run.matchAll(pair)].map(([all, flag, value]) => {
      const name = nameOf(flag!);
      return name === undefined ? all : `${name}: ${value!}`;
    }).join(', '),
  );
  // A negated flag is the option set to false in the library (--no-cycle-momentum: cycleMomentum: false).
  const negated = pairs.replace(/--no-([a-z][a-z0-9-]*)/g, (flag: string, rest: string) => {
    const name = rest.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    return names.includes(name) ? `${name}: false` : flag;
  });
  return renameFlags(negated, (_options, flag) => nameOf(flag));
}

/**
 * A model file's words for its data (`loadData()`) as the library's: the data the call was given
 * (`return a validation split from loadData()` → `pass validationData`), else "the data".
 */
function dataWords(text: string): string {
  return text
    .replace(/\breturn a validation split from loadData\(\)/g, 'pass validationData')
    .replace(/\bReturn \{ train: \{ xs, ys \} \} from loadData\(\)/g, 'Pass { xs, ys }')
    .replace(/\bon the dataset in loadData\(\)/g, 'on the dataset you pass')
    .replace(/\bthe dataset pipeline built in loadData\(\)/g, 'the pipeline that builds the dataset')
    .replace(/\bin loadData\(\)/g, 'in the data')
    .replace(/\bloadData\(\) returned\b/g, 'the data given is')
    .replace(/\bloadData\(\)/g, 'the data');
}

/**
 * An error from the engine as the library's caller reads it: options by their names (`names`: the
 * ones `fn` takes), the function named. `model`: the name of the model the call was given, which
 * the engine carries where a model file's path would be — no file, so no `file` (a real one, the
 * caller's dataset code at a line, stays).
 */
export function libraryError(fn: string, error: unknown, names: readonly string[] = [], model: string | null = null): unknown {
  if (!(error instanceof LrLabError)) return error;
  const message = dataWords(inLibraryWords(error.message, names, error.option));
  // Its cause is what the engine's error had (a user's own error), not the engine's wording of this
  // same message: Node printed both, one as the other's [cause].
  const details: { fix?: string; file?: string; line?: number; option?: string; cause?: unknown } = error.cause === undefined ? {} : { cause: error.cause };
  if (error.fix !== null) details.fix = dataWords(inLibraryWords(error.fix, names, error.option));
  if (error.file !== null && error.file !== model) details.file = error.file;
  if (error.line !== null) details.line = error.line;
  if (error.option !== null) details.option = error.option;
  // A sentence's capital goes after the colon ("findLr(): The run was cancelled."); a name's stays (LR, LrLabError).
  const named = message.startsWith(`${fn}(): `) ? message : `${fn}(): ${/^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message}`;
  return error instanceof OptionError ? new OptionError(error.option ?? '', named, details.fix) : new LrLabError(error.code, named, details);
}

/** `f`, with its errors in the library's words (`libraryError`). */
export function inLibraryTerms<A extends unknown[], R>(fn: string, f: (...args: A) => R, names: readonly string[] = []): (...args: A) => R {
  return (...args: A): R => {
    try {
      return f(...args);
    } catch (error) {
      throw libraryError(fn, error, names);
    }
  };
}
