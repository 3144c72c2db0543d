/**
 * Multi-threaded tfjs-backend-wasm under Node, confined to the engine's own process.
 *
 * tfjs-backend-wasm 4.22 never takes its threaded build under Node (`WASM_HAS_MULTITHREAD_SUPPORT`
 * answers false for Node), and its browser loading path cannot work there as shipped:
 * - it hands Emscripten a `blob:` URL for the pthread worker script, which Node's
 *   `worker_threads.Worker` cannot load — so we write the worker script to a real file (a
 *   private temp folder of this process) and answer that path for it;
 * - the worker then loads the main script from a `Blob` the same way — our copy of the worker
 *   loads the package's own Emscripten glue (`tfjs-backend-wasm-threaded-simd.js`) by path instead;
 * - the XNNPACK pool is capped at half the logical CPUs (`emscripten_num_logical_cores() / 2`, for
 *   hyper-threads), i.e. one thread on a 2-CPU machine; while the module starts, `os.cpus()`
 *   answers twice the requested count, so the pool gets exactly `threads`;
 * - Emscripten `unref`s its workers, so nothing keeps Node's event loop alive while they load:
 *   a timer does, until the backend is up.
 * Only XNNPACK's kernels (conv, pooling) and LR Lab's FMA module (matmuls, conv filter gradients:
 * its own workers on the same shared heap, `wantedFmaThreads`) run in parallel; the rest stays on
 * the main thread.
 *
 * Any failure is reported with its reason and the caller falls back to the single-thread build
 * (never silently): see `loadWasm` in tfjs.ts.
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { addressSpaceLimit } from './memoryLimit';
import { processExists } from './childProcesses';

/** Emscripten's threaded glue and its worker script, as tfjs-backend-wasm ships them (wasm-out/). */
export const THREADED_GLUE = 'tfjs-backend-wasm-threaded-simd.js';
export const THREADED_WORKER_MODULE = 'tfjs-backend-wasm-threaded-simd.worker.js';
export const THREADED_WASM = 'tfjs-backend-wasm-threaded-simd.wasm';
/** The pool Emscripten pre-creates in this build (PTHREAD_POOL_SIZE); more would deadlock at start. */
export const MAX_WASM_THREADS = 8;

/**
 * Whether this process is an engine process that owns its lifetime (the CLI, or the extension's
 * engine child): only those start worker threads. Tests and benchmarks that load the engine
 * in-process stay single-threaded unless they ask (`threads` of loadTf, or LRLAB_WASM_THREADS).
 */
let ownsProcess = false;
export function engineOwnsProcess(): void {
  ownsProcess = true;
}

/** Whether this process is an engine (the CLI, or one served over IPC), not a test or host loading engine code. */
export function isEngineProcess(): boolean {
  return ownsProcess;
}

/**
 * How many threads the engine asks for: `LRLAB_WASM_THREADS`, else half the logical CPUs in an
 * engine process (at least one, capped at the pool). Half, as tfjs does for the browser: the
 * pool's threads spin while they wait for each other, so a pool as large as the machine collapses
 * the moment anything else wants a CPU — the editor drawing the chart, a browser, a build. Measured
 * on 2 CPUs with one other busy process (`yes`): a 16-unit MLP 5.0× slower on two threads than on
 * one (58.9 s vs 9.3 s for 5,000 steps), the MNIST CNN 1.3× slower (8.2 s vs 6.5 s per 100 steps);
 * on an idle machine two threads gained 8% on the CNN and lost on the MLP.
 */
export function wantedWasmThreads(): number {
  // Under an address-space limit (ulimit -v) every wasm thread's reservation counts: one thread.
  const n = threadsFromEnv('LRLAB_WASM_THREADS') ?? (ownsProcess && addressSpaceLimit() === null ? Math.floor(os.cpus().length / 2) : 1);
  return Math.max(1, Math.min(MAX_WASM_THREADS, n));
}

