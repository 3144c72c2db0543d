/**
 * The on-disk bundle cache (src/engine/bundleCache.ts): a second load of an unchanged model file
 * uses the stored bundle (proved by tampering with the stored code: the loaded module is the
 * tampered one), and any change to what the bundle was built from — the file, a file it imports,
 * a new file beside an import, another esbuild version — rebuilds it. Entries are private to the user.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_ENTRIES, MAX_ENTRY_BYTES, STALE_TEMP_MS, bundleCacheDir, readCachedBundle, writeCachedBundle } from '../../src/engine/bundleCache';
import { bundle } from '../../src/engine/bundler';
import { loadModelModule } from '../../src/engine/modelFile';
import { loadTf } from '../../src/engine/tfjs';
import type { Tf } from '../../src/engine/tfjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-bundle-cache-'));
const cacheRoot = path.join(dir, 'cache');
const saved = process.env['LRLAB_CACHE_DIR'];
process.env['LRLAB_CACHE_DIR'] = cacheRoot;
after(() => {
  if (saved === undefined) delete process.env['LRLAB_CACHE_DIR'];
  else process.env['LRLAB_CACHE_DIR'] = saved;
  rmSync(dir, { recursive: true, force: true });
});

let tf: Tf;
before(async () => {
  ({ tf } = await loadTf({ backend: 'wasm' }));
});

const MODEL = `import * as tf from '@tensorflow/tfjs';
import { UNITS } from './units';
export function createModel() {
  return tf.sequential({ layers: [tf.layers.dense({ units: UNITS, inputShape: [2] })] });
}
export async function loadData() {
  return { train: { xs: [[1, 2]], ys: [[1, 2, 3].slice(0, UNITS)] } };
}
`;

function project(name: string, units: number): { model: string; units: string } {
  const folder = path.join(dir, name);
  mkdirSync(folder, { recursive: true });
  const model = path.join(folder, 'model.ts');
  const unitsFile = path.join(folder, 'units.ts');
  writeFileSync(unitsFile, `export const UNITS = ${units};\n`);
  writeFileSync(model, MODEL);
  // Files older than the build: the cache refuses to store a bundle of files changed while it built.
  const past = new Date(Date.now() - 5000);
  for (const f of [model, unitsFile]) utimesSync(f, past, past);
  return { model, units: unitsFile };
}

async function units(model: string): Promise<number> {
  const mod = await loadModelModule(model, tf);
  const m = await mod.createModel({});
  const n = m.outputs[0]!.shape[1]!;
  m.dispose();
  return n;
}

function entryFile(): string {
  const files = readdirSync(bundleCacheDir()!).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1, files.join(', '));
  return path.join(bundleCacheDir()!, files[0]!);
}

/** Replaces `from` by `to` in the stored bundle, keeping its input hashes: a load that uses the cache sees `to`. */
function tamper(from: string, to: string): void {
  const file = entryFile();
  const entry = JSON.parse(readFileSync(file, 'utf8')) as { code: string };
  assert.ok(entry.code.includes(from), 'the stored bundle holds the imported constant');
  writeFileSync(file, JSON.stringify({ ...entry, code: entry.code.replace(from, to) }));
}

test('an unchanged model file is loaded from the cache; a changed import, a new file beside it, or the file itself rebuild it', async () => {
  const { model, units: unitsFile } = project('a', 2);
  assert.equal(await units(model), 2);
  // The folder and the entry are the user's alone.
  assert.equal(statSync(bundleCacheDir()!).mode & 0o777, 0o700);
  assert.equal(statSync(entryFile()).mode & 0o777, 0o600);

  tamper('UNITS = 2', 'UNITS = 7');
  assert.equal(await units(model), 7, 'the second load used the stored bundle');

  writeFileSync(unitsFile, 'export const UNITS = 3;\n');
  assert.equal(await units(model), 3, 'a changed import is rebuilt');

  tamper('UNITS = 3', 'UNITS = 7');
  writeFileSync(path.join(path.dirname(model), 'unrelated.txt'), 'x');
  assert.equal(await units(model), 3, 'a new file in an input folder can change what an import resolves to: rebuilt');

  tamper('UNITS = 3', 'UNITS = 7');
  writeFileSync(model, `${MODEL}\n// edited\n`);
  assert.equal(await units(model), 3, 'the edited model file is rebuilt');
});

