/**
 * The only file that loads TensorFlow.js. Everything else receives `tf` by injection.
 *
 * Backend order for `auto` (design.md): the workspace's own `@tensorflow/tfjs-node(-gpu)` (then
 * the whole tf namespace is the workspace's), LR Lab's optional tfjs-node, the bundled tfjs with
 * the WebAssembly backend, and last the pure-JS `cpu` backend — never silently: the report's
 * note says why a faster option was not used. An explicit `tensorflow|wasm|cpu` works or throws.
 *
 * Two copies of tfjs must never run in one process: every tfjs-core registers itself in the same
 * global engine and kernel registry, so tensors and kernels of two copies collide. Hence every
 * candidate is `require`d lazily, one at a time, and a tfjs-node whose native addon was never
 * built is rejected *before* it is required (requiring it would load its tfjs and then fail).
 *
 * Beside it: `tfjsNodeCandidates.ts` finds the tfjs-node packages (without loading them),
 * `fileSystemIO.ts` gives the bundled tfjs the `file://` model IO that tfjs-node has.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type * as tfjsWasm from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { BackendChoice, BackendReport } from '../protocol/results';
import { limitedMemoryHelp } from './memoryLimit';
import { LrLabError } from '../protocol/errors';
import { firstLine } from './errorMapping';
import { registerFileRouters } from './fileSystemIO';
import { seedDatasetShuffles } from './seed';
import type { NodeCandidate } from './tfjsNodeCandidates';
import { extensionCandidate, missingAddon, notTfjs4, rebuildFix, where, workspaceCandidate } from './tfjsNodeCandidates';
import { FMA_KERNELS, installCpuTrainingKernels, installWasmTrainingKernels, matmulLabel } from './wasmKernels';
import { THREADED_WASM, prepareThreadFiles, threadsEnvNote, unrefWorkers, withThreadPatches } from './wasmThreads';
import { watchWasmHeap } from './wasmHeapWatch';

/** The `@tensorflow/tfjs` namespace (tfjs-node's is a superset of it). */
export type Tf = typeof tfjs;

export interface LoadTfOptions {
  readonly backend: BackendChoice;
  /** The user's workspace: its `node_modules` may hold its own tfjs-node. */
  readonly workspaceDir?: string | undefined;
  /** Folder holding tfjs-backend-wasm's `.wasm` files (else next to this bundle, else the package's `dist/`). */
  readonly wasmDir?: string | undefined;
  /**
   * Threads for the wasm backend (default 1). The engine's run path asks for one per CPU
   * (wasmThreads.ts: `wantedWasmThreads`); a threaded start that fails falls back to the
   * single-thread build and says why in the report's note.
   */
  readonly threads?: number | undefined;
  /**
   * Threads for LR Lab's FMA module (its own workers on the threaded build's shared heap; default
   * `threads`): the engine asks for every CPU (wasmThreads.ts: `wantedFmaThreads`). More than one
   * starts the threaded build even when the backend's own pool gets one thread.
   */
  readonly fmaThreads?: number | undefined;
}

export interface LoadedTf {
  readonly tf: Tf;
  readonly report: BackendReport;
}

/** Node always has SIMD and never gets tfjs's threaded build (`WASM_HAS_MULTITHREAD_SUPPORT` is false under Node). */
const WASM_SIMD_FILE = 'tfjs-backend-wasm-simd.wasm';
const WASM_PLAIN_FILE = 'tfjs-backend-wasm.wasm';
const SPEED_HINT = 'install @tensorflow/tfjs-node for speed';

/** A faster backend that is not usable here: in `auto` a reason for the note, explicitly an error. */
class Unavailable extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

function majorOf(version: string): number {
  return Number.parseInt(version.split('.')[0] ?? '', 10);
}

