/**
 * A full training run (`lrlab train`): any core schedule per batch — LR and momentum (Adam:
 * beta1) — with weight decay, per-epoch train/validation loss, accuracy and the model's own
 * metrics, and the verdict from core (judged against the task's baseline). The model comes
 * fresh from createModel; the trained weights are saved only where the user says, never over an
 * existing model without `--force`.
 */
import path from 'node:path';
import type { TrainRequest } from '../../protocol/requests';
import type { Baseline, Diagnosis, EpochRecord, ScheduleOptions, SchedulePolicy, TrainResult } from '../../protocol/results';
import { OptionError, flagOf } from '../../protocol/errors';
import { NAN_BEFORE_ANY_UPDATE } from '../../core/hints';
import { formatWeightDecay } from '../../core/decisions';
import { CYCLIC_STEP_SIZE_UP, makeSchedule } from '../../core/schedules';
import { diagnose, lowerAdvice, quotedPeak } from '../../core/diagnosis';
import { BatchSampler } from '../../core/random';
import { dropoutIgnored, fewValSamplesNote, loadForRun } from '../session';
import type { LoadedModel } from '../session';
import { modelFilesLoaded } from '../fileSystemIO';
import { sameFile } from '../userFrames';
import { withScriptDefaults } from '../scriptModel';
import { seedProcess } from '../seed';
import { backendLabel } from '../tfjs';
import { Outputs, OutputFailure, inputFilesOf } from '../outputs';
import { WEIGHTS_FILE, modelFiles } from '../modelSave';
import { toLrLabError } from '../errorMapping';
import { Trainer } from '../trainer';
import { EventLoopPacer } from './loop';
import { fitBatchSize, unusedPerEpochNote } from './runContext';
import { LR_RANGE, OPTIONS } from '../../protocol/options';
import { checkGivenNumbers, checkNumberOption, forceWithoutOutput } from '../../protocol/optionRules';
import { formatCount, formatLoss, formatLr, formatSeconds } from '../../protocol/format';
import { chooseOptimizer, compiledLr, lrFoundAtBatchNote, lrFoundWithNote, noCycleReason } from '../optimizerChoice';
import type { RunContext } from './runContext';
import { batchNormLayers, reestimateNormStats } from '../normStats';

/** Longest run accepted (a typo like 1e6 epochs should not start). */
export const MAX_EPOCHS = OPTIONS.epochs.range.max;
/** Positions of a time-driven 1cycle (`scheduleClock: 'time'`; its shape does not depend on the length). */
export const TIME_CLOCK_RESOLUTION = 10_000;
/** What stopped a run whose first loss, from its initial weights, was NaN/Inf. */
const NAN_AT_FIRST_STEP = 'the training loss was NaN/Inf at the first step, before any update';
/** How the warning of a run stopped by a NaN/Inf loss begins. */
export const STOPPED_WARNING = 'Stopped:';
/** How the warning for a time-driven cycle that stopped short of its end begins (the recipe repeats it). */
export const CYCLE_CUT_WARNING = 'The time-driven 1cycle stopped at';

/** `--save DIR`: model.json and weights.bin in DIR, reserved before any work (outputs.ts: one rule for every file a command writes). */
function reserveSave(request: TrainRequest): { outputs: Outputs; target: string } | null {
  if (request.save === undefined) return null;
  const target = path.resolve(request.save, 'model.json');
  const outputs = Outputs.reserve({ option: 'save', files: [path.join(path.dirname(target), WEIGHTS_FILE), target], force: request.force === true, inputs: inputFilesOf(request) });
  return { outputs, target };
}

/**
 * `--save` where the model file or script loaded its model from (`tf.loadLayersModel('file://…')`):
 * refused once that is known, before training. Outputs.reserve knew only the files given on the
 * command line, so `--force` replaced the pretrained weights a user's script starts from.
 */
