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
import { constant, cyclic, fastai, makeSchedule, oneCycle as oneCycleSchedule, scheduleSteps, smith } from '../core/schedules';

export { findLr } from './findLr';
export type { FindLrData, FindLrOptions } from './findLr';
export { cyclicLr, oneCycle, scheduleCallback } from './oneCycle';
export type { CyclicLrOptions, OneCycleOptions } from './oneCycle';
export type { LrCallback } from './scheduleCallback';
export { LrLabError } from '../protocol/errors';
export type { Schedule, ScheduleValue } from '../core/schedules';
export type { FindLrResult, FindLrSettings, LrRange, RangePoint, ScheduleOptions, SchedulePolicy, ScheduleStep } from '../protocol/results';

/**
 * The schedules as pure functions of the step (what `lrlab schedule` prints): `smith` (1cycle as
 * Smith describes it), `onecycle` (PyTorch's OneCycleLR), `fastai`, `cyclic` (triangular,
 * triangular2, exp_range), `constant`; `make(policy, options)` by name; `steps(schedule, n)` rows.
 */
export const schedules = { smith, onecycle: oneCycleSchedule, fastai, cyclic, constant, make: makeSchedule, steps: scheduleSteps } as const;
