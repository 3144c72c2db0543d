/**
 * `lrlab` as a library, for training scripts (README "Use it from your code"):
 *
 *   import { findLr, oneCycle } from 'lrlab';
 *   const { recommended } = await findLr(model, { xs, ys });
 *   await model.fit(xs, ys, { epochs: 5, callbacks: [oneCycle({ maxLr: recommended.maxLr })] });
 *
 * It uses the application's own `@tensorflow/tfjs` (a peer dependency), so models and tensors
 * pass across and the application's backend does the work.
 */
import { MAX_SCHEDULE_ROWS, checkCyclicPolicy, checkOptionsApply, checkPolicy, constant, cyclic, fastai, makeSchedule, oneCycle as oneCycleSchedule, scheduleSteps, smith } from '../core/schedules';
import type { Schedule } from '../core/schedules';
import type { ScheduleOptions, SchedulePolicy, ScheduleStep } from '../protocol/results';
import { OptionError } from '../protocol/errors';
import type { ValueKind } from './libraryOptions';
import { checkLibraryOptions, inLibraryTerms } from './libraryOptions';

/** Every schedule option (`ScheduleOptions`) and the type of its value. */
const SCHEDULE_KINDS: Readonly<Record<keyof ScheduleOptions, ValueKind>> = {
  maxLr: 'number', baseLr: 'number', minLr: 'number', totalSteps: 'number', pctStart: 'number', divFactor: 'number', finalDivFactor: 'number',
  anneal: 'string', threePhase: 'boolean', baseMomentum: 'number', maxMomentum: 'number', cycleMomentum: 'boolean', stepSizeUp: 'number',
  stepSizeDown: 'number', gamma: 'number', scaleMode: 'string', annihilationPct: 'number', annihilationDiv: 'number', lr: 'number', momentum: 'number',
};

export { findLr } from './findLr';
export type { FindLrData, FindLrOptions, FindLrProgress, FindLrTensors } from './findLr';
export type { StreamPoint } from '../protocol/progress';
export { cyclicLr, oneCycle, scheduleCallback } from './oneCycle';
export type { CyclicLrOptions, OneCycleOptions } from './oneCycle';
export type { LrCallback } from './scheduleCallback';
export type { CustomSchedule } from './oneCycle';
export { LrLabError } from '../protocol/errors';
export type { Schedule, ScheduleValue } from '../core/schedules';
export type { FindLrResult, FindLrSettings, LrRange, RangePoint, ScheduleOptions, SchedulePolicy, ScheduleStep } from '../protocol/results';

/**
 * The schedules as pure functions of the step (what `lrlab schedule` prints): `smith` (1cycle as
 * Smith describes it), `onecycle` (PyTorch's OneCycleLR), `fastai`, `cyclic` (triangular,
 * triangular2, exp_range), `constant`; `make(policy, options)` by name; `steps(schedule, n)` rows.
 */
export const schedules = {
  smith: checked('smith', smith),
  onecycle: checked('onecycle', oneCycleSchedule),
  fastai: checked('fastai', fastai),
  cyclic: inLibraryTerms('schedules.cyclic', (policy: Parameters<typeof cyclic>[0], options: ScheduleOptions): Schedule => {
    checkCyclicPolicy(policy);
    checkLibraryOptions('schedules.cyclic', options, SCHEDULE_KINDS, '{ maxLr: 0.1 }', true);
    checkOptionsApply(policy, options);
    return cyclic(policy, options);
  }, Object.keys(SCHEDULE_KINDS)),
  constant: checked('constant', constant),
  make: inLibraryTerms('schedules.make', (policy: SchedulePolicy, options: ScheduleOptions): Schedule => {
    checkPolicy(policy);
    checkLibraryOptions('schedules.make', options, SCHEDULE_KINDS, '{ maxLr: 0.1, totalSteps: 1000 }', true);
    checkOptionsApply(policy, options);
    return makeSchedule(policy, options);
  }, Object.keys(SCHEDULE_KINDS)),
  steps: inLibraryTerms('schedules.steps', (schedule: Schedule, count: number): ScheduleStep[] => {
    // From plain JavaScript: a count of Infinity looped until memory ran out, -1 or NaN gave [] and 2.5 three rows, silently.
    if (typeof (schedule as { at?: unknown } | null)?.at !== 'function') throw new OptionError('schedule', `schedules.steps(): the first argument must be a schedule (e.g. schedules.smith({ maxLr: 0.1, totalSteps: 1000 })), got ${schedule === null ? 'null' : typeof schedule}.`);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new OptionError('count', `schedules.steps(): count must be a whole number ≥ 0 (the rows 0..count-1), got ${typeof count === 'string' ? JSON.stringify(count) : String(count)}.`, 'For a whole schedule, pass its totalSteps.');
    if (count > MAX_SCHEDULE_ROWS) throw new OptionError('count', `schedules.steps(): count must be at most ${MAX_SCHEDULE_ROWS} rows, got ${count}.`, 'For a longer schedule, call schedule.at(step) for the steps you need.');
    return scheduleSteps(schedule, count);
  }),
} as const;

/** A schedule of one options argument, its options checked and its errors in the library's words. */
function checked(name: SchedulePolicy, schedule: (options: ScheduleOptions) => Schedule): (options: ScheduleOptions) => Schedule {
  return inLibraryTerms(`schedules.${name}`, (options: ScheduleOptions): Schedule => {
    checkLibraryOptions(`schedules.${name}`, options, SCHEDULE_KINDS, '{ maxLr: 0.1, totalSteps: 1000 }', true);
    // An option of another policy (schedules.onecycle({ stepSizeUp })) was ignored without a word.
    checkOptionsApply(name, options);
    return schedule(options);
  }, Object.keys(SCHEDULE_KINDS));
}
