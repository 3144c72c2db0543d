import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCallLines, fitReachOfLine, lineHoldsCall, lineMayReachFit, looksLikeModelFile, looksLikeTrainingScript, modelFitCallLines, runsAsTrainingScript, scriptNames, sourceLine } from '../../src/core/modelFileText';

test('model files: ESM, CommonJS and export lists; not training code without the contract', () => {
  assert.ok(looksLikeModelFile('export function createModel() {}\nexport async function loadData() {}'));
  assert.ok(looksLikeModelFile('exports.createModel = () => 1;\nmodule.exports.loadData = async () => 2;'));
  assert.ok(looksLikeModelFile('function createModel() {}\nfunction loadData() {}\nexport { createModel, loadData };'));
  assert.ok(looksLikeModelFile('module.exports = { createModel, loadData };'));
  assert.ok(!looksLikeModelFile('const model = tf.sequential();\nawait model.fit(xs, ys);'));
  assert.ok(!looksLikeModelFile('export function createModel() {}'));
});

test('training scripts: a fit/fitDataset call in a file that is not a model file (both contract exports)', () => {
  assert.ok(looksLikeTrainingScript('const model = tf.sequential();\nawait model.fit(xs, ys);'));
  assert.ok(looksLikeTrainingScript('model\n  .fitDataset(ds, { epochs: 3 })\n  .then(() => 1);'));
  assert.ok(looksLikeTrainingScript('this.net. fit (x, y)'));
  // A module that exports createModel (or loadData) for reuse and trains itself runs as the script it is, as its lens says.
  assert.ok(looksLikeTrainingScript('export function createModel() {}\nmodel.fit(xs, ys);'));
  assert.ok(looksLikeTrainingScript('exports.loadData = async () => 1;\nmodel.fit(xs, ys);'));
  assert.ok(!looksLikeTrainingScript('export function createModel() {}\nexport function loadData() {}\nmodel.fit(xs, ys);'), 'a model file with a fit of its own is a model file');
  assert.ok(!looksLikeTrainingScript('export function createModel() {}'), 'a contract file, half done and without a fit, is told what is missing');
  assert.ok(!looksLikeTrainingScript('// LR Lab calls model.fit(xs, ys) for you\nexport function createModel() {}'), 'a fit in a comment is none');
  assert.ok(!looksLikeTrainingScript('/* model.fit(xs, ys) */\nexport function createModel() {}'));
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

test('scriptNames and lineMayReachFit: a --fit-line whose calls are all of other things (a tensor\'s method, tf, console) reaches no fit; one naming fit or the script\'s own function, class, method or import may', () => {
  const text = [
    "import * as tf from '@tensorflow/tfjs';", // 1
    "import def, { a as b, c } from './helpers';", // 2
    "const { load } = require('./data');", // 3
    'function train(m: tf.LayersModel) { return m.fit(xs, ys); }', // 4
    'const fine = async (m) => { await m.fit(xs, ys); };', // 5
    'class Trainer {', // 6
    '  async run(epochs: number): Promise<void> {', // 7
    '    await this.model.fit(xs, ys, { epochs });', // 8
    '  }', // 9
    '}', // 10
    'const opts = { go: (m) => m.fit(xs, ys), n: 3 };', // 11
    'const ys = xs.sum(1, true);', // 12
    'train(model);', // 13
    'new Trainer().run(3);', // 14
    'console.log(tf.memory()); // train(model)', // 15
    "const label = 'train(model)'; b();", // 16
    'if (ys.shape[0] > 3) opts.go(model);', // 17
  ].join('\n');
  const names = scriptNames(text);
  assert.deepEqual([...names.defined].sort(), ['Trainer', 'fine', 'go', 'run', 'train']);
  assert.deepEqual(names.imports, [{ from: '@tensorflow/tfjs', names: ['tf'] }, { from: './helpers', names: ['def', 'b', 'c'] }, { from: './data', names: ['load'] }]);
  const own = new Set([...names.defined, ...names.imports.filter((i) => i.from.startsWith('.')).flatMap((i) => i.names)]);
  const reach = Array.from({ length: 17 }, (_, i) => i + 1).filter((line) => lineMayReachFit(text, line, own));
  assert.deepEqual(reach, [3, 4, 5, 7, 8, 11, 13, 14, 16, 17]);
  // A call of a plain name that is not the language's own may reach a fit through what it names: a
  // relative module, a parameter, a function taken from a table, an IIFE's result.
  const through = ["require('./warmup');", "await import('./train.mjs');", 'const train = trainers[size]; await train(model);', 'function withRetry(fn) { return fn(); }', '})();', 'if (ok) main();'];
  const others = ['const n = Number(process.argv[2]);', 'const xs = tf.tensor2d(rows);', 'const h = await model.evaluate(xs, ys);', 'setTimeout(done, 10);'];
  const lines = [...through, ...others].join('\n');
  assert.deepEqual([...through, ...others].map((_, i) => lineMayReachFit(lines, i + 1, new Set())), [...through.map(() => true), ...others.map(() => false)]);
});

test('fitReachOfLine: a line calling only plain functions of the script that surely reach no fit is refused, naming them (a plain return type read past); anything that may reach one is not (a fit, a parameter, an import, a method call, a class, an arrow, a return type with braces, a function passed on)', () => {
  const text = [
    "const tf = require('@tensorflow/tfjs');", // 1
    "const { prepare } = require('./data');", // 2
    'function build(units) {', // 3
    '  const m = tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [2] })] });', // 4
    "  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });", // 5
    '  return finish(m);', // 6
    '}', // 7
    'function finish(m) { console.log(m.summary()); return m; }', // 8
    'function typed(m): tf.Sequential { return m; }', // 9
    'async function train(m) { await step(m); }', // 10
    'async function step(m) { for (const f of [m]) await f.fit(xs, ys); }', // 11
    'function loop(n) { return n > 0 ? loop(n - 1) : build(n); }', // 12
    'function strategy(m) { return m.train(); }', // 13
    'const model = build(3);', // 14
    'await train(model);', // 15
    'const t = typed(model);', // 16
    'const p = prepare(model);', // 17
    'const again = loop(3);', // 18
    'const both = [build(1), finish(model)];', // 19
    'strategy(model);', // 20
  ].join('\n');
  const own = new Set([...scriptNames(text).defined, 'prepare']);
  const at = (line: number, source = text) => fitReachOfLine(source, line, own);
  assert.deepEqual(at(14), { reach: false, ownNoFit: ['build'] });
  assert.equal(at(15).reach, true, 'train → step → fit');
  // A plain return type is read past (a user trial's `createNet(): tf.LayersModel` ran the whole script under --fit-line).
  assert.deepEqual(at(16), { reach: false, ownNoFit: ['typed'] }, 'a plain return type');
  for (const type of ['Promise<tf.Sequential>', 'tf.LayersModel | null', 'Array<tf.Tensor>']) {
    assert.deepEqual(at(16, text.replace('): tf.Sequential {', `): ${type} {`)), { reach: false, ownNoFit: ['typed'] }, type);
  }
  // A functional model's layers applied (`tf.layers.dense({…}).apply(x)`) call no user code; another `.apply` may.
  const functional = "import * as tf from '@tensorflow/tfjs';\nfunction createNet(units = 16): tf.LayersModel {\n  const input = tf.input({ shape: [4] });\n  const h = tf.layers.dense({ units, activation: 'relu' }).apply(input) as tf.SymbolicTensor;\n  const out = tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor;\n  const m = tf.model({ inputs: input, outputs: out });\n  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });\n  return m;\n}\nconst model = createNet();\n";
  assert.deepEqual(fitReachOfLine(functional, 10, new Set(scriptNames(functional).defined)), { reach: false, ownNoFit: ['createNet'] });
  for (const apply of ['trainer.apply(null, [m]);', 'makeLayer().apply(input);', 'tf.tidy(() => 0).apply(input);']) {
    const source = functional.replace("  return m;\n", `  ${apply}\n  return m;\n`);
    assert.equal(fitReachOfLine(source, 11, new Set([...scriptNames(source).defined, 'makeLayer'])).reach, true, apply);
  }
  // An object type without nested braces or parentheses is read past too (a user trial's `): { x: Tensor2D; y: Tensor2D } {`).
  assert.deepEqual(at(16, text.replace('function typed(m): tf.Sequential { return m; }', 'function typed(m): { m: tf.Sequential } { return m; }')), { reach: false, ownNoFit: ['typed'] });
  // One with nested braces or parentheses is not read: the body may start elsewhere.
  for (const type of ['{ m: { n: tf.Sequential } }', '(() => void)', '{ f: () => void }']) {
    assert.equal(at(16, text.replace('function typed(m): tf.Sequential { return m; }', `function typed(m): ${type} { return m; }`)).reach, true, type);
  }
  assert.equal(at(17).reach, true, "an imported module's function is not read here: it may");
  assert.deepEqual(at(18), { reach: false, ownNoFit: ['loop'] }, 'a recursion through build');
  assert.deepEqual(at(19), { reach: false, ownNoFit: ['build', 'finish'] });
  assert.equal(at(20).reach, true, "a method of the model's (m.train) may be anything");
  assert.equal(lineMayReachFit(text, 14, own), false);
  // Mentioned otherwise than called, build may be called from anywhere: passed on, stored, reassigned.
  for (const use of ['models.forEach(build);', 'const table = { build };', 'build = other;', 'register(build);']) {
    assert.equal(at(14, `${text}\n${use}`).reach, true, use);
  }
  // Classes, arrows, methods and bodies that cannot be read safely (a regex literal, this) may reach one.
  const others = [
    'const build = () => { return tf.sequential(); };\nconst m = build();',
    'class B { constructor(m) { this.h = m.fit(xs, ys); } }\nclass E extends B {}\nconst e = new E(model);',
    "function build(rows) { rows.map((r) => r.replace(/\\)/g, '')); return tf.sequential(); }\nconst m = build(rows);",
    'function build() { return this.make(); }\nconst m = build();',
    // A function handed in and passed on to a method or to tfjs, which call it.
    'function build(cb) { [1].forEach(cb); return tf.sequential(); }\nconst m = build(trainer);',
    'function build(fn) { return tf.tidy(fn); }\nconst m = build(trainer);',
  ];
  for (const source of others) {
    const lines = source.split('\n');
    assert.equal(fitReachOfLine(source, lines.length, new Set(scriptNames(source).defined)).reach, true, source);
  }
});

test('fitReachOfLine on a user trial\'s scripts: a builder of named tfjs imports (`sequential()`, `layers.dense`) and a data helper of chained tensor ops (`x.sum(1, true).greater(0).toFloat()`) surely reach no fit (--fit-line there ran the whole script, its save after fit too); a named tfjs function handed one of the script\'s may, as may a method of the script\'s own by a tensor op\'s name', () => {
  const named = [
    "import { sequential, layers, train, tensor2d, Tensor2D, Sequential } from '@tensorflow/tfjs';", // 1
    'function makeXY(n: number): { x: Tensor2D; y: Tensor2D } {', // 2
    '  const xs: number[][] = []; const ys: number[][] = [];', // 3
    '  for (let i = 0; i < n; i++) { const a = Math.sin(i); xs.push([a]); ys.push([a > 0 ? 1 : 0]); }', // 4
    '  return { x: tensor2d(xs), y: tensor2d(ys) };', // 5
    '}', // 6
    'function build(units: number): Sequential {', // 7
    '  const net: Sequential = sequential();', // 8
    "  net.add(layers.dense({ units, activation: 'relu', inputShape: [1] }));", // 9
    "  net.compile({ optimizer: train.sgd(0.05), loss: 'binaryCrossentropy' });", // 10
    '  return net;', // 11
    '}', // 12
    'const { x, y } = makeXY(100);', // 13
    'const net = build(20);', // 14
    'await net.fit(x, y, { epochs: 3 });', // 15
  ].join('\n');
  const own = (source: string): Set<string> => new Set(scriptNames(source).defined);
  assert.deepEqual(fitReachOfLine(named, 13, own(named)), { reach: false, ownNoFit: ['makeXY'] });
  assert.deepEqual(fitReachOfLine(named, 14, own(named)), { reach: false, ownNoFit: ['build'] });
  const chained = "import * as tf from '@tensorflow/tfjs';\nfunction makeXY(n) {\n  const x = tf.randomNormal([n, 3], 0, 1, 'float32', 1);\n  return { x, y: x.sum(1, true).greater(0).toFloat() };\n}\nconst { x, y } = makeXY(400);\n";
  assert.deepEqual(fitReachOfLine(chained, 6, own(chained)), { reach: false, ownNoFit: ['makeXY'] });
  // May reach one: a named tfjs function given a function of the script's that fits; a script's own method named `greater`.
  const handed = named.replace('  return net;\n', '  tidy(fitAll);\n  return net;\n').replace('{ sequential,', '{ tidy, sequential,') + '\nfunction fitAll() { return net.fit(x, y); }';
  assert.equal(handed.split('\n')[14], 'const net = build(20);');
  assert.equal(fitReachOfLine(handed, 15, own(handed)).reach, true, 'tidy(fitAll)');
  const shadowed = `${chained}class Gate { greater(v) { return model.fit(v, v); } }\n`;
  assert.equal(fitReachOfLine(shadowed, 6, own(shadowed)).reach, true, 'a method greater of the script\'s');
});

test('sourceLine: a line counted as V8 counts a stack frame\'s (\\r\\n, \\n, a lone \\r, U+2028, U+2029), trimmed; null past the end or for no line number', () => {
  const text = 'a();\r\n  b.fit(x);  \rc();\u2028d();\ne();\u2029\tmodel.fit(xs, ys)\n';
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => sourceLine(text, n)), ['a();', 'b.fit(x);', 'c();', 'd();', 'e();', 'model.fit(xs, ys)']);
  assert.equal(sourceLine(text, 8), null);
  assert.equal(sourceLine(text, 0), null);
  assert.equal(sourceLine(text, 1.5), null);
});

test('modelFitCallLines: fitCallLines less the lines whose fit calls all close there with fewer than two arguments (a scaler\'s `scaler.fit(rows)`); a call whose arguments go on, or any call with two, stays', () => {
  const text = [
    'scaler.fit(rows);', // 1: one argument
    'await model.fit(xs, ys, { epochs: 2 });', // 2
    'const s = new Scaler().fit(transform(a, b));', // 3: one argument, holding a comma
    'await model.fit(', // 4: arguments on the lines below
    '  xs, ys);', // 5
    "reg.fit('a,b');", // 6: a comma inside a string
    'await model.fitDataset(ds, { epochs: 1 });', // 7
    'scaler.fit(rows); await model.fit(xs, ys);', // 8: one of two is a model's
    'pipe.fit();', // 9: none
    'await model.fit(xs, ys,);', // 10: a trailing comma
    'await model.fit(...args);', // 11: a spread may pass any number
  ].join('\n');
  assert.deepEqual(fitCallLines(text), [1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(modelFitCallLines(text), [2, 4, 7, 8, 10, 11]);
});
