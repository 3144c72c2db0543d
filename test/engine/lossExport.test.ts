/** A model file whose `loss` export and `model.compile` name different losses: the export trains, and the run says so. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
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
