/**
 * The LR range test end to end on real tfjs (the backend `auto` picks here: wasm, since
 * tfjs-node cannot install on these machines) with tiny models.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { findLr, notConfirmedByRuns, rangeTestCurve, resolveFindLrSettings } from '../../src/engine/experiments/findLr';
import { loadForRun } from '../../src/engine/session';
import { earlyValAccuracy, evaluationSteps, shortRun } from '../../src/engine/experiments/shortRun';
import { bestTrial } from '../../src/core/decisions';
import { describeTrials, formatLr, listTrials } from '../../src/protocol/format';
import { chooseOptimizer } from '../../src/engine/optimizerChoice';
import { Reporter, silentSink } from '../../src/engine/reporter';
import type { AppendParams } from '../../src/protocol/progress';
import type { FindLrRequest } from '../../src/protocol/requests';
import { OptionError } from '../../src/protocol/errors';

const fixtures = path.join(__dirname, '..', 'fixtures', 'engine');
const linreg = path.join(fixtures, 'linreg.ts');
const tiny = path.join(fixtures, 'tinyClassifier.js');

function ctx(signal = new AbortController().signal, sink = silentSink): { reporter: Reporter; signal: AbortSignal } {
  return { reporter: new Reporter('test', sink, 0), signal };
}

function hash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

const linregRequest: FindLrRequest = { kind: 'find-lr', model: linreg, optimizer: 'sgd', momentum: 0, startLr: 1e-5, endLr: 10, steps: 100, batchSize: 64, seed: 1 };

test('linear regression: the suggestion lands below the known SGD stability limit 2/λmax ≈ 0.11', async () => {
  const before = { hash: hash(linreg), mtime: statSync(linreg).mtimeMs };
  const result = await findLr(linregRequest, ctx());
  assert.equal(result.kind, 'find-lr');
  assert.ok(['wasm', 'cpu', 'tensorflow'].includes(result.backend));
  assert.ok(result.stopReason === 'diverged' || result.stopReason === 'non-finite', result.stopReason);
  assert.ok(result.divergedAt !== null && result.divergedAt > 0.11 && result.divergedAt < 10, `divergedAt ${result.divergedAt}`);
  assert.ok(result.range !== null, result.reasons.range);
  assert.ok(result.range.maxLr > 0.005 && result.range.maxLr < 0.12, `maxLr ${result.range.maxLr}`);
  assert.ok(result.suggestions.steep !== null && result.suggestions.steep > 1e-3 && result.suggestions.steep < 0.12, `steep ${result.suggestions.steep}`);
  // The headline stays under the stability limit too: 1cycle at it must not diverge.
  assert.ok(result.recommended !== null, result.reasons.range);
  assert.ok(result.recommended.maxLr > 0.005 && result.recommended.maxLr < 0.11, `headline ${result.recommended.maxLr}`);
  // The user's file is untouched.
  assert.equal(hash(linreg), before.hash);
  assert.equal(statSync(linreg).mtimeMs, before.mtime);
});

test('JSON shape of find-lr is exactly the protocol', async () => {
  const result = await findLr({ ...linregRequest, steps: 30 }, ctx());
  const doc = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
  for (const key of ['backend', 'seconds', 'points', 'divergedAt', 'recommended', 'fitted', 'suggestions', 'range', 'reasons']) assert.ok(key in doc, key);
  const point = (doc['points'] as Record<string, unknown>[])[0]!;
  assert.deepEqual(Object.keys(point).sort(), ['loss', 'lr', 'smoothed']);
  assert.deepEqual(Object.keys(doc['suggestions'] as object).sort(), ['minimum', 'steep', 'valley']);
  assert.deepEqual(Object.keys(doc['reasons'] as object).sort(), ['minimum', 'range', 'steep', 'valley']);
});

test('same seed, same backend → identical curves; a different seed → a different curve', async () => {
  const a = await findLr({ kind: 'find-lr', model: tiny, steps: 25, seed: 7, batchSize: 32 }, ctx());
  const b = await findLr({ kind: 'find-lr', model: tiny, steps: 25, seed: 7, batchSize: 32 }, ctx());
  const c = await findLr({ kind: 'find-lr', model: tiny, steps: 25, seed: 8, batchSize: 32 }, ctx());
  assert.deepEqual(a.points, b.points);
  assert.notDeepEqual(a.points, c.points);
});

test('a model file importing @tensorflow/tfjs-node (not installed here) loads: imports are redirected', async () => {
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 20, seed: 1 }, ctx());
  assert.equal(result.points.length, 20);
  assert.ok(result.points.every((p) => p.loss !== null));
});

test('no tensor growth across range tests', async () => {
  const request: FindLrRequest = { kind: 'find-lr', model: tiny, seed: 3 };
  const loaded = await loadForRun(request, ctx());
  const settings = resolveFindLrSettings({ ...request, steps: 15, batchSize: 16 }, null);
  await rangeTestCurve(loaded, settings, {}, ctx(), 'a');
  const before = loaded.tf.memory().numTensors;
  await rangeTestCurve(loaded, settings, {}, ctx(), 'b');
  await rangeTestCurve(loaded, { ...settings, signal: 'val' }, {}, ctx(), 'c');
  assert.equal(loaded.tf.memory().numTensors, before);
});

/** A sink that cancels the run once `after` points have streamed. */
function abortingSink(controller: AbortController, after: number): typeof silentSink {
  let seen = 0;
  return {
    ...silentSink,
    append: (a: AppendParams) => {
      seen += a.points.length;
      if (seen >= after) controller.abort();
    },
  };
}

