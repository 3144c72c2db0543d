/**
 * The engine's V8 code cache (src/engine/launch.ts, built as dist/launch.js): a module loaded
 * through it behaves as under `require`; a successful process writes the cache and the next one
 * uses it; a rebuilt file of the same length never runs the old code (V8 checks only the length);
 * a torn or altered cache, a folder others can write, a failed run or LRLAB_CODE_CACHE=off never
 * lead to a cache being used or written; a cache of a process that ran no experiment gives way to one
 * that did. Then `lrlab` itself: the same results with and without it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { built } from '../built';
import { MAX_CACHE_FILES } from '../../src/engine/launch';

// Its real path: the launcher loads a module by its real path, as require does (macOS's /tmp is a link).
const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'lrlab-code-cache-')));
after(() => rmSync(dir, { recursive: true, force: true }));

const lib = path.join(dir, 'lib', 'engine.js');
mkdirSync(path.dirname(lib));
writeFileSync(path.join(dir, 'lib', 'dep.js'), 'module.exports = { twice: (x) => 2 * x };\n');
// The FMA module beside it, as in dist/: the launcher turns on Node 20's relaxed-SIMD flag for it.
mkdirSync(path.join(dir, 'lib', 'fma'));
copyFileSync(path.join(path.dirname(built('engine.js')), 'fma', 'gemm.wasm'), path.join(dir, 'lib', 'fma', 'gemm.wasm'));
/** A CommonJS module that uses what `require` gives a module; `VALUE` differs between builds of one length. */
const source = (value: number): string => `'use strict';
const dep = require('./dep');
const { twice } = dep;
exports.value = ${value};
exports.doubled = twice(21);
exports.where = [__filename, __dirname, module.id === __filename || module.filename === __filename, require.cache[__filename] === module];
function work(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
exports.work = work(1000);
`;
writeFileSync(lib, source(1));

/**
 * Loads `lib` through dist/launch.js in a fresh process (the script is always the same: `node -e`'s
 * script is among the Node options a cache is keyed by); what it saw, and the cache file(s) after.
 */
interface Loaded {
  readonly cache: string;
  readonly value: number;
  readonly doubled: number;
  readonly where: unknown[];
  /** TEST_WORKER=1: what a worker thread started after the main thread's load got. */
  readonly worker?: string;
  readonly files: string[];
}

function load(cacheDir: string, env: Record<string, string> = {}, exitCode = 0, nodeOptions: string[] = [], ranExperiment = false): Loaded {
  const launch = JSON.stringify(built('launch.js'));
  const script = `const l = require(${launch}).loadEngine(${JSON.stringify(lib)});
l.saveAtExit();
const seen = { cache: l.cache, value: l.exports.value, doubled: l.exports.doubled, where: l.exports.where };
process.exitCode = ${exitCode};
if (process.env.TEST_RAN_EXPERIMENT === '1') globalThis[Symbol.for('lrlab.ranExperiment')] = true;
if (process.env.TEST_WORKER !== '1') console.log(JSON.stringify(seen));
else new (require('node:worker_threads').Worker)(\`require('node:worker_threads').parentPort.postMessage(require(${launch.replace(/\\/g, '\\\\')}).loadEngine(${JSON.stringify(lib).replace(/\\/g, '\\\\')}).cache)\`, { eval: true })
  .once('message', (worker) => console.log(JSON.stringify({ ...seen, worker })));`;
  // A bound: a cache entry that blocks the open (a FIFO) hung every process.
  const r = spawnSync(process.execPath, [...nodeOptions, '-e', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LRLAB_CACHE_DIR: cacheDir, TEST_RAN_EXPERIMENT: ranExperiment ? '1' : '0', TEST_WORKER: '0', ...env } });
  assert.equal(r.status, exitCode, `${r.signal ?? ''} ${r.stderr}`);
  const code = path.join(cacheDir, 'code');
  const files = existsSync(code) ? readdirSync(code).sort() : [];
  return { ...(JSON.parse(r.stdout) as Omit<Loaded, 'files'>), files };
}

/** A file's identity and time: a cache written again is renamed into place, a new file. */
const stamp = (file: string): string => `${statSync(file).ino}:${statSync(file).mtimeMs}`;

test('a module loaded through the launcher is what require gives; the first successful process writes the cache (private), the next uses it', () => {
  const cacheDir = path.join(dir, 'cache-a');
  const first = load(cacheDir);
  assert.deepEqual({ ...first, files: first.files.length }, { cache: 'none', value: 1, doubled: 42, where: [lib, path.dirname(lib), true, true], files: 1 });
  assert.match(first.files[0]!, /^engine-[0-9a-f]{32}\.bin$/);
  const file = path.join(cacheDir, 'code', first.files[0]!);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(path.join(cacheDir, 'code')).mode & 0o777, 0o700);
  const written = stamp(file);
  const second = load(cacheDir);
  assert.equal(second.cache, 'used');
  assert.deepEqual([second.value, second.doubled], [1, 42]);
  assert.equal(stamp(file), written, 'a used cache is not written again');
});

