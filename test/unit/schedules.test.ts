import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ScheduleOptions, SchedulePolicy } from '../../src/protocol/results';
import { OptionError } from '../../src/protocol/errors';
import { checkOptionsApply, cyclic, fastai, makeSchedule, piecewise, linearCurve, scheduleSteps, smith } from '../../src/core/schedules';

interface GoldenCase {
  name: string;
  policy: SchedulePolicy;
  options: ScheduleOptions;
  steps: { step: number; lr: number; momentum: number | null }[];
}
const golden = JSON.parse(
  readFileSync(path.join(__dirname, '..', 'fixtures', 'pytorch', 'schedules.json'), 'utf8'),
) as { torch: string; cases: GoldenCase[] };

/** Relative error with an absolute floor far below any LR we schedule. */
function close(actual: number | null, expected: number | null, tolerance = 1e-9): boolean {
  if (actual === null || expected === null) return actual === expected;
  return Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(expected), 1e-300);
}

test('golden file covers the policies we claim parity for', () => {
  const policies = new Set(golden.cases.map((c) => c.policy));
  for (const p of ['onecycle', 'triangular', 'triangular2', 'exp_range'] as const) assert.ok(policies.has(p), p);
  assert.ok(golden.cases.length >= 10);
});

for (const c of golden.cases) {
  test(`matches PyTorch ${golden.torch} step for step: ${c.name}`, () => {
    const schedule = makeSchedule(c.policy, c.options);
    const ours = scheduleSteps(schedule, c.steps.length);
    for (const [i, want] of c.steps.entries()) {
      const got = ours[i]!;
      assert.ok(close(got.lr, want.lr), `${c.name} step ${i}: lr ${got.lr} vs PyTorch ${want.lr}`);
      assert.ok(close(got.momentum, want.momentum), `${c.name} step ${i}: momentum ${got.momentum} vs PyTorch ${want.momentum}`);
    }
  });
}

test('onecycle headline case: maxLr 0.1, 100 steps', () => {
  const rows = scheduleSteps(makeSchedule('onecycle', { maxLr: 0.1, totalSteps: 100 }), 100);
  assert.ok(close(rows[0]!.lr, 0.004, 1e-12));
  assert.ok(close(rows[29]!.lr, 0.1));
  assert.ok(close(rows[99]!.lr, 0.004 / 1e4));
  assert.ok(close(rows[29]!.momentum, 0.85));
});

test('finite schedules hold their last value past the end', () => {
  const s = makeSchedule('onecycle', { maxLr: 0.1, totalSteps: 10 });
  assert.deepEqual(s.at(10), s.at(9));
  assert.deepEqual(s.at(1000), s.at(9));
  assert.throws(() => s.at(-1), /^LrLabError: schedule\.at\(\): the step must be a whole number ≥ 0, got -1\.$/);
});

