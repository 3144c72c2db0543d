/**
 * The extension's engine host outside the editor (it needs no vscode at run time): a real engine
 * process per run, a crash reported with its stderr, a hang cancelled by killing the process
 * group, and the next run working afterwards.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { built } from '../built';
import { EngineHost } from '../../src/extension/engineHost';
import { LrLabError } from '../../src/protocol/errors';
import type { FindLrResult } from '../../src/protocol/results';
import type { ProgressParams } from '../../src/protocol/progress';
import { isAlive } from '../processAlive';

const root = path.join(__dirname, '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-host-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');

/** A minimal stand-in for vscode.CancellationToken. */
function token(): { token: { isCancellationRequested: boolean; onCancellationRequested: (f: () => void) => { dispose(): void } }; cancel: () => void } {
  const listeners: (() => void)[] = [];
  const t = {
    isCancellationRequested: false,
    onCancellationRequested: (f: () => void) => {
      listeners.push(f);
      return { dispose: () => undefined };
    },
  };
  return { token: t, cancel: () => { t.isCancellationRequested = true; listeners.forEach((f) => f()); } };
}


const handlers = { onProgress: () => undefined, onAppend: () => undefined };

/** A condition a test awaits (instead of sleeping for a guessed time). */
function signal(): { fire: () => void; fired: Promise<void> } {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
}
const host = new EngineHost({ extensionPath: root, log: () => undefined });
after(() => host.dispose());

test('an engine killed mid-run is reported (not a hang), and the next run works', async () => {
  built('engine.js');
  const model = path.join(dir, 'killer.js');
  writeFileSync(model, `${`exports.createModel = () => { const tf = require('@tensorflow/tfjs'); const m = tf.sequential(); m.add(tf.layers.dense({ units: 1, inputShape: [1] })); return m; };`}\nexports.loadData = async () => { console.error('about to die'); process.kill(process.pid, 'SIGKILL'); };\n`);
  const t0 = performance.now();
  await assert.rejects(host.run('crash', { kind: 'find-lr', model }, handlers, token().token as never), (e: unknown) => {
    assert.ok(e instanceof LrLabError);
    assert.match(e.message, /engine was killed \(SIGKILL\) before finishing: .*about to die/);
    return true;
  });
  assert.ok(performance.now() - t0 < 15_000);
  const result = (await host.run('after', { kind: 'find-lr', model: tiny, steps: 10, seed: 1, rangeRetries: 0 }, handlers, token().token as never)) as FindLrResult;
  assert.equal(result.points.length, 10);
});

test("an engine out of memory in loadData says V8's line and what to do in the editor's words: less data, not a smaller batch (it read the native stack and '--batch-size')", async () => {
  built('engine.js');
  const model = path.join(dir, 'hog.js');
  writeFileSync(model, `exports.createModel = () => { const tf = require('@tensorflow/tfjs'); const m = tf.sequential(); m.add(tf.layers.dense({ units: 1, inputShape: [1] })); return m; };
exports.loadData = async () => { const rows = []; for (;;) rows.push(Array.from({ length: 1000 }, (_, i) => ({ i }))); };
`);
  const small = new EngineHost({ extensionPath: root, log: () => undefined, env: { NODE_OPTIONS: '--max-old-space-size=128' } });
  try {
    await assert.rejects(small.run('hog', { kind: 'find-lr', model }, handlers, token().token as never), (e: unknown) => {
      assert.ok(e instanceof LrLabError, String(e));
      assert.equal(e.code, 'out-of-memory', e.message);
      assert.match(e.message, /^The LR Lab engine (was killed \(SIGABRT\)|exited with code \d+) before finishing: FATAL ERROR: .*heap.*\.$/);
      assert.doesNotMatch(e.message, /0x[0-9a-f]{6,}|v8::internal/);
      assert.equal(e.fix, 'It ran out of memory while loadData() ran, before any training: load less data for tuning (a subset of it), or less at once.');
      return true;
    });
  } finally {
    small.dispose();
  }
});

