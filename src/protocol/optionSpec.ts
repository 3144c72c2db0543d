/** The shape of an entry of the option table (`src/protocol/options.ts`). */

/** The CLI commands, plus `short-runs` (the `--short-runs` mode of `lrlab sweep`). */
export type CommandName = 'find-lr' | 'sweep' | 'short-runs' | 'train' | 'batch-size' | 'recipe' | 'schedule';

/** "Default: the value of the user's `model.compile`", with the fallback in words. */
export interface FromCompile {
  readonly fromCompile: true;
  /** What is used when the model's compile says nothing, e.g. 'sgd' or '0.9 for sgd/nesterov'. */
  readonly otherwise: string;
}

export interface NumberRange {
  readonly min?: number;
  readonly exclusiveMin?: number;
  readonly max?: number;
  readonly exclusiveMax?: number;
}

export interface SettingSpec {
  /** The commands the setting applies to, when fewer than the option's (`lrlab.steps` is the range test's, not the short runs'). */
  readonly commands?: readonly CommandName[];
  /** VS Code setting scope (package.json `scope`); resource when absent for options the engine takes. */
  readonly scope?: 'application' | 'machine' | 'window' | 'resource';
  /** Listed in `capabilities.untrustedWorkspaces.restrictedConfigurations`. */
  readonly restricted?: boolean;
}

interface SpecBase<V> {
  /** One or two sentences: the setting's description and the CLI help line. */
  readonly help: string;
  readonly commands: readonly CommandName[];
  /** The CLI flag without `--`, when it is not the kebab-case of the name (`targetAccuracy` → `target-acc`). */
  readonly flag?: string;
  readonly aliases?: readonly string[];
  /** Placeholder after the flag in `--help` (`--start-lr X`). */
  readonly arg?: string;
  readonly default?: V | FromCompile;
  /** Words for a default that is not one value (`all`, `max/10`, per schedule policy). */
  readonly defaultText?: string;
  /** Another help text or default for one command (`--steps` of short runs). */
  readonly byCommand?: Partial<Record<CommandName, { readonly help?: string; readonly default?: V; readonly defaultText?: string }>>;
  /** Shown in `--help` of these commands by a pointer to another command's help. */
  readonly group?: 'schedule';
  /** Exposed as the `lrlab.<name>` setting. */
  readonly setting?: SettingSpec;
}

export interface NumberSpec extends SpecBase<number> {
  readonly type: 'number' | 'integer';
  readonly range?: NumberRange;
}
export interface ChoiceSpec extends SpecBase<string> {
  readonly type: 'choice';
  readonly choices: readonly string[];
}
export interface BooleanSpec extends SpecBase<boolean> {
  readonly type: 'boolean';
}
export interface TextSpec extends SpecBase<string> {
  /** `path` values are resolved against the current directory by the CLI. */
  readonly type: 'string' | 'path';
}
export interface ListSpec extends SpecBase<readonly number[]> {
  readonly type: 'numberList';
}
export interface DurationSpec extends SpecBase<number> {
  /** Seconds; the CLI takes `90`, `90s`, `5m`, `1.5h`. */
  readonly type: 'duration';
}

export type OptionSpec = NumberSpec | ChoiceSpec | BooleanSpec | TextSpec | ListSpec | DurationSpec;
