/**
 * Learning-rate and momentum schedules as pure functions of the step.
 *
 * Each policy is a few lines over one combinator, `piecewise`, the way fastai builds its
 * schedules from phases; the closed forms and option names are PyTorch's (`OneCycleLR`,
 * `CyclicLR`) so that users can carry values across. `onecycle`, `triangular`, `triangular2`
 * and `exp_range` match PyTorch 1.13 to 1e-9 relative at every step (golden files in
 * `test/fixtures/pytorch`, made by PyTorch itself).
 *
 * Past the end (`step >= totalSteps`) every finite schedule HOLDS its last value (the value at
 * `totalSteps - 1`). PyTorch extrapolates at step T (its cosine turns back up) and raises at
 * T+1; a training callback that runs one batch more than planned (a partial last batch, an
 * extra epoch) should neither crash nor jump back up, so we hold.
 *
 * Refused where PyTorch computes on: an LR option outside `LR_RANGE` (1e-30 to 1e30: tfjs trains in
 * float32), a divisor (`divFactor`, `finalDivFactor`, `annihilationDiv`) below 1 (the schedule would
 * start above its max LR, or its annealing raise the LR), and one that takes an LR below float32's
 * smallest normal number. A divisor near 1e16 or above still gives onecycle's first step an LR of
 * exactly 0 (`max + (initial − max)` loses `initial`), as in PyTorch.
 */
import type {
  AnnealStrategy,
  CyclicScaleMode,
  ScheduleOptions,
  SchedulePolicy,
  ScheduleStep,
} from '../protocol/results';
import { SCHEDULE_POLICIES } from '../protocol/results';
import { LrLabError, OptionError, flagOf } from '../protocol/errors';
import { checkNumberOption, inexactInteger } from '../protocol/optionRules';
import { CYCLICAL_MOMENTUM } from '../protocol/options';
import { formatLr } from '../protocol/format';

/** Interpolates from `start` to `end` as `pct` goes 0 → 1. */
export type Curve = (start: number, end: number, pct: number) => number;

/** PyTorch's cosine: `end + (start - end) / 2 * (1 + cos(pi * pct))`. */
export const cosineCurve: Curve = (start, end, pct) =>
  end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1);

/** PyTorch's linear: `(end - start) * pct + start`. */
export const linearCurve: Curve = (start, end, pct) => (end - start) * pct + start;

/** fastai's `SchedCos`: `start + (1 + cos(pi * (1 - pos))) * (end - start) / 2`. */
export const fastaiCosineCurve: Curve = (start, end, pct) =>
  start + ((1 + Math.cos(Math.PI * (1 - pct))) * (end - start)) / 2;

export interface Segment {
  /** Position where this segment ends; the first segment starts at 0. */
  readonly end: number;
  readonly from: number;
  readonly to: number;
  readonly curve: Curve;
}

/**
 * Stitches segments into one function of position. A position on a boundary belongs to the
 * earlier segment (PyTorch's `step_num <= end_step`); positions past the last boundary stay in
 * the last segment. A zero-length segment evaluates to its end value instead of 0/0.
 */
export function piecewise(segments: readonly Segment[]): (position: number) => number {
  if (segments.length === 0) throw new Error('piecewise needs at least one segment');
  return (position) => {
    let start = 0;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (position <= segment.end || i === segments.length - 1) {
        const span = segment.end - start;
        const pct = span === 0 ? 1 : (position - start) / span;
        return segment.curve(segment.from, segment.to, pct);
      }
      start = segment.end;
    }
    /* c8 ignore next */
    throw new Error('unreachable');
  };
}

export interface ScheduleValue {
  readonly lr: number;
  readonly momentum: number | null;
}

export interface Schedule {
  readonly policy: SchedulePolicy;
  /** Length of the schedule, or `null` for policies without one (cyclic, constant). */
  readonly totalSteps: number | null;
  at(step: number): ScheduleValue;
}

// ---------------------------------------------------------------------------------------------
// Option checking: every failure names the option (by its protocol name and CLI flag).

