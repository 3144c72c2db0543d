/**
 * Every option of LR Lab, once: its protocol name (the request field, `lrlab.<name>` setting and,
 * kebab-cased, the CLI flag), type, default, range or choices, help text, the commands that take
 * it, and whether the editor exposes it as a setting. The CLI's flags and `--help`, the engine's
 * defaults and checks, and package.json `contributes.configuration` all come from this table
 * (`test/unit/manifest.test.ts` checks package.json against it, defaults and texts included).
 *
 * A default of `FROM_COMPILE` means "what the user's `model.compile` says": the engine reads the
 * compiled optimizer and falls back to `otherwise` only when the model has none of its own.
 */
import type { OptimizerName } from './results';
import { BACKEND_CHOICES, OPTIMIZER_NAMES, SCHEDULE_POLICIES } from './results';
import { OptionError } from './errors';

/** The CLI commands, plus `short-runs` (the `--short-runs` mode of `lrlab sweep`). */
export type CommandName = 'find-lr' | 'sweep' | 'short-runs' | 'train' | 'batch-size' | 'recipe' | 'schedule';

/** Momentum of Smith's cyclical momentum: 0.95 at the low LRs, 0.85 at the peak (onecycle, smith, fastai). */
export const CYCLICAL_MOMENTUM = { max: 0.95, min: 0.85 } as const;

/** An optimizer's hyper-parameters; `null`: not one of this optimizer's. */
export interface OptimizerHyperParameters {
  /** SGD/Nesterov/RMSprop momentum, Adam/AdamW/Adamax beta1. */
  readonly momentum: number | null;
  readonly beta2: number | null;
  readonly epsilon: number | null;
  /** RMSprop's decay, Adadelta's rho. */
  readonly rho: number | null;
  readonly centered: boolean | null;
  readonly initialAccumulatorValue: number | null;
  /** Adamax's LR decay per iteration (tfjs's `decay`). */
  readonly decay: number | null;
}

const NO_HYPER: OptimizerHyperParameters = { momentum: null, beta2: null, epsilon: null, rho: null, centered: null, initialAccumulatorValue: null, decay: null };
const ADAM: OptimizerHyperParameters = { ...NO_HYPER, momentum: 0.9, beta2: 0.999, epsilon: 1e-8 };
/** tfjs's epsilon where its optimizers take the backend's (cpu, wasm and tensorflow: 1e-7). */
const TFJS_EPSILON = 1e-7;

/**
 * What an optimizer runs with when neither a flag, a setting nor the model's compile says: SGD
 * momentum 0.9 (Smith's range-test default), Adam's PyTorch defaults, and tfjs's own defaults for
 * the optimizers only tfjs has (`tf.train.rmsprop(lr)` has momentum 0).
 */
export const OPTIMIZER_DEFAULTS: Readonly<Record<OptimizerName, OptimizerHyperParameters>> = {
  sgd: { ...NO_HYPER, momentum: 0.9 },
  nesterov: { ...NO_HYPER, momentum: 0.9 },
  adam: ADAM,
  adamw: ADAM,
  adamax: { ...NO_HYPER, momentum: 0.9, beta2: 0.999, epsilon: TFJS_EPSILON, decay: 0 },
  rmsprop: { ...NO_HYPER, momentum: 0, rho: 0.9, epsilon: TFJS_EPSILON, centered: false },
  adagrad: { ...NO_HYPER, epsilon: TFJS_EPSILON, initialAccumulatorValue: 0.1 },
  adadelta: { ...NO_HYPER, rho: 0.95, epsilon: TFJS_EPSILON },
};

/** "sgd, nesterov 0.9; rmsprop 0" — an optimizer default in words, for the help and the settings. */
function perOptimizer(key: 'momentum' | 'beta2' | 'epsilon'): string {
  const groups = new Map<string, OptimizerName[]>();
  for (const name of OPTIMIZER_NAMES) {
    const value = OPTIMIZER_DEFAULTS[name][key];
    if (value !== null) groups.set(String(value), [...(groups.get(String(value)) ?? []), name]);
  }
  return [...groups].map(([value, names]) => `${value} (${names.join(', ')})`).join(', ');
}

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

