/**
 * Batch size by wall-clock time (method.md §6): each size gets its own range test (its own max
 * LR) and then a 1cycle run of the same wall time; compared on validation loss/accuracy against
 * time and time to target. Each size runs in its own engine process, so one that exhausts
 * memory (a wasm abort or a JS heap OOM kills the process) is skipped with the reason.
 */
import type { BatchSizeRequest, BatchSizeTrialRequest, FindLrRequest } from '../../protocol/requests';
import type { BatchSizeResult, BatchSizeRun, Baseline, EpochRecord, OptimizerReport, TimePoint } from '../../protocol/results';
import type { AppendParams } from '../../protocol/progress';
import { LrLabError, OptionError, flagOf } from '../../protocol/errors';
import { suggest } from '../../core/suggestions';
import { bestBatchSize } from '../../core/decisions';
import { runInChild } from '../childRun';
import { loadForRun } from '../session';
import type { RunContext } from './runContext';
import { rangeTestCurve, resolveFindLrSettings } from './findLr';
import { MAX_EPOCHS, train } from './train';
import { OPTIONS } from '../../protocol/options';
import { chooseOptimizer } from '../optimizerChoice';

/** Positions of the time-driven 1cycle (its shape does not depend on the length). */
const TIME_CLOCK_RESOLUTION = 10_000;

/** Steps per second over the epochs completed before the last (the last may be cut by the budget), evaluations included. */
function stepsPerSecondOf(history: readonly EpochRecord[], perEpoch: number): number | null {
  const complete = history.slice(0, -1).at(-1);
  return complete === undefined || complete.seconds <= 0 ? null : (complete.epoch * perEpoch) / complete.seconds;
}

function checkRequest(request: BatchSizeRequest | BatchSizeTrialRequest): void {
  if (!Number.isFinite(request.budgetSeconds) || request.budgetSeconds <= 0 || request.budgetSeconds > 86_400) {
    throw new OptionError('budget', `--budget must be a positive time (seconds, or with a unit like 60s, 5m), got ${String(request.budgetSeconds)}.`);
  }
  if (request.targetAccuracy !== undefined && !(request.targetAccuracy > 0 && request.targetAccuracy <= 1)) throw new OptionError('targetAcc', `${flagOf('targetAcc')} must be in (0, 1], got ${request.targetAccuracy}.`);
  if (request.targetLoss !== undefined && !Number.isFinite(request.targetLoss)) throw new OptionError('targetLoss', `${flagOf('targetLoss')} must be a number.`);
}

/** One size, inside its own engine process: range test → max LR → 1cycle for the budget. */
export async function batchSizeTrial(request: BatchSizeTrialRequest, ctx: RunContext): Promise<BatchSizeResult> {
  checkRequest(request);
  const { kind: _kind, batchSize, budgetSeconds, targetAccuracy, targetLoss, rangeSteps, ...common } = request;
  const findRequest: FindLrRequest = { ...common, kind: 'find-lr', batchSize, steps: rangeSteps ?? OPTIONS.rangeSteps.default };
  const loaded = await loadForRun(findRequest, ctx);
  const choice = chooseOptimizer(findRequest, loaded.compiledOptimizer, loaded.file);
  const skipped = (reason: string): BatchSizeResult => result(request, loaded.file, loaded.backend.name, choice.report, [{ batchSize, status: 'skipped', reason, maxLr: null, stepsPerSecond: null, curve: [], timeToTarget: null, finalValLoss: null, finalValAccuracy: null }], loaded.baseline);
  if (batchSize > loaded.data.train.count) return skipped(`larger than the training data (${loaded.data.train.count} samples)`);
  const settings = resolveFindLrSettings(findRequest, choice);
  const curve = await rangeTestCurve(loaded, settings, {}, ctx, `batch ${batchSize} range test`, { optimizer: choice.params });
  const s = suggest(curve.points, { baseline: loaded.baseline, stopReason: curve.stopReason, divergedAt: curve.divergedAt, settings });
  const maxLr = s.range?.maxLr ?? s.suggestions.valley ?? s.suggestions.steep;
  if (maxLr === null) return skipped(`its range test found no usable LR (${s.reasons.range})`);
  // Equal wall time: the cycle follows the clock, so every size runs one whole 1cycle (annihilation
  // included) in exactly the budget, however much its steps cost; its length only sets the resolution.
  const perEpoch = Math.max(1, Math.floor(loaded.data.train.count / batchSize));
  const trained = await train({ ...common, kind: 'train', batchSize, policy: 'smith', schedule: { maxLr, totalSteps: TIME_CLOCK_RESOLUTION }, epochs: MAX_EPOCHS, budgetSeconds, scheduleClock: 'time' }, ctx);
  const points: TimePoint[] = trained.history.map((h) => ({ seconds: h.seconds, epoch: h.epoch, valLoss: h.valLoss, valAccuracy: h.valAccuracy }));
  const reached = points.find((p) => (targetAccuracy !== undefined && p.valAccuracy !== null && p.valAccuracy >= targetAccuracy) || (targetLoss !== undefined && p.valLoss !== null && p.valLoss <= targetLoss));
  const last = points.at(-1);
  return result(request, loaded.file, loaded.backend.name, choice.report, [{
    batchSize,
    status: 'ok',
    reason: null,
    maxLr,
    stepsPerSecond: stepsPerSecondOf(trained.history, perEpoch),
    curve: points,
    timeToTarget: reached?.seconds ?? null,
    finalValLoss: last?.valLoss ?? null,
    finalValAccuracy: last?.valAccuracy ?? null,
  }], loaded.baseline);
}