function finite(name: string, value: number): number {
  if (!Number.isFinite(value)) throw new OptionError(name, `${flagOf(name)} must be a finite number, got ${String(value)}.`);
  return value;
}

function positive(name: string, value: number | undefined, fallback?: number): number {
  const v = value ?? fallback;
  if (v === undefined) throw new OptionError(name, `${flagOf(name)} is required for this schedule.`);
  finite(name, v);
  if (v <= 0) throw new OptionError(name, `${flagOf(name)} must be greater than 0, got ${v}.`);
  return v;
}

/**
 * An LR option given (`maxLr`, `minLr`, `baseLr`, `lr`): greater than 0, then in the table's range,
 * float32's (LR_RANGE): --max-lr 1e-310 trained at LR 0, and 1e40 (past 3.4e38) was taken. A default
 * derived from another (`maxLr / 10`) is not checked against it: its source was.
 */
function learningRate(name: 'maxLr' | 'minLr' | 'baseLr' | 'lr', value: number | undefined, fallback?: number): number {
  const v = positive(name, value, fallback);
  if (value !== undefined) checkNumberOption(name, v);
  return v;
}

type DivisorName = 'divFactor' | 'finalDivFactor' | 'annihilationDiv';

/** Why `divFactor` is at least 1 (onecycle's and fastai's start LR alike). */
function startDivisorWhy(): string {
  return `the start LR is ${flagOf('maxLr')} ÷ it, so below 1 the schedule would start above ${flagOf('maxLr')}`;
}

/**
 * A factor an LR is divided by (`divFactor`, `finalDivFactor`, `annihilationDiv`): at least 1, the
 * table's range, said with `why` (the LR it makes and what below 1 would do): --div-factor 0.5
 * started onecycle at twice its max LR, and 1e-310 left no LR finite.
 */
function divisor(name: DivisorName, value: number | undefined, fallback: number, why: string): number {
  const v = finite(name, value ?? fallback);
  if (!(v >= 1)) throw new OptionError(name, `${flagOf(name)} must be at least 1, got ${v}: ${why}.`);
  return v;
}

/** float32's smallest normal number: tfjs trains in float32, where a smaller LR loses its digits, and below 1.4e-45 is 0. */
const FLOAT32_MIN_NORMAL = 2 ** -126;

/** A factor as given, every digit, in exponent form once long (1e20 read "100000000000000000000"). */
function factorText(value: number): string {
  return value >= 1e6 ? value.toExponential().replace('+', '') : String(value);
}

/**
 * The schedule's `what` LR: `from` (`fromText`, in words) divided by each of `factors` in turn, as the
 * policy computes it; refused below float32's range. Every LR option is at least 1e-30, but
 * --final-div-factor 1e40 still took onecycle's last LR to 4e-43 (a float32 denormal of 9 bits), and
 * 1e50 to 0. The factor named is the largest one given (a default is not the user's doing), with the
 * largest value of it that does.
 */
function representable(what: string, from: number, fromText: string, factors: readonly { readonly name: DivisorName; readonly value: number; readonly given: boolean }[]): number {
  const lr = factors.reduce((x, f) => x / f.value, from);
  if (lr >= FLOAT32_MIN_NORMAL) return lr;
  const given = factors.filter((f) => f.given);
  const blamed = (given.length > 0 ? given : factors).reduce((a, b) => (b.value > a.value ? b : a));
  const chain = [fromText, ...factors.map((f) => `${flagOf(f.name)} ${factorText(f.value)}`)].join(' ÷ ');
  // The largest value of the blamed factor that keeps the LR in range, two digits rounded down.
  const most = factors.reduce((x, f) => (f === blamed ? x : x / f.value), from) / FLOAT32_MIN_NORMAL;
  const unit = 10 ** (Math.floor(Math.log10(most)) - 1);
  const fix = most >= 1 ? `Give ${flagOf(blamed.name)} ${formatLr(Math.floor(most / unit) * unit)} or less.` : `Give smaller ${factors.map((f) => flagOf(f.name)).join(' and ')}: the LR they divide must stay at 1.2e-38 or more.`;
  throw new OptionError(blamed.name, `${flagOf(blamed.name)} ${factorText(blamed.value)} makes the ${what} ${formatLr(lr)} (${chain}), below float32's smallest normal number, 1.2e-38: tfjs computes in float32, where that LR loses its digits or reads 0.`, fix);
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = finite(name, value ?? fallback);
  if (v < 0) throw new OptionError(name, `${flagOf(name)} must not be negative, got ${v}.`);
  return v;
}

