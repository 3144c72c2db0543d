/**
 * Loading the user's model file: every supported flavour loads with its `@tensorflow/*` imports
 * answered by the engine's own tf (tensors cross freely), and every broken file gives an
 * LrLabError that names the file, the line and the fix. Fixtures: test/fixtures/models/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findLr } from '../../src/engine/experiments/findLr';
import { loadModelModule } from '../../src/engine/modelFile';
import { buildModel } from '../../src/engine/modelExports';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { loadTf } from '../../src/engine/tfjs';
import type { Tf } from '../../src/engine/tfjs';
import { LrLabError } from '../../src/protocol/errors';
import type { ErrorCode } from '../../src/protocol/errors';

const root = path.join(__dirname, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'models');
const fixture = (name: string): string => path.join(fixtures, name);
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-models-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let tf: Tf;
before(async () => {
  ({ tf } = await loadTf({ backend: 'wasm' }));
});

let counter = 0;
function write(name: string, source: string): string {
  const file = path.join(dir, `${counter++}-${name}`);
  writeFileSync(file, source);
  return file;
}

function expectError(code: ErrorCode, file: string, pattern: RegExp, extra: { line?: number; fix?: RegExp } = {}): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof LrLabError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    assert.equal(e.file, file);
    if (extra.line !== undefined) assert.equal(e.line, extra.line, `line of ${e.message}`);
    if (extra.fix !== undefined) assert.match(e.fix ?? '', extra.fix);
    else assert.ok((e.fix ?? '').length > 10, 'says what to do');
    return true;
  };
}

async function dataOf(file: string): Promise<{ xs: unknown; ys: unknown }> {
  const mod = await loadModelModule(file, tf);
  const data = (await mod.loadData()) as { train: { xs: unknown; ys: unknown } };
  return data.train;
}

test('TypeScript ESM with a relative import of a TS helper: exports, loss, metrics, a fresh model per call', async () => {
  const mod = await loadModelModule(fixture('tsEsm.ts'), tf);
  assert.equal(mod.file, fixture('tsEsm.ts'));
  assert.equal(mod.loss, 'categoricalCrossentropy');
  assert.deepEqual(mod.metrics, ['accuracy']);
  const a = await buildModel(mod, {});
  const b = await buildModel(mod, { dropout: 0.5 });
  assert.notEqual(a, b);
  assert.deepEqual(a.outputs[0]!.shape, [null, 3]);
  assert.equal(b.layers.length, 3);
  const { train } = (await mod.loadData()) as { train: { xs: unknown; ys: unknown } };
  assert.ok(train.xs instanceof tf.Tensor && train.ys instanceof tf.Tensor);
  // The user's tensors are the engine's: they go straight into the engine's ops and models.
  const prediction = a.predict(train.xs) as InstanceType<Tf['Tensor']>;
  assert.deepEqual(prediction.shape, [96, 3]);
  tf.dispose([prediction, train.xs, train.ys]);
  a.dispose();
  b.dispose();
});

test('CommonJS JavaScript (module.exports) and an .mjs importing @tensorflow/tfjs-core and -layers', async () => {
  const cjs = await loadModelModule(fixture('jsCjs.js'), tf);
  assert.deepEqual((await buildModel(cjs, {})).outputs[0]!.shape, [null, 1]);
  const mjs = await loadModelModule(fixture('esm.mjs'), tf);
  assert.deepEqual((await buildModel(mjs, {})).inputs[0]!.shape, [null, 3]);
  const { xs } = await dataOf(fixture('esm.mjs'));
  assert.ok(xs instanceof tf.Tensor);
  assert.deepEqual(tf.tidy(() => tf.add(xs, 1).shape), [30, 3]);
});

test('a dynamic import() of a built-in inside loadData runs as under node (it threw "A dynamic import callback was not specified"), without Node\'s ExperimentalWarning about how LR Lab runs it', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error): number => warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    const { xs } = await dataOf(fixture('dynamicImport.mjs'));
    assert.ok(xs instanceof tf.Tensor);
    assert.deepEqual(xs.shape, [30, 3]);
    await new Promise((resolve) => setImmediate(resolve)); // 'warning' is emitted on a later tick
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings.filter((w) => /USE_MAIN_CONTEXT_DEFAULT_LOADER/.test(w)), []);
});

test('a tsconfig "paths" alias (@data/synth → src/data/synth.ts) is the project\'s own code: bundled as tsc and tsx resolve it (it was left to require, "Cannot find module \'@data/synth\'. Install @data/synth")', async () => {
  const project = path.join(dir, 'aliased');
  mkdirSync(path.join(project, 'src', 'data'), { recursive: true });
  writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, baseUrl: '.', paths: { '@data/*': ['src/data/*'] } } }));
  writeFileSync(path.join(project, 'src', 'data', 'synth.ts'), 'export const ROWS = 24;\nexport function synth(n: number): number[][] { return Array.from({ length: n }, (_, i) => [i / n, 1 - i / n]); }\n');
  const file = path.join(project, 'src', 'model.ts');
  writeFileSync(file, "import * as tf from '@tensorflow/tfjs';\nimport { ROWS, synth } from '@data/synth';\nexport function createModel() { return tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] }); }\nexport async function loadData() { const xs = tf.tensor2d(synth(ROWS)); return { train: { xs, ys: tf.sum(xs, 1, true) } }; }\n");
  const { xs } = await dataOf(file);
  assert.ok(xs instanceof tf.Tensor);
  assert.deepEqual(xs.shape, [24, 2]);
  // A workspace package linked into node_modules (outside it once the link is followed) is a package Node
  // finds: required where it is (its __dirname its own), not bundled as the project's code.
  mkdirSync(path.join(project, 'packages', 'where'), { recursive: true });
  writeFileSync(path.join(project, 'packages', 'where', 'package.json'), JSON.stringify({ name: '@acme/where', main: 'index.js' }));
  writeFileSync(path.join(project, 'packages', 'where', 'index.js'), 'exports.folder = __dirname;\n');
  mkdirSync(path.join(project, 'node_modules', '@acme'), { recursive: true });
  symlinkSync(path.join(project, 'packages', 'where'), path.join(project, 'node_modules', '@acme', 'where'), 'dir');
  const linked = path.join(project, 'src', 'linked.ts');
  writeFileSync(linked, "import { folder } from '@acme/where';\nexport function createModel() { return null; }\nexport async function loadData() { return folder; }\n");
  assert.equal(await (await loadModelModule(linked, tf)).loadData(), path.join(project, 'packages', 'where'));
});

test('a file written for @tensorflow/tfjs-node loads on wasm: same tensors, its setBackend and setWasmPaths are no-ops', async () => {
  const { xs, ys } = await dataOf(fixture('tfjsNode.cts'));
  assert.equal(tf.getBackend(), 'wasm');
  assert.ok(xs instanceof tf.Tensor && ys instanceof tf.Tensor);
  assert.equal(tf.tidy(() => tf.sum(tf.mul(xs, 2)).dataSync()[0]), 32);
  const model = await buildModel(await loadModelModule(fixture('tfjsNode.cts'), tf), {});
  assert.deepEqual(model.outputs[0]!.shape, [null, 1]);
});

test('`export default { createModel, loadData }` in an .mts, with import.meta.url naming the file', async () => {
  const mod = await loadModelModule(fixture('defaultExport.mts'), tf);
  assert.deepEqual((await buildModel(mod, {})).outputs[0]!.shape, [null, 1]);
  const file = write('meta.mts', `export const createModel = () => null;\nexport async function loadData() { return import.meta.url; }\n`);
  assert.equal(await (await loadModelModule(file, tf)).loadData(), `file://${file}`);
});

test('a hashbang first line (#!/usr/bin/env node) runs as under node (it read "threw while loading: Invalid or unexpected token"), and errors still point at the user\'s line', async () => {
  const file = write('hashbang.cjs', "#!/usr/bin/env node\nconst tf = require('@tensorflow/tfjs');\nexports.createModel = () => tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });\nexports.loadData = async () => { throw new Error('no data here'); };\n");
  const mod = await loadModelModule(file, tf);
  assert.deepEqual((await buildModel(mod, {})).outputs[0]!.shape, [null, 1]);
  await assert.rejects(Promise.resolve().then(() => mod.loadData()), (e: unknown) => e instanceof Error && /hashbang\.cjs:4\b/.test(e.stack ?? ''));
});

test('a syntax error: esbuild’s message with the file and line', async () => {
  const file = fixture('syntaxError.ts');
  await assert.rejects(loadModelModule(file, tf), expectError('model-file', file, /^Unexpected ";": const units: number = ;$/, { line: 4 }));
});

test('a relative import that does not exist: the importing line', async () => {
  const file = fixture('badImport.ts');
  await assert.rejects(loadModelModule(file, tf), expectError('model-file', file, /Could not resolve "\.\/helpers\/nope"/, { line: 2, fix: /path of this import/ }));
});

test('missing exports name what the file does export', async () => {
  const file = fixture('noLoadData.ts');
  await assert.rejects(loadModelModule(file, tf), expectError('model-exports', file, /^noLoadData\.ts does not export loadData \(exports found: createModel, learningRate\)\.$/, { fix: /export async function loadData/ }));
  const empty = write('types.ts', 'export interface Hp { dropout?: number }\nexport type X = number;\n');
  await assert.rejects(loadModelModule(empty, tf), expectError('model-exports', empty, /does not export createModel \(it exports nothing\)/));
  // `export default function createModel`: the default export is named as the one missing, with the fix.
  const defaultFn = write('defaultfn.mjs', "export default function createModel() { return null; }\nexport async function loadData() { return {}; }\n");
  await assert.rejects(loadModelModule(defaultFn, tf), expectError('model-exports', defaultFn, /^\S*defaultfn\.mjs does not export createModel \(exports found: default, loadData: its createModel is the default export\)\.$/, { fix: /^Export it by name: `export function createModel\(…\)` instead of `export default function createModel\(…\)`/ }));
  const notFunction = write('notfn.ts', 'export const createModel = 3;\nexport async function loadData() { return {}; }\n');
  await assert.rejects(loadModelModule(notFunction, tf), expectError('model-exports', notFunction, /exports createModel as a number; it must be a function/));
  // A metric function in the metrics export: the element at fault is named (it read "is an array; it must be an array").
  const metricFn = write('metricfn.ts', "import * as tf from '@tensorflow/tfjs';\nexport const metrics = ['accuracy', tf.metrics.meanSquaredError];\nexport function createModel() { return tf.sequential(); }\nexport async function loadData() { return {}; }\n");
  await assert.rejects(loadModelModule(metricFn, tf), expectError('model-exports', metricFn, /^The metrics export of \S*metricfn\.ts is an array whose element 1 is a function \(meanSquaredError\); it must be an array of metric names like \['accuracy'\] or \['meanSquaredError'\]\.$/, { fix: /\('meanSquaredError' for that function\)/ }));
  // A function of the user's own: its name would be dropped as unknown, so it is not the advice.
  const ownFn = write('ownfn.ts', "import * as tf from '@tensorflow/tfjs';\nfunction myF1(a: tf.Tensor, b: tf.Tensor) { return tf.sub(a, b); }\nexport const metrics = [myF1];\nexport function createModel() { return tf.sequential(); }\nexport async function loadData() { return {}; }\n");
  await assert.rejects(loadModelModule(ownFn, tf), expectError('model-exports', ownFn, /element 0 is a function \(myF1\)/, { fix: /^Name each metric as model\.compile takes it by name \(myF1 is a function of your own, which LR Lab does not compute: leave it out; 'accuracy', 'meanSquaredError', …\)\.$/ }));
});

test('createModel returning the same instance twice is refused on the second call', async () => {
  const file = fixture('sameInstance.ts');
  const mod = await loadModelModule(file, tf);
  await buildModel(mod, {});
  await assert.rejects(buildModel(mod, {}), expectError('model-build', file, /createModel must build a new model on each call/, { fix: /inside createModel/ }));
});

test('createModel returning something else is a clear error; an async createModel is awaited', async () => {
  const plain = write('plain.ts', 'export function createModel() { return { layers: 3 }; }\nexport async function loadData() { return {}; }\n');
  const plainModule = await loadModelModule(plain, tf);
  await assert.rejects(buildModel(plainModule, {}), expectError('model-build', plain, /createModel returned an object \(Object\), not a tf\.LayersModel/));
  const promise = write('promise.ts', "import * as tf from '@tensorflow/tfjs';\nexport async function createModel() { return tf.sequential(); }\nexport async function loadData() { return {}; }\n");
  const promiseModule = await loadModelModule(promise, tf);
  // An async createModel (one that awaits tf.loadLayersModel, say) is awaited: it builds the model.
  const built = await buildModel(promiseModule, {});
  assert.equal(built.getClassName(), 'Sequential');
  built.dispose();
  // One that resolves to something else is refused like a synchronous one.
  const promisePlain = write('promisePlain.ts', 'export async function createModel() { return 42; }\nexport async function loadData() { return {}; }\n');
  await assert.rejects(buildModel(await loadModelModule(promisePlain, tf), {}), expectError('model-build', promisePlain, /createModel returned a number, not a tf\.LayersModel/));
});

test('errors thrown by the file point at the user’s own line (through the source map), not at LR Lab', async () => {
  const atLoad = fixture('throwsAtLoad.ts');
  await assert.rejects(loadModelModule(atLoad, tf), expectError('model-file', atLoad, /^throwsAtLoad\.ts threw while loading: settings\.path is not set$/, { line: 10 }));

  const inCreate = fixture('throwsInCreateModel.ts');
  const mod = await loadModelModule(inCreate, tf);
  await assert.rejects(buildModel(mod, {}), expectError('model-build', inCreate, /^createModel threw: no layer after the 4-unit dense$/, { line: 9 }));

  // tfjs's own multi-line message: its first sentence, not the one that introduces the lines cut off
  // ("Unknown activation: exponential. This may be due to one of the following reasons: Fix createModel …").
  const unknownActivation = write('unknownActivation.js', "const tf = require('@tensorflow/tfjs');\nexports.createModel = () => tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2], activation: 'exponential' })] });\nexports.loadData = async () => ({});\n");
  await assert.rejects(buildModel(await loadModelModule(unknownActivation, tf), {}), expectError('model-build', unknownActivation, /^createModel threw: Unknown activation: exponential\.$/));
  const inData = write('dataThrows.ts', "import * as tf from '@tensorflow/tfjs';\ntype N = number;\nexport function createModel() { return tf.sequential(); }\n\nexport async function loadData(): Promise<N> {\n  const rows: N[] = [];\n  throw new RangeError(`no rows (${rows.length})`);\n}\n");
  const data = await loadModelModule(inData, tf);
  await assert.rejects(data.loadData(), (e: unknown) => e instanceof RangeError && e.stack!.includes(`${inData}:7:`));
});

test('a bare import the workspace lacks: the package to install', async () => {
  const file = fixture('missingPackage.ts');
  await assert.rejects(loadModelModule(file, tf), expectError('model-file', file, /threw while loading: Cannot find module 'lrlab-no-such-package'/, { fix: /npm install lrlab-no-such-package/ }));
});

test('tf.node.* on the wasm backend explains itself', async () => {
  const file = write('tfnode.ts', "import * as tf from '@tensorflow/tfjs-node';\nexport function createModel() { return tf.sequential(); }\nexport async function loadData() { return tf.node.decodeImage(new Uint8Array(4)); }\n");
  const mod = await loadModelModule(file, tf);
  await assert.rejects(mod.loadData(), (e: unknown) => e instanceof LrLabError && e.code === 'backend' && /tf\.node is part of @tensorflow\/tfjs-node/.test(e.message));
});

test('a workspace package under @tensorflow-models/ is bundled so its @tensorflow/* imports are redirected; its own dependencies resolve from it', async () => {
  const workspace = path.join(dir, 'workspace');
  const pkg = path.join(workspace, 'node_modules', '@tensorflow-models', 'tiny');
  const dep = path.join(pkg, 'node_modules', 'tiny-dep');
  mkdirSync(dep, { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow-models/tiny', version: '1.0.0', main: 'index.js' }));
  writeFileSync(path.join(pkg, 'index.js'), "const tf = require('@tensorflow/tfjs-core');\nconst { three } = require('tiny-dep');\nexports.make = () => tf.fill([2], three);\n");
  writeFileSync(path.join(dep, 'package.json'), JSON.stringify({ name: 'tiny-dep', version: '1.0.0', main: 'index.js' }));
  writeFileSync(path.join(dep, 'index.js'), 'exports.three = 3;\n');
  const file = path.join(workspace, 'model.ts');
  writeFileSync(file, "import * as tf from '@tensorflow/tfjs';\nimport { make } from '@tensorflow-models/tiny';\nexport function createModel() { return tf.sequential(); }\nexport async function loadData() { return make(); }\n");
  const made = await (await loadModelModule(file, tf)).loadData();
  assert.ok(made instanceof tf.Tensor);
  assert.deepEqual(Array.from(made.dataSync()), [3, 3]);
});

test('a missing file and an unknown extension', async () => {
  const missing = path.join(dir, 'nope.ts');
  await assert.rejects(loadModelModule(missing, tf), expectError('model-file', missing, /Model file not found/));
  const python = write('model.py', 'print(1)\n');
  await assert.rejects(loadModelModule(python, tf), expectError('model-file', python, /^\S*model\.py is not a JS\/TS file or a model\.json\.$/, { fix: /^Give a \.ts\/\.js file exporting createModel and loadData, a training script that calls model\.fit, or a tfjs model\.json with --data and --label \(JS\/TS: \.js\/\.mjs\// }));
});

test('esbuild-wasm starts without a `node` on PATH (VS Code runs the engine on its own runtime)', () => {
  const probe = write('probe.ts', `import { loadTf } from ${JSON.stringify(path.join(root, 'src', 'engine', 'tfjs.ts'))};
import { loadModelModule } from ${JSON.stringify(path.join(root, 'src', 'engine', 'modelFile.ts'))};
(async () => {
  const { tf } = await loadTf({ backend: 'cpu' });
  const mod = await loadModelModule(${JSON.stringify(fixture('tsEsm.ts'))}, tf);
  process.stdout.write(String(mod.loss));
})();
`);
  const emptyPath = path.join(dir, 'no-bin');
  mkdirSync(emptyPath);
  const out = execFileSync(process.execPath, ['--import', 'tsx', probe], { cwd: root, encoding: 'utf8', env: { ...process.env, PATH: emptyPath } });
  assert.equal(out, 'categoricalCrossentropy');
});

test('end to end: a range test on the TS fixture, and a loadData error reported at the user’s line', async () => {
  const ctx = { reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal };
  const result = await findLr({ kind: 'find-lr', model: fixture('tsEsm.ts'), steps: 12, batchSize: 16, seed: 1, backend: 'wasm', rangeRetries: 0 }, ctx);
  assert.equal(result.points.length, 12);
  assert.ok(result.points.every((p) => p.loss !== null));
  const file = write('e2e.ts', "import * as tf from '@tensorflow/tfjs';\ninterface Row { x: number }\nexport function createModel() { return tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] }); }\n\nexport async function loadData() {\n  const rows: Row[] = [];\n  if (rows.length === 0) throw new Error('data.csv has no rows');\n  return rows;\n}\n");
  await assert.rejects(findLr({ kind: 'find-lr', model: file, steps: 5, backend: 'wasm' }, ctx), (e: unknown) => e instanceof LrLabError && e.file === file && e.line === 7 && /data\.csv has no rows/.test(e.message));
});