test('bad options throw an OptionError naming the option', () => {
  const cases: [SchedulePolicy, ScheduleOptions, string][] = [
    ['onecycle', { maxLr: -1, totalSteps: 10 }, 'maxLr'],
    ['onecycle', { maxLr: Number.NaN, totalSteps: 10 }, 'maxLr'],
    ['onecycle', { totalSteps: 10 }, 'maxLr'],
    ['onecycle', { maxLr: 0.1, totalSteps: 1 }, 'totalSteps'],
    ['onecycle', { maxLr: 0.1, totalSteps: 10.5 }, 'totalSteps'],
    ['onecycle', { maxLr: 0.1, totalSteps: 10, pctStart: 1 }, 'pctStart'],
    ['onecycle', { maxLr: 0.1, totalSteps: 10, pctStart: 0 }, 'pctStart'],
    ['onecycle', { maxLr: 0.1, totalSteps: 10, baseMomentum: 0.99 }, 'baseMomentum'],
    ['onecycle', { maxLr: 0.1, totalSteps: 10, divFactor: Number.POSITIVE_INFINITY }, 'divFactor'],
    ['smith', { maxLr: 0.1, minLr: 0.2, totalSteps: 10 }, 'minLr'],
    ['triangular', { maxLr: 0.01, baseLr: 0.1 }, 'baseLr'],
    ['triangular', { maxLr: 0.01, stepSizeUp: 0 }, 'stepSizeUp'],
    ['exp_range', { maxLr: 0.01, gamma: -1 }, 'gamma'],
    // Above 1 the amplitude grows without bound (a user's gamma 2 trained 400 epochs at LR Infinity).
    ['exp_range', { maxLr: 0.01, gamma: 1.0001 }, 'gamma'],
    ['triangular', { maxLr: 0.01, gamma: 2 }, 'gamma'],
    ['constant', {}, 'lr'],
    ['constant', { lr: 0.1, momentum: 1.5 }, 'momentum'],
  ];
  for (const [policy, options, option] of cases) {
    assert.throws(() => makeSchedule(policy, options), (e: unknown) => e instanceof OptionError && e.option === option, `${policy} ${JSON.stringify(options)} → ${option}`);
  }
});

test('smith: linear up, linear down, annihilation to minLr/1000, momentum held at the end', () => {
  const total = 101; // positions 0..100: cycle ends at 90, peak at 45
  const rows = scheduleSteps(smith({ maxLr: 1, totalSteps: total }), total);
  assert.ok(close(rows[0]!.lr, 0.1));
  assert.ok(close(rows[45]!.lr, 1));
  assert.ok(close(rows[90]!.lr, 0.1));
  assert.ok(close(rows[100]!.lr, 0.1 / 1000));
  assert.ok(close(rows[45]!.momentum, 0.85));
  assert.ok(close(rows[90]!.momentum, 0.95));
  assert.ok(close(rows[95]!.momentum, 0.95));
  assert.ok(close((rows[10]!.lr + rows[30]!.lr) / 2, rows[20]!.lr));
});

test('fastai: cosine warm-up over 25%, final lr max/1e5 approached, position = step/total', () => {
  const total = 1000;
  const s = fastai({ maxLr: 0.01, totalSteps: total });
  assert.ok(close(s.at(0).lr, 0.01 / 25));
  assert.ok(close(s.at(250).lr, 0.01));
  assert.ok(close(s.at(0).momentum, 0.95));
  assert.ok(close(s.at(250).momentum, 0.85));
  // Half-way up a cosine is the mean of its ends.
  assert.ok(close(s.at(125).lr, (0.01 / 25 + 0.01) / 2));
  const last = s.at(total - 1).lr;
  assert.ok(last > 0.01 / 1e5 && last < 0.01 / 1e4, `last ${last}`);
});

test('piecewise: boundary belongs to the earlier segment; zero-length segment gives its end value', () => {
  const f = piecewise([
    { end: 2, from: 0, to: 2, curve: linearCurve },
    { end: 2, from: 5, to: 7, curve: linearCurve },
    { end: 4, from: 7, to: 9, curve: linearCurve },
  ]);
  assert.equal(f(2), 2);
  assert.equal(f(3), 8);
  assert.equal(f(10), 15); // past the last boundary: the last segment extrapolates (callers clamp)
});

test('cyclic has no length; constant keeps its momentum', () => {
  assert.equal(makeSchedule('triangular', { maxLr: 0.1 }).totalSteps, null);
  const c = makeSchedule('constant', { lr: 0.05, momentum: 0.9 });
  assert.deepEqual(c.at(12345), { lr: 0.05, momentum: 0.9 });
  assert.equal(makeSchedule('onecycle', { maxLr: 0.1, totalSteps: 10, cycleMomentum: false }).at(3).momentum, null);
});