function fraction(name: string, value: number | undefined, fallback: number): number {
  const v = finite(name, value ?? fallback);
  if (!(v > 0 && v < 1)) throw new OptionError(name, `${flagOf(name)} must be between 0 and 1 (exclusive), got ${v}.`);
  return v;
}

function integerAtLeast(name: string, value: number | undefined, min: number, fallback?: number): number {
  const v = value ?? fallback;
  if (v === undefined) throw new OptionError(name, `${flagOf(name)} is required for this schedule.`);
  if (!Number.isInteger(v) || v < min) {
    throw new OptionError(name, `${flagOf(name)} must be a whole number of at least ${min}, got ${String(v)}.`);
  }
  // Past 2^53 − 1 a count is not the one given (and a schedule that long never leaves its warm-up).
  const inexact = inexactInteger(v);
  if (inexact !== null) throw new OptionError(name, `${flagOf(name)} must be ${inexact}.`);
  return v;
}

/**
 * The momentum a policy cycles between under `options` (theirs where given, else the policy's defaults),
 * as its schedule resolves them; `null` for the constant policy. A schedule's discrete steps may stop a
 * hair short of `base` (0.851 for 0.85 over 100 steps): these are the bounds asked for.
 */
export function momentumBounds(policy: SchedulePolicy, options: ScheduleOptions): { base: number; max: number } | null {
  if (policy === 'constant') return null;
  const cyclicPolicy = policy === 'triangular' || policy === 'triangular2' || policy === 'exp_range';
  return cyclicPolicy ? momentumPair(options, 0.8, 0.9) : momentumPair(options, CYCLICAL_MOMENTUM.min, CYCLICAL_MOMENTUM.max);
}

function momentumPair(options: ScheduleOptions, baseDefault: number, maxDefault: number): { base: number; max: number } {
  const base = finite('baseMomentum', options.baseMomentum ?? baseDefault);
  const max = finite('maxMomentum', options.maxMomentum ?? maxDefault);
  for (const [name, v] of [['baseMomentum', base], ['maxMomentum', max]] as const) {
    if (v < 0 || v >= 1) throw new OptionError(name, `${flagOf(name)} must be in [0, 1), got ${v}.`);
  }
  if (base > max) {
    throw new OptionError('baseMomentum', `${flagOf('baseMomentum')} (${base}) must not exceed ${flagOf('maxMomentum')} (${max}).`);
  }
  return { base, max };
}

function anneal(value: AnnealStrategy | undefined): Curve {
  const v = value ?? 'cos';
  if (v === 'cos') return cosineCurve;
  if (v === 'linear') return linearCurve;
  throw new OptionError('anneal', `${flagOf('anneal')} must be cos or linear, got ${String(v)}.`);
}

/** A constant momentum given (`momentum`): in [0, 1), or refused naming the option. */
function constantMomentum(options: ScheduleOptions): number | null {
  const momentum = options.momentum === undefined ? null : nonNegative('momentum', options.momentum, 0);
  if (momentum !== null && momentum >= 1) throw new OptionError('momentum', `${flagOf('momentum')} must be below 1, got ${momentum}.`);
  return momentum;
}

/**
 * A cycling policy told not to cycle momentum (`cycleMomentum: false`): the `momentum` given is held
 * every step (checked as the constant policy's: 1.5 was held), else none (the optimizer's own stands).
 */
function heldMomentum(options: ScheduleOptions): ((step: number) => number) | null {
  const held = constantMomentum(options);
  return held === null ? null : () => held;
}

