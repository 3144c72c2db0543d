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
import { BACKEND_CHOICES, OPTIMIZER_NAMES, SCHEDULE_POLICIES } from './results';
import type { CommandName, FromCompile, OptionSpec, SettingSpec } from './optionSpec';
import { perOptimizer } from './optimizerDefaults';

export type { CommandName } from './optionSpec';

/** Momentum of Smith's cyclical momentum: 0.95 at the low LRs, 0.85 at the peak (onecycle, smith, fastai). */
export const CYCLICAL_MOMENTUM = { max: 0.95, min: 0.85 } as const;


const FROM_COMPILE_SGD: FromCompile = { fromCompile: true, otherwise: 'sgd' };

/**
 * The learning rates an option takes: tfjs trains in float32, whose smallest normal number is 1.2e-38
 * and largest 3.4e38; these round bounds keep every LR and its ratios inside it (1e-320 ran as 0, the
 * range test's ratio to --end-lr overflowed and every point's LR read null; --max-lr 1e-310 trained at
 * LR 0 and made `lrlab schedule` fail with "Invalid array length", --max-lr 1e40 was taken).
 */
export const LR_RANGE = { min: 1e-30, max: 1e30 } as const;

/**
 * The largest learning rate an inserted schedule may set, and that the editor offers from a run (a range
 * test's default end is 10): a history file is untrusted, and Train with 1cycle pre-filled a max LR of 1e6
 * from one that the Insert lens refused.
 */
export const MAX_INSERTED_LR = 100;

