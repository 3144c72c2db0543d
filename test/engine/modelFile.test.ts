/**
 * Loading the user's model file and data: every supported shape loads, every bad input gives
 * an LrLabError that names the file (and line) and says what to do. Model files are written to
 * a temp folder, as a user would have them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findLr } from '../../src/engine/experiments/findLr';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { LrLabError } from '../../src/protocol/errors';
import type { ErrorCode } from '../../src/protocol/errors';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-models-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MODEL = `
export function createModel(hp = {}) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  return model;
}`;
const DATA = (xs: string, ys: string): string => `
export async function loadData() {
  return { train: { xs: ${xs}, ys: ${ys} } };
}`;
const GOOD_XS = 'Array.from({ length: 64 }, (_, i) => [Math.cos(i), Math.sin(i)])';
const GOOD_YS = 'Array.from({ length: 64 }, (_, i) => (Math.cos(i) > 0 ? [1, 0] : [0, 1]))';

let counter = 0;
function write(name: string, source: string): string {
  const file = path.join(dir, `${counter++}-${name}`);
  writeFileSync(file, source);
  return file;
}

function run(model: string, extra: Record<string, unknown> = {}): ReturnType<typeof findLr> {
  return findLr({ kind: 'find-lr', model, steps: 12, batchSize: 16, seed: 1, ...extra }, { reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal });
}

async function expectError(model: string, code: ErrorCode, pattern: RegExp, line?: number): Promise<void> {
  await assert.rejects(run(model), (e: unknown) => {
    assert.ok(e instanceof LrLabError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    assert.ok(e.file !== null && path.basename(e.file).length > 0, 'names the file');
    if (line !== undefined) assert.equal(e.line, line);
    assert.ok(e.fix === null || e.fix.length > 10);
    return true;
  });
}

test('TS ESM, JS CommonJS, .mjs and relative imports all load', async () => {
  write('helper.ts', `export const units: number = 8;`);
  const helperName = path.basename(path.join(dir, `${counter - 1}-helper.ts`)).replace(/\.ts$/, '');
  const files = [
    write('model.ts', `import * as tf from '@tensorflow/tfjs';\nimport { units } from './${helperName}';\n${MODEL.replace('units: 8', 'units')}\n${DATA(GOOD_XS, GOOD_YS)}\nexport const loss: string = 'categoricalCrossentropy';`),
    write('model.cjs', `const tf = require('@tensorflow/tfjs-node');\n${MODEL.replace('export function createModel', 'exports.createModel = function')}\nexports.loadData = async () => ({ train: { xs: ${GOOD_XS}, ys: ${GOOD_YS} } });`),
    write('model.mjs', `import * as tf from '@tensorflow/tfjs-core';\nimport * as tfl from '@tensorflow/tfjs-layers';\n${MODEL.replace(/tf\.sequential/, 'tfl.sequential').replace(/tf\.layers/g, 'tfl.layers')}\n${DATA(`tf.tensor2d(${GOOD_XS})`, `tf.tensor2d(${GOOD_YS})`)}`),
  ];
  for (const file of files) {
    const result = await run(file);
    assert.equal(result.points.length, 12, file);
    assert.ok(result.points.every((p) => p.loss !== null), file);
  }
});

test('a tf.data.Dataset from loadData is materialized', async () => {
  const file = write('dataset.ts', `import * as tf from '@tensorflow/tfjs';\n${MODEL}\nexport async function loadData() {\n  const xs = tf.data.array(${GOOD_XS}.map((x) => tf.tensor1d(x)));\n  const ys = tf.data.array(${GOOD_YS}.map((y) => tf.tensor1d(y)));\n  return { train: tf.data.zip({ xs, ys }) };\n}`);
  assert.equal((await run(file)).points.length, 12);
});

test('syntax error: file and line from esbuild', async () => {
  await expectError(write('syntax.ts', `import * as tf from '@tensorflow/tfjs';\n\nconst broken = ;\nexport function createModel() {}\n`), 'model-file', /Unexpected ";": const broken = ;/, 3);
});

test('missing exports name what was found', async () => {
  await expectError(write('noload.ts', `import * as tf from '@tensorflow/tfjs';\n${MODEL}`), 'model-exports', /does not export a loadData function \(exports found: createModel\)/);
  await expectError(write('types.ts', `export interface Hp { dropout?: number }\nexport type X = number;`), 'model-exports', /does not export a createModel function \(no exports\)/);
});

test('createModel that throws, returns a non-model, or the same instance twice', async () => {
  await expectError(write('throws.ts', `export function createModel() { throw new Error('boom in createModel'); }\n${DATA(GOOD_XS, GOOD_YS)}`), 'model-build', /createModel threw: boom in createModel/);
  await expectError(write('notmodel.ts', `export function createModel() { return { layers: 3 }; }\n${DATA(GOOD_XS, GOOD_YS)}`), 'model-build', /returned object, not a tf.LayersModel/);
  await expectError(write('same.ts', `import * as tf from '@tensorflow/tfjs';\nlet cached;\n${MODEL.replace('export function createModel(hp = {}) {', 'function build() {')}\nexport function createModel() { return cached ??= build(); }\n${DATA(GOOD_XS, GOOD_YS)}`), 'model-build', /same model instance twice/);
});

test('module that throws while loading points at the user file', async () => {
  await expectError(write('loadthrow.ts', `throw new Error('config file missing');\nexport function createModel() {}\nexport async function loadData() {}`), 'model-file', /failed while loading: config file missing/);
});

test('bad data: empty, mismatched, wrong shape, NaN, strings, labels that do not fit the loss', async () => {
  const cases: [string, string, ErrorCode, RegExp][] = [
    ['[]', '[]', 'data', /train data is empty/],
    [GOOD_XS, `${GOOD_YS}.slice(1)`, 'data', /64 samples but train.ys has 63/],
    ['Array.from({ length: 64 }, () => [1, 2, 3])', GOOD_YS, 'shape', /shape \[batch, 3\] but the model expects inputs of shape \[batch, 2\]/],
    [`${GOOD_XS}.map((x, i) => (i === 5 ? [NaN, 1] : x))`, GOOD_YS, 'data', /train.xs contains NaN or Infinity/],
    [`${GOOD_XS}.map(() => ['a', 'b'])`, GOOD_YS, 'data', /contains strings/],
    [GOOD_XS, 'Array.from({ length: 64 }, (_, i) => [i % 2])', 'loss', /needs one-hot labels of shape \[batch, 2\], but train.ys has shape \[\d+, 1\]/],
    [GOOD_XS, 'Array.from({ length: 64 }, (_, i) => [i % 2 ? 2 : -1, 0])', 'loss', /probabilities in \[0, 1\]/],
  ];
  for (const [xs, ys, code, pattern] of cases) {
    await expectError(write('data.ts', `import * as tf from '@tensorflow/tfjs';\n${MODEL}\n${DATA(xs, ys)}\nexport const loss = 'categoricalCrossentropy';`), code, pattern);
  }
  await expectError(write('sparse.ts', `import * as tf from '@tensorflow/tfjs';\n${MODEL}\n${DATA(GOOD_XS, 'Array.from({ length: 64 }, (_, i) => i % 3)')}\nexport const loss = 'sparseCategoricalCrossentropy';`), 'loss', /integer classes 0..1, but train.ys ranges over 0..2/);
  await expectError(write('nodata.ts', `import * as tf from '@tensorflow/tfjs';\n${MODEL}\nexport async function loadData() { return { test: 1 }; }`), 'data', /without train \(keys: test\)/);
});

test('a missing model file and an unknown extension are clear errors', async () => {
  await expectError(path.join(dir, 'nope.ts'), 'model-file', /Model file not found/);
  await expectError(write('model.py', 'print(1)'), 'model-file', /not a JS\/TS model file/);
});
