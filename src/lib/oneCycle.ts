/**
 * The schedule callbacks a training script adds to its own `fit`: `oneCycle` (Smith's 1cycle, the
 * values of `lrlab schedule smith`), `cyclicLr` (triangular, triangular2, exp_range) and
 * `scheduleCallback` for any schedule of src/core/schedules.ts.
 */
import { OptionError } from '../protocol/errors';
import { inexactInteger } from '../protocol/optionRules';
import type { Schedule, ScheduleValue } from '../core/schedules';
import type { SchedulePolicy } from '../protocol/scheduleTypes';
import { cyclic, smith } from '../core/schedules';
import type { FitPlan, LrCallback } from './scheduleCallback';
import { scheduleCallback as callbackFor } from './scheduleCallback';
import type { ValueKind } from './libraryOptions';
import { checkLibraryOptions, inLibraryTerms } from './libraryOptions';

const ONE_CYCLE_KINDS: Readonly<Record<keyof OneCycleOptions, ValueKind>> = { maxLr: 'number', minLr: 'number', epochs: 'number', totalSteps: 'number', maxMomentum: 'number', baseMomentum: 'number' };
const CYCLIC_KINDS: Readonly<Record<keyof CyclicLrOptions, ValueKind>> = { policy: 'string', maxLr: 'number', baseLr: 'number', stepSizeUp: 'number', stepSizeDown: 'number', gamma: 'number', maxMomentum: 'number', baseMomentum: 'number', cycleMomentum: 'boolean' };

export interface OneCycleOptions {
  /** The peak learning rate (the top of the range `findLr` found). */
  readonly maxLr: number;
  /** Where the LR starts and ends the cycle (default maxLr / 10); the last 10% anneal to minLr / 1000. */
  readonly minLr?: number;
  /** The schedule's length in epochs of the enclosing fit call (default: that call's epochs). */
  readonly epochs?: number;
  /** The schedule's length in batches; wins over `epochs`. */
  readonly totalSteps?: number;
  /** Momentum at the ends of the cycle (0.95) … */
  readonly maxMomentum?: number;
  /** … and at its peak LR (0.85). */
  readonly baseMomentum?: number;
}

function lengthOf(name: string, options: { readonly epochs?: number; readonly totalSteps?: number }, plan: FitPlan): number {
  if (options.totalSteps !== undefined) return options.totalSteps;
  if (plan.stepsPerEpoch === null) {
    // scheduleCallback takes no totalSteps: its function of the length gets none, so a schedule of a fixed length is the way (it read "or totalSteps to scheduleCallback()").
    const own = name === 'scheduleCallback' ? 'a schedule of a fixed length to scheduleCallback() (e.g. schedules.smith({ maxLr, totalSteps }))' : `totalSteps to ${name}()`;
    throw new OptionError('totalSteps', `${name}() cannot tell how many batches model.fitDataset runs per epoch (the dataset's size is unknown).`, `Pass batchesPerEpoch to fitDataset, or ${own}.`);
  }
  return (options.epochs ?? plan.epochs) * plan.stepsPerEpoch;
}

/**
 * Smith's 1cycle as a tfjs callback: before every batch the optimizer's LR goes linearly
 * minLr → maxLr → minLr over 90% of training and anneals to minLr/1000 in the last 10%, while
 * momentum (SGD momentum, Adam's beta1) goes 0.95 → 0.85 → 0.95 — exactly `lrlab schedule smith`.
 * Works alone or mixed with `new tf.CustomCallback(…)` and plain-object callbacks, in `fit` and
 * `fitDataset`; it finds the model it trains by itself.
 */
export const oneCycle: (options: OneCycleOptions) => LrCallback = inLibraryTerms('oneCycle', (options: OneCycleOptions): LrCallback => {
  checkLibraryOptions('oneCycle', options, ONE_CYCLE_KINDS, '{ maxLr: 0.1 }', true);
  const at = (totalSteps: number): Schedule => smith({ maxLr: options.maxLr, ...(options.minLr === undefined ? {} : { minLr: options.minLr }), totalSteps, ...(options.maxMomentum === undefined ? {} : { maxMomentum: options.maxMomentum }), ...(options.baseMomentum === undefined ? {} : { baseMomentum: options.baseMomentum }) });
  at(options.totalSteps ?? 2); // bad values fail here, not in the middle of fit
  if (options.epochs !== undefined && !(Number.isInteger(options.epochs) && options.epochs >= 1)) throw new OptionError('epochs', `oneCycle(): epochs must be a whole number ≥ 1, got ${options.epochs}.`);
  const inexact = options.epochs === undefined ? null : inexactInteger(options.epochs);
  if (inexact !== null) throw new OptionError('epochs', `oneCycle(): epochs must be ${inexact}.`);
  return callbackFor((plan) => at(Math.max(2, lengthOf('oneCycle', options, plan))), 'oneCycle', options.totalSteps === undefined && options.epochs === undefined);
}, Object.keys(ONE_CYCLE_KINDS));