/** Finite schedules hold their last value past the end; negative steps are a caller bug. */
function finiteSchedule(
  policy: SchedulePolicy,
  totalSteps: number,
  lrAt: (step: number) => number,
  momentumAt: ((step: number) => number) | null,
): Schedule {
  return {
    policy,
    totalSteps,
    at(step) {
      checkStep(step);
      const s = Math.min(step, totalSteps - 1);
      return { lr: lrAt(s), momentum: momentumAt === null ? null : momentumAt(s) };
    },
  };
}

function checkStep(step: number): void {
  // An LrLabError like the library's others (a plain RangeError reached apps that catch LrLabErrors).
  if (!Number.isInteger(step) || step < 0) throw new LrLabError('bad-option', `schedule.at(): the step must be a whole number ≥ 0, got ${String(step)}.`, { fix: 'Pass the index of the batch, from 0 (the first) to totalSteps - 1; steps past the end hold the last value.' });
}

// ---------------------------------------------------------------------------------------------
// Policies

/**
 * PyTorch `OneCycleLR`. Defaults: `pctStart` 0.3, `anneal` cos, `divFactor` 25 (initial LR =
 * maxLr/25), `finalDivFactor` 1e4 (final LR = initial/1e4), `threePhase` false, momentum
 * `maxMomentum` 0.95 → `baseMomentum` 0.85 → 0.95 when `cycleMomentum` (default true).
 * Required: `maxLr`, `totalSteps` (≥ 2).
 */
export function oneCycle(options: ScheduleOptions): Schedule {
  const maxLr = learningRate('maxLr', options.maxLr);
  const totalSteps = integerAtLeast('totalSteps', options.totalSteps, 2);
  const pctStart = fraction('pctStart', options.pctStart, 0.3);
  const divFactor = divisor('divFactor', options.divFactor, 25, startDivisorWhy());
  const finalDivFactor = divisor('finalDivFactor', options.finalDivFactor, 1e4, `the final LR is the start LR (${flagOf('maxLr')} ÷ ${flagOf('divFactor')}) ÷ it, so below 1 the LR would end above where it started`);
  const curve = anneal(options.anneal);
  const momentum = momentumPair(options, CYCLICAL_MOMENTUM.min, CYCLICAL_MOMENTUM.max);
  const initialLr = maxLr / divFactor;
  // The final LR is the lowest (both factors are at least 1).
  const minLr = representable('final LR', maxLr, `${flagOf('maxLr')} ${formatLr(maxLr)}`, [
    { name: 'divFactor', value: divFactor, given: options.divFactor !== undefined },
    { name: 'finalDivFactor', value: finalDivFactor, given: options.finalDivFactor !== undefined },
  ]);

  // Phase ends as PyTorch computes them (floats, possibly fractional or negative for tiny T).
  const ends = options.threePhase === true
    ? [pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1]
    : [pctStart * totalSteps - 1, totalSteps - 1];
  const lrPoints = options.threePhase === true ? [initialLr, maxLr, initialLr, minLr] : [initialLr, maxLr, minLr];
  const mPoints = options.threePhase === true
    ? [momentum.max, momentum.base, momentum.max, momentum.max]
    : [momentum.max, momentum.base, momentum.max];
  const lr = piecewise(ends.map((end, i) => ({ end, from: lrPoints[i]!, to: lrPoints[i + 1]!, curve })));
  const m = piecewise(ends.map((end, i) => ({ end, from: mPoints[i]!, to: mPoints[i + 1]!, curve })));
  return finiteSchedule('onecycle', totalSteps, lr, options.cycleMomentum === false ? heldMomentum(options) : m);
}

/**
 * Smith's paper shape: LR rises linearly `minLr → maxLr` over the first half of the cycle, falls
 * back to `minLr` over the second half, then the last `annihilationPct` (default 0.1) of the
 * steps anneal linearly to `minLr / annihilationDiv` (default 1000). Momentum `maxMomentum`
 * 0.95 → `baseMomentum` 0.85 → 0.95, held during annihilation. `minLr` defaults to maxLr/10.
 * Positions run over `0..totalSteps-1`, so the last step is exactly the final value.
 */
