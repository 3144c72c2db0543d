/**
 * Batch size by wall-clock time (method.md §6): each size gets its own range test (its own max
 * LR) and then a 1cycle run; compared on validation loss/accuracy against time and time to
 * target. Each size runs in its own engine process, so one that exhausts memory (a wasm abort or
 * a JS heap OOM kills the process) is skipped with the reason.
 *
 * `--budget` is the whole study's wall time, from start to result. The sizes run one after another;
 * before each, what is left is shared equally among the sizes still to run (`shareOfBudget`), and
 * the size's engine start-up, data loading and range test come out of its share: it trains for
 * the rest, and never longer than the first size trained, so that sizes train for equal time.
 *
 * With `--redis` the sizes run in parallel on `lrlab worker` processes (`runTrials`): all are
 * queued at once, and each gets an equal share of the whole budget (`shareOfBudget` with
 * `parallel` = the sizes queued), counted from its engine's start on the worker.
 */
import path from 'node:path';
import type { BatchSizeRequest, BatchSizeTrialRequest, FindLrRequest } from '../../protocol/requests';
import type { BatchSizeResult, BatchSizeRun, Baseline, EpochRecord, OptimizerReport, TimePoint } from '../../protocol/results';
import { batchSizeSeries } from '../../protocol/progress';
import type { AppendParams, LogParams } from '../../protocol/progress';
import { LrLabError, OptionError, flagOf } from '../../protocol/errors';
import { suggest } from '../../core/suggestions';
import { recommend } from '../../core/headline';
import { planRangeRetry } from '../../core/rangeRetry';
import { MAX_RANGE_STEPS } from '../../core/rangeTest';
import { UNEQUAL_TIMES, allAboveBaseline, bestBatchSize, leastBadOfFailures, targetReached } from '../../core/decisions';
import { baselineLevel, baselineLossOf } from '../../core/baseline';
import { runInChild } from '../childRun';
import { loadForRun } from '../session';
import type { RunContext } from './runContext';
import { rangeTestCurve, resolveFindLrSettings } from './findLr';
import { MAX_EPOCHS, TIME_CLOCK_RESOLUTION, train } from './train';
import { liveWorkers, runTrials, sourceOf } from './trials';
import type { TrialOutcome, TrialTiming } from './trials';
import { registerShippedBundle } from '../modelFile';
import { SCRIPT_SOURCE_NOTE } from '../scriptModel';
import { OPTIONS } from '../../protocol/options';
import { chooseOptimizer } from '../optimizerChoice';
import { checkBudget, checkGivenNumbers } from '../../protocol/optionRules';
import { isUserCodeThrow, thrownText } from '../errorMapping';
import { formatCount, formatLoss, formatLr, formatPercent, formatSeconds } from '../../protocol/format';

/** A size's share keeps this for what follows its training: the result's way back and its process's exit. */
export const TRIAL_RESERVE_SECONDS = 0.25;
/** The study keeps this for what follows the last size: the decision and printing it. */
export const STUDY_RESERVE_SECONDS = 0.1;
/** A size's engine is stopped this long after its share of the budget ends (its result on the way back). */
const DEADLINE_GRACE_SECONDS = 1;
/** Fewest seconds of training a size is worth running for. */
export const MIN_TRIAL_TRAIN_SECONDS = 0.5;
/** Without a terminal, a size's training is reported at most this often (seconds), besides when it ends. */
const EPOCH_LINE_SECONDS = 10;

/**
 * A size's share of the time left: `leftSeconds` split equally among the sizes still to run.
 * Sizes that run at the same time (`parallel` of them, on workers) share wall time rather than
 * divide it: each wave of `parallel` sizes gets an equal part.
 */
export function shareOfBudget(leftSeconds: number, sizesLeft: number, parallel = 1): number {
  const waves = Math.ceil(Math.max(1, sizesLeft) / Math.max(1, parallel));
  return Math.max(0, leftSeconds) / waves;
}

/** Steps per second over the epochs completed before the last (the last may be cut by the budget), evaluations included. */
function stepsPerSecondOf(history: readonly EpochRecord[], perEpoch: number): number | null {
  const complete = history.slice(0, -1).at(-1);
  return complete === undefined || complete.seconds <= 0 ? null : (complete.epoch * perEpoch) / complete.seconds;
}

function checkRequest(request: BatchSizeRequest | BatchSizeTrialRequest): void {
  // A size's own share (a trial's budget) may be under the study's minimum: the study checked the --budget given.
  checkBudget(request.budgetSeconds, 'budget', request.kind === 'batch-size');
  // The sizes' range tests' options, before any size starts (they failed inside the first size).
  checkGivenNumbers(request, ['startLr', 'endLr', 'rangeSteps', 'seed']);
  const start = request.startLr ?? OPTIONS.startLr.default;
  const end = request.endLr ?? OPTIONS.endLr.default;
  if (!(start < end)) throw new OptionError(request.startLr !== undefined ? 'startLr' : 'endLr', `${flagOf('startLr')} (${start}) must be below ${flagOf('endLr')} (${end}).`, `Each size's range test sweeps the LR upwards, e.g. ${flagOf('startLr')} 1e-7 ${flagOf('endLr')} 10.`);
  if (request.targetAccuracy !== undefined && !(request.targetAccuracy > 0 && request.targetAccuracy <= 1)) throw new OptionError('targetAcc', `${flagOf('targetAcc')} must be in (0, 1], got ${request.targetAccuracy}.`);
  if (request.targetLoss !== undefined && !Number.isFinite(request.targetLoss)) throw new OptionError('targetLoss', `${flagOf('targetLoss')} must be a number.`);
}