function refuseSavingOverLoaded(target: string, loaded: LoadedModel): void {
  const writes = [target, path.join(path.dirname(target), WEIGHTS_FILE)];
  const read = [...modelFilesLoaded(), ...(loaded.script?.modelFilesLoaded ?? [])];
  const hit = read.find((file) => writes.some((w) => sameFile(file, w)));
  if (hit === undefined) return;
  const who = loaded.script === undefined ? 'the model file' : 'the script';
  throw new OptionError('save', `${flagOf('save')} ${path.dirname(target)} would overwrite ${hit}, which ${who} loads its model from (tf.loadLayersModel): LR Lab never replaces its input, ${flagOf('force')} or not.`, `Give ${flagOf('save')} another folder.`);
}

/** The highest LR `schedule` reaches over a run's first `steps` steps (at most 100,000 read). */
function peakLrOver(schedule: { at(step: number): { lr: number } }, steps: number): number {
  // A loop, not Math.max(...lrs): 100,000 spread arguments are near the stack's limit (about 125,000 in Node 20,
  // 102,000 from 2,000 calls deep).
  let peak = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < Math.min(steps, 100_000); k++) peak = Math.max(peak, schedule.at(k).lr);
  return peak;
}

/**
 * The checks of a train request that need no model, each value given against its range, and the
 * epochs: what `train` checks before loading anything, and `lrlab train` before it says --max-lr is
 * required (that message's find-lr command repeated a --batch-size 0, which would fail in turn).
 */
export function checkTrainRequest(request: TrainRequest): number {
  const epochs = checkNumberOption('epochs', request.epochs ?? OPTIONS.epochs.default);
  // A batch size of 0 read "--total-steps … got Infinity", a negative weight decay or a dropout of
  // 1.5 trained without a word, and --val-samples 0 gave every epoch no validation loss, then a
  // verdict asking for more epochs.
  checkGivenNumbers(request, ['batchSize', 'weightDecay', 'dropout', 'momentum', 'beta2', 'epsilon', 'seed', 'validationSplit', 'fitLine', 'valSamples']);
  if (request.force === true && request.save === undefined) throw forceWithoutOutput('save');
  // The schedule's options (its length is filled in once the data is known). Without a --max-lr, the
  // largest LR taken stands in: no --min-lr or --base-lr is above it, and no factor divides it out of range.
  makeSchedule(request.policy ?? OPTIONS.policy.default, { maxLr: LR_RANGE.max, ...request.schedule, totalSteps: 100 });
  return epochs;
}

export async function train(request: TrainRequest, ctx: RunContext): Promise<TrainResult> {
  const epochs = checkTrainRequest(request);
  const policy: SchedulePolicy = request.policy ?? OPTIONS.policy.default;
  const save = reserveSave(request);
  try {
    return await trainReserved(request, ctx, epochs, policy, save);
  } finally {
    save?.outputs.release();
  }
}

/** The largest weight decay of method.md's grids (small data, shallow nets: 1e-2, 1e-3, 1e-4). */
const HEAVY_WEIGHT_DECAY = 1e-2;

/** Said after a not-learning or underfitting verdict of a run whose weight decay is above HEAVY_WEIGHT_DECAY. */
/** Said before a verdict that reads a run on inputs far from scale 1 (the warning names them). */
const OFF_SCALE_FIRST = 'The inputs are far from scale 1 (a warning names them), which can keep a model from learning at any LR: standardize them first, then train again; until then the verdict that follows reads their scale as much as the LR.';

function heavyDecayNote(weightDecay: number): string {
  return `First, though: ${flagOf('weightDecay')} ${weightDecay} is far above the weight decays the method tries (at most ${formatWeightDecay(HEAVY_WEIGHT_DECAY)}, for small data and shallow nets), and decay that strong pulls the weights toward 0 every step, which can keep a model from learning at any LR: compare the same run at ${formatWeightDecay(HEAVY_WEIGHT_DECAY / 10)} or without it.`;
}

/** A baseline without its chance accuracy (`accuracy`, `valSamples`), for a run judged on part of the validation split. */
function withoutChance(baseline: Baseline): Baseline {
  const { accuracy: _accuracy, valSamples: _samples, ...rest } = baseline;
  return rest;
}

