/** The batch-size study: each size in its own engine process, equal wall time, OOM sizes skipped. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { built } from '../built';
import { batchSizeStudy, overBudgetNote, shareOfBudget, sizesThatLost, studyScriptNote, studyWarnings } from '../../src/engine/experiments/batchSize';
import { failureWarnings } from '../../src/engine/experiments/recipe';
import { otherDataWarning, poolWarnings } from '../../src/engine/distributed/pool';
import { version } from '../../src/engine/version';
import type { BatchSizeRun, Baseline } from '../../src/protocol/results';
import { RECIPE_STEP_NUMBER } from '../../src/protocol/results';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { OptionError } from '../../src/protocol/errors';

const root = path.join(__dirname, '..', '..');
const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-bs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ctx = (): { reporter: Reporter; signal: AbortSignal } => ({ reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal });

test('--budget is the whole study: its wall time from start to result lands on the budget; equal training time per size, its own max LR; a size larger than the data skipped with the reason', async () => {
  built('engine.js');
  // Engine start-ups (a few seconds each on a loaded machine) and range tests come out of the budget.
  const budget = 16;
  const t0 = performance.now();
  const result = await batchSizeStudy({ kind: 'batch-size', model: tiny, sizes: [100_000, 16, 64], budgetSeconds: budget, targetAccuracy: 0.9, rangeSteps: 30, seed: 1 }, ctx(), t0);
  const wall = (performance.now() - t0) / 1000;
  assert.deepEqual(result.runs.map((r) => r.status), ['skipped', 'ok', 'ok'], JSON.stringify(result.runs.map((r) => r.reason)));
  assert.match(result.runs[0]!.reason ?? '', /larger than the training data/);
  const trained = result.runs.slice(1).map((r) => r.curve.at(-1)!.seconds);
  for (const r of result.runs.slice(1)) {
    assert.ok(r.maxLr !== null && r.maxLr > 0);
    assert.ok(r.curve.length >= 1);
    // The time to the target is where the curve holds it to the end, and only there.
    const held = r.curve.map((p) => p.valAccuracy !== null && p.valAccuracy >= 0.9);
    const from = held.every(Boolean) ? 0 : held.lastIndexOf(false) + 1;
    assert.equal(r.timeToTarget, from < r.curve.length ? r.curve[from]!.seconds : null, JSON.stringify(r.curve));
  }
  // Sizes train for equal time (the second never longer than the first; an epoch's evaluation may end it a little early).
  assert.ok(trained[1]! <= trained[0]! + 0.5 && trained[1]! >= 0.6 * trained[0]!, `trained ${trained.join(', ')} s`);
  assert.ok(result.best !== null && result.best >= 1);
  assert.ok(wall <= budget + 3, `whole study ${wall.toFixed(1)} s of a ${budget} s budget`);
  assert.ok(wall >= 0.75 * budget, `whole study ${wall.toFixed(1)} s of a ${budget} s budget: it should use the budget`);
  assert.ok(Math.abs(result.seconds - wall) < 1, `result.seconds ${result.seconds} is the study's wall time ${wall}`);
});

test('--target-acc at or below the chance accuracy, or --target-loss at or above the baseline loss: the study says a model that learned nothing reaches it (a 95/5 classifier "reached" 0.95 in 0.1 s)', async () => {
  built('engine.js');
  // tinyClassifier's validation: its most frequent class is 36–39% of it (three classes).
  const low = await batchSizeStudy({ kind: 'batch-size', model: tiny, sizes: [16], budgetSeconds: 6, targetAccuracy: 0.35, rangeSteps: 30, seed: 1 }, ctx(), performance.now());
  const chance = low.baseline?.accuracy ?? 0;
  assert.ok(chance >= 0.35, `chance ${chance}`);
  const warning = low.warnings.find((w) => w.startsWith('--target-acc'));
  assert.match(warning ?? low.warnings.join('\n'), /^--target-acc 0\.35 is not above the 3\d\.\d% validation accuracy of always predicting the most frequent class: a model that learned nothing reaches it, so the times to it say nothing about training\. Give a target above 3\d\.\d%, or --target-loss below the baseline loss 1\.\d+\.$/);
  // A loss target above the best constant's (the library takes both targets; either is reached).
  const high = await batchSizeStudy({ kind: 'batch-size', model: tiny, sizes: [16], budgetSeconds: 6, targetAccuracy: 0.9, targetLoss: 50, rangeSteps: 30, seed: 1 }, ctx(), performance.now());
  assert.ok(!high.warnings.some((w) => w.startsWith('--target-acc')), high.warnings.join('\n'));
  assert.match(high.warnings.find((w) => w.startsWith('--target-loss')) ?? high.warnings.join('\n'), /^--target-loss 50 is not below the validation loss 1\.\d+ of always predicting the best constant: a model that learned nothing reaches it, so the times to it say nothing about training\. Give a target below 1\.\d+\.$/);
});

test('shareOfBudget: the time left split equally among the sizes still to run; sizes running in parallel share wall time', () => {
  assert.equal(shareOfBudget(60, 4), 15);
  assert.equal(shareOfBudget(60, 4, 2), 30);
  assert.equal(shareOfBudget(60, 3, 2), 30);
  assert.equal(shareOfBudget(-5, 2), 0);
});

test('a budget too short for a size to train: the size is skipped saying so, not run past the budget', async () => {
  built('engine.js');
  const budget = 1;
  const t0 = performance.now();
  const result = await batchSizeStudy({ kind: 'batch-size', model: tiny, sizes: [16, 32], budgetSeconds: budget, rangeSteps: 30, seed: 1, backend: 'cpu' }, ctx(), t0);
  const wall = (performance.now() - t0) / 1000;
  assert.deepEqual(result.runs.map((r) => r.status), ['skipped', 'skipped']);
  // No size's engine reported its backend: the result names the one asked for (it said wasm).
  assert.equal(result.backend, 'cpu');
  // Largest first: 32's half of the budget is too short to start; 16 then has the rest (the result keeps the order given).
  assert.match(result.runs[1]!.reason ?? '', /no time left of --budget 1 s/);
  // Killed while starting up, or started and range-tested too late: either way its share was too short to train.
  assert.match(result.runs[0]!.reason ?? '', /share of --budget 1 s ran out before (it trained|its range test began)|share of --budget, leaving no time to train/);
  // Its engine is stopped a second after its share ends.
  assert.ok(wall <= budget + 3, `${wall} s`);
});

test('a size whose run exhausts memory is skipped with the reason, the study goes on', async () => {
  built('engine.js');
  const model = path.join(dir, 'oom.js');
  writeFileSync(model, `const tf = require('@tensorflow/tfjs');\nexports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, inputShape: [2] })); return m; };\nexports.loadData = async () => { const big = tf.zeros([60000, 60000]); return { train: { xs: big, ys: big } }; };\n`);
  const result = await batchSizeStudy({ kind: 'batch-size', model, sizes: [8, 16], budgetSeconds: 120 }, ctx());
  assert.deepEqual(result.runs.map((r) => r.status), ['skipped', 'skipped']);
  assert.match(result.runs[0]!.reason ?? '', /ran out of memory/);
  assert.equal(result.best, null);
});

test('a zero budget is refused, naming --budget', async () => {
  await assert.rejects(batchSizeStudy({ kind: 'batch-size', model: tiny, budgetSeconds: 0 }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'budget');
});

test('a size whose validation loss ended far above its own best is named: where it ended says little about its batch size', () => {
  const run = (batchSize: number, losses: number[]): BatchSizeRun => ({ batchSize, status: 'ok', reason: null, maxLr: 0.3, stepsPerSecond: 100, curve: losses.map((valLoss, i) => ({ seconds: i + 1, epoch: (i + 1) * 10, valLoss, valAccuracy: null })), timeToTarget: null, finalValLoss: losses.at(-1)!, finalValAccuracy: null });
  const LN2: Baseline = { loss: 0.693, valLoss: 0.693, kind: 'chance' };
  // Down to 0.04, up to 1.1, ended at 0.56 (a user's XOR-like model at its range test's LR for 2,000 epochs); one that held; one that ended 2.5x its best but by under a tenth of the baseline.
  const lost = sizesThatLost([run(128, [0.5, 0.04, 0.6, 1.1, 0.56]), run(256, [0.5, 0.08, 0.06, 0.05, 0.052]), run(512, [0.5, 0.02, 0.03, 0.05, 0.05])], LN2);
  assert.deepEqual(lost, ['Batch 128 lost what it had learned: its validation loss reached 0.04 (at 2 s, epoch 20) and ended at 0.56 at max LR 0.3. Where it ended says more about that than about its batch size: check it with lrlab train --batch-size 128 at a lower max LR, or give a shorter --budget.']);
  // Every size lost it (a recipe's sizes ended 1.6–1.9x their bests after hundreds of epochs; at 2x none was named):
  // one note says the ranking is of that, and how to rank them instead.
  const all = sizesThatLost([run(32, [1.2, 0.448, 0.6, 0.765]), run(64, [1.2, 0.461, 0.7, 0.884]), run(128, [1.2, 0.6, 0.422, 0.692])], { loss: 1.386, valLoss: 1.386, kind: 'chance' });
  assert.deepEqual(all, [
    'Every batch size lost what it had learned within the budget (validation loss from its best to its end: batch 32 0.448 → 0.765, batch 64 0.461 → 0.884, batch 128 0.422 → 0.692), so where each ended ranks how far it overfit, or how long its max LR stayed too high, more than its batch size. Rank them by the time each takes to reach a loss instead — lrlab batch-size with --target-loss 0.461 (the highest of their bests) — or give lrlab batch-size a shorter --budget (each had reached its best within 3 s of training).',
  ]);
  // A recipe's step passes that note on as its own (the recipe read no warning at all).
  assert.deepEqual(failureWarnings({ name: 'batch-size', status: 'done', seconds: 30, evidence: { warnings: all } as never, message: 'batch 128' }), [`Step 2 (batch-size): ${all[0]!}`]);
  // Without a baseline: by over half its fall from the start.
  assert.equal(sizesThatLost([run(32, [0.5, 0.04, 0.3, 0.3])], null).length, 1);
  assert.equal(sizesThatLost([run(32, [0.5, 0.04, 0.1, 0.1])], null).length, 0);
  // A loss that can be negative (a custom one): "twice its best" means nothing there.
  assert.equal(sizesThatLost([run(32, [-0.2, -1, -0.5, -0.5])], null).length, 0);
  // Cancelled: the size cut short ended mid-cycle, at an LR still high — no "lost what it had learned" (a user's Ctrl-C read it).
  const notes = (aborted: boolean): string[] => {
    const controller = new AbortController();
    if (aborted) controller.abort();
    return studyWarnings([run(128, [0.5, 0.04, 0.6, 1.1, 0.56])], 3, [], { reporter: new Reporter('t', silentSink, 0), signal: controller.signal }, { kind: 'batch-size', model: tiny, budgetSeconds: 60 }, LN2);
  };
  assert.ok(notes(false).some((w) => w.startsWith('Batch 128 lost what it had learned')), notes(false).join(' | '));
  assert.deepEqual(notes(true), ['Cancelled after 1 of 3 batch sizes.']);
});

test('a study on workers that overran its budget says why (sizes that waited for a worker), and a recipe shows it as its own', () => {
  const note = overBudgetNote(59.2, 20, 3, 1);
  assert.equal(note, "The study took 59 s of its 20 s budget: its 3 sizes ran on 1 worker; a size's share of the budget starts when a worker takes it, so sizes that waited for one ran after it. Start as many worker processes as sizes (lrlab worker --concurrency 3, or workers on more machines), free of other runs, for the study to keep its budget.");
  // From how the sizes fared (a user trial: a worker killed mid-size read "start as many worker processes
  // as sizes" on 2 worker processes, and "ran on 3 workers" counting the dead one).
  const rerun = overBudgetNote(44, 30, 2, 2, [{ label: 'batch 32', starts: 2, waitedSeconds: 0.2 }, { label: 'batch 64', starts: 1, waitedSeconds: 0.3 }], 2);
  assert.equal(rerun, 'The study took 44 s of its 30 s budget: its 2 sizes ran on 2 workers; batch 32 ran 2 times: its worker or engine stopped mid-run, and each run starts a size\'s share of the budget anew. Run it again for a study on time; where workers keep stopping, their logs say why (out of memory: a smaller --batch-size or model).');
  const busy = overBudgetNote(40, 20, 2, 2, [{ label: 'batch 32', starts: 1, waitedSeconds: 19.5 }, { label: 'batch 64', starts: 1, waitedSeconds: 0.4 }], 2);
  assert.match(busy, /; batch 32 waited 20 s for a worker: a size's share of the budget starts when a worker takes it, and the workers were busy, with other runs or other sizes\. Start as many worker processes/);
  assert.deepEqual(failureWarnings({ name: 'batch-size', status: 'done', seconds: 60, evidence: { warnings: [note, 'Batch 32: another note'] } as never, message: 'batch 64' }), [`Step 2 (batch-size): ${note}`]);
});

test('a recipe says its studies\' scale-out warnings as its own: unlike workers, mixed backends, another LR Lab version (a user\'s recipe chose momentum and weight decay from mixed-backend trials, saying so only inside the steps)', () => {
  const cpu = { id: 'a:1', backend: 'cpu', threads: 1, cpu: 'x', cores: 2, memoryGb: 4, version };
  const wasm = { ...cpu, id: 'b:2', backend: 'wasm', cores: 8 };
  const [unlike] = poolWarnings([cpu, wasm] as never, true);
  const [mixed] = poolWarnings([cpu, wasm] as never, false);
  const [older] = poolWarnings([{ ...cpu, version: '0.0.9' }] as never, false);
  // A worker that loaded other data (a stale synced copy): its weight-decay runs are of that data.
  const otherData = otherDataWarning('c:3', '96 training samples and 24 validation ones there, 120 and 30 here, and other labels', ['wd 1e-3']);
  for (const [name, warning] of [['batch-size', unlike], ['momentum', mixed], ['weight-decay', older], ['weight-decay', otherData]] as const) {
    assert.ok(warning !== undefined);
    assert.deepEqual(failureWarnings({ name, status: 'done', seconds: 10, evidence: { warnings: [warning, 'Some other note.'] } as never, message: '' }), [`Step ${RECIPE_STEP_NUMBER[name]} (${name}): ${warning}`]);
  }
});

test("a training script's 'Model and data taken from' note is said once by the study, without each size as a --batch-size the user never gave (3 sizes read 3 notes)", () => {
  const notes = [
    'Model and data taken from the model.fit call at s24.mjs:10 (--batch-size 32 instead of its batch size 16, 5 epochs, validationSplit 0.2); the script stopped there.',
    'Model and data taken from the model.fit call at s24.mjs:10 (--batch-size 16, 5 epochs, validationSplit 0.2); the script stopped there.',
    'Model and data taken from the model.fit call at s24.mjs:10 (--batch-size 64 instead of its batch size 16, 5 epochs, validationSplit 0.2); the script stopped there.',
  ];
  assert.equal(studyScriptNote(notes[0]!), "Model and data taken from the model.fit call at s24.mjs:10 (its batch size 16 replaced by each size's own, 5 epochs, validationSplit 0.2); the script stopped there.");
  assert.equal(studyScriptNote(notes[1]!), "Model and data taken from the model.fit call at s24.mjs:10 (each size's own, 5 epochs, validationSplit 0.2); the script stopped there.");
  const said = studyWarnings([], 3, notes, { reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal }, { kind: 'batch-size', model: tiny, budgetSeconds: 60 }, null);
  assert.deepEqual(said.filter((w) => w.startsWith('Model and data')), [studyScriptNote(notes[0]!)]);
  assert.equal(studyScriptNote('Another note (--batch-size 32, 2 epochs).'), 'Another note (--batch-size 32, 2 epochs).');
});