test('cancellation stops within one batch and keeps what was measured', async () => {
  const controller = new AbortController();
  const sink = abortingSink(controller, 10);
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 500, seed: 1 }, ctx(controller.signal, sink));
  assert.equal(result.stopReason, 'cancelled');
  assert.ok(result.points.length >= 10 && result.points.length <= 11, `points ${result.points.length}`);
});

/** The main series as the panel builds it from appends: a restart replaces what came before. */
function assembled(appends: readonly AppendParams[]): AppendParams['points'][number][] {
  let series: AppendParams['points'][number][] = [];
  for (const a of appends) series = a.restart === true ? [...a.points] : [...series, ...a.points];
  return series;
}

test('streamed points: one append per batch of points, in order, none dropped', async () => {
  const appends: AppendParams[] = [];
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 40, seed: 2, rangeTests: 1 }, ctx(undefined, { ...silentSink, append: (a) => appends.push(a) }));
  const streamed = appends.flatMap((a) => a.points);
  assert.equal(streamed.length, result.points.length);
  assert.deepEqual(streamed.map((p) => p.lr), result.points.map((p) => p.lr));
  assert.equal(result.rangeTests, undefined);
});

test('three range tests (the default): seeds 1-3, the headline is their median, and the curve streamed last (what the panel shows) is that test\'s', async () => {
  const appends: AppendParams[] = [];
  const fractions: number[] = [];
  const sink = { ...silentSink, append: (a: AppendParams) => appends.push(a), progress: (p: { fraction: number | null }) => (p.fraction === null ? undefined : fractions.push(p.fraction)) };
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 40, seed: 1, rangeRetries: 0, lrTrials: 0 }, ctx(undefined, sink));
  assert.ok(result.rangeTests !== undefined && result.recommended !== null);
  // One progress bar for the run: it never goes back, passes through each test's third, and ends full.
  assert.ok(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]! - 1e-12), fractions.join(' '));
  assert.ok(fractions.some((f) => f > 0.34 && f < 0.66) && fractions.some((f) => f > 0.67 && f < 0.99), fractions.join(' '));
  assert.ok(Math.abs(fractions.at(-1)! - 1) < 1e-9, `last ${fractions.at(-1)}`);
  assert.deepEqual(result.rangeTests.map((t) => t.seed), [1, 2, 3]);
  const singles: (number | null)[] = [];
  for (const seed of [1, 2, 3]) singles.push((await findLr({ kind: 'find-lr', model: tiny, steps: 40, seed, rangeRetries: 0, rangeTests: 1, lrTrials: 0 }, ctx())).recommended?.maxLr ?? null);
  // Each summary is that seed's own test, run alone.
  assert.deepEqual(result.rangeTests.map((t) => t.maxLr), singles);
  const sorted = singles.filter((x): x is number => x !== null).sort((a, b) => a - b);
  assert.equal(result.recommended.maxLr, sorted[Math.floor((sorted.length - 1) / 2)]);
  // Of the tests that gave a headline, and said so where one gave none ("(none, 0.0374, 0.299)" was "the median of 3").
  assert.ok(result.recommended.reason.startsWith(sorted.length === 3 ? 'the median of 3 range tests (' : `the median of the ${sorted.length} of 3 range tests that gave one (`), result.recommended.reason);
  if (sorted.length === 2) assert.match(result.recommended.reason, /, the lower of the middle two; the curve shown/);
  // The result's curve is the median test's (marked shown), which the panel ends up drawing; its settings are the run's, seed 1 as asked.
  const shown = result.rangeTests.find((t) => t.shown);
  assert.equal(shown?.maxLr, result.recommended.maxLr);
  // The shown test is not seed 1's here, so the run's seed (settings.seed) is told apart from the shown test's.
  assert.notEqual(shown?.seed, 1, 'the median test is test 1: this check of settings.seed would pass with the shown test\'s seed');
  assert.equal(result.settings.seed, 1);
  assert.equal(appends.filter((a) => a.restart === true).length >= 2, true);
  assert.deepEqual(assembled(appends).map((p) => [p.lr, p.loss]), result.points.map((p) => [p.lr, p.loss]));
  assert.ok(Math.abs(result.seconds - result.rangeTests.reduce((sum, t) => sum + t.seconds, 0)) < 1e-9);
});

