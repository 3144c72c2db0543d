/**
 * Snapshot tests of the edits the language server makes, and the weight-decay insertion run for
 * real.
 *
 * Every `test/server/snapshots/<name>.input.<ext>.snap` is a model file (TypeScript, plain JS,
 * ESM `.mjs`, CommonJS `.cjs` and `.js` with `require`, in different indentation and quote
 * styles). The real edit builders of the server (`insertScheduleChanges`,
 * `insertWeightDecayChanges`) are applied to it for each case below and the text must equal
 * `<name>.<case>.expected.<ext>.snap` byte for byte. The `.snap` suffix keeps these files out of
 * the repository's tsc project and ESLint (they are data: ESLint cannot parse `.js` files outside
 * the project, and the TypeScript ones are type-checked here under `strict` instead).
 *
 * After a deliberate change of the generated code, rewrite the expected files and review the
 * diff before committing:
 *
 *     LRLAB_UPDATE_SNAPSHOTS=1 npm run test:server
 *
 * Then: re-insertion is idempotent; the TypeScript outputs type-check under `tsc --strict`; every
 * "both" output (schedule and weight decay) runs with real tfjs as the module kind its extension
 * says; and the weight decay changes the kernels exactly as its formula says (L2: the gradient
 * gets `+ wd × w`, equal to a `kernelRegularizer` with `l2 = wd / 2`; decoupled: `w × (1 − lr × wd)`
 * after every step, with the schedule's per-step LR), biases untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import * as tf from '@tensorflow/tfjs';
import { applyChanges, insertScheduleChanges, insertWeightDecayChanges } from '../../src/server/insertEdit';
import type { InsertOutcome } from '../../src/server/insertEdit';
import type { ScheduleValues } from '../../src/server/scheduleCode';
import type { WeightDecayValues } from '../../src/server/weightDecayCode';
import { smith } from '../../src/core/schedules';

const root = path.join(__dirname, '..', '..');
const dir = path.join(__dirname, 'snapshots');
const update = process.env['LRLAB_UPDATE_SNAPSHOTS'] === '1';

const schedule: ScheduleValues = { maxLr: 0.3, minLr: 0.03, maxMomentum: 0.95, minMomentum: 0.85, runId: '0123456789abcdef', date: '2026-11-28' };
const weightDecay: WeightDecayValues = { weightDecay: 1e-4, form: 'l2', source: 'sweep', runId: 'fedcba9876543210', date: '2026-11-29' };
const decoupled: WeightDecayValues = { weightDecay: 0.01, form: 'decoupled', source: 'recipe', runId: '5555aaaa5555aaaa', date: '2026-11-30' };

function changed(outcome: InsertOutcome, text: string): string {
  if ('error' in outcome) throw new Error(outcome.error);
  return applyChanges(text, outcome.changes);
}

/** The cases: each a sequence of insertions, as a user clicking lenses would make them. */
const CASES: Record<string, (fileName: string, text: string) => string> = {
  schedule: (f, t) => changed(insertScheduleChanges(f, t, schedule), t),
  'weight-decay': (f, t) => changed(insertWeightDecayChanges(f, t, weightDecay), t),
  'weight-decay-decoupled': (f, t) => changed(insertWeightDecayChanges(f, t, decoupled), t),
  both: (f, t) => {
    const once = changed(insertScheduleChanges(f, t, schedule), t);
    return changed(insertWeightDecayChanges(f, once, weightDecay), once);
  },
  // Both inserted, then both inserted again from newer runs: the blocks are replaced in place.
  reinserted: (f, t) => {
    const both = CASES['both']!(f, t);
    const wd = changed(insertWeightDecayChanges(f, both, { ...weightDecay, weightDecay: 3.2e-4, runId: '9999999999999999' }), both);
    return changed(insertScheduleChanges(f, wd, { ...schedule, maxLr: 0.5, minLr: 0.05 }), wd);
  },
};

const inputs = readdirSync(dir)
  .map((file) => /^(.+)\.input\.(ts|js|mjs|cjs)\.snap$/.exec(file))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ name: m[1]!, ext: m[2]!, text: readFileSync(path.join(dir, m[0]), 'utf8') }));

