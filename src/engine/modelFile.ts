/**
 * Loads the user's model file (design.md, "The user's model file"): JS or TS, ESM or CommonJS.
 *
 * The file is bundled in memory by esbuild-wasm (esbuild's native binary is not allowed in a
 * VSIX) to one CommonJS script with an inline source map, then evaluated with `vm` as a module
 * of the user's folder: `require`, `module`, `exports`, `__filename`, `__dirname` are the file's.
 *
 * - Relative imports are bundled; bare imports stay external and are `require`d from the user's
 *   file (`createRequire(file)`), so the workspace's `node_modules` resolve as its code expects.
 * - `@tensorflow/*` redirection: an esbuild plugin rewrites every `@tensorflow/...` specifier
 *   (tfjs, tfjs-node, tfjs-node-gpu, tfjs-core, tfjs-layers, tfjs-data, tfjs-converter,
 *   tfjs-backend-*, and subpaths) to one reserved external name, `TF_MODULE_ID`, and the
 *   evaluator's `require` answers that name with the engine's injected tf namespace. So no second
 *   tfjs ever loads, and the user's tensors and models live in the engine's registry. The
 *   namespace the user sees is a thin view of the engine's: `setBackend` is a no-op (LR Lab's
 *   `--backend` decides), tfjs-backend-wasm's setup functions exist as no-ops, and `tf.node`
 *   explains itself when the backend is not tfjs-node. Packages under `@tensorflow-models/` are
 *   bundled rather than required, so their own `@tensorflow/*` imports are redirected too.
 * - Stack traces: evaluated code is named `<file>?lrlab-bundle`; errors from the user's code get
 *   their frames mapped back through the source map to `<their file>:<line>:<column>`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import * as childProcess from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { LrLabError } from '../protocol/errors';
import type { Tf } from './tfjs';

export type UserLossFunction = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor;

export interface UserModelModule {
  readonly file: string;
  createModel(hp: { dropout?: number }): tfjs.LayersModel;
  loadData(): Promise<unknown>;
  /** `export const loss` (a loss name or function), when the file has one. */
  readonly loss?: string | UserLossFunction | undefined;
  readonly metrics?: readonly string[] | undefined;
}

export const MODEL_FILE_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx'];

/** The one external name every `@tensorflow/*` import is rewritten to. */
export const TF_MODULE_ID = 'lrlab:injected-tfjs';
const BUNDLE_SUFFIX = '?lrlab-bundle';

// ---------------------------------------------------------------------------------------------
// esbuild-wasm

interface EsbuildLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly lineText: string;
}

interface EsbuildMessage {
  readonly text: string;
  readonly location: EsbuildLocation | null;
}

interface EsbuildPluginBuild {
  onResolve(
    options: { filter: RegExp },
    callback: (args: { path: string; importer: string; kind: string; resolveDir: string }) => { path?: string; external?: boolean } | undefined,
  ): void;
}

interface EsbuildApi {
  readonly version: string;
  initialize(options: Record<string, never>): Promise<void>;
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { path: string; text: string }[] }>;
}

let esbuildReady: Promise<EsbuildApi> | null = null;

/** The shipped copy next to dist/engine.js (esbuild.mjs copies the package there), else the dependency. */
function esbuildMainFile(): string {
  const shipped = path.join(__dirname, 'esbuild-wasm', 'lib', 'main.js');
  if (existsSync(shipped)) return shipped;
  return require.resolve('esbuild-wasm');
}

/**
 * esbuild-wasm's Node API runs its wasm in a child process started as `spawn("node", ...)`: the
 * `node` on PATH, which VS Code (whose engine runs on Electron) may not have. Its module is
 * evaluated here with a `child_process` whose `spawn` starts this very runtime instead.
 */
