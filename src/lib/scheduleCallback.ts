/**
 * A tfjs callback that drives the optimizer from a schedule (src/core/schedules.ts): before every
 * batch, from the first, it sets the learning rate and — where the optimizer has one — the
 * momentum to the schedule's value for that step.
 *
 * Finding the model: tfjs hands a callback the model (`setModel`) only when the `callbacks` it is
 * given are all callback objects; once the first element is a plain object it wraps every element
 * in a `CustomCallback` and never calls `setModel` on ours. So the library hooks `fit` and
 * `fitDataset` of the application's tf (once): a call whose `callbacks` hold one of ours binds it
 * to that model and that call's length, and wraps the plain objects itself (`new
 * tf.CustomCallback(obj, yieldEvery)`), so mixed lists work in any order — tfjs alone fails on
 * `[callbackObject, plainObject]` — and ours is never wrapped. Its handlers are own arrow
 * functions, so even wrapped (a model from another tfjs copy) it cannot recurse into itself.
 *
 * Setting the values (tfjs 4.22): the LR through `setLearningRate` (SGD/Momentum rebuild the
 * scalar their update reads) or the `learningRate` field (Adam, RMSProp, … read it each step);
 * momentum by replacing the scalar `m` MomentumOptimizer's update reads (`setMomentum()` only sets
 * a field nothing reads), Adam's `beta1`, RMSProp's `momentum` when it is not 0.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { LrLabError, OptionError } from '../protocol/errors';
import type { Schedule, ScheduleValue } from '../core/schedules';
import type { Tf } from '../engine/tfjs';
import { appTf } from './appTf';
import { formatLr } from '../protocol/format';

/** How long the enclosing fit call trains, as far as its arguments tell. */
export interface FitPlan {
  /** The epoch the call ends at (tfjs's `epochs`: with `initialEpoch`, the index to end before). */
  readonly epochs: number;
  /** The epoch the call starts at (`initialEpoch`, 0): a call resuming training resumes the schedule there. */
  readonly initialEpoch: number;
  /** Batches per epoch; `null` when unknown (a dataset of unknown size without batchesPerEpoch). */
  readonly stepsPerEpoch: number | null;
}

/** The schedule for the enclosing fit call, or an error saying what to pass. */
export type ScheduleFor = (plan: FitPlan) => Schedule;

export interface LrCallback extends tfjs.CustomCallback {
  /** The step the next batch runs (0 before training). */
  readonly step: number;
}

interface Bindable {
  bind(model: tfjs.LayersModel, plan: FitPlan): void;
  /** The fit call it was bound to has settled (ended, failed or was stopped): free for the next. */
  release(model: tfjs.LayersModel): void;
}

const ours = new WeakSet<object>();

function isOurs(value: unknown): value is Bindable {
  return typeof value === 'object' && value !== null && ours.has(value);
}

function shapeOf(value: unknown): readonly number[] | null {
  const v = value as { shape?: readonly number[] } | null | undefined;
  return Array.isArray(v?.shape) ? v.shape : null;
}

interface FitArgs {
  batchSize?: number;
  epochs?: number;
  validationSplit?: number;
  validationData?: unknown;
  batchesPerEpoch?: number;
  initialEpoch?: number;
  callbacks?: unknown;
  yieldEvery?: unknown;
}

/**
 * epochs × ceil(training samples after validationSplit / batchSize), as tfjs will train.
 * @internal
 */