export function smith(options: ScheduleOptions): Schedule {
  const maxLr = learningRate('maxLr', options.maxLr);
  const minLr = learningRate('minLr', options.minLr, maxLr / 10);
  if (minLr > maxLr) throw new OptionError('minLr', `${flagOf('minLr')} (${minLr}) must not exceed ${flagOf('maxLr')} (${maxLr}).`);
  const totalSteps = integerAtLeast('totalSteps', options.totalSteps, 2);
  const annihilationPct = fraction('annihilationPct', options.annihilationPct, 0.1);
  const annihilationDiv = divisor('annihilationDiv', options.annihilationDiv, 1000, `the final LR is ${flagOf('minLr')} ÷ it, so below 1 the annihilation would raise the LR instead of lowering it`);
  const finalLr = representable('final LR', minLr, options.minLr === undefined ? `${flagOf('maxLr')} ${formatLr(maxLr)} ÷ 10` : `${flagOf('minLr')} ${formatLr(minLr)}`, [
    { name: 'annihilationDiv', value: annihilationDiv, given: options.annihilationDiv !== undefined },
  ]);
  const momentum = momentumPair(options, CYCLICAL_MOMENTUM.min, CYCLICAL_MOMENTUM.max);
  const last = totalSteps - 1;
  const cycleEnd = last * (1 - annihilationPct);
  const ends = [cycleEnd / 2, cycleEnd, last];
  const lr = piecewise([
    { end: ends[0]!, from: minLr, to: maxLr, curve: linearCurve },
    { end: ends[1]!, from: maxLr, to: minLr, curve: linearCurve },
    { end: ends[2]!, from: minLr, to: finalLr, curve: linearCurve },
  ]);
  const m = piecewise([
    { end: ends[0]!, from: momentum.max, to: momentum.base, curve: linearCurve },
    { end: ends[1]!, from: momentum.base, to: momentum.max, curve: linearCurve },
    { end: ends[2]!, from: momentum.max, to: momentum.max, curve: linearCurve },
  ]);
  return finiteSchedule('smith', totalSteps, lr, options.cycleMomentum === false ? heldMomentum(options) : m);
}

/**
 * fast.ai `fit_one_cycle`: cosine warm-up from `maxLr/divFactor` (div 25) to `maxLr` over
 * `pctStart` (0.25) of training, cosine annealing to `maxLr/finalDivFactor` (1e5 — relative to
 * maxLr here, as fastai's `div_final`, unlike PyTorch's), momentum (0.95, 0.85, 0.95) cosine.
 * Position is `step / totalSteps` as in fastai, so the last step stops just short of the end.
 */
export function fastai(options: ScheduleOptions): Schedule {
  const maxLr = learningRate('maxLr', options.maxLr);
  const totalSteps = integerAtLeast('totalSteps', options.totalSteps, 2);
  const pctStart = fraction('pctStart', options.pctStart, 0.25);
  const div = divisor('divFactor', options.divFactor, 25, startDivisorWhy());
  const divFinal = divisor('finalDivFactor', options.finalDivFactor, 1e5, `fastai's final LR is ${flagOf('maxLr')} ÷ it, so below 1 the schedule would end above ${flagOf('maxLr')}`);
  const momentum = momentumPair(options, CYCLICAL_MOMENTUM.min, CYCLICAL_MOMENTUM.max);
  const maxLrText = `${flagOf('maxLr')} ${formatLr(maxLr)}`;
  const lr = piecewise([
    { end: pctStart, from: representable('start LR', maxLr, maxLrText, [{ name: 'divFactor', value: div, given: options.divFactor !== undefined }]), to: maxLr, curve: fastaiCosineCurve },
    { end: 1, from: maxLr, to: representable('final LR', maxLr, maxLrText, [{ name: 'finalDivFactor', value: divFinal, given: options.finalDivFactor !== undefined }]), curve: fastaiCosineCurve },
  ]);
  const m = piecewise([
    { end: pctStart, from: momentum.max, to: momentum.base, curve: fastaiCosineCurve },
    { end: 1, from: momentum.base, to: momentum.max, curve: fastaiCosineCurve },
  ]);
  return finiteSchedule(
    'fastai',
    totalSteps,
    (s) => lr(s / totalSteps),
    options.cycleMomentum === false ? heldMomentum(options) : (s) => m(s / totalSteps),
  );
}

