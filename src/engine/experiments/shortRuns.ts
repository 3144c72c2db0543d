/**
 * Short runs judged on early validation loss (method.md §4 and §5): the momentum study (constant
 * 0.99/0.97/0.95/0.9 against cyclical 0.95→0.85, all under the same 1cycle LR) and weight decay
 * (one short 1cycle run per value; `refine` bisects the exponent around the best, 10^-3.5).
 * A few hundred iterations are enough to rank them; every run starts from createModel with the
 * same seed and batch order.
 */
import { checkGivenNumbers, checkNumberOption } from '../../protocol/optionRules';
import type { MomentumRequest, WeightDecayRequest } from '../../protocol/requests';
import type { LrRange, MomentumResult, MomentumRun, StepRecord, WeightDecayResult, WeightDecayRun, WorkerInfo } from '../../protocol/results';
import { OptionError, flagOf } from '../../protocol/errors';
import { allAboveBaseline, leastBadOfFailures, someAboveBaseline, bestShortRun, defaultWeightDecayGrid, formatWeightDecay, refineWeightDecay } from '../../core/decisions';
import { baselineLevel } from '../../core/baseline';
import type { LoadedModel } from '../session';
import { dataOnWorkers, fewValSamplesNote, loadForRun } from '../session';
import { withScriptDefaults } from '../scriptModel';
import { fitBatchSize } from './runContext';
import { CYCLICAL_MOMENTUM, OPTIONS } from '../../protocol/options';
import { momentumSeries, weightDecaySeries } from '../../protocol/progress';
import type { OptimizerChoice } from '../optimizerChoice';
import { chooseOptimizer, lrFoundAtBatchNote, lrFoundWithNote, noCycleReason } from '../optimizerChoice';
import type { RunContext } from './runContext';
import { formatCount } from '../../protocol/format';
import { completed, runTrials, sourceOf, trialsBackend } from './trials';
import { SHORT_RUN_DEFAULTS } from './shortRun';

function lrRangeOf(request: { maxLr?: number; minLr?: number }): LrRange {
  const maxLr = request.maxLr;
  if (maxLr === undefined) {
    throw new OptionError('maxLr', `${flagOf('maxLr')} is required (a positive number): the study runs at the LR you found.`, 'Run lrlab find-lr first and pass its range, e.g. --max-lr 0.1.');
  }
  // Given but not positive: said as such (it read "is required" for --max-lr 0, which was given).
  if (!Number.isFinite(maxLr) || maxLr <= 0) {
    throw new OptionError('maxLr', `${flagOf('maxLr')} must be greater than 0, got ${String(maxLr)}.`, 'Pass the max LR lrlab find-lr recommends, e.g. --max-lr 0.1.');
  }
  // The table's range, float32's, as train's and schedule's (1e-310 is 0 in float32).
  checkNumberOption('maxLr', maxLr);
  const minLr = request.minLr ?? maxLr / 10;
  if (!(minLr > 0 && minLr < maxLr)) throw new OptionError('minLr', `${flagOf('minLr')} must be between 0 and ${flagOf('maxLr')}, got ${String(minLr)}.`);
  if (request.minLr !== undefined) checkNumberOption('minLr', minLr);
  return { minLr, maxLr };
}

function checkSteps(steps: number): number {
  if (!Number.isInteger(steps) || steps < 10 || steps > 100_000) throw new OptionError('steps', `${flagOf('steps')} must be a whole number between 10 and 100000 for short runs, got ${String(steps)}.`);
  return steps;
}

