/** "Compare selected" in the side view (src/extension/compare.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRefusal, compareSnapshot } from '../../src/extension/compare';
import type { RunSnapshot } from '../../src/protocol/webviewMessages';

const point = (step: number, loss: number): RunSnapshot['series'][string][number] => ({ step, lr: 0.01, momentum: null, loss, smoothed: null, valLoss: loss, valAccuracy: null, seconds: step });
const run = (kind: RunSnapshot['kind'], label: string, series: RunSnapshot['series']): RunSnapshot => ({ runId: `${label}-0000000000`, kind, model: `/w/${label}`, label, startedAt: '2026-12-07T02:10:00.000Z', state: 'done', settings: {}, series, progress: null, result: null, chosenRange: null, error: null });

test('two runs of one kind overlay: range tests by their main curves, studies by each series under the run\'s name', () => {
  const a = run('find-lr', 'mlp.mjs', { main: [point(1, 2)] });
  const b = run('find-lr', 'cnn.mjs', { main: [point(1, 1)] });
  assert.equal(compareRefusal(a, b), null);
  assert.deepEqual(Object.keys(compareSnapshot(a, b).series), ['mlp.mjs 12-07 02:10', 'cnn.mjs 12-07 02:10']);
  // A batch-size study has no main curve (its series are the sizes): they came out empty.
  const c = run('batch-size', 'reg.js', { 'batch 32': [point(1, 3)], 'batch 64': [point(1, 2)] });
  const d = run('batch-size', 'reg2.js', { 'batch 32': [point(1, 4)] });
  const both = compareSnapshot(c, d);
  assert.deepEqual(Object.keys(both.series), ['reg.js 12-07 02:10 · batch 32', 'reg.js 12-07 02:10 · batch 64', 'reg2.js 12-07 02:10 · batch 32']);
  assert.equal(both.series['reg.js 12-07 02:10 · batch 64']?.length, 1);
});

test('runs of two kinds are refused, naming both (a batch-size study beside a range test drew under the study\'s axes)', () => {
  const refusal = compareRefusal(run('batch-size', 'regression.js', {}), run('find-lr', 'mlp.mjs', {}));
  assert.equal(refusal, 'Compare overlays two runs of one kind: regression.js is a batch-size run and mlp.mjs a find-lr run. Select two range tests, two batch-size studies, or the like.');
});
