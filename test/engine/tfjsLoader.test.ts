/**
 * Backend choice as users meet it here: tfjs-node cannot be installed on these machines, so
 * `auto` must land on wasm, say so, and fall to cpu only with the reason written down.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileSystemIO, loadTf } from '../../src/engine/tfjs';
import { LrLabError } from '../../src/protocol/errors';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-tfjs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('--backend tensorflow without tfjs-node: a backend error that says how to get it', async () => {
  await assert.rejects(loadTf({ backend: 'tensorflow', workspaceDir: dir }), (e: unknown) => {
    assert.ok(e instanceof LrLabError);
    assert.equal(e.code, 'backend');
    assert.match(e.message, /needs @tensorflow\/tfjs-node/);
    assert.match(e.fix ?? '', /npm install @tensorflow\/tfjs-node|--backend wasm/);
    return true;
  });
});

test('--backend wasm with its .wasm files missing fails loudly, naming the file', async () => {
  await assert.rejects(loadTf({ backend: 'wasm', wasmDir: dir }), (e: unknown) => e instanceof LrLabError && e.code === 'backend' && /tfjs-backend-wasm-simd\.wasm is missing/.test(e.message));
});

test('auto with broken wasm falls to cpu and the report says why', async () => {
  const { tf, report } = await loadTf({ backend: 'auto', workspaceDir: dir, wasmDir: dir });
  assert.equal(report.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.match(report.note ?? '', /slow pure-JS cpu backend because .*tfjs-node is not installed.*wasm backend failed/);
});

test('auto here picks wasm (the SIMD build), reported with its source and version', async () => {
  const { tf, report } = await loadTf({ backend: 'auto', workspaceDir: dir });
  assert.equal(report.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(report.source, 'bundled');
  assert.equal(report.tfjsVersion, '4.22.0');
  assert.equal(report.note, null);
  const y = tf.tidy(() => tf.sum(tf.square(tf.tensor1d([1, 2, 3]))).dataSync()[0]);
  assert.equal(y, 14);
});

test('fileSystemIO: save then load round-trips topology and weights exactly (no tfjs-node file://)', async () => {
  const { tf } = await loadTf({ backend: 'auto', workspaceDir: dir });
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 3, inputShape: [5], activation: 'relu' }));
  model.add(tf.layers.dense({ units: 2 }));
  const file = path.join(dir, 'saved', 'model.json');
  await model.save(fileSystemIO(tf, file));
  const loaded = await tf.loadLayersModel(fileSystemIO(tf, file));
  const a = model.getWeights().map((w) => Array.from(w.dataSync()));
  const b = loaded.getWeights().map((w) => Array.from(w.dataSync()));
  assert.deepEqual(b, a);
  assert.deepEqual(loaded.outputs[0]!.shape, [null, 2]);
  await assert.rejects(tf.loadLayersModel(fileSystemIO(tf, path.join(dir, 'none', 'model.json'))), /Cannot read/);
});

/** A workspace with its own "@tensorflow/tfjs-node" (a stand-in re-exporting tfjs: the real one cannot install here). */
function fakeWorkspace(version: string): string {
  const workspace = mkdtempSync(path.join(dir, 'ws-'));
  const pkg = path.join(workspace, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version, main: 'index.js' }));
  const tfjsPath = JSON.stringify(require.resolve('@tensorflow/tfjs'));
  writeFileSync(path.join(pkg, 'index.js'), `const tf = require(${tfjsPath});\nmodule.exports = { ...tf, version: { ...tf.version, tfjs: ${JSON.stringify(version)} } };\n`);
  return workspace;
}

test("auto prefers the workspace's own tfjs-node, and says it came from the workspace", async () => {
  const { report } = await loadTf({ backend: 'auto', workspaceDir: fakeWorkspace('4.22.0') });
  assert.equal(report.name, 'tensorflow');
  assert.equal(report.source, 'workspace');
});

test('a workspace tfjs that is not 4.x is refused with a clear message', async () => {
  await assert.rejects(loadTf({ backend: 'auto', workspaceDir: fakeWorkspace('3.21.0') }), (e: unknown) => e instanceof LrLabError && /3\.21\.0 in your workspace is not tfjs 4\.x/.test(e.message) && /npm install @tensorflow\/tfjs-node@4/.test(e.fix ?? ''));
});