test('a cancel during the second of three range tests: the run is cancelled, the first (whole) test is its result, the cut one is listed and no candidate, and the panel ends on the result', async () => {
  const controller = new AbortController();
  const appends: AppendParams[] = [];
  let restarts = 0;
  let second = 0;
  const sink = {
    ...silentSink,
    append: (a: AppendParams) => {
      appends.push(a);
      if (a.restart === true) restarts++;
      if (restarts === 1) second += a.points.length;
      // Late in the second test: its partial curve already reads a headline of its own.
      if (second >= 150) controller.abort();
    },
  };
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 200, seed: 1, rangeRetries: 0 }, ctx(controller.signal, sink));
  assert.ok(result.rangeTests !== undefined);
  assert.deepEqual(result.rangeTests.map((t) => [t.seed, t.stopReason === 'cancelled']), [[1, false], [2, true]]);
  assert.equal(result.settings.seed, 1);
  // The run was cancelled, and says so; its headline is the whole test's.
  assert.equal(result.stopReason, 'cancelled');
  assert.ok(result.warnings.includes('Cancelled: 1 of 3 range tests ran whole; the headline is read from that one.'), result.warnings.join('\n'));
  assert.match(result.recommended?.reason ?? '', /^the median of 1 range test \(\S+; the curve shown is test 1\): /);
  assert.deepEqual(assembled(appends).map((p) => [p.lr, p.loss]), result.points.map((p) => [p.lr, p.loss]));
});

test('a cancel during the second of three range tests on labels with nothing to learn: no headline, and the note says the whole test gave none (not "the headline is read from that one")', async () => {
  const controller = new AbortController();
  let restarts = 0;
  let second = 0;
  const sink = {
    ...silentSink,
    append: (a: AppendParams) => {
      if (a.restart === true) restarts++;
      if (restarts === 1) second += a.points.length;
      if (second >= 50) controller.abort();
    },
  };
  const noise = path.join(fixtures, 'randomLabels.js');
  const result = await findLr({ kind: 'find-lr', model: noise, steps: 100, seed: 1, rangeRetries: 0 }, ctx(controller.signal, sink));
  assert.equal(result.stopReason, 'cancelled');
  assert.equal(result.recommended, null, result.recommended?.reason);
  assert.ok(result.warnings.includes('Cancelled: 1 of 3 range tests ran whole; that one gave no recommended LR.'), result.warnings.join('\n'));
});

test('a cancel during the only range test (--range-tests 1) says so in a warning, as three tests do (it had stopReason cancelled and none)', async () => {
  const controller = new AbortController();
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 200, seed: 1, rangeRetries: 0, rangeTests: 1 }, ctx(controller.signal, abortingSink(controller, 60)));
  assert.equal(result.stopReason, 'cancelled');
  assert.match(result.warnings[0] ?? '', new RegExp(`^Cancelled: the range test was cut short after ${result.points.length} steps of 200; (it gave no recommended LR|the headline is read from the part that ran)\\.$`), result.warnings.join('\n'));
  assert.equal(/no recommended/.test(result.warnings[0]!), result.recommended === null);
});

test("a headline read from a range test the cancel cut short is marked cut and says so first, and no compiled-LR note is weighed against it (a user's cancel at 1,317 of 3,000 steps read \"recommended 2.9e-5 – 2.9e-4\" and \"the compiled 1e-3 is 3.4x above it\")", async () => {
  const controller = new AbortController();
  // Late enough in the sweep that its partial curve reads a headline.
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 200, seed: 1, rangeRetries: 0, rangeTests: 1, lrTrials: 0 }, ctx(controller.signal, abortingSink(controller, 150)));
  assert.equal(result.stopReason, 'cancelled');
  assert.ok(result.recommended !== null, result.warnings.join('\n'));
  assert.equal(result.recommended.cut, true);
  assert.match(result.recommended.reason, new RegExp(`^read from a range test the cancel cut short at LR ${formatLr(result.points.at(-1)!.lr).replace('.', '\\.')}, so the LRs above it were never tried \\(run it whole before using it\\): `));
  assert.ok(!result.warnings.some((w) => / compiles sgd with LR /.test(w)), result.warnings.join('\n'));
  // A whole test (no cancel) is not marked.
  const whole = await findLr({ kind: 'find-lr', model: tiny, steps: 60, seed: 1, rangeRetries: 0, rangeTests: 1, lrTrials: 0 }, ctx());
  assert.equal(whole.recommended?.cut, undefined);
});

