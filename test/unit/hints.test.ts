/** The range test's hint table (src/core/hints.ts) on constructed curves with known answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeTestTracker, lrSweep } from '../../src/core/rangeTest';
import { curveShape, suggest } from '../../src/core/suggestions';
import { FIT_AT_START, fitAtStart, rangeHints } from '../../src/core/hints';
import type { CurveFacts, Hint, HintCase } from '../../src/core/hints';
import { headlineOf, planRangeRetry } from '../../src/core/rangeRetry';
import { blowUpEdge, recommend } from '../../src/core/headline';
import { formatLr } from '../../src/protocol/format';
import { fittedCurve } from '../../src/core/curveShape';
import { mulberry32 } from '../../src/core/random';
import type { Baseline, FindLrResult, RangePoint, RangeStopReason } from '../../src/protocol/results';

const LN2: Baseline = { loss: Math.log(2), valLoss: Math.log(2), kind: 'chance' };
const TEN: Baseline = { loss: Math.log(10), valLoss: Math.log(10), kind: 'chance' };

function gaussian(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

interface Run {
  readonly points: RangePoint[];
  readonly stopReason: RangeStopReason;
  readonly divergedAt: number | null;
}

/** A range test on a curve of x = log10(lr) through the real tracker (EMA, divergence stop). */
function rangeTest(curve: (x: number, i: number) => number, options: { noise?: number; seed?: number; steps?: number; startLr?: number; endLr?: number } = {}): Run {
  const noise = gaussian(options.seed ?? 1);
  const tracker = new RangeTestTracker();
  const lrs = lrSweep({ startLr: options.startLr ?? 1e-7, endLr: options.endLr ?? 10, steps: options.steps ?? 100, sweep: 'exp' });
  for (const [i, lr] of lrs.entries()) {
    const { stop } = tracker.push(lr, curve(Math.log10(lr), i) * (1 + (options.noise ?? 0) * noise()));
    if (stop !== null) return { points: tracker.points, stopReason: stop, divergedAt: lr };
  }
  return { points: tracker.points, stopReason: 'completed', divergedAt: null };
}

const SETTINGS = { startLr: 1e-7, endLr: 10, steps: 100 };

function facts(run: Run, baseline: Baseline | null, settings = SETTINGS): CurveFacts {
  return { baseline, stopReason: run.stopReason, divergedAt: run.divergedAt, settings };
}

function hintsOf(run: Run, baseline: Baseline | null, settings: CurveFacts['settings'] = SETTINGS): Hint[] {
  return rangeHints({ shape: curveShape(run.points), recorded: run.points.length, finite: run.points.filter((p) => p.loss !== null).length, ...facts(run, baseline, settings) });
}

function cases(hints: readonly Hint[]): HintCase[] {
  return hints.map((h) => h.case);
}

/** At ln 2 (with a little noise) until LR 0.3, then blowing up: the embedding+GRU of the issue. */
const atChanceThenRising = (x: number): number => Math.log(2) * (x < -0.5 ? 1 : 1 + 3 * (x + 0.5));

test('a curve at the chance level that then rises: "nothing learned yet", never "--start-lr is too high"', () => {
  const run = rangeTest(atChanceThenRising, { noise: 0.002 });
  const s = suggest(run.points, facts(run, LN2));
  assert.deepEqual(s.suggestions, { steep: null, valley: null, minimum: null });
  assert.equal(s.range, null);
  for (const reason of Object.values(s.reasons)) {
    assert.match(reason, /^nothing learned yet: the loss never got clearly below the chance level 0\.693 = ln 2 \(from 0\.693, lowest 0\.69\d at LR .*; clearly below means under 0\.624\); (it rose|it diverged) .*, so run more --steps \(each LR then gets more iterations, e\.g\. --steps 300\); also check the data and labels\. A lower --start-lr cannot help$/);
    assert.doesNotMatch(reason, /already too high/);
  }
  assert.deepEqual(cases(hintsOf(run, LN2)), ['not-learned']);
  assert.equal(hintsOf(run, LN2)[0]!.blocking, true);
});

test('at chance all the way to --end-lr: more --steps or a higher --end-lr', () => {
  const run = rangeTest(() => Math.log(2), { noise: 0.002 });
  const [hint] = hintsOf(run, LN2);
  assert.equal(hint?.case, 'not-learned');
  assert.match(hint.message, /: run more --steps \(e\.g\. --steps 300\) or raise --end-lr; also check the data and labels/);
});

