/**
 * "Insert 1cycle schedule": the scanner finds the right places (and nothing in look-alikes) through
 * whatever name the file gives tfjs, the edit is idempotent and one-shaped per style, and — run
 * with real tfjs in this process, in both kinds of callbacks array — the block sets the optimizer's
 * LR and momentum from the first batch exactly as the core schedule says and leaves no tensor
 * behind per batch. (styles.test.ts runs every style as its own program; this is the quick loop.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import ts from 'typescript';
import { scan } from '../../src/server/scanner';
import { applyChanges, insertScheduleChanges } from '../../src/server/insertEdit';
import { smith } from '../../src/core/schedules';

const values = { maxLr: 0.3, minLr: 0.03, maxMomentum: 0.95, minMomentum: 0.85, runId: '0123456789abcdef', date: '2026-11-28' };

const TS_FILE = `import * as tf from '@tensorflow/tfjs';

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 4, inputShape: [2], activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export async function loadData(): Promise<{ train: { xs: tf.Tensor; ys: tf.Tensor } }> {
  return { train: { xs: tf.ones([8, 2]), ys: tf.ones([8, 1]) } };
}

export async function trainIt(): Promise<void> {
  const model = createModel();
  const { train } = await loadData();
  // model.fit in a comment is not a call
  const note = "model.fit(x, y)";
  await model.fit(train.xs, train.ys, { epochs: 3, batchSize: 4 });
  void note;
}
`;

test('scanner: contract exports, builders, compile, the real fit call — not the comment or the string', () => {
  const r = scan('model.ts', TS_FILE);
  assert.deepEqual(r.createModel, { line: 2, character: 0 });
  assert.deepEqual(r.loadData, { line: 10, character: 0 });
  assert.equal(r.modelBuilders.length, 1);
  assert.equal(r.compileCalls.length, 1);
  assert.equal(r.fitCalls.length, 1);
  assert.equal(r.fitCalls[0]!.receiver, 'model');
  assert.equal(r.fitCalls[0]!.line, 19);
  assert.equal(scan('other.js', 'const reg = new Regression();\nreg.fit(xs, ys);\n').fitCalls.length, 0, "another library's fit");
  assert.equal(scan('cjs.js', 'exports.createModel = () => 1;\nmodule.exports.loadData = async () => 2;').loadData?.line, 1);
  assert.doesNotThrow(() => scan('half.ts', 'export function createModel( {\n  model.fit(\n'));
});

test('scanner: tfjs under any name builds the models whose fit counts', () => {
  const builders = (text: string): number => scan('m.ts', text).modelBuilders.length;
  assert.equal(builders("import * as tfjs from '@tensorflow/tfjs';\nconst net = tfjs.sequential();\nnet.fit(x, y);\n"), 1);
  assert.equal(builders("import { sequential as seq } from '@tensorflow/tfjs-node';\nconst net = seq();\n"), 1);
  assert.equal(builders("const { model } = require('@tensorflow/tfjs');\nconst net = model({ inputs, outputs });\n"), 1);
  assert.equal(builders("const brain = require('@tensorflow/tfjs-node-gpu');\nconst net = brain.sequential();\n"), 1);
  assert.equal(builders("import { sequential } from 'some-other-lib';\nconst net = sequential();\n"), 0, 'another library');
  const named = scan('m.ts', "import { sequential } from '@tensorflow/tfjs';\nconst net = sequential();\nawait net.fit(x, y);\n");
  assert.equal(named.fitCalls[0]?.receiver, 'net', 'fit on a model the file built under a named import');
});

test('scanner: a name like `baselineModel` made by `new` of a class that is visibly not tfjs (the file\'s own, or another package\'s) is not a model; one of a class that extends another, or of the file\'s own modules, still is', () => {
  const receivers = (text: string): string[] => scan('m.mjs', text).fitCalls.map((f) => f.receiver);
  // A user trial's w01-othermodel.mjs: the schedule went into the baseline's fit, the tfjs model's got nothing.
  const head = "import * as tf from '@tensorflow/tfjs';\nconst net = tf.sequential();\n";
  assert.deepEqual(receivers(`${head}class LinearRegression { fit() {} }\nconst baselineModel = new LinearRegression();\nbaselineModel.fit([[1, 2]], [3]);\nawait net.fit(xs, ys);\n`), ['net']);
  assert.deepEqual(receivers(`${head}import { SimpleLinearRegression } from 'ml-regression';\nlet refModel;\nrefModel = new SimpleLinearRegression(x, y);\nrefModel.fit(x, y);\nawait net.fit(xs, ys);\n`), ['net']);
  assert.deepEqual(receivers(`${head}class Wide extends tf.Sequential {}\nconst wideModel = new Wide();\nawait wideModel.fit(xs, ys);\n`), ['wideModel'], 'a subclass may be a tfjs model');
  assert.deepEqual(receivers(`${head}import { Net } from './net.mjs';\nconst myModel = new Net();\nawait myModel.fit(xs, ys);\n`), ['myModel'], 'a class of the file\'s own modules: the name decides');
  assert.deepEqual(receivers(`${head}class Stub { fit() {} }\nlet model = new Stub();\nmodel = tf.sequential();\nawait model.fit(xs, ys);\n`), ['model'], 'also given a tfjs model');
});

test('scanner and edit: receivers users write — behind !, casts and parentheses, this.x / this.#x assigned from tfjs, models[0], a builder function\'s result — get a lens and the model as they wrote it', () => {
  const head = "import * as tf from '@tensorflow/tfjs';\n";
  const cases: [string, string, string, string][] = [
    ['m.ts', 'class T {\n  model: tf.LayersModel | null = null;\n  async go() {\n    await this.model!.fit(xs, ys, { epochs: 2 });\n  }\n}\n', 'this.model', 'lrlabOneCycle(this.model!)'],
    ['m.ts', 'export async function go(loaded: unknown) {\n  await (loaded as tf.LayersModel).fit(xs, ys, { epochs: 2 });\n}\n', 'loaded', 'lrlabOneCycle(loaded as tf.LayersModel)'],
    ['m.ts', 'export async function go(list: unknown) {\n  await ((<tf.LayersModel[]>list)[0]!).fit(xs, ys, { epochs: 2 });\n}\n', 'list[0]', 'lrlabOneCycle((list as tf.LayersModel[])[0]!)'],
    ['m.mjs', 'class A {\n  constructor() {\n    this.net = tf.sequential();\n  }\n  async learn() {\n    await this.net.fit(xs, ys, { epochs: 2 });\n  }\n}\n', 'this.net', 'lrlabOneCycle(this.net)'],
    ['m.mjs', 'class A {\n  #net = tf.sequential();\n  learn() {\n    return this.#net.fit(xs, ys, { epochs: 2 });\n  }\n}\n', 'this.#net', 'lrlabOneCycle(this.#net)'],
    ['m.mjs', 'const models = [1, 2].map(() => tf.sequential());\nawait models[0].fit(xs, ys, { epochs: 2 });\n', 'models[0]', 'lrlabOneCycle(models[0])'],
    ['m.mjs', 'let brain;\nbrain = await tf.loadLayersModel(url);\nawait (brain).fit(xs, ys, { epochs: 2 });\n', 'brain', 'lrlabOneCycle(brain)'],
    // A model from a builder function of the file (a user trial's `const net = build()` had no lens at all).
    ['m.mjs', 'function build() {\n  const m = tf.sequential();\n  m.compile({ optimizer: "adam", loss: "mse" });\n  return m;\n}\nconst net = build();\nawait net.fit(xs, ys, { epochs: 2 });\n', 'net', 'lrlabOneCycle(net)'],
    ['m.ts', 'const make = async (): Promise<tf.Sequential> => tf.sequential();\nlet brain2;\nbrain2 = await make();\nawait brain2.fit(xs, ys, { epochs: 2 });\n', 'brain2', 'lrlabOneCycle(brain2)'],
    // A class field or property the file's builder gives, in a model file (createModel and loadData exported): a user's
    // `private net: tfjs.LayersModel = createModel()` had no lens, where the same field named `model` did.
    ['m.ts', 'export function createModel(): tf.LayersModel {\n  return tf.sequential();\n}\nexport async function loadData() {\n  return {};\n}\nclass T {\n  private net = createModel();\n  async go() {\n    await this.net.fit(xs, ys, { epochs: 2 });\n  }\n}\n', 'this.net', 'lrlabOneCycle(this.net)'],
    ['m.mjs', 'function build() {\n  return tf.sequential();\n}\nclass A {\n  constructor() {\n    this.brain = build();\n  }\n  learn() {\n    return this.brain.fit(xs, ys, { epochs: 2 });\n  }\n}\n', 'this.brain', 'lrlabOneCycle(this.brain)'],
  ];
  for (const [file, code, receiver, call] of cases) {
    const text = head + code;
    assert.deepEqual(scan(file, text).fitCalls.map((f) => f.receiver), [receiver], code);
    const r = insertScheduleChanges(file, text, values);
    assert.ok('changes' in r, `${code}: ${JSON.stringify(r)}`);
    assert.ok(applyChanges(text, r.changes).includes(`{ callbacks: [${call}], epochs: 2 }`), code);
  }
  // Still not a model: another object's fit through a cast, or from a function of the file that builds no tfjs model.
  assert.equal(scan('m.ts', 'await (reg as Regression).fit(xs, ys);\n').fitCalls.length, 0);
  assert.equal(scan('m.mjs', `${head}function build() {\n  const m = new Regression();\n  return m;\n}\nconst reg = build();\nreg.fit(xs, ys);\n`).fitCalls.length, 0);
  assert.equal(scan('m.mjs', `${head}function build() {\n  const inner = () => tf.sequential();\n  return new Regression();\n}\nconst reg = build();\nreg.fit(xs, ys);\n`).fitCalls.length, 0, 'a nested function\'s return is not the builder\'s');
});

test('insertion: block before the fit statement, the model passed to the factory, re-insertion replaces instead of duplicating', () => {
  const first = insertScheduleChanges('model.ts', TS_FILE, values);
  assert.ok('changes' in first);
  const once = applyChanges(TS_FILE, first.changes);
  assert.match(once, /\n {2}\/\/ <lrlab:schedule>\n {2}\/\/ LR Lab 1cycle \(Smith\) from run 01234567 on 2026-11-28: LR 0\.03 → 0\.3 → 3e-5/);
  assert.match(once, /callbacks: \[lrlabOneCycle\(model\)\], epochs: 3/);
  const second = insertScheduleChanges('model.ts', once, { ...values, maxLr: 0.5 });
  assert.ok('changes' in second);
  const twice = applyChanges(once, second.changes);
  assert.equal(twice.split('<lrlab:schedule>').length, 2, 'one block');
  assert.equal(twice.match(/\[lrlabOneCycle\(model\)\]/g)?.length, 1, 'one callback');
  assert.match(twice, /const maxLr = 0\.5;/);
  // Everything outside the block and the callbacks option is the user's code, unchanged.
  assert.equal(twice.replace(/ {2}\/\/ <lrlab:schedule>[\s\S]*?\/\/ <\/lrlab:schedule>\n/, '').replace('callbacks: [lrlabOneCycle(model)], ', ''), TS_FILE);
});

test('insertion: a fit inside if/try/else/nested blocks gets the block above the statement of its function body (or file) that holds it — a function declared in a block is an error in ES5 strict code — and its lens stays on the fit', () => {
  const bodies: [string, string][] = [
    ['  if (train.xs.shape[0]! > 0) {\n    await model.fit(train.xs, train.ys, { epochs: 3 });\n  }\n', '  if (train.xs.shape[0]! > 0) {'],
    ['  try {\n    // train\n    await model.fit(train.xs, train.ys, { epochs: 3 });\n  } finally {\n    model.dispose();\n  }\n', '  try {'],
    ['  if (!train) {\n    return;\n  } else {\n    {\n      await model.fit(train.xs, train.ys, { epochs: 3 });\n    }\n  }\n', '  if (!train) {'],
  ];
  for (const [body, holder] of bodies) {
    const text = TS_FILE.replace(/  \/\/ model\.fit in a comment[\s\S]*?void note;\n/, body);
    assert.notEqual(text, TS_FILE);
    const r = insertScheduleChanges('model.ts', text, values);
    assert.ok('changes' in r, body);
    const edited = applyChanges(text, r.changes);
    assert.ok(edited.includes(`  // </lrlab:schedule>\n${holder}\n`), `${body}\n→\n${edited}`);
    const fitLine = text.split('\n').findIndex((l) => l.includes('model.fit('));
    assert.equal(scan('model.ts', text).fitCalls[0]!.statementStart.line, fitLine, 'the lens stays on the fit');
    // The user's ES5 strict project (tsc --target es5 --strict) has no error from the insertion (TS1250–1252: a function declaration in a block).
    const host = ts.createCompilerHost({});
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version) => (name === 'model.ts' ? ts.createSourceFile(name, edited, version, true) : read(name, version));
    const program = ts.createProgram(['model.ts'], { target: ts.ScriptTarget.ES5, lib: ['lib.es2017.d.ts'], strict: true, alwaysStrict: true, noEmit: true, types: [] }, host);
    const blockErrors = ts.getPreEmitDiagnostics(program).filter((d) => d.code >= 1250 && d.code <= 1252);
    assert.deepEqual(blockErrors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')), [], body);
  }
});

test('insertion: a block from an older LR Lab is replaced and its lrlabOneCycle() call gets the model', () => {
  const old = TS_FILE.replace('  await model.fit(train.xs, train.ys, { epochs: 3, batchSize: 4 });', '  // <lrlab:schedule>\n  class LrLabOneCycle extends tf.Callback {}\n  function lrlabOneCycle(): tf.Callback {\n    return new LrLabOneCycle();\n  }\n  // </lrlab:schedule>\n  await model.fit(train.xs, train.ys, { callbacks: [lrlabOneCycle()], epochs: 3, batchSize: 4 });');
  const r = insertScheduleChanges('model.ts', old, values);
  assert.ok('changes' in r);
  const now = applyChanges(old, r.changes);
  assert.doesNotMatch(now, /class LrLabOneCycle/);
  assert.match(now, /callbacks: \[lrlabOneCycle\(model\)\], epochs: 3/);
  assert.equal(now, applyChanges(TS_FILE, (insertScheduleChanges('model.ts', TS_FILE, values) as { changes: [] }).changes), 'the same file as a fresh insertion');
});

test('insertion: a fit statement sharing its line with other code gets the block on lines of its own', () => {
  const text = 'const model = tf.sequential(); await model.fit(xs, ys);\n';
  const r = insertScheduleChanges('model.mjs', text, values);
  assert.ok('changes' in r);
  const lines = applyChanges(text, r.changes).split('\n');
  assert.equal(lines[0], 'const model = tf.sequential();', 'no trailing space left behind');
  assert.equal(lines[1], '// <lrlab:schedule>');
  assert.equal(lines.at(-2), 'await model.fit(xs, ys, { callbacks: [lrlabOneCycle(model)] });');
});

test("insertion: the block takes the file's indentation step from its code, not from a template literal's text or a comment", () => {
  // The trial's cases/c28_template_indent.js: four-space code, a banner with one-space lines.
  const text = "const tf = require('@tensorflow/tfjs');\n\nconst banner = `\n Training report\n ---------------\n`;\n /* a comment\n   indented oddly */\n\nasync function train() {\n    const model = tf.sequential();\n   // an odd comment\n    console.log(banner);\n    await model.fit(xs, ys, { epochs: 2 });\n}\n";
  const r = insertScheduleChanges('model.js', text, values);
  assert.ok('changes' in r);
  const lines = applyChanges(text, r.changes).split('\n');
  assert.equal(lines.find((l) => l.includes('function lrlabOneCycle')), '    function lrlabOneCycle(model) {');
  assert.equal(lines.find((l) => l.includes('const maxLr')), '        const maxLr = 0.3;');
  assert.equal(lines.find((l) => l.includes('if (s <= cycleEnd)')), '            if (s <= cycleEnd) {');
  // Continuation lines aligned by two spaces in a four-space file (a user trial's cases/28: a ternary, a chained call,
  // a leading comma) are not the step: the block still indents by four.
  const continued = "const tf = require('@tensorflow/tfjs');\nconst LR = process.env.LR\n  ? Number(process.env.LR)\n  : 0.01;\nconst data = load()\n  .then((d) => d)\n  , more = 1;\n\nasync function train() {\n    const model = tf.sequential();\n    await model.fit(xs, ys, { epochs: 2 });\n}\n";
  const c = insertScheduleChanges('model.js', continued, values);
  assert.ok('changes' in c);
  assert.equal(applyChanges(continued, c.changes).split('\n').find((l) => l.includes('const maxLr')), '        const maxLr = 0.3;');
});