/** Steps from baseLr up to maxLr in a cyclic schedule when not given (PyTorch's CyclicLR default). */
export const CYCLIC_STEP_SIZE_UP = 2000;

/**
 * PyTorch `CyclicLR` (`triangular`, `triangular2`, `exp_range`). `baseLr` defaults to maxLr/4
 * (Smith: 3–4x below maxLr for repeated cycles; PyTorch has no default), `stepSizeUp` 2000,
 * `stepSizeDown` = stepSizeUp, `gamma` 1, `scaleMode` cycle (iterations for exp_range),
 * momentum `maxMomentum` 0.9 → `baseMomentum` 0.8 while LR rises (`cycleMomentum` true).
 * No length: it cycles forever. Unlike PyTorch, `scaleMode` is honoured for the built-in modes
 * (PyTorch ignores `scale_mode` unless a custom `scale_fn` is given); left unset, it is PyTorch's.
 */
export function cyclic(policy: 'triangular' | 'triangular2' | 'exp_range', options: ScheduleOptions): Schedule {
  checkCyclicPolicy(policy);
  const maxLr = learningRate('maxLr', options.maxLr);
  const baseLr = learningRate('baseLr', options.baseLr, maxLr / 4);
  if (baseLr > maxLr) throw new OptionError('baseLr', `${flagOf('baseLr')} (${baseLr}) must not exceed ${flagOf('maxLr')} (${maxLr}).`);
  const up = integerAtLeast('stepSizeUp', options.stepSizeUp, 1, CYCLIC_STEP_SIZE_UP);
  const down = integerAtLeast('stepSizeDown', options.stepSizeDown, 1, up);
  const gamma = positive('gamma', options.gamma, 1.0);
  // exp_range scales the amplitude by gamma^iteration: above 1 it grows without bound (gamma 2 reached 1e305, then Infinity).
  if (gamma > 1) throw new OptionError('gamma', `${flagOf('gamma')} must be in (0, 1], got ${gamma}: exp_range multiplies the amplitude by gamma each iteration, so above 1 the LR grows without bound.`);
  const scaleMode: CyclicScaleMode = options.scaleMode ?? (policy === 'exp_range' ? 'iterations' : 'cycle');
  if (scaleMode !== 'cycle' && scaleMode !== 'iterations') {
    throw new OptionError('scaleMode', `${flagOf('scaleMode')} must be cycle or iterations, got ${String(scaleMode)}.`);
  }
  const momentum = momentumPair(options, 0.8, 0.9);
  // Not cycled: the momentum given, held (checked as the constant policy's), else none.
  const held = options.cycleMomentum === false ? constantMomentum(options) : null;
  const scaleFn = policy === 'triangular'
    ? (): number => 1.0
    : policy === 'triangular2'
      ? (x: number): number => 1 / 2.0 ** (x - 1)
      : (x: number): number => gamma ** x;
  const totalSize = up + down;
  const stepRatio = up / totalSize;
  const shape = (step: number): { s: number; f: number } => {
    const cycle = Math.floor(1 + step / totalSize);
    const x = 1.0 + step / totalSize - cycle;
    const s = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
    return { s, f: scaleFn(scaleMode === 'cycle' ? cycle : step) };
  };
  return {
    policy,
    totalSteps: null,
    at(step) {
      checkStep(step);
      const { s, f } = shape(step);
      const lr = baseLr + (maxLr - baseLr) * s * f;
      const m = options.cycleMomentum === false ? held : momentum.max - (momentum.max - momentum.base) * s * f;
      return { lr, momentum: m };
    },
  };
}

/** A constant LR (`lr`, else `maxLr`) and, when given, a constant `momentum`. */
export function constant(options: ScheduleOptions): Schedule {
  // The one given is named: --max-lr 1e40 read "--lr must be …", a flag the user never typed.
  const lr = options.lr === undefined && options.maxLr !== undefined ? learningRate('maxLr', options.maxLr) : learningRate('lr', options.lr);
  const momentum = constantMomentum(options);
  const totalSteps = options.totalSteps === undefined ? null : integerAtLeast('totalSteps', options.totalSteps, 1);
  return {
    policy: 'constant',
    totalSteps,
    at(step) {
      checkStep(step);
      return { lr, momentum };
    },
  };
}