test('another esbuild version or a missing input means no cache hit; LRLAB_BUNDLE_CACHE=off turns it off', () => {
  const { model, units: unitsFile } = project('b', 1);
  writeCachedBundle(model, '0.0.1', [model, unitsFile], 'module.exports = 1;', Date.now());
  assert.equal(readCachedBundle(model, '0.0.1'), 'module.exports = 1;');
  assert.equal(readCachedBundle(model, '0.0.2'), null);
  process.env['LRLAB_BUNDLE_CACHE'] = 'off';
  try {
    assert.equal(readCachedBundle(model, '0.0.1'), null);
  } finally {
    delete process.env['LRLAB_BUNDLE_CACHE'];
  }
  rmSync(unitsFile);
  assert.equal(readCachedBundle(model, '0.0.1'), null);
});

test('LRLAB_CACHE_DIR: a relative one is read from the folder the process started in, not the model\'s folder the engine moves to; under /proc, /sys or /dev there is no cache (/proc/self hung in mkdirSync)', () => {
  const before = process.env['LRLAB_CACHE_DIR'];
  const started = process.cwd();
  try {
    process.env['LRLAB_CACHE_DIR'] = 'relative-cache';
    process.chdir(os.tmpdir());
    assert.equal(bundleCacheDir(), path.join(started, 'relative-cache', 'bundles'));
    for (const kernel of ['/proc/self', '/sys', '/dev/shm']) {
      process.env['LRLAB_CACHE_DIR'] = kernel;
      assert.equal(bundleCacheDir(), null, kernel);
    }
  } finally {
    process.chdir(started);
    if (before === undefined) delete process.env['LRLAB_CACHE_DIR'];
    else process.env['LRLAB_CACHE_DIR'] = before;
  }
});

test('without LRLAB_CACHE_DIR: XDG_CACHE_HOME or HOME only where absolute (HOME= put a cache in the model\'s folder), and none under /proc (HOME=/proc hung every command)', () => {
  const saved = { cache: process.env['LRLAB_CACHE_DIR'], xdg: process.env['XDG_CACHE_HOME'], home: process.env['HOME'] };
  const set = (name: string, value: string | undefined): void => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  try {
    delete process.env['LRLAB_CACHE_DIR'];
    set('XDG_CACHE_HOME', '/home/u/.xdg');
    set('HOME', '/home/u');
    assert.equal(bundleCacheDir(), path.join('/home/u/.xdg', 'lrlab', 'bundles'));
    // A relative XDG_CACHE_HOME is ignored (the XDG spec): the home folder's .cache.
    set('XDG_CACHE_HOME', 'rel');
    assert.equal(bundleCacheDir(), path.join('/home/u/.cache', 'lrlab', 'bundles'));
    delete process.env['XDG_CACHE_HOME'];
    for (const home of ['', 'relhome']) {
      set('HOME', home);
      assert.equal(bundleCacheDir(), null, JSON.stringify(home));
    }
    for (const home of ['/proc', '/proc/self/fd', '/sys']) {
      set('HOME', home);
      assert.equal(bundleCacheDir(), null, home);
    }
    set('HOME', '/home/u');
    set('XDG_CACHE_HOME', '/proc/self');
    assert.equal(bundleCacheDir(), null, 'XDG_CACHE_HOME=/proc/self');
  } finally {
    set('LRLAB_CACHE_DIR', saved.cache);
    set('XDG_CACHE_HOME', saved.xdg);
    set('HOME', saved.home);
  }
});

