/** The batch-size study: each size in its own engine process, equal wall time, OOM sizes skipped. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { built } from '../built';
import { batchSizeStudy } from '../../src/engine/experiments/batchSize';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { OptionError } from '../../src/protocol/errors';

const root = path.join(__dirname, '..', '..');
const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-bs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ctx = (): { reporter: Reporter; signal: AbortSignal } => ({ reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal });

test('equal wall time per size, its own max LR, a size larger than the data skipped with the reason', async () => {
  built('engine.js');
  const budget = 2;
  const t0 = performance.now();
  const result = await batchSizeStudy({ kind: 'batch-size', model: tiny, sizes: [16, 64, 100_000], budgetSeconds: budget, targetAccuracy: 0.9, rangeSteps: 30, seed: 1 }, ctx());
  const wall = (performance.now() - t0) / 1000;
  assert.deepEqual(result.runs.map((r) => r.status), ['ok', 'ok', 'skipped']);
  assert.match(result.runs[2]!.reason ?? '', /larger than the training data/);
  for (const r of result.runs.slice(0, 2)) {
    assert.ok(r.maxLr !== null && r.maxLr > 0);
    assert.ok(r.curve.length >= 1);
    // Training stops at the budget (one epoch's evaluation may run past it).
    assert.ok(r.curve.at(-1)!.seconds < budget + 1.5, `batch ${r.batchSize} trained ${r.curve.at(-1)!.seconds} s`);
  }
  assert.ok(result.best !== null && result.best < 2);
  assert.ok(wall < 3 * (budget + 8), `whole study ${wall.toFixed(1)} s`);
});

test('a size whose run exhausts memory is skipped with the reason, the study goes on', async () => {
  built('engine.js');
  const model = path.join(dir, 'oom.js');
  writeFileSync(model, `const tf = require('@tensorflow/tfjs');\nexports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, inputShape: [2] })); return m; };\nexports.loadData = async () => { const big = tf.zeros([60000, 60000]); return { train: { xs: big, ys: big } }; };\n`);
  const result = await batchSizeStudy({ kind: 'batch-size', model, sizes: [8, 16], budgetSeconds: 1 }, ctx());
  assert.deepEqual(result.runs.map((r) => r.status), ['skipped', 'skipped']);
  assert.match(result.runs[0]!.reason ?? '', /ran out of memory/);
  assert.equal(result.best, null);
});

test('a zero budget is refused, naming --budget', async () => {
  await assert.rejects(batchSizeStudy({ kind: 'batch-size', model: tiny, budgetSeconds: 0 }, ctx()), (e: unknown) => e instanceof OptionError && e.option === 'budget');
});