/** Runs the generated JS for `fit` with `model`: `callbacks` as given, `lrlabOneCycle(model)` where `OURS` stands. */
async function runWith(callbacksText: string, model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, recorder: object): Promise<void> {
  const fit = `model.fit(xs, ys, { epochs: 1, batchSize: 2, callbacks: ${callbacksText} });\n`;
  const r = insertScheduleChanges('model.js', fit, values);
  assert.ok('changes' in r);
  const code = applyChanges(fit, r.changes).replace('model.fit(', 'await model.fit(');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the generated JS the way the user's file would
  const run = new Function('tf', 'model', 'xs', 'ys', 'recorder', `return (async () => { ${code} })();`) as (...a: unknown[]) => Promise<void>;
  await run(tf, model, xs, ys, recorder);
}

for (const kind of ['plain-object', 'tf.Callback'] as const) {
  test(`run with real tfjs in a ${kind} array: per-batch LR and momentum equal the core schedule from the first batch; no tensor left per batch`, async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 1, inputShape: [2] }));
    model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
    const xs = tf.ones([40, 2]);
    const ys = tf.ones([40, 1]);
    const seen: { lr: number; momentum: number; tensors: number }[] = [];
    // Ours comes last in the array: at each batch's end the recorder reads what the optimizer used for it.
    const record = async (): Promise<void> => {
      const opt = model.optimizer as unknown as { learningRate: number; m: tf.Scalar };
      seen.push({ lr: opt.learningRate, momentum: opt.m.dataSync()[0]!, tensors: tf.memory().numTensors });
    };
    if (kind === 'plain-object') await runWith('[{ onBatchBegin: async () => {} }, recorder]', model, xs, ys, { onBatchEnd: record });
    else await runWith('[new tf.CustomCallback({ onBatchEnd: async () => {} }), recorder]', model, xs, ys, new tf.CustomCallback({ onBatchEnd: record }));
    // 40 samples, batch 2: 20 batches in one epoch.
    assert.equal(seen.length, 20);
    const schedule = smith({ maxLr: 0.3, minLr: 0.03, totalSteps: 20 });
    seen.forEach((s, i) => {
      const want = schedule.at(i);
      assert.ok(Math.abs(s.lr - want.lr) < 1e-12, `step ${i}: lr ${s.lr} vs ${want.lr}`);
      assert.ok(Math.abs(s.momentum - (want.momentum ?? 0)) < 1e-6, `step ${i}: momentum ${s.momentum} vs ${want.momentum}`);
    });
    assert.ok(new Set(seen.map((s) => s.momentum.toFixed(4))).size > 2, 'momentum really changed');
    // From the third batch on (the optimizer's slots and tfjs' epoch totals exist by then), the count holds.
    const tensors = seen.slice(2).map((s) => s.tensors);
    assert.ok(tensors.every((n) => n === tensors[0]), `numTensors per batch: ${tensors.join(', ')}`);
  });
}

