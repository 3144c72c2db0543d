/**
 * Progress messages from the engine. Every message of a run carries its `runId`. They travel
 * over one ordered, reliable channel (the engine's IPC channel, or in-process calls), so they
 * carry no sequence numbers: nothing can arrive out of order or go missing on the way. The
 * engine batches points into appends and never drops one.
 */
import type { RecipeStepName } from './results';

/** One point of a live curve. `step` is the iteration (range tests, short runs) or epoch. */
export interface StreamPoint {
  readonly step: number;
  readonly lr: number;
  readonly momentum: number | null;
  readonly loss: number | null;
  readonly smoothed: number | null;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  /** Training runs: the model's metrics on the training split (keyed as the model names them). */
  readonly metrics?: Readonly<Record<string, number | null>>;
  /** Training runs: the model's metrics on the validation split (keyed as the model names them). */
  readonly valMetrics?: Readonly<Record<string, number | null>>;
  readonly seconds: number;
}

/**
 * The phase of "still waiting for the user's code" notices (`loadData()` not settled after 10 s):
 * each message of it is news, so a surface that prints only phase changes prints every one.
 */
export const WAITING_PHASE = 'waiting';
/** How each of those notices starts; a scale-out run relays a worker's (its events carry no phase). */
export const STILL_WAITING = 'Still waiting for';

export interface ProgressParams {
  readonly runId: string;
  /** Short machine-readable phase: `loading`, `compiling`, `range-test`, `train`, ... */
  readonly phase: string;
  /** Human text for a status bar / progress notification. */
  readonly message: string;
  /** 0..1, or `null` when unknown. */
  readonly fraction: number | null;
}

/** The suffix of a batch-size study's range-test series, which the panel pairs with its size's run (webview/seriesStyle.ts). */
export const RANGE_TEST_SUFFIX = ' range test';

/** A batch-size study's series: a size's 1cycle run (`batch 32`), or its range test (`batch 32 range test`). */
export function batchSizeSeries(batchSize: number, rangeTest = false): string {
  return `batch ${batchSize}${rangeTest ? RANGE_TEST_SUFFIX : ''}`;
}

/** The momentum study's short runs: a constant momentum (`momentum 0.9`), or the cycled one (`cyclical 0.95→0.85`). */
export function momentumSeries(momentum: number | { readonly max: number; readonly min: number }): string {
  return typeof momentum === 'number' ? `momentum ${momentum}` : `cyclical ${momentum.max}→${momentum.min}`;
}

/** The weight-decay study's short runs, by their formatted decay (`wd 1e-4`). */
export function weightDecaySeries(formattedDecay: string): string {
  return `wd ${formattedDecay}`;
}

/**
 * The recipe step a recipe run's series comes from: its range test (`main`), the batch-size study's
 * sizes, the momentum and weight-decay studies' short runs, the confirming 1cycle run (`train`); null
 * for a name none of them streams. The panel draws one step at a time, on its own axes (it drew all
 * sixteen series on one "validation loss against iteration" chart: range tests, studies and epochs).
 */
export function recipeStepOfSeries(name: string): RecipeStepName | null {
  if (name === 'main') return 'range-test';
  if (name === 'train') return 'train';
  if (/^batch \d+(?: range test)?$/.test(name)) return 'batch-size';
  if (/^(?:momentum \S+|cyclical \S+→\S+)$/.test(name)) return 'momentum';
  if (/^wd \S+$/.test(name)) return 'weight-decay';
  return null;
}

export interface AppendParams {
  readonly runId: string;
  /** Which curve the points belong to (`main`, or a sweep/batch-size label). */
  readonly series: string;
  readonly points: readonly StreamPoint[];
  /** These points replace the series' points so far: the curve starts again (a range test run again). */
  readonly restart?: boolean;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogParams {
  readonly level: LogLevel;
  readonly message: string;
}