/** tfjs prints advice and failed-init noise on the console; we report it ourselves, and stdout may carry `--json`. */
async function quietly<T>(work: () => Promise<T> | T): Promise<{ value: T; noise: string[] }> {
  const noise: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  const capture = (...args: unknown[]): void => {
    noise.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' '));
  };
  Object.assign(console, { log: capture, warn: capture, error: capture, info: capture });
  try {
    return { value: await work(), noise };
  } finally {
    Object.assign(console, saved);
  }
}

// ---------------------------------------------------------------------------------------------
// One tfjs per process

interface TfGlobals {
  _tfGlobals?: Map<string, unknown>;
}

/** The Tensor class of the first tfjs-core loaded in this process (tfjs-core records it in a global map). */
function firstTensorClass(): unknown {
  return (globalThis as TfGlobals)._tfGlobals?.get('Tensor');
}

let bundledRequired = false;
/** A tfjs-node that failed after its own tfjs had loaded: what to tell the user if ours then collides with it. */
let stranded: { readonly message: string; readonly fix: string } | null = null;

/** The tf namespace LR Lab ships (inlined in dist/engine.js; from node_modules in development). */
function requireBundled(): Tf {
  const first = firstTensorClass();
  const tf = require('@tensorflow/tfjs') as Tf;
  bundledRequired = true;
  if (first !== undefined && first !== tf.Tensor) {
    const message = stranded === null ? 'Another copy of TensorFlow.js (a tfjs-node) is already loaded in this engine process' : `${stranded.message}, after loading its own copy of TensorFlow.js`;
    throw new LrLabError('backend', `${message}; LR Lab cannot run its own beside it.`, {
      fix: stranded?.fix ?? 'Start a new run (a new lrlab command, or rerun in VS Code) with the backend you want.',
      option: 'backend',
    });
  }
  quietCpuBackend(tf);
  return tf;
}

/** tfjs-backend-cpu registers itself with this priority (below wasm's). */
const CPU_PRIORITY = 1;
/** The cpu factories `quietCpuBackend` registered (one per tfjs loaded: the engine's, a script worker's). */
const quietFactories = new WeakSet<object>();

/**
 * tfjs's cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js. To speed
 * things up dramatically, install our node backend …" on its first tensor under Node: noise beside
 * a report that names the backend that ran (and says, in its note, why a faster one did not). Every
 * instance starts quiet, whenever tfjs makes one — `--backend cpu`, the fallback, or one tfjs
 * starts on its own — in the engine and in a training script's worker alike. `IS_TEST` or `PROD`
 * would silence it too, but also the backend start failures `quietly` reads its reasons from, and
 * `IS_TEST` turns on tfjs's leak checks.
 */
function quietCpuBackend(tf: Tf): void {
  const quieted = (backend: object): void => {
    if (Reflect.get(backend, 'firstUse') === true) Reflect.set(backend, 'firstUse', false);
  };
  const made = tf.engine().registry['cpu'];
  if (made !== undefined) {
    quieted(made);
    return;
  }
  const factory = tf.findBackendFactory('cpu');
  if (factory === null || quietFactories.has(factory)) return;
  const quiet = (): ReturnType<typeof factory> => {
    const backend = factory();
    if (backend instanceof Promise) {
      return backend.then((b) => {
        quieted(b);
        return b;
      });
    }
    quieted(backend);
    return backend;
  };
  quietFactories.add(quiet);
  tf.removeBackend('cpu');
  tf.registerBackend('cpu', quiet, CPU_PRIORITY);
}

/**
 * Whether requiring `candidate` would start a second tfjs-core next to one already loaded. Unknown
 * (its tfjs-core cannot be resolved from it) counts as no: the check after loading still runs.
 */
function wouldLoadSecondTfjs(candidate: NodeCandidate): boolean {
  const first = firstTensorClass();
  if (first === undefined) return false;
  let core: string;
  try {
    core = createRequire(candidate.entry).resolve('@tensorflow/tfjs-core');
  } catch {
    return false;
  }
  const loaded = require.cache[core] as { exports?: { Tensor?: unknown } } | undefined;
  if (loaded?.exports?.Tensor === first) return false;
  // The loaded one is LR Lab's own (inlined in the bundle, or another file on disk).
  return bundledRequired || loaded === undefined;
}

