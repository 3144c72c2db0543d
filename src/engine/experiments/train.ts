/**
 * A full training run (`lrlab train`): any core schedule per batch — LR and momentum (Adam:
 * beta1) — with weight decay, per-epoch train/validation loss, accuracy and the model's own
 * metrics, and the verdict from core (judged against the task's baseline). The model comes
 * fresh from createModel; the trained weights are saved only where the user says, never over an
 * existing model without `--force`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TrainRequest } from '../../protocol/requests';
import type { EpochRecord, ScheduleOptions, SchedulePolicy, TrainResult } from '../../protocol/results';
import { LrLabError, OptionError, flagOf } from '../../protocol/errors';
import { makeSchedule } from '../../core/schedules';
import { diagnose } from '../../core/diagnosis';
import { BatchSampler } from '../../core/random';
import { loadForRun } from '../session';
import { seedProcess } from '../seed';
import { backendLabel, fileSystemIO } from '../tfjs';
import { Trainer } from '../trainer';
import { FIND_LR_DEFAULTS, fitBatchSize } from './findLr';
import type { RunContext } from './findLr';

/** Defaults of `lrlab train`. */
export const TRAIN_DEFAULTS = { policy: 'smith' as SchedulePolicy, epochs: 5 };
/** Longest run accepted from the CLI (a typo like 1e6 epochs should not start). */
export const MAX_EPOCHS = 10_000;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function checkSaveTarget(save: string | undefined, force: boolean): string | null {
  if (save === undefined) return null;
  const target = path.resolve(save, 'model.json');
  if (existsSync(target) && !force) {
    throw new OptionError('save', `${target} exists; LR Lab does not overwrite a saved model.`, 'Pick another --save folder, or add --force to replace it.');
  }
  return target;
}

