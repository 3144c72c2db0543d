/**
 * Paths that come from content LR Lab did not write cannot escape what the user chose.
 *
 * The webview sends run ids and formats only (never a path: `parseWebviewMessage`), and the
 * settings hold no write target; the names LR Lab makes up itself come from run records, which
 * a shared `.lrlab/runs` takes from the repository. So the hostile inputs are run records with
 * `..`, absolute paths, Windows separators, symlinks, markup, control characters and very long
 * names, through the two places that turn them into paths:
 * - the run history (`src/extension/history.ts`): save and delete stay inside its folder;
 * - the export (`src/extension/exporter.ts`): the proposed file is in the workspace folder and
 *   the only file written is the one picked in the save dialog. `exporter.ts` imports `vscode`,
 *   so this file answers `require('vscode')` with a small stand-in (Uri, the dialog, fs).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { RunHistory, fileName } from '../../src/extension/history';
import type * as Exporter from '../../src/extension/exporter';
import type { RunSnapshot } from '../../src/protocol/webviewMessages';
import { record, standing, table } from './figures';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-paths-'));
const outside = path.join(dir, 'outside'); // stands for the user's home: nothing here may change
const workspace = path.join(dir, 'workspace');
mkdirSync(outside);
mkdirSync(workspace);

/** Every file under a folder (not following links) with its hash. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.set(p, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(root);
  return files;
}
const changed = (a: Map<string, string>, b: Map<string, string>): string[] => [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));

// The user's files outside: a JSON file a hostile run name could aim at, and a whole tree.
writeFileSync(path.join(outside, 'victim-x.json'), '{"mine":true}\n');
writeFileSync(path.join(outside, 'package.json'), '{"name":"mine"}\n');
mkdirSync(path.join(outside, 'etc'));
writeFileSync(path.join(outside, 'etc', 'cron-x.json'), 'keep\n');
const outsideBefore = snapshot(outside);

function run(runId: string, startedAt = '2026-11-28T10:00:00.000Z', extra: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    runId, kind: 'find-lr', model: '/w/model.ts', label: 'model.ts', startedAt, state: 'done', settings: {},
    series: { main: [{ step: 0, lr: 1e-7, momentum: 0.9, loss: 2.3, smoothed: 2.3, valLoss: null, valAccuracy: null, seconds: 0.1 }] },
    progress: null, result: null, chosenRange: null, error: null, ...extra,
  };
}

const rel = path.relative(path.join(dir, 'runs'), outside); // '../outside'
const HTML = '<img src=x onerror=alert(1)>';
const CONTROL = 'a\u0000b\nc\r\u001b[31md\u0007\u202e';
const LONG = 'L'.repeat(5000);
/** [case, runId, startedAt] as a hostile run file could carry them. */
const hostile: [string, string, string][] = [
  ['`..` in runId', `/../${rel}/victim`, '2026'],
  ['`..` in runId, no separator before', `../../../${rel}/package`, 'x'],
  ['absolute runId', path.join(outside, 'victim'), 'x'],
  ['absolute startedAt', 'x', `${outside}/victim`],
  ['`..` in startedAt', 'x', `../../../../${outside}/victim`],
  ['Windows separators', 'x', `..\\..\\outside\\victim`],
  ['Windows drive and UNC', '\\\\server\\share\\x', 'C:\\Users\\me\\victim'],
  ['HTML in the name', HTML, HTML],
  ['control characters', CONTROL, CONTROL],
  ['a very long name', LONG, '2026-11-28T10:00:00.000Z'],
  ['a name that is only dots', '..', '.'],
  ['unicode name', 'модель-😀', '2026-11-28T10:00:00.000Z'],
];

