/**
 * What a caller asks the engine to run. Field names are the option names everywhere
 * (`startLr` = `--start-lr` = `lrlab.startLr`); absent fields take the defaults of the option
 * table (`src/protocol/options.ts`), or the user's `model.compile` where the table says so.
 */
import type { RequestSources } from './options';
import type { BackendChoice, LossSignal, OptimizerName, ScheduleOptions, SchedulePolicy, SweepShape } from './results';

export interface ModelSource {
  /** A JS/TS model file (the contract in design.md), or a tfjs Layers `model.json`. */
  readonly model: string;
  /** CSV file for the `model.json` route. */
  readonly data?: string;
  /** Label column of `data`. */
  readonly label?: string;
  /** Folder whose `node_modules` may hold the user's own tfjs-node (defaults to the model's folder upwards). */
  readonly workspace?: string;
}

/** A model file bundled with its local imports (and pure-JS packages), as a scale-out job carries it. */
export interface ModelBundle {
  /** The model file's absolute path on the submitting machine (its `__filename`). */
  readonly file: string;
  /** One CommonJS script with an inline source map. */
  readonly code: string;
  /** sha256 of `code`. */
  readonly hash: string;
  /** Packages left to the worker's `require` (native ones, or ones that could not be bundled). */
  readonly external: readonly string[];
}

export interface CommonRunOptions extends ModelSource {
  readonly backend?: BackendChoice;
  readonly seed?: number;
  /** Absent: the optimizer of the model's compile, else sgd. */
  readonly optimizer?: OptimizerName;
  readonly batchSize?: number;
  /** SGD/RMSprop momentum, Adam/Adamax beta1. Absent: the compiled optimizer's, else the optimizer's default. */
  readonly momentum?: number;
  /** Adam/AdamW/Adamax beta2. Absent: the compiled optimizer's, else 0.999. */
  readonly beta2?: number;
  /** The optimizer's epsilon. Absent: the compiled optimizer's, else the optimizer's default. */
  readonly epsilon?: number;
  readonly weightDecay?: number;
  readonly dropout?: number;
  /** Share of the data held out when `loadData()` returns no validation split. */
  readonly validationSplit?: number;
  /** Seconds a training script may run before its first `fit` call (120). */
  readonly fitTimeout?: number;
  /** The line of the training script's fit call to capture (the calls before it run); absent: its first call. */
  readonly fitLine?: number;
  /** A training script's own arguments (`lrlab find-lr script.js -- --data x.csv`): its process.argv after the script. */
  readonly scriptArgs?: readonly string[];
  /** Where the values given here came from (`setting`: an `lrlab.*` setting); absent: `flag`. */
  readonly sources?: RequestSources;
}

/**
 * Scale-out (`--redis` = setting `lrlab.redisUrl`): the experiment's independent trials become
 * jobs on this Redis and `lrlab worker` processes run them. Absent: everything runs here.
 */