/** A positive thread count from the environment variable `name`, or null (unset or unreadable: `threadsEnvNote` says which). */
function threadsFromEnv(name: string): number | null {
  const text = process.env[name] ?? '';
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * What the thread variables set here do not do as written, for the backend's note, or `null`: a value
 * that is not a whole number of 1 or more is ignored, one over MAX_WASM_THREADS is capped (both were
 * silent: `LRLAB_WASM_THREADS=abc` ran as unset, `=1000` ran 8 threads on 2 CPUs without a word).
 */
export function threadsEnvNote(): string | null {
  const notes: string[] = [];
  for (const name of ['LRLAB_WASM_THREADS', 'LRLAB_FMA_THREADS']) {
    const text = process.env[name];
    if (text === undefined || text === '') continue;
    const n = threadsFromEnv(name);
    if (n === null) notes.push(`${name}=${JSON.stringify(text)} is not a whole number of threads (1 or more): ignored`);
    else if (n > MAX_WASM_THREADS) notes.push(`${name}=${n} is over the ${MAX_WASM_THREADS} threads LR Lab runs: ${MAX_WASM_THREADS}`);
    else if (n > os.cpus().length) notes.push(`${name}=${n} is more threads than this machine's ${os.cpus().length} CPUs: they take turns, which is slower than ${os.cpus().length}`);
  }
  return notes.length === 0 ? null : notes.join('; ');
}

/**
 * How many threads LR Lab's FMA module runs (its matmuls, conv filter gradients): `LRLAB_FMA_THREADS`,
 * else `LRLAB_WASM_THREADS`, else the logical CPUs XNNPACK's extra threads leave in an engine process
 * (at most MAX_WASM_THREADS), else one. Unlike XNNPACK's pool its workers block on `Atomics.wait` between jobs after a short spin,
 * so a CPU taken by something else costs a job its share, not a collapse; the CPUs left to
 * XNNPACK's own pool threads (half the CPUs, the caller's included) are not counted (on 4 CPUs: 2
 * XNNPACK threads, 3 FMA threads; only 2 CPUs were measured). Measured on 2 CPUs
 * (`find-lr`, batch 128; XNNPACK on one thread either way): idle, two FMA threads 248 → 292
 * steps/s on MLP 784-256-10 and 35 → 39.5 on the MNIST CNN; beside a busy process (`yes`) 223 →
 * 200 and 34 → 33, where two XNNPACK threads fell to 116 and 26.
 */
export function wantedFmaThreads(): number {
  const pinned = threadsFromEnv('LRLAB_FMA_THREADS') ?? threadsFromEnv('LRLAB_WASM_THREADS');
  if (pinned !== null) return Math.min(MAX_WASM_THREADS, pinned);
  if (!ownsProcess || addressSpaceLimit() !== null) return 1;
  // XNNPACK's pool threads beyond the caller may still spin while our job runs: leave each its CPU.
  const xnnpackOthers = wantedWasmThreads() - 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, os.cpus().length - xnnpackOthers));
}

interface EmscriptenWorkers {
  PThread?: { runningWorkers?: { unref?: () => void }[]; unusedWorkers?: { unref?: () => void }[] };
}

/**
 * Emscripten refs a worker while it runs a thread, and XNNPACK's pool threads never end: without
 * this, a process that used the threaded build would never exit on its own.
 */
export function unrefWorkers(module: unknown): void {
  const pthread = (module as EmscriptenWorkers).PThread;
  for (const worker of [...(pthread?.runningWorkers ?? []), ...(pthread?.unusedWorkers ?? [])]) worker.unref?.();
}

export interface ThreadFiles {
  /** Absolute path of the worker script we wrote. */
  readonly worker: string;
  readonly cleanup: () => void;
}

/** Where the glue and worker module are: next to the .wasm files (the bundle), else the package's wasm-out/. */
function findThreadFiles(wasmDir: string): { glue: string; workerModule: string } | string {
  const candidates = [path.join(wasmDir, 'wasm-threads')];
  try {
    const require = createRequire(__filename);
    candidates.push(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out'));
  } catch {
    // the package is not resolvable from a bundle; the copy next to it is the one
  }
  for (const dir of candidates) {
    const glue = path.join(dir, THREADED_GLUE);
    const workerModule = path.join(dir, THREADED_WORKER_MODULE);
    if (existsSync(glue) && existsSync(workerModule)) return { glue, workerModule };
  }
  return `${THREADED_GLUE} and ${THREADED_WORKER_MODULE} are missing from ${candidates.join(' and ')}`;
}

/** Emscripten's worker loads the main script from what it is sent; ours loads the glue file by path. */
const LOAD_MAIN_SCRIPT = /if\(typeof e\.data\.urlOrBlob=="string"\)\{importScripts\(e\.data\.urlOrBlob\)\}else\{[^}]*\}/;

/** The private temp folder of an engine's worker script: `lrlab-wasm-threads-<pid>-<random>`. */
const THREAD_FOLDER_PREFIX = 'lrlab-wasm-threads-';
const STALE_CANDIDATE = /^lrlab-wasm-threads-(\d+)-/;

/**
 * Removes the worker-script folders of engines that are gone: a process killed outright (the
 * editor's cancel, a crash) never runs its exit cleanup, and each left a folder in the temp
 * directory (a test run left 17). Only folders named with a pid, that are directories of this user
 * (not links), whose process no longer exists; anything else is left alone, and a failure to sweep
 * never stops a run.
 */