export function planOf(method: 'fit' | 'fitDataset', args: readonly unknown[]): FitPlan {
  if (method === 'fitDataset') {
    const options = (args[1] ?? {}) as FitArgs;
    const size = (args[0] as { size?: number } | null)?.size;
    const perEpoch = options.batchesPerEpoch ?? (typeof size === 'number' && Number.isFinite(size) && size > 0 ? size : null);
    return { epochs: options.epochs ?? 1, initialEpoch: options.initialEpoch ?? 0, stepsPerEpoch: perEpoch };
  }
  const options = (args[2] ?? {}) as FitArgs;
  const x = args[0];
  const first = shapeOf(x) ?? shapeOf(Array.isArray(x) ? x[0] : typeof x === 'object' && x !== null ? Object.values(x)[0] : null);
  const samples = first?.[0] ?? 0;
  const split = options.validationData === undefined || options.validationData === null ? (options.validationSplit ?? 0) : 0;
  const training = split > 0 && split < 1 ? Math.floor(samples * (1 - split)) : samples;
  return { epochs: options.epochs ?? 1, initialEpoch: options.initialEpoch ?? 0, stepsPerEpoch: Math.ceil(training / (options.batchSize ?? 32)) };
}

/** The plain objects of a mixed callbacks list as CustomCallbacks, so tfjs calls every element as a callback. */
function normalized(tf: Tf, callbacks: unknown, yieldEvery: unknown): unknown {
  if (!Array.isArray(callbacks)) return callbacks;
  return callbacks.map((c: unknown) => (c instanceof tf.CustomCallback || c instanceof tf.Callback || isOurs(c) || typeof c !== 'object' || c === null ? c : new tf.CustomCallback(c as tfjs.CustomCallbackArgs, yieldEvery as tfjs.ModelFitArgs['yieldEvery'])));
}

const hooked = new WeakSet<object>();

/** Hooks fit/fitDataset of the app's tf (once per class) to bind our callbacks to the model they train. */
function hookFit(tf: Tf): void {
  for (const proto of [tf.LayersModel.prototype, tf.Sequential.prototype]) {
    if (hooked.has(proto)) continue;
    hooked.add(proto);
    for (const method of ['fit', 'fitDataset'] as const) {
      const original = Object.getOwnPropertyDescriptor(proto, method)?.value as (this: tfjs.LayersModel, ...args: unknown[]) => Promise<unknown>;
      const optionsIndex = method === 'fit' ? 2 : 1;
      Object.defineProperty(proto, method, {
        configurable: true,
        writable: true,
        value: function (this: tfjs.LayersModel, ...args: unknown[]): Promise<unknown> {
          const options = args[optionsIndex] as FitArgs | undefined;
          const list = options?.callbacks;
          const found = (Array.isArray(list) ? (list as unknown[]) : [list]).filter(isOurs);
          if (found.length === 0) return original.apply(this, args);
          try {
            // Two schedules in one call both set the LR before every batch: the last one would win, silently.
            if (found.length > 1) throw new OptionError('callbacks', `model.${method} was given ${found.length} LR Lab schedule callbacks: each sets the LR before every batch, so only the last would count.`, 'Pass one schedule callback (oneCycle, cyclicLr or scheduleCallback) per fit call.');
            const plan = planOf(method, args);
            for (const callback of found) callback.bind(this, plan);
          } catch (error) {
            return Promise.reject(error instanceof Error ? error : new Error(String(error)));
          }
          const call = [...args];
          call[optionsIndex] = { ...options, callbacks: normalized(tf, list, options?.yieldEvery) };
          return original.apply(this, call).finally(() => {
            for (const callback of found) callback.release(this);
          });
        },
      });
    }
  }
}

interface SettableOptimizer {
  setLearningRate?: (lr: number) => void;
  learningRate?: number;
  m?: tfjs.Tensor;
  momentum?: number;
  beta1?: number;
  /** tfjs Adam/Adamax: the product of beta1 so far (their bias correction), and the steps taken. */
  accBeta1?: tfjs.Variable;
  iterations?: number;
  getClassName?: () => string;
}

/**
 * Sets the LR and (where the optimizer has momentum) the momentum the next update reads.
 * @internal
 */
