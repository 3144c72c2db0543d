/**
 * Short runs judged on early validation loss (method.md §4 and §5): the momentum study (constant
 * 0.99/0.97/0.95/0.9 against cyclical 0.95→0.85, all under the same 1cycle LR) and weight decay
 * (one short 1cycle run per value; `refine` bisects the exponent around the best, 10^-3.5).
 * A few hundred iterations are enough to rank them; every run starts from createModel with the
 * same seed and batch order.
 */
import { formatCount, formatLoss, formatSeconds } from '../../protocol/format';
import type { MomentumRequest, WeightDecayRequest } from '../../protocol/requests';
import type { LrRange, MomentumResult, MomentumRun, ShortRun, StepRecord, WeightDecayResult, WeightDecayRun } from '../../protocol/results';
import { OptionError, flagOf } from '../../protocol/errors';
import { smith } from '../../core/schedules';
import type { Schedule } from '../../core/schedules';
import { SHORT_RUN_EVALUATIONS, bestShortRun, defaultWeightDecayGrid, formatWeightDecay, refineWeightDecay } from '../../core/decisions';
import { BatchSampler } from '../../core/random';
import type { LoadedModel } from '../session';
import { loadForRun } from '../session';
import { withScriptDefaults } from '../scriptModel';
import { seedProcess } from '../seed';
import { Trainer } from '../trainer';
import { EventLoopPacer } from './loop';
import { fitBatchSize } from './runContext';
import { CYCLICAL_MOMENTUM, OPTIONS } from '../../protocol/options';
import type { OptimizerChoice } from '../optimizerChoice';
import { chooseOptimizer, noCycleReason } from '../optimizerChoice';
import type { RunContext } from './runContext';

/** Defaults of the short runs (the option table's, for the `short-runs` mode of `lrlab sweep`). */
export const SHORT_RUN_DEFAULTS = { steps: OPTIONS.steps.byCommand['short-runs'].default, evaluations: SHORT_RUN_EVALUATIONS, momenta: OPTIONS.momentumList.byCommand['short-runs'].default };
/** The "early validation loss" is the mean of the last evaluations (one is too noisy). */
export const EARLY_EVALUATIONS = 3;

interface ShortRunSpec {
  readonly label: string;
  readonly schedule: Schedule;
  /** Constant momentum, or `null` to follow the schedule's cyclical momentum. */
  readonly momentum: number | null;
  readonly weightDecay: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly valSamples: number;
}

export async function shortRun(loaded: LoadedModel, spec: ShortRunSpec, optimizer: OptimizerChoice['params'], ctx: RunContext): Promise<ShortRun> {
  const shuffle = seedProcess(spec.seed);
  const model = loaded.buildModel({});
  const first = spec.schedule.at(0);
  const trainer = new Trainer(loaded.tf, model, loaded.loss.fn, loaded.accuracy, { optimizer: { ...optimizer, lr: first.lr, momentum: spec.momentum ?? first.momentum ?? optimizer.momentum, weightDecay: spec.weightDecay } });
  const sampler = new BatchSampler(loaded.data.train.count, spec.batchSize, shuffle);
  const every = Math.max(1, Math.floor(spec.steps / SHORT_RUN_DEFAULTS.evaluations));
  const records: StepRecord[] = [];
  const started = performance.now();
  let diverged = false;
  let lossSum = 0;
  let lossCount = 0;
  const pacer = new EventLoopPacer();
  try {
    for (let step = 0; step < spec.steps && !ctx.signal.aborted; step++) {
      const value = spec.schedule.at(step);
      const momentum = spec.momentum ?? value.momentum ?? optimizer.momentum;
      trainer.optimizer.setLr(value.lr);
      trainer.optimizer.setMomentum(momentum);
      const loss = trainer.stepOn(loaded.data.train, sampler.next());
      if (!Number.isFinite(loss)) {
        diverged = true;
        records.push({ step, lr: value.lr, momentum, trainLoss: null, valLoss: null, seconds: (performance.now() - started) / 1000 });
        break;
      }
      lossSum += loss;
      lossCount++;
      if ((step + 1) % every === 0 || step === spec.steps - 1) {
        const evaluation = trainer.evaluate(loaded.data.validation, spec.valSamples);
        const record: StepRecord = { step, lr: value.lr, momentum, trainLoss: lossSum / lossCount, valLoss: Number.isFinite(evaluation.loss) ? evaluation.loss : null, seconds: (performance.now() - started) / 1000 };
        records.push(record);
        lossSum = 0;
        lossCount = 0;
        ctx.reporter.point(spec.label, { step, lr: value.lr, momentum, loss: record.trainLoss, smoothed: null, valLoss: record.valLoss, valAccuracy: evaluation.accuracy, seconds: record.seconds });
        if (record.valLoss === null) {
          diverged = true;
          break;
        }
      }
      ctx.reporter.progress('short-run', () => `${spec.label}: step ${step + 1}/${spec.steps}`, null);
      if (pacer.due) await pacer.yield();
    }
  } finally {
    trainer.dispose();
    loaded.disposeModel(model);
  }
  const evaluated = records.filter((r) => r.valLoss !== null).slice(-EARLY_EVALUATIONS);
  const earlyValLoss = diverged || evaluated.length === 0 ? null : evaluated.reduce((s, r) => s + (r.valLoss ?? 0), 0) / evaluated.length;
  ctx.reporter.log('info', `${spec.label}: ${diverged ? 'diverged' : `early validation loss ${formatLoss(earlyValLoss)}`} after ${formatCount((records.at(-1)?.step ?? -1) + 1, 'step')} in ${formatSeconds((performance.now() - started) / 1000)}`);
  return { label: spec.label, records, earlyValLoss, diverged };
}