test('run with real tfjs: RMSprop with momentum has it cycled (the engine cycles it); momentum 0 (tf.train.momentum(lr, 0), RMSprop\'s default) and plain SGD keep theirs, and the LR follows the schedule; each optimizer gets its momentum back after fit', async () => {
  await tf.setBackend('cpu');
  const schedule = smith({ maxLr: 0.3, minLr: 0.03, totalSteps: 20 });
  const cases: [string, () => tf.Optimizer, (o: Record<string, unknown>) => number | null, boolean][] = [
    ['rmsprop, momentum 0.9', () => tf.train.rmsprop(0.01, 0.9, 0.9), (o) => o['momentum'] as number, true],
    ['rmsprop, default momentum 0', () => tf.train.rmsprop(0.01), (o) => o['momentum'] as number, false],
    ['momentum 0', () => tf.train.momentum(0.01, 0), (o) => (o['m'] as tf.Scalar).dataSync()[0]!, false],
    ['plain sgd', () => tf.train.sgd(0.01), () => null, false],
  ];
  for (const [name, make, momentumOf, cycles] of cases) {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 1, inputShape: [2] }));
    model.compile({ optimizer: make(), loss: 'meanSquaredError' });
    const opt = model.optimizer as unknown as Record<string, unknown>;
    const start = momentumOf(opt);
    const seen: { lr: number; momentum: number | null }[] = [];
    await runWith('[recorder]', model, tf.ones([40, 2]), tf.ones([40, 1]), { onBatchEnd: async () => void seen.push({ lr: opt['learningRate'] as number, momentum: momentumOf(opt) }) });
    assert.equal(seen.length, 20, name);
    seen.forEach((s, i) => {
      const want = schedule.at(i);
      assert.ok(Math.abs(s.lr - want.lr) < 1e-12, `${name}, step ${i}: lr ${s.lr} vs ${want.lr}`);
      if (cycles) assert.ok(Math.abs(s.momentum! - want.momentum!) < 1e-6, `${name}, step ${i}: momentum ${s.momentum} vs ${want.momentum}`);
      else assert.equal(s.momentum, start, `${name}, step ${i}: momentum kept`);
    });
    assert.equal(momentumOf(opt), start, `${name}: momentum put back after fit`);
    assert.equal(opt['learningRate'], 0.01, `${name}: LR put back after fit`);
  }
});

test('fitDataset over a dataset of unknown length without batchesPerEpoch: training stops at once with a message that says what to add', async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [2] }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  // A generator's length is unknown to tfjs until it ends, so the schedule cannot know its total.
  const dataset = tf.data.generator(function* () {
    for (let i = 0; i < 8; i++) yield { xs: tf.ones([2]), ys: tf.ones([1]) };
  }).batch(4);
  const fit = 'model.fitDataset(dataset, { epochs: 2 });\n';
  const r = insertScheduleChanges('model.js', fit, values);
  assert.ok('changes' in r);
  const code = applyChanges(fit, r.changes).replace('model.fitDataset(', 'await model.fitDataset(');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the generated JS the way the user's file would
  const run = new Function('model', 'dataset', `return (async () => { ${code} })();`) as (...a: unknown[]) => Promise<void>;
  await assert.rejects(run(model, dataset), /LR Lab 1cycle: fit\(\) did not say how many batches an epoch has \(for fitDataset, give batchesPerEpoch\)\./);
});