/**
 * One size, inside its own engine process: range test → max LR → 1cycle until its share of the
 * budget (`budgetSeconds`, counted from this process's start: `performance.now()` is 0 there) is
 * used, or for `trainSeconds` when that comes first.
 */
export async function batchSizeTrial(request: BatchSizeTrialRequest, ctx: RunContext): Promise<BatchSizeResult> {
  checkRequest(request);
  const { kind: _kind, batchSize, budgetSeconds, trainSeconds, targetAccuracy: _targetAccuracy, targetLoss: _targetLoss, rangeSteps, modelBundle, ...common } = request;
  // On a worker: the model file as the job shipped it (its path need not exist here).
  if (modelBundle !== undefined) registerShippedBundle(modelBundle);
  const findRequest: FindLrRequest = { ...common, kind: 'find-lr', batchSize, steps: rangeSteps ?? OPTIONS.rangeSteps.default };
  const loaded = await loadForRun(findRequest, ctx);
  // Refused before any size trains: a regression's study ran its whole budget, then said the target was never reached.
  if (request.targetAccuracy !== undefined && loaded.accuracy === null) {
    const file = path.basename(loaded.file);
    // A loss of the model's own (a focal loss) reports accuracy where its compile names the metric.
    if (baselineLossOf(loaded.loss.name) === null) {
      throw new OptionError('targetAcc', `${flagOf('targetAcc')} ${request.targetAccuracy}: ${file}'s model reports no accuracy to reach: its loss (${loaded.loss.name}) is its own, and its compile names no accuracy metric.`, `Compile it with metrics: ['accuracy'], or give ${flagOf('targetLoss')} instead, a validation loss to reach.`);
    }
    throw new OptionError('targetAcc', `${flagOf('targetAcc')} ${request.targetAccuracy}: ${file}'s loss (${loaded.loss.name}) is not a classification loss, so the model reports no accuracy to reach.`, `Give ${flagOf('targetLoss')} instead, a validation loss to reach.`);
  }
  // A loss of a kind we know is never below 0: a target at or below it is never reached, and the study ran its whole budget to say so.
  if (request.targetLoss !== undefined && request.targetLoss <= 0 && baselineLossOf(loaded.loss.name) !== null) {
    const level = baselineLevel(loaded.baseline, 'val');
    throw new OptionError('targetLoss', `${flagOf('targetLoss')} ${request.targetLoss}: ${path.basename(loaded.file)}'s loss (${loaded.loss.name}) is never below 0, so no batch size reaches it.`, `Give a validation loss above 0 to reach${level === null ? '' : `, below the baseline loss ${formatLoss(level)} (always predicting the best constant)`}.`);
  }
  const choice = chooseOptimizer(findRequest, loaded.compiledOptimizer, loaded.file);
  const skipped = (reason: string): BatchSizeResult => result(request, loaded.file, loaded.backend.name, choice.report, [{ batchSize, status: 'skipped', reason, maxLr: null, stepsPerSecond: null, curve: [], timeToTarget: null, finalValLoss: null, finalValAccuracy: null }], loaded.baseline, 0, loaded.warnings);
  // The count goes back to the study, which then starts no engine for a size above it.
  if (batchSize > loaded.data.train.count) return { ...skipped(`larger than the training data (${loaded.data.train.count} samples)`), trainSamples: loaded.data.train.count };
  let settings = resolveFindLrSettings(findRequest, choice);
  const series = batchSizeSeries(batchSize, true);
  let curve = await rangeTestCurve(loaded, settings, {}, ctx, series, { optimizer: choice.params });
  // The headline as find-lr reports it: the curve alone (findLr.ts says why).
  let maxLr = recommend(curve.points, loaded.loss.name)?.maxLr ?? null;
  // In the study's own flags: each size's range test runs --range-steps, and its batch size is the one compared.
  const whyNone = (): string => suggest(curve.points, { baseline: loaded.baseline, stopReason: curve.stopReason, divergedAt: curve.divergedAt, settings }).reasons.range.replace(/raise --batch-size or /g, '').replace(/--steps\b/g, '--range-steps');
  let notRetried = '';
  let retryNote: string[] = [];
  if (maxLr === null && curve.stopReason !== 'cancelled' && !ctx.signal.aborted) {
    // As find-lr does: a test that learned nothing yet (a slow starter) runs again, longer and wider,
    // when that fits in half of what is left of this size's share (a user's slow LSTM had every size
    // skipped after one 60-step test each).
    const first = { why: whyNone(), steps: settings.steps, endLr: settings.endLr };
    const left = budgetSeconds - performance.now() / 1000 - TRIAL_RESERVE_SECONDS - MIN_TRIAL_TRAIN_SECONDS;
    const plan = planRangeRetry({ points: curve.points, stopReason: curve.stopReason, divergedAt: curve.divergedAt, settings, baseline: loaded.baseline, seconds: curve.seconds }, left, MAX_RANGE_STEPS);
    if ('none' in plan) {
      notRetried = `; not retried: ${plan.none.replace(/--budget\b/g, '--budget or fewer --sizes')}`;
    } else {
      // planRangeRetry's why: "<what was wrong>; retrying with <steps and range>".
      const [what, how = ''] = plan.why.split('; ');
      const retry = `a retry ${how.replace(/^retrying /, '')}`;
      ctx.reporter.log('info', `batch ${batchSize}: no usable LR from its range test: ${plan.why}`);
      ctx.reporter.restart(series);
      settings = { ...settings, ...plan.settings };
      curve = await rangeTestCurve(loaded, settings, {}, ctx, series, { optimizer: choice.params });
      maxLr = recommend(curve.points, loaded.loss.name)?.maxLr ?? null;
      if (maxLr === null) return skipped(`its range test found no usable LR (${first.why}); ${retry} found none either: ${whyNone()}`);
      retryNote = [`Batch ${batchSize}: its range test of ${formatCount(first.steps, 'step')} up to --end-lr ${formatLr(first.endLr)} gave no usable LR (${what}); ${retry} found max LR ${formatLr(maxLr)}, and the size trained for what was left of its share.`];
      ctx.reporter.log('info', retryNote[0]!);
    }
  }
  if (maxLr === null) return skipped(`its range test found no usable LR (${whyNone()})${notRetried}`);
  const used = performance.now() / 1000;
  const trainFor = Math.min(budgetSeconds - used - TRIAL_RESERVE_SECONDS, trainSeconds ?? Number.POSITIVE_INFINITY);
  if (trainFor < MIN_TRIAL_TRAIN_SECONDS) {
    return skipped(`its engine start-up and range test took ${formatSeconds(used)} of its ${formatSeconds(budgetSeconds)} share of --budget, leaving no time to train; give a larger --budget or fewer --sizes`);
  }
  ctx.reporter.log('info', `batch ${batchSize}: max LR ${formatLr(maxLr)} from its range test (${formatSeconds(used)} with start-up); 1cycle for ${formatSeconds(trainFor)}`);
  // Equal wall time: the cycle follows the clock, so every size runs one whole 1cycle (annihilation
  // included) in exactly its training time, however much its steps cost; its length only sets the resolution.
  const perEpoch = Math.max(1, Math.floor(loaded.data.train.count / batchSize));
  const trained = await train({ ...common, kind: 'train', batchSize, policy: 'smith', schedule: { maxLr, totalSteps: TIME_CLOCK_RESOLUTION }, epochs: MAX_EPOCHS, budgetSeconds: trainFor, scheduleClock: 'time' }, ctx);
  const points: TimePoint[] = trained.history.map((h) => ({ seconds: h.seconds, epoch: h.epoch, valLoss: h.valLoss, valAccuracy: h.valAccuracy }));
  const reached = reachedTarget(request, points);
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
  }], loaded.baseline, 0, [...loaded.warnings, ...retryNote]);
}