test('a worker thread started after the main thread loaded it (a training script\'s) uses the same cache: the relaxed-SIMD flag the main thread turned on is the process\'s', () => {
  const cacheDir = path.join(dir, 'cache-w');
  const first = load(cacheDir, { TEST_WORKER: '1' });
  assert.deepEqual([first.cache, first.worker, first.files.length], ['none', 'none', 1]);
  const second = load(cacheDir, { TEST_WORKER: '1' });
  assert.deepEqual([second.cache, second.worker, second.files], ['used', 'used', first.files]);
});

test('a cache from a process that ran no experiment (the top level only) is replaced by the next process that runs one, and that one is kept', () => {
  const cacheDir = path.join(dir, 'cache-f');
  const [name] = load(cacheDir).files;
  const file = path.join(cacheDir, 'code', name!);
  const thin = stamp(file);
  assert.equal(load(cacheDir).cache, 'used');
  assert.equal(stamp(file), thin, 'another process that ran none leaves it');
  assert.equal(load(cacheDir, {}, 0, [], true).cache, 'used');
  const full = stamp(file);
  assert.notEqual(full, thin, 'one that ran an experiment writes its own');
  assert.equal(load(cacheDir, {}, 0, [], true).cache, 'used');
  assert.equal(stamp(file), full, 'which the next one keeps');
  assert.equal(load(cacheDir).cache, 'used');
  assert.equal(stamp(file), full);
});

test('a rebuilt file of the same length runs its own code, not the cached one of the old file', () => {
  const cacheDir = path.join(dir, 'cache-b');
  assert.equal(load(cacheDir).cache, 'none');
  assert.equal(load(cacheDir).cache, 'used');
  writeFileSync(lib, source(2));
  try {
    assert.equal(readFileSync(lib).length, Buffer.byteLength(source(1)));
    const rebuilt = load(cacheDir);
    assert.deepEqual([rebuilt.cache, rebuilt.value], ['none', 2]);
    assert.equal(rebuilt.files.length, 2, 'a cache of its own beside the old one');
    assert.deepEqual([load(cacheDir).cache, load(cacheDir).value], ['used', 2]);
  } finally {
    writeFileSync(lib, source(1));
  }
});

test('an altered or cut cache, a cache folder others can write, a FIFO, a failed process and LRLAB_CODE_CACHE=off: no cache used or written', () => {
  const cacheDir = path.join(dir, 'cache-c');
  const [name] = load(cacheDir).files;
  const file = path.join(cacheDir, 'code', name!);
  const whole = readFileSync(file);
  const altered = Buffer.from(whole);
  altered[altered.length - 100] = altered[altered.length - 100]! ^ 0xff;
  writeFileSync(file, altered, { mode: 0o600 });
  const before = stamp(file);
  assert.equal(load(cacheDir).cache, 'none', 'an altered cache is not handed to V8');
  assert.notEqual(stamp(file), before, 'and the process, which succeeded, wrote it again');
  const rewritten = readFileSync(file);
  writeFileSync(file, rewritten.subarray(0, rewritten.length >> 1), { mode: 0o600 });
  assert.equal(load(cacheDir).cache, 'none', 'nor a cut one');
  assert.equal(load(cacheDir).cache, 'used');

  chmodSync(path.join(cacheDir, 'code'), 0o777);
  try {
    assert.equal(load(cacheDir).cache, 'none', 'a folder anyone can write is not trusted');
  } finally {
    chmodSync(path.join(cacheDir, 'code'), 0o700);
  }
  const elsewhere = path.join(dir, 'elsewhere.bin');
  writeFileSync(elsewhere, readFileSync(file), { mode: 0o600 });
  rmSync(file);
  symlinkSync(elsewhere, file);
  assert.equal(load(cacheDir).cache, 'none', 'nor a link to one, whatever it holds');
  assert.equal(load(cacheDir).cache, 'used', 'the process that found the link wrote a file in its place');
  chmodSync(file, 0o666);
  assert.equal(load(cacheDir).cache, 'none', 'nor a file anyone can write');
  rmSync(file);
  if (process.platform !== 'win32') {
    assert.equal(spawnSync('mkfifo', ['-m', '600', file]).status, 0);
    assert.equal(load(cacheDir).cache, 'none', 'nor a FIFO, which the open must not wait on');
    assert.equal(load(cacheDir).cache, 'used', 'the process that found the FIFO wrote a file in its place');
    rmSync(file);
  }

  const failed = load(cacheDir, {}, 3);
  assert.deepEqual([failed.cache, failed.files], ['none', []], 'a process that failed writes no cache');
  const off = load(cacheDir, { LRLAB_CODE_CACHE: 'off' });
  assert.deepEqual([off.cache, off.value, off.files], ['off', 1, []]);
});