// ---------------------------------------------------------------------------------------------
// tfjs-node: the workspace's, then LR Lab's own optional dependency (found by tfjsNodeCandidates.ts)

async function loadNode(candidate: NodeCandidate, requested: BackendChoice): Promise<LoadedTf> {
  if (candidate.broken !== undefined) throw new Unavailable(`${where(candidate)} ${candidate.broken}`, `Reinstall it (npm install ${candidate.name}), or use --backend wasm.`);
  const packageJson = path.join(candidate.dir, 'package.json');
  // Refuse an old tfjs before loading it: loading is what cannot be undone.
  if (candidate.version !== null && majorOf(candidate.version) !== 4) throw notTfjs4(candidate, candidate.version, packageJson);
  const addon = missingAddon(candidate);
  if (addon !== null) throw new Unavailable(addon, rebuildFix(candidate));
  if (wouldLoadSecondTfjs(candidate)) {
    throw new Unavailable(`${where(candidate)} would load a second TensorFlow.js beside the one this process already runs`, 'Start a new run with --backend tensorflow.');
  }
  const first = firstTensorClass();
  let tf: Tf;
  try {
    tf = (await quietly(() => require(candidate.entry) as Tf)).value;
  } catch (error) {
    const message = `${where(candidate)} failed to load: ${firstLine(error)}`;
    if (first === undefined && firstTensorClass() !== undefined) {
      stranded = { message, fix: rebuildFix(candidate) };
      // The workspace's tfjs is loaded now and cannot be unloaded: falling back to ours would run two.
      if (candidate.source === 'workspace') throw new LrLabError('backend', `${message}.`, { fix: rebuildFix(candidate), file: candidate.entry, option: 'backend' });
    }
    throw new Unavailable(message, rebuildFix(candidate));
  }
  // A stub or another package under the name (`module.exports = {}`) is no tfjs: it read "internal error:
  // Cannot read properties of undefined (reading 'tfjs')". Nothing of tfjs was loaded, so the fallback is safe.
  const version = (tf as { version?: { tfjs?: unknown } } | null)?.version?.tfjs;
  if (typeof version !== 'string' || typeof tf.getBackend !== 'function' || typeof tf.setBackend !== 'function') {
    throw new Unavailable(`${where(candidate)} loaded, but is not TensorFlow.js for Node (it has no version.tfjs or backend functions)`, `Reinstall it (npm install ${candidate.name}), or use --backend wasm.`);
  }
  if (first !== undefined && first !== tf.Tensor) {
    throw new LrLabError('backend', `${where(candidate)} brought a second copy of TensorFlow.js into a process that already runs one.`, {
      fix: 'Start a new run with the backend you want.',
      option: 'backend',
    });
  }
  if (majorOf(version) !== 4) throw notTfjs4(candidate, version, packageJson);
  // tfjs-node selects its backend when required; make sure, and check (setBackend never throws).
  if (tf.getBackend() !== 'tensorflow') {
    const { value: ok, noise } = await quietly(() => tf.setBackend('tensorflow'));
    if (!ok) throw new Unavailable(`${where(candidate)} loaded but its tensorflow backend did not start${noise.length > 0 ? `: ${firstLine(noise.join('\n'))}` : ''}`, rebuildFix(candidate));
  }
  // TensorFlow's own thread pools use every core by default.
  return { tf, report: { name: 'tensorflow', requested, source: candidate.source, tfjsVersion: version, threads: os.availableParallelism(), note: null } };
}

// ---------------------------------------------------------------------------------------------
// The bundled tfjs: wasm, then cpu

function wasmPackageDir(): string | null {
  try {
    return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  } catch {
    return null;
  }
}