test('history: hostile run names save, load and delete strictly inside the history folder', async () => {
  const folder = path.join(dir, 'runs');
  const history = new RunHistory(folder);
  for (const [label, runId, startedAt] of hostile) {
    const name = fileName({ runId, startedAt });
    const file = await history.save(run(runId, startedAt)).catch((e: unknown) => `rejected: ${String(e)}`);
    const direct = path.dirname(file) === folder && path.basename(file) === name && existsSync(file);
    // One plain component on either platform: no separator, no `.`/`..`, no control or markup, not too long.
    const plain = path.posix.basename(name) === name && path.win32.basename(name) === name && !/^\.|[\u0000-\u001f<>:"|?*\\/\u007f]/.test(name) && Buffer.byteLength(name) <= 200;
    // Loading checks every field: none of these names is a run id or an ISO time, so the file is skipped, named.
    const loaded = await new RunHistory(folder).load();
    const refused = !loaded.runs.some((r) => r.runId === runId) && loaded.skipped.some((line) => line.startsWith(`${name}: refused: run.`));
    await history.remove(run(runId, startedAt));
    const removed = !existsSync(file);
    const ok = direct && plain && refused && removed && changed(outsideBefore, snapshot(outside)).length === 0;
    record('paths', ok);
    assert.ok(ok, `${label}: ${JSON.stringify({ file, name, direct, plain, refused, removed, skipped: loaded.skipped })}`);
  }
  assert.deepEqual(readdirSync(folder), []);
});

test('history: a symlink committed in a shared runs folder does not carry a save or a delete outside', async () => {
  const folder = path.join(dir, 'linked-runs');
  mkdirSync(folder);
  symlinkSync(outside, path.join(folder, 'link'), 'dir');
  // A run file as the repository ships it: its fields name link/victim-x.json, i.e. outside/victim-x.json.
  const evil = run('x', 'link/victim');
  writeFileSync(path.join(folder, 'evil.json'), JSON.stringify({ format: 'lrlab-run', version: 1, run: evil }));
  const history = new RunHistory(folder);
  const { runs, skipped } = await history.load();
  // Its startedAt is no ISO time: refused on load, so it never reaches a view, a save or a delete.
  assert.equal(runs.length, 0);
  assert.match(skipped.join('\n'), /evil\.json: refused: run\.startedAt/);
  // The same record saved and deleted anyway (as from a webview state older than the checks) stays in the folder.
  const saved = await history.save({ ...evil, chosenRange: { minLr: 0.01, maxLr: 0.1 } });
  const savedInPlace = path.dirname(saved) === folder && existsSync(saved);
  await history.remove(evil);
  const removedInPlace = !existsSync(saved) && existsSync(path.join(folder, 'evil.json'));
  // The same record never seen on disk (straight from a revived webview state) behaves too.
  const fresh = new RunHistory(folder);
  const other = await fresh.save(run('y', 'link/victim'));
  await fresh.remove(run('y', 'link/victim'));
  const outsideChanged = changed(outsideBefore, snapshot(outside));
  const ok = savedInPlace && removedInPlace && path.dirname(other) === folder && outsideChanged.length === 0;
  record('paths', ok);
  assert.deepEqual(outsideChanged, []);
  assert.ok(savedInPlace, `saved to ${saved}`);
  assert.ok(removedInPlace);
  assert.equal(path.dirname(other), folder);
});

test('history: different hostile runs never share a file (no run overwrites another)', async () => {
  const folder = path.join(dir, 'collide');
  const history = new RunHistory(folder);
  const ids = ['a/b', 'a\\b', 'a<b', 'a b', 'a\nb', `${LONG}1`, `${LONG}2`];
  for (const id of ids) await history.save(run(id));
  // Each file holds its own run (read raw: these ids are refused on load).
  const stored = readdirSync(folder).map((n) => (JSON.parse(readFileSync(path.join(folder, n), 'utf8')) as { run: RunSnapshot }).run.runId);
  const lost = ids.filter((id) => !stored.includes(id));
  standing.historyEntriesLost += lost.length;
  const ok = lost.length === 0 && readdirSync(folder).length === ids.length;
  record('paths', ok);
  assert.deepEqual(lost, []);
  assert.equal(readdirSync(folder).length, ids.length);
});

test('history: our own runs keep their readable file names', () => {
  const ok = fileName({ runId: '0b5c2a9e-8f7a-4a37-9a53-2f0f1f1f0e11', startedAt: '2026-11-28T10:00:00.000Z' }) === '2026-11-28T10-00-00-000Z-0b5c2a9e-8f7a-4a37-9a53-2f0f1f1f0e11.json';
  record('paths', ok);
  assert.ok(ok);
});

// ---------------------------------------------------------------------------------------------
// Export, through exporter.ts with a stand-in for the vscode module

class Uri {
  readonly scheme = 'file';
  private constructor(readonly fsPath: string) {}
  static file(p: string): Uri {
    return new Uri(path.resolve(p));
  }
  /** Like vscode.Uri.joinPath: joins and normalizes (`..` is resolved). */
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(path.join(base.fsPath, ...segments));
  }
  get path(): string {
    return this.fsPath;
  }
  with(change: { path: string }): Uri {
    return new Uri(change.path);
  }
}
let dialog: { defaultUri: Uri } | undefined;
let pick: Uri | undefined;
const written: string[] = [];
const vscodeStub = {
  Uri,
  workspace: {
    workspaceFolders: [{ uri: Uri.file(workspace) }],
    getWorkspaceFolder: (uri: Uri) => (uri.fsPath.startsWith(`${workspace}${path.sep}`) ? { uri: Uri.file(workspace) } : undefined),
    // `written`: the files that landed (a temp file renamed into place counts as its target).
    fs: {
      writeFile: async (uri: Uri, bytes: Uint8Array) => writeFileSync(uri.fsPath, bytes),
      rename: async (from: Uri, to: Uri) => (renameSync(from.fsPath, to.fsPath), written.push(to.fsPath)),
      delete: async (uri: Uri) => rmSync(uri.fsPath, { force: true }),
    },
  },
  window: {
    showSaveDialog: async (options: { defaultUri: Uri }) => ((dialog = options), pick),
    showInformationMessage: async () => undefined,
  },
};
const stubFile = path.join(dir, 'vscode-stub.js');
const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return request === 'vscode' ? stubFile : resolve.call(this, request, ...rest);
};
require.cache[stubFile] = { id: stubFile, filename: stubFile, loaded: true, exports: vscodeStub } as unknown as NodeJS.Module;
const { exportFileName, exportRun } = createRequire(__filename)('../../src/extension/exporter') as typeof Exporter;