/** When a size's curve reached the request's target for good (`targetReached`); `null` without a target. */
function reachedTarget(request: BatchSizeRequest | BatchSizeTrialRequest, curve: readonly TimePoint[]): { seconds: number; notYetAt: number } | null {
  const { targetAccuracy, targetLoss } = request;
  if (targetAccuracy === undefined && targetLoss === undefined) return null;
  const meets = (p: TimePoint): boolean => (targetAccuracy !== undefined && p.valAccuracy !== null && p.valAccuracy >= targetAccuracy) || (targetLoss !== undefined && p.valLoss !== null && p.valLoss <= targetLoss);
  return targetReached(curve.map((p) => ({ seconds: p.seconds, meets: meets(p) })));
}

/** `--backend` as given; `auto` is the wasm default here (tfjs-node, where installed, is named once an engine reports it). */
function requestedBackend(request: BatchSizeRequest): BatchSizeResult['backend'] {
  return request.backend === undefined || request.backend === 'auto' ? 'wasm' : request.backend;
}

function result(request: BatchSizeRequest | BatchSizeTrialRequest, model: string, backend: BatchSizeResult['backend'], optimizer: OptimizerReport | null, runs: BatchSizeRun[], baseline: Baseline | null, seconds = 0, warnings: readonly string[] = [], cancelled = false): BatchSizeResult {
  const hasTarget = request.targetAccuracy !== undefined || request.targetLoss !== undefined;
  const notYetAt = (r: BatchSizeRun): { notYetAt?: number } => {
    const reached = r.timeToTarget === null ? null : reachedTarget(request, r.curve);
    return reached === null ? {} : { notYetAt: reached.notYetAt };
  };
  // A cancelled study's sizes trained for unequal times (the last one cut short, the rest not run):
  // no pick from them (one that trained 0.7 s against 8 s "ended with the lowest validation loss").
  // One size trained: nothing was compared (`--sizes 32`, or 64 beside a 2048 larger than the data
  // printed "best: batch 32 ends … with the lowest validation loss").
  const trained = runs.filter((r) => r.status === 'ok');
  const alone = request.kind === 'batch-size' && trained.length === 1 ? trained[0]! : null;
  const ranked = cancelled && request.kind === 'batch-size'
    ? { best: null, reason: 'cancelled: the sizes did not train for equal times (the one running was cut short, any after it never ran), so none is picked' }
    : alone !== null
    ? { best: null, reason: `only batch ${alone.batchSize} trained${runs.length > 1 ? ` (of ${formatCount(runs.length, 'size')})` : ''}, so nothing was compared: give ${flagOf('sizes')} two or more sizes that fit the data and the budget` }
    : bestBatchSize(runs.map((r) => ({ batchSize: r.batchSize, ok: r.status === 'ok', timeToTarget: r.timeToTarget, finalValLoss: r.finalValLoss, finalValAccuracy: r.finalValAccuracy, ...notYetAt(r) })), hasTarget, trainedTimes(trained), baseline?.valSamples, baselineLevel(baseline, 'val'));
  // The study's ranking (not one size's trial): said when every size ended worse than knowing nothing.
  const level = baselineLevel(baseline, 'val');
  // Not for a cancelled study: the size cut short ended mid-cycle, at an LR still high (after Ctrl-C it read
  // "Every size ended above the baseline … Fix that first").
  const failures = request.kind === 'batch-size' && !cancelled ? allAboveBaseline(runs.filter((r) => r.status === 'ok').map((r) => ({ label: `batch ${r.batchSize}`, final: r.finalValLoss, lowest: lowestOf(r.curve) })), level, 'size') : null;
  const { best } = ranked;
  const reason = failures === null || best === null || level === null ? ranked.reason : leastBadOfFailures(ranked.reason, level, 'size');
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
    warnings: [...warnings, ...(failures === null ? [] : [failures])],
    baseline,
  };
}

