/**
 * One short 1cycle run judged on early validation loss (method.md §4–5): the building block of the
 * momentum and weight-decay studies (shortRuns.ts), their scale-out trials (trials.ts) and
 * find-lr's `--lr-trials`. Kept apart from the studies so that find-lr (and the library bundle)
 * does not pull in the scale-out machinery.
 */
import { formatCount, formatLoss, formatPercent, formatSeconds } from '../../protocol/format';
import type { LrRange, ShortRun, StepRecord } from '../../protocol/results';
import { smith } from '../../core/schedules';
import { SHORT_RUN_EVALUATIONS } from '../../core/decisions';
import { BatchSampler } from '../../core/random';
import type { LoadedModel } from '../session';
import { seedProcess } from '../seed';
import { Trainer } from '../trainer';
import { batchNormLayers, reestimateNormStats } from '../normStats';
import { EventLoopPacer } from './loop';
import { OPTIONS } from '../../protocol/options';
import type { OptimizerChoice } from '../optimizerChoice';
import type { RunContext } from './runContext';

/** Defaults of the short runs (the option table's, for the `short-runs` mode of `lrlab sweep`). */
export const SHORT_RUN_DEFAULTS = { steps: OPTIONS.steps.byCommand['short-runs'].default, evaluations: SHORT_RUN_EVALUATIONS, momenta: OPTIONS.momentumList.byCommand['short-runs'].default };
/** The "early validation loss" is the mean of the last evaluations (one is too noisy). */
export const EARLY_EVALUATIONS = 3;

/** One short run, as plain data (a scale-out job carries it): a 1cycle (`smith`) over `lr` for `steps`. */
export interface ShortRunSpec {
  readonly label: string;
  readonly lr: LrRange;
  /** Constant momentum, or `null` to follow the schedule's cyclical momentum. */
  readonly momentum: number | null;
  readonly weightDecay: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly valSamples: number;
}

/**
 * The validation accuracy at the checkpoints `earlyValLoss` is the mean of (the last
 * EARLY_EVALUATIONS), or `null` where the run diverged, stopped short of them, or has no accuracy.
 */
export function earlyValAccuracy(run: Pick<ShortRun, 'records' | 'diverged'>): number | null {
  const last = run.records.filter((r) => r.valLoss !== null).slice(-EARLY_EVALUATIONS).map((r) => r.valAccuracy);
  if (run.diverged || last.length < EARLY_EVALUATIONS || last.some((a) => a === null)) return null;
  return (last as number[]).reduce((a, b) => a + b, 0) / last.length;
}

/**
 * The steps after which a run of `steps` evaluates: every tenth of the run and the last step; with
 * `judgedOnly`, only the last EARLY_EVALUATIONS of those (the ones its early validation loss is the
 * mean of).
 */
export function evaluationSteps(steps: number, judgedOnly = false): number[] {
  const every = Math.max(1, Math.floor(steps / SHORT_RUN_DEFAULTS.evaluations));
  const all: number[] = [];
  for (let step = 0; step < steps; step++) if ((step + 1) % every === 0 || step === steps - 1) all.push(step);
  return judgedOnly ? all.slice(-EARLY_EVALUATIONS) : all;
}

/**
 * One short run; `stream` false keeps its points off the panel (find-lr's trials: their chart is the
 * range test's) and reports its progress as a fraction of its share of the bar instead; `hp` as the
 * range test's (find-lr --dropout); `evaluations` 'judged' evaluates only where the early validation
 * loss is read (find-lr's trials, whose curves nothing shows: 7 of 10 validation passes saved, the
 * same loss to the bit — evaluating changes no weights).
 */