async function prepare(request: MomentumRequest | WeightDecayRequest, ctx: RunContext): Promise<{ loaded: LoadedModel; range: LrRange; steps: number; batchSize: number; choice: OptimizerChoice; warnings: string[] }> {
  const steps = checkSteps(request.steps ?? SHORT_RUN_DEFAULTS.steps);
  // Before loading: --val-samples 0 ran every run without a validation loss and blamed the LR.
  checkGivenNumbers(request, ['valSamples']);
  // After the values given, as lrlab train does: a bad one is said before a missing --max-lr, not after it is given.
  const range = lrRangeOf(request);
  const loaded = await loadForRun(request, ctx);
  const choice = chooseOptimizer(request, loaded.compiledOptimizer, loaded.file);
  const foundWith = lrFoundWithNote(request.lrFoundWith, choice.report, request.maxLr);
  const warnings = [...loaded.warnings, ...choice.warnings, ...(foundWith === null ? [] : [foundWith]), ...fewValSamplesNote(request.valSamples, loaded.data.validation.count)];
  const batchSize = fitBatchSize(withScriptDefaults(request, loaded).batchSize ?? OPTIONS.batchSize.default, request.batchSize !== undefined, loaded.data.train.count, warnings);
  const atBatch = lrFoundAtBatchNote(request.lrFoundAtBatch, batchSize, request.maxLr);
  if (atBatch !== null) warnings.push(atBatch);
  return { loaded, range, steps, batchSize, choice, warnings };
}

export async function momentumStudy(request: MomentumRequest, ctx: RunContext): Promise<MomentumResult> {
  const { loaded, range, steps, batchSize, choice, warnings } = await prepare(request, ctx);
  const values = request.values ?? SHORT_RUN_DEFAULTS.momenta;
  for (const v of values) if (!(v >= 0 && v < 1)) throw new OptionError('momentum', `${flagOf('momentum')} values must be in [0, 1), got ${v}.`);
  if (choice.report.momentum === null) {
    throw new OptionError('optimizer', `${choice.report.name} has no momentum: the momentum study has nothing to compare.`, `Tune momentum with an optimizer that has one (${flagOf('optimizer')} sgd, nesterov, adam, adamax or rmsprop).`);
  }
  // Plain SGD compiled (momentum 0): the study compares momenta it does not have; its own 0 is no candidate.
  if (choice.report.name === 'sgd' && choice.report.momentum === 0 && request.values?.includes(0) !== true) {
    warnings.push(`The model's SGD has momentum 0 (${choice.report.sources.momentum ?? 'its setting'}), which the study does not try: it compares SGD with the momenta below. To use its pick, compile with tf.train.momentum(lr, momentum) (or give --momentum to train and the recipe); add 0 to the values to compare your own. A max LR found at momentum 0 is about 1/(1 − m) times too large at momentum m (10x at 0.9, 20x at 0.95): give the study one found with momentum (lrlab find-lr --momentum 0.9), or every run may break down.`);
  }
  const started = performance.now();
  const specs = [
    ...values.map((m) => ({ label: momentumSeries(m), momentum: m, cyclical: false })),
    { label: momentumSeries(CYCLICAL_MOMENTUM), momentum: null, cyclical: true },
  ];
  const valSamples = request.valSamples ?? loaded.data.validation.count;
  const trials = specs.map((spec) => ({ kind: 'short-run' as const, label: spec.label, optimizer: choice.params, spec: { label: spec.label, lr: range, momentum: spec.momentum, weightDecay: request.weightDecay ?? 0, steps, batchSize, seed: request.seed ?? 0, valSamples } }));
  const done = await runTrials({ source: sourceOf(request), trials, redis: request.redis, phase: 'momentum', describe: (t, i, n) => `short run ${i + 1}/${n}: ${t.label}`, ...dataOnWorkers(request.redis, loaded) }, ctx);
  const runs: (MomentumRun & { cyclical: boolean })[] = completed(done).map((o) => ({ ...o.value, momentum: specs[o.index]!.momentum ?? CYCLICAL_MOMENTUM, cyclical: specs[o.index]!.cyclical, ...o.placement }));
  warnings.push(...done.warnings);
  const ranked = bestShortRun(runs.map((r) => ({ ...r, momentum: typeof r.momentum === 'number' ? r.momentum : null })), baselineLevel(loaded.baseline, 'val'));
  const cut = cancelledStudy(runs, steps, specs.length, ctx);
  const { notes, reason } = cut ?? allRunsFailed(runs, loaded, ranked.best, ranked.reason);
  const best = cut === null ? ranked.best : null;
  warnings.push(...notes);
  warnings.push('Short runs rank momentum values; range tests per momentum (lrlab sweep --momentum) show how each moves the usable LR range but rank none.');
  return {
    kind: 'momentum',
    model: loaded.file,
    backend: trialsBackend(done.workers, loaded.backend.name),
    seconds: (performance.now() - started) / 1000,
    lr: range,
    runs: (cut?.runs ?? runs).map(({ cyclical: _cyclical, ...run }) => run),
    best,
    reason,
    optimizer: choice.report,
    warnings,
    ...(done.workers.length === 0 ? {} : { workers: done.workers }),
    baseline: loaded.baseline,
  };
}

