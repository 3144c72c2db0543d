/**
 * The training-script route in-process (the worker started from sources): what a captured fit
 * call becomes — the call's data split as tfjs splits it, a fresh copy of the script's model at
 * its initial weights for every run — and the contract files it leaves alone.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadForRun } from '../../src/engine/session';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { backendNotApplied, isTrainingScript, nativeNotLoaded } from '../../src/engine/scriptModel';
import { captureScript } from '../../src/engine/scriptRun';
import { Trainer } from '../../src/engine/trainer';
import type { LrLabError } from '../../src/protocol/errors';

const scripts = path.join(__dirname, '..', 'fixtures', 'scripts');
const ctx = { reporter: new Reporter('test', silentSink, 0), signal: new AbortController().signal };

test('which files take the script route: no contract exports and a fit call', () => {
  assert.equal(isTrainingScript(path.join(scripts, 'topLevel.js')), true);
  assert.equal(isTrainingScript(path.join(scripts, 'fitDataset.mjs')), true);
  assert.equal(isTrainingScript(path.join(scripts, '..', 'engine', 'tinyClassifier.js')), false);
  assert.equal(isTrainingScript(path.join(scripts, 'blobs.js')), false);
});

test('validationSplit: the last quarter, unshuffled, as tfjs holds it out; --validation-split overrides it', async () => {
  const file = path.join(scripts, 'validationSplit.cjs');
  const loaded = await loadForRun({ model: file, seed: 3 }, ctx);
  assert.equal(loaded.data.train.count, 300);
  assert.equal(loaded.data.validation.count, 100);
  assert.equal(loaded.script?.method, 'fit');
  assert.equal(loaded.script?.batchSize, 20);
  assert.equal(loaded.script?.validationSplit, 0.25);
  // tf.train.momentum(0.05, 0.9) crossed the worker boundary with its values.
  assert.deepEqual(loaded.compiledOptimizer !== null && 'learningRate' in loaded.compiledOptimizer ? [loaded.compiledOptimizer.name, loaded.compiledOptimizer.className, loaded.compiledOptimizer.learningRate, loaded.compiledOptimizer.momentum] : null, ['sgd', 'Momentum', 0.05, 0.9]);
  // blobs(400, 3): sample i has class i % 3, so validation sample 0 (sample 300) is class 0.
  const firstLabel = Array.from(loaded.data.validation.ys.slice([0, 0], [1, 3]).dataSync());
  assert.deepEqual(firstLabel, [1, 0, 0]);
  // Its samples cycle through the classes (sample i is class i % 3): the last quarter holds all three, and nothing is said of it.
  assert.ok(!loaded.warnings.some((w) => w.startsWith('The validation split holds')), loaded.warnings.join('\n'));
  assert.match(loaded.warnings[0] ?? '', /^Model and data taken from the model\.fit call at validationSplit\.cjs:19 \(batch size 20, \d+ epochs?, validationSplit 0\.25\); the script stopped there\.$/);
  const explicit = await loadForRun({ model: file, seed: 3, validationSplit: 0.5 }, ctx);
  assert.equal(explicit.data.validation.count, 200);
  assert.equal(explicit.data.train.count, 200);
  // The warning names the split that ran, not the call's (it read "validationSplit 0.25" under --validation-split 0.5).
  assert.match(explicit.warnings[0] ?? '', /\(batch size 20, \d+ epochs?, --validation-split 0\.5 instead of its validationSplit 0\.25\); the script stopped there\.$/);
  // --batch-size too (a user trial: the note named the call's batch size beside a range test at 128).
  const batched = await loadForRun({ model: file, seed: 4, batchSize: 128 }, ctx); // another seed: a load of its own (the model is kept per source and seed)
  assert.match(batched.warnings[0] ?? '', /\(--batch-size 128 instead of its batch size 20, \d+ epochs?, validationSplit 0\.25\); the script stopped there\.$/);
});

test('samples sorted by class, split by fit\'s validationSplit (the last share, unshuffled): the validation split holds the last class only, and the run says so; shuffled, it does not', async () => {
  const file = path.join(scripts, 'sortedByClass.js');
  const narrow = (warnings: readonly string[]): string[] => warnings.filter((w) => w.startsWith('The validation split holds'));
  const sorted = await loadForRun({ model: file, seed: 3 }, ctx);
  assert.deepEqual([sorted.data.train.count, sorted.data.validation.count], [240, 60]);
  assert.deepEqual(narrow(sorted.warnings), [
    "The validation split holds one class only (class 2) of the 3 classes the training split has, where a random split of its 60 samples would hold about 3 of them: its loss and accuracy, which every verdict, epoch count and short-run ranking reads, say nothing of the classes it lacks (83% of the training samples). The samples look sorted by class, and the validation split a share of them taken in that order (fit's validationSplit takes the last share, unshuffled, as tfjs does). Shuffle the samples (xs and ys together) before they are split, or give validation data drawn from every class.",
  ]);
  const binary = await loadForRun({ model: file, seed: 3, scriptArgs: ['binary'] }, ctx);
  assert.match(narrow(binary.warnings).join('\n'), /^The validation split holds one label only \(label 1\) of the 2 labels the training split has, where a random split of its 40 samples would hold about 2 of them: .* \(63% of the training samples\)\. The samples look sorted by label,/);
  const shuffled = await loadForRun({ model: file, seed: 3, scriptArgs: ['shuffled'] }, ctx);
  assert.deepEqual(narrow(shuffled.warnings), []);
});

test('a script\'s tf.setBackend is not applied, and the note says so where it asked for another backend than the one that ran', async () => {
  const file = path.join(scripts, 'setsBackend.js');
  const onWasm = await loadForRun({ model: file, seed: 3, backend: 'wasm' }, ctx);
  assert.equal(onWasm.backend.name, 'wasm');
  assert.ok(onWasm.warnings.some((w) => w === "setsBackend.js calls tf.setBackend('cpu'); LR Lab runs every experiment on its own backend, wasm here, so the call is not applied (--backend or the lrlab.backend setting chooses it)."), onWasm.warnings.join('\n'));
  // One tfjs per process: the run on the backend the script asked for is the note's own rule.
  assert.deepEqual(backendNotApplied(file, ['cpu', 'cpu'], 'cpu'), []);
  assert.deepEqual(backendNotApplied(file, ['cpu', 'wasm'], 'wasm'), onWasm.warnings.filter((w) => /setBackend/.test(w)));
});

test('a script that imports @tensorflow/tfjs-node where it is not installed: the run says it is on wasm, not the native backend the script meant; chosen with --backend, nothing to say', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-native-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'train.js');
  writeFileSync(file, "const tf = require('@tensorflow/tfjs-node');\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nmodel.fit(tf.randomNormal([40, 2]), tf.randomNormal([40, 1]), { epochs: 1 });\n");
  const auto = await loadForRun({ model: file, seed: 1 }, ctx);
  assert.equal(auto.backend.name, 'wasm');
  assert.ok(auto.warnings.some((w) => w.startsWith("train.js imports @tensorflow/tfjs-node, which is not installed where LR Lab looks (the workspace's node_modules, then its own): every run here is on wasm, several times slower than the native backend. Install it in the workspace (npm install @tensorflow/tfjs-node;")), auto.warnings.join('\n'));
  // (One tfjs per process: the backend chosen with --backend is the rule's own input here.)
  const text = readFileSync(file, 'utf8');
  assert.deepEqual(nativeNotLoaded(file, text, { ...auto.backend, requested: 'wasm' }), []);
  assert.deepEqual(nativeNotLoaded(file, text, { ...auto.backend, name: 'tensorflow' }), []);
  assert.deepEqual(nativeNotLoaded(file, "const tf = require('@tensorflow/tfjs');", auto.backend), []);
  assert.equal(nativeNotLoaded(file, "import * as tf from '@tensorflow/tfjs-node-gpu';", auto.backend)[0]?.slice(0, 43), 'train.js imports @tensorflow/tfjs-node-gpu,');
});

test('the call\'s validation as tfjs reads it: validationData before a validationSplit; a validationSplit of 0 holds nothing out, so the 20% LR Lab holds out is said', async () => {
  const file = path.join(scripts, 'validationChoices.js');
  const both = await loadForRun({ model: file, seed: 3, scriptArgs: ['both'] }, ctx);
  // The 30 validationData samples validate; all 200 train (the split of 0.25 is tfjs's to ignore).
  assert.deepEqual([both.data.train.count, both.data.validation.count], [200, 30]);
  assert.match(both.warnings[0] ?? '', /\(batch size 32, 2 epochs, validationData\); the script stopped there\.$/);
  const zero = await loadForRun({ model: file, seed: 3, scriptArgs: ['zero'] }, ctx);
  assert.deepEqual([zero.data.train.count, zero.data.validation.count], [160, 40]);
  assert.match(zero.warnings[0] ?? '', /\(batch size 32, 2 epochs\); the script stopped there\. The call has no validation data, so LR Lab holds out a random 20%/);
});

test('a script compiled with a tf.losses op (softmaxCrossEntropy on logits) trains with the engine\'s same op, named without its op scope, with its baseline', async () => {
  const loaded = await loadForRun({ model: path.join(scripts, 'logitsLoss.js'), seed: 3 }, ctx);
  assert.equal(loaded.loss.name, 'softmaxCrossEntropy');
  assert.equal(loaded.accuracy, 'categorical');
  assert.ok(loaded.baseline?.kind === 'chance' && Math.abs(loaded.baseline.loss - Math.log(3)) < 0.01, JSON.stringify(loaded.baseline));
  const { tf } = loaded;
  const xs = loaded.data.train.xs.slice([0, 0], [8, 2]);
  const ys = loaded.data.train.ys.slice([0, 0], [8, 3]);
  const model = await loaded.buildModel({});
  const logits = model.predict(xs) as typeof xs;
  const expected = tf.losses.softmaxCrossEntropy(ys, logits).dataSync()[0]!;
  assert.ok(Math.abs(loaded.loss.fn(ys, logits).dataSync()[0]! - expected) < 1e-6);
  loaded.disposeModel(model);
});

test('the compile call\'s metrics cross with the model: names, tf.metrics functions by name; a function of the script\'s own is named as left out', async () => {
  const loaded = await loadForRun({ model: path.join(scripts, 'compiledMetrics.js'), seed: 3 }, ctx);
  assert.deepEqual(loaded.metrics.map((m) => m.name), ['mae', 'meanSquaredError']);
  assert.ok(loaded.warnings.some((w) => /^compiledMetrics\.js compiles the model with a custom metric function \(halfError\), which LR Lab cannot take out of a running script: left out of the runs' columns\./.test(w)), loaded.warnings.join('\n'));
  // The columns are computed: the metrics of an evaluation are numbers (a user's script showed none).
  const model = await loaded.buildModel({});
  const trainer = new Trainer(loaded.tf, model, loaded.loss.fn, loaded.accuracy, { optimizer: { name: 'sgd', lr: 0.05, momentum: 0, weightDecay: 0 }, metrics: loaded.metrics });
  const evaluation = trainer.evaluate(loaded.data.validation);
  assert.ok(Number.isFinite(evaluation.metrics['mae']) && Number.isFinite(evaluation.metrics['meanSquaredError']), JSON.stringify(evaluation.metrics));
  loaded.disposeModel(model);
});

test('every run starts from the script\'s initial weights: fresh copies, training one leaves the next untouched', async () => {
  const loaded = await loadForRun({ model: path.join(scripts, 'topLevel.js'), seed: 5 }, ctx);
  // Its fit call has no validation: the note says a random 20% is held out (the 300 samples train on 240), which the script never did.
  assert.deepEqual([loaded.data.train.count, loaded.data.validation.count], [240, 60]);
  assert.match(loaded.warnings[0] ?? '', /\(batch size 24, 20 epochs\); the script stopped there\. The call has no validation data, so LR Lab holds out a random 20% of its samples to validate on and trains on the rest: give the call validationData or a validationSplit to choose them \(or --validation-split for another share\)\.$/);
  const a = await loaded.buildModel({});
  const initial = a.getWeights().map((w) => Array.from(w.dataSync()));
  const trainer = new Trainer(loaded.tf, a, loaded.loss.fn, loaded.accuracy, { optimizer: { name: 'sgd', lr: 0.5, momentum: 0.9, weightDecay: 0 } });
  for (let i = 0; i < 5; i++) trainer.stepOn(loaded.data.train, Int32Array.from({ length: 24 }, (_, k) => k));
  trainer.dispose();
  assert.notDeepEqual(a.getWeights().map((w) => Array.from(w.dataSync())), initial, 'training changed the first copy');
  const b = await loaded.buildModel({});
  assert.notEqual(a, b);
  assert.deepEqual(b.getWeights().map((w) => Array.from(w.dataSync())), initial);
  loaded.disposeModel(a);
  loaded.disposeModel(b);
  assert.equal(loaded.loss.name, 'categoricalCrossentropy');
  assert.equal(loaded.data.train.count + loaded.data.validation.count, 300);
  await assert.rejects(loaded.buildModel({ dropout: 0.2 }), /training script: its model has a fixed architecture/);
});

/** A script of `lines` in a folder of its own (removed after the file's tests), as its path. */
function scriptIn(prefix: string, name: string, lines: readonly string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n'));
  return file;
}

