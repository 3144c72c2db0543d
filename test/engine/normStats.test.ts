/**
 * Batch-normalization statistics re-estimated before a short run is judged (src/engine/normStats.ts):
 * exact on a layer whose input statistics are known, found inside nested models and wrappers, the
 * run's random stream and the weights untouched, and a short run of a model whose moving averages
 * lag judged on what its weights do. Real tfjs (cpu backend: this is about the numbers).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { batchNormLayers, reestimateNormStats } from '../../src/engine/normStats';
import { Trainer } from '../../src/engine/trainer';
import { shortRun } from '../../src/engine/experiments/shortRun';
import { findLr } from '../../src/engine/experiments/findLr';
import path from 'node:path';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { built } from '../built';
import type { TrainResult } from '../../src/protocol/results';
import { loadForRun } from '../../src/engine/session';
import { chooseOptimizer } from '../../src/engine/optimizerChoice';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { seedProcess } from '../../src/engine/seed';

const bnOffset = path.join(__dirname, '..', 'fixtures', 'engine', 'bnOffset.js');

before(async () => {
  assert.ok(await tf.setBackend('cpu'));
});

/** 64 rows of 3 features with means far from the moving averages' start (0) and variances far from 1. */
function offsetData(rows = 64): { xs: tf.Tensor2D; ys: tf.Tensor2D; count: number; values: number[][] } {
  const values: number[][] = [];
  for (let i = 0; i < rows; i++) values.push([50 + Math.sin(i) * 4, -20 + Math.cos(3 * i) * 0.5, 7 + ((i * 37) % 11) - 5]);
  const labels = values.map((v) => (v[0]! + 10 * v[1]! + v[2]! > -145 ? [1, 0] : [0, 1]));
  return { xs: tf.tensor2d(values), ys: tf.tensor2d(labels), count: rows, values };
}

function bnFirst(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.batchNormalization({ inputShape: [3] }));
  model.add(tf.layers.dense({ units: 8, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  return model;
}

test('re-estimated statistics: the moving mean becomes the data\'s mean and the moving variance the mean of the batch variances; momentum and weights kept', () => {
  const model = bnFirst();
  const data = offsetData();
  const bn = model.layers[0] as unknown as { momentum: number; getWeights(): tf.Tensor[] };
  const layers = batchNormLayers(model);
  assert.equal(layers.length, 1);
  const weightsBefore = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
  const tensorsBefore = tf.memory().numTensors;
  assert.deepEqual(reestimateNormStats(tf, model, layers, data, 16), { layers: 1, samples: 64 }, '64 distinct rows, each passed 16 times');
  assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensor left behind');
  assert.equal(bn.momentum, 0.99, 'the layer\'s momentum is restored');
  // 64 batches of 16 over 64 rows, evenly spaced: each row 16 times; batch b holds slots b, b + 64, b + 128, ….
  const [, , movingMean, movingVariance] = bn.getWeights().map((w) => Array.from(w.dataSync()));
  const slot = (k: number): number => Math.floor((k * 64) / 1024);
  for (let f = 0; f < 3; f++) {
    const column = data.values.map((v) => v[f]!);
    const mean = column.reduce((s, x) => s + x, 0) / column.length;
    assert.ok(Math.abs(movingMean![f]! - mean) < 1e-3 * Math.max(1, Math.abs(mean)), `feature ${f}: ${movingMean![f]} vs ${mean}`);
    let variances = 0;
    for (let b = 0; b < 64; b++) {
      const batch = Array.from({ length: 16 }, (_, j) => column[slot(j * 64 + b)]!);
      const m = batch.reduce((s, x) => s + x, 0) / 16;
      variances += batch.reduce((s, x) => s + (x - m) ** 2, 0) / 16;
    }
    assert.ok(Math.abs(movingVariance![f]! - variances / 64) < 1e-3 * Math.max(1, variances / 64), `feature ${f}: ${movingVariance![f]} vs ${variances / 64}`);
  }
  model.trainableWeights.forEach((w, i) => assert.deepEqual(Array.from(w.read().dataSync()), weightsBefore[i], `${w.name} untouched`));
});

test('batch normalization is found inside nested models and wrappers; a model without it runs nothing', () => {
  const inner = tf.sequential();
  inner.add(tf.layers.dense({ units: 4, inputShape: [3] }));
  inner.add(tf.layers.batchNormalization({}));
  const input = tf.input({ shape: [5, 3] });
  const perStep = tf.layers.timeDistributed({ layer: tf.layers.batchNormalization({}) }).apply(input) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(perStep) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 3 }).apply(flat) as tf.SymbolicTensor;
  const out = inner.apply(dense) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: tf.layers.batchNormalization({}).apply(out) as tf.SymbolicTensor });
  assert.equal(batchNormLayers(model).length, 3);
  const plain = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  assert.equal(batchNormLayers(plain).length, 0);
  const data = offsetData();
  const before = tf.memory().numTensors;
  assert.deepEqual(reestimateNormStats(tf, plain, batchNormLayers(plain), data, 16), { layers: 0, samples: 0 });
  assert.equal(tf.memory().numTensors, before);
});