test('a bundle whose inputs changed while it was built is not stored; the cache keeps at most MAX_ENTRIES entries', () => {
  const { model, units: unitsFile } = project('c', 1);
  writeCachedBundle(model, '0.0.1', [model, unitsFile], 'stale', Date.now() - 60_000);
  assert.equal(readCachedBundle(model, '0.0.1'), null);
  for (let i = 0; i < MAX_ENTRIES + 5; i++) writeCachedBundle(`${model}.${i}`, '0.0.1', [unitsFile], 'x', Date.now());
  assert.ok(readdirSync(bundleCacheDir()!).filter((f) => f.endsWith('.json')).length <= MAX_ENTRIES);
  // A temp file a killed process left between write and rename is removed by the next store once stale (they stayed for
  // good); a fresh one, maybe another process's write under way, stays.
  const stale = path.join(bundleCacheDir()!, 'abc.json.4242.tmp');
  const fresh = path.join(bundleCacheDir()!, 'def.json.4243.tmp');
  writeFileSync(stale, '{');
  writeFileSync(fresh, '{');
  const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
  utimesSync(stale, old, old);
  writeCachedBundle(`${model}.again`, '0.0.1', [unitsFile], 'x', Date.now());
  const left = readdirSync(bundleCacheDir()!);
  assert.ok(!left.includes('abc.json.4242.tmp'), 'the stale temp file is gone');
  assert.ok(left.includes('def.json.4243.tmp'), 'a fresh temp file stays');
  rmSync(fresh);
});

test('an entry is trusted only as the user\'s own private, regular, sane file that lists the model file among its inputs', () => {
  const { model, units: unitsFile } = project('trust', 1);
  writeCachedBundle(model, '0.0.1', [model, unitsFile], 'module.exports = 1;', Date.now());
  const file = path.join(bundleCacheDir()!, readdirSync(bundleCacheDir()!).find((f) => f.endsWith('.json') && (JSON.parse(readFileSync(path.join(bundleCacheDir()!, f), 'utf8')) as { entry: string }).entry === model)!);
  assert.equal(readCachedBundle(model, '0.0.1'), 'module.exports = 1;');
  const good = readFileSync(file, 'utf8');
  const entry = JSON.parse(good) as Record<string, unknown>;
  // Poisoned: no inputs to hash, so it matched whatever the model file held ("POISONED BUNDLE RAN").
  writeFileSync(file, JSON.stringify({ ...entry, inputs: [], folders: [], code: 'poisoned' }));
  assert.equal(readCachedBundle(model, '0.0.1'), null);
  writeFileSync(file, JSON.stringify({ ...entry, inputs: 'x' }));
  assert.equal(readCachedBundle(model, '0.0.1'), null);
  // Writable by others (what another account could have planted): not used.
  writeFileSync(file, good);
  chmodSync(file, 0o666);
  assert.equal(readCachedBundle(model, '0.0.1'), null);
  chmodSync(file, 0o600);
  chmodSync(bundleCacheDir()!, 0o777);
  try {
    assert.equal(readCachedBundle(model, '0.0.1'), null);
  } finally {
    chmodSync(bundleCacheDir()!, 0o700);
  }
  assert.equal(readCachedBundle(model, '0.0.1'), 'module.exports = 1;');
  // Too large to be a bundle (a 2 GB sparse file there was read whole: 22 s, 2.2 GB): not read.
  truncateSync(file, MAX_ENTRY_BYTES + 1);
  const started = Date.now();
  assert.equal(readCachedBundle(model, '0.0.1'), null);
  assert.ok(Date.now() - started < 1000);
  // A FIFO there hung the run (Ctrl-C could not stop it); a folder there left a temp file per run.
  rmSync(file);
  execFileSync('mkfifo', [file]);
  assert.equal(readCachedBundle(model, '0.0.1'), null);
  rmSync(file);
  mkdirSync(file);
  writeCachedBundle(model, '0.0.1', [model, unitsFile], 'module.exports = 2;', Date.now());
  assert.equal(readCachedBundle(model, '0.0.1'), null);
  assert.deepEqual(readdirSync(bundleCacheDir()!).filter((f) => f.endsWith('.tmp')), []);
  rmSync(file, { recursive: true });
});

