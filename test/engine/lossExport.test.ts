/** A model file whose `loss` export and `model.compile` name different losses: the export trains, and the run says so. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadForRun } from '../../src/engine/session';
import { Reporter, silentSink } from '../../src/engine/reporter';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-lossexport-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ctx = { reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal };
const tiny = readFileSync(path.join(__dirname, '..', 'fixtures', 'engine', 'tinyClassifier.js'), 'utf8');

/** tinyClassifier (compiled with 'categoricalCrossentropy') with a `loss` export. */
function withExport(name: string, loss: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${tiny}\nexports.loss = '${loss}';\n`);
  return file;
}

test("a loss export that contradicts model.compile is the one trained with, and a warning names both; one that agrees (or an alias of it) says nothing", async () => {
  const conflict = await loadForRun({ kind: 'find-lr', model: withExport('conflict.js', 'meanSquaredError'), backend: 'cpu' } as never, ctx);
  assert.equal(conflict.loss.name, 'meanSquaredError');
  assert.ok(conflict.warnings.includes("conflict.js exports loss 'meanSquaredError' and compiles the model with 'categoricalCrossentropy': LR Lab trains with the export, 'meanSquaredError' (model.fit would use 'categoricalCrossentropy'). Remove the one you do not mean, so that both agree."), conflict.warnings.join('\n'));
  const same = await loadForRun({ kind: 'find-lr', model: withExport('same.js', 'categorical_crossentropy'), backend: 'cpu' } as never, ctx);
  assert.ok(!same.warnings.some((w) => w.includes('exports loss')), same.warnings.join('\n'));
});

test('a loss or metric that returns no tensor (a body in braces without return) is the user\'s error, naming what returned what, from the CLI: never "internal error"', () => {
  const bin = path.join(__dirname, '..', '..', 'bin', 'lrlab');
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const compiled = write('noReturn.js', tiny.replace("loss: 'categoricalCrossentropy'", 'loss: (a, b) => { tf.losses.softmaxCrossEntropy(a, b); }'));
  const exported = write('stringLoss.js', `${tiny}\nexports.loss = (a, b) => tf.tensor(['not a number']);\n`);
  const metric = write('noReturnMetric.js', tiny.replace("loss: 'categoricalCrossentropy'", "loss: 'categoricalCrossentropy', metrics: [function myMetric(a, b) { tf.metrics.meanSquaredError(a, b); }]"));
  const run = (...args: string[]): { status: number | null; stderr: string } => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, stderr: r.stderr };
  };
  const quick = ['--steps', '20', '--range-tests', '1', '--lr-trials', '0'];
  for (const [r, expected] of [
    [run('find-lr', compiled, ...quick), /noReturn\.js: The loss function in model\.compile returned undefined, not a tensor of numbers\. Return the tensor it computes: a function body in braces needs `return`/],
    [run('find-lr', exported, ...quick), /stringLoss\.js: The loss export of stringLoss\.js returned a string tensor, not a tensor of numbers\./],
    [run('train', metric, '--max-lr', '0.1', '--epochs', '1'), /The metric myMetric \(model\.compile\) returned undefined, not a tensor of numbers\./],
  ] as const) {
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, expected);
    assert.doesNotMatch(r.stderr, /internal error|passed to 'mean'|\n\s+at /);
  }
});

test("a cross-entropy on a last layer without its activation (a linear Dense under categoricalCrossentropy, binaryCrossentropy) is warned about, naming the layer and both cures; with softmax, or a logits loss, nothing", async () => {
  const linear = path.join(dir, 'linear.js');
  writeFileSync(linear, tiny.replace("tf.layers.dense({ units: 3, activation: 'softmax' })", "tf.layers.dense({ units: 3, name: 'scores' })"));
  const r = await loadForRun({ kind: 'find-lr', model: linear, backend: 'cpu' } as never, ctx);
  assert.ok(r.warnings.includes("The model's last layer (Dense 'scores') has no activation, but its loss, categoricalCrossentropy, takes probabilities: its outputs can be negative and need not sum to 1, so what tfjs computes (the outputs clipped and divided by their sum) is not the model's cross-entropy, and training stalls or turns NaN. Give the last layer activation: 'softmax', or keep it linear and train with a loss that takes logits (tf.losses.softmaxCrossEntropy)."), r.warnings.join('\n'));
  const ok = await loadForRun({ kind: 'find-lr', model: path.join(__dirname, '..', 'fixtures', 'engine', 'tinyClassifier.js'), backend: 'cpu' } as never, ctx);
  assert.ok(!ok.warnings.some((w) => w.includes('has no activation')), ok.warnings.join('\n'));
  const logits = path.join(dir, 'logits.js');
  writeFileSync(logits, `${tiny.replace("tf.layers.dense({ units: 3, activation: 'softmax' })", 'tf.layers.dense({ units: 3 })')}\nexports.loss = (y, p) => tf.losses.softmaxCrossEntropy(y, p);\n`);
  const viaLogits = await loadForRun({ kind: 'find-lr', model: logits, backend: 'cpu' } as never, ctx);
  assert.ok(!viaLogits.warnings.some((w) => w.includes('has no activation')), viaLogits.warnings.join('\n'));
});