test('--lr-trials: short 1cycle runs at a third of, at and at three times the range test\'s headline; the lowest early validation loss is the headline; the curve and the panel stay the range test\'s', async () => {
  const base = await findLr({ kind: 'find-lr', model: tiny, steps: 40, seed: 1, rangeRetries: 0, rangeTests: 1, lrTrials: 0 }, ctx());
  assert.ok(base.recommended !== null);
  const h = base.recommended.maxLr;
  const appends: AppendParams[] = [];
  const fractions: number[] = [];
  const sink = { ...silentSink, append: (a: AppendParams) => appends.push(a), progress: (p: { fraction: number | null }) => (p.fraction === null ? undefined : fractions.push(p.fraction)) };
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 40, seed: 1, rangeRetries: 0, rangeTests: 1, lrTrials: 30 }, ctx(undefined, sink));
  assert.ok(result.trials !== undefined && result.recommended !== null);
  assert.equal(result.trials.steps, 30);
  assert.ok(result.trials.seconds > 0, 'the short runs have their own seconds');
  const around = result.trials.around ?? Number.NaN;
  assert.equal(Number(around.toPrecision(3)), h, 'around the range test\'s headline (the result gives it as printed)');
  assert.deepEqual(result.trials.runs.map((r) => r.maxLr), [around / 3, around, around * 3].map((x) => Number(x.toPrecision(3))));
  const finished = result.trials.runs.filter((r) => r.earlyValLoss !== null);
  assert.ok(finished.length >= 2, JSON.stringify(result.trials));
  // A classifier's runs carry their validation accuracy, and the pick is core bestTrial's on the runs as reported.
  assert.ok(finished.every((r) => r.earlyValAccuracy !== null && r.earlyValAccuracy >= 0 && r.earlyValAccuracy <= 1), JSON.stringify(result.trials));
  const decision = bestTrial(result.trials.runs.map((r) => ({ label: String(r.maxLr), earlyValLoss: r.earlyValLoss, earlyValAccuracy: r.earlyValAccuracy, diverged: r.diverged })), result.baseline?.valLoss ?? result.baseline?.loss ?? null);
  assert.ok(decision.best !== null);
  const best = result.trials.runs[decision.best]!;
  assert.equal(result.trials.picked, best.maxLr);
  assert.equal(result.recommended.maxLr, best.maxLr);
  assert.equal(result.recommended.minLr, Number((best.maxLr / 10).toPrecision(3)));
  assert.match(result.recommended.reason, /^the best of short 1cycle runs of 30 steps around the range test's \S+ — early validation loss .*; the range test: /);
  // The range test itself is unchanged, and only its curve reaches the panel.
  assert.deepEqual(result.points, base.points);
  assert.ok(appends.every((a) => a.series === 'main'), [...new Set(appends.map((a) => a.series))].join(', '));
  // One progress bar: the range test fills its first half, the short runs the rest.
  assert.ok(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]! - 1e-12), fractions.join(' '));
  assert.ok(fractions.some((f) => f > 0.49 && f < 0.51) && fractions.some((f) => f > 0.99), fractions.join(' '));
  // ... and moves inside each short run, not only between them.
  assert.ok(fractions.some((f) => f > 0.52 && f < 0.66) && fractions.some((f) => f > 0.84 && f < 0.99), fractions.join(' '));
  assert.equal(base.trials, undefined, 'no trials with lrTrials 0');
});

test('by default find-lr runs 100-step trials after its range tests, and their pick is the headline (the rule scored on the advice bench)', async () => {
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 40, seed: 1, rangeRetries: 0, rangeTests: 1 }, ctx());
  assert.ok(result.trials !== undefined && result.recommended !== null);
  assert.equal(result.trials.steps, 100);
  assert.equal(result.trials.runs.length, 3);
  assert.ok(result.trials.picked !== null, JSON.stringify(result.trials));
  assert.equal(result.recommended.maxLr, result.trials.picked);
  assert.match(result.recommended.reason, /^the best of short 1cycle runs of 100 steps around the range test's .* — early validation loss \(mean of 2 seeds\) /);
  // Each candidate at two seeds (--trial-seeds, default 2).
  assert.equal(result.trials.seeds, 2);
  assert.ok(result.trials.runs.every((r) => r.bySeed !== undefined && r.bySeed.length >= 1), JSON.stringify(result.trials));
});