test('fitDataset with an endless validation generator and validationBatches: that many batches validate, as tfjs reads them (a million samples were read, then "did not end")', async () => {
  const file = scriptIn('lrlab-valbatches-', 'endless.mjs', [
    "import * as tf from '@tensorflow/tfjs';",
    "const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })] });",
    "model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });",
    "const sample = () => { const x = tf.randomNormal([4]); return { xs: x, ys: tf.oneHot(tf.argMax(x.slice([0], [3])), 3) }; };",
    "const train = tf.data.generator(function* () { for (let i = 0; i < 200; i++) yield sample(); }).batch(20);",
    "const endless = tf.data.generator(function* () { for (;;) yield sample(); }).batch(10);",
    'await model.fitDataset(train, { epochs: 2, validationData: endless, validationBatches: 3 });',
  ]);
  const loaded = await loadForRun({ model: file, seed: 1 }, ctx);
  assert.deepEqual([loaded.data.train.count, loaded.data.validation.count], [200, 30]);
});

test('fitDataset: the batched dataset is read once and its batch size kept', async () => {
  const loaded = await loadForRun({ model: path.join(scripts, 'fitDataset.mjs') }, ctx);
  assert.equal(loaded.script?.method, 'fitDataset');
  assert.equal(loaded.script?.batchSize, 32);
  assert.equal(loaded.data.train.count + loaded.data.validation.count, 256);
  // fitDataset takes no validationSplit (tfjs's FitDatasetArgs): the held-out note names only validationData.
  assert.match(loaded.warnings[0] ?? '', /The call has no validation data, so LR Lab holds out a random 20% of its samples to validate on and trains on the rest: give the call validationData to choose them \(or --validation-split for another share\)\.$/);
});