async function trainReserved(request: TrainRequest, ctx: RunContext, epochs: number, policy: SchedulePolicy, save: { outputs: Outputs; target: string } | null): Promise<TrainResult> {
  const loaded = await loadForRun(request, ctx);
  if (save !== null) refuseSavingOverLoaded(save.target, loaded);
  const warnings: string[] = [...loaded.warnings, ...loaded.metrics.flatMap((m) => (m.note === undefined ? [] : [m.note])), ...fewValSamplesNote(request.valSamples, loaded.data.validation.count)];
  if (request.dropout !== undefined && !loaded.usesDropout && loaded.script === undefined) warnings.push(dropoutIgnored(loaded.file, request.dropout));
  // A script's note reads "(…, 50 epochs)": say that this run's length is --epochs', not the call's.
  const scriptEpochs = loaded.script?.epochs;
  if (scriptEpochs !== undefined && request.epochs === undefined && request.schedule?.totalSteps === undefined && request.scheduleClock !== 'time' && scriptEpochs !== epochs) {
    warnings.push(`This run trains ${formatCount(epochs, 'epoch')} (the default of ${flagOf('epochs')}), not the ${scriptEpochs} of the script's ${loaded.script?.method ?? 'fit'} call: give ${flagOf('epochs')} ${scriptEpochs} to train as long as the script does.`);
  }
  const count = loaded.data.train.count;
  const batchSize = fitBatchSize(withScriptDefaults(request, loaded).batchSize ?? OPTIONS.batchSize.default, request.batchSize !== undefined, count, warnings);
  const shuffle = seedProcess(request.seed ?? null);
  const sampler = new BatchSampler(count, batchSize, shuffle);
  const perEpoch = sampler.batchesPerEpoch;
  warnings.push(...unusedPerEpochNote(sampler, count, request.batchSize !== undefined));
  const choice = chooseOptimizer(request, loaded.compiledOptimizer, loaded.file);
  warnings.push(...choice.warnings);
  for (const note of [lrFoundWithNote(request.lrFoundWith, choice.report, request.schedule?.maxLr), lrFoundAtBatchNote(request.lrFoundAtBatch, batchSize, request.schedule?.maxLr)]) if (note !== null) warnings.push(note);
  let report = choice.report;
  const given = request.schedule ?? {};
  if (given.totalSteps === undefined && epochs * perEpoch < 2) {
    // The length comes from --epochs and the data, not from a --total-steps the user never gave.
    throw new OptionError('epochs', `${epochs} epoch of ${perEpoch} batch (${count} samples, batch size ${batchSize}) is 1 training step; a schedule needs at least 2.`, `Give ${flagOf('epochs')} 2 or more, or a smaller ${flagOf('batchSize')}.`);
  }
  let scheduleOptions: ScheduleOptions = { ...given, totalSteps: given.totalSteps ?? epochs * perEpoch };
  // A constant LR not given is the compiled one.
  const compiled = compiledLr(loaded.compiledOptimizer);
  if (policy === 'constant' && given.lr === undefined && given.maxLr === undefined && compiled !== null) {
    scheduleOptions = { ...scheduleOptions, lr: compiled };
    report = { ...report, lr: compiled, sources: { ...report.sources, lr: 'model.compile' } };
  } else if (policy === 'constant' && (given.lr ?? given.maxLr) !== undefined) {
    // A constant LR given is the run's one LR: named as such (it read "lr from the schedule").
    // --max-lr as the constant says so too (it printed "lr 0.05" with no source): the render names the flag from the schedule.
    report = given.lr !== undefined ? { ...report, lr: given.lr, sources: { ...report.sources, lr: request.sources?.lr ?? 'flag' } } : { ...report, lr: given.maxLr!, sources: { ...report.sources, lr: request.sources?.maxLr ?? 'flag' } };
  }
  // No momentum to cycle (plain SGD compiled with momentum 0, Adagrad, ...): keep it constant, unless the schedule flags ask for a cycle.
  const cycleAsked = given.maxMomentum !== undefined || given.baseMomentum !== undefined || given.cycleMomentum !== undefined;
  // An optimizer without momentum (Adagrad, Adadelta) has none to cycle: momentum flags asking for a
  // cycle would change nothing but the history's momentum column (a user's Adagrad run with them
  // trained to the same bits as without, its column cycling 0.86 → 0.95).
  if (report.momentum === null) {
    const asked = (['maxMomentum', 'baseMomentum'] as const).find((k) => given[k] !== undefined) ?? (given.cycleMomentum === true ? 'cycleMomentum' : null);
    if (asked !== null) throw new OptionError(asked, `${flagOf(asked)} does not apply to ${report.name}: it has no momentum to cycle.`, `Leave out ${flagOf('maxMomentum')} and ${flagOf('baseMomentum')}, or train with an optimizer that has momentum (${flagOf('optimizer')} sgd, nesterov, adam or rmsprop).`);
  }
  if (!choice.cyclesMomentum && !cycleAsked && policy !== 'constant') {
    scheduleOptions = { ...scheduleOptions, cycleMomentum: false };
    // With the LR found again for it: at this run's max LR, momentum 0.9 takes steps ~10x larger (a user's
    // 99.4% selu MLP fell to chance, following the hint's flags alone at its headline).
    const how =
      report.momentum === null
        ? `${flagOf('optimizer')} sgd, nesterov or adam to train with cyclical momentum, with a max LR found for that optimizer (lrlab find-lr --optimizer adam): an LR found with one optimizer is in the wrong decade for another`
        : `${flagOf('maxMomentum')} and ${flagOf('baseMomentum')} to train with cyclical momentum, with a max LR found at that momentum (lrlab find-lr --momentum 0.9): momentum 0.9 takes steps about 10x larger at the same LR, so this run's max LR would be too high`;
    warnings.push(`Momentum is not cycled: ${noCycleReason(report)}. Give ${how}.`);
  }
  const schedule = makeSchedule(policy, scheduleOptions);
  // A cyclic policy whose rise (--step-size-up, CYCLIC_STEP_SIZE_UP by default) is longer than the whole run never reaches --max-lr.
  const cyclic = policy === 'triangular' || policy === 'triangular2' || policy === 'exp_range';
  const rise = scheduleOptions.stepSizeUp ?? CYCLIC_STEP_SIZE_UP;
  const runSteps = scheduleOptions.totalSteps ?? epochs * perEpoch;
  if (cyclic && !(request.scheduleClock === 'time') && rise >= runSteps) {
    const peak = peakLrOver(schedule, runSteps);
    warnings.push(`The cycle rises over ${flagOf('stepSizeUp')} ${rise} steps, longer than the run's ${runSteps}: the LR never reaches ${flagOf('maxLr')} ${formatLr(scheduleOptions.maxLr)} (it peaks at ${formatLr(peak)}). Give ${flagOf('stepSizeUp')} about half the run (${Math.max(1, Math.floor(runSteps / 2))}) for one whole cycle, or use --policy onecycle.`);
  }
  // A one-cycle schedule (any policy but the constant and the repeating ones) given a --total-steps
  // other than the run's: the library refuses a fit longer than its cycle; here a user's --total-steps
  // 10 on a 20-step run trained half of it at the final LR, and 200 never got past 0.29 of --max-lr.
  const givenLength = given.totalSteps;
  if (givenLength !== undefined && !cyclic && policy !== 'constant' && request.scheduleClock !== 'time' && givenLength !== epochs * perEpoch) {
    const run = epochs * perEpoch;
    const length = `the run (${formatCount(epochs, 'epoch')} × ${formatCount(perEpoch, 'batch', 'batches')} = ${run} steps)`;
    const fix = `Leave ${flagOf('totalSteps')} out to fit the schedule to the run, or give ${flagOf('totalSteps')} ${run}.`;
    if (givenLength < run) {
      warnings.push(`${flagOf('totalSteps')} ${givenLength} is shorter than ${length}: the schedule ends at step ${givenLength} and the last ${run - givenLength} steps train at its final LR ${formatLr(schedule.at(givenLength).lr)}. ${fix}`);
    } else {
      const peak = peakLrOver(schedule, run);
      warnings.push(`${flagOf('totalSteps')} ${givenLength} is longer than ${length}: the run stops ${Math.round((100 * run) / givenLength)}% into the schedule, at LR ${formatLr(schedule.at(run - 1).lr)}, having peaked at ${formatLr(peak)}${scheduleOptions.maxLr === undefined ? '' : ` of ${flagOf('maxLr')} ${formatLr(scheduleOptions.maxLr)}`}. ${fix}`);
    }
  }
  const budget = request.budgetSeconds;
  const clocked = request.scheduleClock === 'time';
  if (clocked && (budget === undefined || !(budget > 0))) throw new OptionError('budgetSeconds', 'A time-driven schedule needs a positive time budget.');
  const totalSteps = scheduleOptions.totalSteps ?? epochs * perEpoch;
  /** Seconds of the latest evaluation: kept from a time budget for the evaluation that ends the run. */
  let evalReserve = 0;
  /** Each evaluation's seconds, and the schedule position of the latest step: whether a time-driven cycle reached its end. */
  const evaluations: number[] = [];
  let lastPosition = 0;
  const trainingSeconds = (): number => Math.max(1e-3, (budget ?? 0) - evalReserve);
  /**
   * The schedule position of this step: the step itself, or the share of the time budget used — or
   * of the epochs' steps, where that is further (the cycle ends at whichever limit comes first).
   */
  const position = (now: number): number => {
    if (!clocked) return step;
    // The cycle ends one evaluation (the latest one's time) before training does: an epoch that ends
    // just short of the training time, whose evaluation then uses the rest, is the last one — its
    // final step was up to one evaluation's time short of the cycle's end, the annihilation cut.
    // Steps after the cycle's end stay at its last LR. (The slowest evaluation yet instead: one slow
    // pass on a loaded machine then ended the cycle early for good.)
    const cycleSeconds = Math.max(1e-3, trainingSeconds() - evalReserve);
    const byTime = Math.floor(((now - started) / 1000 / cycleSeconds) * totalSteps);
    // The cap's last step is the schedule's last position, as it is on the steps clock.
    const bySteps = Math.floor((step / Math.max(1, epochs * perEpoch - 1)) * (totalSteps - 1));
    return Math.min(totalSteps - 1, Math.max(byTime, bySteps));
  };
  const constantMomentum = choice.params.momentum;

  const model = await loaded.buildModel(request.dropout === undefined ? {} : { dropout: request.dropout });
  const first = schedule.at(0);
  /** The highest LR a step of this run used (the records keep each epoch's last LR, below 1cycle's peak): the verdict quotes it. */
  let peakLr = Number.NEGATIVE_INFINITY;
  const trainer = new Trainer(loaded.tf, model, loaded.loss.fn, loaded.accuracy, {
    optimizer: { ...choice.params, lr: first.lr, momentum: first.momentum ?? constantMomentum, weightDecay: request.weightDecay ?? 0 },
    metrics: loaded.metrics,
    trainMetrics: true,
  });
  const history: EpochRecord[] = [];
  // Batch normalization: moving statistics re-estimated before each validation pass (normStats.ts).
  const norms = batchNormLayers(model);
  let normStats: TrainResult['normStats'];
  const started = performance.now();
  const valLimit = request.valSamples ?? loaded.data.validation.count;
  let step = 0;
  let stopped: string | null = null;
  let outOfTime = false;
  const pacer = new EventLoopPacer();
  try {
    ctx.reporter.progress('train', `Training ${clocked ? `for ${formatSeconds(trainingSeconds())} (at most ${formatCount(epochs, 'epoch')})` : formatCount(epochs, 'epoch')} × ${formatCount(perEpoch, 'batch', 'batches')} on ${backendLabel(loaded.backend)}`, 0, true);
    for (let epoch = 1; epoch <= epochs && stopped === null; epoch++) {
      let lossSum = 0;
      let batches = 0;
      let last = first;
      for (let b = 0; b < perEpoch; b++) {
        if (ctx.signal.aborted) {
          stopped = 'cancelled';
          break;
        }
        if (budget !== undefined && (performance.now() - started) / 1000 >= trainingSeconds()) {
          outOfTime = true;
          break;
        }
        lastPosition = position(performance.now());
        last = schedule.at(lastPosition);
        if (last.lr > peakLr) peakLr = last.lr;
        trainer.optimizer.setLr(last.lr);
        trainer.optimizer.setMomentum(last.momentum ?? constantMomentum);
        const loss = trainer.stepOn(loaded.data.train, sampler.next());
        step++;
        if (!Number.isFinite(loss)) {
          // The first step's loss is the initial weights' (NAN_BEFORE_ANY_UPDATE): no LR made it.
          stopped = step === 1 ? NAN_AT_FIRST_STEP : `the training loss became NaN/Inf at epoch ${epoch}, step ${step} (LR ${formatLr(last.lr)})`;
          break;
        }
        lossSum += loss;
        batches++;
        ctx.reporter.progress('train', () => `epoch ${epoch}${clocked ? '' : `/${epochs}`}, batch ${b + 1}/${perEpoch}, loss ${formatLoss(loss)}`, clocked ? position(performance.now()) / totalSteps : step / (epochs * perEpoch));
        if (pacer.due) await pacer.yield();
      }
      if (batches === 0) break;
      // A cancel inside an epoch: its part is no epoch (a user's row 13 of a cancelled run read as
      // whole, its loss over 6 of 25 batches); the epochs before it are the run's history.
      if (stopped === 'cancelled' && batches < perEpoch) break;
      const evalStarted = performance.now();
      if (norms.length > 0) normStats = reestimateNormStats(loaded.tf, model, norms, loaded.data.train, batchSize);
      const evaluation = trainer.evaluate(loaded.data.validation, valLimit);
      evalReserve = (performance.now() - evalStarted) / 1000;
      evaluations.push(evalReserve);
      const penalty = trainer.takePenalty();
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / batches,
        ...(trainer.penalized ? { trainPenalty: penalty } : {}),
        valLoss: Number.isFinite(evaluation.loss) ? evaluation.loss : null,
        valAccuracy: evaluation.accuracy,
        metrics: trainer.takeTrainMetrics(),
        valMetrics: evaluation.metrics,
        lr: last.lr,
        // The momentum the updates used: the schedule's, else the optimizer's constant one (a
        // constant policy read "—" while training at the compiled 0.9); none for an optimizer without.
        momentum: last.momentum ?? (choice.report.momentum === null ? null : constantMomentum),
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      ctx.reporter.point('train', { step: epoch, lr: record.lr, momentum: record.momentum, loss: record.trainLoss, smoothed: null, valLoss: record.valLoss, valAccuracy: record.valAccuracy, metrics: record.metrics, valMetrics: record.valMetrics, seconds: record.seconds });
      // An epoch is a unit people watch for (the CLI prints its row): sent now, not with the next batch of points.
      ctx.reporter.flush();
      if (outOfTime) break;
    }
    ctx.reporter.flush();
    // Saved only after a run that finished; the files were reserved (checked and locked) before it started.
    const classes = loaded.classNames ?? null;
    const files = save !== null && stopped === null ? await modelFiles(loaded.tf, model, save.target, classes) : null;
    // A time-driven cycle ends at its budget by design (its last steps are the annihilation): no
    // warning — unless it stopped short of its end: an evaluation that took far longer than the others
    // used the time left (on a loaded CI machine a 14 s confirming run stopped at three quarters of its
    // cycle, LR 0.066 of 0.17; its verdict then reads a run that never annealed).
    if (clocked && outOfTime && stopped === null && lastPosition < CYCLE_REACHED * (totalSteps - 1)) warnings.push(cycleCut(lastPosition / (totalSteps - 1), schedule.at(lastPosition).lr, evaluations));
    if (outOfTime && !clocked) warnings.push(`Stopped at the time budget (${formatSeconds(request.budgetSeconds ?? 0)}) after ${formatCount(step, 'step')}.`);
    if (stopped === 'cancelled') warnings.push(clocked ? `Cancelled after ${formatCount(history.length, 'epoch')} (${formatSeconds((performance.now() - started) / 1000)} of ${formatSeconds(budget ?? 0)}).` : `Cancelled after ${history.length} of ${formatCount(epochs, 'epoch')}.`);
    // Not "lower the maximum LR" where the loss was NaN before any update (a user's own log(yPred) on a
    // linear head read "unstable … train again 3x lower"; find-lr said no LR changes it).
    else if (stopped === NAN_AT_FIRST_STEP) warnings.push(`${STOPPED_WARNING} ${stopped}: no learning rate changes that (the verdict says what to check).`);
    else if (stopped !== null) warnings.push(inLrTerms(policy, `${STOPPED_WARNING} ${stopped}. Lower the maximum LR: ${lowerAdvice(quotedPeak(peakLr, scheduleOptions.maxLr))}.`));
    // --save writes only a finished run's model: say so rather than end without a word about it.
    if (save !== null && stopped !== null) warnings.push(`The model was not saved to ${save.target}: ${stopped === 'cancelled' ? 'the run was cancelled before its end' : 'training diverged'}, and --save keeps only a finished run's model.`);
    // Judged on the validation samples evaluated: a chance accuracy read on the whole split says nothing of --val-samples' first N (a class-sorted file's N are one class).
    // The result reports the baseline the verdict was judged against.
    const judgedOn = loaded.baseline !== null && valLimit < loaded.data.validation.count ? withoutChance(loaded.baseline) : loaded.baseline;
    // Cancelled before a one-cycle schedule's end: its anneal was still to come.
    const cutMidCycle = stopped === 'cancelled' && policy !== 'constant' && !cyclic && lastPosition < CYCLE_REACHED * (totalSteps - 1);
    const judged: Diagnosis = stopped === NAN_AT_FIRST_STEP
      ? { verdict: null, reason: `No verdict: the run never trained. ${NAN_BEFORE_ANY_UPDATE}` }
      : stopped !== null && stopped !== 'cancelled' ? { verdict: 'unstable', reason: `Training diverged: ${stopped}.` } : diagnose(history, judgedOn, quotedPeak(peakLr, scheduleOptions.maxLr), valLimit < loaded.data.validation.count ? null : (loaded.chance ?? null), cutMidCycle);
    // Cancelled before its cycle ended, a one-cycle run's curve is not the schedule's: mid-cycle, at a
    // high LR, "still falling — train longer" was the verdict a user's Ctrl-C at epoch 3 of 10 printed.
    // A constant LR or a repeating cycle has no end to reach; and a breakdown is evidence at any point
    // (Ctrl-C is often pressed because the loss exploded). (A --budget stop on the steps clock keeps its
    // verdict, with its warning: the recipe's confirming runs end so at 95 of 100 epochs, mid-annihilation.)
    const cut = cutMidCycle && judged.verdict !== 'unstable';
    const verdicted: Diagnosis = cut
      ? { verdict: null, reason: `Cancelled after ${formatCount(history.length, 'epoch')}${clocked ? '' : ` of ${epochs}`}, before the ${policy} schedule ended: no verdict on an unfinished cycle.` }
      : { ...judged, reason: inLrTerms(policy, judged.reason) };
    // A run that learned little under a weight decay far above the method's grids: that decay is the first
    // suspect (a user's --weight-decay 0.3 read "learning slowly … train for more epochs", the decay unnamed).
    const decay = request.weightDecay ?? 0;
    const decayed: Diagnosis = decay > HEAVY_WEIGHT_DECAY && (verdicted.verdict === 'not-learning' || verdicted.verdict === 'underfitting') ? { ...verdicted, reason: `${verdicted.reason} ${heavyDecayNote(decay)}` } : verdicted;
    // Inputs far from scale 1 come before any LR: a user's income-and-age CSV ended pinned at the same
    // losses at max LR 0.01 and 0.001 and read "train again 3–10x lower" both times, while find-lr on it
    // led with "standardize them first".
    const diagnosis: Diagnosis = loaded.inputsOffScale && (decayed.verdict === 'not-learning' || decayed.verdict === 'underfitting' || decayed.verdict === 'unstable') ? { ...decayed, reason: `${OFF_SCALE_FIRST} ${decayed.reason}` } : decayed;
    const result: TrainResult = {
      kind: 'train',
      model: loaded.file,
      backend: loaded.backend.name,
      seconds: (performance.now() - started) / 1000,
      policy,
      schedule: scheduleOptions,
      history,
      diagnosis,
      savedTo: null,
      optimizer: report,
      warnings,
      baseline: judgedOn,
      ...(normStats === undefined ? {} : { normStats }),
      settings: { batchSize, epochs, weightDecay: request.weightDecay ?? 0, dropout: request.dropout ?? null, seed: request.seed ?? null },
    };
    if (save === null || files === null) return result;
    try {
      save.outputs.commit(files);
    } catch (error) {
      throw new OutputFailure(toLrLabError(error), { ...result, warnings: [...warnings, `The model was not saved: ${toLrLabError(error).message}`] });
    }
    // Which output is which class: the CSV's names sorted, which nothing said (a user's saved iris model could not be read without guessing).
    // One sigmoid unit for two classes: it is the second class's probability (it read "the output units are the classes 'no', 'yes'").
    const units = model.outputs[0]?.shape.at(-1) ?? null;
    const classOrder = classes === null
      ? []
      : units === 1 && classes.length === 2
        ? [`${path.basename(save.target)}'s one output is the probability of '${classes[1]}' (label 1; '${classes[0]}' is 0: the label column's names, sorted; also in its userDefinedMetadata.lrlab.classes).`]
        : [`${path.basename(save.target)}'s output units are the classes ${classes.slice(0, 12).map((c) => `'${c}'`).join(', ')}${classes.length > 12 ? `, … (${classes.length} in all)` : ''}, in that order (the label column's names, sorted; also in its userDefinedMetadata.lrlab.classes).`];
    return { ...result, savedTo: save.target, warnings: [...result.warnings, ...classOrder] };
  } finally {
    trainer.dispose();
    loaded.disposeModel(model);
  }
}

