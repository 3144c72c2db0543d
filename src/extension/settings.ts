/**
 * The `lrlab.*` settings as request fields, without vscode (so unit tests can check them): which
 * level's value counts, and the "Find learning rate with options…" overrides. The settings
 * themselves (names, types, defaults, texts) are the option table's (`src/protocol/options.ts`).
 */
import type { OptionName } from '../protocol/options';
import { specOf } from '../protocol/options';
import { decimalNumber, inexactInteger, numberExpected } from '../protocol/optionRules';

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
    if (option === undefined) return { values, error: `'${name}' is not an option here (${OVERRIDABLE.join(', ')})` };
    // `seed=1 seed=2` ran at 2; the CLI refuses `--seed 1 --seed 2` the same way.
    const before = values[option];
    const value = decimalNumber(raw);
    if (value === undefined) return { values, error: `${name} must be ${numberExpected(raw)}, got '${raw}'` };
    if (before !== undefined && before !== value) return { values, error: `${name} is given twice, ${before} and then ${raw}: give it once` };
    const inexact = specOf(option).type === 'integer' ? inexactInteger(value, raw) : null;
    if (inexact !== null) return { values, error: `${name} must be ${inexact}` };
    values[option] = value;
  }
  return { values, error: null };
}