test('a fitDataset pipeline that writes a file as LR Lab reads it: said as LR Lab\'s rule, with where to move the write — not "fix the dataset pipeline"; nothing is written', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-sidefx-'));
  try {
    const log = path.join(dir, 'log.txt');
    const file = path.join(dir, 'writes.mjs');
    writeFileSync(file, `import * as tf from '@tensorflow/tfjs';\nimport fs from 'node:fs';\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nfunction* gen() { for (let i = 0; i < 64; i++) { fs.appendFileSync(${JSON.stringify(log)}, String(i)); yield { xs: tf.tensor1d([i / 64]), ys: tf.tensor1d([i / 32]) }; } }\nawait model.fitDataset(tf.data.generator(gen).batch(8), { epochs: 1 });\n`);
    await assert.rejects(loadForRun({ model: file }, ctx), (e: Error & { line?: number | null; fix?: string | null }) => {
      assert.equal(e.message, 'The training dataset passed to model.fitDataset calls fs.appendFileSync as LR Lab reads it: LR Lab runs a script only up to its fit call, and from there lets it read but not write files, start processes or servers.');
      assert.equal(e.line, 5);
      assert.equal(e.fix, 'Move that call out of the dataset pipeline (before the fitDataset call), or export createModel and loadData from a model file instead.');
      return true;
    });
    assert.throws(() => readFileSync(log), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fitDataset of tf.data.zip([xds, yds]).batch(n) is said as that, at the fit call, with the object form to use (it read "failed: Invalid typed array length: 256. Fix the dataset pipeline.")', async () => {
  const file = scriptIn('lrlab-ziparray-', 'zip.mjs', [
    "import * as tf from '@tensorflow/tfjs';",
    'const xs = tf.randomNormal([64, 5], 0, 1, "float32", 4);',
    'const ys = tf.oneHot(tf.argMax(xs.slice([0, 0], [-1, 2]), 1), 2);',
    'const ds = tf.data.zip([tf.data.array(tf.unstack(xs)), tf.data.array(tf.unstack(ys))]).batch(32);',
    "const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 2, activation: 'softmax' })] });",
    "model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });",
    'await model.fitDataset(ds, { epochs: 1 });',
  ]);
  await assert.rejects(loadForRun({ model: file }, ctx), (e: Error & { line?: number | null; fix?: string | null }) => {
    assert.match(e.message, /^tf\.data's batch\(\) could not batch the training dataset \(.+\): it stacks tensors and objects of them, not arrays of tensors such as tf\.data\.zip\(\[xds, yds\]\) yields\.$/);
    assert.equal(e.line, 7);
    assert.match(e.fix ?? '', /^Zip an object, tf\.data\.zip\(\{ xs: xds, ys: yds \}\)/);
    return true;
  });
});

test('a package from node_modules that requires @tensorflow/tfjs itself builds the model: it gets the same tf, so its fit is caught too', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-pkg-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'node_modules', 'tiny-models'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', 'tiny-models', 'package.json'), JSON.stringify({ name: 'tiny-models', main: 'index.js' }));
  writeFileSync(
    path.join(dir, 'node_modules', 'tiny-models', 'index.js'),
    "const tf = require('@tensorflow/tfjs');\nexports.train = (xs, ys) => { const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] }); m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); return m.fit(tf.tensor2d(xs), tf.tensor2d(ys), { batchSize: 5, epochs: 2 }); };\n",
  );
  const script = path.join(dir, 'train.js');
  writeFileSync(script, "const { train } = require('tiny-models');\nconst xs = Array.from({ length: 40 }, (_, i) => [i / 40, 1 - i / 40]);\ntrain(xs, xs.map(([a, b]) => [a - b])).then(() => require('fs').writeFileSync(__dirname + '/after.txt', 'x'));\n");
  const loaded = await loadForRun({ model: script }, ctx);
  assert.equal(loaded.script?.batchSize, 5);
  assert.equal(loaded.data.train.count + loaded.data.validation.count, 40);
});

test('a script that freezes a nested base model (transfer learning): its copies keep the base frozen and its weights, where tfjs\'s setWeights failed ("Layer weight shape 4,8 not compatible"); a model with nothing to train is refused before any run', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-frozen-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const script = (freeze: string): string => [
    "import * as tf from '@tensorflow/tfjs';",
    "const xs = tf.randomNormal([200, 4], 0, 1, 'float32', 3);",
    "const ys = tf.oneHot(tf.argMax(xs.slice([0, 0], [-1, 3]), 1), 3);",
    "const base = tf.sequential({ name: 'base', layers: [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4] })] });",
    "const model = tf.sequential({ layers: [base, tf.layers.dense({ units: 3, activation: 'softmax' })] });",
    freeze,
    "model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });",
    'await model.fit(xs, ys, { epochs: 3, batchSize: 32 });',
  ].join('\n');
  writeFileSync(path.join(dir, 'frozen.mjs'), script('base.trainable = false;'));
  const loaded = await loadForRun({ model: path.join(dir, 'frozen.mjs'), seed: 1 }, ctx);
  const copy = await loaded.buildModel({});
  assert.equal(copy.layers[0]!.trainable, false);
  assert.deepEqual(copy.trainableWeights.map((w) => w.shape), [[8, 3], [3]], 'only the head trains');
  const values = (m: typeof copy): number[][] => [...m.layers[0]!.getWeights(), ...m.layers[1]!.getWeights()].map((w) => Array.from(w.dataSync()));
  const again = await loaded.buildModel({});
  assert.deepEqual(values(again), values(copy));
  assert.deepEqual(values(copy).map((v) => v.length), [32, 8, 24, 3], 'each layer holds its own weights');
  loaded.disposeModel(copy);
  loaded.disposeModel(again);

  writeFileSync(path.join(dir, 'all.mjs'), script('model.trainable = false;'));
  await assert.rejects(loadForRun({ model: path.join(dir, 'all.mjs'), seed: 1 }, ctx), (e: LrLabError) => e.code === 'model-build' && /^The model of all\.mjs's fit call has no trainable weights \(model\.trainable is false\)/.test(e.message));
});

test("a script's process.chdir moves the process while it runs (it reads its data from there), and the folder is put back after the capture", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-chdir-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data', 'rows.json'), JSON.stringify(Array.from({ length: 30 }, (_, i) => [i / 30, 1 - i / 30])));
  const script = path.join(dir, 'train.js');
  writeFileSync(script, "process.chdir(__dirname + '/data');\nconst tf = require('@tensorflow/tfjs');\nconst rows = JSON.parse(require('fs').readFileSync('rows.json', 'utf8'));\nconst m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });\nm.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nm.fit(tf.tensor2d(rows), tf.tensor2d(rows.map(([a, b]) => [a - b])), { batchSize: 6 });\n");
  const before = process.cwd();
  const loaded = await loadForRun({ model: script }, ctx);
  assert.equal(loaded.data.train.count + loaded.data.validation.count, 30);
  assert.equal(process.cwd(), before);
});