test('exp_range honours scaleMode cycle (PyTorch ignores scale_mode without a custom scale_fn)', () => {
  const byCycle = makeSchedule('exp_range', { maxLr: 0.006, baseLr: 0.001, stepSizeUp: 5, gamma: 0.9, scaleMode: 'cycle' });
  // Step 2 is in cycle 1: amplitude scaled by 0.9^1, not 0.9^2.
  assert.ok(close(byCycle.at(2).lr, 0.001 + 0.005 * (2 / 5) * 0.9));
  const byIteration = makeSchedule('exp_range', { maxLr: 0.006, baseLr: 0.001, stepSizeUp: 5, gamma: 0.9 });
  assert.ok(close(byIteration.at(2).lr, 0.001 + 0.005 * (2 / 5) * 0.9 ** 2));
});

test('cyclic refuses a policy it does not have (untyped library callers): it ran as exp_range', () => {
  assert.throws(() => cyclic('cosine' as unknown as 'triangular', { maxLr: 0.1 }), /^OptionError: The cyclic policy must be triangular, triangular2 or exp_range, got "cosine"\.$/);
  assert.equal(cyclic('triangular', { maxLr: 0.1, stepSizeUp: 2 }).at(2).lr, 0.1);
});

test('a cycling policy told not to cycle momentum holds the momentum given (--no-cycle-momentum --momentum 0.5 was refused), and none without one', () => {
  for (const policy of ['onecycle', 'smith', 'fastai', 'triangular'] as const) {
    checkOptionsApply(policy, { maxLr: 0.1, cycleMomentum: false, momentum: 0.5 });
    const held = makeSchedule(policy, { maxLr: 0.1, totalSteps: 20, cycleMomentum: false, momentum: 0.5 });
    assert.deepEqual([0, 7, 19].map((s) => held.at(s).momentum), [0.5, 0.5, 0.5], policy);
    assert.equal(makeSchedule(policy, { maxLr: 0.1, totalSteps: 20, cycleMomentum: false }).at(7).momentum, null, policy);
  }
  // Cycling, a constant momentum is still no option of theirs; the refusal names the flag that makes it one.
  assert.throws(() => checkOptionsApply('smith', { maxLr: 0.1, momentum: 0.5 }), /^OptionError: --momentum does not apply to the smith policy as given: constant uses it, and smith only with --no-cycle-momentum\.$/);
  // Held, it is checked as the constant policy's (1.5 was held every step; the library's callers pass NaN too).
  for (const bad of [1.5, -0.5, Number.NaN]) {
    for (const policy of ['smith', 'onecycle', 'fastai', 'triangular'] as const) {
      assert.throws(() => makeSchedule(policy, { maxLr: 0.1, totalSteps: 20, cycleMomentum: false, momentum: bad }), (e: unknown) => e instanceof OptionError && e.option === 'momentum', `${policy} ${bad}`);
    }
  }
});

/** The message of the OptionError `makeSchedule` throws, with the option it names; fails when it accepts. */
function refusal(policy: SchedulePolicy, options: ScheduleOptions): { option: string | null; message: string; fix: string | null } {
  try {
    makeSchedule(policy, options);
  } catch (error) {
    assert.ok(error instanceof OptionError, String(error));
    return { option: error.option, message: error.message, fix: error.fix };
  }
  throw new Error(`accepted: ${policy} ${JSON.stringify(options)}`);
}

/** Every LR of a schedule's rows: finite and within float32's normal range (tfjs trains in float32). */
function assertRepresentable(policy: SchedulePolicy, options: ScheduleOptions, rows = 20): void {
  for (const { lr } of scheduleSteps(makeSchedule(policy, options), rows)) assert.ok(lr >= 2 ** -126 && lr <= 3.4e38, `${policy} ${JSON.stringify(options)}: LR ${lr}`);
}