/** [case, model, kind, startedAt] */
const hostileExports: [string, string, string, string][] = [
  ['`..` in the kind', '/w/model.ts', `find-lr/../../../../${outside}/victim`, '2026-11-28T10:00:00.000Z'],
  ['`..` in startedAt', '/w/model.ts', 'find-lr', '../../../../../etc/x'],
  ['absolute kind', '/w/model.ts', `${outside}/package`, '2026'],
  ['Windows model path', 'C:\\Users\\me\\..\\..\\model.ts', 'find-lr', '2026-11-28T10:00:00.000Z'],
  ['Windows separators in the kind', '/w/model.ts', '..\\..\\..\\outside\\victim', '2026'],
  ['HTML in the model name', `/w/${HTML}.ts`, HTML, HTML],
  ['control characters', `/w/${CONTROL}.ts`, CONTROL, CONTROL],
  ['a very long model name', `/w/${LONG}.ts`, LONG, LONG],
  ['a model named `..`', '/w/..', '..', '..'],
  ['empty fields', '', '', ''],
];

test('export: the proposed file is a plain name in the workspace folder, whatever the run record says', () => {
  for (const [label, model, kind, startedAt] of hostileExports) {
    const name = exportFileName({ model, kind, startedAt } as RunSnapshot, 'csv');
    const proposed = Uri.joinPath(Uri.file(workspace), name).fsPath;
    const ok = path.dirname(proposed) === workspace && path.posix.basename(name) === name && path.win32.basename(name) === name
      && !/^\.|\.\.|[\u0000-\u001f<>:"|?*\\/\u007f]/.test(name) && name.endsWith('.csv') && name.length > 4 && Buffer.byteLength(name) <= 255;
    record('paths', ok);
    assert.ok(ok, `${label}: ${JSON.stringify(name)} → ${proposed}`);
  }
  const usual = exportFileName(run('r', '2026-11-28T10:00:00.000Z', { model: '/w/my model.ts' }), 'png');
  record('paths', usual === 'my model-find-lr-2026-11-28-10-00-00.png');
  assert.equal(usual, 'my model-find-lr-2026-11-28-10-00-00.png');
});

test('export: only the file picked in the dialog is written; cancel writes nothing', async () => {
  const before = snapshot(workspace);
  const chosen = path.join(dir, 'chosen');
  mkdirSync(chosen);
  const evil = run('r', '../../../x', { kind: `find-lr/../../../../${outside}/victim` as RunSnapshot['kind'] });
  pick = undefined;
  const cancelled = await exportRun(evil, 'csv');
  const nothing = cancelled === undefined && written.length === 0 && dialog !== undefined && path.dirname(dialog.defaultUri.fsPath) === workspace;
  pick = Uri.file(path.join(chosen, 'picked.json'));
  await exportRun(evil, 'json');
  pick = Uri.file(path.join(chosen, 'chart.png'));
  await exportRun(evil, 'png', `data:image/png;base64,${Buffer.from('PNG!').toString('base64')}`);
  const exact = written.length === 2 && written[0] === path.join(chosen, 'picked.json') && written[1] === path.join(chosen, 'chart.png')
    && (JSON.parse(readFileSync(written[0], 'utf8')) as { startedAt: string }).startedAt === '../../../x' && readFileSync(written[1], 'utf8') === 'PNG!';
  const elsewhere = [...changed(before, snapshot(workspace)), ...changed(outsideBefore, snapshot(outside))];
  const ok = nothing && exact && elsewhere.length === 0 && readdirSync(chosen).length === 2;
  record('paths', ok);
  assert.ok(nothing, `cancel: ${JSON.stringify({ cancelled, written, proposed: dialog?.defaultUri.fsPath })}`);
  assert.ok(exact, JSON.stringify(written));
  assert.deepEqual(elsewhere, []);
});

after(() => {
  loader._resolveFilename = resolve;
  // The user's files outside, and the workspace (nothing was picked there), are as they were.
  const outsideChanged = [...changed(outsideBefore, snapshot(outside)), ...snapshot(workspace).keys()];
  standing.userFilesModified += outsideChanged.length;
  assert.ok(statSync(outside).isDirectory());
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`\nFault figures:\n${table()}\n`);
  assert.deepEqual(outsideChanged, []);
  assert.equal(standing.userFilesModified, 0);
  assert.equal(standing.historyEntriesLost, 0);
});
