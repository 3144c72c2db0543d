/**
 * `lrlab sweep | train | batch-size | recipe` as a user runs them: a real process, one JSON
 * document on stdout whose keys are exactly the protocol's (the key lists below are checked
 * against the types by the compiler), and one-line errors with exit code 2 for bad options.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { built } from '../built';
import type {
  BatchSizeResult,
  BatchSizeRun,
  Diagnosis,
  EpochRecord,
  MomentumResult,
  MomentumRun,
  Recommendation,
  RecipeResult,
  RecipeStep,
  StepRecord,
  SweepCurve,
  SweepResult,
  TimePoint,
  TrainResult,
  WeightDecayResult,
  WeightDecayRun,
} from '../../src/protocol/results';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'lrlab');
const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-studies-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every key of T, no more: the compiler rejects a missing or an extra one. */
function keysOf<T>(keys: Record<keyof T, true>): string[] {
  return Object.keys(keys).sort();
}

function lrlab(...argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(...argv: string[]): T {
  const r = lrlab(...argv, '--json');
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** A local run's keys: the scale-out fields (`workers` on results, `worker`/`backend` on trials) are absent. */
function local(keys: string[], ...remoteOnly: string[]): string[] {
  return keys.filter((k) => !remoteOnly.includes(k));
}

function assertKeys(value: unknown, expected: string[], what: string): void {
  assert.deepEqual(Object.keys(value as object).sort(), expected, what);
}

// trainPenalty: only for a model with regularizers of its own (the tiny classifier has none).
const EPOCH = keysOf<EpochRecord>({ epoch: true, trainLoss: true, trainPenalty: true, valLoss: true, valAccuracy: true, metrics: true, valMetrics: true, lr: true, momentum: true, seconds: true }).filter((k) => k !== 'trainPenalty');
const DIAGNOSIS = keysOf<Diagnosis>({ verdict: true, reason: true });
const STEP_RECORD = keysOf<StepRecord>({ step: true, lr: true, momentum: true, trainLoss: true, valLoss: true, valAccuracy: true, seconds: true });

test('sweep --json: exactly SweepResult and SweepCurve', () => {
  built('engine.js');
  const doc = json<SweepResult>('sweep', tiny, '--wd', '1e-2,0', '--steps', '20', '--seed', '1');
  assertKeys(doc, local(keysOf<SweepResult>({ kind: true, model: true, backend: true, seconds: true, settings: true, curves: true, best: true, reason: true, optimizer: true, warnings: true, workers: true, baseline: true }), 'workers'), 'result');
  assert.equal(doc.kind, 'sweep');
  assert.equal(doc.curves.length, 2);
  assertKeys(doc.curves[0], local(keysOf<SweepCurve>({ label: true, weightDecay: true, dropout: true, momentum: true, points: true, divergedAt: true, blowUpLr: true, minSmoothedLoss: true, lrAtMinLoss: true, stableRange: true, stableDecades: true, suggestions: true, recommended: true, noHeadline: true, fitted: true, worker: true, backend: true }), 'worker', 'backend'), 'curve');
});

test('train --json: exactly TrainResult, EpochRecord and Diagnosis', () => {
  built('engine.js');
  const doc = json<TrainResult>('train', tiny, '--max-lr', '0.3', '--epochs', '3', '--seed', '1');
  // normStats: only for a model with batch normalization (the tiny classifier has none).
  assertKeys(doc, keysOf<TrainResult>({ kind: true, model: true, backend: true, seconds: true, policy: true, schedule: true, history: true, diagnosis: true, savedTo: true, optimizer: true, warnings: true, baseline: true, normStats: true, settings: true }).filter((k) => k !== 'normStats'), 'result');
  // What the run was beside its schedule: the result repeats it (a user trial: no batch size, weight decay or seed in it).
  assert.deepEqual(doc.settings, { batchSize: 64, epochs: 3, weightDecay: 0, dropout: null, seed: 1 });
  assert.equal(doc.history.length, 3);
  assertKeys(doc.history[0], EPOCH, 'epoch');
  assertKeys(doc.diagnosis, DIAGNOSIS, 'diagnosis');
  // --dropout on a model whose createModel ignores hp.dropout (linreg.ts) says it changed nothing; on one that reads it, nothing is said.
  const linreg = path.join(root, 'test', 'fixtures', 'engine', 'linreg.ts');
  const ignored = json<TrainResult>('train', linreg, '--max-lr', '0.01', '--epochs', '1', '--seed', '1', '--dropout', '0.3');
  assert.ok(ignored.warnings.some((w) => /^--dropout 0\.3 changed nothing: createModel in linreg\.ts ignores hp\.dropout, so the run is the same as without it\./.test(w)), ignored.warnings.join('\n'));
  const read = json<TrainResult>('train', tiny, '--max-lr', '0.3', '--epochs', '1', '--seed', '1', '--dropout', '0.3', '--weight-decay', '1e-3', '--batch-size', '16');
  assert.ok(!read.warnings.some((w) => /changed nothing/.test(w)), read.warnings.join('\n'));
  assert.deepEqual(read.settings, { batchSize: 16, epochs: 1, weightDecay: 1e-3, dropout: 0.3, seed: 1 });
});

test('sweep --short-runs --json: exactly MomentumResult and WeightDecayResult', () => {
  built('engine.js');
  const m = json<MomentumResult>('sweep', tiny, '--short-runs', '--momentum', '0.9', '--max-lr', '0.3', '--steps', '20', '--seed', '1');
  assertKeys(m, local(keysOf<MomentumResult>({ kind: true, model: true, backend: true, seconds: true, lr: true, runs: true, best: true, reason: true, optimizer: true, warnings: true, workers: true, baseline: true }), 'workers'), 'momentum result');
  assert.equal(m.runs.length, 2);
  // tinyClassifier compiles plain tf.train.sgd: the study says its own 0 is no candidate and how to apply a pick.
  assert.ok(m.warnings.some((w) => /^The model's SGD has momentum 0 \(model\.compile\), which the study does not try: .*compile with tf\.train\.momentum\(lr, momentum\).*A max LR found at momentum 0 is about 1\/\(1 − m\) times too large at momentum m \(10x at 0\.9/.test(w)), m.warnings.join('\n'));
  assertKeys(m.runs[0], local(keysOf<MomentumRun>({ label: true, records: true, earlyValLoss: true, diverged: true, momentum: true, worker: true, backend: true }), 'worker', 'backend'), 'momentum run');
  assertKeys(m.runs[0]!.records[0], STEP_RECORD, 'step record');
  // A classifier's evaluations carry its validation accuracy (format 6), a share of the validation samples.
  for (const r of m.runs.flatMap((run) => run.records)) assert.ok(r.valAccuracy !== null && r.valAccuracy >= 0 && r.valAccuracy <= 1, JSON.stringify(r));
  const w = json<WeightDecayResult>('sweep', tiny, '--short-runs', '--wd', '1e-3,0', '--max-lr', '0.3', '--steps', '20', '--seed', '1');
  assertKeys(w, local(keysOf<WeightDecayResult>({ kind: true, model: true, backend: true, seconds: true, runs: true, best: true, reason: true, optimizer: true, warnings: true, workers: true, baseline: true }), 'workers'), 'weight-decay result');
  assertKeys(w.runs[0], local(keysOf<WeightDecayRun>({ label: true, records: true, earlyValLoss: true, diverged: true, weightDecay: true, worker: true, backend: true }), 'worker', 'backend'), 'weight-decay run');
  assert.deepEqual(w.runs.map((r) => r.label), ['wd 1e-3', 'wd 0']);
  // A regression has no accuracy: null, not 0.
  const regression = json<WeightDecayResult>('sweep', path.join(root, 'test', 'fixtures', 'engine', 'linreg.ts'), '--short-runs', '--wd', '0', '--max-lr', '0.01', '--steps', '20', '--seed', '1');
  assert.ok(regression.runs[0]!.records.length > 0 && regression.runs[0]!.records.every((r) => r.valAccuracy === null), JSON.stringify(regression.runs[0]!.records[0]));
});

test('batch-size where no size ran exits 1 with the reason (its result still printed); a --target-acc on a model with no accuracy, or a --target-loss of 0 on a loss never below it, is refused before any size trains', () => {
  // A budget too short to train in (a size larger than the data is a bad --sizes: exit 2, below).
  const none = lrlab('batch-size', tiny, '--sizes', '16', '--budget', '1s', '--seed', '1', '--json');
  assert.equal(none.status, 1, none.stderr);
  assert.equal((JSON.parse(none.stdout) as BatchSizeResult).runs[0]!.status, 'skipped');
  assert.match(none.stderr, /^lrlab: batch-size: No batch size completed its run\.$/m);
  const regression = path.join(root, 'test', 'fixtures', 'engine', 'linreg.ts');
  // It ran its whole budget, then said the target was never reached.
  const t0 = performance.now();
  const noAccuracy = lrlab('batch-size', regression, '--sizes', '32,64', '--budget', '60s', '--target-acc', '0.9', '--seed', '1', '--json');
  assert.equal(noAccuracy.status, 2, noAccuracy.stderr);
  assert.equal(noAccuracy.stdout, '');
  assert.match(noAccuracy.stderr, /^lrlab: --target-acc 0\.9: linreg\.ts's loss \(meanSquaredError\) is not a classification loss, so the model reports no accuracy to reach\. Give --target-loss instead, a validation loss to reach\.$/m);
  assert.ok((performance.now() - t0) / 1000 < 30, `refused after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // So is a loss target a mean squared error never gets to (it too ran its whole budget).
  const t1 = performance.now();
  const zero = lrlab('batch-size', regression, '--sizes', '32,64', '--budget', '60s', '--target-loss', '0', '--seed', '1');
  assert.equal(zero.status, 2, zero.stderr);
  assert.match(zero.stderr, /^lrlab: --target-loss 0: linreg\.ts's loss \(meanSquaredError\) is never below 0, so no batch size reaches it\. Give a validation loss above 0 to reach, below the baseline loss \d[\d.]* \(always predicting the best constant\)\.$/m);
  assert.ok((performance.now() - t1) / 1000 < 30, `refused after ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  // A loss of the model's own without an accuracy metric: the metric is what to add (it is no regression).
  const own = path.join(dir, 'ownLoss.js');
  writeFileSync(own, [
    "const tf = require('@tensorflow/tfjs');",
    'function smoothed(y, p) { return tf.losses.softmaxCrossEntropy(y, p, undefined, 0.1); }',
    'exports.loss = smoothed;',
    "exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })); m.compile({ optimizer: tf.train.sgd(0.1), loss: smoothed }); return m; };",
    "exports.loadData = async () => ({ train: { xs: tf.randomNormal([300, 2]), ys: tf.oneHot(tf.randomUniform([300], 0, 3, 'int32'), 3) } });",
  ].join('\n'));
  const ownLoss = lrlab('batch-size', own, '--sizes', '32', '--budget', '60s', '--target-acc', '0.9', '--seed', '1');
  assert.equal(ownLoss.status, 2, ownLoss.stderr);
  assert.match(ownLoss.stderr, /^lrlab: --target-acc 0\.9: ownLoss\.js's model reports no accuracy to reach: its loss \(smoothed\) is its own, and its compile names no accuracy metric\. Compile it with metrics: \['accuracy'\], or give --target-loss instead/m);
});

test('batch-size --json: exactly BatchSizeResult, BatchSizeRun and TimePoint; a skipped size keeps the shape', () => {
  built('engine.js');
  // --budget is the whole study's wall time: the skipped size's start-up comes out of it too.
  const doc = json<BatchSizeResult>('batch-size', tiny, '--sizes', '100000,16', '--budget', '14s', '--range-steps', '20', '--target-acc', '0.5', '--seed', '1');
  // trainSamples: a size (100000) was larger than the data.
  assertKeys(doc, local(keysOf<BatchSizeResult>({ kind: true, model: true, backend: true, seconds: true, budgetSeconds: true, target: true, runs: true, best: true, reason: true, optimizer: true, warnings: true, workers: true, baseline: true, trainSamples: true }), 'workers'), 'result');
  const run = local(keysOf<BatchSizeRun>({ batchSize: true, status: true, reason: true, maxLr: true, stepsPerSecond: true, curve: true, timeToTarget: true, finalValLoss: true, finalValAccuracy: true, worker: true, backend: true }), 'worker', 'backend');
  assertKeys(doc.runs[1], run, 'ok run');
  assertKeys(doc.runs[0], run, 'skipped run');
  assert.deepEqual(doc.runs.map((r) => r.status), ['skipped', 'ok'], JSON.stringify(doc.runs.map((r) => r.reason)));
  assertKeys(doc.runs[1]!.curve[0], keysOf<TimePoint>({ seconds: true, epoch: true, valLoss: true, valAccuracy: true }), 'time point');
  assert.deepEqual(doc.target, { metric: 'accuracy', value: 0.5 });
  // One size trained: nothing was compared, and no best is named (it printed "best: batch 16 …").
  assert.equal(doc.best, null);
  assert.equal(doc.reason, 'only batch 16 trained (of 2 sizes), so nothing was compared: give --sizes two or more sizes that fit the data and the budget');
});

test('batch-size: a size larger than the data starts no engine once one said how many samples there are; every size larger is a bad --sizes (exit 2)', () => {
  built('engine.js');
  // It exited 1 with "No batch size completed", after the first size's share of the budget.
  const r = lrlab('batch-size', tiny, '--sizes', '100000,200000', '--budget', '20s', '--seed', '1');
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.match(lines.at(-1)!, /^lrlab: --sizes 100000,200000: every size is larger than the training data \(480 samples of tinyClassifier\.js\)\. Give sizes up to 480, e\.g\. --sizes 16,32,64,128\.$/);
  // Largest first: 200000's engine said so; 100000 was skipped without one.
  assert.deepEqual(lines.filter((l) => / \(\d\/2\): range test, then 1cycle/.test(l)).map((l) => /batch (\d+)/.exec(l)![1]), ['200000'], r.stderr);
  assert.ok(lines.includes('lrlab: batch 100000 (2/2): skipped, larger than the training data (480 samples)'), r.stderr);
});

test('batch-size: a size whose engine never got to its range test (createModel never returns) says the model file took its share, not only "give a larger --budget"', () => {
  built('engine.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-hang-'));
  try {
    const file = path.join(dir, 'hangs.js');
    writeFileSync(file, "exports.createModel = () => { for (;;) {} };\nexports.loss = 'categoricalCrossentropy';\nexports.loadData = async () => ({ train: { xs: [[0, 1], [1, 0]], ys: [[1, 0], [0, 1]] } });\n");
    const r = lrlab('batch-size', file, '--sizes', '16', '--budget', '4s', '--json');
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as BatchSizeResult;
    assert.match(doc.runs[0]!.reason ?? '', /^its [\d.]+ s share of --budget 4 s ran out before its range test began: the engine's start-up and the model file \(its top level, createModel\(\), loadData\(\)\) took all of it\. Check that they return, or give a larger --budget$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('recipe --json: exactly RecipeResult, RecipeStep and Recommendation; the evidence is the studies\' own results', () => {
  built('engine.js');
  const doc = json<RecipeResult>('recipe', tiny, '--budget', '6s', '--seed', '1');
  assertKeys(doc, keysOf<RecipeResult>({ kind: true, model: true, backend: true, seconds: true, budgetSeconds: true, estimatedSeconds: true, steps: true, recommendation: true, failure: true, diagnosis: true, optimizer: true, warnings: true, baseline: true }), 'result');
  // `compared`: only where the confirming run broke down and a run 3x lower decided.
  for (const step of doc.steps) assertKeys(step, local(keysOf<RecipeStep>({ name: true, status: true, message: true, seconds: true, evidence: true, compared: true, checked: true }), ...(step.compared === undefined ? ['compared'] : []), ...(step.checked === undefined ? ['checked'] : [])), `step ${step.name}`);
  assertKeys(doc.recommendation, keysOf<Recommendation>({ lr: true, momentum: true, weightDecay: true, batchSize: true, epochs: true, epochsReason: true, schedule: true }), 'recommendation');
  const kinds = { 'range-test': 'find-lr', 'batch-size': 'batch-size', momentum: 'momentum', 'weight-decay': 'weight-decay', train: 'train' } as const;
  assert.deepEqual(doc.steps.map((s) => s.name), ['range-test', 'batch-size', 'momentum', 'weight-decay', 'train']);
  for (const step of doc.steps) assert.equal(step.evidence?.kind ?? kinds[step.name], kinds[step.name], `${step.name} carries its own study's result`);
  assert.equal(doc.steps[4]!.evidence?.kind, 'train');
  assertKeys(doc.diagnosis, DIAGNOSIS, 'diagnosis');
});

test('bad options: exit 2, one line naming the flag, nothing on stdout', () => {
  built('engine.js');
  const cases: [string[], RegExp][] = [
    [['sweep', tiny, '--wd', '-1'], /--wd values must be in \[0, 1\), got -1/],
    [['sweep', tiny, '--short-runs', '--momentum', '0.9'], /--max-lr is required/],
    // Given, but not positive: said so (it read "--max-lr is required" for a --max-lr that was there).
    [['sweep', tiny, '--short-runs', '--momentum', '0.9', '--max-lr', '0'], /^lrlab: --max-lr must be greater than 0, got 0\./],
    // float32's range, as train's and schedule's (1e-310 is 0 in float32); a bad value is said before a missing --max-lr.
    [['sweep', tiny, '--short-runs', '--momentum', '0.9', '--max-lr', '1e-310'], /^lrlab: --max-lr must be between 1e-30 and 1e\+30, got 1e-310\.$/],
    [['sweep', tiny, '--short-runs', '--momentum', '0.9', '--max-lr', '0.1', '--min-lr', '1e-35'], /^lrlab: --min-lr must be between 1e-30 and 1e\+30, got 1e-35\.$/],
    [['sweep', tiny, '--short-runs', '--momentum', '0.9', '--steps', '5'], /^lrlab: --steps must be a whole number between 10 and 100000 for short runs, got 5\.$/],
    // train: before "--max-lr is required", whose find-lr command repeated the --batch-size 0 (which fails in turn).
    [['train', tiny, '--batch-size', '0'], /^lrlab: --batch-size must be a whole number ≥ 1, got 0\.$/],
    [['train', tiny, '--max-lr', '1e40'], /^lrlab: --max-lr must be between 1e-30 and 1e\+30, got 1e\+40\.$/],
    [['sweep', tiny, '--short-runs', '--momentum', '0.9', '--wd', '1e-3', '--max-lr', '0.1'], /one thing at a time/],
    [['train', tiny, '--max-lr', '0.1', '--epochs', '0'], /--epochs must be a whole number between 1 and/],
    [['train', tiny, '--policy', 'step'], /--policy must be one of onecycle, smith/],
    // An empty path is the folder lrlab runs in: --save "" wrote model.json and weights.bin there.
    [['train', tiny, '--max-lr', '0.1', '--epochs', '1', '--save', ''], /^lrlab: --save must name a path, got an empty one\.$/],
    [['batch-size', tiny, '--sizes', '32'], /--budget is required/],
    [['batch-size', tiny, '--budget', 'soon'], /--budget must be a positive duration/],
    // Each unit once, largest first ("5h5h" ran 10 h); under a second, no engine even starts ("5ms" trained "80.1 epochs").
    [['recipe', tiny, '--budget', '5h5h'], /^lrlab: --budget must be a positive duration like 60s, 5m or 1h, got '5h5h'\.$/],
    [['recipe', tiny, '--budget', '5ms'], /^lrlab: --budget must be at least 1s, got 0\.005s: starting an engine alone takes about that\./],
    // The sizes' range-test options are checked before any size starts (they failed inside the first).
    [['batch-size', tiny, '--budget', '20s', '--start-lr', '1', '--end-lr', '0.5'], /^lrlab: --start-lr \(1\) must be below --end-lr \(0\.5\)\. Each size's range test sweeps the LR upwards/],
    [['batch-size', tiny, '--budget', '20s', '--start-lr', '-1'], /--start-lr must be ≥ 1e-30, got -1/],
    [['recipe', tiny], /--budget is required/],
    // The values given before what is missing, as train does: "--budget is required" came first, then this.
    [['recipe', tiny, '--seed', 'abc'], /^lrlab: --seed must be a number, got 'abc'\.$/],
    [['batch-size', tiny, '--sizes', '32', '--target-acc', '0.9', '--target-loss', '0.1'], /^lrlab: Give --target-acc or --target-loss, not both\.$/],
  ];
  for (const [argv, pattern] of cases) {
    const r = lrlab(...argv);
    assert.equal(r.status, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const errors = r.stderr.split('\n').filter((l) => /^lrlab: .*(must|required|one thing|not both)/.test(l));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, pattern);
  }
});
