/**
 * `dist/launch.js`: loads the engine bundle (`dist/engine.js`: 8.6 MB built for development and
 * npm, 4.6 MB minified in the VSIX) with a V8 code cache, so a
 * process does not compile it from scratch each time it starts. Every engine process starts this
 * way: `lrlab` (bin/lrlab calls `loadEngine`), the editor's engines, child runs, `lrlab worker`'s
 * processes (`node dist/launch.js dist/engine.js …`: the launcher takes itself out of process.argv,
 * so the engine sees what `node dist/engine.js …` gives it, and `dist/engine.js` stays on the
 * command line for `ps` and `pgrep -f`) and script workers.
 *
 * What it saves is measured in bench/README.md ("Starting the engine"): compiling was ~125 ms of the
 * ~300 that loading the bundle took on a 2-CPU machine, with V8's lazy compiling during a run on top.
 *
 * The cache (`code/engine-<key>.bin` in LR Lab's cache folder, `cacheDir.ts`) holds what V8 made
 * of the bundle at the end of a successful run: the functions that ran, compiled, not only the top
 * level. One written by a process that ran no experiment (`lrlab --help`) holds little more than the
 * top level and is replaced by the next that runs one (a 10-step `find-lr` of a tiny model, 6
 * alternating runs: 0.73 s with that cache, 0.675 s with a full one, 0.77 s without). V8 checks a cache against its own version and flags, but against the source only by its
 * length: a rebuilt bundle of the same length would run the old code. So the file's name carries
 * the SHA-256 of the bundle's bytes (and the V8 version, CPU, Node options, NODE_OPTIONS), and the
 * file itself the SHA-256 of what it holds, checked before V8 sees it (a torn or cut file is never
 * used; the digest is no signature: the folder and file being the user's alone keep others out).
 * Private to the user like the bundle cache (a folder and file no other account can write).
 *
 * V8's flags are part of what a cache is made under, and the engine turns on Node 20's relaxed-SIMD
 * flag when it loads its FMA kernels (src/engine/wasmKernels/fmaGemm.ts): a cache made after that
 * would never match the next start. So the launcher turns it on first, the same way, when the
 * runtime needs it.
 *
 * `LRLAB_CODE_CACHE=off` loads the bundle as a plain `require`. Anything else that goes wrong
 * (no cache folder, a read-only one, a runtime without what this needs) is only a slower start.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import { cacheRoot, experimentRan, ownedPrivately, privatelyOwned } from './cacheDir';
import { relaxedSimd } from './wasmKernels/relaxedSimd';

/** What became of the cache: `used`; `rejected` by V8 (another V8 build or flags); `none` found; `off`. */
export type CodeCacheOutcome = 'used' | 'rejected' | 'none' | 'off';

export interface LoadedEngine {
  /** The bundle's `module.exports`. */
  readonly exports: unknown;
  readonly cache: CodeCacheOutcome;
  /** Writes the cache from what has been compiled so far; false where it could not (or the cache is off). */
  save(): boolean;
  /**
   * On the main thread: at exit with code 0, writes the cache where none was used, or where the one
   * used was written by a process that ran no experiment and this one ran one. Call it once the
   * engine's own work has started: an exit handler the engine adds later (the CLI's, which can still
   * turn a user's `process.exit(0)` into a failure) then runs before this one.
   */
  saveAtExit(): void;
}

const MAGIC = Buffer.from('LRLABCC2');
/** After the magic: 1 where the writer had run an experiment (`experimentRan`), else 0. */
const RAN_BYTES = 1;
const DIGEST_BYTES = 32;
const HEADER_BYTES = MAGIC.length + RAN_BYTES + DIGEST_BYTES;
/** A cache is a few megabytes; a larger file there is not read. */
export const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** Cache files kept (one per bundle × runtime × Node options): the oldest beyond these are removed. */
export const MAX_CACHE_FILES = 4;
/** A temp file older than this was left by a process killed between write and rename. */
const STALE_TEMP_MS = 10 * 60_000;

const sha256 = (data: string | Uint8Array): Buffer => createHash('sha256').update(data).digest();

/** The folder of the engine's code caches, or null when there is none to use. */
export function codeCacheDir(): string | null {
  if (process.env['LRLAB_CODE_CACHE'] === 'off') return null;
  const root = cacheRoot();
  return root === null ? null : path.join(root, 'code');
}