/** Child processes of this test process running esbuild-wasm's service (tsx runs a native esbuild of its own), each as "pid command line". */
function esbuildServices(): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-P', String(process.pid), '-f', 'esbuild-wasm/bin/esbuild --service'], { encoding: 'utf8' }).split('\n').filter((l) => l.trim() !== '');
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

test("esbuild's service process runs its wasm in V8's baseline tier only (--liftoff-only), is stopped once a bundle is built (idle, it kept 0.66 of a CPU busy through the whole run), and the next bundle starts it again", async () => {
  const saved = process.env['LRLAB_BUNDLE_CACHE'];
  process.env['LRLAB_BUNDLE_CACHE'] = 'off';
  try {
    const file = path.join(dir, 'stops.js');
    // The earlier tests' service is stopped without waiting for it: let it end first.
    for (const deadline = Date.now() + 5000; esbuildServices().length > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    for (const units of [1, 2]) {
      writeFileSync(file, `exports.units = ${units};\n`);
      let settled = false;
      const building = bundle(file).finally(() => (settled = true));
      let seen: string[] = [];
      while (seen.length === 0 && !settled) {
        seen = esbuildServices();
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal(seen.length, 1, `build ${units}: esbuild's service while the bundle is built`);
      assert.match(seen[0]!, / --liftoff-only .*esbuild-wasm\/bin\/esbuild --service=/, `build ${units}: its command line`);
      const built = await building;
      assert.match(built.code, new RegExp(`units = ${units}`));
      const deadline = Date.now() + 5000;
      while (esbuildServices().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(esbuildServices(), [], `build ${units}: esbuild's service is still running`);
    }
  } finally {
    if (saved === undefined) delete process.env['LRLAB_BUNDLE_CACHE'];
    else process.env['LRLAB_BUNDLE_CACHE'] = saved;
  }
});

// Last in this file: once a runtime has refused the flag, this process's later services start without it.
test('a runtime that no longer knows --liftoff-only ("bad option", exit 9) still bundles: the service starts again without the flag, and the refusal is not shown to the user', async () => {
  // Stands in for such a runtime: refuses the flag as node does with one it does not know, else runs node.
  const runtime = path.join(dir, 'node-without-liftoff-only.sh');
  const starts = path.join(dir, 'runtime-starts.log');
  writeFileSync(runtime, `#!/bin/sh\necho "$*" >> ${JSON.stringify(starts)}\nfor a in "$@"; do if [ "$a" = --liftoff-only ]; then echo "$0: bad option: --liftoff-only" >&2; exit 9; fi; done\nexec ${JSON.stringify(process.execPath)} "$@"\n`);
  chmodSync(runtime, 0o755);
  const savedCache = process.env['LRLAB_BUNDLE_CACHE'];
  const savedExec = process.execPath;
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.env['LRLAB_BUNDLE_CACHE'] = 'off';
  process.execPath = runtime;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    written.push(String(chunk));
    return write(chunk, ...rest);
  });
  try {
    const file = path.join(dir, 'refused.js');
    for (const units of [3, 4]) {
      writeFileSync(file, `exports.units = ${units};\n`);
      const built = await bundle(file);
      assert.match(built.code, new RegExp(`units = ${units}`), `build ${units}`);
    }
    assert.deepEqual(written.filter((w) => /bad option/.test(w)), [], 'the refusal on stderr');
    // The stand-in ran: refused once, then each build's service started without the flag.
    const lines = readFileSync(starts, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0]!, /^--liftoff-only .*esbuild --service=/);
    for (const line of lines.slice(1)) assert.match(line, /^\S*esbuild-wasm\/bin\/esbuild --service=/);
  } finally {
    process.stderr.write = write;
    process.execPath = savedExec;
    if (savedCache === undefined) delete process.env['LRLAB_BUNDLE_CACHE'];
    else process.env['LRLAB_BUNDLE_CACHE'] = savedCache;
  }
});