test('--trial-seeds: each candidate runs at consecutive seeds from --seed and is their mean; its first seed\'s run is the one-seed run to the bit; one that diverges at a seed is out and runs no more seeds', async () => {
  const request = { kind: 'find-lr' as const, model: tiny, steps: 40, seed: 1, rangeRetries: 0, rangeTests: 1, lrTrials: 30 };
  const one = await findLr({ ...request, trialSeeds: 1 }, ctx());
  const progress: string[] = [];
  const three = await findLr({ ...request, trialSeeds: 3 }, ctx(undefined, { ...silentSink, progress: (p: { message: string }) => progress.push(p.message) }));
  assert.ok(one.trials !== undefined && three.trials !== undefined);
  assert.equal(one.trials.seeds, 1);
  assert.equal(three.trials.seeds, 3);
  assert.ok(one.trials.runs.every((r) => r.bySeed === undefined), 'one seed: no bySeed');
  assert.deepEqual(three.trials.runs.map((r) => r.maxLr), one.trials.runs.map((r) => r.maxLr));
  let differ = false;
  for (const [i, run] of three.trials.runs.entries()) {
    const seeds = run.bySeed!;
    const single = one.trials.runs[i]!;
    assert.deepEqual(seeds.map((r) => r.seed), [1, 2, 3].slice(0, seeds.length));
    // The first seed is the one-seed run's seed: the same run, to the bit.
    assert.ok(Object.is(seeds[0]!.earlyValLoss, single.earlyValLoss) && seeds[0]!.diverged === single.diverged, `${run.maxLr}: ${JSON.stringify(seeds[0])} vs ${JSON.stringify(single)}`);
    if (seeds.some((r) => r.diverged)) {
      // Out at the first seed that diverged: no seed after it ran.
      assert.ok(run.diverged && run.earlyValLoss === null && seeds.findIndex((r) => r.diverged) === seeds.length - 1, JSON.stringify(run));
      continue;
    }
    assert.equal(seeds.length, 3);
    const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
    assert.equal(run.earlyValLoss, mean(seeds.map((r) => r.earlyValLoss!)));
    assert.equal(run.earlyValAccuracy, mean(seeds.map((r) => r.earlyValAccuracy!)));
    if (seeds.some((r) => r.earlyValLoss !== seeds[0]!.earlyValLoss)) differ = true;
  }
  assert.ok(differ, `the seeds ran the same runs: ${JSON.stringify(three.trials.runs)}`);
  // The pick is core bestTrial's on the means.
  const decision = bestTrial(three.trials.runs.map((r) => ({ label: String(r.maxLr), earlyValLoss: r.earlyValLoss, earlyValAccuracy: r.earlyValAccuracy, diverged: r.diverged })), three.baseline?.valLoss ?? three.baseline?.loss ?? null);
  assert.equal(three.trials.picked, decision.best === null ? null : three.trials.runs[decision.best]!.maxLr);
  assert.ok(progress.some((m) => /^Short 1cycle run 1 of 3 at max LR \S+, seed 2 \(2 of 3\)$/.test(m)), progress.join(' | '));
  assert.match(describeTrials(three.trials), /^3 short 1cycle runs of 30 steps, each at 3 seeds, in \S+ m?s, early validation loss \(accuracy\) per max LR \(the mean of its seeds\): /);
  // Out of range: named, before anything loads.
  await assert.rejects(findLr({ ...request, trialSeeds: 0 }, ctx()), /--trial-seeds/);
});

test('find-lr\'s trials evaluate only where their early validation loss is read (the last 3 of 10 points): the same loss to the bit as a run that evaluates all 10', async () => {
  assert.deepEqual(evaluationSteps(100), [9, 19, 29, 39, 49, 59, 69, 79, 89, 99]);
  assert.deepEqual(evaluationSteps(100, true), [79, 89, 99]);
  assert.deepEqual(evaluationSteps(25, true), evaluationSteps(25).slice(-3));
  const loaded = await loadForRun({ model: tiny, seed: 1 }, ctx());
  const choice = chooseOptimizer({}, loaded.compiledOptimizer, loaded.file);
  for (const maxLr of [0.05, 0.5, 5]) {
    const spec = { label: `trial at ${maxLr}`, lr: { maxLr, minLr: maxLr / 10 }, momentum: null, weightDecay: 0, steps: 40, batchSize: 16, seed: 1, valSamples: loaded.data.validation.count };
    const all = await shortRun(loaded, spec, choice.params, ctx(), false);
    const judged = await shortRun(loaded, spec, choice.params, ctx(), false, {}, 'judged');
    assert.equal(all.diverged, judged.diverged, `${maxLr}`);
    assert.ok(Object.is(all.earlyValLoss, judged.earlyValLoss), `${maxLr}: ${all.earlyValLoss} vs ${judged.earlyValLoss}`);
    if (!all.diverged) {
      assert.deepEqual(judged.records.map((r) => r.step), all.records.slice(-3).map((r) => r.step));
      assert.deepEqual(judged.records.map((r) => r.valLoss), all.records.slice(-3).map((r) => r.valLoss));
      // The accuracy the trials' rule reads (format 7) is the mean at those checkpoints: a share, the same either way.
      const accuracy = earlyValAccuracy(judged);
      assert.ok(accuracy !== null && accuracy >= 0 && accuracy <= 1, `${maxLr}: ${accuracy}`);
      assert.ok(Object.is(accuracy, earlyValAccuracy(all)), `${maxLr}`);
      assert.equal(accuracy, all.records.slice(-3).reduce((s, r) => s + r.valAccuracy!, 0) / 3);
    } else {
      assert.equal(earlyValAccuracy(judged), null);
    }
  }
});