/** The generated text of one input and case (the file name gives the builders the file kind). */
function output(input: (typeof inputs)[number], kase: string): string {
  return CASES[kase]!(`model.${input.ext}`, input.text);
}

test('snapshot inputs: TypeScript, ESM, CommonJS (.cjs and .js with require)', () => {
  assert.deepEqual(inputs.map((i) => i.ext).sort(), ['cjs', 'js', 'mjs', 'ts']);
});

for (const input of inputs) {
  for (const kase of Object.keys(CASES)) {
    test(`snapshot ${input.name} ${kase}`, () => {
      const file = path.join(dir, `${input.name}.${kase}.expected.${input.ext}.snap`);
      const got = output(input, kase);
      if (update) writeFileSync(file, got);
      assert.ok(existsSync(file), `${path.relative(root, file)} is missing: run with LRLAB_UPDATE_SNAPSHOTS=1 and review it`);
      assert.equal(got, readFileSync(file, 'utf8'), `differs from ${path.relative(root, file)} (LRLAB_UPDATE_SNAPSHOTS=1 rewrites it)`);
    });
  }

  test(`${input.name}: re-insertion is idempotent and leaves the user's code alone`, () => {
    const f = `model.${input.ext}`;
    const both = output(input, 'both');
    assert.equal(changed(insertScheduleChanges(f, both, schedule), both), both, 'schedule again: no change');
    assert.equal(changed(insertWeightDecayChanges(f, both, weightDecay), both), both, 'weight decay again: no change');
    const again = output(input, 'reinserted');
    assert.equal(again.split('<lrlab:schedule>').length, 2, 'one schedule block');
    assert.equal(again.split('<lrlab:weight-decay>').length, 2, 'one weight-decay block');
    assert.equal(again.match(/(?<!function )lrlabOneCycle\(\)/g)?.length, 1, 'the schedule attached once');
    assert.equal(again.match(/(?<!function )lrlabWeightDecay\(\)/g)?.length, 1, 'the weight decay attached once');
    assert.match(again, /const weightDecay = 3\.2e-4;/);
    // Without the blocks and what the builder adds to fit's options (each shape it makes), the file is the input.
    const stripped = again
      .replace(/^[ \t]*\/\/ <lrlab:(schedule|weight-decay)>[\s\S]*?\/\/ <\/lrlab:\1>\n/gm, '')
      .replace('lrlabOneCycle(), lrlabWeightDecay()', '@@')
      .replace(' callbacks: [@@],', '')
      .replace(', undefined, { callbacks: [@@] }', '')
      .replace(', { callbacks: [@@] }', '')
      .replace('{ callbacks: [@@] }', '{}')
      .replace(', @@', '')
      .replace('[@@]', '[]');
    assert.equal(stripped, input.text);
  });
}

test('a non-literal callbacks value is refused for the weight decay too', () => {
  const refused = insertWeightDecayChanges('model.ts', 'model.fit(xs, ys, { callbacks: mine });\n', weightDecay);
  assert.ok('error' in refused && /not an array literal; add lrlabWeightDecay\(\) to it yourself \(the weight decay was not inserted\)/.test(refused.error));
  const none = insertWeightDecayChanges('model.ts', 'const x = 1;\n', weightDecay);
  assert.ok('error' in none && /No model\.fit/.test(none.error));
});

/** Type-checks one TypeScript text under strict (plus the strictest flags the generated code meets). */
function typeErrors(text: string): string[] {
  const host = ts.createCompilerHost({});
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => (name === '/virtual/model.ts' ? ts.createSourceFile(name, text, version) : original(name, version));
  const program = ts.createProgram(['/virtual/model.ts'], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, noImplicitOverride: true, noUncheckedIndexedAccess: true, noPropertyAccessFromIndexSignature: true, exactOptionalPropertyTypes: true, noUnusedLocals: true, typeRoots: [], types: [], baseUrl: root, paths: { '@tensorflow/tfjs': [require.resolve('@tensorflow/tfjs').replace(/dist\/.*$/, 'dist/index.d.ts')] } }, host);
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === '/virtual/model.ts').map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