test('where a script\'s fit call is, messages say it as file:line: a data error at the call\'s line, a call in a helper module by its path from the script\'s folder', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-where-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // x with 5 features, a model that expects 3: the error named the file alone, its siblings file:line.
  const shape = path.join(dir, 'shape.js');
  writeFileSync(shape, "const tf = require('@tensorflow/tfjs');\nconst xs = tf.randomNormal([40, 5]); const ys = tf.randomNormal([40, 1]);\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nmodel.fit(xs, ys, { epochs: 2 });\n");
  await assert.rejects(loadForRun({ model: shape }, ctx), (e: LrLabError) => {
    assert.match(e.message, /^the fit call's x has shape \[batch, 5\] but the model expects inputs of shape \[batch, 3\]\./);
    assert.deepEqual([e.file, e.line], [shape, 5]);
    return true;
  });
  // The fit call in lib/build.js: named so (it read "build.js:4", a file the script's folder does not hold).
  mkdirSync(path.join(dir, 'lib'));
  writeFileSync(path.join(dir, 'lib', 'build.js'), "const tf = require('@tensorflow/tfjs');\nexports.build = () => { const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] }); m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); return m; };\nexports.train = (m, xs, ys) =>\n  m.fit(xs, ys, { batchSize: 5, validationSplit: 0.25 });\n");
  const script = path.join(dir, 'train.js');
  writeFileSync(script, "const tf = require('@tensorflow/tfjs');\nconst { build, train } = require('./lib/build');\nconst xs = tf.randomNormal([40, 2]);\ntrain(build(), xs, xs.sum(1, true));\n");
  const loaded = await loadForRun({ model: script }, ctx);
  assert.match(loaded.warnings[0] ?? '', /^Model and data taken from the model\.fit call at lib\/build\.js:4 \(/);
});

test('a long capture says what it waits on: the script still on its way to its fit call, at growing gaps; then how far reading its dataset has got (both were silent), which --fit-timeout does not cut', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-notices-'));
  try {
    const head = "const tf = require('@tensorflow/tfjs');\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });\n";
    const slow = path.join(dir, 'slowStart.js');
    writeFileSync(slow, `${head}setTimeout(() => model.fit(tf.ones([8, 2]), tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2), { epochs: 1 }), 1300);\n`);
    const told: string[] = [];
    const signal = new AbortController().signal;
    const t0 = performance.now();
    const capture = await captureScript(slow, { seed: 1, backend: 'cpu', signal, notice: (text) => told.push(text), notices: { firstMs: 300, maxGapMs: 600 } });
    // What starting the worker took here (the script slept 1.3 s of it): the read below outlasts a --fit-timeout well above it.
    const fitTimeout = Math.ceil(2 * Math.max(0, (performance.now() - t0) / 1000 - 1.3) + 1);
    assert.equal(capture.fit.method, 'fit');
    assert.ok(told.length >= 2, told.join('\n'));
    assert.match(told[0]!, /^Still waiting for slowStart\.js to reach its model\.fit or fitDataset call: 0\.\d s so far \(LR Lab stops waiting at 2 min: --fit-timeout\)$/);
    // A dataset read for over 2 s: how far it has got, not "still waiting" (the call was reached).
    const reading = path.join(dir, 'slowDataset.js');
    writeFileSync(reading, `${head}const ds = tf.data.generator(function* () { for (let i = 0; i < ${(fitTimeout + 1.5) * 1000}; i++) { const until = Date.now() + 1; while (Date.now() < until); yield { xs: tf.tensor1d([i % 2, 1]), ys: tf.tensor1d([i % 2, 1 - (i % 2)]) }; } }).batch(32);\nmodel.fitDataset(ds, { epochs: 1 });\n`);
    told.length = 0;
    // --fit-timeout is the way to the call, not the read (which takes 1.5 s longer).
    const read = await captureScript(reading, { seed: 1, backend: 'cpu', signal, fitTimeout, notice: (text) => told.push(text), notices: { firstMs: 60_000, maxGapMs: 60_000 } });
    assert.equal(read.fit.method, 'fitDataset');
    assert.ok(told.length >= 1, `no progress in over ${fitTimeout + 1.5} s of reading`);
    assert.match(told[0]!, /^Reading the training dataset of the fitDataset call into memory: [\d,]+ samples in 2 s \(at most 1,000,000 are read\)$/);
    assert.ok(told.every((t) => !/Still waiting/.test(t)), told.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
