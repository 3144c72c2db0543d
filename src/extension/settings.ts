/**
 * The `lrlab.*` settings as request fields, without vscode (so unit tests can check them): which
 * level's value counts, and the "Find learning rate with options…" overrides. The settings
 * themselves (names, types, defaults, texts) are the option table's (`src/protocol/options.ts`).
 */
import type { OptionName, RequestSources, SettingName } from '../protocol/options';
import { closest } from '../protocol/didYouMean';
import { OPTION_NAMES, flagFor, renameFlags, specOf } from '../protocol/options';
import { checkLrTrials, checkNumberOption, decimalNumber, inexactInteger, numberExpected, settingValue } from '../protocol/optionRules';
import { LrLabError, OptionError } from '../protocol/errors';

function isOptionName(name: string): name is OptionName {
  return (OPTION_NAMES as readonly string[]).includes(name);
}

/** The levels of `WorkspaceConfiguration.inspect()` a user sets (not the defaults of package.json or other extensions). */
export interface SettingInspection {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
  readonly globalLanguageValue?: unknown;
  readonly workspaceLanguageValue?: unknown;
  readonly workspaceFolderLanguageValue?: unknown;
}

/**
 * The value the user set for a setting, at the level VS Code gives precedence to (language-specific
 * before plain; folder before workspace before user), or `undefined` when none is set: a setting
 * left at its default is never sent, so it never overrides what the model's compile says. A
 * `null` set at a level (e.g. a workspace undoing a user's `lrlab.momentum`) is returned as set.
 */
export function explicitValue(inspection: SettingInspection | undefined): unknown {
  if (inspection === undefined) return undefined;
  const levels = [
    inspection.workspaceFolderLanguageValue,
    inspection.workspaceLanguageValue,
    inspection.globalLanguageValue,
    inspection.workspaceFolderValue,
    inspection.workspaceValue,
    inspection.globalValue,
  ];
  return levels.find((v) => v !== undefined);
}

/** Options a user may override for one run of "Find learning rate with options…" (the numeric find-lr settings). */
export const OVERRIDABLE = ['seed', 'batchSize', 'startLr', 'endLr', 'steps', 'smoothing', 'diverge', 'rangeRetries', 'rangeTests', 'lrTrials', 'trialSeeds', 'momentum', 'weightDecay'] as const satisfies readonly OptionName[];
export type Overridable = (typeof OVERRIDABLE)[number];

/** `startLr=1e-6 steps=200` → fields; a message naming the first bad part otherwise. */
export function parseOverrides(text: string): { values: Partial<Record<Overridable, number>>; error: string | null } {
  const values: Partial<Record<Overridable, number>> = {};
  for (const part of text.split(/\s+/).filter((p) => p !== '')) {
    const match = /^([a-zA-Z]+)=(.+)$/.exec(part);
    if (match === null) return { values, error: `'${part}' is not name=value` };
    const [, name = '', raw = ''] = match;
    const option = OVERRIDABLE.find((o) => o === name);
    if (option === undefined) {
      // As the CLI answers a mistyped flag: `stepz=40` read "not an option here (seed, batchSize, …)", the intended one unnamed.
      const guess = closest(name, OVERRIDABLE);
      return { values, error: `'${name}' is not an option here${guess === undefined ? '' : ` — did you mean ${guess}?`} (${OVERRIDABLE.join(', ')})` };
    }
    // `seed=1 seed=2` ran at 2; the CLI refuses `--seed 1 --seed 2` the same way.
    const before = values[option];
    const value = decimalNumber(raw);
    if (value === undefined) return { values, error: `${name} must be ${numberExpected(raw)}, got '${raw}'` };
    if (before !== undefined && before !== value) return { values, error: `${name} is given twice, ${before} and then ${raw}: give it once` };
    const inexact = specOf(option).type === 'integer' ? inexactInteger(value, raw) : null;
    if (inexact !== null) return { values, error: `${name} must be ${inexact}` };
    // The engine's own checks, in the box's words: `steps=-5` closed the box and the run then failed on `--steps`.
    try {
      if (option === 'lrTrials') checkLrTrials(value, raw);
      else checkNumberOption(option, value, raw);
    } catch (error) {
      if (!(error instanceof OptionError)) throw error;
      return { values, error: renameFlags(error.message, (options) => (options.includes(option) ? name : undefined)).replace(/\.$/, '') };
    }
    values[option] = value;
  }
  const { startLr, endLr } = values;
  if (startLr !== undefined && endLr !== undefined && startLr >= endLr) return { values, error: `startLr (${startLr}) must be below endLr (${endLr}): the test sweeps the LR upwards` };
  return { values, error: null };
}