/** `wasmDir` when given; else next to this file (the bundle: esbuild.mjs copies them there); else the package. */
function wasmDirectory(explicit: string | undefined): string | null {
  if (explicit !== undefined) return path.resolve(explicit);
  if (existsSync(path.join(__dirname, WASM_SIMD_FILE))) return __dirname;
  return wasmPackageDir();
}

/** Emscripten adds rethrowing `uncaughtException`/`unhandledRejection` listeners while it starts; the engine keeps Node's own behaviour. */
function withoutNewProcessListeners<T>(work: () => Promise<T>): Promise<T> {
  const events = ['uncaughtException', 'unhandledRejection'];
  type Listener = (...args: unknown[]) => void;
  const listeners = (event: string): Listener[] => process.listeners(event as 'uncaughtException') as Listener[];
  const before = new Map(events.map((event) => [event, new Set(listeners(event))]));
  return work().finally(() => {
    for (const event of events) {
      for (const listener of listeners(event)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
      }
    }
  });
}

/** Why the wasm backend failed to start in this process (it cannot be retried). */
let wasmFailure: string | null = null;


/** "wasm" or "wasm (2 threads)": how progress messages name the backend. */
export function backendLabel(report: Pick<BackendReport, 'name' | 'threads'>): string {
  return report.threads > 1 ? `${report.name} (${report.threads} threads)` : report.name;
}

/** How long the threaded build may take to start its workers before we fall back (it takes ~1 s). */
const THREADED_START_TIMEOUT_MS = 30_000;

function timeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * The threaded build (src/engine/wasmThreads.ts). Resolves to `null` when it runs, else to the
 * reason it does not — after which the backend is registered afresh for the single-thread build.
 */