test('LR options are refused outside float32\'s range, 1e-30 to 1e30, naming the one given (--max-lr 1e-310 trained at LR 0, and broke lrlab schedule with "Invalid array length")', () => {
  const cases: [SchedulePolicy, ScheduleOptions, string, string][] = [
    ['onecycle', { maxLr: 1e-310, totalSteps: 5 }, 'maxLr', '--max-lr must be between 1e-30 and 1e+30, got 1e-310.'],
    ['onecycle', { maxLr: 1e40, totalSteps: 5 }, 'maxLr', '--max-lr must be between 1e-30 and 1e+30, got 1e+40.'],
    ['fastai', { maxLr: 1e31, totalSteps: 5 }, 'maxLr', '--max-lr must be between 1e-30 and 1e+30, got 1e+31.'],
    ['smith', { maxLr: 0.1, minLr: 1e-35, totalSteps: 5 }, 'minLr', '--min-lr must be between 1e-30 and 1e+30, got 1e-35.'],
    ['triangular', { maxLr: 0.1, baseLr: 1e-31 }, 'baseLr', '--base-lr must be between 1e-30 and 1e+30, got 1e-31.'],
    ['constant', { lr: 1e-310 }, 'lr', '--lr must be between 1e-30 and 1e+30, got 1e-310.'],
    // The constant policy's LR given as --max-lr is named so (it read "--lr must be …").
    ['constant', { maxLr: 1e40 }, 'maxLr', '--max-lr must be between 1e-30 and 1e+30, got 1e+40.'],
  ];
  for (const [policy, options, option, message] of cases) assert.deepEqual(refusal(policy, options), { option, message, fix: null }, `${policy} ${JSON.stringify(options)}`);
  // The bounds themselves, and a default derived from one (smith's min LR max/10 = 1e-31), stand.
  for (const maxLr of [1e-30, 1e30]) {
    for (const policy of ['onecycle', 'smith', 'fastai', 'triangular', 'constant'] as const) assertRepresentable(policy, { maxLr, totalSteps: 20 });
  }
});

test('--div-factor, --final-div-factor and --annihilation-div below 1 are refused, saying why (0.5 started onecycle at twice its max LR; 1e-310 left no LR finite)', () => {
  const cases: [SchedulePolicy, ScheduleOptions, string][] = [
    ['onecycle', { maxLr: 0.1, totalSteps: 5, divFactor: 0.5 }, '--div-factor must be at least 1, got 0.5: the start LR is --max-lr ÷ it, so below 1 the schedule would start above --max-lr.'],
    ['fastai', { maxLr: 0.1, totalSteps: 5, divFactor: 1e-310 }, '--div-factor must be at least 1, got 1e-310: the start LR is --max-lr ÷ it, so below 1 the schedule would start above --max-lr.'],
    ['onecycle', { maxLr: 0.1, totalSteps: 5, finalDivFactor: 0.5 }, '--final-div-factor must be at least 1, got 0.5: the final LR is the start LR (--max-lr ÷ --div-factor) ÷ it, so below 1 the LR would end above where it started.'],
    ['fastai', { maxLr: 0.1, totalSteps: 5, finalDivFactor: 1e-320 }, "--final-div-factor must be at least 1, got 1e-320: fastai's final LR is --max-lr ÷ it, so below 1 the schedule would end above --max-lr."],
    ['smith', { maxLr: 0.1, totalSteps: 5, annihilationDiv: 0.5 }, '--annihilation-div must be at least 1, got 0.5: the final LR is --min-lr ÷ it, so below 1 the annihilation would raise the LR instead of lowering it.'],
    ['smith', { maxLr: 0.1, totalSteps: 5, annihilationDiv: 0 }, '--annihilation-div must be at least 1, got 0: the final LR is --min-lr ÷ it, so below 1 the annihilation would raise the LR instead of lowering it.'],
  ];
  for (const [policy, options, message] of cases) {
    const option = Object.keys(options).find((k) => /[dD]iv/.test(k))!;
    assert.deepEqual(refusal(policy, options), { option, message, fix: null }, `${policy} ${JSON.stringify(options)}`);
  }
  // 1 divides nothing off: a schedule that starts (or ends) at its max LR, as PyTorch allows.
  assertRepresentable('onecycle', { maxLr: 0.1, totalSteps: 5, divFactor: 1, finalDivFactor: 1 });
  assertRepresentable('smith', { maxLr: 0.1, totalSteps: 5, annihilationDiv: 1 });
});