function sweepStaleThreadFolders(): void {
  const tmp = os.tmpdir();
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  let names: string[];
  try {
    names = readdirSync(tmp);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = STALE_CANDIDATE.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || processExists(Number(pid))) continue;
    try {
      const folder = path.join(tmp, name);
      const stat = lstatSync(folder);
      if (!stat.isDirectory() || (uid !== null && stat.uid !== uid)) continue;
      rmSync(folder, { recursive: true, force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}

/** Checks what threads need and writes the worker script; a string is the reason they cannot run. */
export function prepareThreadFiles(wasmDir: string): ThreadFiles | string {
  if (typeof SharedArrayBuffer !== 'function') return 'this Node has no SharedArrayBuffer';
  if (!existsSync(path.join(wasmDir, THREADED_WASM))) return `${THREADED_WASM} is missing from ${wasmDir}`;
  const found = findThreadFiles(wasmDir);
  if (typeof found === 'string') return found;
  let contents: unknown;
  try {
    contents = (createRequire(__filename)(found.workerModule) as { wasmWorkerContents?: unknown }).wasmWorkerContents;
  } catch (error) {
    return `${found.workerModule} cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof contents !== 'string') return `${found.workerModule} has no wasmWorkerContents`;
  // tfjs escapes newlines the same way before making its Blob: the text holds "\n" inside string literals.
  const original = contents.replace(/\n/g, '\\n');
  const patched = original.replace(LOAD_MAIN_SCRIPT, `importScripts(${JSON.stringify(found.glue)});`);
  if (patched === original) return `the worker script of tfjs-backend-wasm has an unexpected shape (${found.workerModule})`;
  sweepStaleThreadFolders();
  // A TMPDIR that is missing, read-only or full (`TMPDIR=/nonexistent`) means one thread, said in the
  // backend's note: it ended every wasm run with "internal error: ENOENT … mkdtemp".
  let dir: string | null = null;
  let worker: string;
  try {
    dir = mkdtempSync(path.join(os.tmpdir(), `${THREAD_FOLDER_PREFIX}${process.pid}-`));
    worker = path.join(dir, THREADED_WORKER_MODULE);
    writeFileSync(worker, patched);
  } catch (error) {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    const code = (error as { code?: unknown }).code;
    return `its worker script cannot be written to the temporary folder ${os.tmpdir()} (${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)}): set TMPDIR to a folder you can write to`;
  }
  const made = dir;
  const cleanup = (): void => rmSync(made, { recursive: true, force: true });
  process.once('exit', cleanup);
  return { worker, cleanup };
}

/**
 * Where the engine bundle's copy of the threaded glue reads how many Emscripten workers to create
 * up front (esbuild.mjs patches its fixed 8): each loads the whole module, ~0.3 s of a 2-CPU
 * machine's start for workers nobody uses when XNNPACK gets one or two threads. The pool must hold
 * every thread XNNPACK starts (it creates `threads - 1`; one more never hurts), or its start
 * deadlocks waiting for a worker that cannot load while the main thread waits. With one XNNPACK
 * thread (the threaded build only for the FMA module's shared heap, as on 2 CPUs) it starts none and
 * the pool is empty (esbuild.mjs lets the glue go on without waiting for workers then): that one
 * worker cost ~70 ms of every engine start's wall time before (`loadWasm` 146–186 ms → 87–97 ms on 2
 * CPUs). Code that loads the package itself (tests in-process) keeps the 8.
 */
export const PTHREAD_POOL = Symbol.for('lrlab.pthreadPool');

/**
 * Runs `start` (the `setBackend('wasm')` call) with the patches the threaded build needs in
 * place, and takes them all off again, whatever happens.
 */
export async function withThreadPatches<T>(files: ThreadFiles, threads: number, start: () => Promise<T>): Promise<T> {
  // The real `os` module object, the one tfjs-backend-wasm's glue calls `cpus()` on.
  const osModule = createRequire(__filename)('node:os') as { cpus: () => os.CpuInfo[] };
  const realCreateObjectURL = URL.createObjectURL.bind(URL);
  const realCpus = osModule.cpus;
  URL.createObjectURL = (blob: Blob): string => (blob instanceof Blob && blob.type === 'application/javascript' ? files.worker : realCreateObjectURL(blob));
  osModule.cpus = (): os.CpuInfo[] => {
    const all = realCpus.call(osModule);
    const one = all[0];
    return one === undefined ? all : Array.from({ length: 2 * threads }, () => one);
  };
  const keepAlive = setInterval(() => undefined, 200);
  (globalThis as Record<symbol, unknown>)[PTHREAD_POOL] = threads > 1 ? threads : 0;
  try {
    return await start();
  } finally {
    clearInterval(keepAlive);
    delete (globalThis as Record<symbol, unknown>)[PTHREAD_POOL];
    URL.createObjectURL = realCreateObjectURL;
    osModule.cpus = realCpus;
  }
}