export async function train(request: TrainRequest, ctx: RunContext): Promise<TrainResult> {
  const epochs = request.epochs ?? TRAIN_DEFAULTS.epochs;
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > MAX_EPOCHS) throw new OptionError('epochs', `${flagOf('epochs')} must be a whole number between 1 and ${MAX_EPOCHS}, got ${String(epochs)}.`);
  const policy = request.policy ?? TRAIN_DEFAULTS.policy;
  const saveTarget = checkSaveTarget(request.save, request.force === true);
  // Validate the schedule before loading anything (its length is filled in once the data is known).
  makeSchedule(policy, { maxLr: 0.1, ...request.schedule, totalSteps: 100 });

  const loaded = await loadForRun(request, ctx);
  const warnings: string[] = [...loaded.warnings];
  const count = loaded.data.train.count;
  const batchSize = fitBatchSize(request.batchSize ?? FIND_LR_DEFAULTS.batchSize, request.batchSize !== undefined, count, warnings);
  const shuffle = seedProcess(request.seed ?? null);
  const sampler = new BatchSampler(count, batchSize, shuffle);
  const perEpoch = sampler.batchesPerEpoch;
  const scheduleOptions: ScheduleOptions = { ...request.schedule, totalSteps: request.schedule?.totalSteps ?? epochs * perEpoch };
  const schedule = makeSchedule(policy, scheduleOptions);
  const budget = request.budgetSeconds;
  if (request.scheduleClock === 'time' && (budget === undefined || !(budget > 0))) throw new OptionError('budgetSeconds', 'A time-driven schedule needs a positive time budget.');
  const totalSteps = scheduleOptions.totalSteps ?? epochs * perEpoch;
  /** The schedule position of this step: the step itself, or the share of the time budget used. */
  const position = (now: number): number => (request.scheduleClock === 'time' ? Math.min(totalSteps - 1, Math.floor(((now - started) / 1000 / budget!) * totalSteps)) : step);
  const optimizer = request.optimizer ?? loaded.compiledOptimizer ?? 'sgd';
  const constantMomentum = request.momentum ?? FIND_LR_DEFAULTS.momentum;

  const model = loaded.buildModel(request.dropout === undefined ? {} : { dropout: request.dropout });
  const first = schedule.at(0);
  const trainer = new Trainer(loaded.tf, model, loaded.loss.fn, loaded.accuracy, {
    optimizer: { name: optimizer, lr: first.lr, momentum: first.momentum ?? constantMomentum, weightDecay: request.weightDecay ?? 0 },
    metrics: loaded.metrics,
    trainMetrics: true,
  });
  const history: EpochRecord[] = [];
  const started = performance.now();
  const valLimit = request.valSamples ?? loaded.data.validation.count;
  let step = 0;
  let stopped: string | null = null;
  let outOfTime = false;
  try {
    ctx.reporter.progress('train', `Training ${epochs} epochs × ${perEpoch} batches on ${backendLabel(loaded.backend)}`, 0, true);
    for (let epoch = 1; epoch <= epochs && stopped === null; epoch++) {
      let lossSum = 0;
      let batches = 0;
      let last = first;
      for (let b = 0; b < perEpoch; b++) {
        if (ctx.signal.aborted) {
          stopped = 'cancelled';
          break;
        }
        if (request.budgetSeconds !== undefined && (performance.now() - started) / 1000 >= request.budgetSeconds) {
          outOfTime = true;
          break;
        }
        last = schedule.at(position(performance.now()));
        trainer.optimizer.setLr(last.lr);
        trainer.optimizer.setMomentum(last.momentum ?? constantMomentum);
        const loss = trainer.stepOn(loaded.data.train, sampler.next());
        step++;
        if (!Number.isFinite(loss)) {
          stopped = `the training loss became NaN/Inf at epoch ${epoch}, step ${step} (LR ${last.lr.toExponential(2)})`;
          break;
        }
        lossSum += loss;
        batches++;
        ctx.reporter.progress('train', `epoch ${epoch}/${epochs}, batch ${b + 1}/${perEpoch}, loss ${loss.toPrecision(4)}`, step / (epochs * perEpoch));
        await yieldToEventLoop();
      }
      if (batches === 0) break;
      const evaluation = trainer.evaluate(loaded.data.validation, 256, valLimit);
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / batches,
        valLoss: Number.isFinite(evaluation.loss) ? evaluation.loss : null,
        valAccuracy: evaluation.accuracy,
        metrics: trainer.takeTrainMetrics(),
        valMetrics: evaluation.metrics,
        lr: last.lr,
        momentum: last.momentum,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      ctx.reporter.point('train', { step: epoch, lr: record.lr, momentum: record.momentum, loss: record.trainLoss, smoothed: null, valLoss: record.valLoss, valAccuracy: record.valAccuracy, valMetrics: record.valMetrics, seconds: record.seconds });
      if (outOfTime) break;
    }
    ctx.reporter.flush();
    let savedTo: string | null = null;
    if (saveTarget !== null && stopped === null) {
      try {
        await model.save(fileSystemIO(loaded.tf, saveTarget));
        savedTo = saveTarget;
      } catch (error) {
        throw new LrLabError('bad-option', `Could not save the model to ${saveTarget}: ${error instanceof Error ? error.message : String(error)}.`, { option: 'save', fix: 'Pick a writable folder.' });
      }
    }
    if (outOfTime) warnings.push(`Stopped at the time budget (${request.budgetSeconds ?? 0} s) after ${step} steps.`);
    if (stopped === 'cancelled') warnings.push(`Cancelled after ${history.length} of ${epochs} epochs.`);
    else if (stopped !== null) warnings.push(`Stopped: ${stopped}. Lower the maximum LR (run lrlab find-lr first).`);
    const diagnosis = stopped !== null && stopped !== 'cancelled' ? { verdict: null, reason: `Training diverged: ${stopped}.` } : diagnose(history, loaded.baseline);
    return {
      kind: 'train',
      model: loaded.file,
      backend: loaded.backend.name,
      seconds: (performance.now() - started) / 1000,
      policy,
      schedule: scheduleOptions,
      history,
      diagnosis,
      savedTo,
      warnings,
      baseline: loaded.baseline,
    };
  } finally {
    trainer.dispose();
    loaded.disposeModel(model);
  }
}