test('--lr-trials cancelled during the short runs: the run is cancelled and keeps the range test\'s headline', async () => {
  const controller = new AbortController();
  const sink = { ...silentSink, progress: (p: { message: string }) => (p.message.startsWith('Short 1cycle run 2 of 3') ? controller.abort() : undefined) };
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 40, seed: 1, rangeRetries: 0, rangeTests: 1, lrTrials: 30 }, ctx(controller.signal, sink));
  const base = await findLr({ kind: 'find-lr', model: tiny, steps: 40, seed: 1, rangeRetries: 0, rangeTests: 1, lrTrials: 0 }, ctx());
  assert.equal(result.stopReason, 'cancelled');
  assert.equal(result.trials?.picked, null);
  assert.ok((result.trials?.runs.length ?? 0) <= 2);
  assert.deepEqual(result.recommended, base.recommended);
  assert.match(result.warnings[0] ?? '', /^Cancelled during the short runs/);
});

test('--lr-trials cancelled between a candidate\'s seeds: the candidate has no loss (its first seed\'s run is kept, whole), no other candidate runs, the run is cancelled', async () => {
  const controller = new AbortController();
  const sink = { ...silentSink, progress: (p: { message: string }) => (/^Short 1cycle run 1 of 3 at max LR \S+, seed 2 \(2 of 2\)$/.test(p.message) ? controller.abort() : undefined) };
  const result = await findLr({ kind: 'find-lr', model: tiny, steps: 40, seed: 1, rangeRetries: 0, rangeTests: 1, lrTrials: 30, trialSeeds: 2 }, ctx(controller.signal, sink));
  assert.equal(result.stopReason, 'cancelled');
  const trials = result.trials!;
  assert.equal(trials.picked, null);
  assert.equal(trials.runs.length, 1, JSON.stringify(trials.runs));
  const [first] = trials.runs;
  assert.ok(first!.earlyValLoss === null && first!.earlyValAccuracy === null && !first!.diverged, JSON.stringify(first));
  const [one, two] = first!.bySeed!;
  assert.ok(one!.seed === 1 && one!.earlyValLoss !== null && Number.isFinite(one!.earlyValLoss), JSON.stringify(first!.bySeed));
  assert.ok(two === undefined || (two.seed === 2 && two.earlyValLoss === null && !two.diverged), JSON.stringify(first!.bySeed));
  assert.match(result.warnings[0] ?? '', /^Cancelled during the short runs \(\S+ → cut short\): /);
});