/**
 * An engine's refusal of a value that came from a `lrlab.*` setting, in the setting's words: the
 * message named the CLI flag (`--lr-trials must be …`) to a user who never typed one. Any other
 * error is returned as it is.
 */
export function inSettingTerms(error: LrLabError, sources: RequestSources | undefined): LrLabError {
  const option = error.option;
  if (error.code !== 'bad-option' || option === null || !isOptionName(option) || sources?.[option] !== 'setting') {
    // Another error that names a flag of a value from a setting ("--backend tensorflow needs
    // @tensorflow/tfjs-node … or use --backend wasm"): the setting, which is what the user set.
    const message = settingWords(error.message, sources);
    const fix = error.fix === null ? null : settingWords(error.fix, sources);
    if (message === error.message && fix === error.fix) return error;
    return new LrLabError(error.code, message, { ...(fix === null ? {} : { fix }), ...(option === null ? {} : { option }), ...(error.file === null ? {} : { file: error.file }), ...(error.line === null ? {} : { line: error.line }), cause: error });
  }
  const setting = `lrlab.${option}`;
  // Every flag of a value that came from a setting, as that setting (`--start-lr (1) must be below --end-lr (0.1)`
  // with both set); the flag of the value at fault as "the setting …".
  const named = error.message.includes(flagFor(option)) ? settingWords(error.message, sources, option) : `The setting ${setting}: ${settingWords(error.message, sources)}`;
  const message = `${named.charAt(0).toUpperCase()}${named.slice(1)}`;
  const then = error.fix === null ? null : settingWords(error.fix, sources);
  const fix = `Change ${setting} in Settings (or remove it to use the default)${then === null ? '.' : `; ${then.charAt(0).toLowerCase()}${then.slice(1)}`}`;
  return new LrLabError('bad-option', message, { option, fix, ...(error.file === null ? {} : { file: error.file }), ...(error.line === null ? {} : { line: error.line }) });
}

/**
 * `text` with the flag of each option whose value came from a setting named as that setting
 * (`--batch-size` → `lrlab.batchSize`; `atFault`'s as "the setting lrlab.…"). A flag is matched whole
 * (`--lr` is not in `--lr-trials`).
 */
function settingWords(text: string, sources: RequestSources | undefined, atFault?: OptionName): string {
  if (sources === undefined) return text;
  return renameFlags(text, (options) => {
    const n = options.find((o) => sources[o] === 'setting');
    return n === undefined ? undefined : n === atFault ? `the setting lrlab.${n}` : `lrlab.${n}`;
  });
}

/**
 * A result's notes as the panel shows them, in the user's terms: where a value came from a
 * setting, its flag is named as the setting ("(lrlab.batchSize 16 instead of its batch size 128 …)",
 * "cpu backend chosen with lrlab.backend cpu"); the engine writes them as the CLI says them.
 * Only the notes (`warnings`, `backendNote`, at any depth): numbers and curves are untouched.
 */
export function resultInSettingTerms<T>(result: T, sources: RequestSources | undefined): T {
  if (sources === undefined || !Object.values(sources).includes('setting')) return result;
  const walk = (value: unknown, key: string | null): unknown => {
    if (typeof value === 'string') return key === 'warnings' || key === 'backendNote' ? settingWords(value, sources) : value;
    if (Array.isArray(value)) return key === 'points' || key === 'curve' ? value : value.map((v) => walk(v, key === 'warnings' ? 'warnings' : null));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
  };
  return walk(result, null) as T;
}

/**
 * A setting set to a value of another type (`"lrlab.batchSize": "64"`), as an error naming it;
 * `null` when `raw` is unset or of the setting's type. The run used the default without a word.
 */
export function settingTypeError(name: SettingName, raw: unknown): LrLabError | null {
  if (raw === undefined || raw === null || settingValue(name, raw) !== undefined) return null;
  const spec = specOf(name);
  const wanted = spec.type === 'integer' ? 'a whole number' : spec.type === 'number' || spec.type === 'duration' ? 'a number' : spec.type === 'choice' ? `one of ${spec.choices.join(', ')}` : spec.type === 'boolean' ? 'true or false' : spec.type === 'numberList' ? 'a list of numbers' : 'a string';
  const shown = typeof raw === 'string' ? `"${raw}" (text)` : (JSON.stringify(raw) as string | undefined) ?? typeof raw;
  return new LrLabError('bad-option', `The setting lrlab.${name} is ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}; it must be ${wanted}.`, { option: name, fix: `Change lrlab.${name} in Settings${typeof raw === 'string' && decimalNumber(raw) !== undefined ? ` (in settings.json without quotes: ${raw.trim()})` : ''}, or remove it to use the default.` });
}
