/**
 * What the option table says about one option, for the CLI, the engine and the editor: its
 * default and help in words, its range check, a setting's value read from settings.json, and
 * its JSON schema in package.json.
 */
import { OptionError } from './errors';
import type { CommandName, FromCompile, NumberRange, NumberSpec, SettingSpec } from './optionSpec';
import type { OptionName, OptionValue, SettingName } from './options';
import { LR_RANGE, flagFor, renameFlags, specOf } from './options';
import { ownValue } from './own';

export function isFromCompile(value: unknown): value is FromCompile {
  return typeof value === 'object' && value !== null && (value as Partial<FromCompile>).fromCompile === true;
}

/** A default for people: `1e-7`, `from model.compile, else sgd`, `random`, or `null` when there is none. */
export function defaultText(name: OptionName, command?: CommandName): string | null {
  const spec = specOf(name);
  const own = command === undefined ? undefined : spec.byCommand?.[command];
  if (own?.defaultText !== undefined) return own.defaultText;
  const value: unknown = own?.default ?? spec.default;
  if (isFromCompile(value)) return `from model.compile, else ${value.otherwise}`;
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (typeof value === 'number' || (typeof value === 'string' && value !== '')) return String(value);
  return Array.isArray(value) ? value.join(',') : null;
}

/** The help text of an option for a command. */
export function helpText(name: OptionName, command?: CommandName): string {
  const spec = specOf(name);
  return (command === undefined ? undefined : spec.byCommand?.[command]?.help) ?? spec.help;
}

function rangeRule(spec: NumberSpec): string {
  const r: NumberRange = spec.range ?? {};
  const whole = spec.type === 'integer' ? 'a whole number' : '';
  const join = (text: string): string => (whole === '' ? text : `${whole} ${text}`);
  if (r.min !== undefined && r.exclusiveMax !== undefined) return join(`in [${r.min}, ${r.exclusiveMax})`);
  if (r.exclusiveMin !== undefined && r.exclusiveMax !== undefined) return join(`in (${r.exclusiveMin}, ${r.exclusiveMax})`);
  if (r.exclusiveMin !== undefined && r.max !== undefined) return join(`in (${r.exclusiveMin}, ${r.max}]`);
  if (r.min !== undefined && r.max !== undefined) return join(`between ${r.min} and ${r.max}`);
  if (r.min !== undefined) return join(`≥ ${r.min}`);
  if (r.exclusiveMin !== undefined) return whole === '' ? `greater than ${r.exclusiveMin}` : join(`greater than ${r.exclusiveMin}`);
  if (r.max !== undefined) return join(`≤ ${r.max}`);
  return whole === '' ? 'a number' : whole;
}

function inRange(spec: NumberSpec, value: number): boolean {
  const r: NumberRange = spec.range ?? {};
  return (
    Number.isFinite(value) &&
    (spec.type !== 'integer' || Number.isSafeInteger(value)) &&
    (r.min === undefined || value >= r.min) &&
    (r.exclusiveMin === undefined || value > r.exclusiveMin) &&
    (r.max === undefined || value <= r.max) &&
    (r.exclusiveMax === undefined || value < r.exclusiveMax)
  );
}

/**
 * What a whole number must be when it cannot be taken as typed, or `null`: past 2^53 − 1 a
 * JavaScript number is not exact (`9007199254740993` reads as 9007199254740992), so a seed or a
 * count that large would silently run as another value. Completes "`--seed` must be …".
 */
export function inexactInteger(value: number, typed = String(value)): string | null {
  if (!Number.isInteger(value) || Number.isSafeInteger(value)) return null;
  const [bound, beyond] = value > 0 ? [`no larger than ${Number.MAX_SAFE_INTEGER}`, 'larger'] : [`no smaller than ${-Number.MAX_SAFE_INTEGER}`, 'smaller'];
  // Digits as typed that read as another number say which; `1e300` is plainly not exact.
  const runsAs = /^[+-]?\d+$/.test(typed) && typed.replace(/^\+/, '') !== String(value) ? ` (${typed} would run as ${String(value)})` : '';
  return `a whole number ${bound}, got ${typed}: ${beyond} ones are not exact in JavaScript${runsAs}`;
}