test('the run\'s random stream is where it was after a re-estimation (dropout masks of its passes draw from their own)', () => {
  const model = bnFirst();
  const data = offsetData();
  seedProcess(7);
  const expected = [Math.random(), Math.random()];
  seedProcess(7);
  reestimateNormStats(tf, model, batchNormLayers(model), data, 16);
  assert.deepEqual([Math.random(), Math.random()], expected);
  seedProcess(null);
});

test('a short run of a model whose moving averages lag is judged on its weights: below the chance level, where the lagging averages read far above it', async () => {
  const ctx = { reporter: new Reporter('test', silentSink, 0), signal: new AbortController().signal };
  const loaded = await loadForRun({ model: bnOffset, seed: 3 }, ctx);
  const choice = chooseOptimizer({}, loaded.compiledOptimizer, loaded.file);
  const spec = { label: 'lagging', lr: { maxLr: 0.1, minLr: 0.01 }, momentum: null, weightDecay: 0, steps: 40, batchSize: 16, seed: 3, valSamples: loaded.data.validation.count };
  const chance = Math.log(2);
  const run = await shortRun(loaded, spec, choice.params, ctx, false);
  assert.ok(!run.diverged && run.earlyValLoss !== null, JSON.stringify(run.records));
  assert.ok(run.earlyValLoss < 0.8 * chance, `the short run's early validation loss ${run.earlyValLoss} (chance ${chance})`);
  // The same weights judged with the averages as training left them: 40 steps leave 67% of their start in them.
  seedProcess(3);
  const model = await loaded.buildModel({});
  const trainer = new Trainer(loaded.tf, model, loaded.loss.fn, loaded.accuracy, { optimizer: { ...choice.params, lr: 0.05, momentum: 0.9, weightDecay: 0 } });
  for (let i = 0; i < 40; i++) trainer.stepOn(loaded.data.train, Int32Array.from({ length: 16 }, (_, j) => (i * 16 + j) % loaded.data.train.count));
  const stale = trainer.evaluate(loaded.data.validation).loss;
  reestimateNormStats(loaded.tf, model, batchNormLayers(model), loaded.data.train, 16);
  const fresh = trainer.evaluate(loaded.data.validation).loss;
  assert.ok(stale > 2 * chance, `lagging averages: ${stale}`);
  assert.ok(fresh < 0.8 * chance, `re-estimated: ${fresh}`);
  trainer.dispose();
  seedProcess(null);
});