function loadEsbuild(): EsbuildApi {
  const main = esbuildMainFile();
  const realRequire = createRequire(main);
  const electron = process.versions['electron'] !== undefined;
  const spawn = ((command: string, args: readonly string[], options: childProcess.SpawnOptions) =>
    childProcess.spawn(command === 'node' ? process.execPath : command, args, electron ? { ...options, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } } : options)) as typeof childProcess.spawn;
  const ownChildProcess = { ...childProcess, spawn };
  const requireForEsbuild = Object.assign((id: string): unknown => (id === 'child_process' || id === 'node:child_process' ? ownChildProcess : realRequire(id)), {
    resolve: realRequire.resolve,
    cache: realRequire.cache,
  });
  const module = { exports: {} as unknown };
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${readFileSync(main, 'utf8')}\n})`, { filename: main }) as (...args: unknown[]) => void;
  wrapper(module.exports, requireForEsbuild, module, main, path.dirname(main));
  return module.exports as EsbuildApi;
}

/** Started once per process and reused by every model file. */
function esbuild(): Promise<EsbuildApi> {
  if (esbuildReady === null) {
    esbuildReady = (async () => {
      const api = loadEsbuild();
      await api.initialize({});
      return api;
    })();
    esbuildReady.catch(() => {
      esbuildReady = null;
    });
  }
  return esbuildReady.catch((error: unknown) => {
    throw new LrLabError('internal', `LR Lab's TypeScript/JavaScript bundler (esbuild-wasm) did not start: ${firstLine(error)}.`, { fix: 'Reinstall LR Lab.', cause: error });
  });
}

const BUILTINS = new Set(builtinModules);

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0] ?? '');
}

function isBare(specifier: string): boolean {
  return !specifier.startsWith('.') && !path.isAbsolute(specifier);
}

/** The plugin behind the `@tensorflow/*` redirection and the external/bundled split (file comment). */
const userFilePlugin = {
  name: 'lrlab-user-file',
  setup(build: EsbuildPluginBuild): void {
    build.onResolve({ filter: /^@tensorflow\// }, () => ({ path: TF_MODULE_ID, external: true }));
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (!isBare(args.path)) return undefined;
      if (args.path.startsWith('@tensorflow-models/')) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      // Inside a bundled package its own dependencies resolve from that package, not the user's file.
      if (args.importer.split(path.sep).includes('node_modules')) {
        try {
          return { path: createRequire(args.importer).resolve(args.path), external: true };
        } catch {
          // not resolvable: left to fail (or be caught by the package) at run time
        }
      }
      return { path: args.path, external: true };
    });
  },
};

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((line) => line.trim() !== '') ?? text).trim();
}

function fixForBuildError(text: string): string {
  if (/top-level await/i.test(text)) return 'Move the await into loadData() (top-level await cannot run in a CommonJS bundle).';
  if (/could not resolve/i.test(text)) return 'Check the path of this import: relative imports are resolved from the file that contains them.';
  return 'Fix the error; LR Lab must compile the file before it can run it.';
}

interface Bundle {
  readonly code: string;
  readonly map: SourceMapV3 | null;
  readonly outDir: string;
}