/** The message for an integer option past 2^53 − 1, where its own range does not already stop it; else `null`. */
function inexactMessage(name: OptionName, spec: NumberSpec, value: number, typed: string): string | null {
  const must = spec.type === 'integer' ? inexactInteger(value, typed) : null;
  if (must === null) return null;
  const r: NumberRange = spec.range ?? {};
  const upper = r.max ?? r.exclusiveMax;
  const lower = r.min ?? r.exclusiveMin;
  if (value > 0 ? upper !== undefined && upper <= Number.MAX_SAFE_INTEGER : lower !== undefined && lower >= -Number.MAX_SAFE_INTEGER) return null;
  return `${flagFor(name)} must be ${must}.`;
}

/**
 * Checks a number option against its range; the error names the flag and the rule (`--smoothing
 * must be in [0, 1), got 1.`). `typed`: the value as the user wrote it, where that is known (the
 * CLI), so the message shows what they typed rather than its rounding.
 */
export function checkNumberOption(name: OptionName, value: number, typed = String(value)): number {
  const spec = specOf(name);
  if (spec.type !== 'number' && spec.type !== 'integer') throw new Error(`${name} is not a number option`);
  if (!inRange(spec, value)) throw new OptionError(name, inexactMessage(name, spec, value, typed) ?? `${flagFor(name)} must be ${rangeRule(spec)}, got ${typed}.`);
  return value;
}

/** What a number option's value must be ("must be in [0, 1)"), or `null` where `value` is in its range: for values the user did not type as that option (a model's compiled momentum). */
export function rangeBreach(name: OptionName, value: number): string | null {
  const spec = specOf(name);
  if (spec.type !== 'number' && spec.type !== 'integer') throw new Error(`${name} is not a number option`);
  return inRange(spec, value) ? null : `must be ${rangeRule(spec)}`;
}

/** Fewest steps of one short run (`--lr-trials`, `sweep --short-runs`): a 1cycle needs steps to rise and fall. */
export const MIN_TRIAL_STEPS = 10;

/** `--lr-trials`: its range, and 0 (off) or at least MIN_TRIAL_STEPS steps. */
export function checkLrTrials(value: number, typed = String(value)): number {
  checkNumberOption('lrTrials', value, typed);
  if (value > 0 && value < MIN_TRIAL_STEPS) throw new OptionError('lrTrials', `${flagFor('lrTrials')} must be 0 (off) or at least ${MIN_TRIAL_STEPS} steps, got ${typed}.`);
  return value;
}

/** `--force` given without the output it replaces (find-lr's --plot, train's --save): it was taken and silently did nothing. */
export function forceWithoutOutput(output: 'plot' | 'save'): OptionError {
  const what = output === 'plot' ? 'a file that exists at' : 'the files that exist at';
  return new OptionError('force', `${flagFor('force')} replaces ${what} ${flagFor(output)}; without ${flagFor(output)} nothing is written, and it would be ignored.`, `Add ${flagFor(output)} ${output === 'plot' ? '<file.png|file.html>' : '<dir>'}, or drop ${flagFor('force')}.`);
}

/** What a value that `decimalNumber` refused should have been: "a decimal number" where JavaScript reads it as one (`0x10`), else "a number". */
export function numberExpected(text: string): 'a decimal number' | 'a number' {
  return text.trim() !== '' && Number.isFinite(Number(text)) ? 'a decimal number' : 'a number';
}

/**
 * A number as people type it: decimal (`0.1`, `1e-3`, `-2`, `.5`), finite; else `undefined`.
 * `Number()` alone reads `0x10` as 16, `0b11` as 3 and `''` as 0: a typo that runs as another value.
 */