function result(request: BatchSizeRequest | BatchSizeTrialRequest, model: string, backend: BatchSizeResult['backend'], optimizer: OptimizerReport | null, runs: BatchSizeRun[], baseline: Baseline | null, seconds = 0): BatchSizeResult {
  const hasTarget = request.targetAccuracy !== undefined || request.targetLoss !== undefined;
  const { best, reason } = bestBatchSize(runs.map((r) => ({ batchSize: r.batchSize, ok: r.status === 'ok', timeToTarget: r.timeToTarget, finalValLoss: r.finalValLoss })), hasTarget);
  return {
    kind: 'batch-size',
    model,
    backend,
    seconds,
    budgetSeconds: request.budgetSeconds,
    target: request.targetAccuracy !== undefined ? { metric: 'accuracy', value: request.targetAccuracy } : request.targetLoss !== undefined ? { metric: 'loss', value: request.targetLoss } : null,
    runs,
    best,
    reason,
    ...(optimizer === null ? {} : { optimizer }),
    warnings: [],
    baseline,
  };
}

export async function batchSizeStudy(request: BatchSizeRequest, ctx: RunContext): Promise<BatchSizeResult> {
  checkRequest(request);
  const sizes = request.sizes ?? OPTIONS.sizes.default;
  for (const size of sizes) if (!Number.isInteger(size) || size < 1) throw new OptionError('sizes', `${flagOf('sizes')} must be whole numbers ≥ 1, got ${String(size)}.`);
  const started = performance.now();
  const runs: BatchSizeRun[] = [];
  let model = request.model;
  let backend: BatchSizeResult['backend'] = 'wasm';
  let baseline: Baseline | null = null;
  let optimizer: OptimizerReport | null = null;
  for (const [i, batchSize] of sizes.entries()) {
    if (ctx.signal.aborted) break;
    ctx.reporter.progress('batch-size', `batch size ${batchSize} (${i + 1}/${sizes.length}): range test, then ${request.budgetSeconds} s of 1cycle`, i / sizes.length, true);
    const { kind: _kind, sizes: _sizes, ...rest } = request;
    try {
      // The child's points stream live: its range test under its own name, its training as `batch N`.
      const onAppend = (a: AppendParams): void => {
        for (const p of a.points) ctx.reporter.point(a.series === 'train' ? `batch ${batchSize}` : a.series, p);
      };
      const trial = (await runInChild({ ...rest, kind: 'batch-size-trial', batchSize }, { signal: ctx.signal, onAppend })) as BatchSizeResult;
      ctx.reporter.flush();
      model = trial.model;
      backend = trial.backend;
      baseline ??= trial.baseline;
      optimizer ??= trial.optimizer ?? null;
      runs.push(...trial.runs);
    } catch (error) {
      const lrlab = error instanceof LrLabError ? error : new LrLabError('internal', String(error));
      if (lrlab.code === 'cancelled' || ctx.signal.aborted) break;
      if (lrlab.code !== 'out-of-memory' && lrlab.code !== 'internal') throw lrlab;
      runs.push({ batchSize, status: lrlab.code === 'out-of-memory' ? 'skipped' : 'failed', reason: lrlab.message, maxLr: null, stepsPerSecond: null, curve: [], timeToTarget: null, finalValLoss: null, finalValAccuracy: null });
    }
  }
  const out = result(request, model, backend, optimizer, runs, baseline, (performance.now() - started) / 1000);
  const warnings = ctx.signal.aborted ? [`Cancelled after ${runs.length} of ${sizes.length} batch sizes.`] : [];
  return { ...out, warnings };
}