export function setOptimizerValues(tf: Tf, optimizer: SettableOptimizer, lr: number, momentum: number | null): void {
  if (typeof optimizer.setLearningRate === 'function') optimizer.setLearningRate(lr);
  else optimizer.learningRate = lr;
  if (momentum === null) return;
  switch (momentumKind(tf, optimizer)) {
    case 'sgd':
      optimizer.m!.dispose();
      optimizer.m = tf.keep(tf.scalar(momentum));
      optimizer.momentum = momentum;
      return;
    case 'beta1': {
      // tfjs's Adam/Adamax bias correction starts from the compiled beta1 (accBeta1 = beta1 before the
      // first step): set before that step, it starts from the schedule's, or the first update is off
      // by their ratio (0.05 / 0.1: half the scheduled step with 0.95 against a compiled 0.9).
      const acc = optimizer.accBeta1;
      if (acc instanceof tf.Variable && optimizer.iterations === 0) tf.tidy(() => acc.assign(tf.scalar(momentum)));
      optimizer.beta1 = momentum;
      return;
    }
    case 'rmsprop':
      optimizer.momentum = momentum;
      return;
    case null:
      return;
  }
}

/** Which momentum a schedule drives: SGD's momentum scalar, Adam/Adamax's beta1, RMSprop's momentum (when compiled with one), or none. */
function momentumKind(tf: Tf, optimizer: SettableOptimizer): 'sgd' | 'beta1' | 'rmsprop' | null {
  if (optimizer.m instanceof tf.Tensor) return 'sgd';
  if (typeof optimizer.beta1 === 'number') return 'beta1';
  if (optimizer.getClassName?.() === 'RMSProp' && typeof optimizer.momentum === 'number' && optimizer.momentum > 0) return 'rmsprop';
  return null;
}

/** The LR and momentum (as `setOptimizerValues` sets them) an optimizer has now; `null` for none (an uncompiled model: tfjs says so) or one we cannot read. */
function optimizerValues(tf: Tf, optimizer: SettableOptimizer | null | undefined): { optimizer: SettableOptimizer; lr: number; momentum: number | null } | null {
  const lr = optimizer?.learningRate;
  if (optimizer === null || optimizer === undefined || typeof lr !== 'number' || !Number.isFinite(lr)) return null;
  const kind = momentumKind(tf, optimizer);
  const momentum = kind === null ? null : kind === 'beta1' ? optimizer.beta1! : optimizer.momentum ?? null;
  return { optimizer, lr, momentum };
}

/**
 * The schedule's values for `step`, checked: an app's own schedule (scheduleCallback({ at })) is read
 * as it gives them, and an LR of NaN trained to a NaN loss without a word, one below 0 climbed the
 * loss (344 → 1e7), a momentum of 5 was applied.
 */
function checkedValue(name: string, schedule: Schedule, step: number): ScheduleValue {
  const value: unknown = schedule.at(step);
  const { lr, momentum } = (typeof value === 'object' && value !== null ? value : {}) as { lr?: unknown; momentum?: unknown };
  const what = `${name}(): the schedule's at(${step})`;
  if (typeof value !== 'object' || value === null) {
    throw new OptionError('schedule', `${what} returned ${value === null ? 'null' : typeof value}, not { lr, momentum }.`, 'Return an object { lr, momentum } from at(step) for every step of the fit (momentum null to leave the optimizer\'s).');
  }
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new OptionError('schedule', `${what} gave lr ${typeof lr === 'number' ? String(lr) : typeof lr === 'string' ? JSON.stringify(lr) : String(lr)}: a learning rate is a finite number ≥ 0.`, 'Fix the schedule\'s at(step) for that step.');
  }
  if (momentum !== undefined && momentum !== null && (typeof momentum !== 'number' || !Number.isFinite(momentum) || momentum < 0 || momentum >= 1)) {
    throw new OptionError('schedule', `${what} gave momentum ${typeof momentum === 'number' ? String(momentum) : JSON.stringify(momentum) ?? typeof momentum}: a momentum (or Adam's beta1) is a number from 0 up to, not including, 1.`, 'Fix the schedule\'s at(step), or give momentum null to leave the optimizer\'s.');
  }
  return { lr, momentum: momentum ?? null };
}