/** A size's lowest validation loss along its run. */
function lowestOf(curve: readonly TimePoint[]): number | null {
  const losses = curve.map((p) => p.valLoss).filter((v): v is number => v !== null && Number.isFinite(v));
  return losses.length === 0 ? null : Math.min(...losses);
}

/**
 * The study: sizes one after another, each in its own engine, within `budgetSeconds` of wall time
 * counted from `clockStart` (a `performance.now()` time; the CLI passes its process's start, 0).
 */
export async function batchSizeStudy(request: BatchSizeRequest, ctx: RunContext, clockStart = performance.now()): Promise<BatchSizeResult> {
  checkRequest(request);
  const sizes = request.sizes ?? OPTIONS.sizes.default;
  for (const size of sizes) if (!Number.isInteger(size) || size < 1) throw new OptionError('sizes', `${flagOf('sizes')} must be whole numbers ≥ 1, got ${String(size)}.`);
  if (request.redis !== undefined) return remoteBatchSizeStudy(request, sizes, ctx, clockStart);
  const budget = request.budgetSeconds;
  const elapsed = (): number => (performance.now() - clockStart) / 1000;
  const runs: BatchSizeRun[] = [];
  let model = request.model;
  // The backend asked for, until a size's engine says which ran (a study where no size trained still names it).
  let backend: BatchSizeResult['backend'] = requestedBackend(request);
  let baseline: Baseline | null = null;
  let optimizer: OptimizerReport | null = null;
  /** What the sizes' engines said about the data and backend, once each. */
  const trialWarnings = new Set<string>();
  /** How long the first size that trained trained: no later size trains longer. */
  let equalSeconds: number | undefined;
  /** The training split's samples, once a size larger than it said so: no engine starts for a size above it. */
  let trainSamples: number | undefined;
  const tooLarge = (size: number): boolean => trainSamples !== undefined && size > trainSamples;
  // Largest first: a size larger than the data (or than memory) is skipped within its engine's start-up,
  // and the sizes that can train share the budget (`--sizes 16,2000` gave batch 16 half of it, 2000
  // taking the other half's place to say it was larger than the data). The result keeps the order given.
  const order = [...sizes.entries()].sort(([, a], [, b]) => b - a);
  const byIndex = new Map<number, BatchSizeRun>();
  for (const [n, [i, batchSize]] of order.entries()) {
    if (ctx.signal.aborted) break;
    const label = `batch ${batchSize} (${n + 1}/${sizes.length})`;
    if (tooLarge(batchSize)) {
      const reason = `larger than the training data (${trainSamples} samples)`;
      byIndex.set(i, { batchSize, status: 'skipped', reason, maxLr: null, stepsPerSecond: null, curve: [], timeToTarget: null, finalValLoss: null, finalValAccuracy: null });
      ctx.reporter.log('info', `${label}: skipped, ${reason}`);
      continue;
    }
    const share = shareOfBudget(budget - elapsed() - STUDY_RESERVE_SECONDS, order.slice(n).filter(([, size]) => !tooLarge(size)).length);
    if (share <= TRIAL_RESERVE_SECONDS + MIN_TRIAL_TRAIN_SECONDS) {
      byIndex.set(i, { batchSize, status: 'skipped', reason: `no time left of --budget ${formatSeconds(budget)}`, maxLr: null, stepsPerSecond: null, curve: [], timeToTarget: null, finalValLoss: null, finalValAccuracy: null });
      ctx.reporter.log('info', `${label}: skipped, no time left of --budget ${formatSeconds(budget)}`);
      continue;
    }
    ctx.reporter.progress('batch-size', `${label}: range test, then 1cycle; ${formatSeconds(share)} for this size (${formatSeconds(elapsed())} of ${formatSeconds(budget)} used)`, elapsed() / budget, true);
    const { kind: _kind, sizes: _sizes, redis: _redis, ...rest } = request;
    let lastLine = performance.now();
    // Its share is a deadline: a size still starting up or testing when it ends is stopped. (A
    // plain timer: an AbortSignal.timeout inside AbortSignal.any can be collected before it fires.)
    const stop = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stop.abort();
    }, Math.round((share + DEADLINE_GRACE_SECONDS) * 1000));
    const onCancel = (): void => stop.abort();
    ctx.signal.addEventListener('abort', onCancel, { once: true });
    /** Whether the size's engine sent a point: none, and its share went on loading (a createModel that never returned read "give a larger --budget"). */
    let pointsCame = false;
    const shareRanOut = (): string => pointsCame
      ? `its ${formatSeconds(share)} share of --budget ${formatSeconds(budget)} ran out before it trained (engine start-up and range test); give a larger --budget or fewer --sizes`
      : `its ${formatSeconds(share)} share of --budget ${formatSeconds(budget)} ran out before its range test began: the engine's start-up and the model file (its top level, createModel(), loadData()) took all of it. Check that they return, or give a larger --budget`;
    try {
      // The child's points stream live: its range test under its own name, its training as `batch N`.
      const onAppend = (a: AppendParams): void => {
        if (a.points.length > 0) pointsCame = true;
        const series = a.series === 'train' ? batchSizeSeries(batchSize) : a.series;
        // A range test run again replaces its first (the restart crosses from the child).
        if (a.restart === true) ctx.reporter.restart(series);
        for (const p of a.points) ctx.reporter.point(series, p);
        // The time used moves with the size's points (it read "0.003 s of 5 min used" for a size's first 75 s).
        ctx.reporter.progress('batch-size', () => `${label}: ${a.series === 'train' ? '1cycle' : 'range test'}; ${formatSeconds(share)} for this size (${formatSeconds(elapsed())} of ${formatSeconds(budget)} used)`, elapsed() / budget);
        const last = a.series === 'train' ? a.points.at(-1) : undefined;
        if (last !== undefined && performance.now() - lastLine >= EPOCH_LINE_SECONDS * 1000) {
          lastLine = performance.now();
          ctx.reporter.log('info', `${label}: epoch ${last.step}, ${formatSeconds(last.seconds)} trained, val loss ${formatLoss(last.valLoss)}${last.valAccuracy === null ? '' : `, val acc ${formatPercent(last.valAccuracy)}`}`);
        }
      };
      const onLog = (l: LogParams): void => ctx.reporter.log(l.level, l.message);
      const trialRequest: BatchSizeTrialRequest = { ...rest, kind: 'batch-size-trial', batchSize, budgetSeconds: share, ...(equalSeconds === undefined ? {} : { trainSeconds: equalSeconds }) };
      const trial = (await runInChild(trialRequest, { signal: stop.signal, onAppend, onLog })) as BatchSizeResult;
      ctx.reporter.flush();
      model = trial.model;
      backend = trial.backend;
      trainSamples ??= trial.trainSamples;
      baseline ??= trial.baseline;
      optimizer ??= trial.optimizer ?? null;
      for (const w of trial.warnings) trialWarnings.add(w);
      // Stopped by its deadline before it trained: say that, not what a cut range test looks like.
      const run = trial.runs[0]?.status !== 'ok' && timedOut && !ctx.signal.aborted ? { ...trial.runs[0]!, reason: shareRanOut() } : trial.runs[0];
      if (run !== undefined) byIndex.set(i, run);
      const trained = run?.curve.at(-1)?.seconds;
      if (run?.status === 'ok' && trained !== undefined) equalSeconds ??= trained;
      ctx.reporter.log('info', run === undefined ? `${label}: no result` : doneLine(label, run));
    } catch (error) {
      const lrlab = error instanceof LrLabError ? error : new LrLabError('internal', thrownText(error));
      if (ctx.signal.aborted) break;
      if (timedOut) {
        const reason = shareRanOut();
        byIndex.set(i, { batchSize, status: 'skipped', reason, maxLr: null, stepsPerSecond: null, curve: [], timeToTarget: null, finalValLoss: null, finalValAccuracy: null });
        ctx.reporter.log('info', `${label}: skipped, ${reason}`);
        continue;
      }
      if (lrlab.code !== 'out-of-memory' && lrlab.code !== 'internal' && !isUserCodeThrow(lrlab)) throw lrlab;
      byIndex.set(i, { batchSize, status: lrlab.code === 'out-of-memory' ? 'skipped' : 'failed', reason: lrlab.message, maxLr: null, stepsPerSecond: null, curve: [], timeToTarget: null, finalValLoss: null, finalValAccuracy: null });
      ctx.reporter.log('info', `${label}: ${lrlab.code === 'out-of-memory' ? 'skipped' : 'failed'}, ${lrlab.message}`);
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onCancel);
    }
  }
  runs.push(...[...byIndex.entries()].sort(([a], [b]) => a - b).map(([, run]) => run));
  // Every size larger than the data: a bad --sizes (exit 2), as find-lr's --batch-size 1e9 is.
  if (trainSamples !== undefined && runs.length === sizes.length && sizes.every(tooLarge)) {
    throw new OptionError('sizes', `${flagOf('sizes')} ${sizes.join(',')}: every size is larger than the training data (${trainSamples} samples of ${path.basename(model)}).`, `Give sizes up to ${trainSamples}, e.g. ${flagOf('sizes')} ${[...new Set([16, 32, 64, 128].map((s) => Math.min(s, trainSamples)))].join(',')}.`);
  }
  const out = result(request, model, backend, optimizer, runs, baseline, elapsed(), [], ctx.signal.aborted);
  return { ...out, warnings: [...studyWarnings(runs, sizes.length, trialWarnings, ctx, request, baseline), ...out.warnings], ...(trainSamples === undefined ? {} : { trainSamples }) };
}