export function isSchedulePolicy(value: string): value is SchedulePolicy {
  return (SCHEDULE_POLICIES as readonly string[]).includes(value);
}

export function makeSchedule(policy: SchedulePolicy, options: ScheduleOptions): Schedule {
  switch (policy) {
    case 'onecycle':
      return oneCycle(options);
    case 'smith':
      return smith(options);
    case 'fastai':
      return fastai(options);
    case 'triangular':
    case 'triangular2':
    case 'exp_range':
      return cyclic(policy, options);
    case 'constant':
      return constant(options);
    default: {
      const unknown: never = policy;
      throw new OptionError('policy', `Unknown schedule policy ${String(unknown)}; use one of ${SCHEDULE_POLICIES.join(', ')}.`);
    }
  }
}

const MOMENTUM_KEYS = ['baseMomentum', 'maxMomentum', 'cycleMomentum'] as const;
const CYCLIC_KEYS = ['maxLr', 'baseLr', 'stepSizeUp', 'stepSizeDown', 'scaleMode', 'totalSteps', ...MOMENTUM_KEYS] as const;

/** The options each policy reads (the functions above); `totalSteps` is the run's length for all. */
export const POLICY_OPTIONS: Readonly<Record<SchedulePolicy, readonly (keyof ScheduleOptions)[]>> = {
  onecycle: ['maxLr', 'totalSteps', 'pctStart', 'divFactor', 'finalDivFactor', 'anneal', 'threePhase', ...MOMENTUM_KEYS],
  smith: ['maxLr', 'minLr', 'totalSteps', 'annihilationPct', 'annihilationDiv', ...MOMENTUM_KEYS],
  fastai: ['maxLr', 'totalSteps', 'pctStart', 'divFactor', 'finalDivFactor', ...MOMENTUM_KEYS],
  // gamma scales only exp_range's amplitude, and a scale mode only matters where the amplitude changes
  // (triangular's is constant): `triangular --gamma 0.5` ran as if it had not been given.
  triangular: CYCLIC_KEYS.filter((k) => k !== 'scaleMode'),
  triangular2: CYCLIC_KEYS,
  exp_range: [...CYCLIC_KEYS, 'gamma'],
  constant: ['lr', 'maxLr', 'momentum', 'totalSteps'],
};

const CYCLIC_POLICIES = ['triangular', 'triangular2', 'exp_range'] as const;

/** A name the library's untyped callers gave `schedules.cyclic` (another name would have run as exp_range). */
export function checkCyclicPolicy(policy: unknown): asserts policy is (typeof CYCLIC_POLICIES)[number] {
  if (!(CYCLIC_POLICIES as readonly unknown[]).includes(policy)) throw new OptionError('policy', `The cyclic policy must be triangular, triangular2 or exp_range, got ${describePolicy(policy)}.`, didYouMean(policy, CYCLIC_POLICIES));
}

/** A policy name from an untyped caller (`schedules.make('cosine', …)` was a TypeError). */
export function checkPolicy(policy: unknown): asserts policy is SchedulePolicy {
  if (typeof policy === 'string' && isSchedulePolicy(policy)) return;
  throw new OptionError('policy', `Unknown schedule policy ${describePolicy(policy)}; use one of ${SCHEDULE_POLICIES.join(', ')}.`, didYouMean(policy, SCHEDULE_POLICIES));
}

function describePolicy(policy: unknown): string {
  return policy === undefined ? 'none' : typeof policy === 'string' ? JSON.stringify(policy) : `a ${policy === null ? 'null' : typeof policy}`;
}

/** "Use smith." for `Smith` or ` smith `; undefined where no name matches but for case and spaces. */
function didYouMean(policy: unknown, names: readonly string[]): string | undefined {
  if (typeof policy !== 'string') return undefined;
  const near = names.find((n) => n.toLowerCase() === policy.trim().toLowerCase().replace(/-/g, '_'));
  return near === undefined ? undefined : `Use ${near} (policy names are lower case).`;
}