export function decimalNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** Checks each of `names` that `values` gives (`checkNumberOption`); absent ones are not given. */
export function checkGivenNumbers<N extends OptionName>(values: Partial<Record<N, number>>, names: readonly N[]): void {
  for (const name of names) {
    const value = values[name];
    if (value !== undefined) checkNumberOption(name, value);
  }
}

/** Longest `--budget` (per batch size, or for the whole recipe): a typo like 300h should not start. */
export const MAX_BUDGET_SECONDS = 24 * 3600;
/** The shortest --budget: about what an engine's start-up takes. */
export const MIN_BUDGET_SECONDS = 1;

/** Seconds as the user writes them: `90s`, `5m`, `25h`, `1.5h`. */
export function formatDuration(seconds: number): string {
  if (seconds >= 3600 && Number.isInteger(seconds / 360)) return `${seconds / 3600}h`;
  if (seconds >= 60 && Number.isInteger(seconds / 60)) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** A time budget, checked before any work starts; the limit is stated ("25h is over the 24h maximum"). */
export function checkBudget(seconds: number, option = 'budgetSeconds', minimum = true): number {
  const flag = flagFor('budgetSeconds');
  if (!Number.isFinite(seconds) || seconds <= 0) throw new OptionError(option, `${flag} must be a positive duration like 60s, 5m or 1h, got ${String(seconds)}.`);
  // A run's engine start-up alone takes about a second: `--budget 5ms` ran a recipe that "trained 80.1 epochs" in "the 1 s left".
  if (minimum && seconds < MIN_BUDGET_SECONDS) throw new OptionError(option, `${flag} must be at least ${formatDuration(MIN_BUDGET_SECONDS)}, got ${formatDuration(seconds)}: starting an engine alone takes about that.`, `A study or recipe needs tens of seconds to minutes.`);
  if (seconds > MAX_BUDGET_SECONDS) throw new OptionError(option, `${flag} ${formatDuration(seconds)} is over the ${formatDuration(MAX_BUDGET_SECONDS)} maximum.`, `Give ${flag} ${formatDuration(MAX_BUDGET_SECONDS)} or less.`);
  return seconds;
}

/** Seconds per duration unit, by its lower-case spellings. */
const DURATION_UNITS: Readonly<Record<string, number>> = Object.fromEntries(
  (
    [
      [['ms', 'msec', 'msecs', 'millisecond', 'milliseconds'], 0.001],
      [['s', 'sec', 'secs', 'second', 'seconds'], 1],
      [['m', 'min', 'mins', 'minute', 'minutes'], 60],
      [['h', 'hr', 'hrs', 'hour', 'hours'], 3600],
    ] as const
  ).flatMap(([names, seconds]) => names.map((name): [string, number] => [name, seconds])),
);

/**
 * `"90"`, `"90s"`, `"5m"`, `"1.5h"`, `"1m30s"`, `"1h 30min"`, `"500ms"` → seconds; `undefined` when it is
 * not a positive duration. A bare number is seconds, alone only. ("1m30s", "30sec" and "1ms" read "must be a
 * positive duration" before.)
 */
export function parseDuration(text: string): number | undefined {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)\s*([a-z]*)\s*/giy)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  let seconds = 0;
  let previous = Number.POSITIVE_INFINITY;
  for (const [, amount, unitText] of parts) {
    const unit = (unitText ?? '').toLowerCase();
    if (unit === '' && parts.length > 1) return undefined;
    const per = unit === '' ? 1 : ownValue(DURATION_UNITS, unit);
    // Largest unit first, each once (`1h30m`): "5h5h" read as 10 h and "10s5m" as 5 min 10 s.
    if (per === undefined || per >= previous) return undefined;
    previous = per;
    seconds += Number(amount) * per;
  }
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * A setting value read from settings.json (untrusted: any JSON) as the option's type, or
 * `undefined` when it is unset (`null`) or of the wrong type. Ranges are checked by the engine.
 */