export async function shortRun(loaded: LoadedModel, spec: ShortRunSpec, optimizer: OptimizerChoice['params'], ctx: RunContext, stream = true, hp: { dropout?: number } = {}, evaluations: 'all' | 'judged' = 'all'): Promise<ShortRun> {
  const shuffle = seedProcess(spec.seed);
  const model = await loaded.buildModel(hp);
  const schedule = smith({ maxLr: spec.lr.maxLr, minLr: spec.lr.minLr, totalSteps: spec.steps });
  const first = schedule.at(0);
  const trainer = new Trainer(loaded.tf, model, loaded.loss.fn, loaded.accuracy, { optimizer: { ...optimizer, lr: first.lr, momentum: spec.momentum ?? first.momentum ?? optimizer.momentum, weightDecay: spec.weightDecay } });
  const sampler = new BatchSampler(loaded.data.train.count, spec.batchSize, shuffle);
  // Judged on validation loss: batch-normalization statistics re-estimated before each evaluation (normStats.ts).
  const norms = batchNormLayers(model);
  const evaluateAt = new Set(evaluationSteps(spec.steps, evaluations === 'judged'));
  const records: StepRecord[] = [];
  const started = performance.now();
  let diverged = false;
  let lossSum = 0;
  let lossCount = 0;
  const pacer = new EventLoopPacer();
  try {
    for (let step = 0; step < spec.steps && !ctx.signal.aborted; step++) {
      const value = schedule.at(step);
      const momentum = spec.momentum ?? value.momentum ?? optimizer.momentum;
      trainer.optimizer.setLr(value.lr);
      trainer.optimizer.setMomentum(momentum);
      const loss = trainer.stepOn(loaded.data.train, sampler.next());
      if (!Number.isFinite(loss)) {
        diverged = true;
        records.push({ step, lr: value.lr, momentum, trainLoss: null, valLoss: null, valAccuracy: null, seconds: (performance.now() - started) / 1000 });
        break;
      }
      lossSum += loss;
      lossCount++;
      if (evaluateAt.has(step)) {
        reestimateNormStats(loaded.tf, model, norms, loaded.data.train, spec.batchSize);
        const evaluation = trainer.evaluate(loaded.data.validation, spec.valSamples);
        const record: StepRecord = { step, lr: value.lr, momentum, trainLoss: lossSum / lossCount, valLoss: Number.isFinite(evaluation.loss) ? evaluation.loss : null, valAccuracy: evaluation.accuracy !== null && Number.isFinite(evaluation.accuracy) ? evaluation.accuracy : null, seconds: (performance.now() - started) / 1000 };
        records.push(record);
        lossSum = 0;
        lossCount = 0;
        if (stream) ctx.reporter.point(spec.label, { step, lr: value.lr, momentum, loss: record.trainLoss, smoothed: null, valLoss: record.valLoss, valAccuracy: evaluation.accuracy, seconds: record.seconds });
        if (record.valLoss === null) {
          diverged = true;
          break;
        }
      }
      // find-lr's trials (not streamed) fill their share of the run's bar; the studies' bars are the trials'.
      ctx.reporter.progress('short-run', () => `${spec.label}: step ${step + 1}/${spec.steps}`, stream ? null : (step + 1) / spec.steps);
      if (pacer.due) await pacer.yield();
    }
  } finally {
    trainer.dispose();
    loaded.disposeModel(model);
  }
  const evaluated = records.filter((r) => r.valLoss !== null).slice(-EARLY_EVALUATIONS);
  const earlyValLoss = diverged || evaluated.length === 0 ? null : evaluated.reduce((s, r) => s + (r.valLoss ?? 0), 0) / evaluated.length;
  const accuracy = earlyValAccuracy({ records, diverged });
  ctx.reporter.log('info', `${spec.label}: ${diverged ? 'diverged' : `early validation loss ${formatLoss(earlyValLoss)}${accuracy === null ? '' : ` (accuracy ${formatPercent(accuracy)})`}`} after ${formatCount((records.at(-1)?.step ?? -1) + 1, 'step')} in ${formatSeconds((performance.now() - started) / 1000)}`);
  return { label: spec.label, records, earlyValLoss, diverged };
}