/** What a size's completion line says: its status, or epochs, time, final loss/accuracy and target. */
function doneLine(label: string, run: BatchSizeRun): string {
  if (run.status !== 'ok') return `${label}: ${run.status}, ${run.reason ?? ''}`;
  return `${label} done: ${formatCount(run.curve.at(-1)?.epoch ?? 0, 'epoch')} in ${formatSeconds(run.curve.at(-1)?.seconds)}, val loss ${formatLoss(run.finalValLoss)}${run.finalValAccuracy === null ? '' : `, val acc ${formatPercent(run.finalValAccuracy)}`}${run.timeToTarget === null ? '' : `, target at ${formatSeconds(run.timeToTarget)}`}`;
}

/** A size whose last validation loss is over this many times its best … */
const LOST_FACTOR = 1.5;
/** … by more than this share of the baseline level: it lost what it had learned. */
const LOST_OF_BASELINE = 0.1;

/** The words that start the note of a study whose every size lost what it had learned (the recipe shows it as its own). */
export const EVERY_SIZE_LOST = 'Every batch size lost what it had learned';

/**
 * A size whose validation loss ended far above its own best (LOST_FACTOR times, by LOST_OF_BASELINE of the
 * baseline; without a baseline, by half its fall from the start) lost what it had learned — a too-high max
 * LR for so many epochs, or overfitting — and where it ended says little about its batch size. A user's
 * study trained 800–4,600 epochs per size: every size reached 0.04–0.08 within 2 s, climbed to 0.6–1.16,
 * and the pick between sizes ending at 0.09–0.56 changed from one run to the next, without a word. Where
 * every size (of two or more) did, one note says the ranking is of that, and how to rank them instead: a
 * recipe's sizes trained 191–546 epochs, each ending 1.6–1.9x its best, and its pick went on unremarked
 * (at 2x, none was named).
 */