/**
 * Turns on Node 20's relaxed-SIMD flag where the engine's FMA module needs it (as fmaGemm.ts would
 * later), and says whether relaxed SIMD is there now — not how it got there: V8's flags are the
 * process's, so a script worker started after the main thread turned the flag on finds it on, and
 * must find the main thread's cache.
 */
function ensureRelaxedSimd(engineFile: string): string {
  const gemm = path.join(path.dirname(engineFile), 'fma', 'gemm.wasm');
  try {
    if (!existsSync(gemm)) return 'no fma';
    return relaxedSimd(readFileSync(gemm)) ? 'relaxed simd' : 'no relaxed simd';
  } catch {
    return 'unknown';
  }
}

/** The digest a cache file carries: of its "ran" byte and its data. */
const digestOf = (ran: Buffer, data: Buffer): Buffer => createHash('sha256').update(ran).update(data).digest();

/**
 * The cached data in `file` (and whether its writer ran an experiment), if it is the user's own,
 * whole and as written; else null. The file is opened without following a link and checked on what
 * was opened (no swap between the check and the read); the digest finds a torn or cut file — it is
 * no signature: what keeps other accounts out is that the folder and file are the user's alone.
 */
function readCache(dir: string, file: string): { readonly data: Buffer; readonly ran: boolean } | null {
  let fd: number | null = null;
  try {
    if (!ownedPrivately(dir, 'folder')) return null;
    // Non-blocking: a FIFO put in its place would block the open (every lrlab command hung, even
    // `lrlab version`); opened at once, fstat then finds it is no file.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    if (!privatelyOwned(fstatSync(fd), 'file', MAX_CACHE_BYTES)) return null;
    const bytes = readFileSync(fd);
    if (bytes.length <= HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    const ran = bytes.subarray(MAGIC.length, MAGIC.length + RAN_BYTES);
    const data = bytes.subarray(HEADER_BYTES);
    if (!digestOf(ran, data).equals(bytes.subarray(MAGIC.length + RAN_BYTES, HEADER_BYTES))) return null;
    return { data, ran: ran[0] === 1 };
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Written whole under a temporary name, then renamed: a reader never sees half a file. */
function writeCache(dir: string, file: string, data: Buffer, ranExperiment: boolean): boolean {
  let temporary: string | null = null;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedPrivately(dir, 'folder')) return false;
    temporary = `${file}.${process.pid}.tmp`;
    const ran = Buffer.from([ranExperiment ? 1 : 0]);
    writeFileSync(temporary, Buffer.concat([MAGIC, ran, digestOf(ran, data), data]), { mode: 0o600 });
    renameSync(temporary, file);
    temporary = null;
    try {
      prune(dir, file);
    } catch {
      // the cache is written; the next writer prunes
    }
    return true;
  } catch {
    try {
      if (temporary !== null) rmSync(temporary, { force: true });
    } catch {
      // left for the next writer to remove
    }
    return false;
  }
}

/** Removes stale temp files and all but the newest MAX_CACHE_FILES caches (`kept` among them); a file another process removed meanwhile is passed over. */
function prune(dir: string, kept: string): void {
  const now = Date.now();
  const entries: { name: string; file: string; at: number }[] = [];
  for (const name of readdirSync(dir).filter((n) => /^engine-[0-9a-f]+\.bin(\.\d+\.tmp)?$/.test(n))) {
    try {
      entries.push({ name, file: path.join(dir, name), at: statSync(path.join(dir, name)).mtimeMs });
    } catch {
      // gone meanwhile
    }
  }
  for (const e of entries.filter((x) => x.name.endsWith('.tmp') && now - x.at > STALE_TEMP_MS)) rmSync(e.file, { force: true });
  const caches = entries.filter((x) => x.name.endsWith('.bin') && x.file !== kept).sort((a, b) => b.at - a.at);
  for (const e of caches.slice(MAX_CACHE_FILES - 1)) rmSync(e.file, { force: true });
}

function plainRequire(engineFile: string): LoadedEngine {
  return { exports: require(engineFile) as unknown, cache: 'off', save: () => false, saveAtExit: () => undefined };
}

interface ModuleInternals {
  _cache: Record<string, unknown>;
  _nodeModulePaths(dir: string): string[];
  wrap(source: string): string;
}

/**
 * Loads `engineFile` as `require` would (its own `module`, `require`, `__filename`, `__dirname`,
 * in `require.cache`, by its real path), compiled from the code cache where one matches.
 */
export function loadEngine(engineFile: string): LoadedEngine {
  let file = path.resolve(engineFile);
  try {
    file = realpathSync(file);
  } catch {
    return plainRequire(file); // its own error, as require gives it
  }
  const internals = Module as unknown as ModuleInternals;
  const dir = codeCacheDir();
  if (dir === null || typeof internals._nodeModulePaths !== 'function' || internals._cache[file] !== undefined) return plainRequire(file);
  const relaxed = ensureRelaxedSimd(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return plainRequire(file); // its own error, as require gives it
  }
  // V8 flags come from the command line and from NODE_OPTIONS (a --max-old-space-size there changes
  // V8's flag hash too: two such environments would reject and rewrite each other's cache).
  const key = sha256([sha256(bytes).toString('hex'), process.versions.v8, process.arch, JSON.stringify(process.execArgv), process.env['NODE_OPTIONS'] ?? '', relaxed].join('\n')).toString('hex').slice(0, 32);
  const cacheFile = path.join(dir, `engine-${key}.bin`);
  const found = readCache(dir, cacheFile);
  const cachedData = found?.data;
  const thinCache = found?.ran === false;
  // The build writes the bundle in ASCII (esbuild.mjs): read so, it is a one-byte string, a copy,
  // not 8.6 MB of UTF-8 decoded into a two-byte one (56 ms here before).
  const source = typeof isAscii === 'function' && isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8').replace(/^\uFEFF/, '');
  // No `importModuleDynamically`: Node 20 loses it on code that comes from a cache, so `import()` in the
  // bundle would work on the first start and fail on the next. It fails on every start instead, and
  // the engine has none (test/engine/codeCache.test.ts reads the bundle for one).
  const script = new vm.Script(internals.wrap(source), { filename: file, cachedData });
  const cache: CodeCacheOutcome = cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'used';
  const mod = new Module(file, module) as Module & { filename: string; paths: string[]; loaded: boolean };
  mod.filename = file;
  mod.paths = internals._nodeModulePaths(path.dirname(file));
  internals._cache[file] = mod;
  try {
    const wrapper = script.runInThisContext() as (this: unknown, ...args: unknown[]) => void;
    wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  } catch (error) {
    delete internals._cache[file];
    throw error;
  }
  mod.loaded = true;
  const save = (): boolean => {
    try {
      return writeCache(dir, cacheFile, script.createCachedData(), experimentRan());
    } catch {
      return false; // at exit: a cache that cannot be made is only a slower next start, never a stack trace
    }
  };
  let registered = false;
  const saveAtExit = (): void => {
    if (registered || !isMainThread) return;
    registered = true;
    process.once('exit', (code) => {
      // None used, or one holding the top level only where this process ran an experiment: V8 compiles
      // a function when it first runs, and a cache holds what had been compiled when it was written.
      if (code === 0 && (process.exitCode ?? 0) === 0 && (cache !== 'used' || (thinCache && experimentRan()))) save();
    });
  };
  return { exports: mod.exports, cache, save, saveAtExit };
}

/**
 * `node dist/launch.js dist/engine.js [args…]`: the engine as if started as `node dist/engine.js
 * [args…]` (LRLAB_ENGINE=ipc serves the editor; LRLAB_ENGINE=cli runs the command in args).
 */
if (require.main === module) {
  const engineFile = process.argv[2];
  if (engineFile === undefined || !engineFile.endsWith('.js')) {
    process.stderr.write(`lrlab: dist/launch.js starts the engine: node dist/launch.js dist/engine.js [command …], got ${engineFile ?? 'nothing'}.\n`);
    process.exit(2);
  }
  process.argv.splice(1, 1);
  const engine = loadEngine(engineFile);
  if (isMainThread && process.env['LRLAB_ENGINE'] === 'cli') {
    delete process.env['LRLAB_ENGINE'];
    (engine.exports as { cliMain(): void }).cliMain();
  }
  engine.saveAtExit();
}