test('at chance, then climbing back above its start before --end-lr (not diverged): more --steps, never "raise --end-lr" past LRs that already made it worse', () => {
  // Flat at chance, then rising: "it rose from LR … on".
  const rose = rangeTest((x) => Math.log(2) * (x < 0 ? 1 : 1 + 0.3 * x), { noise: 0.002 });
  assert.equal(rose.stopReason, 'completed');
  const [hint] = hintsOf(rose, LN2);
  assert.equal(hint?.case, 'not-learned');
  assert.match(hint.message, /; it rose from LR \S+ on, so run more --steps \(each LR then gets more iterations, e\.g\. --steps 300\)/);
  // A user's shuffled multi-label model: from twice the chance level (outputs off the prior) down to 1.2x it, then
  // back above its start before --end-lr: it read "raise --end-lr" beside "the loss climbed back above its start at LR 3.27".
  const back = rangeTest((x) => Math.log(2) * (x < -4 ? 2 : x < -1 ? 2 - (0.8 * (x + 4)) / 3 : 1.2 + 0.9 * (x + 1)), { noise: 0.002 });
  assert.equal(back.stopReason, 'completed');
  const [again] = hintsOf(back, LN2);
  assert.equal(again?.case, 'not-learned');
  assert.doesNotMatch(again.message, /raise --end-lr/);
  assert.match(again.message, /; it climbed back above its start at LR \S+, so run more --steps \(each LR then gets more iterations, e\.g\. --steps 300\)/);
  // At the LR the header names (blowUpEdge: "the loss climbed back above its start at LR …"): a user's CNN
  // read 0.242 there and 1.87 here, the fitted curve's crossing 5% above its start.
  const edge = blowUpEdge(back.points);
  assert.ok(edge !== null);
  assert.ok(again.message.includes(`it climbed back above its start at LR ${formatLr(edge)},`), `${again.message} | ${formatLr(edge)}`);
});

test('at chance on a linear sweep: its second LR was already high, so the hint is the exponential sweep or a lower --end-lr, never "raise --end-lr"', () => {
  // The linear sweep from 1e-7 to 10 in 100 steps: its second LR is 0.101.
  const tracker = new RangeTestTracker();
  for (const lr of lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'linear' })) tracker.push(lr, Math.log(2) * (1 + 0.002 * Math.sin(lr * 1000)));
  const [hint] = hintsOf({ points: tracker.points, stopReason: 'completed', divergedAt: null }, LN2, { ...SETTINGS, sweep: 'linear' });
  assert.equal(hint?.case, 'not-learned');
  assert.match(hint.message, /: a linear sweep \(--sweep linear\) tries LRs in equal steps, so after its first point it tried none below 0\.101\. Run the default exponential sweep \(--sweep exp\), or lower --end-lr; also check the data and labels\.$/);
  assert.doesNotMatch(hint.message, /raise --end-lr|--start-lr/);
});

test('a dip of 5% below chance right before diverging is not learning (a transient); 15% below is', () => {
  const dip = (depth: number) => (x: number): number => Math.log(2) * (x < -1 ? 1 : x < -0.3 ? 1 - depth : 1 + 4 * (x + 0.3));
  assert.deepEqual(cases(hintsOf(rangeTest(dip(0.05)), LN2)), ['not-learned']);
  const learned = rangeTest(dip(0.15));
  assert.ok(!cases(hintsOf(learned, LN2)).includes('not-learned'));
  assert.notEqual(suggest(learned.points, facts(learned, LN2)).suggestions.valley, null);
});

