/** Regularization sweep and training runs on real tfjs with tiny models. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sweep } from '../../src/engine/experiments/sweep';
import { train } from '../../src/engine/experiments/train';
import { momentumStudy, weightDecayStudy } from '../../src/engine/experiments/shortRuns';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { makeSchedule } from '../../src/core/schedules';
import { OptionError } from '../../src/protocol/errors';
import { modelFiles } from '../../src/engine/modelSave';
import { fileSystemIO } from '../../src/engine/fileSystemIO';
import { loadTf } from '../../src/engine/tfjs';
import { writeModel } from './writeModel';
import type { AppendParams } from '../../src/protocol/progress';

const fixtures = path.join(__dirname, '..', 'fixtures', 'engine');
const tiny = path.join(fixtures, 'tinyClassifier.js');
const linreg = path.join(fixtures, 'linreg.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-train-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ctx = (signal = new AbortController().signal, append: (a: AppendParams) => void = () => undefined): { reporter: Reporter; signal: AbortSignal } => ({ reporter: new Reporter('t', { ...silentSink, append }, 0), signal });

test('sweep: one curve per combination, streamed per series, same seed → the first batch losses agree', async () => {
  const series = new Set<string>();
  const result = await sweep({ kind: 'sweep', model: tiny, wd: [1e-2, 0], dropout: [0, 0.5], steps: 25, seed: 3 }, ctx(undefined, (a) => series.add(a.series)));
  assert.equal(result.kind, 'sweep');
  assert.deepEqual(result.curves.map((c) => c.label), ['wd 1e-2, dropout 0', 'wd 1e-2, dropout 0.5', 'wd 0, dropout 0', 'wd 0, dropout 0.5']);
  assert.equal(series.size, 4);
  // Weight decay cannot change the first loss: same init, same first batch.
  assert.equal(result.curves[0]!.points[0]!.loss, result.curves[2]!.points[0]!.loss);
  assert.ok(result.best !== null && result.best >= 0 && result.best < 4);
  assert.ok(result.reason.length > 20);
  for (const c of result.curves) assert.equal(c.points.length, 25);
});

test('sweep: a model that ignores hp.dropout is told so instead of reporting identical curves', async () => {
  const result = await sweep({ kind: 'sweep', model: linreg, wd: [1e-3], dropout: [0, 0.5], steps: 15, seed: 1, optimizer: 'sgd', momentum: [0] }, ctx());
  assert.equal(result.curves.length, 1);
  assert.ok(result.warnings.some((w) => /createModel ignores hp.dropout/.test(w)));
});

test('sweep: dropout alone on a model that ignores hp.dropout is refused (a weight-decay sweep in its place answered another question); momentum alone runs one curve per momentum, not times the weight-decay grid, and never calls momentum "regularization"', async () => {
  await assert.rejects(sweep({ kind: 'sweep', model: linreg, dropout: [0, 0.5], steps: 15, seed: 1 }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'dropout' && /^--dropout cannot be swept: createModel ignores hp\.dropout, so every curve would be the same\.$/.test(e.message));
  const momenta = await sweep({ kind: 'sweep', model: tiny, momentum: [0.5, 0.9, 0.99], steps: 25, seed: 3 }, ctx());
  assert.deepEqual(momenta.curves.map((c) => [c.weightDecay, c.momentum]), [[0, 0.5], [0, 0.9], [0, 0.99]]);
  assert.ok(!momenta.warnings.some((w) => /Weight decay grid/.test(w)), momenta.warnings.join('\n'));
  assert.doesNotMatch(momenta.reason, /regularization/);
  // …and ranks none (it starred one beside the note that range tests do not find the best momentum).
  assert.equal(momenta.best, null);
  assert.match(momenta.reason, /^Not ranked: range tests per momentum show where each one's usable LR range ends .*lrlab sweep --short-runs --momentum 0\.5,0\.9,0\.99 --max-lr <the LR you found>\.$/);
  // Dropout on the training loss: the comparison's caveat is said.
  const dropped = await sweep({ kind: 'sweep', model: tiny, wd: [0], dropout: [0, 0.5], steps: 25, seed: 3 }, ctx());
  assert.ok(dropped.warnings.some((w) => /^Dropout curves on the training loss \(--signal train\) are measured with dropout on/.test(w)), dropped.warnings.join('\n'));
});

test('train: a cyclic policy whose rise is longer than the run says the LR never reaches --max-lr, and how long a rise fits', async () => {
  const short = await train({ kind: 'train', model: tiny, policy: 'triangular2', schedule: { maxLr: 0.3 }, epochs: 2, batchSize: 160, seed: 1 }, ctx());
  const peak = Math.max(...short.history.map((h) => h.lr));
  assert.ok(peak < 0.3 / 2, `peak ${peak}`);
  assert.ok(short.warnings.some((w) => /^The cycle rises over --step-size-up 2000 steps, longer than the run's 6: the LR never reaches --max-lr 0\.3 \(it peaks at \S+\)\. Give --step-size-up about half the run \(3\) for one whole cycle, or use --policy onecycle\.$/.test(w)), short.warnings.join('\n'));
  const fitting = await train({ kind: 'train', model: tiny, policy: 'triangular2', schedule: { maxLr: 0.3, stepSizeUp: 3 }, epochs: 2, batchSize: 160, seed: 1 }, ctx());
  assert.ok(!fitting.warnings.some((w) => /never reaches --max-lr/.test(w)), fitting.warnings.join('\n'));
});

test('train: a one-cycle policy given a --total-steps other than the run\'s says what the run gets of it; the run\'s own length says nothing', async () => {
  // tiny: 480 training samples at batch 160 = 3 batches an epoch, 6 steps in 2 epochs.
  const shorter = await train({ kind: 'train', model: tiny, policy: 'onecycle', schedule: { maxLr: 0.3, totalSteps: 3 }, epochs: 2, batchSize: 160, seed: 1 }, ctx());
  assert.ok(shorter.warnings.some((w) => /^--total-steps 3 is shorter than the run \(2 epochs × 3 batches = 6 steps\): the schedule ends at step 3 and the last 3 steps train at its final LR \S+\. Leave --total-steps out to fit the schedule to the run, or give --total-steps 6\.$/.test(w)), shorter.warnings.join('\n'));
  const longer = await train({ kind: 'train', model: tiny, policy: 'smith', schedule: { maxLr: 0.3, totalSteps: 60 }, epochs: 2, batchSize: 160, seed: 1 }, ctx());
  assert.ok(longer.warnings.some((w) => /^--total-steps 60 is longer than the run \(2 epochs × 3 batches = 6 steps\): the run stops 10% into the schedule, at LR \S+, having peaked at \S+ of --max-lr 0\.3\. Leave --total-steps out/.test(w)), longer.warnings.join('\n'));
  const own = await train({ kind: 'train', model: tiny, policy: 'onecycle', schedule: { maxLr: 0.3, totalSteps: 6 }, epochs: 2, batchSize: 160, seed: 1 }, ctx());
  assert.ok(!own.warnings.some((w) => w.includes('--total-steps')), own.warnings.join('\n'));
});

test('sweep: curves that all stayed at the baseline learned nothing: none is starred, and the reason says so and what to do (a slow LSTM\'s four curves at chance had one starred)', async () => {
  const r = await sweep({ kind: 'sweep', model: path.join(fixtures, 'randomLabels.js'), wd: [1e-3, 1e-4], dropout: [0, 0.3], steps: 40, seed: 1, signal: 'val' }, ctx());
  assert.equal(r.curves.length, 4);
  assert.equal(r.best, null);
  // Nor does any curve have a headline of its own (it showed a max LR 0.0554 on each), as find-lr has none there.
  assert.deepEqual(r.curves.map((c) => c.recommended), [null, null, null, null]);
  assert.match(r.reason, /^No curve got clearly below the baseline \(the chance level 1\.1; clearly below means under (0\.98\d), by more than the batches' scatter\): in 40 steps none learned anything yet, so their order is noise and they cannot rank the regularization\. A slow starter learns over more steps \(--steps 120\); or find the LR first \(lrlab find-lr/);
  // The curves' own reasons give the same bar (the summary said "under 1910" beside curves' "under 1810").
  const bar = /clearly below means under ([\d.]+)/.exec(r.reason)?.[1];
  const own = r.curves.map((c) => /clearly below means under ([\d.]+)/.exec(c.noHeadline ?? '')?.[1]).filter((x) => x !== undefined);
  assert.ok(own.length > 0 && own.every((x) => x === bar), `summary ${bar}, curves ${own.join(', ')}`);
  // A model that learns is still ranked.
  const learned = await sweep({ kind: 'sweep', model: tiny, wd: [1e-2, 0], steps: 40, seed: 3 }, ctx());
  assert.notEqual(learned.best, null, learned.reason);
});

test('sweep: curves too short to read (--steps 3) say so, not "no curve reached a finite loss"', async () => {
  const r = await sweep({ kind: 'sweep', model: tiny, wd: [1e-3], steps: 3, seed: 1 }, ctx());
  assert.equal(r.best, null);
  assert.equal(r.reason, 'No curve has enough points to read (3 steps each; the loss was finite): raise --steps (the default is 100).');
});

test('one curve, or one weight decay by short runs, compares nothing: no best (they printed "best: wd 1e-3 …")', async () => {
  const one = await sweep({ kind: 'sweep', model: tiny, wd: [1e-3], steps: 40, seed: 1 }, ctx());
  assert.equal(one.curves.length, 1);
  assert.equal(one.best, null);
  assert.match(one.reason, /^One curve \(wd 1e-3\): nothing was compared\. Give two or more values/);
  const single = await weightDecayStudy({ kind: 'weight-decay', model: tiny, maxLr: 0.3, values: [1e-3], steps: 40, seed: 1 }, ctx());
  assert.equal(single.runs.length, 1);
  assert.equal(single.best, null);
  assert.match(single.reason, /^One weight decay \(wd 1e-3\): nothing was compared\./);
});

test('sweep: bad values name the option', async () => {
  await assert.rejects(sweep({ kind: 'sweep', model: tiny, wd: [-1] }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'wd');
});

test('train: per-epoch history, LR/momentum follow the schedule, a verdict, and the schedule length covers the run', async () => {
  const points: AppendParams[] = [];
  // tiny compiles plain tf.train.sgd (momentum 0, nothing to cycle): --momentum 0.9 gives it momentum to cycle.
  const result = await train({ kind: 'train', model: tiny, policy: 'smith', schedule: { maxLr: 0.5 }, momentum: 0.9, epochs: 4, batchSize: 32, seed: 1 }, ctx(undefined, (a) => points.push(a)));
  assert.equal(result.history.length, 4);
  const perEpoch = Math.floor(480 / 32);
  assert.equal(result.schedule.totalSteps, 4 * perEpoch);
  const schedule = makeSchedule('smith', { maxLr: 0.5, totalSteps: 4 * perEpoch });
  for (const h of result.history) {
    const expected = schedule.at(h.epoch * perEpoch - 1);
    assert.ok(Math.abs(h.lr - expected.lr) < 1e-12, `epoch ${h.epoch}: lr ${h.lr} vs ${expected.lr}`);
    assert.ok(expected.momentum !== null && Math.abs((h.momentum ?? 0) - expected.momentum) < 1e-12, `epoch ${h.epoch}: momentum ${h.momentum} vs ${expected.momentum}`);
    assert.ok(h.valAccuracy !== null && h.valAccuracy >= 0 && h.valAccuracy <= 1);
  }
  assert.ok(result.history[3]!.valLoss! < result.history[0]!.valLoss!, 'it learns');
  assert.ok(['underfitting', 'overfitting', 'good'].includes(result.diagnosis.verdict ?? ''), result.diagnosis.reason);
  assert.equal(points.flatMap((a) => a.points).length, 4);
});

test('train --val-samples: judged without the whole split\'s chance accuracy, and the result\'s baseline says so', async () => {
  const whole = await train({ kind: 'train', model: tiny, policy: 'onecycle', schedule: { maxLr: 0.3 }, epochs: 2, batchSize: 32, seed: 1 }, ctx());
  assert.ok(whole.baseline?.accuracy !== undefined && whole.baseline.valSamples !== undefined && whole.baseline.valSamples > 10, JSON.stringify(whole.baseline));
  const part = await train({ kind: 'train', model: tiny, policy: 'onecycle', schedule: { maxLr: 0.3 }, epochs: 2, batchSize: 32, seed: 1, valSamples: 10 }, ctx());
  // Ten samples of the split: the chance accuracy of the whole split says nothing of them, so it is not in the baseline judged against.
  assert.equal(part.baseline?.accuracy, undefined, JSON.stringify(part.baseline));
  assert.equal(part.baseline?.valSamples, undefined);
  assert.equal(part.baseline?.loss, whole.baseline.loss);
  // Ten samples: a note says the verdict reads that few (it said nothing); the whole split, none.
  const held = whole.baseline.valSamples;
  assert.ok(part.warnings.includes(`--val-samples 10: the validation loss that verdicts and rankings read is averaged over 10 samples of the ${held} held out, and moves by chance more than the differences it judges. Give at least 30, or leave --val-samples out to use all ${held}.`), part.warnings.join(' | '));
  assert.ok(!whole.warnings.some((w) => w.startsWith('--val-samples')), whole.warnings.join(' | '));
});

test('train: saves where asked, refuses to overwrite without --force', async () => {
  const save = path.join(dir, 'saved');
  const first = await train({ kind: 'train', model: tiny, schedule: { maxLr: 0.3 }, epochs: 1, seed: 1, save }, ctx());
  assert.equal(first.savedTo, path.join(save, 'model.json'));
  assert.ok(existsSync(path.join(save, 'weights.bin')));
  // The model's loss and optimizer go with it (tfjs's includeOptimizer trainingConfig): read again, it trains with them.
  const config = (JSON.parse(readFileSync(path.join(save, 'model.json'), 'utf8')) as { trainingConfig?: { loss: unknown; optimizer_config: { class_name: string } } }).trainingConfig;
  assert.equal(config?.loss, 'categorical_crossentropy');
  assert.equal(config?.optimizer_config.class_name, 'SGD');
  await assert.rejects(train({ kind: 'train', model: tiny, schedule: { maxLr: 0.3 }, epochs: 1, save }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'save' && /--force/.test(e.fix ?? ''));
  const forced = await train({ kind: 'train', model: tiny, schedule: { maxLr: 0.3 }, epochs: 1, save, force: true }, ctx());
  assert.equal(forced.savedTo, path.join(save, 'model.json'));
  // A run that did not finish saves nothing, and says so (it said nothing about --save).
  const unsaved = path.join(dir, 'unsaved');
  const diverged = await train({ kind: 'train', model: linreg, policy: 'constant', schedule: { lr: 5 }, optimizer: 'sgd', momentum: 0, epochs: 3, seed: 1, save: unsaved }, ctx());
  assert.equal(diverged.savedTo, null);
  assert.ok(!existsSync(path.join(unsaved, 'model.json')));
  assert.ok(diverged.warnings.includes(`The model was not saved to ${path.join(unsaved, 'model.json')}: training diverged, and --save keeps only a finished run's model.`), diverged.warnings.join('\n'));
});

test("train: a loss NaN at the first step, before any update, is no LR's doing: no verdict, and no 'lower the LR' (it read 'unstable … train again 3x lower')", async () => {
  const file = path.join(dir, 'logOfNegative.js');
  // A loss of the user's own taking the log of a linear head's outputs, all -1 at the start.
  writeFileSync(file, `const tf = require('@tensorflow/tfjs');
exports.createModel = () => tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: -1 }) })] });
exports.loss = function logLoss(yTrue, yPred) { return tf.mean(tf.sub(tf.log(yPred), yTrue)); };
exports.loadData = () => ({ train: { xs: Array.from({ length: 40 }, (_, i) => [i / 40, 1 - i / 40]), ys: Array.from({ length: 40 }, (_, i) => [i % 2]) } });
`);
  const r = await train({ kind: 'train', model: file, schedule: { maxLr: 0.01 }, epochs: 3, seed: 1 }, ctx());
  assert.equal(r.history.length, 0);
  assert.equal(r.diagnosis.verdict, null);
  assert.match(r.diagnosis.reason, /^No verdict: the run never trained\. The loss was NaN\/Inf at the first step, before any update: it comes from the model's initial outputs, so no learning rate changes it\./);
  const stop = r.warnings.find((w) => w.startsWith('Stopped:')) ?? r.warnings.join('\n');
  assert.equal(stop, 'Stopped: the training loss was NaN/Inf at the first step, before any update: no learning rate changes that (the verdict says what to check).');
  assert.ok(!r.warnings.some((w) => /lower|3x/i.test(w) && /LR/.test(w)), r.warnings.join('\n'));
});

test('train: a diverging run stops with a verdict that says so; cancel keeps the epochs done', async () => {
  const diverged = await train({ kind: 'train', model: linreg, policy: 'constant', schedule: { lr: 5 }, optimizer: 'sgd', momentum: 0, epochs: 3, seed: 1 }, ctx());
  assert.equal(diverged.diagnosis.verdict, 'unstable');
  assert.match(diverged.diagnosis.reason, /diverged: the training loss became NaN\/Inf/);
  // The constant LR given is the run's LR, named with its source (it read "lr from the schedule").
  assert.deepEqual([diverged.optimizer?.lr, diverged.optimizer?.sources.lr], [5, 'flag']);
  // Given as --max-lr (or the library's maxLr), the constant LR has a source too (it had none).
  const asMax = await train({ kind: 'train', model: linreg, policy: 'constant', schedule: { maxLr: 5 }, optimizer: 'sgd', momentum: 0, epochs: 1, seed: 1, sources: { maxLr: 'option' } }, ctx());
  assert.deepEqual([asMax.optimizer?.lr, asMax.optimizer?.sources.lr], [5, 'option']);
  // A constant run has one LR, not a maximum: its advice says so (it read "Lower the maximum LR … max LR 1.67").
  const stop = diverged.warnings.find((w) => w.startsWith('Stopped:')) ?? '';
  assert.match(stop, /Lower the LR: train again 3x lower \(LR 1\.67\)/);
  assert.doesNotMatch(`${stop} ${diverged.diagnosis.reason}`, /max(imum)? LR/);
  const controller = new AbortController();
  // Cancel once two epochs are done (their records have streamed), not after a guessed time.
  let streamed = 0;
  const cancelled = await train({ kind: 'train', model: tiny, schedule: { maxLr: 0.3 }, epochs: 1000, batchSize: 8, seed: 1 }, ctx(controller.signal, (a) => (streamed += a.points.length) >= 2 && controller.abort()));
  assert.ok(cancelled.history.length >= 2 && cancelled.history.length < 1000, `${cancelled.history.length} epochs kept`);
  assert.ok(cancelled.warnings.includes(`Cancelled after ${cancelled.history.length} of 1000 epochs.`), cancelled.warnings.join(' | '));
  // Cut mid-cycle, its curve is not the schedule's: no verdict ("still falling — train longer" was the one printed).
  assert.equal(cancelled.diagnosis.verdict, null);
  assert.equal(cancelled.diagnosis.reason, `Cancelled after ${cancelled.history.length} epochs of 1000, before the smith schedule ended: no verdict on an unfinished cycle.`);
  // The epoch a cancel comes in is not kept as one (a user's row read as whole, its loss over 6 of 25
  // batches): each epoch kept ends on its last batch's LR (480 training samples at batch 8: 60 batches
  // an epoch). The signal turns aborted inside epoch 3 (it is read once a batch).
  let reads = 0;
  const midEpoch = { get aborted() { return ++reads > 150; }, addEventListener: () => undefined, removeEventListener: () => undefined } as unknown as AbortSignal;
  const cutInside = await train({ kind: 'train', model: tiny, schedule: { maxLr: 0.3 }, epochs: 1000, batchSize: 8, seed: 1 }, ctx(midEpoch));
  const cycle = makeSchedule('smith', { maxLr: 0.3, totalSteps: 1000 * 60 });
  assert.ok(cutInside.history.length >= 1 && cutInside.history.length <= 2, `${cutInside.history.length} epochs kept`);
  for (const h of cutInside.history) assert.equal(h.lr, cycle.at(h.epoch * 60 - 1).lr, `epoch ${h.epoch} ran all its batches`);
  assert.ok(cutInside.warnings.includes(`Cancelled after ${cutInside.history.length} of 1000 epochs.`), cutInside.warnings.join(' | '));
  // A constant LR has no cycle to finish: the epochs run are judged.
  const steady = new AbortController();
  let seen = 0;
  const constant = await train({ kind: 'train', model: tiny, policy: 'constant', schedule: { lr: 0.1 }, epochs: 1000, batchSize: 8, seed: 1 }, ctx(steady.signal, (a) => (seen += a.points.length) >= 3 && steady.abort()));
  assert.ok(constant.history.length >= 3 && constant.history.length < 1000, `${constant.history.length} epochs kept`);
  assert.doesNotMatch(constant.diagnosis.reason, /unfinished cycle/);
  assert.notEqual(constant.diagnosis.verdict, null, constant.diagnosis.reason);
});

test('momentum study: constant values against cyclical under the same 1cycle LR, judged on early validation loss', async () => {
  const result = await momentumStudy({ kind: 'momentum', model: tiny, maxLr: 0.3, values: [0.99, 0.9], steps: 40, seed: 2, valSamples: 20 }, ctx());
  // Judged on 20 of the split's samples: said, as train says it.
  assert.ok(result.warnings.some((w) => w.startsWith('--val-samples 20: the validation loss that verdicts and rankings read is averaged over 20 samples of the ')), result.warnings.join(' | '));
  assert.deepEqual(result.runs.map((r) => r.label), ['momentum 0.99', 'momentum 0.9', 'cyclical 0.95→0.85']);
  assert.deepEqual(result.runs[2]!.momentum, { max: 0.95, min: 0.85 });
  for (const r of result.runs) assert.ok(r.records.length >= 3 && (r.earlyValLoss !== null || r.diverged));
  assert.ok(result.best !== null);
  assert.ok(result.warnings.some((w) => /^Short runs rank momentum values; range tests per momentum \(lrlab sweep --momentum\) show how each moves the usable LR range but rank none/.test(w)), result.warnings.join('\n'));
  await assert.rejects(momentumStudy({ kind: 'momentum', model: tiny }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'maxLr');
});

test('weight decay study with refine bisects the exponent around the best', async () => {
  const result = await weightDecayStudy({ kind: 'weight-decay', model: tiny, maxLr: 0.3, values: [1e-2, 1e-3], steps: 30, seed: 2, refine: true }, ctx());
  assert.equal(result.runs.length, 4);
  const best = result.runs[0]!.earlyValLoss! <= result.runs[1]!.earlyValLoss! ? 1e-2 : 1e-3;
  const added = result.runs.slice(2).map((r) => r.weightDecay).sort();
  assert.deepEqual(added, [Number((best / 10 ** 0.5).toPrecision(2)), Number((best * 10 ** 0.5).toPrecision(2))].sort());
});

test('a saved model.json loads back in tfjs: a custom metric (a function, saved by its name "f1", which tfjs cannot load: "Unknown metric f1") is left out of its trainingConfig, the loss and optimizer kept; a loss function leaves no trainingConfig', async () => {
  const { tf } = await loadTf({ backend: 'cpu' });
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy', function f1(a: unknown, b: unknown) { return tf.metrics.categoricalAccuracy(a as never, b as never); }] });
  const folder = path.join(dir, 'customMetric');
  mkdirSync(folder, { recursive: true });
  const json = path.join(folder, 'model.json');
  for (const [file, contents] of await modelFiles(tf, model, json)) writeFileSync(file, contents);
  const config = (JSON.parse(readFileSync(json, 'utf8')) as { trainingConfig: { loss: string; metrics: unknown[]; optimizer_config: { class_name: string } } }).trainingConfig;
  assert.deepEqual([config.loss, config.metrics, config.optimizer_config.class_name], ['categorical_crossentropy', [], 'Adam']);
  const loaded = await tf.loadLayersModel(fileSystemIO(tf, json));
  assert.equal(loaded.loss, 'categoricalCrossentropy');
  model.dispose();
  loaded.dispose();
  // A loss function cannot be named there: no trainingConfig (it was `"loss": {}`, which tfjs loaded
  // with "Output … is missing from loss dictionary" and no loss at all).
  const custom = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  custom.compile({ optimizer: tf.train.adam(0.01), loss: (a: unknown, b: unknown) => tf.losses.meanSquaredError(a as never, b as never) });
  const customJson = path.join(folder, 'custom.json');
  for (const [file, contents] of await modelFiles(tf, custom, customJson)) writeFileSync(file, contents);
  assert.equal((JSON.parse(readFileSync(customJson, 'utf8')) as { trainingConfig?: unknown }).trainingConfig, undefined);
  custom.dispose();
});

test('a run that learns little under a weight decay far above the method\'s grids names that decay first; at the grids\' largest it does not', async () => {
  // linreg.ts: plain SGD on a least-squares problem, still falling after 4 epochs at max LR 0.1 (underfitting) with or without decay.
  const linreg = path.join(__dirname, '..', 'fixtures', 'engine', 'linreg.ts');
  const run = (weightDecay: number): ReturnType<typeof train> => train({ kind: 'train', model: linreg, policy: 'smith', schedule: { maxLr: 0.1 }, epochs: 4, seed: 1, weightDecay }, ctx());
  const heavy = await run(0.3);
  assert.equal(heavy.diagnosis.verdict, 'underfitting');
  assert.match(heavy.diagnosis.reason, / First, though: --weight-decay 0\.3 is far above the weight decays the method tries \(at most 1e-2, for small data and shallow nets\), and decay that strong pulls the weights toward 0 every step, which can keep a model from learning at any LR: compare the same run at 1e-3 or without it\.$/);
  const usual = await run(0.01);
  assert.equal(usual.diagnosis.verdict, 'underfitting');
  assert.doesNotMatch(usual.diagnosis.reason, /First, though/);
});

test("inputs far from scale 1 come first in train's verdict (a user's income-and-age CSV read \"train again 3–10x lower\" at two LRs with the same pinned losses), and the warning names the CSV's columns", async () => {
  const { tf } = await loadTf({ backend: 'cpu' });
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [2], activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
  const folder = path.join(dir, 'offScale');
  const json = path.join(folder, 'model.json');
  await writeModel(tf, model, json);
  model.dispose();
  const rows = Array.from({ length: 200 }, (_, i) => {
    const income = 30_000 + ((i * 7919) % 90_000);
    const age = 20 + ((i * 31) % 50);
    return `${income},${age},${income > 75_000 ? 1 : 0}`;
  });
  const csv = path.join(folder, 'people.csv');
  writeFileSync(csv, `income,age,bought\n${rows.join('\n')}\n`);
  const result = await train({ kind: 'train', model: json, data: csv, label: 'bought', policy: 'onecycle', schedule: { maxLr: 0.01 }, epochs: 3, batchSize: 32, seed: 1 }, ctx());
  assert.ok(result.warnings.some((w) => /^Input 'income' of 2 is far above scale 1 \(root mean square [\d.]+e4: /.test(w)), result.warnings.join(' | '));
  assert.notEqual(result.diagnosis.verdict, 'good', result.diagnosis.reason);
  assert.ok(result.diagnosis.reason.startsWith('The inputs are far from scale 1 (a warning names them), which can keep a model from learning at any LR: standardize them first, then train again; until then the verdict that follows reads their scale as much as the LR. '), result.diagnosis.reason);
});

test("a model trained on a CSV's class names and saved says which output unit is which class, in the result and in model.json (the order was never shown)", async () => {
  const { tf } = await loadTf({ backend: 'cpu' });
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const folder = path.join(dir, 'classNames');
  const json = path.join(folder, 'model.json');
  await writeModel(tf, model, json);
  model.dispose();
  const names = ['virginica', 'setosa', 'versicolor'];
  const csv = path.join(folder, 'flowers.csv');
  writeFileSync(csv, `a,b,species\n${Array.from({ length: 60 }, (_, i) => `${(i % 3) - 1 + 0.1 * Math.sin(i)},${0.1 * Math.cos(i)},${names[i % 3]}`).join('\n')}\n`);
  const out = path.join(folder, 'trained');
  const result = await train({ kind: 'train', model: json, data: csv, label: 'species', policy: 'onecycle', schedule: { maxLr: 0.05 }, epochs: 3, batchSize: 16, seed: 1, save: out }, ctx());
  assert.equal(result.savedTo, path.join(out, 'model.json'));
  assert.ok(result.warnings.includes("model.json's output units are the classes 'setosa', 'versicolor', 'virginica', in that order (the label column's names, sorted; also in its userDefinedMetadata.lrlab.classes)."), result.warnings.join(' | '));
  const saved = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as { userDefinedMetadata?: { lrlab?: { classes?: string[] } } };
  assert.deepEqual(saved.userDefinedMetadata?.lrlab?.classes, ['setosa', 'versicolor', 'virginica']);
  // And it loads back in tfjs.
  const back = await tf.loadLayersModel(fileSystemIO(tf, path.join(out, 'model.json')));
  back.dispose();
  // One sigmoid unit for two classes: the second class's probability (it read "the output units are the classes 'no', 'yes'").
  const binary = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
  binary.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
  const binaryJson = path.join(folder, 'binary', 'model.json');
  mkdirSync(path.dirname(binaryJson), { recursive: true });
  await writeModel(tf, binary, binaryJson);
  binary.dispose();
  const answers = path.join(folder, 'answers.csv');
  writeFileSync(answers, `a,b,bought\n${Array.from({ length: 60 }, (_, i) => `${(i % 2) - 0.5 + 0.1 * Math.sin(i)},${0.1 * Math.cos(i)},${i % 2 === 0 ? 'yes' : 'no'}`).join('\n')}\n`);
  const two = await train({ kind: 'train', model: binaryJson, data: answers, label: 'bought', policy: 'onecycle', schedule: { maxLr: 0.05 }, epochs: 2, batchSize: 16, seed: 1, save: path.join(folder, 'binaryTrained') }, ctx());
  assert.ok(two.warnings.includes("model.json's one output is the probability of 'yes' (label 1; 'no' is 0: the label column's names, sorted; also in its userDefinedMetadata.lrlab.classes)."), two.warnings.join(' | '));
});

test('a max LR found with another optimizer family or at another batch size (the editor passes the range test\'s or recipe\'s: lrFoundWith, lrFoundAtBatch) is said by train and the momentum study; the same, or none given, says nothing', async () => {
  // A user's range test with adamw (0.0151) went to "Train with 1cycle" on a model trained with SGD, without a word.
  const note = /^The max LR 0\.0151 was found by a range test with adamw, but this run trains with sgd \(from \S+\): an LR found with one optimizer is in the wrong decade for the other\. Run Find learning rate again/;
  const trained = await train({ kind: 'train', model: tiny, policy: 'smith', schedule: { maxLr: 0.0151 }, epochs: 1, batchSize: 160, seed: 1, lrFoundWith: 'adamw' }, ctx());
  assert.ok(trained.warnings.some((w) => note.test(w)), trained.warnings.join('\n'));
  const momentum = await momentumStudy({ kind: 'momentum', model: tiny, maxLr: 0.0151, values: [0.9], steps: 20, batchSize: 160, seed: 1, lrFoundWith: 'adamw' }, ctx());
  assert.ok(momentum.warnings.some((w) => note.test(w)), momentum.warnings.join('\n'));
  // The batch size too: a recipe's LR is for its recommended batch size, which the run may not train at.
  const atBatch = await train({ kind: 'train', model: tiny, policy: 'smith', schedule: { maxLr: 0.0151 }, epochs: 1, batchSize: 160, seed: 1, lrFoundAtBatch: 128 }, ctx());
  assert.ok(atBatch.warnings.includes('The max LR 0.0151 was found at batch size 128, and this run trains at 160: the LR that suits a batch grows with its size. Train at batch size 128, or find the LR at 160.'), atBatch.warnings.join('\n'));
  const sameBatch = await train({ kind: 'train', model: tiny, policy: 'smith', schedule: { maxLr: 0.0151 }, epochs: 1, batchSize: 160, seed: 1, lrFoundAtBatch: 160 }, ctx());
  assert.ok(!sameBatch.warnings.some((w) => /was found at batch size/.test(w)), sameBatch.warnings.join('\n'));
  for (const lrFoundWith of ['nesterov', undefined] as const) {
    const same = await train({ kind: 'train', model: tiny, policy: 'smith', schedule: { maxLr: 0.0151 }, epochs: 1, batchSize: 160, seed: 1, ...(lrFoundWith === undefined ? {} : { lrFoundWith }) }, ctx());
    assert.ok(!same.warnings.some((w) => /was found by a range test with/.test(w)), String(lrFoundWith));
  }
});

test("train on a sigmoid model compiled with tfjs's 'precision' says why that column reads 0% beside a high accuracy (a user's model at 95% read 0.0% unexplained); the metric keeps tfjs's number", async () => {
  const file = path.join(dir, 'precisionModel.js');
  writeFileSync(
    file,
    `const tf = require('@tensorflow/tfjs');
exports.createModel = () => {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }));
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  m.compile({ optimizer: tf.train.sgd(0.1), loss: 'binaryCrossentropy', metrics: ['accuracy', 'precision'] });
  return m;
};
exports.loadData = async () => {
  const xs = [], ys = [];
  for (let i = 0; i < 400; i++) { const a = ((i * 37) % 100) / 50 - 1, b = ((i * 61) % 100) / 50 - 1; xs.push([a, b]); ys.push([a + b > 0 ? 1 : 0]); }
  return { train: { xs: tf.tensor2d(xs), ys: tf.tensor2d(ys) } };
};
`,
  );
  const result = await train({ kind: 'train', model: file, policy: 'smith', schedule: { maxLr: 1 }, epochs: 3, seed: 1 }, ctx());
  const last = result.history.at(-1)!;
  assert.ok(last.valAccuracy !== null && last.valAccuracy > 0.8, `it learned: ${String(last.valAccuracy)}`);
  assert.equal(last.valMetrics?.['precision'], 0, "tfjs's precision: no output is exactly 1");
  assert.equal(result.warnings.filter((w) => /^'precision' is tfjs's own precision, which counts only an output of exactly 1 as a prediction/.test(w)).length, 1);
});

test("validation metrics keep float32's digits, not its noise: tfjs's accuracy read 0.5400000381469726 in train --json beside valAccuracy 0.54 for the same epoch", async () => {
  const file = path.join(dir, 'metricDigits.js');
  writeFileSync(
    file,
    `const tf = require('@tensorflow/tfjs');
exports.createModel = () => {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
};
exports.loadData = () => {
  let s = 3;
  const u = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const xs = [], ys = [];
  for (let i = 0; i < 250; i++) { const x = [u(), u(), u(), u()]; xs.push(x); const c = x.indexOf(Math.max(x[0], x[1], x[2])); ys.push([0, 1, 2].map((k) => (k === c ? 1 : 0))); }
  return { train: { xs, ys } };
};
`,
  );
  const result = await train({ kind: 'train', model: file, policy: 'smith', schedule: { maxLr: 0.05 }, epochs: 4, seed: 9 }, ctx());
  // Seed 9's first epoch read 0.30000001907348633 beside 0.3. 50 validation samples: every accuracy is a multiple of 0.02, which 7 digits carry exactly.
  for (const epoch of result.history) assert.equal(epoch.valMetrics?.['accuracy'], epoch.valAccuracy, JSON.stringify(epoch));
});