async function bundle(file: string): Promise<Bundle> {
  const api = await esbuild();
  const outDir = path.dirname(file);
  try {
    const result = await api.build({
      entryPoints: [file],
      absWorkingDir: outDir,
      outfile: path.join(outDir, '__lrlab_bundle__.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node.split('.')[0] ?? '20'}`,
      write: false,
      sourcemap: 'inline',
      sourcesContent: false,
      keepNames: true,
      logLevel: 'silent',
      // A CommonJS bundle has no import.meta; the model file's own URL is what such code means.
      define: { 'import.meta.url': '__lrlab_import_meta_url', 'import.meta.filename': '__filename', 'import.meta.dirname': '__dirname' },
      plugins: [userFilePlugin],
    });
    const code = result.outputFiles?.find((f) => f.path.endsWith('.js'))?.text ?? '';
    return { code, map: inlineSourceMap(code), outDir };
  } catch (error) {
    const errors = (error as { errors?: EsbuildMessage[] }).errors;
    const first = errors?.[0];
    if (first === undefined) {
      throw new LrLabError('model-file', `${path.basename(file)} could not be compiled: ${firstLine(error)}.`, { file, fix: 'Fix the file so that it compiles.', cause: error });
    }
    const location = first.location;
    const more = errors !== undefined && errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    const details: { file: string; line?: number; fix: string } = {
      file: location === null ? file : path.resolve(outDir, location.file),
      fix: fixForBuildError(first.text),
    };
    if (location !== null) details.line = location.line;
    throw new LrLabError('model-file', `${first.text}${location === null ? '' : `: ${location.lineText.trim()}`}${more}`, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Source maps: user frames back to their own lines

interface SourceMapV3 {
  readonly version: number;
  readonly sources: readonly string[];
  readonly sourceRoot?: string;
  readonly mappings: string;
}

function inlineSourceMap(code: string): SourceMapV3 | null {
  const match = /\/\/# sourceMappingURL=data:application\/json;(?:charset=[^;]+;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (match === null) return null;
  try {
    return JSON.parse(Buffer.from(match[1] ?? '', 'base64').toString('utf8')) as SourceMapV3;
  } catch {
    return null;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Segments per generated line: [generatedColumn, sourceIndex, originalLine, originalColumn], all 0-based. */
function decodeMappings(mappings: string): number[][][] {
  const lines: number[][][] = [];
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: number[][] = [];
    let column = 0;
    for (const segmentText of lineText.split(',')) {
      if (segmentText === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of segmentText) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if ((digit & 32) !== 0) {
          shift += 5;
        } else {
          fields.push((value & 1) === 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0] ?? 0;
      if (fields.length >= 4) {
        source += fields[1] ?? 0;
        originalLine += fields[2] ?? 0;
        originalColumn += fields[3] ?? 0;
        segments.push([column, source, originalLine, originalColumn]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** One evaluated bundle: maps its generated positions to the user's files. */
class BundleMap {
  private decoded: number[][][] | null = null;
  readonly sources: readonly string[];

  constructor(
    readonly scriptName: string,
    private readonly map: SourceMapV3 | null,
    outDir: string,
    /** Columns the evaluation wrapper adds in front of generated line 1. */
    private readonly firstLineOffset: number,
  ) {
    const root = map?.sourceRoot ?? '';
    this.sources = (map?.sources ?? []).map((source) => path.resolve(outDir, root, source));
  }

  original(line: number, column: number): { file: string; line: number; column: number } | null {
    if (this.map === null) return null;
    this.decoded ??= decodeMappings(this.map.mappings);
    const segments = this.decoded[line - 1];
    if (segments === undefined || segments.length === 0) return null;
    const target = column - 1 - (line === 1 ? this.firstLineOffset : 0);
    let best = segments[0]!;
    for (const segment of segments) {
      if (segment[0]! > target) break;
      best = segment;
    }
    const file = this.sources[best[1]!];
    return file === undefined ? null : { file, line: best[2]! + 1, column: best[3]! + 1 };
  }
}

const bundleMaps = new Map<string, BundleMap>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites, in place, the stack of an error thrown by code of a loaded model file so that its
 * frames name the user's files and lines. Returns the first such location, if any. Safe to call
 * on any value and more than once.
 */
export function locateUserFrame(error: unknown): { file: string; line: number } | null {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return null;
  let stack = error.stack;
  for (const map of bundleMaps.values()) {
    if (!stack.includes(map.scriptName)) continue;
    stack = stack.replace(new RegExp(`${escapeRegExp(map.scriptName)}:(\\d+):(\\d+)`, 'g'), (whole, line: string, column: string) => {
      const original = map.original(Number(line), Number(column));
      return original === null ? whole : `${original.file}:${original.line}:${original.column}`;
    });
  }
  if (stack !== error.stack) {
    try {
      error.stack = stack;
    } catch {
      // a frozen error keeps its stack
    }
  }
  const userFiles = new Set([...bundleMaps.values()].flatMap((map) => map.sources.filter((s) => !s.split(path.sep).includes('node_modules'))));
  for (const match of stack.matchAll(/\(?((?:[A-Za-z]:)?[^\s()]+):(\d+):\d+\)?$/gm)) {
    const file = match[1] ?? '';
    if (userFiles.has(file)) return { file, line: Number(match[2]) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The tf namespace the user's code sees

const userNamespaces = new WeakMap<object, Tf>();

/** The engine's tf, as the user's file sees it (file comment). Property reads go to the real namespace. */
function userFacingTf(tf: Tf): Tf {
  const cached = userNamespaces.get(tf);
  if (cached !== undefined) return cached;
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(tf)) {
    Object.defineProperty(view, key, { enumerable: true, configurable: true, get: (): unknown => Reflect.get(tf, key) });
  }
  const noop = (): void => undefined;
  const overrides: Record<string, unknown> = {
    // LR Lab picks the backend (--backend / lrlab.backend); a user file cannot switch it mid-run.
    setBackend: async (): Promise<boolean> => true,
    setWasmPaths: noop,
    setWasmPath: noop,
    setThreadsCount: noop,
    getThreadsCount: (): number => 1,
  };
  for (const [key, value] of Object.entries(overrides)) Object.defineProperty(view, key, { enumerable: true, configurable: true, writable: false, value });
  if (Reflect.get(tf, 'node') === undefined) {
    Object.defineProperty(view, 'node', {
      enumerable: false,
      get: () => {
        throw new LrLabError('backend', `tf.node is part of @tensorflow/tfjs-node and does not exist on the ${tf.getBackend()} backend LR Lab is using.`, {
          fix: 'Install @tensorflow/tfjs-node in your workspace (LR Lab then uses it), or avoid tf.node.* in the model file.',
          option: 'backend',
        });
      },
    });
  }
  const result = view as unknown as Tf; // it mirrors every property of the real namespace (above), so it is one
  userNamespaces.set(tf, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Loading

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as { constructor?: { name?: string } }).constructor?.name ?? 'Object'})`;
  return `a ${typeof value}`;
}

function userError(code: 'model-file' | 'model-build', error: unknown, file: string, message: string, fix: string): LrLabError {
  if (error instanceof LrLabError) return error;
  const at = locateUserFrame(error);
  const details: { file: string; line?: number; fix: string; cause: unknown } = { file: at?.file ?? file, fix, cause: error };
  if (at !== null) details.line = at.line;
  return new LrLabError(code, message, details);
}

/** Wraps a user function so that its errors carry mapped stacks (callers read the line from them). */
function mapped<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const wrapped = (...args: A): R => {
    try {
      const result = fn(...args);
      if (result instanceof Promise) {
        return result.catch((error: unknown) => {
          locateUserFrame(error);
          throw error;
        }) as R;
      }
      return result;
    } catch (error) {
      locateUserFrame(error);
      throw error;
    }
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  return wrapped;
}

/** Bundles and evaluates a user model file; checks its exports. */
export async function loadModelModule(file: string, tf: Tf): Promise<UserModelModule> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) {
    throw new LrLabError('model-file', `Model file not found: ${absolute}.`, { file: absolute, fix: 'Check the path; a relative path is resolved from the current folder.' });
  }
  if (!MODEL_FILE_EXTENSIONS.includes(path.extname(absolute).toLowerCase())) {
    throw new LrLabError('model-file', `${path.basename(absolute)} is not a JS/TS model file or a model.json.`, {
      file: absolute,
      fix: `Give a ${MODEL_FILE_EXTENSIONS.join('/')} file exporting createModel and loadData, or a tfjs model.json with --data and --label.`,
    });
  }
  const { code, map, outDir } = await bundle(absolute);

  const scriptName = `${absolute}${BUNDLE_SUFFIX}`;
  const prefix = '(function (exports, require, module, __filename, __dirname, __lrlab_import_meta_url) {';
  bundleMaps.set(scriptName, new BundleMap(scriptName, map, outDir, prefix.length));

  const userTf = userFacingTf(tf);
  const fromUserFile = createRequire(absolute);
  const requireForUser = Object.assign((id: string): unknown => (id === TF_MODULE_ID ? userTf : fromUserFile(id)), {
    resolve: fromUserFile.resolve,
    cache: fromUserFile.cache,
    main: fromUserFile.main,
  });
  const module: { exports: unknown; filename: string; id: string } = { exports: {}, filename: absolute, id: absolute };
  try {
    const wrapper = vm.runInThisContext(`${prefix}${code}\n})`, { filename: scriptName }) as (...args: unknown[]) => void;
    wrapper(module.exports, requireForUser, module, absolute, path.dirname(absolute), pathToFileURL(absolute).href);
  } catch (error) {
    const message = firstLine(error);
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
    throw userError(
      'model-file',
      error,
      absolute,
      `${path.basename(absolute)} threw while loading: ${message}`,
      missing === undefined ? 'Fix the error in the model file (its top level runs when LR Lab loads it).' : `Install ${missing} in your workspace (npm install ${missing}).`,
    );
  }
  return checkExports(module.exports, absolute);
}

function checkExports(moduleExports: unknown, file: string): UserModelModule {
  const name = path.basename(file);
  let exports = (typeof moduleExports === 'object' || typeof moduleExports === 'function') && moduleExports !== null ? (moduleExports as Record<string, unknown>) : {};
  // `export default { createModel, loadData }` is the contract too.
  const fallback = exports['default'];
  if (exports['createModel'] === undefined && exports['loadData'] === undefined && typeof fallback === 'object' && fallback !== null) {
    exports = fallback as Record<string, unknown>;
  }
  const found = Object.keys(exports).filter((key) => key !== '__esModule');
  const foundText = found.length === 0 ? 'it exports nothing' : `exports found: ${found.join(', ')}`;
  const fixes = {
    createModel: 'Add `export function createModel(hp) { const model = tf.sequential(); ...; return model; }` that builds a new tf.LayersModel on each call.',
    loadData: 'Add `export async function loadData() { return { train: { xs, ys }, validation: { xs, ys } }; }` (validation is optional).',
  };
  for (const key of ['createModel', 'loadData'] as const) {
    const value = exports[key];
    if (value === undefined) {
      throw new LrLabError('model-exports', `${name} does not export ${key} (${foundText}).`, { file, fix: fixes[key] });
    }
    if (typeof value !== 'function') {
      throw new LrLabError('model-exports', `${name} exports ${key} as ${describe(value)}; it must be a function.`, { file, fix: fixes[key] });
    }
  }
  const loss = exports['loss'];
  if (loss !== undefined && typeof loss !== 'string' && typeof loss !== 'function') {
    throw new LrLabError('model-exports', `The loss export of ${name} is ${describe(loss)}; it must be a loss name like 'categoricalCrossentropy' or a function (yTrue, yPred) => tensor.`, { file });
  }
  const metrics = exports['metrics'];
  if (metrics !== undefined && !(Array.isArray(metrics) && metrics.every((m) => typeof m === 'string'))) {
    throw new LrLabError('model-exports', `The metrics export of ${name} is ${describe(metrics)}; it must be an array of names like ['accuracy'].`, { file });
  }
  const createModel = exports['createModel'] as UserModelModule['createModel'];
  const loadData = exports['loadData'] as UserModelModule['loadData'];
  return {
    file,
    createModel: mapped(createModel),
    loadData: mapped(loadData),
    loss: typeof loss === 'function' ? mapped(loss as UserLossFunction) : (loss),
    metrics: metrics,
  };
}

// ---------------------------------------------------------------------------------------------
// Building models

const builtByModule = new WeakMap<UserModelModule, WeakSet<object>>();

function isLayersModel(value: unknown): value is tfjs.LayersModel {
  const v = value as Partial<tfjs.LayersModel> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.layers) && typeof v.predict === 'function' && typeof v.getWeights === 'function';
}

/** Calls createModel and checks that it returned a new tfjs LayersModel. */
export function buildModel(mod: UserModelModule, hp: { dropout?: number }): tfjs.LayersModel {
  let model: unknown;
  try {
    model = mod.createModel(hp);
  } catch (error) {
    throw userError('model-build', error, mod.file, `createModel threw: ${firstLine(error)}`, 'Fix createModel so that it builds the model.');
  }
  if (model instanceof Promise) {
    model.catch(() => undefined);
    throw new LrLabError('model-build', 'createModel returned a Promise; it must return the model itself.', {
      file: mod.file,
      fix: 'Make createModel synchronous: build the model there and load data or pretrained parts in loadData().',
    });
  }
  if (!isLayersModel(model)) {
    const graph = typeof model === 'object' && model !== null && typeof (model as { executeAsync?: unknown }).executeAsync === 'function';
    throw new LrLabError('model-build', `createModel returned ${describe(model)}, not a tf.LayersModel${graph ? ' (a GraphModel cannot be trained)' : ''}.`, {
      file: mod.file,
      fix: 'Return the model, e.g. `const model = tf.sequential(); model.add(...); return model;`.',
    });
  }
  let seen = builtByModule.get(mod);
  if (seen === undefined) {
    seen = new WeakSet();
    builtByModule.set(mod, seen);
  }
  if (seen.has(model)) {
    throw new LrLabError('model-build', 'createModel must build a new model on each call: it returned the same model instance twice.', {
      file: mod.file,
      fix: 'Create the model inside createModel instead of returning a cached one; every range test needs fresh weights.',
    });
  }
  seen.add(model);
  return model;
}