export function settingValue<K extends SettingName>(name: K, raw: unknown): OptionValue<K> | undefined {
  const spec = specOf(name);
  if (raw === null || raw === undefined) return undefined;
  switch (spec.type) {
    case 'number':
    case 'integer':
    case 'duration':
      return typeof raw === 'number' && Number.isFinite(raw) ? (raw as OptionValue<K>) : undefined;
    case 'choice':
      return typeof raw === 'string' && spec.choices.includes(raw) ? (raw as OptionValue<K>) : undefined;
    case 'boolean':
      return typeof raw === 'boolean' ? (raw as OptionValue<K>) : undefined;
    case 'string':
    case 'path':
      return typeof raw === 'string' ? (raw as OptionValue<K>) : undefined;
    case 'numberList':
      return Array.isArray(raw) && raw.every((v) => typeof v === 'number') ? (raw as OptionValue<K>) : undefined;
  }
}

/** The JSON schema of one `lrlab.*` setting, exactly as package.json `contributes.configuration` holds it. */
export function settingSchema(name: SettingName): Record<string, unknown> {
  const spec = specOf(name);
  const setting: SettingSpec = spec.setting ?? {};
  const value: unknown = spec.default;
  // No single default (none, or the model's compile): the setting is `null` until the user sets it.
  const nullable = value === undefined || isFromCompile(value);
  const jsonType = spec.type === 'choice' || spec.type === 'path' ? 'string' : spec.type === 'duration' ? 'number' : spec.type === 'numberList' ? 'array' : spec.type;
  const schema: Record<string, unknown> = { type: nullable ? [jsonType, 'null'] : jsonType };
  if (spec.type === 'choice') schema['enum'] = nullable ? [...spec.choices, null] : [...spec.choices];
  schema['default'] = nullable ? null : value;
  if (spec.type === 'number' || spec.type === 'integer') {
    const r: NumberRange = spec.range ?? {};
    if (r.min !== undefined) schema['minimum'] = r.min;
    if (r.exclusiveMin !== undefined) schema['exclusiveMinimum'] = r.exclusiveMin;
    if (r.max !== undefined) schema['maximum'] = r.max;
    if (r.exclusiveMax !== undefined) schema['exclusiveMaximum'] = r.exclusiveMax;
  }
  // settings.json flags 1–9 as the engine refuses them (checkLrTrials), not only when a run starts.
  if (name === 'lrTrials') schema['not'] = { minimum: 1, maximum: MIN_TRIAL_STEPS - 1 };
  const scope = setting.scope ?? (spec.commands.length > 0 ? 'resource' : undefined);
  if (scope !== undefined) schema['scope'] = scope;
  const unset = isFromCompile(value) ? `null: from the model's compile, else ${value.otherwise}.` : nullable ? `null: ${defaultText(name) ?? 'none'}.` : '';
  // A setting's description names the other settings as settings (`lrlab.trialSeeds`), not as the CLI's flags.
  const help = renameFlags(spec.help, (options) => {
    const other = options.find((n) => specOf(n).setting !== undefined);
    return other === undefined ? undefined : `lrlab.${other}`;
  });
  schema['description'] = unset === '' ? help : `${help} ${unset}`;
  return schema;
}

/**
 * The editor's input box for a learning rate (its `validateInput`): `undefined` for one the engine
 * takes (`LR_RANGE`), else what to enter. It took any positive number, and the engine then refused
 * 1e-35 or 1e40 naming --max-lr, a flag the editor's user never typed.
 */
export function learningRateInput(text: string): string | undefined {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value >= LR_RANGE.min && value <= LR_RANGE.max ? undefined : `Enter a learning rate from ${String(LR_RANGE.min)} to ${String(LR_RANGE.max).replace('e+', 'e')} (tfjs computes in float32), e.g. 0.1`;
}