/**
 * A schedule that ends before the fit call does is refused at the call's start, as PyTorch's
 * OneCycleLR refuses a step past its total_steps (at that step): past its end a finite schedule
 * holds its last value, so a user's oneCycle({ maxLr, totalSteps: 500 }) under a 2,000-batch fit
 * trained three quarters of it at minLr / 1000, silently. A call ending before the schedule's end
 * is fine (a loop of fit calls with initialEpoch runs one schedule over all of them).
 */
function overrunCheck(name: string, schedule: Schedule, plan: FitPlan): void {
  // A constant schedule holds the LR it had all along: past its end nothing changes.
  if (schedule.totalSteps === null || plan.stepsPerEpoch === null || schedule.policy === 'constant') return;
  const end = plan.epochs * plan.stepsPerEpoch;
  // Up to a batch per epoch over is the usual epochs × floor(samples / batch) against tfjs's ceil: a
  // partial last batch held at the final LR, which the schedules allow (core/schedules.ts).
  if (end - schedule.totalSteps <= (plan.stepsPerEpoch > 1 ? plan.epochs - plan.initialEpoch : 0)) return;
  const last = schedule.at(schedule.totalSteps - 1).lr;
  const maker = (schedule.policy as string) === 'custom' ? 'yourSchedule' : `schedules.${schedule.policy}`;
  const fix = name === 'scheduleCallback'
    ? `Pass a function of the call's length instead (scheduleCallback((totalSteps) => ${maker}({ …, totalSteps }))), or a schedule ${end} steps long.`
    : `Leave totalSteps and epochs out of ${name}() so that its schedule fits the call, or make it ${end} batches long (totalSteps: ${end}).`;
  throw new OptionError('totalSteps', `${name}()'s schedule is ${schedule.totalSteps} batches long, but this fit call trains ${end} (${plan.epochs} epoch${plan.epochs === 1 ? '' : 's'} × ${plan.stepsPerEpoch} batch${plan.stepsPerEpoch === 1 ? '' : 'es'}): the last ${end - schedule.totalSteps} would train at its final LR, ${formatLr(last)}.`, fix);
}