async function startThreaded(tf: Tf, wasm: typeof tfjsWasm, dir: string, threads: number): Promise<string | null> {
  const files = prepareThreadFiles(dir);
  if (typeof files === 'string') return files;
  const factory = tf.findBackendFactory('wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  let why: string;
  try {
    const { value: ok, noise } = await withoutNewProcessListeners(() =>
      quietly(() => withThreadPatches(files, threads, () => timeout(tf.setBackend('wasm'), THREADED_START_TIMEOUT_MS, 'starting the threaded build'))),
    );
    if (ok) {
      unrefWorkers(Reflect.get(tf.backend(), 'wasm')); // its Emscripten module, not in tfjs's KernelBackend type
      return null;
    }
    // Emscripten's own abort line says what failed; tfjs's rejection only says to check the server.
    const lines = noise.map(firstLine).filter((line) => !/^Initialization of backend wasm failed$/i.test(line));
    why = lines.find((line) => /^Aborted\(|Error/.test(line)) ?? lines[0] ?? 'initialization failed';
    if (/^Make sure the server can serve/.test(why)) why = `${THREADED_WASM} from ${dir} did not compile or start`;
  } catch (error) {
    why = firstLine(error);
  }
  // Back to the single-thread build: a fresh registration, the flag off, our files gone.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setThreadsCount(1);
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, WASM_PRIORITY);
  files.cleanup();
  return why;
}

/** tfjs-backend-wasm registers itself with this priority (above cpu's 1). */
const WASM_PRIORITY = 2;

async function loadWasm(requested: BackendChoice, wasmDir: string | undefined, threads = 1, fmaThreads = threads): Promise<LoadedTf> {
  const dir = wasmDirectory(wasmDir);
  if (dir === null) {
    throw new Unavailable(`its .wasm files are neither next to ${__dirname} nor in @tensorflow/tfjs-backend-wasm`, 'Reinstall LR Lab, or run with --backend cpu.');
  }
  const tf = requireBundled();
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof tfjsWasm;
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const file = path.join(dir, simd === true ? WASM_SIMD_FILE : WASM_PLAIN_FILE);
  if (!existsSync(file)) {
    throw new Unavailable(`${path.basename(file)} is missing from ${dir}`, 'Reinstall LR Lab (the .wasm files ship next to dist/engine.js), or run with --backend cpu.');
  }
  try {
    wasm.setWasmPaths(`${dir}${path.sep}`);
  } catch (error) {
    // tfjs-backend-wasm refuses new paths once a start has aborted in this process.
    throw new Unavailable(`it already failed to start in this process (${wasmFailure ?? firstLine(error)})`, 'Start a new run.');
  }
  let threadNote: string | null = null;
  let threaded = false;
  if (Math.max(threads, fmaThreads) > 1 && tf.getBackend() !== 'wasm') {
    const why = simd === true ? await startThreaded(tf, wasm, dir, threads) : 'the threaded build needs WebAssembly SIMD';
    threaded = why === null;
    if (why !== null) threadNote = `wasm threads unavailable (${why}); running the single-thread build`;
  }
  if (!threaded) {
    // setBackend resolves to false (it does not throw) when the module cannot start; the why is only logged.
    const { value: ok, noise } = await withoutNewProcessListeners(() => quietly(() => tf.setBackend('wasm')));
    if (!ok) {
      const why = noise.map(firstLine).find((line) => !/^Initialization of backend wasm failed$/i.test(line)) ?? 'initialization failed';
      wasmFailure = why;
      throw new Unavailable(`setBackend('wasm') failed with ${path.basename(file)} from ${dir}: ${why}`, 'Reinstall LR Lab, or run with --backend cpu.');
    }
  }
  registerFileRouters(tf);
  guardWasmHeap(tf);
  // The threaded build's allocator can spin for good at a full heap, where guardWasmHeap never runs again.
  if (threaded) watchWasmHeap((Reflect.get(tf.backend(), 'wasm') as { wasmMemory?: unknown } | undefined)?.wasmMemory);
  const running = wasm.getThreadsCount();
  // The FMA module's workers need the threaded build's shared heap.
  const kernels = installKernels(tf, wasm.version_wasm, threaded ? Math.max(1, fmaThreads) : running);
  const note = [threadNote, threadsEnvNote()].filter((n): n is string => n !== null).join('; ') || null;
  return { tf, report: { name: 'wasm', requested, source: 'bundled', tfjsVersion: tf.version.tfjs, threads: running, note, wasmKernels: kernels } };
}

/** WebAssembly's 32-bit heap: tfjs-backend-wasm's grows to this much and no further. */
const WASM_HEAP_LIMIT = 4 * 2 ** 30;

/**
 * A wasm heap that traps is not called again. tfjs-backend-wasm's `malloc` traps ("memory access out of
 * bounds") where its 4 GB heap cannot grow for a tensor; in the threaded build the trap leaves malloc's
 * lock held, and the next call into the heap — the `free` of tidy's cleanup on the error's way out —
 * spins on it for ever: a CNN at --batch-size 16384 sat at 100% of a CPU for 10 minutes, deaf to Ctrl-C
 * and SIGTERM (its JavaScript thread never came back), where the single-thread build said "internal
 * error: memory access out of bounds". Once a kernel or an allocation traps, frees are skipped (the
 * heap dies with the run) and every later kernel or allocation throws the same out-of-memory error.
 */
function guardWasmHeap(tf: typeof tfjs): void {
  const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GB`;
  const outOfMemory = (heap: number, requested: number, what: string, cause?: unknown): LrLabError =>
    new LrLabError('out-of-memory', `Ran out of memory: the wasm backend's heap is at ${gb(heap)} of the 4 GB WebAssembly allows, and ${requested > 0 ? `a tensor of ${gb(requested)}` : 'a step'} needed more (${what}).`, {
      fix: 'Use a smaller --batch-size or a smaller model, or install @tensorflow/tfjs-node (no such limit).',
      ...(cause === undefined ? {} : { cause }),
    });
  type Backend = { wasm?: { HEAPU8?: Uint8Array }; move: (dataId: unknown, values: unknown, shape: readonly number[], dtype: string, refCount: number) => void; disposeData: (dataId: unknown, force?: boolean) => boolean };
  const backend = tf.backend() as unknown as Backend;
  const engine = tf.engine() as unknown as { runKernelFunc: (params: unknown) => unknown };
  if (typeof backend.move !== 'function' || typeof backend.disposeData !== 'function' || typeof engine.runKernelFunc !== 'function') return;
  let broken: LrLabError | null = null;
  // `requested`: the bytes of the tensor whose allocation trapped (0 where a kernel did).
  const trapped = (error: unknown, requested = 0): unknown => {
    if (broken !== null) return broken;
    if (error instanceof LrLabError || !(error instanceof Error && error.name === 'RuntimeError')) return error;
    const heap = backend.wasm?.HEAPU8?.buffer.byteLength ?? 0;
    broken = heap + requested >= WASM_HEAP_LIMIT / 2 ? outOfMemory(heap, requested, firstLine(error), error) : new LrLabError('internal', `The wasm backend failed: ${firstLine(error)}.`, { cause: error });
    return broken;
  };
  // A malloc that fails returns 0, which tfjs-backend-wasm takes for an address: it wrote the tensor over
  // the start of the heap (malloc's own state), and the threaded build then hung. Refused here instead;
  // the heap is whole, so nothing else is refused after it.
  const module = backend.wasm as { _malloc?: (bytes: number) => number } | undefined;
  const malloc = module?._malloc;
  if (module !== undefined && typeof malloc === 'function') {
    module._malloc = (bytes: number): number => {
      if (broken !== null) throw broken;
      const at = malloc(bytes);
      if (at === 0 && bytes > 0) throw outOfMemory(backend.wasm?.HEAPU8?.buffer.byteLength ?? 0, bytes, 'the allocation failed');
      return at;
    };
  }
  const move = backend.move.bind(backend);
  const disposeData = backend.disposeData.bind(backend);
  const runKernelFunc = engine.runKernelFunc.bind(engine);
  // Fixed parameters, not rest arguments: these run for every tensor of every training step.
  backend.move = (dataId, values, shape, dtype, refCount): void => {
    if (broken !== null) throw broken;
    try {
      move(dataId, values, shape, dtype, refCount);
    } catch (error) {
      throw trapped(error, dtype === 'string' ? 0 : tf.util.sizeFromShape([...shape]) * tf.util.bytesPerElement(dtype as tfjs.DataType));
    }
  };
  backend.disposeData = (dataId, force): boolean => (broken !== null ? true : disposeData(dataId, force));
  engine.runKernelFunc = (params: unknown): unknown => {
    if (broken !== null) throw broken;
    try {
      return runKernelFunc(params);
    } catch (error) {
      throw trapped(error);
    }
  };
}

