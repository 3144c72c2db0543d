/**
 * The one seam between an experiment and where its independent trials run. A study (sweep, short
 * runs, batch sizes) describes its trials as plain data and calls `runTrials`: without `redis`
 * they run here, one after another, as they always have; with it they become jobs on Redis that
 * `lrlab worker` processes run (src/engine/distributed). Either way the outcomes come back in the
 * trials' order, and `executeTrial` is the same code on both sides, so a trial seeds only from
 * its own parameters (`--seed` is one of them) and gives the same numbers wherever it runs.
 */
import type { DataFingerprint } from '../distributed/jobs';
import type { CommonRunOptions, BatchSizeTrialRequest, ModelBundle } from '../../protocol/requests';
import type { BackendName, BatchSizeResult, FindLrSettings, ShortRun, TrialPlacement, WorkerInfo } from '../../protocol/results';
import type { OptimizerChoice } from '../optimizerChoice';
import type { AppendParams } from '../../protocol/progress';
import { LrLabError } from '../../protocol/errors';
import { toLrLabError } from '../errorMapping';
import { runInChild } from '../childRun';
import { loadForRun } from '../session';
import type { RangeCurve } from './findLr';
import type { RunContext } from './runContext';
import { rangeTestCurve } from './findLr';
import type { ShortRunSpec } from './shortRun';
import { shortRun } from './shortRun';
import type * as Submit from '../distributed/submit';

export type Trial =
  /** One LR range test of a sweep. */
  | { readonly kind: 'range-test'; readonly label: string; readonly settings: FindLrSettings; readonly dropout: number | null; readonly valSamples?: number | undefined; readonly optimizer: OptimizerChoice['params'] }
  /** One short run of the momentum or weight-decay study. */
  | { readonly kind: 'short-run'; readonly label: string; readonly spec: ShortRunSpec; readonly optimizer: OptimizerChoice['params'] }
  /** One batch size: its range test and its timed 1cycle run, in a child engine process. */
  | { readonly kind: 'batch-size'; readonly label: string; readonly request: BatchSizeTrialRequest };

export type TrialKind = Trial['kind'];
export interface TrialValues {
  readonly 'range-test': RangeCurve;
  readonly 'short-run': ShortRun;
  readonly 'batch-size': BatchSizeResult;
}

export interface TrialPlan<K extends TrialKind> {
  /** What loading the model needs (model file, data, seed, backend, ...). */
  readonly source: CommonRunOptions;
  readonly trials: readonly Extract<Trial, { kind: K }>[];
  /** `--redis`: run them on workers. */
  readonly redis?: string | undefined;
  /** Progress phase and the line shown while trial `i` of `n` runs here. */
  readonly phase: string;
  readonly describe: (trial: Extract<Trial, { kind: K }>, i: number, n: number) => string;
  /** Failures the study records and goes on from (a batch size out of memory); any other stops it. */
  readonly tolerate?: (error: LrLabError) => boolean;
  /** Each trial's outcome as it arrives (in the order they finish: on workers, not the trials' order). */
  readonly onOutcome?: (outcome: TrialOutcome<TrialValues[K]>) => void;
  /** On workers: this machine's data (`dataFingerprint`), which each worker's is compared with. */
  readonly data?: DataFingerprint;
}

export type TrialOutcome<V> =
  | { readonly index: number; readonly value: V; readonly error?: undefined; readonly placement: TrialPlacement }
  | { readonly index: number; readonly value?: undefined; readonly error: LrLabError; readonly placement: TrialPlacement };

export interface TrialsRun<V> {
  /** In the trials' order; a cancelled run has only those that finished. */
  readonly outcomes: readonly TrialOutcome<V>[];
  /** The workers that ran trials (empty when they ran here). */
  readonly workers: readonly WorkerInfo[];
  readonly warnings: readonly string[];
  /** On workers: each trial's starts (more than one: it ran again) and its wait from queued to its first start, in seconds (null: never started). */
  readonly timing?: readonly TrialTiming[];
}

export interface TrialTiming {
  readonly label: string;
  readonly starts: number;
  readonly waitedSeconds: number | null;
}