/** Commands that run the user's model. */
const MODEL_COMMANDS = ['find-lr', 'sweep', 'short-runs', 'train', 'batch-size', 'recipe'] as const;
const RANGE_COMMANDS = ['find-lr', 'sweep'] as const;
const SCHEDULE_COMMANDS = ['schedule', 'train'] as const;
/** Commands whose independent trials can run on workers (`--redis`). */
const STUDY_COMMANDS = ['sweep', 'short-runs', 'batch-size', 'recipe'] as const;
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
    commands: [...MODEL_COMMANDS, 'worker'],
    byCommand: { worker: { help: "This worker's TensorFlow.js backend. A run that asks for another one (its --backend) fails, saying so." } },
    setting: {},
  },
  seed: {
    type: 'integer',
    arg: 'N',
    help: 'Seed for initialization, dropout and shuffling (a tf.data shuffle() given no seed of its own too): the same seed gives the same curve on the same backend.',
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
  fitTimeout: {
    type: 'duration',
    arg: 'TIME',
    default: 120,
    help: 'How long a training script (no createModel/loadData) may run before its first model.fit or fitDataset call.',
    commands: MODEL_COMMANDS,
  },
  fitLine: {
    type: 'integer',
    arg: 'LINE',
    range: { min: 1 },
    help: "The line of a training script's model.fit/fitDataset call to take the model and data from (a warm-up fit before it then runs as the script runs it). Also the line of a call on the way to it, e.g. of a train() helper. A line that calls neither fit nor a function of the script or its own modules is refused before the script runs.",
    defaultText: 'the first call the script makes',
    commands: MODEL_COMMANDS,
  },
  // --- The LR range test ------------------------------------------------------------------------
  // One side of LR_RANGE each: the test sweeps upwards (--start-lr below --end-lr), which bounds the other side.
  startLr: { type: 'number', arg: 'X', default: 1e-7, range: { min: LR_RANGE.min }, help: 'First learning rate of the LR range test (at least 1e-30: tfjs computes in float32).', commands: [...RANGE_COMMANDS, 'batch-size'], setting: {} },
  endLr: { type: 'number', arg: 'X', default: 10, range: { exclusiveMin: 0, max: LR_RANGE.max }, help: 'Last learning rate of the LR range test (at most 1e30: tfjs computes in float32).', commands: [...RANGE_COMMANDS, 'batch-size'], setting: {} },
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
  diverge: { type: 'number', arg: 'K', default: 4, range: { exclusiveMin: 1 }, help: 'Stop once the smoothed loss exceeds this multiple of the best loss, or the raw loss stays above this multiple of the starting loss for several steps (or is pinned at the framework\'s loss cap, or is not finite).', commands: RANGE_COMMANDS, setting: {} },
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
  rangeRetries: {
    type: 'integer',
    arg: 'N',
    default: 1,
    range: { min: 0, max: 2 },
    help: 'Range tests to run again, one after another, when a test gives no recommended LR: with 3x the steps (and a decade more at the top unless it diverged) when nothing was learned yet or the curve was too noisy to read; from 2 decades lower when it diverged at once or was already learning at the first LR. 0: never.',
    commands: ['find-lr'],
    setting: {},
  },
  rangeTests: {
    type: 'integer',
    arg: 'N',
    default: 3,
    range: { min: 1, max: 9 },
    help: 'Range tests to run, with consecutive seeds (each with its own --range-retries); the recommended LR is the median of their recommendations and the curve shown is that test\'s. One test\'s bottom scatters between seeds: on the advice bench the median of 3 cut the median regret of the range tests\' recommendation from 0.93 to 0.35 accuracy points over 84 tuning tasks (1.23 to 0.66 over 96 held-out ones). 1: one test, as fast as it gets.',
    commands: ['find-lr'],
    setting: {},
  },
  lrTrials: {
    type: 'integer',
    arg: 'N',
    default: 100,
    range: { min: 0, max: 100_000 },
    help: 'After the range tests, short 1cycle runs of N steps at a third of, at and at three times the recommended max LR (where the range tests gave none: runs of 3N steps at a hundredth, a thirtieth and a tenth of where the test stopped; the compiled optimizer, each at --trial-seeds seeds), judged on early validation loss; the best of those that got clearly below the baseline becomes the recommended LR. On the advice bench they cut the median regret from 0.35 to 0.23 accuracy points over 84 tuning tasks (worst 66.7 to 10.5), and from 0.66 to 0.25 over 96 held-out ones (worst 86.4 to 29.7). Skipped without validation data. 0: off (the range tests\' headline alone); else at least 10 steps.',
    commands: ['find-lr'],
    setting: {},
  },
  trialSeeds: {
    type: 'integer',
    arg: 'N',
    default: 2,
    range: { min: 1, max: 5 },
    help: 'Seeds per short 1cycle run of --lr-trials (consecutive, from --seed; from 0 without one): each candidate LR is judged on the mean of its runs\' early validation loss and accuracy, and one that diverges at any seed is out. With one seed a third of the picks on the advice bench were the seed\'s; two cut the regret of a fresh seed\'s pick from 1.32 to 0.91 points on average (worst 20.7 to 10.5), for twice the short runs\' time. 1: one seed, as fast as it gets.',
    commands: ['find-lr'],
    setting: {},
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
      schedule: { help: 'Momentum of the constant policy, or held by another with --no-cycle-momentum.', defaultText: 'none (momentum: null)' },
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
    help: 'Momentum values as range tests: they show how momentum moves the usable LR range; they do not pick a momentum (Smith: a momentum range test finds no optimum): for that, use the short-run mode.',
    commands: ['sweep', 'short-runs'],
    // The momentum study's values (the editor's and the recipe's); the CLI's --short-runs takes them or --wd, one of the two, and a help line "Default: 0.99,…" there was never applied.
    byCommand: { 'short-runs': { help: `Constant momentum values against cyclical ${CYCLICAL_MOMENTUM.max}→${CYCLICAL_MOMENTUM.min}: give these, or --wd values.`, default: [0.99, 0.97, 0.95, 0.9], defaultText: 'none (the momentum study\'s are 0.99,0.97,0.95,0.9)' } },
  },
  shortRuns: { type: 'boolean', help: 'Short 1cycle runs at the LR you found, judged on early validation loss, instead of range tests.', commands: ['sweep'] },
  refine: { type: 'boolean', help: 'Bisect the weight-decay exponent around the best value.', commands: ['short-runs'] },
  // --- Schedules (lrlab schedule, lrlab train; defaults per policy in src/core/schedules.ts) ----
  policy: { type: 'choice', choices: SCHEDULE_POLICIES, default: 'smith', help: "The LR/momentum schedule of the run. smith is Smith's 1cycle (LR min → max → min over 90% of the run, then down to min/1000; momentum 0.95 → 0.85 → 0.95), the recommendation's; onecycle is PyTorch's OneCycleLR, fastai fit_one_cycle's.", commands: ['train'] },
  maxLr: {
    type: 'number',
    arg: 'X',
    range: LR_RANGE,
    help: 'Peak LR (required except constant, which takes --lr); 1e-30 to 1e30: tfjs computes in float32.',
    commands: [...SCHEDULE_COMMANDS, 'short-runs'],
    group: 'schedule',
    byCommand: { 'short-runs': { help: 'Peak LR of the short 1cycle runs (required): the max LR you found.' } },
  },
  minLr: {
    type: 'number',
    arg: 'X',
    range: LR_RANGE,
    help: 'smith: low end of the cycle.',
    defaultText: 'max/10',
    commands: [...SCHEDULE_COMMANDS, 'short-runs'],
    group: 'schedule',
    byCommand: { 'short-runs': { help: 'Low end of the short 1cycle runs.' } },
  },
  baseLr: { type: 'number', arg: 'X', range: LR_RANGE, help: 'cyclic: low end.', defaultText: 'max/4', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  lr: {
    type: 'number',
    arg: 'X',
    range: LR_RANGE,
    help: 'LR of the constant policy.',
    default: { fromCompile: true, otherwise: '--max-lr' },
    commands: SCHEDULE_COMMANDS,
    group: 'schedule',
    byCommand: { schedule: { defaultText: '--max-lr' } },
  },
  totalSteps: {
    type: 'integer',
    arg: 'T',
    help: 'Schedule length in steps: onecycle, smith and fastai end there.',
    commands: SCHEDULE_COMMANDS,
    group: 'schedule',
    byCommand: { train: { defaultText: 'epochs × batches per epoch' }, schedule: { help: 'Schedule length: rows 0..T-1 (onecycle, smith and fastai end there; cyclic and constant policies repeat).' } },
  },
  rows: { type: 'integer', flag: 'steps', arg: 'N', help: 'Rows to print (cyclic and constant policies need it or --total-steps).', defaultText: '--total-steps', commands: ['schedule'] },
  pctStart: { type: 'number', arg: 'P', help: 'Share of the steps spent raising the LR.', defaultText: 'onecycle 0.3, fastai 0.25', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  divFactor: { type: 'number', arg: 'D', range: { min: 1 }, help: 'Initial LR = max/D (at least 1: below, the schedule would start above its max LR).', defaultText: '25', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  finalDivFactor: { type: 'number', arg: 'F', range: { min: 1 }, help: 'onecycle: min = initial/F; fastai: final = max/F (at least 1: below, the LR would rise at the end).', defaultText: 'onecycle 1e4, fastai 1e5', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  anneal: { type: 'choice', choices: ['cos', 'linear'], help: 'onecycle annealing.', defaultText: 'cos', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  threePhase: { type: 'boolean', help: 'onecycle three-phase variant.', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  annihilationPct: { type: 'number', arg: 'P', help: 'smith: share of steps for the final annihilation.', defaultText: '0.1', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  annihilationDiv: { type: 'number', arg: 'D', range: { min: 1 }, help: 'smith: final LR = min/D (at least 1: below, the annihilation would raise the LR).', defaultText: '1000', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  stepSizeUp: { type: 'integer', arg: 'N', help: 'cyclic: steps up.', defaultText: '2000', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  stepSizeDown: { type: 'integer', arg: 'N', help: 'cyclic: steps down.', defaultText: '--step-size-up', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  gamma: { type: 'number', arg: 'G', range: { exclusiveMin: 0, max: 1 }, help: 'exp_range decay per iteration: the amplitude × gamma^iteration (1: no decay; above 1 the amplitude would grow without bound, so it is refused).', defaultText: '1', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  scaleMode: { type: 'choice', choices: ['cycle', 'iterations'], help: 'triangular2 and exp_range: what the amplitude scaling counts (triangular keeps its amplitude).', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  baseMomentum: { type: 'number', arg: 'M', help: 'Momentum at the peak LR.', defaultText: `onecycle/smith/fastai ${CYCLICAL_MOMENTUM.min}, cyclic 0.8`, commands: SCHEDULE_COMMANDS, group: 'schedule' },
  maxMomentum: { type: 'number', arg: 'M', help: 'Momentum at the low LRs.', defaultText: `onecycle/smith/fastai ${CYCLICAL_MOMENTUM.max}, cyclic 0.9`, commands: SCHEDULE_COMMANDS, group: 'schedule' },
  noCycleMomentum: { type: 'boolean', help: 'Leave momentum alone (momentum: null).', commands: SCHEDULE_COMMANDS, group: 'schedule' },
  // --- lrlab train ------------------------------------------------------------------------------
  epochs: { type: 'integer', arg: 'N', default: 5, range: { min: 1, max: 10_000 }, help: 'Epochs of training.', commands: ['train'] },
  save: { type: 'path', arg: 'DIR', help: 'Save the trained model (model.json + weights.bin) to this folder.', commands: ['train'] },
  force: { type: 'boolean', help: 'Replace files that exist at --save (never the input model or data).', commands: ['find-lr', 'train'], byCommand: { 'find-lr': { help: 'Replace a file that exists at --plot (never the input model or data).' } } },
  // --- lrlab batch-size, lrlab recipe -----------------------------------------------------------
  sizes: { type: 'numberList', arg: 'A,B,...', default: [32, 64, 128, 256], help: 'Batch sizes to compare.', commands: ['batch-size'] },
  budgetSeconds: {
    type: 'duration',
    flag: 'budget',
    arg: 'TIME',
    help: 'Wall-clock time of the whole study, from start to result: start-ups and range tests included (required), e.g. 5m.',
    commands: ['batch-size', 'recipe'],
    byCommand: { recipe: { help: 'Wall-clock time for the whole recipe (required), e.g. 10m.' } },
  },
  targetAccuracy: { type: 'number', flag: 'target-acc', arg: 'A', range: { exclusiveMin: 0, max: 1 }, help: 'Validation accuracy to reach; the study reports the time each size needs to reach it and hold it to the end.', commands: ['batch-size'] },
  targetLoss: { type: 'number', arg: 'L', help: 'Validation loss to reach, instead of --target-acc.', commands: ['batch-size'] },
  rangeSteps: { type: 'integer', arg: 'N', default: 60, range: { min: 2, max: 100_000 }, help: 'Iterations of each size’s range test.', commands: ['batch-size'] },
  // --- Output -----------------------------------------------------------------------------------
  plot: { type: 'string', arg: 'FILE', help: 'Write a .png or .html plot of the curve.', commands: ['find-lr'] },
  json: { type: 'boolean', help: 'Print one JSON document on stdout.', commands: [...MODEL_COMMANDS, 'schedule'] },
  // --- Scale-out (README, "Scaling out") --------------------------------------------------------
  redis: {
    type: 'string',
    arg: 'URL',
    help: "Run the trials on 'lrlab worker' processes through this Redis: redis://[user:password@]host:port[/db], or rediss:// for TLS.",
    commands: [...STUDY_COMMANDS, 'worker'],
    byCommand: { worker: { help: 'The Redis to take trials from. One that is not on this machine must have a password in the URL: a trial carries code that runs here.' } },
  },
  concurrency: { type: 'integer', arg: 'N', default: 1, range: { min: 1, max: 256 }, help: 'Trials at once, each in its own worker process (the CPUs are split between them as wasm threads).', commands: ['worker'] },
  // --- The editor only --------------------------------------------------------------------------
  nodePath: { type: 'string', default: '', help: "Node.js executable for the engine process. Empty: the editor's own runtime.", commands: [], setting: { scope: 'machine', restricted: true } },
  redisUrl: {
    type: 'string',
    default: '',
    help: "Scale-out: the Redis URL (redis://[user:password@]host:port[/db], rediss:// for TLS) on which Compare regularization, the momentum and batch-size studies and the recipe (whose weight-decay step is one more study) queue their trials for 'lrlab worker' processes; the --redis of the CLI. Empty: everything runs on this machine. Whoever can write to that Redis can run code on the workers: use a password.",
    commands: [],
    setting: { scope: 'machine', restricted: true },
  },
  shareHistory: {
    type: 'boolean',
    default: false,
    help: "Keep run history in .lrlab/runs in the workspace (to share it with the repository) instead of the extension's private storage. Read only in a trusted workspace.",
    commands: [],
    setting: { restricted: true },
  },
  'codeLens.enabled': {
    type: 'boolean',
    default: true,
    help: 'Show LR Lab CodeLenses (Find learning rate, Run tuning recipe, Insert 1cycle schedule) on model files.',
    commands: [],
    setting: {},
  },
  startEngineAhead: {
    type: 'boolean',
    default: true,
    help: "When a model file is opened in a trusted workspace, and again when a run on it ends, start an engine for it in the background (TensorFlow.js, the bundled file, a warm training path), so that the next run's first point comes sooner; saving files has it bundle the file again. The engine serves one run; unused, it exits after 10 minutes.",
    commands: [],
    setting: {},
  },
  enginePriority: {
    type: 'choice',
    choices: ['normal', 'low'],
    default: 'normal',
    help: "CPU priority of the engines the editor starts. normal: as the editor's. low: below every other program's (nice 10, and on Linux the engine's scheduler group too): VS Code stays responsive while a run trains on every core, but any other busy program slows the run a lot (measured: the first point 1.4-7.5 s instead of 1.1-1.9 s beside one busy process on 2 CPUs). Takes effect for the next engine started.",
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

/**
 * Where a value a run used came from. `flag`: given with the request (a CLI flag, the "with
 * options" box); `option`: an option of a library call (`findLr(model, data, { steps })`);
 * `model.fit`: the fit call of a training script; `dataset`: the batches of the `tf.data` dataset
 * a library call was given (the batch size its `fitDataset` trains at).
 */
export type OptionSource = 'flag' | 'option' | 'setting' | 'model.compile' | 'model.fit' | 'dataset' | 'default';
/** Where the values a request carries came from (absent: `flag`). */
export type RequestSources = Readonly<Partial<Record<OptionName, 'flag' | 'option' | 'setting' | 'model.fit' | 'dataset'>>>;

export const OPTION_NAMES = Object.keys(OPTIONS) as readonly OptionName[];

/** The table entry of an option, widened to the spec union (for code that handles every type). */
export function specOf(name: OptionName): OptionSpec {
  return OPTIONS[name];
}

/** The CLI flag of an option, with `--` (`maxLr` → `--max-lr`, `targetAccuracy` → `--target-acc`). */
export function flagFor(name: OptionName): string {
  const spec = specOf(name);
  return `--${spec.flag ?? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The options each CLI flag names (several where commands share a flag). */
export const FLAG_OPTIONS: ReadonlyMap<string, readonly OptionName[]> = OPTION_NAMES.reduce((map, name) => map.set(flagFor(name), [...(map.get(flagFor(name)) ?? []), name]), new Map<string, OptionName[]>());

/**
 * Every CLI flag in `text`, matched whole (`--lr` is not in `--lr-trials`), as `rename` gives it from
 * the options the flag names; a flag it returns `undefined` for, or that names none, stays.
 */
export function renameFlags(text: string, rename: (options: readonly OptionName[], flag: string) => string | undefined): string {
  return text.replace(/--[a-z][a-z0-9-]*/g, (flag) => rename(FLAG_OPTIONS.get(flag) ?? [], flag) ?? flag);
}

/** Every word (no dashes) a command line may name an option by: its flag, then its aliases. */
export function flagsOf(name: OptionName): string[] {
  return [flagFor(name).slice(2), ...(specOf(name).aliases ?? [])];
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
