/** Runs inside the VS Code extension host with the real extension (see index.ts). */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import zlib from 'node:zlib';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import type { LrLabApi } from '../../../src/extension/api';
import { openSettingAt } from '../../../src/extension/userErrors';

const EXTENSION_ID = 'lrlab.lrlab';

/** The share of fully transparent pixels in an 8-bit RGBA PNG (a data URL), decoded here with zlib. */
function transparentShare(dataUrl: string): number {
  const png = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    if (type === 'IHDR') [width, height, colorType] = [png.readUInt32BE(offset + 8), png.readUInt32BE(offset + 12), png[offset + 17]!];
    if (type === 'IDAT') idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  if (colorType !== 6) return 0; // no alpha channel: opaque
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const r = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? out[y * stride + x - 4]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? out[(y - 1) * stride + x - 4]! : 0;
      const p = a + up - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - up) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - up) <= Math.abs(p - c) ? up : c;
      out[y * stride + x] = (r + [0, a, up, (a + up) >> 1, paeth][filter]!) & 255;
    }
  }
  let transparent = 0;
  for (let i = 3; i < out.length; i += 4) if (out[i] === 0) transparent++;
  return transparent / (width * height);
}

async function api(): Promise<LrLabApi> {
  const extension = vscode.extensions.getExtension<LrLabApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

describe('LR Lab in the extension host', () => {
  it('registers every command it contributes', async () => {
    await api();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['lrlab.findLearningRate', 'lrlab.cancelRun', 'lrlab.exportChart', 'lrlab.showHistory', 'lrlab.previewSchedule']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('Find learning rate on a model file runs the engine to a result and leaves no process', async () => {
    const lab = await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const model = vscode.Uri.joinPath(folder.uri, 'tiny-model.js');
    const before = lab.runs().length;
    await vscode.commands.executeCommand('lrlab.findLearningRate', model);
    const runs = lab.runs();
    assert.equal(runs.length, before + 1);
    const run = runs.at(-1)!;
    assert.equal(run.state, 'done', run.error ?? '');
    assert.equal(run.series['main']?.length, 80);
    assert.equal(run.result?.kind, 'find-lr');
    if (run.result?.kind === 'find-lr') {
      assert.ok(run.result.range !== null && run.result.range.maxLr > 0);
      assert.ok(run.result.recommended !== null && run.result.recommended.maxLr > 0, 'the headline reaches the extension');
      assert.equal(run.result.recommended.minLr, Number((run.result.recommended.maxLr / 10).toPrecision(3)));
      assert.equal(run.result.backend, 'wasm');
      // Only the settings the workspace sets are sent (seed, steps, batchSize); the rest are the
      // engine's defaults (tiny-model.js's createModel does not compile: no optimizer of its own).
      const sources = run.result.settings.sources ?? {};
      assert.deepEqual([sources.steps, sources.batchSize, sources.seed], ['setting', 'setting', 'setting']);
      assert.deepEqual([sources.startLr, sources.smoothing, sources.weightDecay], ['default', 'default', 'default']);
      assert.deepEqual([sources.optimizer, sources.momentum, run.result.settings.momentum], ['default', 'default', 0.9]);
    }
    // Kept on disk, as a failed run is: after a reload the side view lists it and the Insert lenses find it
    // (a finished run was never saved; only one whose panel was open came back, through the panel's state).
    const saved = lab.historyFolders().flatMap((f) => (existsSync(f) ? readdirSync(f) : [])).filter((n) => n.includes(run.runId));
    assert.equal(saved.length, 1, `a history file for run ${run.runId} in ${lab.historyFolders().join(', ')}`);
    // The engine exits when its channel closes; give it a moment.
    for (let i = 0; i < 50 && lab.enginePids().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(lab.enginePids(), []);
  });

  it('a setting the engine refuses is named as the setting (lrlab.lrTrials), not as a CLI flag the user never typed', async () => {
    const lab = await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const model = vscode.Uri.joinPath(folder.uri, 'tiny-model.js');
    const config = vscode.workspace.getConfiguration('lrlab');
    await config.update('lrTrials', 5, vscode.ConfigurationTarget.Global);
    try {
      const before = lab.runs().length;
      // Not awaited: the error notification waits for the user.
      void vscode.commands.executeCommand('lrlab.findLearningRate', model);
      let run = lab.runs().at(-1);
      for (let i = 0; i < 600 && (lab.runs().length === before || run?.state === 'running'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        run = lab.runs().at(-1);
      }
      assert.equal(lab.runs().length, before + 1);
      assert.equal(run?.state, 'failed', run?.error ?? '');
      assert.match(run?.error ?? '', /^The setting lrlab\.lrTrials must be 0 \(off\) or at least 10 steps, got 5\. Change lrlab\.lrTrials in Settings/);
      // The error notification still waits for a click: the run is over all the same, so the next one
      // starts (it stayed "in progress" until the notification was dismissed, and every run was refused).
      await config.update('lrTrials', undefined, vscode.ConfigurationTarget.Global);
      const next = Promise.resolve(vscode.commands.executeCommand('lrlab.findLearningRate', model));
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 60_000));
      assert.notEqual(await Promise.race([next.then(() => 'ran' as const), timeout]), 'timeout', 'the next run started and ended while the error notification waits');
      assert.equal(lab.runs().length, before + 2);
      assert.equal(lab.runs().at(-1)?.state, 'done', lab.runs().at(-1)?.error ?? '');
    } finally {
      await config.update('lrTrials', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("Open Settings on a bad setting opens where its value is set: the folder's .vscode/settings.json at the setting, else the Settings editor", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const model = vscode.Uri.joinPath(folder.uri, 'tiny-model.js');
    // lrlab.steps is set in the fixture's .vscode/settings.json (it opened the User tab, showing the default: trial W #9).
    await openSettingAt('lrlab.steps', model);
    try {
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.fsPath, vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json').fsPath);
      assert.equal(editor?.document.getText(editor.selection), '"lrlab.steps"');
      assert.equal(editor?.document.isDirty, false);
    } finally {
      // What it opened is closed either way: the next test's panel must be the one shown.
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    // A user setting (not in any workspace file): the Settings editor.
    const config = vscode.workspace.getConfiguration('lrlab');
    await config.update('lrTrials', 5, vscode.ConfigurationTarget.Global);
    try {
      await openSettingAt('lrlab.lrTrials', model);
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      assert.match(tab?.label ?? '', /Settings/);
    } finally {
      await config.update('lrTrials', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Export chart → PNG always ends: the chart the panel shows, then null (no hang) once the panel is hidden', async () => {
    const lab = await api();
    // The previous test's run is in the panel.
    const png = await lab.chartPng();
    assert.ok(png?.startsWith('data:image/png;base64,'), `a PNG of the shown chart, got ${png?.slice(0, 30) ?? 'null'}`);
    // On the panel's background: transparent, its theme-coloured text vanished in a viewer of the other shade.
    assert.equal(transparentShare(png ?? ""), 0);
    // Hide the panel behind an editor in its own column: its webview cannot answer any more.
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('lrlab.chart'));
    assert.ok(tab, 'the LR Lab panel is open');
    const document = await vscode.workspace.openTextDocument({ content: 'hides the panel' });
    await vscode.window.showTextDocument(document, { viewColumn: tab.group.viewColumn, preview: false });
    assert.equal(await lab.chartPng(), null);
  });
});