test('bad options fail before anything loads, naming the option', async () => {
  await assert.rejects(findLr({ kind: 'find-lr', model: '/nonexistent/model.ts', startLr: 1, endLr: 0.1 }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'startLr');
  await assert.rejects(findLr({ kind: 'find-lr', model: tiny, batchSize: 100000 }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'batchSize');
  // linreg's loadData returns its own validation split: --validation-split 1.5 is refused all the same, not ignored.
  await assert.rejects(findLr({ kind: 'find-lr', model: path.join(fixtures, 'linreg.ts'), steps: 10, validationSplit: 1.5 }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'validationSplit');
  for (const lrTrials of [-1, 2.5, 1, 9]) {
    await assert.rejects(findLr({ kind: 'find-lr', model: '/nonexistent/model.ts', lrTrials }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'lrTrials', `lrTrials ${lrTrials}`);
  }
  for (const rangeTests of [0, 10, 1.5]) {
    await assert.rejects(findLr({ kind: 'find-lr', model: '/nonexistent/model.ts', rangeTests }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'rangeTests', `rangeTests ${rangeTests}`);
  }
});

test('short runs that barely learned (best above 80% of the baseline) get a caution naming the LRs to compare over whole epochs; runs that learned well get none', async () => {
  const noisy = await findLr({ kind: 'find-lr', model: path.join(fixtures, 'noisyLabels.js'), seed: 1, rangeTests: 1 }, ctx());
  assert.ok(noisy.trials !== undefined && noisy.trials.picked !== null && noisy.baseline !== null, JSON.stringify(noisy.trials));
  const caution = noisy.warnings.find((w) => w.startsWith('The short runs barely learned'));
  assert.ok(caution !== undefined, noisy.warnings.join(' | '));
  assert.match(caution, /^The short runs barely learned: the best ended at \S+ \(its 2 seeds' mean\), \S+ of the validation baseline .* the model learns slowly, or the labels leave little to learn .* lrlab train --max-lr [\d.e-]+, then [\d.e-]+, then [\d.e-]+\.$/);
  for (const run of noisy.trials.runs) assert.ok(caution.includes(String(Number(run.maxLr.toPrecision(3)))), `${run.maxLr} named`);
  const clean = await findLr({ kind: 'find-lr', model: tiny, seed: 1, rangeTests: 1, rangeRetries: 0, steps: 40 }, ctx());
  assert.ok(clean.trials?.picked !== null && clean.trials?.picked !== undefined);
  assert.ok(!clean.warnings.some((w) => w.includes('barely learned')), clean.warnings.join(' | '));
});

test('the accuracy lead on a real run: an Adam GRU\'s short runs rank 0.0214 first by loss, 0.0714 is over a point more accurate and is the recommendation, and the reason says why', async () => {
  // The advice bench's gru-adam-repeat, as find-lr runs it by default (three range tests, then the runs) at one
  // seed per run: at two (the default since) their mean loss ranks 0.0714 first as well, and the lead is not needed.
  const result = await findLr({ kind: 'find-lr', model: path.join(fixtures, 'gruRepeatAdam.js'), seed: 1, trialSeeds: 1 }, ctx());
  assert.ok(result.trials !== undefined && result.recommended !== null, JSON.stringify(result.warnings));
  const runs = result.trials.runs;
  const finished = runs.filter((r) => r.earlyValLoss !== null && r.earlyValAccuracy !== null);
  const lowest = finished.reduce((a, b) => (b.earlyValLoss! < a.earlyValLoss! ? b : a));
  const picked = runs.find((r) => r.maxLr === result.trials!.picked);
  assert.ok(picked !== undefined && picked !== lowest, `${listTrials(runs)}: the pick should not be the lowest loss`);
  assert.ok(picked.earlyValLoss! > lowest.earlyValLoss!);
  assert.ok(picked.earlyValAccuracy! - lowest.earlyValAccuracy! > 0.01, listTrials(runs));
  assert.equal(result.recommended.maxLr, picked.maxLr);
  assert.match(result.recommended.reason, new RegExp(`\\(${String(picked.maxLr).replace('.', '\\.')}: validation accuracy [\\d.]+% against [\\d.]+% at ${String(lowest.maxLr).replace('.', '\\.')}, the loss rule's pick: over (1 point|[\\d.]+ points \\(0\\.75 standard errors of [\\d.]+% on \\d+ validation samples\\)) more of the labels right\\)`));
  // The runs barely got below ln 2: the caution stands beside the pick.
  assert.ok(result.warnings.some((w) => w.startsWith('The short runs barely learned')), result.warnings.join(' | '));
});

test("a pick whose seeds split (one learned, one stayed at the mean) is a coin toss: one more run a step below it, which learned at both seeds, is the recommendation, and the reason says why", async () => {
  // The advice bench's blob-count-reg: 100-step runs at 0.0752 end at MSE 0.86 on seed 1 and at the
  // mean's 2.97 on seed 2; whole runs there collapse to the mean on some seeds (1cycle's best is ~0.01).
  const result = await findLr({ kind: 'find-lr', model: path.join(fixtures, 'countCollapse.js'), seed: 1 }, ctx());
  assert.ok(result.trials !== undefined && result.recommended !== null && result.baseline !== null, JSON.stringify(result.warnings));
  const runs = result.trials.runs;
  assert.equal(runs.length, 4, listTrials(runs));
  const [below, split] = [runs[0]!, runs[1]!];
  // The runs' best (the lowest mean loss of the three around the headline) is the one whose seeds split.
  assert.ok(split.bySeed!.some((s) => s.earlyValLoss! > 0.95 * result.baseline!.valLoss!) && split.bySeed!.some((s) => s.earlyValLoss! < 0.5 * result.baseline!.valLoss!), listTrials(runs));
  assert.ok(runs.slice(2).every((r) => r.earlyValLoss === null || r.earlyValLoss > split.earlyValLoss!), listTrials(runs));
  assert.equal(below.maxLr, Number((split.maxLr / 3).toPrecision(3)));
  assert.ok(below.bySeed!.every((s) => s.earlyValLoss! < 0.5 * result.baseline!.valLoss!), listTrials(runs));
  assert.equal(result.trials.picked, below.maxLr);
  assert.equal(result.recommended.maxLr, below.maxLr);
  assert.match(result.recommended.reason, new RegExp(`^one run below the best of short 1cycle runs of 100 steps around the range tests' \\S+ \\(${String(split.maxLr).replace('.', '\\.')}\\), whose seeds split — seed 2 \\(\\S+\\) learned nothing \\(the validation baseline is \\S+\\) where seed 1 \\(\\S+\\) learned: whole runs there are a coin toss; ${String(below.maxLr).replace('.', '\\.')} learned at every seed — early validation loss \\(mean of 2 seeds\\) `));
  // The pick's seeds agree: no coin-toss caution.
  assert.ok(!result.warnings.some((w) => w.includes('seeds disagree')), result.warnings.join(' | '));
  // Its range tests never got clearly below the baseline, but the runs learned: the curve's reasons no longer say to check the data.
  assert.match(result.reasons.range, /^nothing learned yet: the loss never got clearly below the loss of predicting the mean/);
  assert.ok(Object.values(result.reasons).every((r) => !r.includes('check the data')), JSON.stringify(result.reasons));
});

test('where no short run learned, the headline stays under an LR a short run diverged at (a regression\'s range tests read 0.0156, its 100-step run there diverged, whole runs went to NaN)', async () => {
  const result = await findLr({ kind: 'find-lr', model: path.join(fixtures, 'offsetRegression.js'), seed: 1 }, ctx());
  const trials = result.trials;
  assert.ok(trials !== undefined && trials.picked === null, 'no short run learned');
  const runs = [...(trials.earlier ?? []).flatMap((r) => r.runs), ...trials.runs];
  const diverged = runs.filter((r) => r.diverged).map((r) => r.maxLr);
  // The case itself: a run diverged at or below the range tests' headline.
  assert.ok(trials.around !== null && diverged.some((lr) => lr <= trials.around!), `around ${trials.around}, diverged at ${diverged.join(', ')}`);
  assert.ok(result.recommended !== null && result.recommended.maxLr < Math.min(...diverged), `recommended ${result.recommended?.maxLr}, diverged at ${diverged.join(', ')}`);
  assert.ok(runs.some((r) => r.maxLr === result.recommended!.maxLr && !r.diverged), 'a run that diverged at no seed');
  assert.match(result.recommended.reason, /below where a short 1cycle run diverged \(/);
  assert.ok(result.warnings.some((w) => new RegExp(`the recommended LR is ${result.recommended!.maxLr}, not the range tests' `).test(w)), result.warnings.join('\n'));
});

test('short runs whose validation loss learned nothing while their accuracy is far above chance (64 samples: confident mistakes) are said to have learned by their accuracy, not only "learned nothing"', async () => {
  const result = await findLr({ kind: 'find-lr', model: path.join(fixtures, 'tinyBlobs.js'), seed: 1 }, ctx());
  const earlier = result.trials?.earlier ?? [];
  assert.ok(earlier.some((r) => r.outcome === 'learned nothing'), JSON.stringify(earlier.map((r) => r.outcome)));
  assert.match(result.recommended?.reason ?? '', /learned nothing .* — nothing by their validation loss: their accuracy, up to \d+\.\d%, is clearly above the 33\.3% of always predicting the most frequent class, so confident mistakes kept their loss up/);
});

test('a range-test headline no short run confirmed says so first (an Adam LSTM read 0.0962, "a stretch a whole cycle can use", after nine short runs that learned nothing)', () => {
  const headline = { maxLr: 0.0962, minLr: 0.00962, reason: 'the median of 3 range tests (0.0962, none, none; the curve shown is test 1): a stretch a whole cycle can use', learned: true };
  const runs = [0.0321, 0.0962, 0.289, 0.0321, 0.0962, 0.289, 0.00357, 0.0107, 0.0321].map((maxLr) => ({ maxLr }));
  const said = notConfirmedByRuns(headline, runs);
  assert.equal(said.maxLr, 0.0962);
  assert.equal(said.learned, true);
  assert.equal(said.reason, `not confirmed by the short runs — none of them got clearly below the baseline (9 short 1cycle runs at 0.00357–0.289; the warnings say what to compare over whole epochs); ${headline.reason}`);
  assert.equal(notConfirmedByRuns(headline, []), headline);
  // One clearly below the baseline (100 steps that barely learned, then 300 that lost it): not "none got clearly
  // below" — a user's run at 0.0807 read 1.13 against 1.37, under the 1.3 the warning beside it calls clearly below.
  const barely = notConfirmedByRuns(headline, [{ maxLr: 0.0807, earlyValLoss: 1.13 }, { maxLr: 0.242, earlyValLoss: 1.27 }, { maxLr: 0.0807, earlyValLoss: 1.5 }], 1.37);
  assert.equal(barely.reason, `not confirmed by the short runs — none learned clearly enough to rank LRs by (3 short 1cycle runs at 0.0807–0.242, the lowest ending at 1.13 (at 0.0807) against the validation baseline 1.37; the warnings say what to compare over whole epochs); ${headline.reason}`);
  assert.match(notConfirmedByRuns(headline, [{ maxLr: 0.1, earlyValLoss: 1.36 }], 1.37).reason, /^not confirmed by the short runs — none of them got clearly below the baseline /);
});