/** The options that loading the model depends on (what a job carries as its source). */
export function sourceOf(request: CommonRunOptions): CommonRunOptions {
  const { model, data, label, workspace, backend, seed, validationSplit, fitTimeout, fitLine, scriptArgs } = request;
  // A training script's arguments and time limit too: without them every trial ran it again bare (its
  // load is cached by its arguments), and a script that needs them exited before its fit call.
  return { model, ...(data === undefined ? {} : { data }), ...(label === undefined ? {} : { label }), ...(workspace === undefined ? {} : { workspace }), ...(backend === undefined ? {} : { backend }), ...(seed === undefined ? {} : { seed }), ...(validationSplit === undefined ? {} : { validationSplit }), ...(fitTimeout === undefined ? {} : { fitTimeout }), ...(fitLine === undefined ? {} : { fitLine }), ...(scriptArgs === undefined ? {} : { scriptArgs }) };
}

/** The outcomes of a run that tolerates no failure (every one has its value). */
export function completed<V>(run: TrialsRun<V>): { readonly index: number; readonly value: V; readonly placement: TrialPlacement }[] {
  return run.outcomes.map((o) => {
    if (o.error !== undefined) throw o.error;
    return { index: o.index, value: o.value, placement: o.placement };
  });
}

/** The backend the trials ran on: the workers' when they all share one, else this process's. */
export function trialsBackend(workers: readonly WorkerInfo[], here: BackendName): BackendName {
  const backends = new Set(workers.map((w) => w.backend));
  return backends.size === 1 ? [...backends][0]! : here;
}

/** Runs one trial in this process (the local path, and a worker's). */
export async function executeTrial(trial: Trial, source: CommonRunOptions, ctx: RunContext, shipped?: ModelBundle): Promise<TrialValues[TrialKind]> {
  switch (trial.kind) {
    case 'range-test': {
      const loaded = await loadForRun(source, ctx);
      return rangeTestCurve(loaded, trial.settings, trial.dropout === null ? {} : { dropout: trial.dropout }, ctx, trial.label, { valSamples: trial.valSamples, optimizer: trial.optimizer });
    }
    case 'short-run':
      return shortRun(await loadForRun(source, ctx), trial.spec, trial.optimizer, ctx);
    case 'batch-size': {
      // The child's points stream live: its range test under its own name, its training as `batch N`;
      // and how much of its share of the budget it has used (its run showed "queued" until it was done).
      const started = performance.now();
      const share = trial.request.budgetSeconds;
      const onAppend = (a: AppendParams): void => {
        const series = a.series === 'train' ? trial.label : a.series;
        if (a.restart === true) ctx.reporter.restart(series);
        for (const p of a.points) ctx.reporter.point(series, p);
        const used = (performance.now() - started) / 1000;
        ctx.reporter.progress('batch-size', () => `${trial.label}: ${a.series === 'train' ? '1cycle' : 'range test'}; ${Math.round(used)} s of its ${Math.round(share)} s`, Math.min(0.99, used / share));
      };
      const request = shipped === undefined ? trial.request : { ...trial.request, modelBundle: shipped };
      const result = (await runInChild(request, { signal: ctx.signal, onAppend })) as BatchSizeResult;
      ctx.reporter.flush();
      return result;
    }
  }
}

/** Live workers that could take a trial on `backend` (submit.ts `liveWorkerCount`), loaded on use as runTrials's. */
export async function liveWorkers(redis: string, backend: string | undefined): Promise<number> {
  return (require('../distributed/submit') as typeof Submit).liveWorkerCount(redis, backend);
}

export async function runTrials<K extends TrialKind>(plan: TrialPlan<K>, ctx: RunContext): Promise<TrialsRun<TrialValues[K]>> {
  // Loaded on first use: BullMQ and ioredis cost every other engine start nothing.
  if (plan.redis !== undefined) return (require('../distributed/submit') as typeof Submit).runRemoteTrials(plan, ctx);
  const outcomes: TrialOutcome<TrialValues[K]>[] = [];
  for (const [index, trial] of plan.trials.entries()) {
    if (ctx.signal.aborted) break;
    ctx.reporter.progress(plan.phase, plan.describe(trial, index, plan.trials.length), index / plan.trials.length, true);
    let outcome: TrialOutcome<TrialValues[K]>;
    try {
      outcome = { index, value: (await executeTrial(trial, plan.source, ctx)) as TrialValues[K], placement: {} };
    } catch (thrown) {
      const error = thrown instanceof LrLabError ? thrown : toLrLabError(thrown);
      if (error.code === 'cancelled' || ctx.signal.aborted) break;
      if (plan.tolerate?.(error) !== true) throw error;
      outcome = { index, error, placement: {} };
    }
    outcomes.push(outcome);
    plan.onOutcome?.(outcome);
  }
  return { outcomes, workers: [], warnings: [] };
}
