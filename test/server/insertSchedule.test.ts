/**
 * "Insert 1cycle schedule": the scanner finds the right places (and nothing in look-alikes), the
 * edit is idempotent, the inserted code type-checks under `strict`, and — run with real tfjs —
 * sets the optimizer's LR and momentum every batch exactly as the core schedule says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import * as tf from '@tensorflow/tfjs';
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

test('insertion: block before the fit statement, callback added, re-insertion replaces instead of duplicating', () => {
  const first = insertScheduleChanges('model.ts', TS_FILE, values);
  assert.ok('changes' in first);
  const once = applyChanges(TS_FILE, first.changes);
  assert.match(once, /\n {2}\/\/ <lrlab:schedule>\n/);
  assert.match(once, /callbacks: \[lrlabOneCycle\(\)\], epochs: 3/);
  const second = insertScheduleChanges('model.ts', once, { ...values, maxLr: 0.5 });
  assert.ok('changes' in second);
  const twice = applyChanges(once, second.changes);
  assert.equal(twice.split('<lrlab:schedule>').length, 2, 'one block');
  assert.equal(twice.match(/\[lrlabOneCycle\(\)\]/g)?.length, 1, 'one callback');
  assert.match(twice, /const maxLr = 0\.5;/);
  // Everything outside the block and the callbacks option is the user's code, unchanged.
  assert.equal(twice.replace(/ {2}\/\/ <lrlab:schedule>[\s\S]*?\/\/ <\/lrlab:schedule>\n/, '').replace('callbacks: [lrlabOneCycle()], ', ''), TS_FILE);
});

test('insertion: appends to an existing callbacks array; refuses a non-literal callbacks value', () => {
  const withArray = TS_FILE.replace('{ epochs: 3, batchSize: 4 }', '{ epochs: 3, callbacks: [tf.callbacks.earlyStopping()] }');
  const r = insertScheduleChanges('model.ts', withArray, values);
  assert.ok('changes' in r);
  assert.match(applyChanges(withArray, r.changes), /callbacks: \[tf\.callbacks\.earlyStopping\(\), lrlabOneCycle\(\)\]/);
  const refused = insertScheduleChanges('model.ts', TS_FILE.replace('{ epochs: 3, batchSize: 4 }', '{ epochs: 3, callbacks: mine }'), values);
  assert.ok('error' in refused && /not an array literal/.test(refused.error));
});

test('the inserted TypeScript compiles under strict', () => {
  const r = insertScheduleChanges('model.ts', TS_FILE, values);
  assert.ok('changes' in r);
  const text = applyChanges(TS_FILE, r.changes);
  const host = ts.createCompilerHost({});
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => (name === '/virtual/model.ts' ? ts.createSourceFile(name, text, version) : original(name, version));
  const program = ts.createProgram(['/virtual/model.ts'], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, noImplicitOverride: true, noUncheckedIndexedAccess: true, typeRoots: [], types: [], baseUrl: process.cwd(), paths: { '@tensorflow/tfjs': [require.resolve('@tensorflow/tfjs').replace(/dist\/.*$/, 'dist/index.d.ts')] } }, host);
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === '/virtual/model.ts');
  assert.deepEqual(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
});

test('run with real tfjs: per-batch LR and momentum equal the core schedule (setMomentum would not have worked)', async () => {
  await tf.setBackend('cpu');
  const r = insertScheduleChanges('model.js', 'model.fit(xs, ys, { epochs: 3, batchSize: 4, validationSplit: 0.25 });\n', values);
  assert.ok('changes' in r);
  const block = applyChanges('model.fit(xs, ys, { epochs: 3, batchSize: 4, validationSplit: 0.25 });\n', r.changes);
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [2] }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  const xs = tf.ones([16, 2]);
  const ys = tf.ones([16, 1]);
  const seen: { lr: number; momentum: number }[] = [];
  const recorder = new tf.CustomCallback({ // runs after ours: reads what it set
    onBatchBegin: async () => {
      const opt = model.optimizer as unknown as { learningRate: number; m: tf.Scalar };
      seen.push({ lr: opt.learningRate, momentum: opt.m.dataSync()[0]! });
    },
  });
  // The generated JS, with the recorder after our callback.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the generated JS the way the user's file would
  const run = new Function('tf', 'model', 'xs', 'ys', 'recorder', `return (async () => { ${block.replace('callbacks: [lrlabOneCycle()]', 'callbacks: [lrlabOneCycle(), recorder]').replace('model.fit(', 'await model.fit(')} })();`) as (...a: unknown[]) => Promise<void>;
  await run(tf, model, xs, ys, recorder);
  // 12 training samples after validationSplit 0.25, batch 4 → 3 batches × 3 epochs.
  assert.equal(seen.length, 9);
  const schedule = smith({ maxLr: 0.3, minLr: 0.03, totalSteps: 9 });
  seen.forEach((s, i) => {
    const want = schedule.at(i);
    assert.ok(Math.abs(s.lr - want.lr) < 1e-12, `step ${i}: lr ${s.lr} vs ${want.lr}`);
    assert.ok(Math.abs(s.momentum - (want.momentum ?? 0)) < 1e-6, `step ${i}: momentum ${s.momentum} vs ${want.momentum}`);
  });
  assert.ok(new Set(seen.map((s) => s.momentum.toFixed(4))).size > 2, 'momentum really changed');
});