/** A callback driving the optimizer of the model it trains from `scheduleFor(plan)` (file comment). */
export function scheduleCallback(scheduleFor: ScheduleFor, name: string, lengthFromCall = false): LrCallback {
  const tf = appTf();
  hookFit(tf);
  let model: tfjs.LayersModel | null = null;
  let schedule: Schedule | null = null;
  let step = 0;
  /** The epoch the last call bound to this callback ended at (its `epochs`), to tell a loop of calls. */
  let lastEnd: number | null = null;
  /** The LR and momentum the optimizer had before this fit: put back at its end (as the inserted code does). */
  let saved: { optimizer: SettableOptimizer; lr: number; momentum: number | null } | null = null;
  const restore = (): void => {
    if (saved === null) return;
    setOptimizerValues(tf, saved.optimizer, saved.lr, saved.momentum);
    saved = null;
  };
  // tfjs declares Callback abstract, yet it has no abstract member: constructed as is, its hooks set below.
  const Base: new () => tfjs.Callback = tf.Callback as typeof tf.Callback & (new () => tfjs.Callback);
  const callback = new Base();
  // tfjs sets `params` and `model` at fit time; until then they are undefined (declared always set).
  const seen: { params?: Record<string, unknown>; model?: tfjs.LayersModel } = callback;
  const bind = (target: tfjs.LayersModel, plan: FitPlan): void => {
    // One fit at a time: a second fit sharing the callback while the first trains would move both
    // schedules (one model stuck at its first LR, the other jumping ahead).
    // (A tf.Sequential's fit calls its inner model's: that is the same fit.)
    const inner = (model as { model?: unknown } | null)?.model;
    if (model !== null && model !== target && inner !== target) throw new OptionError('callbacks', `This ${name}() callback is already driving another fit that has not ended.`, `Give each concurrent fit its own ${name}(…).`);
    // A call with initialEpoch resumes the schedule at that epoch's first batch (as Keras's
    // schedulers read the epoch index); a call without one starts it over. A loop of
    // fit({ initialEpoch: e, epochs: e + 1 }) calls sharing one callback runs one whole schedule.
    if (plan.initialEpoch > 0 && plan.stepsPerEpoch === null) {
      throw new OptionError('initialEpoch', `${name}() cannot tell where epoch ${plan.initialEpoch} starts: model.fitDataset's dataset has no known size.`, 'Pass batchesPerEpoch to fitDataset.');
    }
    // A loop of fit({ initialEpoch: e, epochs: e + 1 }) calls sharing a callback whose length comes
    // from each call: every call is a schedule of its own, e + 1 epochs long, resumed at e — the LR
    // saw-tooths, each call annealing to its end (a user's loop). One length for the whole run fixes it.
    if (lengthFromCall && plan.initialEpoch > 0 && lastEnd === plan.initialEpoch) {
      // The loop goes on after a caught refusal: its next call is refused too (the third ran a cycle of its own).
      lastEnd = plan.epochs;
      throw new OptionError('totalSteps', `${name}() takes its length from each fit call, and this one resumes at epoch ${plan.initialEpoch} where the last call with it ended: in a loop of fit calls each would run a cycle of its own, the LR rising and annealing every call.`, name === 'scheduleCallback' ? "Give scheduleCallback() a schedule of the whole run's length (e.g. schedules.fastai({ maxLr, totalSteps })) and pass it to each call." : `Give ${name}() the whole run's length (totalSteps, or epochs) and pass it to each call.`);
    }
    lastEnd = plan.epochs;
    const next = scheduleFor(plan);
    overrunCheck(name, next, plan);
    // A tf.Sequential's fit binds its inner model again: the values were read at the outer bind.
    if (saved === null) saved = optimizerValues(tf, target.optimizer);
    model = target;
    schedule = next;
    step = plan.initialEpoch * (plan.stepsPerEpoch ?? 0);
  };
  const setModel = (target: tfjs.LayersModel): void => {
    callback.model = target;
  };
  const onBatchBegin = async (): Promise<void> => {
    if (model === null || schedule === null) {
      // Not bound by the fit hook: the model comes from a tfjs copy other than the one lrlab imports.
      const params = seen.params as { epochs?: number; initialEpoch?: number; steps?: number | null; samples?: number; batchSize?: number } | undefined;
      if (seen.model === undefined || params === undefined) {
        throw new LrLabError('internal', `${name}() could not find the model it trains: the model comes from another copy of @tensorflow/tfjs than the one lrlab imports.`, {
          fix: 'Install lrlab in the same project as @tensorflow/tfjs (npm dedupe) so that both use one copy.',
        });
      }
      const perEpoch = params.steps ?? (params.samples === undefined ? null : Math.ceil(params.samples / (params.batchSize ?? 32)));
      bind(seen.model, { epochs: params.epochs ?? 1, initialEpoch: params.initialEpoch ?? 0, stepsPerEpoch: perEpoch });
    }
    const value = checkedValue(name, schedule!, step);
    setOptimizerValues(tf, model!.optimizer, value.lr, value.momentum);
    step++;
  };
  const onTrainEnd = async (): Promise<void> => {
    model = null;
    schedule = null;
    restore();
  };
  const release = (target: tfjs.LayersModel): void => {
    // A fit that failed before tfjs called onTrainEnd puts the values back here.
    restore();
    if (model !== target) return;
    model = null;
    schedule = null;
  };
  // Own properties, in this order, as before: the fit hook calls `bind` and `release`; tfjs calls the rest.
  Object.assign(callback, { bind, setModel, onBatchBegin, onTrainEnd, release });
  Object.defineProperty(callback, 'step', { enumerable: true, get: () => step });
  ours.add(callback);
  // A tf.Callback at run time, but the published type promises the CustomCallback apps type their
  // callbacks lists with (test/engine/library.test.ts checks that): the two classes are unrelated in tfjs's types.
  return callback as unknown as LrCallback;
}
