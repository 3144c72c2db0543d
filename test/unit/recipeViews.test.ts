/** A recipe run drawn one step at a time (webview/recipeViews.ts, src/protocol/progress.ts's series names). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickedView, recipeViews } from '../../webview/recipeViews';
import { batchSizeSeries, momentumSeries, recipeStepOfSeries, weightDecaySeries } from '../../src/protocol/progress';
import type { StreamPoint } from '../../src/protocol/progress';
import type { RunSnapshot } from '../../src/protocol/webviewMessages';
import type { FindLrResult, RecipeResult, TrainResult } from '../../src/protocol/results';

const point = (step: number): StreamPoint => ({ step, lr: 0.01 * (step + 1), momentum: null, loss: 1 / (step + 1), smoothed: null, valLoss: 1 / (step + 1), valAccuracy: null, seconds: step });

function recipeRun(series: Record<string, StreamPoint[]>, result: RecipeResult | null = null): RunSnapshot {
  return { runId: 'r', kind: 'recipe', model: '/w/m.js', label: 'm.js', startedAt: '2026-12-07T00:00:00Z', state: result === null ? 'running' : 'done', settings: {}, series, progress: null, result, chosenRange: null, error: null };
}

test("every series the recipe streams names its step, by the engine's own label builders; others none", () => {
  assert.equal(recipeStepOfSeries('main'), 'range-test');
  assert.equal(recipeStepOfSeries(batchSizeSeries(64)), 'batch-size');
  assert.equal(recipeStepOfSeries(batchSizeSeries(64, true)), 'batch-size');
  assert.equal(recipeStepOfSeries(momentumSeries(0.9)), 'momentum');
  assert.equal(recipeStepOfSeries(momentumSeries({ max: 0.95, min: 0.85 })), 'momentum');
  assert.equal(recipeStepOfSeries(weightDecaySeries('1e-4')), 'weight-decay');
  assert.equal(recipeStepOfSeries('train'), 'train');
  assert.equal(recipeStepOfSeries('wd 1e-4, dropout 0.3'), null);
  assert.equal(recipeStepOfSeries('batch 64 extra'), null);
});

test('a recipe run is one view per step with points, in the recipe\'s order, each of its own kind with only its series; the latest is drawn unless one is picked', () => {
  const series = { train: [point(0)], 'momentum 0.9': [point(0), point(1)], main: [point(0), point(1), point(2)], 'cyclical 0.95→0.85': [point(0)], 'wd 1e-4': [], 'batch 32 range test': [point(0)], 'batch 32': [point(0)] };
  const views = recipeViews(recipeRun(series));
  assert.deepEqual(views.map((v) => [v.step, v.run.kind, Object.keys(v.run.series).sort()]), [
    ['range-test', 'find-lr', ['main']],
    ['batch-size', 'batch-size', ['batch 32', 'batch 32 range test']],
    ['momentum', 'momentum', ['cyclical 0.95→0.85', 'momentum 0.9']],
    ['train', 'train', ['train']],
  ]);
  assert.deepEqual(views.map((v) => v.title), ['LR range test', 'Batch size', 'Momentum', '1cycle run']);
  // While it runs: the latest step; a picked one stays until it has no points.
  assert.equal(pickedView(views, null)?.step, 'train');
  assert.equal(pickedView(views, 'momentum')?.step, 'momentum');
  assert.equal(pickedView(views, 'weight-decay')?.step, 'train');
  assert.equal(pickedView([], null), null);
});

test("each step's evidence is its view's result (the range test's headline and baseline, the run's verdict); a retried range test shows the last test's", () => {
  const first = { kind: 'find-lr', settings: { signal: 'train' } } as unknown as FindLrResult;
  const second = { kind: 'find-lr', settings: { signal: 'val' } } as unknown as FindLrResult;
  const trained = { kind: 'train' } as unknown as TrainResult;
  const result = { kind: 'recipe', steps: [
    { name: 'range-test', status: 'done', message: '', seconds: 1, evidence: first },
    { name: 'range-test', status: 'done', message: '', seconds: 1, evidence: second },
    { name: 'train', status: 'done', message: '', seconds: 1, evidence: trained },
  ] } as unknown as RecipeResult;
  const views = recipeViews(recipeRun({ main: [point(0)], train: [point(0)] }, result));
  assert.equal(views[0]!.run.result, second);
  assert.equal(views[0]!.run.settings.signal, 'val');
  assert.equal(views[1]!.run.result, trained);
  // Before the result: none (the chart draws the streamed points).
  assert.equal(recipeViews(recipeRun({ main: [point(0)] }))[0]!.run.result, null);
});