test('the TypeScript outputs (weight decay both forms, with the schedule, re-inserted) compile under strict', () => {
  const input = inputs.find((i) => i.ext === 'ts')!;
  for (const kase of ['weight-decay', 'weight-decay-decoupled', 'both', 'reinserted']) assert.deepEqual(typeErrors(output(input, kase)), [], kase);
});

test('every "both" output runs with real tfjs as TS, ESM, CJS and require-JS: schedule and weight decay applied', async () => {
  await tf.setBackend('cpu');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lrlab-snapshots-'));
  try {
    // The outputs import @tensorflow/tfjs the way a user's file does: from a node_modules beside them.
    symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
    for (const input of inputs) {
      const file = path.join(tmp, `${input.name}.${input.ext}`);
      writeFileSync(file, output(input, 'both'));
      const mod = (await import(pathToFileURL(file).href)) as { train?: () => Promise<tf.LayersModel>; default?: { train: () => Promise<tf.LayersModel> } };
      const train = mod.train ?? mod.default?.train;
      assert.ok(train !== undefined, `${input.name} exports train`);
      const model = await train();
      const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
      assert.equal(dense.length, 2);
      for (const layer of dense) assert.equal((layer as unknown as Record<symbol, unknown>)[Symbol.for('lrlab.weightDecay')], 1e-4, `${input.name}: decay set on ${layer.name}`);
      const lr = (model.optimizer as unknown as { learningRate: number }).learningRate;
      assert.ok(lr >= 0.03 / 1000 - 1e-12 && lr <= 0.3, `${input.name}: the schedule drove the LR (${lr})`);
      assert.ok(dense.every((l) => l.losses.length === 1), `${input.name}: one penalty per layer`);
      model.dispose();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/** The generated plain JS for `fit` text, run with the given model and data (and extra callbacks after ours). */
async function runGenerated(fitText: string, insert: (text: string) => string, model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<void> {
  const code = insert(fitText).replace('model.fit(', 'await model.fit(');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the generated JS the way the user's file would
  const run = new Function('tf', 'model', 'xs', 'ys', `return (async () => { ${code} })();`) as (...a: unknown[]) => Promise<void>;
  await run(tf, model, xs, ys);
}

/** Two dense layers, or one (`single`: with zero inputs its bias then learns independently of its kernel). */
function denseModel(optimizer: tf.Optimizer, options: { regularize?: number; single?: boolean } = {}): tf.Sequential {
  const model = tf.sequential();
  const reg = options.regularize === undefined ? {} : { kernelRegularizer: tf.regularizers.l2({ l2: options.regularize }) };
  model.add(tf.layers.dense({ units: 3, inputShape: [2], activation: 'tanh', biasInitializer: 'ones', ...reg }));
  if (options.single !== true) model.add(tf.layers.dense({ units: 1, ...reg }));
  model.compile({ optimizer, loss: 'meanSquaredError' });
  return model;
}

const FIT = 'model.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false });\n';

test('L2 form with momentum SGD: kernels shrink as buf = m·buf + wd·w, w −= lr·buf; biases untouched', async () => {
  await tf.setBackend('cpu');
  const wd = 0.5;
  const lr = 0.1;
  const m = 0.9;
  // Zero inputs: the data gives the first layer's kernel no gradient, so only the decay moves it.
  const xs = tf.zeros([8, 2]);
  const ys = tf.ones([8, 3]);
  const decayed = denseModel(tf.train.momentum(lr, m), { single: true });
  const plain = denseModel(tf.train.momentum(lr, m), { single: true });
  plain.setWeights(decayed.getWeights());
  const w0 = Array.from(decayed.layers[0]!.getWeights()[0]!.dataSync());
  await runGenerated(FIT, (t) => changed(insertWeightDecayChanges('model.js', t, { ...weightDecay, weightDecay: wd }), t), decayed, xs, ys);
  await plain.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false });
  // 8 samples, batch 4, 2 epochs: 4 steps of tfjs' momentum update on the gradient wd·w.
  const want = w0.map((w) => {
    let buf = 0;
    for (let step = 0; step < 4; step++) {
      buf = m * buf + wd * w;
      w -= lr * buf;
    }
    return w;
  });
  const got = Array.from(decayed.layers[0]!.getWeights()[0]!.dataSync());
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-6 * Math.max(1, Math.abs(want[i]!)), `kernel[${i}] ${g} vs ${want[i]}`));
  assert.ok(got.every((g, i) => Math.abs(g) < Math.abs(w0[i]!) * 0.8), 'the kernels really shrank');
  assert.deepEqual(Array.from(plain.layers[0]!.getWeights()[0]!.dataSync()), w0, 'no gradient without the decay');
  // The bias is not decayed: with zero inputs its path does not depend on the kernel, so it is the same as without weight decay.
  const bias = Array.from(decayed.layers[0]!.getWeights()[1]!.dataSync());
  const plainBias = Array.from(plain.layers[0]!.getWeights()[1]!.dataSync());
  bias.forEach((b, i) => assert.ok(Math.abs(b - plainBias[i]!) < 1e-6, `bias[${i}] ${b} vs ${plainBias[i]}`));
});

test('L2 form equals a kernelRegularizer l2 = wd / 2 the layers could have been built with (Adam, real data)', async () => {
  await tf.setBackend('cpu');
  const wd = 0.2;
  const xs = tf.tensor2d([[1, 2], [-1, 0.5], [0.3, -2], [2, 1], [-0.5, -0.5], [1.5, -1], [0, 1], [-2, 0.2]]);
  const ys = tf.tensor2d([[1], [0], [-1], [2], [0.5], [-0.3], [0.7], [1.2]]);
  const reference = denseModel(tf.train.adam(0.05), { regularize: wd / 2 });
  const inserted = denseModel(tf.train.adam(0.05));
  inserted.setWeights(reference.getWeights());
  await reference.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false });
  await runGenerated(FIT, (t) => changed(insertWeightDecayChanges('model.js', t, { ...weightDecay, weightDecay: wd }), t), inserted, xs, ys);
  const a = reference.getWeights().map((w) => Array.from(w.dataSync()));
  const b = inserted.getWeights().map((w) => Array.from(w.dataSync()));
  a.forEach((weights, j) => weights.forEach((w, i) => assert.ok(Math.abs(w - b[j]![i]!) < 1e-5, `weight ${j}[${i}]: ${w} vs ${b[j]![i]}`)));
});