export interface CyclicLrOptions {
  readonly policy?: 'triangular' | 'triangular2' | 'exp_range';
  readonly maxLr: number;
  /** The bottom of the cycle (default maxLr / 4). */
  readonly baseLr?: number;
  /** Batches from baseLr up to maxLr (2000), and back down (the same). */
  readonly stepSizeUp?: number;
  readonly stepSizeDown?: number;
  /** exp_range: the amplitude's factor per step. */
  readonly gamma?: number;
  readonly maxMomentum?: number;
  readonly baseMomentum?: number;
  /** Cycle momentum inversely to the LR (true). */
  readonly cycleMomentum?: boolean;
}

/** Smith's cyclical learning rates (PyTorch's CyclicLR: triangular, triangular2, exp_range) as a tfjs callback. */
export const cyclicLr: (options: CyclicLrOptions) => LrCallback = inLibraryTerms('cyclicLr', (options: CyclicLrOptions): LrCallback => {
  checkLibraryOptions('cyclicLr', options, CYCLIC_KINDS, '{ maxLr: 0.1 }', true);
  const { policy = 'triangular', ...rest } = options;
  const schedule = cyclic(policy, rest);
  return callbackFor(() => schedule, 'cyclicLr');
}, Object.keys(CYCLIC_KINDS));

/**
 * A schedule of the app's own: `at(step)` gives the LR (and the momentum, or null to leave it) for a
 * 0-based batch; `totalSteps` its length where it has one (a fit call longer than it is refused, as
 * for the built-in schedules). The built-in schedules are ones too.
 */
export interface CustomSchedule {
  readonly totalSteps?: number | null;
  readonly policy?: string;
  at(step: number): { readonly lr: number; readonly momentum?: number | null };
}

/**
 * Any schedule as a tfjs callback: a `Schedule` (e.g. `schedules.fastai({ maxLr, totalSteps })`),
 * one of the app's own (`{ at(step) }`), or a function of the enclosing fit call's length in batches
 * that returns one.
 */
export function scheduleCallback(schedule: CustomSchedule | ((totalSteps: number) => CustomSchedule)): LrCallback {
  if (typeof schedule !== 'function' && !isSchedule(schedule)) {
    throw new OptionError('schedule', `scheduleCallback(): give a schedule (e.g. schedules.fastai({ maxLr: 0.1, totalSteps: 1000 })) or a function of the fit call's length that returns one, got ${schedule === null ? 'null' : typeof schedule}.`);
  }
  return callbackFor((plan) => {
    if (typeof schedule !== 'function') return asSchedule(schedule);
    const made: unknown = schedule(Math.max(1, lengthOf('scheduleCallback', {}, plan)));
    // A function that returns something else failed at the first batch with "schedule.at is not a function".
    if (!isSchedule(made)) {
      throw new OptionError('schedule', `scheduleCallback(): the function given returned ${made === null ? 'null' : Array.isArray(made) ? 'an array' : typeof made === 'object' ? 'an object without at(step)' : `a ${typeof made}`}, not a schedule.`, 'Return a schedule from it, e.g. scheduleCallback((totalSteps) => schedules.fastai({ maxLr: 0.1, totalSteps })).');
    }
    return asSchedule(made);
  }, 'scheduleCallback', typeof schedule === 'function');
}

const POLICIES: readonly string[] = ['onecycle', 'smith', 'fastai', 'triangular', 'triangular2', 'exp_range', 'constant'] satisfies readonly SchedulePolicy[];

/**
 * An app's schedule as the callback reads it: its length where it gives a finite one (else none: an
 * `{ at }` without one read "the schedule is undefined batches long … the last NaN"), its values checked
 * at every step (scheduleCallback.ts): an LR of NaN, or below 0, trained on silently.
 */
function asSchedule(schedule: CustomSchedule): Schedule {
  const builtIn = typeof schedule.policy === 'string' && POLICIES.includes(schedule.policy);
  const totalSteps = typeof schedule.totalSteps === 'number' && Number.isFinite(schedule.totalSteps) && schedule.totalSteps > 0 ? schedule.totalSteps : null;
  if (builtIn && totalSteps === schedule.totalSteps) return schedule as Schedule;
  return { policy: (builtIn ? schedule.policy : 'custom') as SchedulePolicy, totalSteps, at: (step) => schedule.at(step) as ScheduleValue };
}

/** An object with `at(step)`: what a schedule callback reads. */
function isSchedule(value: unknown): value is Schedule {
  return typeof value === 'object' && value !== null && typeof (value as { at?: unknown }).at === 'function';
}