function lrRangeOf(request: { maxLr?: number; minLr?: number }): LrRange {
  const maxLr = request.maxLr;
  if (maxLr === undefined || !Number.isFinite(maxLr) || maxLr <= 0) {
    throw new OptionError('maxLr', `${flagOf('maxLr')} is required (a positive number): the study runs at the LR you found.`, 'Run lrlab find-lr first and pass its range, e.g. --max-lr 0.1.');
  }
  const minLr = request.minLr ?? maxLr / 10;
  if (!(minLr > 0 && minLr < maxLr)) throw new OptionError('minLr', `${flagOf('minLr')} must be between 0 and ${flagOf('maxLr')}, got ${String(minLr)}.`);
  return { minLr, maxLr };
}

function checkSteps(steps: number): number {
  if (!Number.isInteger(steps) || steps < 10 || steps > 100_000) throw new OptionError('steps', `${flagOf('steps')} must be a whole number between 10 and 100000 for short runs, got ${String(steps)}.`);
  return steps;
}

async function prepare(request: MomentumRequest | WeightDecayRequest, ctx: RunContext): Promise<{ loaded: LoadedModel; range: LrRange; steps: number; batchSize: number; choice: OptimizerChoice; warnings: string[] }> {
  const range = lrRangeOf(request);
  const steps = checkSteps(request.steps ?? SHORT_RUN_DEFAULTS.steps);
  const loaded = await loadForRun(request, ctx);
  const choice = chooseOptimizer(request, loaded.compiledOptimizer, loaded.file);
  const warnings = [...loaded.warnings, ...choice.warnings];
  const batchSize = fitBatchSize(withScriptDefaults(request, loaded).batchSize ?? OPTIONS.batchSize.default, request.batchSize !== undefined, loaded.data.train.count, warnings);
  return { loaded, range, steps, batchSize, choice, warnings };
}