test('one cache per runtime and Node options, the newest MAX_CACHE_FILES kept; a temp file a killed writer left is removed once stale', () => {
  const cacheDir = path.join(dir, 'cache-e');
  const code = path.join(cacheDir, 'code');
  mkdirSync(code, { recursive: true, mode: 0o700 });
  const stale = path.join(code, 'engine-0123456789abcdef0123456789abcdef.bin.999.tmp');
  const fresh = path.join(code, 'engine-0123456789abcdef0123456789abcdef.bin.998.tmp');
  writeFileSync(stale, 'half a cache');
  writeFileSync(fresh, 'half a cache');
  utimesSync(stale, new Date(Date.now() - 11 * 60_000), new Date(Date.now() - 11 * 60_000));
  const written: string[] = [];
  for (const mb of [100, 101, 102, 103, 104]) {
    const before = new Set(existsSync(code) ? readdirSync(code) : []);
    const r = load(cacheDir, {}, 0, [`--max-old-space-size=${mb}`]);
    assert.equal(r.cache, 'none', 'other Node options: another cache');
    written.push(...r.files.filter((f) => !before.has(f) && f.endsWith('.bin')));
  }
  assert.equal(written.length, 5);
  const left = readdirSync(code).filter((f) => f.endsWith('.bin')).sort();
  assert.equal(left.length, MAX_CACHE_FILES);
  assert.ok(left.includes(written.at(-1)!), 'the newest is kept');
  assert.equal(existsSync(stale), false, 'a stale temp file is removed');
  assert.equal(existsSync(fresh), true, 'one that may still be written is not');
  assert.equal(load(cacheDir, {}, 0, ['--max-old-space-size=104']).cache, 'used');
});

test('a module that throws while loading: the error as require gives it, and it is not left in require.cache', () => {
  const bad = path.join(dir, 'lib', 'bad.js');
  writeFileSync(bad, "exports.before = 1;\nthrow new Error('bad module');\n");
  const script = `const launch = require(${JSON.stringify(built('launch.js'))});
try { launch.loadEngine(${JSON.stringify(bad)}); } catch (e) { console.log(e.message, ${JSON.stringify(bad)} in require.cache); }`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, LRLAB_CACHE_DIR: path.join(dir, 'cache-d') } });
  assert.equal(r.stdout.trim(), 'bad module false', r.stderr);
});

test('the engine bundle calls no import(): code from the cache cannot run one on Node 20 (the launcher gives it none)', () => {
  const bundle = readFileSync(built('engine.js'), 'utf8');
  const calls = [...bundle.matchAll(/(?<![\w$.])import\s*\(/g)].map((m) => bundle.slice(Math.max(0, m.index - 60), m.index + 40).replace(/\s+/g, ' '));
  // BullMQ's sandboxed processors (a processor given as a file): LR Lab's workers pass a function.
  assert.deepEqual(calls.filter((c) => !c.includes('{ default: processorFn } = await import(processorFile)')), []);
  assert.equal(calls.length, 1, calls.join('\n'));
});

test('lrlab: a command that runs no experiment writes a cache of the top level; find-lr replaces it with its own, uses it the next time and gives the same result as without it', () => {
  const tiny = path.join(__dirname, '..', 'fixtures', 'engine', 'tinyClassifier.js');
  const bin = path.join(__dirname, '..', '..', 'bin', 'lrlab');
  const cacheDir = path.join(dir, 'cache-cli');
  const run = (env: Record<string, string> = {}): { points: unknown; recommended: unknown } => {
    const r = spawnSync(process.execPath, [bin, 'find-lr', tiny, '--steps', '20', '--range-tests', '1', '--lr-trials', '0', '--seed', '3', '--json'], { encoding: 'utf8', env: { ...process.env, LRLAB_CACHE_DIR: cacheDir, ...env }, timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { points: unknown; recommended: unknown };
    return { points: json.points, recommended: json.recommended };
  };
  const plain = run({ LRLAB_CODE_CACHE: 'off' });
  assert.equal(existsSync(path.join(cacheDir, 'code')), false);
  const schedule = spawnSync(process.execPath, [bin, 'schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '10', '--json'], { encoding: 'utf8', env: { ...process.env, LRLAB_CACHE_DIR: cacheDir } });
  assert.equal(schedule.status, 0, schedule.stderr);
  const [name, ...others] = readdirSync(path.join(cacheDir, 'code'));
  assert.deepEqual(others, []);
  const file = path.join(cacheDir, 'code', name!);
  const thin = statSync(file).size;
  const first = run();
  assert.deepEqual(readdirSync(path.join(cacheDir, 'code')), [name], 'the same Node, options and bundle: the same file');
  const written = statSync(file).mtimeMs;
  assert.ok(statSync(file).size > 1.5 * thin, `find-lr's cache holds the functions it ran: ${statSync(file).size} bytes, the schedule's ${thin}`);
  const second = run();
  assert.equal(statSync(file).mtimeMs, written, 'the second run used the cache (a process that used none writes one)');
  assert.deepEqual(first, plain);
  assert.deepEqual(second, plain);
});
