/**
 * The model file as a scale-out job carries it: its relative imports and its pure-JS npm packages
 * travel inside the bundle, native packages stay out (listed), and a worker evaluates the bundle
 * as the submitter's path without reading that file or its node_modules.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shipModel, isNativePackage } from '../../src/engine/distributed/shipModel';
import { explainOnWorker } from '../../src/engine/distributed/worker';
import { loadModelModule, registerShippedBundle } from '../../src/engine/modelFile';
import { buildModel } from '../../src/engine/modelExports';
import { loadTf } from '../../src/engine/tfjs';
import type { Tf } from '../../src/engine/tfjs';
import { LrLabError } from '../../src/protocol/errors';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-ship-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let tf: Tf;
before(async () => {
  ({ tf } = await loadTf({ backend: 'wasm' }));
});

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

test('relative imports and pure-JS packages travel in the bundle; native ones stay out, named', async () => {
  const project = path.join(dir, 'project');
  write(path.join(project, 'node_modules', 'units-of', 'package.json'), JSON.stringify({ name: 'units-of', main: 'index.js' }));
  write(path.join(project, 'node_modules', 'units-of', 'index.js'), "exports.unitsOf = () => 7; exports.MARK = 'units-of travels';\n");
  write(path.join(project, 'node_modules', 'fast-native', 'package.json'), JSON.stringify({ name: 'fast-native', main: 'index.js', gypfile: true }));
  write(path.join(project, 'node_modules', 'fast-native', 'index.js'), 'module.exports = 1;\n');
  write(path.join(project, 'node_modules', 'napi-thing', 'package.json'), JSON.stringify({ name: 'napi-thing', optionalDependencies: { 'napi-thing-linux-x64-gnu': '1.0.0' } }));
  write(path.join(project, 'layers.ts'), "import { unitsOf } from 'units-of';\nexport const hidden = (): number => unitsOf();\n");
  const model = path.join(project, 'model.ts');
  write(model, [
    "import * as tf from '@tensorflow/tfjs';",
    "import { hidden } from './layers';",
    'export function createModel() {',
    '  const m = tf.sequential();',
    '  m.add(tf.layers.dense({ units: hidden(), inputShape: [2] }));',
    '  return m;',
    '}',
    "export async function loadData() { const n = require('fast-native'); return { train: { xs: tf.zeros([4, 2]), ys: tf.zeros([4, 7]).add(n) } }; }",
    '',
  ].join('\n'));
  const shipped = await shipModel(model);
  assert.deepEqual(shipped.external, ['fast-native']);
  assert.match(shipped.code, /units-of travels/);
  assert.match(shipped.hash, /^[0-9a-f]{64}$/);
  assert.ok(isNativePackage(path.join(project, 'node_modules', 'napi-thing')));
  assert.ok(!isNativePackage(path.join(project, 'node_modules', 'units-of')));

  // A worker: the same path, but no project there (another machine). It evaluates the shipped code.
  const elsewhere = path.join(dir, 'elsewhere', 'model.ts');
  registerShippedBundle({ ...shipped, file: elsewhere });
  const mod = await loadModelModule(elsewhere, tf);
  const built = await buildModel(mod, {});
  assert.equal(built.outputs[0]!.shape[1], 7, 'the pure-JS package ran from the bundle');
  built.dispose();
  const failure = await mod.loadData().then(() => null, (e: unknown) => e);
  assert.match(String(failure), /Cannot find module 'fast-native'/);
  const explained = explainOnWorker(new LrLabError('data', `loadData() threw: ${(failure as Error).message.split('\n')[0] ?? ''}`), 'w:9', elsewhere, shipped.external);
  assert.match(explained.message, /^Worker w:9 cannot load the package 'fast-native' that the model file needs: it has native code/);
});