export async function momentumStudy(request: MomentumRequest, ctx: RunContext): Promise<MomentumResult> {
  const { loaded, range, steps, batchSize, choice, warnings } = await prepare(request, ctx);
  const values = request.values ?? SHORT_RUN_DEFAULTS.momenta;
  for (const v of values) if (!(v >= 0 && v < 1)) throw new OptionError('momentum', `${flagOf('momentum')} values must be in [0, 1), got ${v}.`);
  if (choice.report.momentum === null) {
    throw new OptionError('optimizer', `${choice.report.name} has no momentum: the momentum study has nothing to compare.`, `Tune momentum with an optimizer that has one (${flagOf('optimizer')} sgd, nesterov, adam, adamax or rmsprop).`);
  }
  const schedule = smith({ maxLr: range.maxLr, minLr: range.minLr, totalSteps: steps });
  const started = performance.now();
  const specs = [
    ...values.map((m) => ({ label: `momentum ${m}`, momentum: m, cyclical: false })),
    { label: `cyclical ${CYCLICAL_MOMENTUM.max}→${CYCLICAL_MOMENTUM.min}`, momentum: null, cyclical: true },
  ];
  const runs: (MomentumRun & { cyclical: boolean })[] = [];
  for (const [i, spec] of specs.entries()) {
    if (ctx.signal.aborted) break;
    ctx.reporter.progress('momentum', `short run ${i + 1}/${specs.length}: ${spec.label}`, i / specs.length, true);
    const run = await shortRun(loaded, { label: spec.label, schedule, momentum: spec.momentum, weightDecay: request.weightDecay ?? 0, steps, batchSize, seed: request.seed ?? 0, valSamples: request.valSamples ?? loaded.data.validation.count }, choice.params, ctx);
    runs.push({ ...run, momentum: spec.momentum ?? CYCLICAL_MOMENTUM, cyclical: spec.cyclical });
  }
  const { best, reason } = bestShortRun(runs);
  if (ctx.signal.aborted) warnings.push(`Cancelled after ${runs.length} of ${specs.length} runs.`);
  warnings.push('Short runs rank momentum values; a momentum range test would not (method.md §4), so none is offered.');
  return {
    kind: 'momentum',
    model: loaded.file,
    backend: loaded.backend.name,
    seconds: (performance.now() - started) / 1000,
    lr: range,
    runs: runs.map(({ cyclical: _cyclical, ...run }) => run),
    best,
    reason,
    optimizer: choice.report,
    warnings,
    baseline: loaded.baseline,
  };
}

export async function weightDecayStudy(request: WeightDecayRequest, ctx: RunContext): Promise<WeightDecayResult> {
  const { loaded, range, steps, batchSize, choice, warnings } = await prepare(request, ctx);
  const grid = request.values ?? defaultWeightDecayGrid(loaded.parameterCount);
  for (const v of grid) if (!(v >= 0 && v < 1)) throw new OptionError('wd', `${flagOf('wd')} values must be in [0, 1), got ${v}.`);
  // Cyclical momentum under the 1cycle LR, unless the run has none (plain SGD, Adagrad, ...).
  const momentum = choice.cyclesMomentum ? null : choice.params.momentum;
  if (!choice.cyclesMomentum) warnings.push(`Momentum is not cycled: ${noCycleReason(choice.report)}.`);
  const schedule = smith({ maxLr: range.maxLr, minLr: range.minLr, totalSteps: steps });
  const started = performance.now();
  const runs: WeightDecayRun[] = [];
  const runOne = async (wd: number): Promise<void> => {
    ctx.reporter.progress('weight-decay', `short run at weight decay ${wd}`, null, true);
    const run = await shortRun(loaded, { label: `wd ${formatWeightDecay(wd)}`, schedule, momentum, weightDecay: wd, steps, batchSize, seed: request.seed ?? 0, valSamples: request.valSamples ?? loaded.data.validation.count }, choice.params, ctx);
    runs.push({ ...run, weightDecay: wd });
  };
  for (const wd of grid) {
    if (ctx.signal.aborted) break;
    await runOne(wd);
  }
  let { best, reason } = bestShortRun(runs);
  if (request.refine === true && best !== null && !ctx.signal.aborted) {
    // Bisect the exponent around the best: 1e-3 of 1e-2/1e-3/1e-4 → also 10^-2.5 and 10^-3.5 (method.md §5).
    const added = refineWeightDecay(runs.map((r) => r.weightDecay), runs[best]!.weightDecay);
    if (added.length === 0) warnings.push('--refine: no weight decay did best, so there is no exponent to bisect.');
    for (const wd of added) {
      if (ctx.signal.aborted) break;
      await runOne(wd);
    }
    ({ best, reason } = bestShortRun(runs));
  }
  if (ctx.signal.aborted) warnings.push(`Cancelled after ${runs.length} runs.`);
  return {
    kind: 'weight-decay',
    model: loaded.file,
    backend: loaded.backend.name,
    seconds: (performance.now() - started) / 1000,
    runs,
    best,
    reason,
    optimizer: choice.report,
    warnings,
    baseline: loaded.baseline,
  };
}