test('flat and below the baseline from the very first batch: the fresh model starts there, and a lower --start-lr cannot help', () => {
  // The first batches' losses come before any step changed the weights: 0.3 there is the initial model's.
  const run = rangeTest((x) => (x < -1 ? 0.3 : 0.3 + (x + 1)), { noise: 0.01 });
  assert.equal(run.stopReason, 'diverged');
  // Read as a test that reached --end-lr (completed) first, then as the one that diverged.
  const s = suggest(run.points, { ...facts(run, TEN), stopReason: 'completed', divergedAt: null });
  assert.equal(s.range, null);
  assert.match(s.reasons.range, /^the loss barely fell \(0\.3\d* → 0\.\d+\): the model was already below the chance level 2\.3 = ln 10 at its first batches \(0\.3\d*\), before the steps changed anything — its weights at the start \(initial ones, or ones loaded or trained before\) fit part of the labels — and the test learned little on top of that: run more --steps \(e\.g\. --steps 300\) or raise --end-lr$/);
  assert.doesNotMatch(s.reasons.range, /lower --start-lr/);
  assert.deepEqual(cases(hintsOf(run, TEN)), ['flat']);
  // Diverged (a user's already-trained model): more LR cannot help, so no "raise --end-lr".
  const diverged = suggest(run.points, facts(run, TEN));
  assert.match(diverged.reasons.range, /fit part of the labels — and the test learned little on top of that: run more --steps \(e\.g\. --steps 300\)$/);
});