test('a factor that divides an LR below float32\'s smallest normal number is refused, with the largest that would do (--final-div-factor 1e40 ended onecycle at 4e-43, a float32 denormal of 9 bits; 1e50, at 0)', () => {
  const tail = "below float32's smallest normal number, 1.2e-38: tfjs computes in float32, where that LR loses its digits or reads 0.";
  const cases: [SchedulePolicy, ScheduleOptions, string, string][] = [
    ['onecycle', { maxLr: 0.1, totalSteps: 5, divFactor: 1e40 }, `--div-factor 1e40 makes the final LR 1e-45 (--max-lr 0.1 ÷ --div-factor 1e40 ÷ --final-div-factor 10000), ${tail}`, 'Give --div-factor 8.5e32 or less.'],
    ['onecycle', { maxLr: 0.1, totalSteps: 5, finalDivFactor: 1e40 }, `--final-div-factor 1e40 makes the final LR 4e-43 (--max-lr 0.1 ÷ --div-factor 25 ÷ --final-div-factor 1e40), ${tail}`, 'Give --final-div-factor 3.4e35 or less.'],
    ['fastai', { maxLr: 0.1, totalSteps: 5, divFactor: 1e40 }, `--div-factor 1e40 makes the start LR 1e-41 (--max-lr 0.1 ÷ --div-factor 1e40), ${tail}`, 'Give --div-factor 8.5e36 or less.'],
    ['fastai', { maxLr: 0.1, totalSteps: 5, finalDivFactor: 1e40 }, `--final-div-factor 1e40 makes the final LR 1e-41 (--max-lr 0.1 ÷ --final-div-factor 1e40), ${tail}`, 'Give --final-div-factor 8.5e36 or less.'],
    ['smith', { maxLr: 0.1, totalSteps: 5, minLr: 1e-30, annihilationDiv: 1e20 }, `--annihilation-div 1e20 makes the final LR 1e-50 (--min-lr 1e-30 ÷ --annihilation-div 1e20), ${tail}`, 'Give --annihilation-div 8.5e7 or less.'],
    ['smith', { maxLr: 1e-30, totalSteps: 5, annihilationDiv: 1e20 }, `--annihilation-div 1e20 makes the final LR 1e-51 (--max-lr 1e-30 ÷ 10 ÷ --annihilation-div 1e20), ${tail}`, 'Give --annihilation-div 8.5e6 or less.'],
  ];
  for (const [policy, options, message, fix] of cases) {
    const option = Object.keys(options).find((k) => /[dD]iv/.test(k))!;
    assert.deepEqual(refusal(policy, options), { option, message, fix }, `${policy} ${JSON.stringify(options)}`);
    // The largest the fix names runs, the LR the message named in float32's range. (Not every step's: PyTorch's
    // cosine from a start LR 1e-34 up to 0.1 gives step 0 exactly 0, as 0.1 + (1e-34 - 0.1) is 0 in a double.)
    const largest = makeSchedule(policy, { ...options, [option]: Number(/ (\S+) or less/.exec(fix)![1]) });
    const lr = message.includes('start LR') ? largest.at(0).lr : largest.at(4).lr;
    assert.ok(lr >= 2 ** -126, `${policy} ${fix}: ${lr}`);
  }
  // The defaults never do, from the smallest max LR taken (onecycle's last LR: 1e-30 ÷ 25 ÷ 1e4 = 4e-36).
  for (const policy of ['onecycle', 'smith', 'fastai'] as const) assertRepresentable(policy, { maxLr: 1e-30, totalSteps: 20 });
});
