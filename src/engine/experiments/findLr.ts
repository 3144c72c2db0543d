/**
 * The LR range test on the user's model (method.md §1). Each test builds a fresh model with
 * `createModel`, so the user's model and weights are never touched; the optimizer state lives
 * and dies with the test.
 */
import type { FindLrRequest } from '../../protocol/requests';
import type { Baseline, FindLrResult, FindLrSettings, RangePoint, RangeStopReason } from '../../protocol/results';
import { OptionError, flagOf } from '../../protocol/errors';
import { RangeTestTracker, checkSweepOptions, sweepLr } from '../../core/rangeTest';
import { CLEARLY_FALLING_PER_DECADE, curveShape, suggest } from '../../core/suggestions';
import { rangeHints } from '../../core/hints';
import { BatchSampler } from '../../core/random';
import type { Reporter } from '../reporter';
import { throwIfAborted } from '../errorMapping';
import type { LoadedModel } from '../session';
import { backendLabel } from '../tfjs';
import { loadForRun } from '../session';
import { seedProcess } from '../seed';
import { Trainer } from '../trainer';

export interface RunContext {
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
}

/** Defaults of `lrlab find-lr` (and the `lrlab.*` settings of the same names). */
export const FIND_LR_DEFAULTS = {
  startLr: 1e-7,
  endLr: 10,
  steps: 100,
  sweep: 'exp',
  signal: 'train',
  smoothing: 0.98,
  diverge: 4,
  momentum: 0.9,
  weightDecay: 0,
  batchSize: 64,
  valSamples: 256,
} as const;

function checkNumber(name: string, value: number, ok: (v: number) => boolean, rule: string): number {
  if (!Number.isFinite(value) || !ok(value)) throw new OptionError(name, `${flagOf(name)} must be ${rule}, got ${String(value)}.`);
  return value;
}