/** Refuses a schedule option the user gave that `policy` would silently ignore (`--pct-start` with smith). */
export function checkOptionsApply(policy: SchedulePolicy, given: ScheduleOptions): void {
  checkPolicy(policy);
  // Bounds of a momentum cycle that --no-cycle-momentum turns off were ignored without a word.
  const bound = given.baseMomentum !== undefined ? 'baseMomentum' : given.maxMomentum !== undefined ? 'maxMomentum' : null;
  if (given.cycleMomentum === false && bound !== null) {
    throw new OptionError(bound, `${flagOf(bound)} bounds the momentum cycle that ${flagOf('noCycleMomentum')} turns off.`, `To hold momentum constant give ${flagOf('noCycleMomentum')} with ${flagOf('momentum')} M; to cycle it, drop ${flagOf('noCycleMomentum')}.`);
  }
  // constant takes --lr, else --max-lr: both given, one was ignored.
  if (policy === 'constant' && given.lr !== undefined && given.maxLr !== undefined && given.lr !== given.maxLr) {
    throw new OptionError('maxLr', `The constant policy holds one LR: ${flagOf('lr')} ${given.lr} and ${flagOf('maxLr')} ${given.maxLr} are both given.`, `Give only ${flagOf('lr')}.`);
  }
  for (const key of Object.keys(given) as (keyof ScheduleOptions)[]) {
    if (given[key] === undefined || POLICY_OPTIONS[policy].includes(key)) continue;
    // A cycling policy told not to cycle momentum holds the optimizer's: --momentum is that one, as its
    // help says ("when the policy does not cycle it"); `--no-cycle-momentum --momentum 0.5` was refused.
    if (key === 'momentum' && given.cycleMomentum === false && POLICY_OPTIONS[policy].includes('cycleMomentum')) continue;
    const users = SCHEDULE_POLICIES.filter((p) => POLICY_OPTIONS[p].includes(key));
    // A constant momentum under a cycling policy: its momentum bounds are what set it (a user's
    // `--max-lr 0.1 --momentum 0.9` read "pick one of those policies" with one policy named).
    const instead = key === 'momentum' && POLICY_OPTIONS[policy].includes('maxMomentum') ? ` For a momentum held at ${String(given.momentum)} under ${policy}, give ${flagOf('noCycleMomentum')} with it (or ${flagOf('maxMomentum')} ${String(given.momentum)} ${flagOf('baseMomentum')} ${String(given.momentum)}); to cycle it, give those two bounds.` : '';
    const pick = users.length === 1 ? `or use the ${users[0]} policy` : 'or pick one of those policies';
    // --momentum under a cycling policy applies with --no-cycle-momentum: not "only constant uses it".
    const held = key === 'momentum' && POLICY_OPTIONS[policy].includes('cycleMomentum');
    const only = held ? `${users.join(', ')} use${users.length === 1 ? 's' : ''} it, and ${policy} only with ${flagOf('noCycleMomentum')}` : `only ${users.join(', ')} use${users.length === 1 ? 's' : ''} it`;
    throw new OptionError(key, `${flagOf(key === 'cycleMomentum' ? 'noCycleMomentum' : key)} does not apply to the ${policy} policy${held ? ' as given' : ''}: ${only}.`, `Remove it, ${pick}.${instead}`);
  }
}

/** Rows made at most (`lrlab schedule`, the library's `schedules.steps`): `--steps 1e9` would fill a disk, and 1e9 rows ran the library out of memory. */
export const MAX_SCHEDULE_ROWS = 1_000_000;

/** Rows `0..count-1` of a schedule, as `lrlab schedule --json` prints them. */
export function scheduleSteps(schedule: Schedule, count: number): ScheduleStep[] {
  const rows: ScheduleStep[] = [];
  for (let step = 0; step < count; step++) {
    const { lr, momentum } = schedule.at(step);
    rows.push({ step, lr, momentum });
  }
  return rows;
}