export interface RemoteOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` (TLS). */
  readonly redis?: string;
}

export interface FindLrRequest extends CommonRunOptions {
  readonly kind: 'find-lr';
  readonly startLr?: number;
  readonly endLr?: number;
  readonly steps?: number;
  readonly sweep?: SweepShape;
  readonly signal?: LossSignal;
  readonly smoothing?: number;
  readonly diverge?: number;
  /** Validation samples used per evaluation for the `val` signal. */
  readonly valSamples?: number;
  /** Range tests run again when one gives no recommended LR (`core/rangeRetry.ts`); default 1. */
  readonly rangeRetries?: number;
  /** Short 1cycle trials of this many steps around the headline (0/absent: none). */
  readonly lrTrials?: number;
  /** Seeds per short run of `lrTrials`, judged on their mean (option `trialSeeds`). */
  readonly trialSeeds?: number;
  /** Range tests with consecutive seeds; the headline is their median (option `rangeTests`). */
  readonly rangeTests?: number;
}

/** `lrlab sweep`: one range test per combination of the listed values (same seed, same data order). */
export interface SweepRequest extends Omit<FindLrRequest, 'kind' | 'momentum' | 'weightDecay' | 'dropout' | 'rangeRetries' | 'rangeTests' | 'lrTrials' | 'trialSeeds'>, RemoteOptions {
  readonly kind: 'sweep';
  /** Weight decay values (`--wd`); default: the grid for the model's size (method.md §5). */
  readonly wd?: readonly number[];
  readonly dropout?: readonly number[];
  readonly momentum?: readonly number[];
}

/** `lrlab train`: a full run with a schedule, per-epoch history and a verdict. */
export interface TrainRequest extends CommonRunOptions, LrFoundWith {
  readonly kind: 'train';
  readonly policy?: SchedulePolicy;
  readonly schedule?: ScheduleOptions;
  readonly epochs?: number;
  /** Validation samples evaluated per epoch (all when absent). */
  readonly valSamples?: number;
  /** Folder to save the trained model to (model.json + weights.bin). */
  readonly save?: string;
  /** Overwrite an existing model in `save`. */
  readonly force?: boolean;
  /** Stop once this much wall time has passed (the batch-size study's equal-time rule). */
  readonly budgetSeconds?: number;
  /**
   * What moves the schedule along: `steps` (default, reproducible), or `time`: the position in the
   * schedule is the share of `budgetSeconds` used, so the whole cycle ends exactly at the budget
   * whatever a step costs (the batch-size study: every size gets one complete 1cycle in equal time;
   * the recipe's confirming run: its cycle fills the budget left, however wrong the plan's step time).
   * `epochs` stays a cap: the position is the further of the time used and the steps taken of
   * `epochs`, so a run that reaches the cap first ends its cycle there too.
   */
  readonly scheduleClock?: 'steps' | 'time';
}

/** `lrlab batch-size`: each size gets its own range test and a 1cycle run of the same wall time. */
export interface BatchSizeRequest extends Omit<CommonRunOptions, 'batchSize'>, RemoteOptions {
  readonly kind: 'batch-size';
  readonly sizes?: readonly number[];
  /** Wall-clock time of the whole study, from start to result (start-ups and range tests included), seconds. */
  readonly budgetSeconds: number;
  readonly targetAccuracy?: number;
  readonly targetLoss?: number;
  /** Iterations of each size's range test (60). */
  readonly rangeSteps?: number;
  /** Each size's range test sweeps from here… */
  readonly startLr?: number;
  /** …to here. */
  readonly endLr?: number;
}

/**
 * One batch size of the study, run in its own engine process (internal). `budgetSeconds` is this
 * size's share of the study: wall time from its engine process's start to its result.
 */
export interface BatchSizeTrialRequest extends Omit<BatchSizeRequest, 'kind' | 'sizes' | 'redis'> {
  readonly kind: 'batch-size-trial';
  readonly batchSize: number;
  /** Train at most this long, seconds (the first size's training time: sizes train for equal time). */
  readonly trainSeconds?: number;
  /** On a worker: the model file as the job carried it (the path need not exist there). */
  readonly modelBundle?: ModelBundle;
}

/** Short runs at the found LR (1cycle from `minLr` to `maxLr`), judged on early validation loss. */
/**
 * The optimizer a max LR given to a run was found with (the editor's latest range test of the file):
 * a run that trains another family says so — an LR found with one is in the wrong decade for another.
 */
interface LrFoundWith {
  readonly lrFoundWith?: OptimizerName;
  /** The batch size that max LR was found at: a run at another says so (the LR that suits a batch grows with it). */
  readonly lrFoundAtBatch?: number;
}

interface ShortRunRequest extends CommonRunOptions, RemoteOptions, LrFoundWith {
  readonly maxLr?: number;
  readonly minLr?: number;
  /** Iterations per short run (300). */
  readonly steps?: number;
  readonly valSamples?: number;
}

/** `lrlab sweep --momentum ... --short-runs`: constant momentum values against cyclical momentum (CYCLICAL_MOMENTUM). */
export interface MomentumRequest extends Omit<ShortRunRequest, 'momentum'> {
  readonly kind: 'momentum';
  readonly values?: readonly number[];
}

/** `lrlab sweep --wd ... --short-runs [--refine]`: weight decay from early validation loss. */
export interface WeightDecayRequest extends Omit<ShortRunRequest, 'weightDecay'> {
  readonly kind: 'weight-decay';
  readonly values?: readonly number[];
  /**
   * A constant momentum for every run, instead of cyclical momentum under the 1cycle LR: the
   * recipe's, when its momentum study chose one (weight decay is chosen at the momentum trained with).
   */
  readonly constantMomentum?: number;
  /** Bisect the exponent around the best value (10^-3.5 between 1e-3 and 1e-4). */
  readonly refine?: boolean;
}

/** `lrlab recipe`: Smith's Section 5 end to end within a wall-time budget. */
export interface RecipeRequest extends CommonRunOptions, RemoteOptions {
  readonly kind: 'recipe';
  readonly budgetSeconds: number;
}

export type RunRequestParams = FindLrRequest | SweepRequest | TrainRequest | MomentumRequest | WeightDecayRequest | BatchSizeRequest | BatchSizeTrialRequest | RecipeRequest;