export function sizesThatLost(ok: readonly BatchSizeRun[], baseline: Baseline | null): string[] {
  const lost: { readonly r: BatchSizeRun; readonly best: number; readonly last: number; readonly at: BatchSizeRun['curve'][number] }[] = [];
  const level = baselineLevel(baseline, 'val');
  for (const r of ok) {
    const losses = r.curve.map((p) => p.valLoss);
    const finite = losses.filter((v): v is number => v !== null && Number.isFinite(v));
    const last = losses.at(-1);
    if (finite.length < 3 || last === null || last === undefined || !Number.isFinite(last)) continue;
    const best = Math.min(...finite);
    if (!(best > 0)) continue; // "twice its best" means nothing for a loss that can be 0 or below
    const at = r.curve[losses.indexOf(best)]!;
    const material = level === null ? last - best > 0.5 * (finite[0]! - best) : last - best > LOST_OF_BASELINE * level;
    if (last > LOST_FACTOR * best && material) lost.push({ r, best, last, at });
  }
  if (lost.length >= 2 && lost.length === ok.length) {
    const fromTo = lost.map(({ r, best, last }) => `batch ${r.batchSize} ${formatLoss(best)} → ${formatLoss(last)}`).join(', ');
    const latest = Math.max(...lost.map(({ at }) => at.seconds));
    const worstBest = Math.max(...lost.map(({ best }) => best));
    return [
      `${EVERY_SIZE_LOST} within the budget (validation loss from its best to its end: ${fromTo}), so where each ended ranks how far it overfit, or how long its max LR stayed too high, more than its batch size. Rank them by the time each takes to reach a loss instead — lrlab batch-size with --target-loss ${formatLoss(worstBest)} (the highest of their bests) — or give lrlab batch-size a shorter --budget (each had reached its best within ${formatSeconds(latest)} of training).`,
    ];
  }
  return lost.map(({ r, best, last, at }) => `Batch ${r.batchSize} lost what it had learned: its validation loss reached ${formatLoss(best)} (at ${formatSeconds(at.seconds)}, epoch ${at.epoch}) and ended at ${formatLoss(last)}${r.maxLr === null ? '' : ` at max LR ${formatLr(r.maxLr)}`}. Where it ended says more about that than about its batch size: check it with lrlab train --batch-size ${r.batchSize} at a lower max LR, or give a shorter --budget.`);
}

/** The shortest and longest time the sizes that trained (status ok) trained for; `null` for fewer than two. */
function trainedTimes(runs: readonly BatchSizeRun[]): { min: number; max: number } | null {
  const times = runs.filter((r) => r.status === 'ok').map((r) => r.curve.at(-1)?.seconds ?? 0);
  return times.length < 2 ? null : { min: Math.min(...times), max: Math.max(...times) };
}