/**
 * LR Lab's training kernels for the wasm backend (src/engine/wasmKernels). `LRLAB_WASM_KERNELS`
 * is for measuring and for bug reports: `off` runs the backend as shipped, `correct` leaves out
 * the speed-only replacements.
 */
function installKernels(tf: Tf, version: string, threads: number): string[] {
  const mode = process.env['LRLAB_WASM_KERNELS'];
  if (mode === 'off') return [];
  const report = installWasmTrainingKernels(tf, version, { fast: mode !== 'correct', threads });
  return report.installed.map((k) => (FMA_KERNELS.includes(k.kernel) ? `${k.kernel} (${matmulLabel(report.matmul)})` : k.kernel));
}

async function loadCpu(requested: BackendChoice, note: string): Promise<LoadedTf> {
  const tf = requireBundled();
  const { value: ok, noise } = await quietly(() => tf.setBackend('cpu'));
  if (!ok) {
    throw new LrLabError('backend', `The cpu backend of TensorFlow.js did not start${noise.length > 0 ? `: ${firstLine(noise.join('\n'))}` : ''}.`, { fix: 'Reinstall LR Lab.', option: 'backend' });
  }
  // Quiet from the start (quietCpuBackend): its banner would repeat what the note says.
  registerFileRouters(tf);
  installCpuTrainingKernels(tf, tf.version.tfjs);
  return { tf, report: { name: 'cpu', requested, source: 'bundled', tfjsVersion: tf.version.tfjs, threads: 1, note } };
}

