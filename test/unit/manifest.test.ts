import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../src/extension/commandIds';
import { FIND_LR_SETTINGS, OTHER_SETTINGS, parseOverrides } from '../../src/extension/settingNames';

interface Manifest {
  name: string;
  engines: { vscode: string };
  activationEvents: string[];
  contributes: { commands: { command: string; category?: string }[] };
  optionalDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  bin: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;

test('contributed commands and the code command table agree', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.values(COMMANDS).sort());
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'LR Lab');
});

test('activation is on specific events, never *', () => {
  assert.ok(!manifest.activationEvents.includes('*'));
  for (const id of Object.values(COMMANDS)) assert.ok(manifest.activationEvents.includes(`onCommand:${id}`), id);
});

test('runs in code-server 4.100.3 (engines.vscode ≤ 1.100) and types are pinned to it', () => {
  const min = /^\^?(\d+)\.(\d+)/.exec(manifest.engines.vscode);
  assert.ok(min !== null);
  assert.ok(Number(min[1]) === 1 && Number(min[2]) <= 100, manifest.engines.vscode);
  assert.equal(manifest.devDependencies['@types/vscode'], `${min[1]}.${min[2]}.0`);
});

test('tfjs-node is optional; the wasm backend is a real dependency; lrlab bin exists', () => {
  assert.ok(manifest.optionalDependencies['@tensorflow/tfjs-node'] !== undefined);
  assert.equal(manifest.dependencies['@tensorflow/tfjs-node'], undefined);
  assert.ok(manifest.dependencies['@tensorflow/tfjs-backend-wasm'] !== undefined);
  assert.equal(manifest.bin['lrlab'], 'bin/lrlab');
});

test('every setting the code reads is contributed, with the option name of the CLI', () => {
  const contributed = Object.keys((manifest as unknown as { contributes: { configuration: { properties: Record<string, unknown> } } }).contributes.configuration.properties).map((k) => k.replace(/^lrlab\./, ''));
  for (const key of [...FIND_LR_SETTINGS, ...OTHER_SETTINGS]) assert.ok(contributed.includes(key), `lrlab.${key} missing from package.json`);
  for (const key of contributed) assert.ok(([...FIND_LR_SETTINGS, ...OTHER_SETTINGS] as readonly string[]).includes(key), `lrlab.${key} is contributed but never read`);
});

test('"Find learning rate with options…" parses name=value overrides and names what is wrong', () => {
  assert.deepEqual(parseOverrides('startLr=1e-6  steps=200 batchSize=32').values, { startLr: 1e-6, steps: 200, batchSize: 32 });
  assert.equal(parseOverrides('').error, null);
  assert.match(parseOverrides('steps=abc').error ?? '', /steps must be a number, got 'abc'/);
  assert.match(parseOverrides('lr=0.1').error ?? '', /'lr' is not an option here/);
  assert.match(parseOverrides('steps 100').error ?? '', /'steps' is not name=value/);
});