/**
 * A study the cancel stopped: no pick — part of a comparison ranks nothing, as find-lr's trials and
 * the batch-size study (a user's Ctrl-C left one weight decay of four, itself cut at 150 of its 300
 * steps, named "best"). The run the cancel cut has no early validation loss: its last evaluations
 * were mid-cycle. `null` where the study was not cancelled. `planned`: the runs it was to run (null:
 * a refined grid's count is not known ahead).
 */
function cancelledStudy<R extends { readonly label: string; readonly records: readonly { readonly step: number }[]; readonly diverged: boolean; readonly earlyValLoss: number | null }>(runs: readonly R[], steps: number, planned: number | null, ctx: RunContext): { runs: R[]; notes: string[]; reason: string } | null {
  if (!ctx.signal.aborted) return null;
  const whole = (r: R): boolean => r.diverged || r.records.at(-1)?.step === steps - 1;
  // A run the cancel met before its first evaluation has nothing to show.
  const shown = runs.filter((r) => r.diverged || r.records.length > 0);
  // A cancel that came after the last run's last step cut nothing: the study ranks as usual.
  if (planned !== null && shown.length === planned && shown.every(whole)) return null;
  const wholeCount = shown.filter(whole).length;
  const of = planned === null ? '' : ` of ${planned}`;
  const note = wholeCount < shown.length ? `Cancelled during run ${shown.length}${of} (${shown.at(-1)!.label}, cut before its last step): ${wholeCount} ran whole.` : `Cancelled after ${formatCount(wholeCount, 'run')}${of}.`;
  return {
    runs: shown.map((r) => (whole(r) ? r : { ...r, earlyValLoss: null })),
    notes: [note],
    reason: `cancelled: ${formatCount(wholeCount, 'run')}${of} ran whole, and no best is named from part of a comparison.`,
  };
}

/**
 * The note when every short run ended above the baseline (`allAboveBaseline`), or some did
 * (`someAboveBaseline`), else nothing; and the pick's reason, which says so itself when every run
 * did (`leastBadOfFailures`).
 */
function allRunsFailed(runs: readonly { readonly label: string; readonly earlyValLoss: number | null; readonly records?: readonly StepRecord[] }[], loaded: LoadedModel, picked: number | null, reason: string): { notes: string[]; reason: string } {
  // Each run's training loss at its last evaluation: a run far above the baseline on validation while far below it on training overfit.
  const finals = runs.map((r) => ({ label: r.label, final: r.earlyValLoss, trained: r.records?.at(-1)?.trainLoss ?? null }));
  const level = baselineLevel(loaded.baseline, 'val');
  const all = allAboveBaseline(finals, level, 'run');
  const note = all ?? someAboveBaseline(finals, level, picked);
  const qualified = all === null || picked === null || level === null ? reason : leastBadOfFailures(reason, level, 'run');
  return { notes: note === null ? [] : [note], reason: qualified };
}