/** A time-driven cycle whose last step came before this share of it did not reach its end (Smith's: the annihilation's second half). */
const CYCLE_REACHED = 0.95;

/**
 * Advice in a constant LR's words: it has one LR, not a maximum (a constant run was told "a lower
 * max LR" and "A higher max LR"). Other policies' text is unchanged.
 */
function inLrTerms(policy: SchedulePolicy, text: string): string {
  if (policy !== 'constant') return text;
  return text.replace(/\b([Aa]) max(imum)? LR\b/g, '$1n LR').replace(/\bmax(imum)? LR\b/g, 'LR');
}

/** The warning for a time-driven cycle that stopped short of its end, with what used the time. */
function cycleCut(share: number, lr: number, evaluations: readonly number[]): string {
  const lastEval = evaluations.at(-1) ?? 0;
  const before = [...evaluations.slice(0, -1)].sort((a, b) => a - b);
  const typical = before.length === 0 ? null : before[Math.floor(before.length / 2)]!;
  const why = typical !== null && lastEval > 3 * typical && lastEval > 0.1
    ? `its last evaluation took ${formatSeconds(lastEval)} (${formatSeconds(typical)} before, the median) and used the time left`
    : 'the time ran out before the cycle did';
  return `${CYCLE_CUT_WARNING} ${Math.round(share * 100)}% of its length, at LR ${formatLr(lr)}, not its end: ${why}. Its verdict reads a run that did not finish annealing; run it again (on a quieter machine, or with a larger budget) before acting on it.`;
}
