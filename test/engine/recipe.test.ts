/** The recipe end to end on a tiny model: every step's evidence, the budget respected, cancel. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { built } from '../built';
import { recipe } from '../../src/engine/experiments/recipe';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { OptionError } from '../../src/protocol/errors';

const root = path.join(__dirname, '..', '..');
const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
const ctx = (signal = new AbortController().signal, onProgress: (message: string) => void = () => undefined): { reporter: Reporter; signal: AbortSignal } => ({ reporter: new Reporter('t', { ...silentSink, progress: (p) => onProgress(p.message) }, 0), signal });

test('recipe within a 12 s budget: range test, momentum, weight decay, confirming run, recommendation', async () => {
  built('engine.js');
  const budget = 12;
  const result = await recipe({ kind: 'recipe', model: tiny, budgetSeconds: budget, seed: 1 }, ctx());
  assert.deepEqual(result.steps.map((s) => s.name), ['range-test', 'batch-size', 'momentum', 'weight-decay', 'train']);
  assert.equal(result.steps[1]!.status, 'skipped', 'a 12 s budget cannot fit a batch-size study');
  assert.match(result.steps[1]!.message, /too short/);
  assert.equal(result.steps[0]!.evidence?.kind, 'find-lr');
  assert.equal(result.steps[4]!.evidence?.kind, 'train');
  // The model compiles plain tf.train.sgd: momentum 0, so there is none to tune or cycle.
  assert.equal(result.steps[2]!.status, 'skipped');
  assert.match(result.steps[2]!.message, /momentum is 0 \(model\.compile\)/);
  assert.deepEqual(result.recommendation?.momentum, { max: 0, min: 0 });
  assert.equal(result.optimizer?.sources.momentum, 'model.compile');
  assert.ok(result.recommendation !== null);
  assert.ok(result.recommendation.lr.maxLr > result.recommendation.lr.minLr);
  // The recommendation's LR is the range test's headline (the batch size did not change).
  const rangeTest = result.steps[0]!.evidence;
  assert.ok(rangeTest?.kind === 'find-lr' && rangeTest.recommended !== null);
  assert.deepEqual(result.recommendation.lr, { minLr: rangeTest.recommended.minLr, maxLr: rangeTest.recommended.maxLr });
  assert.ok(result.recommendation.epochs >= 1);
  assert.ok(result.diagnosis !== null);
  // The budget holds (model loading and one last evaluation may spill over a little).
  assert.ok(result.seconds < budget * 1.25 + 2, `took ${result.seconds.toFixed(1)} s of ${budget}`);
  assert.ok(result.estimatedSeconds > 0);
});

test('recipe: cancelled mid-way it returns the steps done and says so', async () => {
  const controller = new AbortController();
  const result = await recipe({ kind: 'recipe', model: tiny, budgetSeconds: 60, seed: 1 }, ctx(controller.signal, (message) => {
    if (message.startsWith('Step 4/5')) controller.abort();
  }));
  assert.deepEqual(result.steps.map((s) => s.name), ['range-test', 'batch-size', 'momentum', 'weight-decay']);
  assert.equal(result.recommendation, null);
  assert.ok(result.warnings.some((w) => /Cancelled after \d of 5 steps/.test(w)));
});

test('recipe: a zero budget names --budget', async () => {
  await assert.rejects(recipe({ kind: 'recipe', model: tiny, budgetSeconds: 0 }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'budget');
});