export async function weightDecayStudy(request: WeightDecayRequest, ctx: RunContext): Promise<WeightDecayResult> {
  const { loaded, range, steps, batchSize, choice, warnings } = await prepare(request, ctx);
  const grid = request.values ?? defaultWeightDecayGrid(loaded.parameterCount);
  for (const v of grid) if (!(v >= 0 && v < 1)) throw new OptionError('wd', `${flagOf('wd')} values must be in [0, 1), got ${v}.`);
  // Cyclical momentum under the 1cycle LR, unless the run has none (plain SGD, Adagrad, ...) or
  // the request fixes one (the recipe's momentum study chose a constant).
  const momentum = request.constantMomentum ?? (choice.cyclesMomentum ? null : choice.params.momentum);
  if (request.constantMomentum !== undefined && !(request.constantMomentum >= 0 && request.constantMomentum < 1)) throw new OptionError('momentum', `The constant momentum must be in [0, 1), got ${request.constantMomentum}.`);
  if (!choice.cyclesMomentum && request.constantMomentum === undefined) warnings.push(`Momentum is not cycled: ${noCycleReason(choice.report)}.`);
  const started = performance.now();
  const runs: WeightDecayRun[] = [];
  const workers = new Map<string, WorkerInfo>();
  const runAll = async (wds: readonly number[]): Promise<void> => {
    const trials = wds.map((wd) => {
      const label = weightDecaySeries(formatWeightDecay(wd));
      return { kind: 'short-run' as const, label, optimizer: choice.params, spec: { label, lr: range, momentum, weightDecay: wd, steps, batchSize, seed: request.seed ?? 0, valSamples: request.valSamples ?? loaded.data.validation.count } };
    });
    const done = await runTrials({ source: sourceOf(request), trials, redis: request.redis, phase: 'weight-decay', describe: (t) => `short run at weight decay ${t.spec.weightDecay}`, ...dataOnWorkers(request.redis, loaded) }, ctx);
    runs.push(...completed(done).map((o) => ({ ...o.value, weightDecay: wds[o.index]!, ...o.placement })));
    for (const w of done.workers) workers.set(w.id, w);
    warnings.push(...done.warnings);
  };
  await runAll(grid);
  let { best, reason } = bestShortRun(runs, baselineLevel(loaded.baseline, 'val'));
  if (request.refine === true && best !== null && !ctx.signal.aborted) {
    // Bisect the exponent around the best: 1e-3 of 1e-2/1e-3/1e-4 → also 10^-2.5 and 10^-3.5 (method.md §5).
    const added = refineWeightDecay(runs.map((r) => r.weightDecay), runs[best]!.weightDecay);
    if (added.length === 0) warnings.push('--refine: no weight decay did best, so there is no exponent to bisect.');
    else await runAll(added);
    ({ best, reason } = bestShortRun(runs, baselineLevel(loaded.baseline, 'val')));
  }
  const cut = cancelledStudy(runs, steps, request.refine === true ? null : grid.length, ctx);
  const failed = cut ?? allRunsFailed(runs, loaded, best, reason);
  warnings.push(...failed.notes);
  reason = failed.reason;
  if (cut !== null) best = null;
  // One weight decay compares nothing (`--wd 1e-3` printed "best: wd 1e-3: lowest early validation loss").
  if (cut === null && grid.length === 1 && runs.length === 1) {
    best = null;
    reason = `One weight decay (${runs[0]!.label}): nothing was compared. Give two or more values (e.g. --wd 1e-2,1e-3,1e-4,0) to rank them.`;
  }
  return {
    kind: 'weight-decay',
    model: loaded.file,
    backend: trialsBackend([...workers.values()], loaded.backend.name),
    seconds: (performance.now() - started) / 1000,
    runs: cut?.runs ?? runs,
    best,
    reason,
    optimizer: choice.report,
    warnings,
    ...(workers.size === 0 ? {} : { workers: [...workers.values()] }),
    baseline: loaded.baseline,
  };
}
