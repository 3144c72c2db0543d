/**
 * What a training step and a validation pass cost on this machine, measured on a throwaway model
 * before a wall-clock plan is made (the batch-size study's equal time, the recipe's --budget).
 * Measured rather than read off the range test: the first steps of a process carry the backend's
 * warm-up (kernel compilation, seconds on wasm), and the range test's own per-step work (smoothing,
 * streaming) makes its steps slower than training's; either way a plan would under-use its time.
 */
import type { OptimizerChoice } from '../optimizerChoice';
import { medianStepSeconds } from '../../core/decisions';
import { BatchSampler } from '../../core/random';
import type { LoadedModel } from '../session';
import { EVAL_BATCH_SIZE, Trainer } from '../trainer';
import { EventLoopPacer } from './loop';
import { batchNormLayers, reestimateNormStats } from '../normStats';

/**
 * Warm-up before timing: the first steps compile kernels for this batch shape and JS code is still
 * being optimized for a few hundred ms; on tiny models that makes early steps several times slower.
 */
export const WARM_UP_STEPS = 5;
export const WARM_UP_SECONDS = 0.25;
/** A cap on warm-up steps for models whose steps are very cheap. */
const MAX_WARM_UP_STEPS = 300;
/** Steps timed; the median per-step time of these is the estimate. */
export const TIMED_STEPS = 20;

export interface StepCost {
  /** Seconds per training step at the batch size, warm. */
  readonly stepSeconds: number;
  /** Seconds for one evaluation of the validation samples used by training (with a batch-norm model's re-estimation). */
  readonly evalSeconds: number;
}

/**
 * Times steps the way the training loops run them (LR and momentum set, one step, an event-loop
 * yield when one is due) at `batchSize`, and one evaluation of `valSamples` validation samples. Uses Math.random
 * for the throwaway model; every experiment re-seeds before building its own.
 */
export async function measureStepCost(loaded: LoadedModel, batchSize: number, optimizer: OptimizerChoice['params'], signal: AbortSignal, valSamples = loaded.data.validation.count): Promise<StepCost> {
  const model = await loaded.buildModel({});
  const trainer = new Trainer(loaded.tf, model, loaded.loss.fn, loaded.accuracy, { optimizer: { ...optimizer, lr: 1e-5, weightDecay: 0 } });
  const sampler = new BatchSampler(loaded.data.train.count, Math.min(batchSize, loaded.data.train.count), Math.random);
  const pacer = new EventLoopPacer();
  try {
    const warmStart = performance.now();
    for (let i = 0; i < MAX_WARM_UP_STEPS && !signal.aborted && (i < WARM_UP_STEPS || performance.now() - warmStart < WARM_UP_SECONDS * 1000); i++) {
      trainer.stepOn(loaded.data.train, sampler.next());
      if (pacer.due) await pacer.yield();
    }
    trainer.evaluate(loaded.data.validation, Math.min(EVAL_BATCH_SIZE, valSamples));
    const started = performance.now();
    const times = [{ step: 0, seconds: 0 }];
    for (let i = 1; i <= TIMED_STEPS && !signal.aborted; i++) {
      trainer.optimizer.setLr(1e-5);
      trainer.optimizer.setMomentum(optimizer.momentum);
      trainer.stepOn(loaded.data.train, sampler.next());
      if (pacer.due) await pacer.yield();
      times.push({ step: i, seconds: (performance.now() - started) / 1000 });
    }
    const stepSeconds = medianStepSeconds(times) ?? (times.at(-1)!.seconds / Math.max(1, times.length - 1) || 1e-3);
    // A validation pass of a batch-norm model starts with re-estimating its statistics (train, shortRun).
    const evalStarted = performance.now();
    reestimateNormStats(loaded.tf, model, batchNormLayers(model), loaded.data.train, batchSize);
    trainer.evaluate(loaded.data.validation, valSamples);
    return { stepSeconds, evalSeconds: (performance.now() - evalStarted) / 1000 };
  } finally {
    trainer.dispose();
    loaded.disposeModel(model);
  }
}