const FROM_COMPILE_SGD: FromCompile = { fromCompile: true, otherwise: 'sgd' };

/** Commands that run the user's model. */
const MODEL_COMMANDS = ['find-lr', 'sweep', 'short-runs', 'train', 'batch-size', 'recipe'] as const;
const RANGE_COMMANDS = ['find-lr', 'sweep'] as const;
const SCHEDULE_COMMANDS = ['schedule', 'train'] as const;
/** Options of the engine's optimizer (every command that trains, batch-size and recipe included). */
const TRAINING_COMMANDS = MODEL_COMMANDS;

export const OPTIONS = {
  // --- The model source -------------------------------------------------------------------------
  data: { type: 'path', arg: 'FILE.csv', help: 'CSV data for a tfjs model.json.', commands: MODEL_COMMANDS },
  label: { type: 'string', arg: 'COLUMN', help: 'Label column of --data.', commands: MODEL_COMMANDS },
  workspace: { type: 'path', arg: 'DIR', help: "Folder whose node_modules may hold your own @tensorflow/tfjs-node.", defaultText: "the model's folder and up", commands: MODEL_COMMANDS },
  // --- Every run --------------------------------------------------------------------------------
  backend: {
    type: 'choice',
    choices: BACKEND_CHOICES,
    default: 'auto',
    help: "TensorFlow.js backend for the engine. auto: the workspace's @tensorflow/tfjs-node, then the extension's, then wasm, then cpu.",
    commands: MODEL_COMMANDS,
    setting: {},
  },
  seed: {
    type: 'integer',
    arg: 'N',
    help: 'Seed for initialization, dropout and shuffling: the same seed gives the same curve on the same backend.',
    defaultText: 'random',
    commands: MODEL_COMMANDS,
    setting: {},
  },
  optimizer: {
    type: 'choice',
    choices: OPTIMIZER_NAMES,
    default: FROM_COMPILE_SGD,
    help: 'Optimizer the experiments train with (an LR found with SGD is in the wrong decade for Adam).',
    commands: TRAINING_COMMANDS,
    setting: {},
  },
  batchSize: {
    type: 'integer',
    arg: 'N',
    default: 64,
    range: { min: 1 },
    help: 'Batch size of the range test and the training runs.',
    commands: ['find-lr', 'sweep', 'short-runs', 'train', 'recipe'],
    setting: {},
  },
  validationSplit: {
    type: 'number',
    arg: 'F',
    default: 0.2,
    range: { exclusiveMin: 0, exclusiveMax: 1 },
    help: 'Share of the data held out for validation when loadData() returns no validation split.',
    commands: MODEL_COMMANDS,
  },
  // --- The LR range test ------------------------------------------------------------------------
  startLr: { type: 'number', arg: 'X', default: 1e-7, range: { exclusiveMin: 0 }, help: 'First learning rate of the LR range test.', commands: RANGE_COMMANDS, setting: {} },
  endLr: { type: 'number', arg: 'X', default: 10, range: { exclusiveMin: 0 }, help: 'Last learning rate of the LR range test.', commands: RANGE_COMMANDS, setting: {} },
  steps: {
    type: 'integer',
    arg: 'N',
    default: 100,
    range: { min: 2, max: 100_000 },
    help: 'Number of iterations of the LR range test.',
    commands: [...RANGE_COMMANDS, 'short-runs'],
    byCommand: { 'short-runs': { help: 'Iterations of each short run.', default: 300 } },
    setting: { commands: RANGE_COMMANDS },
  },
  sweep: { type: 'choice', choices: ['exp', 'linear'], default: 'exp', help: 'How the LR grows during the range test: exponentially or linearly.', commands: RANGE_COMMANDS },
  signal: { type: 'choice', choices: ['train', 'val'], default: 'train', help: 'The loss the range test records: the batch loss, or the validation loss on a fixed subset.', commands: RANGE_COMMANDS },
  smoothing: { type: 'number', arg: 'B', default: 0.98, range: { min: 0, exclusiveMax: 1 }, help: 'EMA factor (beta) for the smoothed loss.', commands: RANGE_COMMANDS, setting: {} },
  diverge: { type: 'number', arg: 'K', default: 4, range: { exclusiveMin: 1 }, help: 'Stop once the smoothed loss exceeds this multiple of the best loss.', commands: RANGE_COMMANDS, setting: {} },
  valSamples: {
    type: 'integer',
    arg: 'N',
    default: 256,
    range: { min: 1 },
    help: 'Validation samples per evaluation of --signal val.',
    commands: [...RANGE_COMMANDS, 'short-runs', 'train'],
    byCommand: {
      'short-runs': { help: 'Validation samples per evaluation.', defaultText: 'all' },
      train: { help: 'Validation samples evaluated per epoch.', defaultText: 'all' },
    },
  },
  // --- Optimizer and regularization -------------------------------------------------------------
  momentum: {
    type: 'number',
    arg: 'M',
    aliases: ['beta1'],
    default: { fromCompile: true, otherwise: perOptimizer('momentum') },
    range: { min: 0, exclusiveMax: 1 },
    help: 'SGD/RMSprop momentum (Adam, Adamax: beta1) of the range test and the training runs.',
    commands: ['find-lr', 'train', 'schedule'],
    byCommand: {
      train: { help: 'Constant SGD/RMSprop momentum (Adam, Adamax: beta1) when the policy does not cycle it.' },
      schedule: { help: 'Momentum of the constant policy.', defaultText: 'none (momentum: null)' },
    },
    setting: {},
  },
  beta2: {
    type: 'number',
    arg: 'B',
    default: { fromCompile: true, otherwise: perOptimizer('beta2') },
    range: { min: 0, exclusiveMax: 1 },
    help: 'Adam/AdamW/Adamax beta2.',
    commands: TRAINING_COMMANDS,
  },
  epsilon: {
    type: 'number',
    arg: 'E',
    default: { fromCompile: true, otherwise: perOptimizer('epsilon') },
    range: { exclusiveMin: 0, exclusiveMax: 1 },
    help: "The optimizer's epsilon (not SGD's).",
    commands: TRAINING_COMMANDS,
  },
  weightDecay: {
    type: 'number',
    arg: 'W',
    aliases: ['wd'],
    default: 0,
    range: { min: 0, exclusiveMax: 1 },
    help: 'Weight decay (PyTorch convention, kernels only) of the range test and the training runs.',
    commands: ['find-lr', 'train'],
    setting: {},
  },
  dropout: { type: 'number', arg: 'P', range: { min: 0, exclusiveMax: 1 }, help: 'Dropout passed to createModel(hp) as hp.dropout.', commands: ['find-lr', 'train'] },
  // --- lrlab sweep ------------------------------------------------------------------------------
  wdList: {
    type: 'numberList',
    flag: 'wd',
    arg: 'A,B,...',
    help: 'Weight decay values, one range test (or short run) each.',
    defaultText: '1e-2,1e-3,1e-4 for small models, 1e-4,1e-5,1e-6,0 for large ones',
    commands: ['sweep', 'short-runs'],
  },
  dropoutList: { type: 'numberList', flag: 'dropout', arg: 'A,B,...', help: 'Dropout values, one range test each (createModel must read hp.dropout).', commands: ['sweep'] },
  momentumList: {
    type: 'numberList',
    flag: 'momentum',
    arg: 'A,B,...',
    help: 'Momentum values as range tests: they show how momentum moves the usable LR range; they do not pick a momentum (method §4): for that, use the short-run mode.',
    commands: ['sweep', 'short-runs'],
    byCommand: { 'short-runs': { help: `Constant momentum values against cyclical ${CYCLICAL_MOMENTUM.max}→${CYCLICAL_MOMENTUM.min}.`, default: [0.99, 0.97, 0.95, 0.9] } },
  },
  shortRuns: { type: 'boolean', help: 'Short 1cycle runs at the LR you found, judged on early validation loss, instead of range tests.', commands: ['sweep'] },
  refine: { type: 'boolean', help: 'Bisect the weight-decay exponent around the best value.', commands: ['short-runs'] },
  // --- Schedules (lrlab schedule, lrlab train; defaults per policy in src/core/schedules.ts) ----
  policy: { type: 'choice', choices: SCHEDULE_POLICIES, default: 'smith', help: 'The LR/momentum schedule of the run.', commands: ['train'] },
  maxLr: {
    type: 'number',
    arg: 'X',
    range: { exclusiveMin: 0 },
    help: 'Peak LR (required except constant, which takes --lr).',
    commands: [...SCHEDULE_COMMANDS, 'short-runs'],
    group: 'schedule',
    byCommand: { 'short-runs': { help: 'Peak LR of the short 1cycle runs (required): the max LR you found.' } },
  },
  minLr: {
    type: 'number',
    arg: 'X',
    range: { exclusiveMin: 0 },
    help: 'smith: low end of the cycle.',
    defaultText: 'max/10',
    commands: [...SCHEDULE_COMMANDS, 'short-runs'],
    group: 'schedule',
    byCommand: { 'short-runs': { help: 'Low end of the short 1cycle runs.' } },
  },
  baseLr: { type: 'number', arg: 'X', help: 'cyclic: low end.', defaultText: 'max/4', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  lr: {
    type: 'number',
    arg: 'X',
    help: 'LR of the constant policy.',
    default: { fromCompile: true, otherwise: '--max-lr' },
    commands: SCHEDULE_COMMANDS,
    group: 'schedule',
    byCommand: { schedule: { defaultText: '--max-lr' } },
  },
  totalSteps: {
    type: 'integer',
    arg: 'T',
    help: 'Schedule length; rows 0..T-1 (onecycle, smith, fastai).',
    commands: SCHEDULE_COMMANDS,
    group: 'schedule',
    byCommand: { train: { defaultText: 'epochs × batches per epoch' } },
  },
  rows: { type: 'integer', flag: 'steps', arg: 'N', help: 'Rows to print (required for cyclic and constant policies).', defaultText: '--total-steps', commands: ['schedule'] },
  pctStart: { type: 'number', arg: 'P', help: 'Share of the steps spent raising the LR.', defaultText: 'onecycle 0.3, fastai 0.25', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  divFactor: { type: 'number', arg: 'D', help: 'Initial LR = max/D.', defaultText: '25', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  finalDivFactor: { type: 'number', arg: 'F', help: 'onecycle: min = initial/F; fastai: final = max/F.', defaultText: 'onecycle 1e4, fastai 1e5', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  anneal: { type: 'choice', choices: ['cos', 'linear'], help: 'onecycle annealing.', defaultText: 'cos', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  threePhase: { type: 'boolean', help: 'onecycle three-phase variant.', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  annihilationPct: { type: 'number', arg: 'P', help: 'smith: share of steps for the final annihilation.', defaultText: '0.1', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  annihilationDiv: { type: 'number', arg: 'D', help: 'smith: final LR = min/D.', defaultText: '1000', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  stepSizeUp: { type: 'integer', arg: 'N', help: 'cyclic: steps up.', defaultText: '2000', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  stepSizeDown: { type: 'integer', arg: 'N', help: 'cyclic: steps down.', defaultText: '--step-size-up', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  gamma: { type: 'number', arg: 'G', help: 'exp_range decay per iteration.', defaultText: '1', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  scaleMode: { type: 'choice', choices: ['cycle', 'iterations'], help: 'cyclic: what the amplitude scaling counts.', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  baseMomentum: { type: 'number', arg: 'M', help: 'Momentum at the peak LR.', defaultText: `onecycle/smith/fastai ${CYCLICAL_MOMENTUM.min}, cyclic 0.8`, commands: SCHEDULE_COMMANDS, group: 'schedule' },
  maxMomentum: { type: 'number', arg: 'M', help: 'Momentum at the low LRs.', defaultText: `onecycle/smith/fastai ${CYCLICAL_MOMENTUM.max}, cyclic 0.9`, commands: SCHEDULE_COMMANDS, group: 'schedule' },
  noCycleMomentum: { type: 'boolean', help: 'Leave momentum alone (momentum: null).', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  // --- lrlab train ------------------------------------------------------------------------------
  epochs: { type: 'integer', arg: 'N', default: 5, range: { min: 1, max: 10_000 }, help: 'Epochs of training.', commands: ['train'] },
  save: { type: 'path', arg: 'DIR', help: 'Save the trained model (model.json + weights.bin) to this folder.', commands: ['train'] },
  force: { type: 'boolean', help: 'Overwrite a model already saved in --save.', commands: ['train'] },
  // --- lrlab batch-size, lrlab recipe -----------------------------------------------------------
  sizes: { type: 'numberList', arg: 'A,B,...', default: [32, 64, 128, 256], help: 'Batch sizes to compare.', commands: ['batch-size'] },
  budgetSeconds: {
    type: 'duration',
    flag: 'budget',
    arg: 'TIME',
    help: 'Wall-clock time per batch size (required), e.g. 60s.',
    commands: ['batch-size', 'recipe'],
    byCommand: { recipe: { help: 'Wall-clock time for the whole recipe (required), e.g. 10m.' } },
  },
  targetAccuracy: { type: 'number', flag: 'target-acc', arg: 'A', range: { exclusiveMin: 0, max: 1 }, help: 'Validation accuracy to reach; the study reports the time each size needs.', commands: ['batch-size'] },
  targetLoss: { type: 'number', arg: 'L', help: 'Validation loss to reach, instead of --target-acc.', commands: ['batch-size'] },
  rangeSteps: { type: 'integer', arg: 'N', default: 60, range: { min: 2, max: 100_000 }, help: 'Iterations of each size’s range test.', commands: ['batch-size'] },
  // --- Output -----------------------------------------------------------------------------------
  plot: { type: 'string', arg: 'FILE', help: 'Write a .png or .html plot of the curve.', commands: ['find-lr'] },
  json: { type: 'boolean', help: 'Print one JSON document on stdout.', commands: [...MODEL_COMMANDS, 'schedule'] },
  // --- The editor only --------------------------------------------------------------------------
  nodePath: { type: 'string', default: '', help: "Node.js executable for the engine process. Empty: the editor's own runtime.", commands: [], setting: { scope: 'machine', restricted: true } },
  shareHistory: {
    type: 'boolean',
    default: false,
    help: "Keep run history in .lrlab/runs in the workspace (to share it with the repository) instead of the extension's private storage.",
    commands: [],
    setting: {},
  },
  'codeLens.enabled': {
    type: 'boolean',
    default: true,
    help: 'Show LR Lab CodeLenses (Find learning rate, Run tuning recipe, Insert 1cycle schedule) on model files.',
    commands: [],
    setting: {},
  },
} as const satisfies Readonly<Record<string, OptionSpec>>;

export type OptionName = keyof typeof OPTIONS;
type Spec<K extends OptionName> = (typeof OPTIONS)[K];

/** The TypeScript type of an option's value. */
export type OptionValue<K extends OptionName> = ValueOf<Spec<K>>;
type ValueOf<S> = S extends { readonly type: 'number' | 'integer' | 'duration' }
  ? number
  : S extends { readonly type: 'choice'; readonly choices: readonly (infer C)[] }
    ? C
    : S extends { readonly type: 'boolean' }
      ? boolean
      : S extends { readonly type: 'string' | 'path' }
        ? string
        : S extends { readonly type: 'numberList' }
          ? readonly number[]
          : never;

/** Options a command takes, by their names. */
export type OptionsOf<C extends CommandName> = { [K in OptionName]: C extends Spec<K>['commands'][number] ? K : never }[OptionName];
/** Options exposed as `lrlab.*` settings. */
export type SettingName = { [K in OptionName]: Spec<K> extends { readonly setting: SettingSpec } ? K : never }[OptionName];
/** Settings that are options of a command (what the editor may send with its request). */
export type SettingsOf<C extends CommandName> = {
  [K in SettingName]: Spec<K>['setting'] extends { readonly commands: readonly (infer X)[] } ? (C extends X ? K : never) : C extends Spec<K>['commands'][number] ? K : never;
}[SettingName];

/** Where a value a run used came from. `flag`: given with the request (a CLI flag, the "with options" box, a library argument). */
export type OptionSource = 'flag' | 'setting' | 'model.compile' | 'default';
/** Where the values a request carries came from (absent: `flag`). */
export type RequestSources = Readonly<Partial<Record<OptionName, 'flag' | 'setting'>>>;

export const OPTION_NAMES = Object.keys(OPTIONS) as readonly OptionName[];

/** The table entry of an option, widened to the spec union (for code that handles every type). */
export function specOf(name: OptionName): OptionSpec {
  return OPTIONS[name];
}

export function isFromCompile(value: unknown): value is FromCompile {
  return typeof value === 'object' && value !== null && (value as Partial<FromCompile>).fromCompile === true;
}

/** The CLI flag of an option, with `--` (`maxLr` → `--max-lr`, `targetAccuracy` → `--target-acc`). */
export function flagFor(name: OptionName): string {
  const spec = specOf(name);
  return `--${spec.flag ?? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Options that `command` takes, in table order. */
export function optionsOf(command: CommandName): OptionName[] {
  return OPTION_NAMES.filter((name) => (specOf(name).commands as readonly string[]).includes(command));
}

/** Options exposed as settings, in table order. */
export function settingNames(): SettingName[] {
  return OPTION_NAMES.filter((name): name is SettingName => specOf(name).setting !== undefined);
}

/** The settings the editor sends with a request of `command` (see {@link SettingsOf}). */
export function settingsOf<C extends CommandName>(command: C): SettingsOf<C>[] {
  return settingNames().filter((name): name is SettingsOf<C> => ((specOf(name).setting?.commands ?? specOf(name).commands) as readonly string[]).includes(command));
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
    (spec.type !== 'integer' || Number.isInteger(value)) &&
    (r.min === undefined || value >= r.min) &&
    (r.exclusiveMin === undefined || value > r.exclusiveMin) &&
    (r.max === undefined || value <= r.max) &&
    (r.exclusiveMax === undefined || value < r.exclusiveMax)
  );
}

/** Checks a number option against its range; the error names the flag and the rule (`--smoothing must be in [0, 1), got 1.`). */
export function checkNumberOption(name: OptionName, value: number): number {
  const spec = specOf(name);
  if (spec.type !== 'number' && spec.type !== 'integer') throw new Error(`${name} is not a number option`);
  if (!inRange(spec, value)) throw new OptionError(name, `${flagFor(name)} must be ${rangeRule(spec)}, got ${String(value)}.`);
  return value;
}

/** `"90"`, `"90s"`, `"5m"`, `"1.5h"` → seconds; `undefined` when it is not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smh])?\s*$/i.exec(text);
  if (match === null) return undefined;
  const unit = (match[2] ?? 's').toLowerCase();
  const seconds = Number(match[1]) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
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
  const scope = setting.scope ?? (spec.commands.length > 0 ? 'resource' : undefined);
  if (scope !== undefined) schema['scope'] = scope;
  const unset = isFromCompile(value) ? `null: from the model's compile, else ${value.otherwise}.` : nullable ? `null: ${defaultText(name) ?? 'none'}.` : '';
  schema['description'] = unset === '' ? spec.help : `${spec.help} ${unset}`;
  return schema;
}
