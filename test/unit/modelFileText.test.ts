import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCallLines, looksLikeModelFile, looksLikeTrainingScript, runsAsTrainingScript } from '../../src/core/modelFileText';

test('model files: ESM, CommonJS and export lists; not training code without the contract', () => {
  assert.ok(looksLikeModelFile('export function createModel() {}\nexport async function loadData() {}'));
  assert.ok(looksLikeModelFile('exports.createModel = () => 1;\nmodule.exports.loadData = async () => 2;'));
  assert.ok(looksLikeModelFile('function createModel() {}\nfunction loadData() {}\nexport { createModel, loadData };'));
  assert.ok(looksLikeModelFile('module.exports = { createModel, loadData };'));
  assert.ok(!looksLikeModelFile('const model = tf.sequential();\nawait model.fit(xs, ys);'));
  assert.ok(!looksLikeModelFile('export function createModel() {}'));
});

test('training scripts: a fit/fitDataset call and neither contract export', () => {
  assert.ok(looksLikeTrainingScript('const model = tf.sequential();\nawait model.fit(xs, ys);'));
  assert.ok(looksLikeTrainingScript('model\n  .fitDataset(ds, { epochs: 3 })\n  .then(() => 1);'));
  assert.ok(looksLikeTrainingScript('this.net. fit (x, y)'));
  assert.ok(!looksLikeTrainingScript('export function createModel() {}\nmodel.fit(xs, ys);'), 'a contract file, even half done, is told what is missing');
  assert.ok(!looksLikeTrainingScript('exports.loadData = async () => 1;\nmodel.fit(xs, ys);'));
  assert.ok(!looksLikeTrainingScript('const model = tf.sequential();\nmodel.compile({ loss: "mse" });'), 'no fit call');
  assert.ok(!looksLikeTrainingScript('const fitted = curve.fitted;'));
});

test('the engine also runs a program without exports as a script (its fit may be in what it imports); a module is held to the contract', () => {
  assert.ok(runsAsTrainingScript("const { train } = require('my-models');\ntrain();"));
  assert.ok(runsAsTrainingScript("import { train } from './train-helpers';\nawait train();"));
  assert.ok(runsAsTrainingScript('model.fit(xs, ys);\nexport const done = true;'));
  assert.ok(!runsAsTrainingScript('export interface Hp { dropout?: number }'), 'a module exporting something else');
  assert.ok(!runsAsTrainingScript('export default { createModel, loadData };'));
  assert.ok(!runsAsTrainingScript('module.exports = build;'));
  assert.ok(!runsAsTrainingScript('exports.createModel = () => 1;'));
});

test('fitCallLines: the lines of fit/fitDataset calls (of the `fit` name, as stack frames give them), not in comments', () => {
  const text = [
    "await model.fit(xs, ys, { epochs: 1, batchSize: 8 }); // warm-up",
    '// model.fit(xs, ys) in a line comment',
    '/* a block comment: model.fit(xs, ys)',
    '   model.fitDataset(ds) */',
    "await model.save('file://./out'); const h = await model",
    '  .fit(xs, ys, { epochs: 20 });',
    'model.fitDataset(ds).then(() => model.fit(xs, ys));',
    'const fitted = curve.fitted;',
  ].join('\n');
  assert.deepEqual(fitCallLines(text), [1, 6, 7]);
  assert.deepEqual(fitCallLines("fetch('http://host/model.fit(')"), [1], 'text-level: a URL is not a comment');
});