test('a model that already fits the labels as built (under 1% of the baseline at its first batches): nothing to learn, no LR to find, no retry', () => {
  // A user's two-class model on a feature of ±10 started at 1.19e-7 against ln 2; short runs then all tied, and the upward tie named LR 100.
  const fit = rangeTest(() => 1.19e-7, { noise: 0.01 });
  assert.ok(Math.abs(fitAtStart(fit.points, Math.log(2))! - 1.19e-7) < 1e-8);
  const s = suggest(fit.points, facts(fit, LN2));
  assert.equal(s.range, null);
  assert.match(s.reasons.range, /^the model as built already fits the labels: its first batches' loss is 1\.\d+e-7 against the chance level 0\.693 = ln 2, before any step changed it, so there is nothing left to learn and no LR to find\. Check that no input gives the label away and that the labels are the ones meant \(a model loaded already trained has nothing left to learn here either\)$/);
  // Cancelled, it still says so: the whole test would find no LR either (not "run the whole test").
  const cut = suggest(fit.points.slice(0, 40), { ...facts(fit, LN2), stopReason: 'cancelled' });
  assert.match(cut.reasons.range, /^the model as built already fits the labels/);
  const plan = planRangeRetry(result(fit, LN2), 100, 100_000);
  assert.deepEqual(plan, { none: 'no longer or wider test finds an LR for a model that fits its labels as built' });
  // At 5% of the baseline it is a model whose initial weights fit part of the labels, as before; without a baseline, nothing is said.
  assert.equal(fitAtStart(rangeTest(() => 0.05 * Math.log(2)).points, Math.log(2)), null);
  assert.equal(fitAtStart(fit.points, null), null);
  assert.equal(FIT_AT_START, 0.01);
});

test('without a baseline a curve that rises soon after --start-lr names both causes; one flat for decades first learned little', () => {
  const early = rangeTest((x) => Math.log(2) * (1 + 0.1 * (x + 7)), { noise: 0.002 });
  assert.match(suggest(early.points).reasons.range, /either nothing was learned yet .* or learning happened before the first points \(lower --start-lr\); this loss has no known baseline/);
  assert.deepEqual(cases(hintsOf(early, null)), ['flat']);
  // Flat from 1e-7 to 0.3, then rising (EARLY_RISE_DECADES): more steps, not a lower start.
  const late = rangeTest(atChanceThenRising, { noise: 0.002 });
  assert.match(suggest(late.points).reasons.range, /^the loss barely fell before it rose at 0\.\d+ \(.*\): the model learned little in this test, run more --steps$/);
  assert.deepEqual(cases(hintsOf(late, null)), ['flat']);
});

test('falling steeply from the very first points: learning already under way at --start-lr (suggestions kept)', () => {
  const fromStart = (x: number): number => 0.3 + 2 / (1 + Math.exp(3 * (x + 2.5))) + (x > -0.5 ? Math.expm1(3 * (x + 0.5)) : 0);
  const run = rangeTest(fromStart, { startLr: 1e-3 });
  const hints = hintsOf(run, TEN, { startLr: 1e-3, endLr: 10, steps: 100 });
  assert.deepEqual(cases(hints), ['learning-at-start']);
  assert.equal(hints[0]!.blocking, false);
  assert.match(hints[0]!.message, /^Learning was already under way at --start-lr 0\.001 .*lower --start-lr/);
  assert.notEqual(suggest(run.points, facts(run, TEN)).range, null);
  // The same curve read from 1e-7 starts flat: no such hint.
  assert.deepEqual(cases(hintsOf(rangeTest(fromStart), TEN)), []);
  // Too noisy to read: the slope at its first points is the scatter's, so no claim about learning there
  // (this gentle fall at σ 20% per batch read "learning already under way" beside "too noisy").
  const gentle = (x: number): number => 2.0 - 0.15 * Math.max(0, Math.min(6, x + 7)) + (x > -0.5 ? Math.expm1(3 * (x + 0.5)) : 0);
  for (const seed of [1, 3, 10]) assert.deepEqual(cases(hintsOf(rangeTest(gentle, { noise: 0.2, seed }), TEN)), ['too-noisy'], `seed ${seed}`);
});

test('a first slope inside what noise gives a fitted slope is no learning under way (a conv1d forecaster at 1e-7)', () => {
  // A user's range test (SGD momentum, MSE, batch losses 0.51-0.72 over the first 30 points, σ 0.065): its first fitted
  // slope was 35% of the drop per decade but under 2 standard errors, and it read "learning already under way at 1e-7".
  const losses = [0.5847,  0.5937,  0.6958,  0.7147,  0.6515,  0.6885,  0.6661,  0.6827,  0.5755,  0.5522,  0.608,  0.5388,  0.5124,  0.5686,  0.5257,  0.5902,  0.6038,  0.6215,  0.5905,  0.668,  0.5719,  0.6812,  0.6763,  0.5386,  0.6115,  0.5722,  0.6028,  0.5151,  0.5848,  0.5637,  0.6788,  0.4645,  0.4767,  0.5985,  0.7031,  0.6646,  0.5175,  0.6754,  0.654,  0.6669,  0.5757,  0.6769,  0.6392,  0.6636,  0.6358,  0.514,  0.5445,  0.6263,  0.5874,  0.5278,  0.7342,  0.5316,  0.5526,  0.5368,  0.571,  0.6087,  0.5388,  0.5035,  0.3945,  0.4761,  0.4815,  0.3517,  0.4288,  0.3904,  0.3721,  0.3843,  0.3056,  0.2569,  0.2425,  0.4907,  0.2921,  0.3049,  0.2468,  0.2265,  0.1576,  0.2218,  0.3694,  0.9389,  0.6963,  0.4817,  0.4558,  0.2807,  0.1716,  0.3491,  1.8817,  1.8233,  396992.875];
  const tracker = new RangeTestTracker();
  const lrs = lrSweep({ startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp' });
  let run: Run = { points: [], stopReason: 'completed', divergedAt: null };
  for (const [i, loss] of losses.entries()) {
    const { stop } = tracker.push(lrs[i]!, loss);
    if (stop !== null) run = { points: tracker.points, stopReason: stop, divergedAt: lrs[i]! };
  }
  assert.equal(run.stopReason, 'diverged');
  const MEAN: Baseline = { loss: 0.548, valLoss: 0.532, kind: 'mean' };
  assert.ok(!cases(hintsOf(run, MEAN)).includes('learning-at-start'), cases(hintsOf(run, MEAN)).join(', '));
});

test('diverging in the first fifth of the steps → lower --start-lr; NaN from the first step → check the data', () => {
  const early = rangeTest((_x, i) => (i < 8 ? 2.3 : 2.3 * 10 ** (i - 7)));
  assert.equal(early.stopReason, 'diverged');
  const hints = hintsOf(early, TEN);
  assert.deepEqual(cases(hints), ['diverges-at-once']);
  assert.match(hints[0]!.message, /^The loss diverged after only \d+ of 100 steps \(LR .*\): lower --start-lr/);
  const nan = rangeTest(() => Number.NaN);
  assert.equal(nan.stopReason, 'non-finite');
  assert.deepEqual(cases(hintsOf(nan, TEN)), ['nan-at-start']);
  // NaN at the very first loss: the initial weights' loss, before any update — no LR to lower.
  assert.match(hintsOf(nan, TEN)[0]!.message, /^The loss was NaN\/Inf at the first step, before any update: .*no learning rate changes it\. Check the data for NaN\/huge values/);
  assert.doesNotMatch(hintsOf(nan, TEN)[0]!.message, /start-lr/);
  // NaN after the first update (the second loss): the LR at the start may be at fault.
  const second = rangeTest((_x, i) => (i === 0 ? 2.3 : Number.NaN));
  assert.deepEqual(cases(hintsOf(second, TEN)), ['nan-at-start']);
  assert.match(hintsOf(second, TEN)[0]!.message, /NaN\/Inf from the first step at LR 1e-7: check the data .*try a lower --start-lr/);
});

test('a fall hidden in batch-to-batch scatter: too noisy to read → larger --batch-size or more --steps', () => {
  const fall = (x: number): number => 2.3 - 0.5 / (1 + Math.exp(-3 * (x + 3))) + (x > -1 ? Math.expm1(3 * (x + 1)) : 0);
  // 22% below ln 10, but under 12% per-batch noise the fall is within what noise reaches: no suggestion, and why.
  const hidden = rangeTest(fall, { noise: 0.12, seed: 4 });
  const noisy = hintsOf(hidden, TEN);
  assert.deepEqual(cases(noisy), ['too-noisy']);
  assert.equal(noisy[0]!.blocking, true);
  assert.match(suggest(hidden.points, facts(hidden, TEN)).reasons.range, /^the loss may have fallen below the chance level 2\.3 = ln 10 \(.*\), but its batch-to-batch scatter around its lowest point \(σ 0\.309\) is too large to tell: raise --batch-size or run more --steps$/);
  // Readable under 8% noise, but the scatter is over half the fall: suggestions, with the warning.
  const readable = hintsOf(rangeTest(fall, { noise: 0.08, seed: 2 }), TEN);
  assert.deepEqual(cases(readable), ['too-noisy']);
  assert.equal(readable[0]!.blocking, false);
  assert.match(readable[0]!.message, /^Too noisy to read well: the per-batch scatter \(σ 0\.1\d*\) is over half the loss's whole fall .*raise --batch-size or run more --steps\.$/);
  assert.deepEqual(cases(hintsOf(rangeTest(fall, { noise: 0.01 }), TEN)), []);
  // Where the batch is the whole training set already, the advice cannot be a larger batch (64 samples at batch 64 read "raise --batch-size").
  const readableRun = rangeTest(fall, { noise: 0.08, seed: 2 });
  const onShape = (settings: CurveFacts['settings'], trainSamples: number): string => rangeHints({ shape: curveShape(readableRun.points), recorded: readableRun.points.length, finite: readableRun.points.length, ...facts(readableRun, TEN, settings), trainSamples })[0]!.message;
  assert.match(onShape({ ...SETTINGS, batchSize: 64 }, 64), /; run more --steps \(each batch is already the whole training set of 64 samples\)\.$/);
  assert.match(onShape({ ...SETTINGS, batchSize: 40 }, 64), /; raise --batch-size \(up to 64, the whole training set\) or run more --steps\.$/);
  assert.match(onShape({ ...SETTINGS, batchSize: 32 }, 64), /; raise --batch-size or run more --steps\.$/);
  // A regression at its mean scatters ~18% per batch: the blocked curve is also called noisy.
  const mean = hintsOf(rangeTest(() => 4, { noise: 0.18 }), { loss: 4, valLoss: 4, kind: 'mean' });
  assert.deepEqual(cases(mean), ['not-learned', 'too-noisy']);
});

test('fell, then flat up to --end-lr without turning up: plateau → raise --end-lr', () => {
  const plateau = (x: number): number => 0.3 + 2 / (1 + Math.exp(3 * (x + 4)));
  const hints = hintsOf(rangeTest(plateau, { noise: 0.01 }), TEN);
  assert.deepEqual(cases(hints), ['plateau']);
  assert.match(hints[0]!.message, /^The loss plateaued at 0\.(29|3)\d* from LR .* to --end-lr without turning up: .*raise --end-lr/);
  // A curve that turns up is no plateau.
  assert.deepEqual(cases(hintsOf(rangeTest((x) => plateau(x) + (x > -1 ? Math.expm1(3 * (x + 1)) : 0)), TEN)), []);
});

/** A FindLrResult around a synthetic run, for the recipe's retry plan. */
function result(run: Run, baseline: Baseline | null, seconds = 10): FindLrResult {
  const f = facts(run, baseline);
  const s = suggest(run.points, f);
  return {
    kind: 'find-lr', model: 'm.ts', backend: 'wasm', backendNote: null, seconds,
    settings: { ...SETTINGS, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: 1 },
    points: run.points, divergedAt: run.divergedAt, stopReason: run.stopReason, recommended: recommend(run.points, '', f), fitted: fittedCurve(curveShape(run.points)), suggestions: s.suggestions, range: s.range, reasons: s.reasons, warnings: [], baseline,
  };
}

test('the recipe retry plan: nothing learned → 3× the steps and a decade more; started too high → two decades lower; no time → says so', () => {
  const atChance = result(rangeTest(() => Math.log(2), { noise: 0.002 }), LN2);
  assert.equal(headlineOf(atChance), null);
  const plan = planRangeRetry(atChance, 100, 100_000);
  assert.ok('settings' in plan);
  assert.deepEqual(plan.settings, { startLr: 1e-7, endLr: 100, steps: 300 });
  assert.match(plan.why, /^nothing was learned yet; retrying with 300 steps up to --end-lr 100$/);
  assert.ok(Math.abs(plan.seconds - 30) < 1e-9);
  // Diverged before learning: no wider range (it already blew up), only more steps.
  const diverged = planRangeRetry(result(rangeTest(atChanceThenRising, { noise: 0.002 }), LN2), 100, 100_000);
  assert.ok('settings' in diverged && diverged.settings.steps === 300);
  const early = planRangeRetry(result(rangeTest((_x, i) => (i < 8 ? 2.3 : 2.3 * 10 ** (i - 7))), TEN), 1000, 100_000);
  assert.ok('settings' in early);
  assert.deepEqual(early.settings, { startLr: 1e-9, endLr: 10, steps: 200 });
  // Too short to be read at all: said (it read "the curve gave no usable LR" for --steps 5).
  const short = planRangeRetry({ ...atChance, settings: { ...atChance.settings, steps: 5 }, points: atChance.points.slice(0, 5) }, 100, 100_000);
  assert.ok('settings' in short);
  assert.equal(short.why, '5 steps are too few to read (a curve is read from at least 10 points after its first tenth and before its last 5: --steps 16 or more); retrying with 16 steps up to --end-lr 100');
  const noTime = planRangeRetry(atChance, 40, 100_000);
  assert.ok('none' in noTime);
  assert.match(noTime.none, /^nothing was learned yet, but a retry \(300 steps, about 30 s\) does not fit in half of the 40 s left; give a larger --budget$/);
  assert.ok('none' in planRangeRetry(result(rangeTest(() => Number.NaN), TEN), 100, 100_000));
  const spent = planRangeRetry(atChance, -36, 100_000);
  assert.ok('none' in spent && /^nothing was learned yet, but the budget is spent/.test(spent.none));
  // Nothing learned from a high --start-lr (a user's 3, past where their CNN collapses): two decades lower, not wider.
  const high = { ...atChance, settings: { ...atChance.settings, startLr: 3, endLr: 10 } };
  const lowered = planRangeRetry(high, 100, 100_000);
  assert.ok('settings' in lowered);
  assert.deepEqual(lowered.settings, { startLr: 0.03, endLr: 10, steps: 200 });
  assert.equal(lowered.why, 'nothing was learned from --start-lr 3 up; retrying from --start-lr 0.03 with 200 steps');
  // The hint says the same: lower --start-lr, never "cannot help".
  const run = rangeTest(() => Math.log(2), { noise: 0.002 });
  const reason = suggest(run.points, facts(run, LN2, { startLr: 3, endLr: 10, steps: 100 })).reasons.range;
  assert.match(reason, /^nothing learned yet: .*\. The sweep started at LR 3, above where many models learn and past where some break down: lower --start-lr \(e\.g\. --start-lr 1e-7, the default\); also check the data and labels$/);
  assert.match(suggest(run.points, facts(run, LN2, { startLr: 3e-3, endLr: 10, steps: 100 })).reasons.range, /A lower --start-lr cannot help$/, 'below 0.01 the sweep covers where models learn');
  // Inputs far from scale 1: standardize them first, not more steps or a wider range (a user's feature at 1e6 under Adam).
  const offScale = suggest(run.points, { ...facts(run, LN2), inputsOffScale: true }).reasons.range;
  assert.match(offScale, /^nothing learned yet: .*: the inputs are far from scale 1 \(a warning names them\), which can keep a model at its baseline at every LR — standardize them first, then run the test again; also check the data and labels$/);
  assert.doesNotMatch(offScale, /--steps|--end-lr|cannot help/);
  // Every label the same (a baseline of 0): no longer test finds an LR (the recipe ran three).
  const constant = planRangeRetry(result(rangeTest(() => 0.5, { noise: 0.002 }), { loss: 0, valLoss: 0, kind: 'mean' }), 100, 100_000);
  assert.ok('none' in constant && /^every training label is the same/.test(constant.none));
});

test('the library\'s naming: every hint, reason, headline and retry names the option a findLr call passes (endLr), the CLI\'s the flag (--end-lr)', () => {
  const plateau = (x: number): number => 0.3 + 2 / (1 + Math.exp(3 * (x + 4)));
  const fromStart = (x: number): number => 0.3 + 2 / (1 + Math.exp(3 * (x + 2.5))) + (x > -0.5 ? Math.expm1(3 * (x + 0.5)) : 0);
  const fall = (x: number): number => 2.3 - 0.5 / (1 + Math.exp(-3 * (x + 3))) + (x > -1 ? Math.expm1(3 * (x + 1)) : 0);
  const curves: [string, Run, Baseline | null, typeof SETTINGS?][] = [
    ['not learned, rising', rangeTest(atChanceThenRising, { noise: 0.002 }), LN2],
    ['not learned to the end', rangeTest(() => Math.log(2), { noise: 0.002 }), LN2],
    ['below the baseline from the start', rangeTest((x) => (x < -1 ? 0.3 : 0.3 + (x + 1)), { noise: 0.01 }), TEN],
    ['flat, no baseline, rising early', rangeTest((x) => Math.log(2) * (1 + 0.1 * (x + 7)), { noise: 0.002 }), null],
    ['flat, no baseline, rising late', rangeTest(atChanceThenRising, { noise: 0.002 }), null],
    ['flat, no baseline', rangeTest(() => 1, { noise: 0.002 }), null],
    ['learning at the start', rangeTest(fromStart, { startLr: 1e-3 }), TEN, { startLr: 1e-3, endLr: 10, steps: 100 }],
    ['diverges at once', rangeTest((_x, i) => (i < 8 ? 2.3 : 2.3 * 10 ** (i - 7))), TEN],
    ['NaN from the start', rangeTest(() => Number.NaN), TEN],
    ['too noisy, hidden', rangeTest(fall, { noise: 0.12, seed: 4 }), TEN],
    ['too noisy, readable', rangeTest(fall, { noise: 0.08, seed: 2 }), TEN],
    ['plateau', rangeTest(plateau, { noise: 0.01 }), TEN],
    ['still falling at the end', rangeTest((x) => 2.3 - 0.25 * (x + 7), { noise: 0.002 }), TEN],
    ['too few points', rangeTest((x) => 2.3 - 0.1 * (x + 7), { steps: 8 }), TEN],
  ];
  const texts = (run: Run, baseline: Baseline | null, settings: typeof SETTINGS, naming: 'flag' | 'option'): string[] => {
    const f = facts(run, baseline, settings);
    const retry = planRangeRetry(result(run, baseline), Number.POSITIVE_INFINITY, 100_000, naming);
    return [
      ...rangeHints({ shape: curveShape(run.points), recorded: run.points.length, finite: run.points.filter((p) => p.loss !== null).length, ...f }, naming).map((h) => h.message),
      ...Object.values(suggest(run.points, f, naming).reasons),
      recommend(run.points, '', undefined, naming)?.reason ?? '',
      'why' in retry ? retry.why : retry.none,
    ];
  };
  const named = new Set<string>();
  for (const [what, run, baseline, settings = SETTINGS] of curves) {
    const flags = texts(run, baseline, settings, 'flag').join('\n');
    const options = texts(run, baseline, settings, 'option').join('\n');
    assert.doesNotMatch(options, /--[a-z]/, `${what}: ${options}`);
    // The same words, each flag as its option: an example to type, `(e.g. --steps 300)`, as `(e.g. steps: 300)`; `--end-lr` as `endLr`.
    const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_m: string, c: string) => c.toUpperCase());
    const asOptions = flags.replace(/--([a-z-]+) (\d+)\)/g, (_all: string, flag: string, value: string) => `${camel(flag)}: ${value})`).replace(/--([a-z-]+)/g, (_all: string, flag: string) => camel(flag));
    assert.equal(options, asOptions, what);
    for (const m of flags.matchAll(/--([a-z-]+)/g)) named.add(m[1]!);
  }
  // The table reaches every flag the range-test advice names.
  assert.deepEqual([...named].sort(), ['batch-size', 'end-lr', 'start-lr', 'steps']);
});