test('a loadData that never resolves is cancelled by killing the process group within a second', async () => {
  built('engine.js');
  const model = path.join(dir, 'hang.js');
  writeFileSync(model, `exports.createModel = () => { const tf = require('@tensorflow/tfjs'); const m = tf.sequential(); m.add(tf.layers.dense({ units: 1, inputShape: [1] })); return m; };\nexports.loadData = () => new Promise(() => { setInterval(() => {}, 1000); });\n`);
  const { token: t, cancel } = token();
  const inLoadData = signal();
  const running = host.run('hang', { kind: 'find-lr', model }, { ...handlers, onProgress: (p: ProgressParams) => p.message === 'Running loadData()' && inLoadData.fire() }, t as never);
  await inLoadData.fired;
  const pids = host.pids;
  assert.equal(pids.length, 1);
  const t0 = performance.now();
  cancel();
  await assert.rejects(running, (e: unknown) => e instanceof LrLabError && e.code === 'cancelled');
  for (let i = 0; i < 30 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
  const gone = performance.now() - t0;
  assert.ok(!pids.some(isAlive), 'engine process gone');
  assert.ok(gone < 2000, `gone after ${gone.toFixed(0)} ms`);
});

test('disposing the host (extension deactivate) kills a running engine: no orphan', async () => {
  built('engine.js');
  const local = new EngineHost({ extensionPath: root, log: () => undefined });
  const training = signal();
  const running = local.run('long', { kind: 'find-lr', model: tiny, steps: 100000, startLr: 1e-7, endLr: 1e-6 }, { ...handlers, onAppend: () => training.fire() }, token().token as never).catch((e: unknown) => e);
  await training.fired;
  const pids = local.pids;
  assert.equal(pids.length, 1);
  local.dispose();
  for (let i = 0; i < 40 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(!pids.some(isAlive), 'engine gone after dispose');
  assert.ok((await running) instanceof LrLabError);
});

async function until(what: string, condition: () => boolean, ms = 60_000): Promise<void> {
  const t0 = performance.now();
  while (!condition()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('an engine started ahead readies itself, and the next matching run is served by it (one run, then it exits)', async () => {
  built('engine.js');
  const logs: string[] = [];
  const local = new EngineHost({ extensionPath: root, log: (_level, message) => logs.push(message), env: { LRLAB_CACHE_DIR: path.join(dir, 'cache') } });
  try {
    local.prestart({ model: tiny });
    const warm = local.warmPid;
    assert.ok(warm !== undefined && isAlive(warm));
    local.prestart({ model: tiny }); // the same target: the same engine
    assert.equal(local.warmPid, warm);
    await until('the engine to be ready', () => logs.some((l) => /started ahead for tinyClassifier\.js: ready in/.test(l)));
    // A run for another backend cannot use it (tfjs keeps one backend per process): a fresh engine serves it.
    const other = (await local.run('cpu', { kind: 'find-lr', model: tiny, steps: 5, seed: 1, backend: 'cpu' }, handlers, token().token as never)) as FindLrResult;
    assert.equal(other.backend, 'cpu');
    assert.equal(local.warmPid, warm);
    const running = local.run('warm', { kind: 'find-lr', model: tiny, steps: 10, seed: 1, rangeRetries: 0 }, handlers, token().token as never);
    assert.equal(local.warmPid, undefined);
    assert.ok(local.pids.includes(warm));
    const result = (await running) as FindLrResult;
    assert.equal(result.points.length, 10);
    await until('the engine that ran to exit', () => !isAlive(warm), 10_000);
  } finally {
    local.dispose();
  }
});

/** Each thread's nice value (Linux /proc), the main thread's first; a thread that ended meanwhile is left out. */
function threadNices(pid: number): number[] {
  const niceOf = (tid: string): number | null => {
    try {
      return Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    } catch {
      return null;
    }
  };
  const tids = readdirSync(`/proc/${pid}/task`).filter((t) => t !== String(pid));
  return [niceOf(String(pid)), ...tids.map(niceOf)].filter((n): n is number => n !== null);
}

/**
 * The nice of a process's scheduler autogroup (sched(7)), or null where autogrouping is off or the
 * process is in the kernel's default group, which /proc/PID/autogroup shows as empty (CI's test
 * runner is, started by no session leader; an engine, which starts its own session, gets a group).
 */
function autogroupNice(pid: number): number | null {
  // A kernel built without autogrouping has neither file.
  if (!existsSync('/proc/sys/kernel/sched_autogroup_enabled') || readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() !== '1') return null;
  if (!existsSync(`/proc/${pid}/autogroup`)) return null;
  const group = /nice\s+(-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, 'utf8'));
  return group === null ? null : Number(group[1]);
}

test('lrlab.enginePriority: a low engine runs below the editor (nice 10, the wasm threads it starts too) and trains; normal keeps the editor\'s; read at each start', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  built('engine.js');
  const logs: string[] = [];
  let priority: 'low' | 'normal' = 'low';
  const local = new EngineHost({ extensionPath: root, log: (_level, message) => logs.push(message), priority: () => priority, env: { LRLAB_CACHE_DIR: path.join(dir, 'cache-priority'), LRLAB_WASM_THREADS: '2' } });
  const ours = os.getPriority();
  try {
    local.prestart({ model: tiny, backend: 'wasm' });
    const low = local.warmPid!;
    // At nice 10 beside the test pool's other files (three at a time on 2 CPUs, each at nice 0) the
    // engine gets a few percent of the machine: its start took 242 s on a loaded CI machine.
    await until('the low engine to be ready', () => logs.filter((l) => /started ahead for tinyClassifier\.js: ready in/.test(l)).length === 1, 420_000);
    const lowNices = threadNices(low);
    assert.equal(lowNices[0], Math.max(ours, 10), `main thread of the low engine: ${lowNices.join(' ')}`);
    // tfjs-backend-wasm's pthreads were started after the engine lowered itself: they inherit it.
    assert.ok(lowNices.filter((n) => n === Math.max(ours, 10)).length >= 3, `threads at nice 10: ${lowNices.join(' ')}`);
    // With autogrouping, the engine's session (it starts detached) competes with the editor's as a group: its nice too.
    const lowGroup = autogroupNice(low);
    if (lowGroup !== null) assert.equal(lowGroup, 10, 'the low engine\'s autogroup');
    const result = (await local.run('low', { kind: 'find-lr', model: tiny, steps: 10, seed: 1, rangeRetries: 0, backend: 'wasm' }, handlers, token().token as never)) as FindLrResult;
    assert.equal(result.points.length, 10);

    priority = 'normal';
    local.prestart({ model: tiny, backend: 'wasm' });
    const normal = local.warmPid!;
    assert.notEqual(normal, low);
    await until('the normal engine to be ready', () => logs.filter((l) => /started ahead for tinyClassifier\.js: ready in/.test(l)).length === 2);
    assert.deepEqual([...new Set(threadNices(normal))], [ours], 'every thread at the host\'s own priority');
    const normalGroup = autogroupNice(normal);
    if (normalGroup !== null) assert.equal(normalGroup, 0, 'a normal engine\'s autogroup: a new session\'s');
  } finally {
    local.dispose();
  }
});

test('a waiting engine is replaced by one for another folder, and exits by itself when no run comes', async () => {
  built('engine.js');
  const local = new EngineHost({ extensionPath: root, log: () => undefined, env: { LRLAB_ENGINE_IDLE_MS: '3000', LRLAB_CACHE_DIR: path.join(dir, 'cache') } });
  try {
    local.prestart({ model: tiny });
    const first = local.warmPid!;
    const elsewhere = path.join(dir, 'elsewhere', 'model.js');
    mkdirSync(path.dirname(elsewhere), { recursive: true });
    writeFileSync(elsewhere, 'exports.createModel = () => null; exports.loadData = async () => null;\n');
    local.prestart({ model: elsewhere });
    const second = local.warmPid!;
    assert.notEqual(second, first);
    await until('the replaced engine to exit', () => !isAlive(first), 10_000);
    await until('the unused engine to exit after its idle time', () => !isAlive(second), 30_000);
    await until('the host to forget it', () => local.warmPid === undefined && local.pids.length === 0, 5_000);
  } finally {
    local.dispose();
  }
});

test('files saved while an engine waits: it bundles its model file again (refreshWarm), one prepare at a time, says so where the file does not bundle, and the run finds that bundle cached', async () => {
  built('engine.js');
  const logs: string[] = [];
  const cache = path.join(dir, 'cache-refresh');
  const local = new EngineHost({ extensionPath: root, log: (_level, message) => logs.push(message), env: { LRLAB_CACHE_DIR: cache } });
  const folder = path.join(dir, 'refresh');
  mkdirSync(folder, { recursive: true });
  const model = path.join(folder, 'model.js');
  const source = (marker: string): string => `exports.marker = '${marker}';\nconst tiny = require(${JSON.stringify(tiny)});\nexports.createModel = tiny.createModel;\nexports.loadData = tiny.loadData;\n`;
  const entry = (): { code: string; at: number } => {
    const files = readdirSync(path.join(cache, 'bundles')).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 1, `one cached bundle: ${files.join(', ')}`);
    const file = path.join(cache, 'bundles', files[0]!);
    return { code: (JSON.parse(readFileSync(file, 'utf8')) as { code: string }).code, at: statSync(file).mtimeMs };
  };
  const said = (what: RegExp): number => logs.filter((l) => what.test(l)).length;
  try {
    writeFileSync(model, source('version 1'));
    local.prestart({ model });
    await until('the engine to be ready', () => said(/started ahead for model\.js: ready in/) === 1);
    assert.match(entry().code, /version 1/);
    // A save mid-edit that does not parse: the log says so, not that it bundled (it did say so).
    writeFileSync(model, `${source('broken')}exports.half = (;\n`);
    local.refreshWarm();
    await until('the failed bundle to be told', () => said(/started ahead for model\.js in [\d.]+ s, but model\.js does not bundle \(its run will say so\): model\.js:5: Unexpected ";": exports\.half = \(;$/) === 1);
    assert.equal(said(/bundled again/), 0, logs.join('\n'));
    assert.match(entry().code, /version 1/);
    writeFileSync(model, source('version 2'));
    // Two saves in a row: the second waits for the first's prepare, then runs once.
    local.refreshWarm();
    local.refreshWarm();
    await until('the second bundle after the saves', () => said(/started ahead for model\.js: bundled again after a save in/) === 2);
    const bundled = entry();
    assert.match(bundled.code, /version 2/);
    const result = (await local.run('after-save', { kind: 'find-lr', model, steps: 10, seed: 1, rangeRetries: 0 }, handlers, token().token as never)) as FindLrResult;
    assert.equal(result.points.length, 10);
    // The run took the bundle from the cache: a bundle of its own would have rewritten the entry.
    assert.equal(entry().at, bundled.at, 'the cached bundle was not written again by the run');
    // The engine that ran is no longer waiting: a save now has nothing to refresh.
    local.refreshWarm();
    assert.equal(local.warmPid, undefined);
  } finally {
    local.dispose();
  }
});

test('lrlab.nodePath is read at each engine start, and one that cannot start says so, naming the setting (it read "exited with code -1 … the next run starts a fresh engine" until a reload)', async () => {
  built('engine.js');
  let node: string | undefined = path.join(dir, 'no-such-node');
  const host = new EngineHost({ extensionPath: root, log: () => undefined, nodePath: () => node });
  try {
    await assert.rejects(host.run('bad-node', { kind: 'find-lr', model: tiny, steps: 10, rangeTests: 1, lrTrials: 0 }, handlers, token().token as never), (e: unknown) => {
      assert.ok(e instanceof LrLabError, String(e));
      assert.equal(e.code, 'bad-option');
      assert.equal(e.option, 'nodePath');
      assert.equal(e.message, `lrlab.nodePath ${node} cannot start the engine: there is no such file.`);
      assert.match(e.fix ?? '', /leave it empty to run the engine with the editor's own runtime/);
      return true;
    });
    // A program that is no Node.js (a user set Python): it runs, fails on the bundle, and says so as the setting,
    // not as "The LR Lab engine exited with code 1 before finishing:" and a wall of minified code.
    node = '/usr/bin/python3';
    await assert.rejects(host.run('python-node', { kind: 'find-lr', model: tiny, steps: 10, rangeTests: 1, lrTrials: 0 }, handlers, token().token as never), (e: unknown) => {
      assert.ok(e instanceof LrLabError, String(e));
      assert.equal(e.option, 'nodePath');
      assert.match(e.message, /^lrlab\.nodePath \/usr\/bin\/python3 did not run the engine: it exited with code 1 before the engine started \(.{1,121}\)\.$/);
      return true;
    });
    // The setting cleared (no reload): the next engine starts with the editor's runtime.
    node = undefined;
    const result = (await host.run('good-node', { kind: 'find-lr', model: tiny, steps: 10, rangeTests: 1, lrTrials: 0 }, handlers, token().token as never)) as FindLrResult;
    assert.equal(result.kind, 'find-lr');
  } finally {
    host.dispose();
  }
});