test('decoupled form beside the 1cycle schedule: kernels × Π(1 − lr_t·wd) with the schedule\'s per-step LR', async () => {
  await tf.setBackend('cpu');
  const wd = 0.5;
  const xs = tf.zeros([8, 2]);
  const ys = tf.ones([8, 1]);
  const model = denseModel(tf.train.momentum(0.01, 0.9));
  const w0 = Array.from(model.layers[0]!.getWeights()[0]!.dataSync());
  const bothInserted = (t: string): string => {
    const once = changed(insertScheduleChanges('model.js', t, schedule), t);
    return changed(insertWeightDecayChanges('model.js', once, { ...decoupled, weightDecay: wd }), once);
  };
  assert.match(bothInserted(FIT), /callbacks: \[lrlabOneCycle\(\), lrlabWeightDecay\(\)\]/);
  await runGenerated(FIT, bothInserted, model, xs, ys);
  // 4 steps; the schedule sets each step's LR before it, the decay reads it after.
  const lrs = [0, 1, 2, 3].map((s) => smith({ maxLr: schedule.maxLr, minLr: schedule.minLr, totalSteps: 4 }).at(s).lr);
  const factor = lrs.reduce((p, lr) => p * (1 - lr * wd), 1);
  const got = Array.from(model.layers[0]!.getWeights()[0]!.dataSync());
  got.forEach((g, i) => assert.ok(Math.abs(g - w0[i]! * factor) < 1e-6, `kernel[${i}] ${g} vs ${w0[i]! * factor}`));
  assert.ok(factor < 0.8, `a visible decay (${factor})`);
});
