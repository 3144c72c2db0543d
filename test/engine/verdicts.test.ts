/**
 * Baselines, hints and verdicts on real tiny runs (real tfjs, real model files in
 * test/fixtures/verdicts): pure noise is not-learning, a separable task is good, a wide MLP on
 * 100 samples overfits, a GRU at the chance level is "nothing learned yet" (not "--start-lr is
 * too high"), a model that learns only at a high LR is told to raise --end-lr, and the model's own
 * metrics come back by their names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { curveWarnings, findLr, resolveFindLrSettings, riseEdge, unconfirmedForRecipe } from '../../src/engine/experiments/findLr';
import { RangeTestTracker, lrSweep } from '../../src/core/rangeTest';
import { blowUpEdge } from '../../src/core/headline';
import { backOffFromEdge, brokeDown } from '../../src/core/decisions';
import { curveShape } from '../../src/core/curveShape';
import { formatLr } from '../../src/protocol/format';
import { train } from '../../src/engine/experiments/train';
import { constantLabelsWarning, FEW_VALIDATION_SAMPLES } from '../../src/engine/session';
import { Reporter, silentSink } from '../../src/engine/reporter';
import type { TrainRequest } from '../../src/protocol/requests';
import type { RangeCurve } from '../../src/engine/experiments/findLr';

const fixtures = path.join(__dirname, '..', 'fixtures', 'verdicts');
const model = (name: string): string => path.join(fixtures, name);
const tiny = path.join(__dirname, '..', 'fixtures', 'engine', 'tinyClassifier.js');
const ctx = (): { reporter: Reporter; signal: AbortSignal } => ({ reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal });
const trainOn = (name: string, options: Partial<TrainRequest>): ReturnType<typeof train> => train({ kind: 'train', model: model(name), seed: 1, ...options }, ctx());

test('a classifier under a loss with no baseline (label-smoothed softmaxCrossEntropy, the user\'s function): at chance accuracy all run it is not-learning, read from accuracy; one that learned is not', async () => {
  const random = await trainOn('labelSmoothedRandom.ts', { schedule: { maxLr: 0.3 }, epochs: 4 });
  assert.equal(random.baseline, null);
  assert.ok(random.warnings.some((w) => w.startsWith('No baseline')), random.warnings.join(' | '));
  assert.equal(random.diagnosis.verdict, 'not-learning', random.diagnosis.reason);
  // The chance accuracy is the validation labels' most frequent class, on all 600 of them.
  assert.match(random.diagnosis.reason, /^Validation accuracy stayed at chance over 4 epochs \([\d.]+% → [\d.]+%, highest [\d.]+%; always predicting the most frequent class scores 3\d\.\d% on the 600 validation samples\): the model learned nothing that generalizes\. Its loss has no baseline to judge it by/);
  const learned = await trainOn('labelSmoothed.ts', { schedule: { maxLr: 0.3 }, epochs: 4 });
  assert.equal(learned.baseline, null);
  assert.ok(learned.history.at(-1)!.valMetrics['accuracy']! > 0.8, JSON.stringify(learned.history.at(-1)));
  // The run's own accuracy is read as the model's accuracy metric reads it (it was null under a custom loss).
  assert.equal(learned.history.at(-1)!.valAccuracy, learned.history.at(-1)!.valMetrics['accuracy']);
  assert.notEqual(learned.diagnosis.verdict, 'not-learning', learned.diagnosis.reason);
  // --val-samples judges on part of the split: the chance read on all of it says nothing there.
  const part = await trainOn('labelSmoothedRandom.ts', { schedule: { maxLr: 0.3 }, epochs: 4, valSamples: 100 });
  assert.doesNotMatch(part.diagnosis.reason, /stayed at chance/);
});

test('find-lr under a loss with no baseline: short runs whose accuracy stayed at chance do not confirm their pick — unconfirmed, first, and a warning; runs that learned do', async () => {
  const random = await findLr({ kind: 'find-lr', model: model('labelSmoothedRandom.ts'), seed: 1, rangeTests: 1, lrTrials: 30, trialSeeds: 1 }, ctx());
  assert.equal(random.baseline, null);
  assert.ok(random.recommended !== null && random.trials !== undefined && random.trials.runs.length > 0);
  assert.equal(random.recommended.learned, false);
  assert.match(random.recommended.reason, /^unconfirmed — no short run's validation accuracy got clearly above the 3\d\.\d% of always predicting the most frequent class \(up to [\d.]+%\), and the loss has no baseline to tell by, so this is the runs' lowest loss, not an LR seen to train; (half a step below )?the best of short 1cycle runs/);
  assert.doesNotMatch(random.recommended.reason, /nothing was seen to learn: no range test/, 'marked once');
  assert.ok(random.warnings.some((w) => /^The short runs learned nothing that shows: no short run's validation accuracy/.test(w)), random.warnings.join(' | '));
  const learned = await findLr({ kind: 'find-lr', model: model('labelSmoothed.ts'), seed: 1, rangeTests: 1, lrTrials: 30, trialSeeds: 1 }, ctx());
  assert.equal(learned.recommended?.learned, true, learned.recommended?.reason);
  assert.doesNotMatch(learned.recommended.reason, /unconfirmed/);
});

test('pure-noise targets: baseline = the label variance, verdict not-learning; compile metrics [mae] come back as metrics.mae / valMetrics.mae', async () => {
  const r = await trainOn('noiseRegression.ts', { schedule: { maxLr: 0.05 }, epochs: 4 });
  assert.equal(r.baseline?.kind, 'mean');
  // Targets 3 + 2·N(0, 1): variance ≈ 4.
  assert.ok(r.baseline.loss > 3.5 && r.baseline.loss < 4.5, `baseline ${r.baseline.loss}`);
  assert.equal(r.diagnosis.verdict, 'not-learning', r.diagnosis.reason);
  assert.match(r.diagnosis.reason, /^Validation loss stayed at the baseline over 4 epochs .*baseline: the loss of predicting the mean/);
  // Training loss at its baseline too: a constant prediction; the reason says how to tell "cannot learn" from "collapsed".
  assert.match(r.diagnosis.reason, /Its training loss is at its baseline too \([\d.]+\): it fits the training set no better than a constant prediction would.* Train again at a max LR 3–10x lower to tell/);
  for (const h of r.history) {
    assert.deepEqual(Object.keys(h.metrics), ['mae']);
    assert.deepEqual(Object.keys(h.valMetrics), ['mae']);
    assert.equal(h.valAccuracy, null, 'a regression has no accuracy');
  }
  // MAE of predicting about the mean of N(3, 2²): 2·√(2/π) ≈ 1.6.
  const mae = r.history.at(-1)!.valMetrics['mae']!;
  assert.ok(mae > 1.3 && mae < 1.9, `val mae ${mae}`);
});

test('Huber loss (tf.losses.huberLoss as the loss function) has its baseline: pure noise is not-learning, not "good"', async () => {
  // A user's LSTM forecaster under Huber read "good: in balance" at every LR, a constant predictor included.
  const r = await trainOn('noiseHuber.ts', { schedule: { maxLr: 0.3 }, epochs: 6 });
  assert.equal(r.baseline?.kind, 'mean');
  assert.equal(r.baseline.constant, 'fitted');
  // E[huber(2Z)] for Z ~ N(0, 1) ≈ 1.16 (at the best constant, near the centre 3).
  assert.ok(r.baseline.loss > 1.0 && r.baseline.loss < 1.3, `baseline ${r.baseline.loss}`);
  // What the model ends at is what tfjs computes for the constant: the baseline is the loss of the same function.
  const last = r.history.at(-1)!;
  assert.ok(last.valLoss !== null && Math.abs(last.valLoss - r.baseline.valLoss!) < 0.05 * r.baseline.valLoss!, `val ${last.valLoss} against ${r.baseline.valLoss}`);
  assert.equal(r.diagnosis.verdict, 'not-learning', r.diagnosis.reason);
  assert.match(r.diagnosis.reason, /baseline: the loss of the best constant prediction, 1\.\d+\)/);
  assert.ok(!r.warnings.some((w) => w.startsWith('No baseline')), r.warnings.join(' | '));
  // A user's own function named huber is taken at its name only where it scores the best constant as Huber δ 1 does: with δ 2 it has no baseline, and says why.
  const other = await trainOn('noiseHuberDelta.ts', { schedule: { maxLr: 0.3 }, epochs: 3 });
  assert.equal(other.baseline, null);
  assert.ok(other.warnings.some((w) => /^No baseline \(the loss of a model that learned nothing\): no baseline: the loss function 'huber', given the best constant prediction under Huber loss \(δ 1\), scores [\d.]+ where that loss is [\d.]+, so it computes another loss than its name says/.test(w)), other.warnings.join(' | '));
  // Labels near 1e25: tfjs's MSE overflows float32 — the same loss, not "another δ, a weighting …".
  const huge = await trainOn('hugeLabels.js', { schedule: { maxLr: 0.01 }, epochs: 2, batchSize: 32 });
  assert.equal(huge.baseline, null);
  assert.ok(huge.warnings.some((w) => /no baseline: the loss of the best constant prediction is [\d.e+]+, beyond what float32 \(tfjs's number type\) holds, so 'meanSquaredError' reads Infinity on these labels — they are too large to train on as they are/.test(w)), huge.warnings.join(' | '));
  assert.ok(!huge.warnings.some((w) => /computes another loss than its name says/.test(w)), huge.warnings.join(' | '));
  // An arrow around tf.losses.huberLoss, with no name LR Lab knows, is known by its values: Huber's baseline (it had none).
  const arrow = await trainOn('noiseHuberArrow.ts', { schedule: { maxLr: 0.3 }, epochs: 3 });
  assert.ok(arrow.baseline !== null && Math.abs(arrow.baseline.loss - r.baseline.loss) < 1e-6, `arrow baseline ${arrow.baseline?.loss} against ${r.baseline.loss}`);
  assert.ok(!arrow.warnings.some((w) => w.startsWith('No baseline')), arrow.warnings.join(' | '));
});

test('a separable task: 100% validation accuracy, verdict good (converged), the metric keyed "acc" as the model names it', async () => {
  const r = await trainOn('separable.ts', { schedule: { maxLr: 0.5 }, epochs: 4 });
  assert.ok(Math.abs(r.baseline!.loss - Math.log(2)) < 1e-9, 'balanced binary: ln 2');
  assert.equal(r.diagnosis.verdict, 'good', r.diagnosis.reason);
  assert.match(r.diagnosis.reason, /^Converged: 100% validation accuracy/);
  assert.equal(r.history.at(-1)!.valMetrics['acc'], 1);
  assert.deepEqual(Object.keys(r.history[0]!.metrics), ['acc']);
});

test('a wide MLP on 100 samples: validation loss turns up while training loss falls → overfitting', async () => {
  const r = await trainOn('overfit.ts', { policy: 'constant', schedule: { lr: 0.1 }, epochs: 15, batchSize: 20 });
  assert.equal(r.diagnosis.verdict, 'overfitting', r.diagnosis.reason);
  assert.match(r.diagnosis.reason, /^Validation loss bottomed at epoch \d+ .* while the training loss kept falling/);
});

test('a regression at a too-high LR ends predicting the mean (MSE ≈ label variance): unstable (collapsed), never "good" or "overfitting"', async () => {
  // 0.04: its units die in epoch 1. (At 0.05, since main's faster kernels changed the rounding, the collapsed run blows up again in epoch 4.)
  const r = await trainOn('mlpRegression.ts', { policy: 'constant', schedule: { lr: 0.04 }, epochs: 4 });
  const last = r.history.at(-1)!.valLoss!;
  assert.ok(Math.abs(last - r.baseline!.valLoss!) < 0.05 * r.baseline!.valLoss!, `val MSE ${last} vs variance ${r.baseline!.valLoss}`);
  assert.equal(r.diagnosis.verdict, 'unstable', r.diagnosis.reason);
  assert.match(r.diagnosis.reason, /^Collapsed: .*both losses ended at the baseline .*: the model predicts a constant/);
});

test('a regression whose training loss rose too: unstable (too high an LR), not overfitting', async () => {
  const r = await trainOn('mlpRegression.ts', { policy: 'constant', schedule: { lr: 0.02 }, epochs: 6 });
  assert.notEqual(r.diagnosis.verdict, 'overfitting');
  assert.match(r.diagnosis.reason, /^Unstable: the training loss rose from .* That is a too-high LR, not overfitting/);
});

test('range test: an embedding+GRU at the chance level for the whole default test is "nothing learned yet", not "--start-lr is too high"', async () => {
  // The range test's reasons are the subject: one test (the three of the default give the same reasons, three times the
  // GRU's time) and no short runs (from where the test stopped they take a GRU ~40 s).
  const r = await findLr({ kind: 'find-lr', model: model('gruAtChance.ts'), seed: 2, rangeRetries: 0, rangeTests: 1, lrTrials: 0 }, ctx());
  assert.ok(Math.abs(r.baseline!.loss - Math.log(2)) < 0.01, `baseline ${r.baseline?.loss}`);
  assert.equal(r.range, null);
  for (const reason of Object.values(r.reasons)) {
    assert.match(reason, /^nothing learned yet: the loss never got clearly below the chance level 0\.693/);
    assert.match(reason, /run more --steps/);
    assert.doesNotMatch(reason, /already too high/);
  }
  assert.ok(!r.warnings.some((w) => /start-lr/.test(w) && !/cannot help/.test(w)), r.warnings.join('\n'));
});

test('range test: random labels are "nothing learned yet"; a model that learns only at a high LR is told to raise --end-lr, and then it finds one', async () => {
  // The range tests' reasons and range are the subject: no short runs after them.
  const random = await findLr({ kind: 'find-lr', model: model('randomLabels.ts'), seed: 1, rangeRetries: 0, lrTrials: 0 }, ctx());
  assert.equal(random.range, null);
  assert.match(random.reasons.range, /^nothing learned yet: .*the chance level 0\.693/);
  const low = await findLr({ kind: 'find-lr', model: model('highLr.ts'), seed: 1, rangeRetries: 0, lrTrials: 0 }, ctx());
  assert.equal(low.range, null);
  assert.match(low.reasons.range, /^nothing learned yet: .*: run more --steps \(e\.g\. --steps 300\) or raise --end-lr/);
  const high = await findLr({ kind: 'find-lr', model: model('highLr.ts'), seed: 1, endLr: 1e4, rangeRetries: 0, lrTrials: 0 }, ctx());
  assert.ok(high.range !== null && high.range.maxLr > 10, high.reasons.range);
});

test('find-lr: range tests that never clear the baseline read the headline from the curve and say so; short runs that learn replace that caution with what they showed', async () => {
  // Pure-noise targets: the short runs learn nothing either, so the caution (and its advice to check the data) stays.
  const noise = await findLr({ kind: 'find-lr', model: model('noiseRegression.ts'), seed: 1, rangeTests: 1, lrTrials: 20 }, ctx());
  assert.equal(noise.trials?.picked, null);
  assert.ok(noise.recommended !== null);
  // The 20-step runs learned nothing, so the same LRs ran 60 steps; those learned nothing either, so 9x lower
  // LRs ran 60 steps, and learned nothing: the range test's headline stands.
  assert.deepEqual([noise.trials.earlier?.map((r) => [r.steps, r.outcome]), noise.trials.steps], [[[20, 'learned nothing'], [60, 'still learned nothing']], 60]);
  assert.match(noise.warnings.find((w) => w.startsWith('Short 1cycle runs')) ?? '', /^Short 1cycle runs of 60 steps \(.*\) \(before them, runs of 20 steps learned nothing \(.*\), so the same LRs ran 3x as long; runs of 60 steps learned nothing either \(.*\), so 9x lower LRs ran as long\): no short run got clearly below the validation baseline .*; the recommended LR is the range test's\. .*or try longer short runs \(--lr-trials 180\)\.$/);
  assert.ok(noise.warnings.some((w) => w.startsWith('The recommended LR is read from the curve alone: nothing learned yet')), noise.warnings.join(' | '));
  // Unconfirmed, first: for code (learned: false) and in the reason the CLI prints on its first line.
  assert.equal(noise.recommended.learned, false);
  assert.match(noise.recommended.reason, /^unconfirmed — nothing was seen to learn: no range test and no short 1cycle run got clearly below the baseline, so this is where the loss curve bottoms out, not an LR seen to train \(the warnings say what to compare\); \S/);
  // The recipe shows none of find-lr's warnings: its confirming run is the comparison they name (a recipe's
  // range-test line read "(the warnings say what to compare)" above no warning).
  assert.match(unconfirmedForRecipe(noise.recommended.reason), /not an LR seen to train \(the confirming run, step 5, shows whether it trains\); \S/);
  assert.equal(unconfirmedForRecipe('a confirmed reason'), 'a confirmed reason');
  // Without short runs, the range test alone.
  const alone = await findLr({ kind: 'find-lr', model: model('noiseRegression.ts'), seed: 1, rangeTests: 1, lrTrials: 0 }, ctx());
  assert.equal(alone.recommended?.learned, false);
  assert.match(alone.recommended.reason, /^unconfirmed — nothing was seen to learn: no range test got clearly below the baseline, /);
  // A regression whose range tests stay above the mean's loss but whose 1cycle runs learn it.
  const mae = await findLr({ kind: 'find-lr', model: model('maeConv1d.ts'), seed: 1 }, ctx());
  assert.ok(mae.trials?.picked !== null && mae.trials?.picked !== undefined, 'the short runs picked');
  assert.equal(mae.recommended?.maxLr, mae.trials.picked);
  assert.equal(mae.recommended.learned, true);
  assert.doesNotMatch(mae.recommended.reason, /unconfirmed/);
  const picked = mae.trials.runs.find((r) => r.maxLr === mae.trials!.picked)!;
  assert.ok(picked.earlyValLoss !== null && mae.baseline?.valLoss !== undefined && mae.baseline.valLoss !== null && picked.earlyValLoss < mae.baseline.valLoss / 5, `${picked.earlyValLoss} against ${mae.baseline?.valLoss}`);
  assert.ok(!mae.warnings.some((w) => w.includes('read from the curve alone') || w.includes('check the data and labels')), mae.warnings.join(' | '));
  assert.ok(mae.warnings.some((w) => /^\d of 3 range tests never got clearly below the baseline, but the short 1cycle runs learned \(at \S+: validation loss \S+ against the validation baseline \S+\): the recommended LR is the runs', not the curve's\.$/.test(w)), mae.warnings.join(' | '));
});

test('find-lr: short runs around the headline that all learned nothing run again 3x as long, once, and the longer runs\' pick is the headline', async () => {
  // A deep tanh MLP with a tiny initialization: 20-step 1cycle runs stay at chance, 60-step runs learn.
  const messages: string[] = [];
  const reporter = new Reporter('t', { ...silentSink, progress: (p) => messages.push(p.message) }, 0);
  const r = await findLr({ kind: 'find-lr', model: model('slowStart.ts'), seed: 1, rangeTests: 1, lrTrials: 20 }, { reporter, signal: new AbortController().signal });
  const trials = r.trials!;
  const first = trials.earlier?.[0];
  assert.ok(first !== undefined && trials.earlier?.length === 1 && first.outcome === 'learned nothing', JSON.stringify(trials));
  assert.deepEqual([first.steps, trials.steps], [20, 60]);
  assert.deepEqual(trials.runs.map((x) => x.maxLr), first.runs.map((x) => x.maxLr), 'the same LRs');
  const baseline = r.baseline?.valLoss ?? null;
  assert.ok(baseline !== null);
  for (const x of first.runs) assert.ok(x.earlyValLoss !== null && x.earlyValLoss > 0.95 * baseline, `first round learned nothing: ${JSON.stringify(first.runs)}`);
  assert.ok(trials.picked !== null && r.recommended !== null, JSON.stringify(trials));
  const k = trials.runs.findIndex((x) => x.maxLr === trials.picked);
  const picked = trials.runs[k]!;
  assert.ok(picked.earlyValLoss !== null && picked.earlyValLoss < 0.5 * baseline, `the longer run learned: ${picked.earlyValLoss} against ${baseline}`);
  // The longer runs' pick is the headline (here the highest LR, at the blow-up edge: half a step below it).
  assert.equal(r.recommended.maxLr, backOffFromEdge(picked.maxLr, k > 0 ? trials.runs[k - 1]!.maxLr : null, blowUpEdge(r.points)) ?? picked.maxLr);
  assert.match(r.recommended.reason, /^(half a step below )?the best of short 1cycle runs of 60 steps around the range test's \S+ (\(.*\): it sits at .* )?— early validation loss .* \(runs of 20 steps learned nothing \(.*\), so the same LRs ran 3x as long\); the range test: /);
  // Three LRs at two seeds each (--trial-seeds' default).
  assert.ok(messages.filter((m) => m.startsWith('Longer 1cycle run (60 steps; the short ones learned nothing)')).length === 3 * trials.seeds && trials.seeds === 2, messages.join(' | '));
  // Runs that learn the first time are not repeated.
  const once = await findLr({ kind: 'find-lr', model: model('separable.ts'), seed: 1, rangeTests: 1, lrTrials: 20 }, ctx());
  assert.equal(once.trials?.earlier, undefined);
  assert.equal(once.trials?.steps, 20);
});

test('find-lr: runs 3x as long that learned nothing either are followed by runs 9x lower at that length, once, and their pick is the headline', async () => {
  // A five-layer sigmoid MLP under Adam, half its labels coin flips: its range tests read ~1.07, where
  // 1cycle collapses to chance; nothing is learned around it in 100 steps nor in 300, and 9x lower it learns.
  const messages: string[] = [];
  const reporter = new Reporter('t', { ...silentSink, progress: (p) => messages.push(p.message) }, 0);
  const r = await findLr({ kind: 'find-lr', model: model('deepSigmoidCoinLabels.ts'), seed: 1 }, { reporter, signal: new AbortController().signal });
  const trials = r.trials!;
  const baseline = r.baseline?.valLoss ?? null;
  assert.ok(baseline !== null && trials.around !== null);
  const [first, longer] = trials.earlier ?? [];
  assert.ok(first !== undefined && longer !== undefined && trials.earlier?.length === 2, JSON.stringify(trials));
  assert.deepEqual([first.outcome, longer.outcome], ['learned nothing', 'still learned nothing']);
  assert.deepEqual([first.steps, longer.steps, trials.steps], [100, 300, 300]);
  assert.deepEqual(longer.runs.map((x) => x.maxLr), first.runs.map((x) => x.maxLr), 'the longer round: the same LRs');
  for (const x of longer.runs) assert.ok(x.diverged || (x.earlyValLoss !== null && x.earlyValLoss > 0.95 * baseline), `the longer round learned nothing either: ${JSON.stringify(longer.runs)}`);
  assert.deepEqual(trials.runs.map((x) => x.maxLr), [1 / 27, 1 / 9, 1 / 3].map((f) => Number((trials.around! * f).toPrecision(3))), 'the lower round: 9x lower');
  assert.ok(trials.picked !== null && trials.picked < trials.around / 3 && r.recommended?.maxLr === trials.picked, JSON.stringify(trials));
  const picked = trials.runs.find((x) => x.maxLr === trials.picked)!;
  assert.ok(picked.earlyValLoss !== null && picked.earlyValLoss < 0.9 * baseline, `the lower runs learned: ${picked.earlyValLoss} against ${baseline}`);
  assert.match(r.recommended.reason, /^the best of short 1cycle runs of 300 steps around \S+, 9x below the range tests' \S+ — early validation loss .* \(runs of 100 steps learned nothing \(.*\), so the same LRs ran 3x as long; runs of 300 steps learned nothing either \(.*\), so 9x lower LRs ran as long\); the range tests: /);
  // The lower round's top LR is the longer round's lowest, at the same length and seeds: taken from it, not run again.
  const again = trials.runs.filter((x) => longer.runs.some((l) => l.maxLr === x.maxLr));
  assert.deepEqual(again.map((x) => x.maxLr), [longer.runs[0]!.maxLr]);
  assert.deepEqual(again[0], longer.runs[0]);
  assert.equal(messages.filter((m) => m.startsWith('Lower 1cycle run (the longer ones learned nothing either)')).length, 2 * trials.seeds, messages.join(' | '));
});

test('find-lr: short runs around the headline whose best barely learned run again 3x as long, once; where the labels leave little to learn, the longer runs still barely learn and the caution stays', async () => {
  // 28% of the labels flipped: no run can end below 86% of ln 2, however long.
  const messages: string[] = [];
  const reporter = new Reporter('t', { ...silentSink, progress: (p) => messages.push(p.message) }, 0);
  const r = await findLr({ kind: 'find-lr', model: model('flippedLabels.ts'), seed: 1, rangeTests: 1, lrTrials: 20 }, { reporter, signal: new AbortController().signal });
  const trials = r.trials!;
  const baseline = r.baseline?.valLoss ?? null;
  assert.ok(baseline !== null);
  const first = trials.earlier?.[0];
  assert.ok(first !== undefined && trials.earlier?.length === 1 && first.outcome === 'barely learned', JSON.stringify(trials));
  assert.deepEqual([first.steps, trials.steps], [20, 60]);
  assert.deepEqual(trials.runs.map((x) => x.maxLr), first.runs.map((x) => x.maxLr), 'the same LRs');
  // The first round learned (its best clearly below the baseline), but barely: above 80% of it.
  const best = Math.min(...first.runs.map((x) => x.earlyValLoss ?? Infinity));
  assert.ok(best < 0.95 * baseline && best > 0.8 * baseline, `first round: ${JSON.stringify(first.runs)} against ${baseline}`);
  // The longer round decides (its pick is the headline) and, still barely learned, runs no third round.
  assert.ok(trials.picked !== null && r.recommended?.maxLr === trials.picked, JSON.stringify(trials));
  const picked = trials.runs.find((x) => x.maxLr === trials.picked)!;
  assert.ok(picked.earlyValLoss !== null && picked.earlyValLoss > 0.8 * baseline, `${picked.earlyValLoss} against ${baseline}`);
  assert.match(r.recommended.reason, /^the best of short 1cycle runs of 60 steps around the range test's \S+ .*\(runs of 20 steps barely learned \(.*: the best ended above 80% of the baseline, where their order says little\), so the same LRs ran 3x as long\); the range test: /);
  assert.match(r.warnings[0] ?? '', /^The short runs barely learned: the best ended at \S+ \(its 2 seeds' mean\), 8\d\.\d% of the validation baseline 0\.693 .* so at 60 steps their order says little\./);
  assert.equal(messages.filter((m) => m.startsWith('Longer 1cycle run (60 steps; the short ones barely learned)')).length, 3 * trials.seeds, messages.join(' | '));
});

test('find-lr: short runs that pick the LR at the range tests\' blow-up edge are backed off half a step; the runs and their pick stay as they ran', async () => {
  // A custom layer between two dense layers (a user style): its runs pick the highest LR tried, 3x the
  // headline, which the headline was capped 3x below: the edge where the loss climbs back above its start.
  const r = await findLr({ kind: 'find-lr', model: model('scaleLayer.ts'), seed: 1 }, ctx());
  const trials = r.trials!;
  const runs = trials.runs.map((x) => x.maxLr);
  assert.equal(trials.picked, runs[2], JSON.stringify(trials));
  const edge = blowUpEdge(r.points);
  assert.ok(edge !== null && trials.picked * Math.sqrt(3) >= edge, `edge ${edge}, pick ${trials.picked}`);
  assert.equal(r.recommended?.maxLr, Number(Math.sqrt(runs[2]! * runs[1]!).toPrecision(3)));
  assert.equal(r.recommended.minLr, Number((r.recommended.maxLr / 10).toPrecision(3)));
  assert.match(r.recommended.reason, /^half a step below the best of short 1cycle runs of 100 steps around the range tests' \S+ \(\S+, between it and \S+\): it sits at the shown range test's blow-up edge \(the loss climbs back above its start at \S+\), where whole runs can break down — early validation loss /);
});

test('find-lr on a range test whose training loss reaches zero: the headline is where it got there, not the last point read, and the short runs around it pick an LR that learns', async () => {
  // RMSprop conv1d + GRU: its training batches are fitted to ~1e-3 by LR 0.4 and the loss creeps on to 2e-5 at 10. Read
  // at its last point it was ~4 ("still falling"), where 1cycle ends far worse than chance, and only short runs that
  // broke down and a round 9x lower found 0.146; 1cycle learns it from 0.003 to 0.5.
  const r = await findLr({ kind: 'find-lr', model: model('gruMotifRmsprop.ts'), seed: 1, rangeTests: 1, lrTrials: 20 }, ctx());
  const trials = r.trials!;
  const baseline = r.baseline?.valLoss ?? null;
  assert.ok(baseline !== null && trials.around !== null);
  assert.ok(trials.around > 0.2 && trials.around < 1, `the range test's headline ${trials.around}`);
  assert.match(r.recommended?.reason ?? '', /the range test: where the loss reaches zero \(under 0\.1% of its start: the batches are fitted perfectly from there, and lower readings are rounding\)/);
  assert.equal(trials.earlier, undefined, JSON.stringify(trials.earlier));
  assert.ok(trials.picked !== null && trials.picked >= 0.003 && trials.picked <= 0.5 && r.recommended?.maxLr === trials.picked, JSON.stringify(trials));
  const picked = trials.runs.find((x) => x.maxLr === trials.picked)!;
  assert.ok(picked.earlyValLoss !== null && picked.earlyValLoss < 0.8 * baseline, `${picked.earlyValLoss} against ${baseline}`);
});

test('find-lr on a regression whose labels sit far from 0 (mean 300): a warning names the offset and both fixes; short runs that ended far above the baseline but far below where they started did not break down — they run 3x as long, not 9x lower', async () => {
  const r = await findLr({ kind: 'find-lr', model: model('offCentre.ts'), seed: 1, rangeTests: 1, lrTrials: 20 }, ctx());
  const warning = r.warnings.find((w) => w.startsWith("The freshly built model's outputs start far from the labels"));
  assert.match(warning ?? r.warnings.join('\n'), /it predicts \S+ on average where the labels average 30\d \(σ 1\d\.\d\), so its predictions cost \d+x the baseline \(the loss of predicting the labels' mean\)\..* Standardize the labels \(subtract 30\d and divide by 1\d\.\d, then undo it on predictions\), or start the output layer's bias at 30\d \(biasInitializer: tf\.initializers\.constant\(\{ value: 30\d \}\)\)\.$/);
  const baseline = r.baseline!.valLoss!;
  const start = curveShape(r.points)!.start;
  assert.ok(start > 100 * baseline, `start ${start}, baseline ${baseline}`);
  // The first 20-step runs: every one above 1.5x the baseline (what alone read as broken down) and below the start.
  const first = r.trials?.earlier?.[0];
  assert.ok(first !== undefined && first.outcome === 'learned nothing' && first.steps === 20, JSON.stringify(r.trials));
  for (const x of first.runs) assert.ok(!x.diverged && x.earlyValLoss! > 1.5 * baseline && x.earlyValLoss! < start, JSON.stringify(first.runs));
  assert.equal(brokeDown(first.runs, baseline), true);
  assert.equal(brokeDown(first.runs, baseline, start), false);
  // 3x as long at the same LRs; they learned, and the pick is theirs.
  assert.equal(r.trials!.steps, 60);
  assert.deepEqual(r.trials!.runs.map((x) => x.maxLr), first.runs.map((x) => x.maxLr));
  assert.ok(r.trials!.picked !== null && r.recommended?.maxLr === r.trials!.picked, JSON.stringify(r.trials));
  // Runs too short to get there learned nothing: the warning on them names the outputs' start first, not
  // only "its labels hold little its inputs can predict".
  const short = await findLr({ kind: 'find-lr', model: model('offCentre.ts'), seed: 1, rangeTests: 1, lrTrials: 10, trialSeeds: 1 }, ctx());
  assert.equal(short.trials?.picked, null);
  assert.match(short.warnings.find((w) => w.startsWith('Short 1cycle runs')) ?? short.warnings.join('\n'), /the recommended LR is the range test's\. The model's outputs start far from the labels \(a warning says how far, and the fix\), and short runs spend their steps getting there: fix that first, then run find-lr again\. Else this model learns slowly/);
  // train says the same about the labels; a regression centred near 0 (mlpRegression: mean 3, σ about 6.5) gets no such warning.
  const t = await trainOn('offCentre.ts', { schedule: { maxLr: 0.3 }, epochs: 1 });
  assert.ok(t.warnings.includes(warning!), t.warnings.join('\n'));
  const centred = await trainOn('mlpRegression.ts', { schedule: { maxLr: 0.05 }, epochs: 1 });
  assert.ok(!centred.warnings.some((w) => /outputs start far from the labels/.test(w)), centred.warnings.join('\n'));
});

test('tf.losses ops given as functions: the logits losses get their baseline and accuracy; a softmax layer under softmaxCrossEntropy is called out, the logits model is not', async () => {
  const twice = await trainOn('softmaxTwice.ts', { schedule: { maxLr: 0.1 }, epochs: 1 });
  assert.equal(twice.baseline?.kind, 'chance');
  assert.ok(Math.abs(twice.baseline.loss - Math.log(3)) < 1e-9, `baseline ${twice.baseline.loss}`);
  assert.ok(twice.warnings.some((w) => /^The model's last layer applies softmax, and its loss, tf\.losses\.softmaxCrossEntropy, applies softmax again \(it takes logits\).*Drop the last layer's activation .*or use the loss 'categoricalCrossentropy'\.$/.test(w)), twice.warnings.join('\n'));
  assert.ok(!twice.warnings.some((w) => /no baseline/.test(w)), twice.warnings.join('\n'));
  const logits = await trainOn('softmaxLogits.ts', { schedule: { maxLr: 0.1 }, epochs: 2 });
  assert.ok(!logits.warnings.some((w) => /applies softmax again/.test(w)), logits.warnings.join('\n'));
  // argmax reads logits: the accuracy column is there and agrees with the compiled metric.
  const last = logits.history.at(-1)!;
  assert.ok(last.valAccuracy !== null && last.valAccuracy > 0.8 && Math.abs(last.valMetrics['accuracy']! - last.valAccuracy) < 1e-6, JSON.stringify(last));
  // sigmoidCrossEntropy on one logit: binary baseline (25% positive), accuracy read at 0, as the compiled metric.
  const sigmoid = await trainOn('sigmoidLogits.js', { schedule: { maxLr: 0.3 }, epochs: 3 });
  const p = 0.25;
  assert.ok(sigmoid.baseline?.kind === 'chance' && Math.abs(sigmoid.baseline.loss + p * Math.log(p) + (1 - p) * Math.log(1 - p)) < 1e-6, JSON.stringify(sigmoid.baseline));
  const end = sigmoid.history.at(-1)!;
  assert.ok(end.valAccuracy !== null && end.valAccuracy > 0.95 && Math.abs(end.valMetrics['accuracy']! - end.valAccuracy) < 1e-6, JSON.stringify(end));
  assert.ok(sigmoid.warnings.some((w) => /^'accuracy' of a sigmoidCrossEntropy model is read from the sign of its logits/.test(w)), sigmoid.warnings.join('\n'));
});

test('find-lr without a headline, where every short run broke down (unscaled inputs): not "learns slowly" — even the lowest LR is too high, lower ones named, and the inputs\' scale', async () => {
  const r = await findLr({ kind: 'find-lr', model: model('unscaledInputs.ts'), seed: 1, rangeTests: 1, lrTrials: 20 }, ctx());
  assert.equal(r.recommended, null);
  const lowest = Math.min(...r.trials!.runs.map((x) => x.maxLr));
  const warning = r.warnings.find((w) => w.startsWith('Short 1cycle runs')) ?? r.warnings.join('\n');
  assert.match(warning, /^Short 1cycle runs of 60 steps \(.*\): every one broke down \(diverged, or ended above 1\.5x the baseline and above where it started\); there is still no recommended LR\. Even \S+ is too high for this model as it is: compare lower max LRs over whole epochs \(lrlab train --max-lr \S+, then \S+, then \S+: 1cycle, min = max\/10\), and bring the inputs to scale 1 \(a warning names them: features far from scale 1 make every LR too high\)\.$/);
  assert.ok(r.warnings.some((w) => /far from scale 1|far above scale 1/.test(w) && !w.startsWith('Short 1cycle runs')), r.warnings.join('\n'));
  assert.ok(warning.includes(`Even ${formatLr(lowest)} is too high`), warning);
  assert.doesNotMatch(warning, /learns slowly/);
});

test('no headline where every short run broke down, down to the lowest (a range test read one at an LR whose runs broke down): none, and what was said of it goes', async () => {
  // int32 pixels 0–255 under Adam: one range test of three gives a headline, every short run is pinned far above the chance level.
  const raw = await findLr({ kind: 'find-lr', model: model('rawPixels.js'), seed: 1, rangeTests: 1 }, ctx());
  assert.ok(raw.trials !== undefined && raw.trials.around !== null, `the range test gave a headline the short runs ran around: ${JSON.stringify(raw.trials?.around)}`);
  assert.equal(raw.recommended, null, JSON.stringify(raw.recommended));
  assert.equal(raw.range, null);
  const lowest = Math.min(...raw.trials.runs.map((x) => x.maxLr));
  assert.match(raw.reasons.range, new RegExp(`^every short 1cycle run broke down, down to ${formatLr(lowest)}: no LR tried trains this model as it is \\(the warnings list the runs\\) — compare lower max LRs over whole epochs \\(lrlab train --max-lr \\S+, then \\S+, then \\S+\\), and bring the inputs to scale 1`));
  assert.ok(raw.warnings.some((w) => /^Short 1cycle runs of 100 steps .*: every one broke down .*; there is no recommended LR\. Even /.test(w)), raw.warnings.join('\n'));
  // What was said of the withdrawn headline goes with it.
  assert.ok(!raw.warnings.some((w) => /read from the curve alone/.test(w)), raw.warnings.join('\n'));
});

test('under 5 validation samples, no short runs rank LRs by their luck: the range tests\' headline stands, and the warning says why and what to hold out', async () => {
  const r = await findLr({ kind: 'find-lr', model: tiny, seed: 1, rangeTests: 1, validationSplit: 0.003 }, ctx());
  assert.ok(r.trials === undefined && r.recommended !== null, JSON.stringify({ trials: r.trials, recommended: r.recommended }));
  assert.ok(r.warnings.includes("The recommended LR is the range test's alone: the validation split has 2 samples, too few to rank short 1cycle runs by (--lr-trials: their order would be the luck of 2 samples), so none ran — hold out more (a larger --validation-split, or more samples in loadData's validation split)."), r.warnings.join('\n'));
  // Five or more: they run.
  const five = await findLr({ kind: 'find-lr', model: tiny, seed: 1, rangeTests: 1, validationSplit: 0.01, lrTrials: 10, trialSeeds: 1 }, ctx());
  assert.ok(five.trials !== undefined && five.trials.runs.length > 0, five.warnings.join('\n'));
});

test('a validation split of 8 samples is called out: its readings move by chance more than what they judge', async () => {
  const r = await trainOn('fewValidation.js', { schedule: { maxLr: 0.1 }, epochs: 1 });
  assert.ok(r.warnings.some((w) => w.startsWith(`The validation split has 8 samples: every verdict, epoch count and short-run ranking reads a validation loss averaged over so few`) && w.includes(`at least ${FEW_VALIDATION_SAMPLES}; a larger --validation-split, or return a validation split from loadData()`)), r.warnings.join('\n'));
  // 120 held out (tinyClassifier, 600 rows): no such warning.
  const enough = await trainOn(path.join('..', 'engine', 'tinyClassifier.js'), { schedule: { maxLr: 0.1 }, epochs: 1 });
  assert.ok(!enough.warnings.some((w) => w.startsWith('The validation split has')), enough.warnings.join('\n'));
});

test('short runs that are many epochs of a small noisy training set and all end far above the baseline: overfitting as much as breakdown — the headline stands and the warning says how to tell, not "even the lowest LR is too high"', async () => {
  const r = await findLr({ kind: 'find-lr', model: model('smallNoisy.js'), seed: 1 }, ctx());
  assert.ok(r.recommended !== null, JSON.stringify(r.reasons));
  const note = r.warnings.find((w) => w.startsWith('Short 1cycle runs')) ?? '';
  assert.match(note, /every one ended above 1\.5x the baseline — but on 300 training samples, 300 steps are \d+ epochs, where fitting the training set by heart drives a validation loss this high as surely as a too-high LR does; the recommended LR is the range tests'\. Train at it with a verdict to tell \(lrlab train --max-lr \S+\): 'overfitting' wants fewer epochs or more regularization/, r.warnings.join('\n'));
  assert.doesNotMatch(note, /is too high for this model/);
});

test('three range tests that each ran again: their retries are listed in the tests\' order, whichever curve is shown', async () => {
  const r = await findLr({ kind: 'find-lr', model: model('randomLabels.ts'), seed: 1, rangeTests: 3, lrTrials: 0 }, ctx());
  const retried = r.warnings.filter((w) => w.startsWith('Range test '));
  assert.deepEqual(retried.map((w) => w.slice(0, 'Range test 1 of 3'.length)), ['Range test 1 of 3', 'Range test 2 of 3', 'Range test 3 of 3'], r.warnings.join('\n'));
  assert.ok(retried.every((w) => / gave no recommended LR: nothing was learned yet; retrying with 300 steps/.test(w)), retried.join('\n'));
});

test('find-lr runs a second, longer and wider test when the first learned nothing: it streams from the start of the series, says why, and its headline is the answer', async () => {
  const appends: { series: string; first: number; restart: boolean }[] = [];
  const reporter = new Reporter('t', { ...silentSink, append: (a) => appends.push({ series: a.series, first: a.points[0]?.step ?? -1, restart: a.restart === true }) }, 0);
  const r = await findLr({ kind: 'find-lr', model: model('highLr.ts'), seed: 1, rangeTests: 1 }, { reporter, signal: new AbortController().signal });
  assert.deepEqual([r.settings.steps, r.settings.startLr, r.settings.endLr], [300, 1e-7, 100]);
  assert.equal(r.points.length, 300);
  assert.ok(r.recommended !== null && r.recommended.maxLr > 10, JSON.stringify(r.recommended));
  assert.match(r.warnings[0] ?? '', /^Range test 1 \(100 steps, LR 1e-7 – 10\) gave no recommended LR: nothing was learned yet; retrying with 300 steps up to --end-lr 100 \(range test 2; --range-retries 0 to stop after the first\): the retry gave \d[\d.e-]*\.$/);
  // One restart, on the first points of the second test; every append is of the one series.
  assert.deepEqual(appends.filter((a) => a.restart).map((a) => a.first), [0]);
  assert.deepEqual([...new Set(appends.map((a) => a.series))], ['main']);
  // Random labels: the second test reads nothing either; it stops there (one retry by default) and says so.
  const random = await findLr({ kind: 'find-lr', model: model('randomLabels.ts'), seed: 1, rangeTests: 1 }, ctx());
  assert.equal(random.recommended, null);
  assert.equal(random.settings.steps, 300);
  assert.ok(random.warnings.some((w) => w.endsWith('to stop after the first): the retry gave none either.')), random.warnings.join(' | '));
  // The short 1cycle runs (on by default) learn nothing either: at chance level, their order is noise, so none is named.
  // No headline: a slow learner, so the runs are 3x as long (300 steps) at a 100th, 30th and 10th of where the test stopped.
  const stop = random.divergedAt ?? random.points.at(-1)!.lr;
  assert.equal(random.trials?.steps, 300);
  assert.deepEqual(random.trials.runs.map((r) => r.maxLr), [stop / 100, stop / 30, stop / 10].map((x) => Number(x.toPrecision(3))));
  assert.equal(random.trials.picked, null);
  assert.match(random.warnings.find((w) => w.startsWith('Short 1cycle runs')) ?? '', /^Short 1cycle runs of 300 steps \(.*\): no short run got clearly below the validation baseline \(0\.69\d; .*there is still no recommended LR\. This model learns slowly, or its labels hold little its inputs can predict \(check them\): compare a few max LRs over whole epochs \(lrlab train --max-lr \S+, then \S+, then \S+: 1cycle, min = max\/10\), or try longer short runs \(--lr-trials 300: runs of 900 steps where the range tests gave no LR\)\.$/);
  // The LRs it names are lower still: a 300th, 100th and 30th of the stop.
  const named = /--max-lr (\S+), then (\S+), then (\S+):/.exec(random.warnings.find((w) => w.startsWith('Short 1cycle runs'))!)!.slice(1).map(Number);
  assert.deepEqual(named, [stop / 300, stop / 100, stop / 30].map((x) => Number(x.toPrecision(2))));
  assert.equal(random.warnings.filter((w) => w.startsWith('Range test ')).length, 1);
});

test('find-lr without a headline whose range test reached a low --end-lr with the loss never back above its start: the LRs it names are at and above that end, not lower still', async () => {
  // A user's --end-lr 1e-4 on a model that trains at 0.1-0.3 was told to compare 3.3e-6, 1e-5 and 3.3e-5.
  const low = await findLr({ kind: 'find-lr', model: tiny, seed: 1, endLr: 1e-5, rangeTests: 1, rangeRetries: 0 }, ctx());
  assert.equal(low.recommended, null);
  assert.equal(low.divergedAt, null);
  const warning = low.warnings.find((w) => w.startsWith('Short 1cycle runs')) ?? '';
  assert.match(warning, /: the range test reached 1e-5 with the loss never back above its start, so it may learn only higher: --end-lr 0\.001, or compare a few max LRs over whole epochs \(lrlab train --max-lr 1e-5, then 3e-5, then 1e-4: 1cycle, min = max\/10\)/, low.warnings.join('\n'));
});

test('range test: learning under way at --start-lr, diverging at once — each says to lower --start-lr', async () => {
  const started = await findLr({ kind: 'find-lr', model: tiny, seed: 1, startLr: 0.05, rangeRetries: 0 }, ctx());
  assert.ok(started.warnings.some((w) => /^Learning was already under way at --start-lr 0\.05 .*lower --start-lr/.test(w)), started.warnings.join('\n'));
  const diverged = await findLr({ kind: 'find-lr', model: tiny, seed: 1, startLr: 30, endLr: 1000, rangeRetries: 0 }, ctx());
  assert.ok(diverged.warnings.some((w) => /^The loss diverged after only \d+ of 100 steps .*lower --start-lr/.test(w)), diverged.warnings.join('\n'));
  // A healthy curve gets no hint at all (only the note that the model compiles SGD at an LR far below the headline).
  const healthy = await findLr({ kind: 'find-lr', model: tiny, seed: 1 }, ctx());
  assert.deepEqual(healthy.warnings.filter((w) => !/^tinyClassifier\.js compiles sgd with LR 0\.1, [\d,]+x below the recommended max LR/.test(w)), [], healthy.warnings.join('\n'));
  assert.equal(healthy.baseline?.kind, 'chance');
});

test('a hinge model (-1/1 labels, 30% positive) has a baseline: the best constant margin, 1 − |p₊ − p₋| = 0.6; its accuracy reads margins at 0 and the verdict is judged against the baseline', async () => {
  const r = await trainOn('hingeMargin.js', { schedule: { maxLr: 0.5 }, epochs: 4 });
  assert.equal(r.baseline?.kind, 'chance');
  assert.ok(Math.abs(r.baseline.loss - 0.6) < 1e-9, `baseline ${r.baseline.loss}`);
  assert.ok(Math.abs(r.baseline.valLoss! - 0.6) < 1e-9, `validation baseline ${r.baseline.valLoss}`);
  // Separable: the margins learn it; read as probabilities (above 0.5) a margin of 0.3 would count as a wrong negative.
  assert.ok(r.history.at(-1)!.valAccuracy! > 0.95, JSON.stringify(r.history.map((h) => h.valAccuracy)));
  // The compiled 'accuracy' metric says the same, and says why it differs from model.fit's (binaryAccuracy: 0.3 at most here, the +1 labels above 0.5).
  for (const h of r.history) assert.ok(Math.abs(h.valMetrics['accuracy']! - h.valAccuracy!) < 1e-6, JSON.stringify(h));
  assert.ok(r.history.at(-1)!.metrics['accuracy']! > 0.9, JSON.stringify(r.history.at(-1)));
  assert.ok(r.warnings.some((w) => /^'accuracy' of a hinge model is read from the sign of its margins .*tfjs's model\.fit thresholds at 0\.5/.test(w)), r.warnings.join('\n'));
  assert.ok(r.history.at(-1)!.valLoss! < 0.5 * r.baseline.valLoss!, `val loss ${r.history.at(-1)!.valLoss}`);
  assert.match(r.diagnosis.reason, /baseline: the chance level 0\.6/);
});

test('constant labels: every run says so, and train gives no verdict (a loss of 0 was "not learning", one above it "—x the baseline")', async () => {
  const r = await trainOn('constantLabels.ts', { schedule: { maxLr: 0.01 }, epochs: 3 });
  assert.equal(r.baseline?.loss, 0);
  assert.ok(r.warnings.includes(constantLabelsWarning()), r.warnings.join('\n'));
  assert.equal(r.diagnosis.verdict, null);
  assert.match(r.diagnosis.reason, /^Every training label is the same \(the baseline loss is 0\)/);
  // find-lr recommends nothing (its short runs all ended at 0, and the highest of them was picked).
  const found = await findLr({ kind: 'find-lr', model: model('constantLabels.ts'), seed: 1, rangeTests: 1 }, ctx());
  assert.equal(found.recommended, null);
  assert.equal(found.trials, undefined, 'no short runs: there is nothing to compare');
  assert.deepEqual(found.suggestions, { valley: null, steep: null, minimum: null });
  assert.match(found.reasons.range, /^every training label is the same, so predicting it is perfect from the first step: there is nothing to learn and no learning rate to find/);
  assert.ok(!found.warnings.some((w) => w.includes('read from the curve alone')), found.warnings.join('\n'));
});

test('where the short runs go without a headline: a curve too noisy to read that still rose far past its start gives its rise, not --end-lr (an Adam MAE model ran them at 1-10 of --end-lr 100, all at the baseline)', () => {
  // Heavy-tailed scatter (σ ~1) around a level that falls 3.1 → 2.1 by LR ~0.05, then climbs to ~10 by LR 100.
  const tracker = new RangeTestTracker();
  const lrs = lrSweep({ startLr: 1e-7, endLr: 100, steps: 300, sweep: 'exp' });
  lrs.forEach((lr, i) => {
    const x = Math.log10(lr);
    const level = x < -3 ? 3.1 : x < -1.3 ? 3.1 - (x + 3) / 1.7 : 2.1 + Math.max(0, x + 1.3) ** 2 * 0.7;
    const scatter = Math.sin(i * 12.9898) * 43758.5453;
    tracker.push(lr, Math.max(0.5, level + 3.5 * (scatter - Math.floor(scatter) - 0.5) + (i % 17 === 0 ? 5 : 0)));
  });
  const points = tracker.points;
  assert.equal(blowUpEdge(points), null, 'too noisy for the readable edge');
  const edge = riseEdge(points);
  // From where it stayed above its start: its first crossings are the scatter's.
  assert.ok(edge !== null && edge > 0.1 && edge < 3, `the rise past its start: ${edge}`);
  // A noisy curve that never rose past its start has none: the runs stay placed by where it ended.
  const level = new RangeTestTracker();
  lrs.forEach((lr, i) => {
    const scatter = Math.sin(i * 12.9898) * 43758.5453;
    level.push(lr, 3 + 3.5 * (scatter - Math.floor(scatter) - 0.5) + (i % 17 === 0 ? 5 : 0));
  });
  assert.equal(riseEdge(level.points), null);
});

test('"still falling at --end-lr" only when the curve falls from its lowest: not on a tail that blew up past its start, or rose well above its lowest, and dipped', () => {
  const settings = resolveFindLrSettings({ kind: 'find-lr', model: 'm' }, null);
  const THREE = { loss: Math.log(3), valLoss: Math.log(3), kind: 'chance' as const };
  const curveOf = (losses: readonly number[]): RangeCurve => {
    const tracker = new RangeTestTracker();
    lrSweep({ startLr: 1e-7, endLr: 10, steps: losses.length, sweep: 'exp' }).forEach((lr, i) => tracker.push(lr, losses[i]!));
    return { points: tracker.points, stopReason: 'completed', divergedAt: null, seconds: 1, streamed: [] };
  };
  // A user's Adam LSTM (3 classes): back above its start by LR 1.56, then a dip at the end (fitted 2.04 → 1.77).
  const lstm = curveOf([1.1412,  1.139,  1.1387,  1.1267,  1.146,  1.1574,  1.1476,  1.1503,  1.1606,  1.1428,  1.1442,  1.144,  1.146,  1.137,  1.139,  1.1562,  1.1551,  1.1434,  1.1562,  1.1428,  1.1504,  1.1502,  1.1227,  1.1537,  1.1614,  1.1344,  1.1599,  1.1306,  1.1531,  1.1335,  1.1582,  1.1477,  1.1468,  1.129,  1.1327,  1.1331,  1.1527,  1.141,  1.1362,  1.1495,  1.1331,  1.1394,  1.1297,  1.1446,  1.1365,  1.1437,  1.1346,  1.1394,  1.1147,  1.1274,  1.1052,  1.1045,  1.1059,  1.101,  1.0829,  1.0795,  1.0587,  1.0285,  1.0288,  1.0077,  0.9528,  0.9069,  0.8708,  0.8394,  0.7811,  0.7599,  0.7357,  0.8324,  0.7049,  0.5448,  0.471,  0.555,  0.4557,  0.5321,  0.4997,  0.4539,  0.3943,  0.4744,  0.4715,  0.3595,  0.5096,  0.4598,  0.1616,  0.4825,  0.3734,  0.4472,  0.8172,  0.4179,  0.9574,  1.2162,  3.6401,  0.9175,  3.0987,  2.3949,  0.5649,  2.8165,  1.8285,  1.5232,  1.7519,  2.0129]);
  assert.deepEqual(curveWarnings(lstm, settings, THREE), []);
  // A user's 3-class blobs (SGD): fitted tail just under its start, but past its blow-up edge (the result said
  // "climbs back above its start at 3.27"), then a dip in the last points.
  const blobs = curveOf([1.3095, 1.3246, 1.3385, 1.4452, 1.3459, 1.3658, 1.2953, 1.3597, 1.3373, 1.2206, 1.1833, 1.54, 1.2444, 1.3831, 1.1434, 1.2741, 1.3456, 1.3425, 1.215, 1.3101, 1.4033, 1.2922, 1.4193, 1.2239, 1.3405, 1.3051, 1.4334, 1.3038, 1.2763, 1.185, 1.2807, 1.3172, 1.3451, 1.3229, 1.2724, 1.1955, 1.3703, 1.3177, 1.3523, 1.2989, 1.3245, 1.3281, 1.2017, 1.251, 1.2154, 1.2523, 1.1982, 1.287, 1.105, 1.1102, 1.1133, 1.0698, 1.0943, 0.95383, 0.91913, 0.81262, 0.82304, 0.68772, 0.61846, 0.59906, 0.47532, 0.41289, 0.32003, 0.25305, 0.20803, 0.15592, 0.10119, 0.098787, 0.087258, 0.062789, 0.044502, 0.036099, 0.013049, 0.0044047, 0.032651, 0.0020735, 0.0040143, 0.0063512, 0.14056, 0.12138, 0.000016737, 0.028837, 0.12638, 4.8057e-7, 0.000086124, 0.014369, 0.0025751, 1.5181e-7, 1.2014e-7, 0.10813, 0.030728, 0.0032579, 0.2172, 1.2702, 2.6465, 2.8021, 0.25185, 0.25185, 0.50369, 1.2592]);
  assert.ok(blowUpEdge(blobs.points) !== null);
  assert.deepEqual(curveWarnings(blobs, settings, THREE), []);
  // A user's Adam autoencoder (MSE): bottomed out at ~0.064 by LR 0.07, back up to ~0.12, its tail dipping to 0.107.
  const autoencoder = curveOf([0.1737, 0.1726, 0.1745, 0.1739, 0.1767, 0.1687, 0.1678, 0.1713, 0.1679, 0.1709, 0.1708, 0.1637, 0.1771, 0.1757, 0.1694, 0.1714, 0.1744, 0.179, 0.1714, 0.1662, 0.1765, 0.1765, 0.1742, 0.1738, 0.1727, 0.1712, 0.1711, 0.1769, 0.167, 0.1732, 0.1797, 0.1697, 0.168, 0.1785, 0.1659, 0.1757, 0.174, 0.1658, 0.1729, 0.1684, 0.1692, 0.1704, 0.1696, 0.166, 0.171, 0.164, 0.1659, 0.161, 0.158, 0.1559, 0.1463, 0.1387, 0.1286, 0.115, 0.1114, 0.09906, 0.09417, 0.09336, 0.08938, 0.08749, 0.09268, 0.09684, 0.09136, 0.08866, 0.09065, 0.08917, 0.08753, 0.08798, 0.08085, 0.07952, 0.0772, 0.07491, 0.07256, 0.06878, 0.06467, 0.06383, 0.06247, 0.07334, 0.1188, 0.08352, 0.08594, 0.08159, 0.1019, 0.1124, 0.1238, 0.1163, 0.1258, 0.1127, 0.1164, 0.1217, 0.1324, 0.1078, 0.1622, 0.117, 0.1205, 0.1099, 0.1153, 0.115, 0.1087, 0.1073]);
  assert.deepEqual(curveWarnings(autoencoder, settings, { loss: 0.0871, valLoss: 0.0867, kind: 'mean' }), []);
  // Still falling at the end, its lowest there: the warning stands.
  const falling = curveOf(Array.from({ length: 100 }, (_, i) => 1.1 - (i > 40 ? 0.012 * (i - 40) : 0) + 0.01 * Math.sin(i)));
  assert.deepEqual(curveWarnings(falling, settings, THREE), ['The loss was still falling at --end-lr: the suggestions may be too low; raise --end-lr.']);
});