test('lrlab train on a model with batch normalization: validation after re-estimated statistics, said in the JSON and the text; the saved model carries them', () => {
  built('engine.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-normstats-'));
  try {
    const bin = path.join(__dirname, '..', '..', 'bin', 'lrlab');
    const run = (...argv: string[]): { status: number | null; stdout: string; stderr: string } => spawnSync(process.execPath, [bin, 'train', bnOffset, '--max-lr', '0.1', '--epochs', '2', '--batch-size', '16', '--seed', '3', ...argv], { encoding: 'utf8', timeout: 120_000 });
    const saved = path.join(dir, 'trained');
    const r = run('--json', '--save', saved);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as TrainResult;
    assert.deepEqual(doc.normStats, { layers: 1, samples: 512 }, 'the 512 training rows (1,024 slots: each twice)');
    // 64 steps leave 53% of the averages' start (mean 0, variance 1) in them: read with them, the validation loss is several times the chance level.
    assert.ok(doc.history.at(-1)!.valLoss! < 0.8 * Math.log(2), `validation loss ${doc.history.at(-1)!.valLoss}`);
    const weights = JSON.parse(readFileSync(path.join(saved, 'model.json'), 'utf8')) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] };
    const names = weights.weightsManifest.flatMap((m) => m.weights.map((w) => w.name));
    const offset = names.indexOf(names.find((n) => n.endsWith('moving_mean'))!);
    assert.ok(offset >= 0, names.join(', '));
    const values = new Float32Array(Uint8Array.from(readFileSync(path.join(saved, 'weights.bin'))).buffer);
    let at = 0;
    for (const w of weights.weightsManifest.flatMap((m) => m.weights).slice(0, offset)) at += w.shape.reduce((a, b) => a * b, 1);
    assert.ok(Math.abs(values[at]! - 50) < 1, `saved moving mean of feature 0: ${values[at]} (the data's mean is 50)`);
    const text = run();
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /batch normalization: the moving mean and variance of 1 layer re-estimated from 512 training samples before each validation/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('find-lr --signal val on a batch-norm model reads the validation loss with each step\'s own batch statistics, not averages ~100 steps behind the sweep', async () => {
  const ctx = { reporter: new Reporter('test', silentSink, 0), signal: new AbortController().signal };
  const result = await findLr({ kind: 'find-lr', model: bnOffset, signal: 'val', lrTrials: 0, rangeTests: 1, rangeRetries: 0, seed: 1, steps: 60, batchSize: 16 }, ctx);
  const losses = result.points.map((p) => p.loss).filter((l): l is number => l !== null);
  const chance = Math.log(2);
  // With the lagging averages the first points read ~11 (16x the chance level) and the curve never got below 0.56.
  assert.ok(losses[0]! < 2 * chance, `first validation loss ${losses[0]}`);
  assert.ok(Math.min(...losses) < 0.4, `lowest validation loss ${Math.min(...losses)}`);
});

test('a split sorted by class: every re-estimation batch spans the classes, so the moving variance includes the spread between them', () => {
  // 512 rows: the first half class A at -3, the second class B at +3, each with s.d. 0.5. Shuffled
  // training batches see variance ≈ 9.25; batches of consecutive rows would see ≈ 0.25.
  const values: number[][] = Array.from({ length: 512 }, (_, i) => [(i < 256 ? -3 : 3) + 0.5 * Math.sin(i * 12.9898)]);
  const data = { xs: tf.tensor2d(values), ys: tf.tensor2d(values.map((_, i) => (i < 256 ? [1, 0] : [0, 1]))), count: 512 };
  const model = tf.sequential({ layers: [tf.layers.batchNormalization({ inputShape: [1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
  reestimateNormStats(tf, model, batchNormLayers(model), data, 32);
  const [, , mean, variance] = (model.layers[0] as unknown as { getWeights(): tf.Tensor[] }).getWeights().map((w) => w.dataSync()[0]!);
  assert.ok(Math.abs(mean!) < 0.1, `moving mean ${mean}`);
  assert.ok(variance! > 8 && variance! < 10.5, `moving variance ${variance} (the split's: ~9.1)`);
});