/** The study's notes: the sizes' own (once each), a target at chance, sizes that lost what they learned, a cancel, and unequal training times. */
export function studyWarnings(runs: readonly BatchSizeRun[], sizes: number, trialWarnings: Iterable<string>, ctx: RunContext, { targetAccuracy, targetLoss }: BatchSizeRequest, baseline: Baseline | null): string[] {
  const notes = [...new Set([...trialWarnings].map(studyScriptNote))];
  // The size equal to the script's batch size says no "its batch size M": the note that does stands for both.
  const plain = (w: string): string => w.replace(/\(its batch size \d+ replaced by each size's own, /, "(each size's own, ");
  const warnings = notes.filter((w) => !notes.some((o) => o !== w && plain(o) === w));
  const ok = runs.filter((r) => r.status === 'ok');
  // A target a model reaches by always predicting the most frequent class times nothing learned (a user's
  // 95/5 classifier "reached" --target-acc 0.95 in 0.1 s at 95.6%, its validation loss above the baseline).
  const chance = baseline?.accuracy;
  const level = baselineLevel(baseline, 'val');
  if (targetAccuracy !== undefined && chance !== undefined && targetAccuracy <= chance) {
    warnings.push(`--target-acc ${targetAccuracy} is not above the ${formatPercent(chance)} validation accuracy of always predicting the most frequent class: a model that learned nothing reaches it, so the times to it say nothing about training. Give a target above ${formatPercent(chance)}${level === null ? '' : `, or --target-loss below the baseline loss ${formatLoss(level)}`}.`);
  }
  // The same for a loss: the best constant's validation loss is reached without learning anything.
  if (targetLoss !== undefined && level !== null && targetLoss >= level) {
    warnings.push(`--target-loss ${targetLoss} is not below the validation loss ${formatLoss(level)} of always predicting the best constant: a model that learned nothing reaches it, so the times to it say nothing about training. Give a target below ${formatLoss(level)}.`);
  }
  // A cancel cuts the running size short mid-cycle: where it ended says nothing (it read "lost what it had learned").
  if (!ctx.signal.aborted) warnings.push(...sizesThatLost(ok, baseline));
  if (ctx.signal.aborted) warnings.push(`Cancelled after ${runs.length} of ${formatCount(sizes, 'batch size')}.`);
  const trainedFor = trainedTimes(ok);
  if (trainedFor !== null && trainedFor.min < UNEQUAL_TIMES * trainedFor.max) {
    warnings.push(`The sizes trained for unequal times (${formatSeconds(trainedFor.min)} to ${formatSeconds(trainedFor.max)}): each size's start-up and range test come out of its share of --budget. Compare the curves at equal time, or give a larger --budget.`);
  }
  return warnings;
}

/**
 * `--redis`: every size is queued at once and runs in parallel on the workers, each with an equal
 * share of the whole budget (`parallel` = the sizes queued), counted from its engine's start on
 * its worker. A size that runs out of memory (or whose engine dies) is recorded; any other
 * failure stops the study.
 */
async function remoteBatchSizeStudy(request: BatchSizeRequest, sizes: readonly number[], ctx: RunContext, clockStart: number): Promise<BatchSizeResult> {
  const budget = request.budgetSeconds;
  const elapsed = (): number => (performance.now() - clockStart) / 1000;
  const { kind: _kind, sizes: _sizes, redis, ...rest } = request;
  // As many sizes at a time as live workers can take (all of them where none is running yet: they wait
  // together): 3 sizes on 2 worker slots each got the whole budget, so the study took twice it.
  const live = redis === undefined ? sizes.length : await liveWorkers(redis, request.backend);
  const parallel = live === 0 ? sizes.length : Math.min(sizes.length, live);
  const share = shareOfBudget(budget - elapsed() - STUDY_RESERVE_SECONDS, sizes.length, parallel);
  if (share <= TRIAL_RESERVE_SECONDS + MIN_TRIAL_TRAIN_SECONDS) {
    const runs: BatchSizeRun[] = sizes.map((batchSize) => ({ batchSize, status: 'skipped', reason: `no time left of --budget ${formatSeconds(budget)}`, maxLr: null, stepsPerSecond: null, curve: [], timeToTarget: null, finalValLoss: null, finalValAccuracy: null }));
    return result(request, request.model, 'wasm', null, runs, null, elapsed());
  }
  const trials = sizes.map((batchSize) => ({ kind: 'batch-size' as const, label: `batch ${batchSize}`, request: { ...rest, kind: 'batch-size-trial' as const, batchSize, budgetSeconds: share } }));
  // Each size's run as its outcome arrives: on workers the sizes run at once, and their lines came out
  // together after the last one.
  const runOf = (o: TrialOutcome<BatchSizeResult>): BatchSizeRun => {
    const batchSize = sizes[o.index]!;
    if (o.error !== undefined) return { batchSize, status: o.error.code === 'out-of-memory' ? 'skipped' : 'failed', reason: o.error.message, maxLr: null, stepsPerSecond: null, curve: [], timeToTarget: null, finalValLoss: null, finalValAccuracy: null, ...o.placement };
    return { ...o.value.runs[0]!, ...o.placement };
  };
  const labelOf = (index: number): string => `batch ${sizes[index]!} (${index + 1}/${sizes.length})`;
  const done = await runTrials({
    source: sourceOf(rest),
    trials,
    redis,
    phase: 'batch-size',
    describe: (t, i, n) => `batch ${t.request.batchSize} (${i + 1}/${n}): range test, then 1cycle; ${formatSeconds(share)} for each size, ${parallel >= sizes.length ? 'in parallel' : `${parallel} at a time (${formatCount(live, 'live worker')})`}`,
    tolerate: (error) => error.code === 'out-of-memory' || error.code === 'internal' || isUserCodeThrow(error),
    onOutcome: (o) => ctx.reporter.log('info', doneLine(labelOf(o.index), runOf(o))),
  }, ctx);
  let model = request.model;
  // The backend asked for, until a size's engine says which ran (a study where no size trained still names it).
  let backend: BatchSizeResult['backend'] = requestedBackend(request);
  let optimizer: OptimizerReport | null = null;
  let baseline: Baseline | null = null;
  const trialWarnings: string[] = [...done.warnings];
  const runs: BatchSizeRun[] = done.outcomes.map((o) => {
    if (o.error === undefined) {
      model = o.value.model;
      backend = o.value.backend;
      optimizer ??= o.value.optimizer ?? null;
      baseline ??= o.value.baseline;
      trialWarnings.push(...o.value.warnings);
    }
    return runOf(o);
  });
  const took = elapsed();
  const out = result(request, model, backend, optimizer, runs, baseline, took, [], ctx.signal.aborted);
  // The workers that ran a size to its end (not every one that started one: a killed worker counted too).
  const finishedOn = new Set(done.outcomes.flatMap((o) => (o.placement.worker === undefined ? [] : [o.placement.worker])));
  const over = !ctx.signal.aborted && took > OVER_BUDGET * budget ? [overBudgetNote(took, budget, sizes.length, finishedOn.size, done.timing ?? [], parallel)] : [];
  if (parallel < sizes.length) over.push(`The ${formatCount(sizes.length, 'size')} shared ${formatCount(live, 'live worker')}: they ran ${parallel} at a time, each with ${formatSeconds(share)} of --budget ${formatSeconds(budget)}. Start as many worker processes as sizes (lrlab worker --concurrency ${sizes.length}, or workers on more machines) for a longer run of each.`);
  return { ...out, warnings: [...over, ...studyWarnings(runs, sizes.length, trialWarnings, ctx, request, baseline), ...out.warnings], ...(done.workers.length === 0 ? {} : { workers: done.workers }) };
}

/**
 * A training script's "Model and data taken from …" note as the study says it: once, not once per size
 * with that size as `--batch-size N instead of its batch size M` (a user's 3 sizes read 3 such notes,
 * each naming a --batch-size they never gave).
 */
export function studyScriptNote(warning: string): string {
  if (!warning.startsWith(SCRIPT_SOURCE_NOTE)) return warning;
  return warning.replace(/\(--batch-size \d+(?: instead of its (batch size \d+))?, /, (_all, own: string | undefined) => `(${own === undefined ? '' : `its ${own} replaced by `}each size's own, `);
}

/** A study over this many times its --budget says why (sizes that waited for a worker). */
const OVER_BUDGET = 1.2;

/** The words that start the note of a study on workers that overran its budget (the recipe shows it as its own). */
export const OVER_BUDGET_NOTE = 'The study took';

/** A size that waited at least this share of the budget for its first worker is named as a cause of an overrun. */
const LONG_WAIT_SHARE = 0.1;

/**
 * Why a study on workers overran its --budget, from how its sizes fared on the queue (`timing`): sizes
 * that ran again (their worker or engine stopped mid-run: each run takes its share anew), sizes that
 * waited for a worker (its share starts when one takes it: busy with this run's other sizes, or with
 * other runs), else sizes queued beyond the workers that ran them. A user's 3 sizes on 1 worker took 59 s
 * of a 20 s budget without a word; one whose worker was killed mid-size read "start as many worker
 * processes as sizes" where it had them, and "ran on 3 workers" counting the dead one.
 */
export function overBudgetNote(took: number, budget: number, sizes: number, workers: number, timing: readonly TrialTiming[] = [], parallel = sizes): string {
  const on = workers === 0 ? 'on the workers' : `on ${formatCount(workers, 'worker')}`;
  const causes: string[] = [];
  const again = timing.filter((t) => t.starts > 1);
  if (again.length > 0) causes.push(`${again.map((t) => `${t.label} ran ${t.starts} times`).join(', ')}: ${again.length === 1 ? 'its' : 'their'} worker or engine stopped mid-run, and each run starts a size's share of the budget anew`);
  const waited = timing.filter((t) => t.waitedSeconds !== null && t.waitedSeconds >= Math.max(1, LONG_WAIT_SHARE * budget));
  if (waited.length > 0) causes.push(`${waited.map((t) => `${t.label} waited ${formatSeconds(t.waitedSeconds)} for a worker`).join(', ')}: a size's share of the budget starts when a worker takes it, and the workers were busy${parallel < sizes ? ' with its other sizes' : ', with other runs or other sizes'}`);
  if (causes.length === 0) causes.push("a size's share of the budget starts when a worker takes it, so sizes that waited for one ran after it");
  const fix = waited.length === 0 && again.length > 0
    ? 'Run it again for a study on time; where workers keep stopping, their logs say why (out of memory: a smaller --batch-size or model).'
    : `Start as many worker processes as sizes (lrlab worker --concurrency ${sizes}, or workers on more machines), free of other runs, for the study to keep its budget.`;
  return `${OVER_BUDGET_NOTE} ${formatSeconds(took)} of its ${formatSeconds(budget)} budget: its ${formatCount(sizes, 'size')} ran ${on}; ${causes.join('; ')}. ${fix}`;
}