// ---------------------------------------------------------------------------------------------

async function loadTensorflow(options: LoadTfOptions): Promise<LoadedTf> {
  const reasons: string[] = [];
  const fixes: string[] = [];
  for (const candidate of [workspaceCandidate(options.workspaceDir), extensionCandidate()]) {
    if (candidate === null) continue;
    try {
      return await loadNode(candidate, options.backend);
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      reasons.push(error.message);
      fixes.push(error.fix);
    }
  }
  if (reasons.length === 0) {
    throw new LrLabError('backend', '--backend tensorflow needs @tensorflow/tfjs-node, which is not installed in your workspace.', {
      fix: 'Install it in your workspace (npm install @tensorflow/tfjs-node), or use --backend wasm.',
      option: 'backend',
    });
  }
  throw new LrLabError('backend', `--backend tensorflow cannot start: ${reasons.join('; ')}.`, { fix: fixes[0] ?? 'Use --backend wasm.', option: 'backend' });
}

async function loadAuto(options: LoadTfOptions): Promise<LoadedTf> {
  const reasons: string[] = [];
  for (const candidate of [workspaceCandidate(options.workspaceDir), extensionCandidate()]) {
    if (candidate === null) continue;
    try {
      return await loadNode(candidate, 'auto');
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      reasons.push(error.message);
    }
  }
  try {
    const loaded = await loadWasm('auto', options.wasmDir, options.threads, options.fmaThreads);
    const why = reasons.length === 0 ? null : `${reasons.join('; ')}; using the wasm backend — ${SPEED_HINT}`;
    const note = [why, loaded.report.note].filter((n): n is string => n !== null).join('; ') || null;
    return { tf: loaded.tf, report: { ...loaded.report, note } };
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error;
    const limited = /Cannot allocate Wasm memory/.test(error.message) ? limitedMemoryHelp('The wasm backend') : null;
    reasons.push(limited === null ? `wasm backend failed: ${error.message}` : `${limited.message} ${limited.fix}`);
  }
  return loadCpu('auto', `${reasons.join('; ')}; using the slow pure-JS cpu backend — ${SPEED_HINT}`);
}

/** Loads tfjs with the requested backend; see the file comment for the order and the rules. */
export async function loadTf(options: LoadTfOptions): Promise<LoadedTf> {
  const loaded = await loadBackend(options);
  seedDatasetShuffles(loaded.tf);
  return loaded;
}

async function loadBackend(options: LoadTfOptions): Promise<LoadedTf> {
  const requested = options.backend;
  switch (requested) {
    case 'auto':
      return loadAuto(options);
    case 'tensorflow':
      return loadTensorflow(options);
    case 'wasm':
      try {
        return await loadWasm(requested, options.wasmDir, options.threads, options.fmaThreads);
      } catch (error) {
        if (!(error instanceof Unavailable)) throw error;
        throw new LrLabError('backend', `The WebAssembly backend did not start: ${error.message}.`, { fix: error.fix, option: 'backend' });
      }
    case 'cpu':
      return loadCpu(requested, `cpu backend chosen with --backend cpu: the pure-JS backend is slow (wasm is several times faster on dense layers, and a hundred times or more on convolutions; ${SPEED_HINT})`);
    default: {
      const never: never = requested;
      throw new LrLabError('bad-option', `--backend must be auto, tensorflow, wasm or cpu, got '${String(never)}'.`, { option: 'backend' });
    }
  }
}