/** Applies defaults and checks every option before anything is loaded. */
export function resolveFindLrSettings(request: FindLrRequest, optimizerFromModel: FindLrSettings['optimizer'] | null): FindLrSettings {
  const settings: FindLrSettings = {
    startLr: request.startLr ?? FIND_LR_DEFAULTS.startLr,
    endLr: request.endLr ?? FIND_LR_DEFAULTS.endLr,
    steps: request.steps ?? FIND_LR_DEFAULTS.steps,
    sweep: request.sweep ?? FIND_LR_DEFAULTS.sweep,
    signal: request.signal ?? FIND_LR_DEFAULTS.signal,
    smoothing: request.smoothing ?? FIND_LR_DEFAULTS.smoothing,
    diverge: request.diverge ?? FIND_LR_DEFAULTS.diverge,
    optimizer: request.optimizer ?? optimizerFromModel ?? 'sgd',
    momentum: request.momentum ?? FIND_LR_DEFAULTS.momentum,
    weightDecay: request.weightDecay ?? FIND_LR_DEFAULTS.weightDecay,
    batchSize: request.batchSize ?? FIND_LR_DEFAULTS.batchSize,
    seed: request.seed ?? null,
  };
  checkSweepOptions(settings);
  checkNumber('smoothing', settings.smoothing, (v) => v >= 0 && v < 1, 'in [0, 1)');
  checkNumber('diverge', settings.diverge, (v) => v > 1, 'greater than 1');
  checkNumber('momentum', settings.momentum, (v) => v >= 0 && v < 1, 'in [0, 1)');
  checkNumber('weightDecay', settings.weightDecay, (v) => v >= 0 && v < 1, 'in [0, 1)');
  checkNumber('batchSize', settings.batchSize, (v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1');
  if (settings.seed !== null) checkNumber('seed', settings.seed, (v) => Number.isInteger(v), 'a whole number');
  if (request.dropout !== undefined) checkNumber('dropout', request.dropout, (v) => v >= 0 && v < 1, 'in [0, 1)');
  if (request.valSamples !== undefined) checkNumber('valSamples', request.valSamples, (v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1');
  return settings;
}

export interface RangeCurve {
  readonly points: RangePoint[];
  readonly stopReason: RangeStopReason;
  readonly divergedAt: number | null;
  readonly seconds: number;
}

/** Lets a cancel message in (IPC) between batches without slowing the loop measurably. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One range test: fresh model, LR sweep, smoothing and divergence stop; streams its points. */
export async function rangeTestCurve(
  loaded: LoadedModel,
  settings: FindLrSettings,
  hp: { dropout?: number },
  ctx: RunContext,
  series: string,
  valSamples: number = FIND_LR_DEFAULTS.valSamples,
): Promise<RangeCurve> {
  const shuffle = seedProcess(settings.seed);
  const started = performance.now();
  const model = loaded.buildModel(hp);
  const trainer = new Trainer(loaded.tf, model, loaded.loss.fn, loaded.accuracy, {
    optimizer: { name: settings.optimizer, lr: settings.startLr, momentum: settings.momentum, weightDecay: settings.weightDecay },
  });
  const tracker = new RangeTestTracker({ smoothing: settings.smoothing, diverge: settings.diverge });
  const sampler = new BatchSampler(loaded.data.train.count, Math.min(settings.batchSize, loaded.data.train.count), shuffle);
  let stopReason: RangeStopReason = 'completed';
  let divergedAt: number | null = null;
  try {
    for (let i = 0; i < settings.steps; i++) {
      if (ctx.signal.aborted) {
        stopReason = 'cancelled';
        break;
      }
      const lr = sweepLr(settings, i);
      trainer.optimizer.setLr(lr);
      let loss = trainer.stepOn(loaded.data.train, sampler.next());
      if (settings.signal === 'val' && Number.isFinite(loss)) {
        loss = trainer.evaluate(loaded.data.validation, 256, valSamples).loss;
      }
      const { point, stop } = tracker.push(lr, loss);
      ctx.reporter.point(series, {
        step: i,
        lr,
        momentum: settings.momentum,
        loss: point.loss,
        smoothed: point.smoothed,
        valLoss: settings.signal === 'val' ? point.loss : null,
        valAccuracy: null,
        seconds: (performance.now() - started) / 1000,
      });
      ctx.reporter.progress('range-test', `step ${i + 1}/${settings.steps}, LR ${lr.toExponential(2)}, loss ${point.smoothed?.toPrecision(4) ?? 'NaN'}`, (i + 1) / settings.steps);
      if (stop !== null) {
        stopReason = stop;
        divergedAt = lr;
        break;
      }
      await yieldToEventLoop();
    }
  } finally {
    trainer.dispose();
    loaded.disposeModel(model);
  }
  ctx.reporter.flush();
  return { points: tracker.points, stopReason, divergedAt, seconds: (performance.now() - started) / 1000 };
}

/**
 * A batch size that fits the data: an explicit one larger than the data is an error; the default
 * is lowered to a quarter of the data, with a warning.
 */
export function fitBatchSize(batchSize: number, explicit: boolean, count: number, warnings: string[]): number {
  if (batchSize <= count) return batchSize;
  const fitting = Math.max(1, Math.floor(count / 4));
  if (explicit) {
    throw new OptionError('batchSize', `${flagOf('batchSize')} (${batchSize}) is larger than the training data (${count} samples).`, `Use --batch-size ${fitting} or less.`);
  }
  warnings.push(`The default batch size ${batchSize} is larger than the training data (${count} samples); using ${fitting}.`);
  return fitting;
}

/**
 * Words for a curve that ended badly or reads ambiguously, so the result says what happened and
 * what to try: the hints' decision table (`src/core/hints.ts`; the blocking ones are the
 * suggestions' reasons already), and a curve still clearly falling at --end-lr.
 */
export function curveWarnings(curve: RangeCurve, settings: FindLrSettings, baseline: Baseline | null = null): string[] {
  const shape = curveShape(curve.points);
  const hints = rangeHints({ shape, recorded: curve.points.length, finite: curve.points.filter((p) => p.loss !== null).length, stopReason: curve.stopReason, divergedAt: curve.divergedAt, settings, baseline });
  const warnings = hints.filter((h) => !h.blocking || h.case === 'nan-at-start').map((h) => h.message);
  if (curve.stopReason === 'completed') {
    // Only a curve still clearly falling at the end is a problem; one that flattened or turned
    // up without reaching k × best is fine (the EMA's lag would say "falling" too often: use the centred curve).
    const last = shape?.slopes.at(-1);
    if (shape !== null && !shape.flat && last !== undefined && last <= -CLEARLY_FALLING_PER_DECADE * shape.drop && !hints.some((h) => h.blocking)) {
      warnings.push('The loss was still falling at --end-lr: the suggestions may be too low; raise --end-lr.');
    }
  }
  return warnings;
}

export async function findLr(request: FindLrRequest, ctx: RunContext): Promise<FindLrResult> {
  resolveFindLrSettings(request, null); // fail on bad options before loading anything
  throwIfAborted(ctx.signal);
  const loaded = await loadForRun(request, ctx);
  const warnings: string[] = [];
  const resolved = resolveFindLrSettings(request, loaded.compiledOptimizer);
  const settings = { ...resolved, batchSize: fitBatchSize(resolved.batchSize, request.batchSize !== undefined, loaded.data.train.count, warnings) };
  ctx.reporter.progress('range-test', `LR range test on ${backendLabel(loaded.backend)}`, 0, true);
  const hp = request.dropout === undefined ? {} : { dropout: request.dropout };
  const curve = await rangeTestCurve(loaded, settings, hp, ctx, 'main', request.valSamples);
  const s = suggest(curve.points, { baseline: loaded.baseline, stopReason: curve.stopReason, divergedAt: curve.divergedAt, settings });
  return {
    kind: 'find-lr',
    model: loaded.file,
    backend: loaded.backend.name,
    backendNote: loaded.backend.note,
    backendThreads: loaded.backend.threads,
    seconds: curve.seconds,
    settings,
    points: curve.points,
    divergedAt: curve.divergedAt,
    stopReason: curve.stopReason,
    suggestions: s.suggestions,
    range: s.range,
    reasons: s.reasons,
    warnings: [...loaded.warnings, ...warnings, ...curveWarnings(curve, settings, loaded.baseline)],
    baseline: loaded.baseline,
  };
}
