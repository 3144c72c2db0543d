import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCallLines, lineHoldsCall, looksLikeModelFile, looksLikeTrainingScript, runsAsTrainingScript } from '../../src/core/modelFileText';

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

test('lineHoldsCall: a name, ) or ] before ( outside comments and strings; keywords, declarations and function declarations are no calls', () => {
  const text = [
    'const n = 1200;', // 1
    'await model.fit(xs, ys, {', // 2
    "  train(); // call", // 3
    '// model.fit(xs, ys)', // 4
    "const label = 'fit(x)';", // 5
    'if (n > 3) {', // 6
    '  fns[0](x);', // 7
    '/* run(x) */ const k = 2;', // 8
    'const m = new Trainer(opts);', // 9
    '  epochs: 20,', // 10
  ].join('\n');
  const holds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((line) => lineHoldsCall(text, line));
  assert.deepEqual(holds, [2, 3, 7, 9]);
  // A string's /* opens no comment (the fit call two lines on still counts); a function declaration is no call.
  const glob = ["const files = 'data/*.csv';", 'function train(model) {', '  return model.fit(xs, ys);', '}', '/** docs */'].join('\n');
  assert.deepEqual([1, 2, 3, 4, 5].filter((line) => lineHoldsCall(glob, line)), [3]);
  // Past the end: none.
  assert.equal(lineHoldsCall(text, 11), false);
  // Line ends as V8 counts them (CRLF, lone CR).
  assert.equal(lineHoldsCall('a = 1;\r\nrun();\rb = 2;', 2), true);
  assert.equal(lineHoldsCall('a = 1;\r\nrun();\rb = 2;', 3), false);
});
