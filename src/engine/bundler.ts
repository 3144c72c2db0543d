/**
 * Bundles and evaluates the user's JS/TS files (model files and training scripts alike).
 *
 * The file is bundled in memory by esbuild-wasm (esbuild's native binary is not allowed in a
 * VSIX) to one CommonJS script with an inline source map, then evaluated with `vm` as a module
 * of the user's folder: `require`, `module`, `exports`, `__filename`, `__dirname` are the file's.
 *
 * - Relative imports are bundled; bare imports stay external and are `require`d from the user's
 *   file (`createRequire(file)`), so the workspace's `node_modules` resolve as its code expects.
 * - Every `@tensorflow/...` specifier is rewritten to one reserved external name, `TF_MODULE_ID`,
 *   which the evaluator's `require` answers with the tf namespace it is given (modelFile.ts).
 *   Packages under `@tensorflow-models/` are bundled rather than required, so their own
 *   `@tensorflow/*` imports are redirected too.
 * - Stack traces: evaluated code is named `<file>?lrlab-bundle`; userFrames.ts maps the frames of
 *   errors from the user's code back through the source map to `<their file>:<line>:<column>`.
 */
import * as childProcess from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { LrLabError } from '../protocol/errors';
import { packageVersionOf, readCachedBundle, writeCachedBundle } from './bundleCache';
import { limitedMemoryHelp, wasmChildFlags } from './memoryLimit';
import { firstLine } from './errorMapping';
import { REQUIRE_NAMESPACE, locateUserFrame, registerBundle } from './userFrames';

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

type ResolveResult = { path?: string; external?: boolean; namespace?: string } | undefined;

export interface EsbuildPluginBuild {
  onResolve(
    options: { filter: RegExp; namespace?: string },
    callback: (args: { path: string; importer: string; kind: string; resolveDir: string; pluginData?: unknown }) => ResolveResult | Promise<ResolveResult>,
  ): void;
  /** esbuild's own resolution (tsconfig `paths` included); `pluginData` reaches the onResolve callbacks it runs. */
  resolve?(path: string, options: { kind: string; resolveDir: string; importer: string; pluginData?: unknown }): Promise<{ path: string; external: boolean; errors: readonly unknown[] }>;
  onLoad(options: { filter: RegExp; namespace: string }, callback: (args: { path: string }) => { contents: string; loader: 'js' }): void;
}

export interface EsbuildPlugin {
  readonly name: string;
  setup(build: EsbuildPluginBuild): void;
}

interface EsbuildApi {
  readonly version: string;
  initialize(options: Record<string, never>): Promise<void>;
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { path: string; text: string }[]; metafile?: { inputs: Record<string, unknown> } }>;
  stop(): Promise<void>;
}

let esbuildReady: Promise<EsbuildApi> | null = null;

/** The shipped copy next to dist/engine.js (esbuild.mjs copies the package there), else the dependency. */
function esbuildMainFile(): string {
  const shipped = path.join(__dirname, 'esbuild-wasm', 'lib', 'main.js');
  if (existsSync(shipped)) return shipped;
  return require.resolve('esbuild-wasm');
}

/**
 * V8 flags of esbuild's service process (besides the address-space ones, memoryLimit.ts).
 * `--liftoff-only`: esbuild-wasm is an 11 MB Go module whose runtime keeps many functions hot, and
 * V8 tiered them up to TurboFan on background threads: for a bundle that takes a few hundred
 * milliseconds, that compiling cost far more CPU than the faster code saved. Measured on 2 CPUs
 * (Node 20.20): a 10-step `lrlab find-lr` on the MNIST example with an empty bundle cache 3.4 s →
 * 2.3–2.6 s wall and 5.5 → 3.0–3.5 CPU-seconds; esbuild-wasm's own CLI bundling LR Lab's whole engine
 * (8.6 MB out, far more than a user's files ask) 8.6 → 6.3 s. Node 20's V8 and today's (VS Code's
 * Electron) both have the flag; a runtime that no longer knows it refuses to start ("bad option"),
 * and the service is started again without it (`spawnService`, `refusedBaselineOnly`).
 */
function esbuildServiceFlags(): string[] {
  return baselineOnlyRefused ? wasmChildFlags() : [...wasmChildFlags(), BASELINE_ONLY];
}

const BASELINE_ONLY = '--liftoff-only';
/** Node's exit status for a command-line flag it does not know ("bad option"). */
const BAD_OPTION_STATUS = 9;
/** Set once a runtime refused BASELINE_ONLY: its services start without it from then on. */
let baselineOnlyRefused = false;
/** A started service: whether it was given BASELINE_ONLY, whether it said it refused it, and its exit status once it ends (null: a signal, or it never started). */
interface Service {
  readonly baselineOnly: boolean;
  refusedLine: boolean;
  readonly exit: Promise<number | null>;
}
/** The latest service started (a build takes it with the api it got from `esbuild()`). */
let latestService: Service | null = null;

/**
 * Starts esbuild's service on this runtime with `esbuildServiceFlags`. Its stderr passes through
 * to ours, except the "bad option" line of a runtime that refuses BASELINE_ONLY (`build` then
 * retries once without it).
 */
function spawnService(args: readonly string[], options: childProcess.SpawnOptions): childProcess.ChildProcess {
  const flags = esbuildServiceFlags();
  const baselineOnly = flags.includes(BASELINE_ONLY);
  const env = process.versions['electron'] !== undefined ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : options.env;
  const stdio: childProcess.StdioOptions = Array.isArray(options.stdio) ? [options.stdio[0], options.stdio[1], 'pipe'] : ['pipe', 'pipe', 'pipe'];
  const child = childProcess.spawn(process.execPath, [...flags, ...args], { ...options, env, stdio });
  const service: Service = {
    baselineOnly,
    refusedLine: false,
    // 'close', not 'exit': its stderr (the refusal line) has been read by then.
    exit: new Promise((resolve) => {
      child.once('close', (code) => resolve(code));
      child.once('error', () => resolve(null)); // not started at all: no 'close' may come
    }),
  };
  child.stderr?.on('data', (chunk: Buffer) => {
    if (baselineOnly && String(chunk).includes(`bad option: ${BASELINE_ONLY}`)) service.refusedLine = true;
    else process.stderr.write(chunk);
  });
  // esbuild refs and unrefs the service as builds come and go: its stderr pipe must not hold the process.
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  latestService = service;
  return child;
}

/**
 * Whether `service` (the one a build that could not run used) ended because its runtime refused
 * BASELINE_ONLY: it said so and exited with node's bad-option status. Then later services start
 * without it, and `ready` (the api of that service) is dropped if it is still the one held.
 */
async function refusedBaselineOnly(service: Service | null, ready: Promise<EsbuildApi> | null): Promise<boolean> {
  if (service === null || !service.baselineOnly) return false;
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([service.exit, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 2000)))]);
  clearTimeout(timer);
  if (code !== BAD_OPTION_STATUS || !service.refusedLine) return false;
  baselineOnlyRefused = true;
  if (esbuildReady === ready) esbuildReady = null;
  return true;
}

/**
 * esbuild-wasm's Node API runs its wasm in a child process started as `spawn("node", ...)`: the
 * `node` on PATH, which VS Code (whose engine runs on Electron) may not have. Its module is
 * evaluated here with a `child_process` whose `spawn` starts this very runtime instead.
 */
function loadEsbuild(): EsbuildApi {
  const main = esbuildMainFile();
  const realRequire = createRequire(main);
  const spawn = ((command: string, args: readonly string[], options: childProcess.SpawnOptions) =>
    command === 'node' ? spawnService(args, options) : childProcess.spawn(command, args, options)) as typeof childProcess.spawn;
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

/**
 * Throws the run's cancel instead of `error` where the run was cancelled while it bundled. A Ctrl-C
 * in a terminal reaches esbuild's service process too (one process group), which stops first: a
 * user's Ctrl-C half a second in read "model.mjs could not be compiled: The service was stopped.
 * Fix the file so that it compiles." and exited 1, not 130. That failure waits a moment for the
 * engine's own SIGINT handling to mark the run cancelled.
 */
async function cancelledInstead(error: unknown, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return;
  if (!signal.aborted && error instanceof Error && /service was stopped|service is no longer running/i.test(error.message)) await new Promise((resolve) => setTimeout(resolve, SIGNAL_GRACE_MS));
  if (signal.aborted) throw new LrLabError('cancelled', 'The run was cancelled.');
}

/** How long a bundle whose esbuild service stopped waits for the cancel that stopped it. */
const SIGNAL_GRACE_MS = 250;

/** Builds in flight: the service is stopped when the last one ends (`releaseEsbuild`). */
let building = 0;

/**
 * Stops esbuild's service process once no build is in flight. Idle, the service does not sleep:
 * esbuild-wasm's Go runtime kept 0.66 of a CPU busy after a bundle (1.33 CPU-seconds in 2 s of
 * idling, measured on Node 20), and it stayed up for the whole run, which on a 2-CPU machine took
 * a core from training: a range test's data loading and first steps took 0.82 s instead of 0.37.
 * A later bundle starts it again (~0.5 s); most runs bundle once, or not at all (bundleCache.ts).
 */
function releaseEsbuild(): void {
  if (--building > 0 || esbuildReady === null) return;
  const ready = esbuildReady;
  esbuildReady = null;
  void ready.then((api) => api.stop()).catch(() => undefined);
}

/** Started on the first build that needs it, stopped when no build is in flight. */
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

export function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0] ?? '');
}

export function isBare(specifier: string): boolean {
  return !specifier.startsWith('.') && !path.isAbsolute(specifier);
}

/** Marks esbuild's own resolution of a bare import, run from `aliasedFile`: the plugin leaves it to esbuild. */
const ESBUILD_RESOLVES = Symbol('esbuild resolves');

/**
 * The file a bare import names through the importer's tsconfig `paths`: one Node cannot resolve as a
 * package (an installed one, a workspace package linked into node_modules, stays a package: it is
 * required) and esbuild can, to a file outside node_modules. Null otherwise.
 */
async function aliasedFile(build: EsbuildPluginBuild, args: { path: string; importer: string; kind: string; resolveDir: string }): Promise<string | null> {
  if (build.resolve === undefined) return null;
  try {
    createRequire(args.importer).resolve(args.path);
    return null;
  } catch {
    // not a package Node finds: perhaps an alias
  }
  try {
    const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: ESBUILD_RESOLVES });
    return found.errors.length === 0 && !found.external && path.isAbsolute(found.path) && !found.path.split(path.sep).includes('node_modules') ? found.path : null;
  } catch {
    return null;
  }
}

/**
 * The plugin behind the `@tensorflow/*` redirection and the external/bundled split (file
 * comment). `viaRequire`: every external is a bundled `module.exports = require(id)` instead, so
 * an ESM bundle has no `import` statements left and runs inside a function like the CJS one.
 */
function userFilePlugin(viaRequire: boolean, aliases: { used: boolean } = { used: false }): EsbuildPlugin {
  const external = (id: string): { path: string; external?: boolean; namespace?: string } => (viaRequire ? { path: id, namespace: REQUIRE_NAMESPACE } : { path: id, external: true });
  return {
    name: 'lrlab-user-file',
    setup(build: EsbuildPluginBuild): void {
      if (viaRequire) {
        build.onResolve({ filter: /.*/, namespace: REQUIRE_NAMESPACE }, (args) => ({ path: args.path, external: true }));
        build.onLoad({ filter: /.*/, namespace: REQUIRE_NAMESPACE }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
      }
      build.onResolve({ filter: /^@tensorflow\// }, () => external(TF_MODULE_ID));
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === ESBUILD_RESOLVES || !isBare(args.path)) return undefined;
        if (args.path.startsWith('@tensorflow-models/')) return undefined;
        if (isBuiltin(args.path)) return external(args.path);
        // A tsconfig `paths` alias (`@data/synth` → src/data/synth.ts) names the user's own code, as their
        // tsx or tsc build resolves it: bundled like a relative import (kept external, it failed at run
        // time with "Cannot find module '@data/synth'" and advice to npm install it).
        const own = args.importer.split(path.sep).includes('node_modules') ? null : await aliasedFile(build, args);
        if (own !== null) {
          aliases.used = true;
          return { path: own };
        }
        // Inside a bundled package its own dependencies resolve from that package, not the user's file.
        if (args.importer.split(path.sep).includes('node_modules')) {
          try {
            return external(createRequire(args.importer).resolve(args.path));
          } catch {
            // not resolvable: left to fail (or be caught by the package) at run time
          }
        }
        return external(args.path);
      });
    },
  };
}

function fixForBuildError(text: string): string {
  if (/top-level await/i.test(text)) return 'Move the await into createModel() or loadData(): both may be async.';
  if (/could not resolve/i.test(text)) return 'Check the path of this import: relative imports are resolved from the file that contains them.';
  return 'Fix the error; LR Lab must compile the file before it can run it.';
}

export interface Bundle {
  readonly code: string;
  readonly map: SourceMapPayload | null;
  readonly outDir: string;
  /** The code uses top-level await: it runs as the body of an async function. */
  readonly async?: boolean;
}

/**
 * Bundles `file` to one CommonJS script. `topLevelAwait` (training scripts): a file that uses
 * top-level await, which CommonJS cannot hold, is bundled as ESM with its externals required
 * (`userFilePlugin`) and its exports dropped, to run as the body of an async function.
 */
export async function bundle(file: string, options: { topLevelAwait?: boolean; plugin?: EsbuildPlugin; signal?: AbortSignal } = {}): Promise<Bundle> {
  building++; // one esbuild service for both builds of a top-level-await script
  // esbuild-wasm unrefs its service process and its pipes while no request is on them: a process with
  // nothing else to do (a library call, a test) could end with the bundle still pending. The test pool
  // saw it where a service refused a flag and exited before the retry had started its own.
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    return await build(file, false, options.plugin);
  } catch (error) {
    await cancelledInstead(error, options.signal);
    if (options.topLevelAwait !== true || !(error instanceof LrLabError) || !/top-level await/i.test(error.message)) throw error;
    let built: Bundle;
    try {
      built = await build(file, true);
    } catch (again) {
      await cancelledInstead(again, options.signal);
      throw again;
    }
    // The entry's own exports (a script has none to speak of; `export {}` is common in TS).
    return { ...built, code: built.code.replace(/^export\s*\{[^}]*\};?\s*$/m, ''), async: true };
  } finally {
    clearInterval(keepAlive);
    releaseEsbuild();
  }
}

/** `plugin` (CommonJS only) decides what stays external instead of `userFilePlugin` (scale-out's shipModel.ts); such a bundle is not cached. */
async function build(file: string, esm: boolean, plugin?: EsbuildPlugin): Promise<Bundle> {
  const outDir = path.dirname(file);
  // Reused while nothing it was built from changed (bundleCache.ts): no esbuild start at all then.
  const salt = `${packageVersionOf(esbuildMainFile())} ${esm ? 'esm' : 'cjs'}`;
  const cached = plugin === undefined ? readCachedBundle(file, salt) : null;
  if (cached !== null) return { code: cached, map: inlineSourceMap(cached), outDir };
  building++;
  let api: EsbuildApi;
  try {
    api = await esbuild();
  } catch (error) {
    building--;
    throw error;
  }
  // The service (and the api promise) this build runs on: both were set when esbuild() first resolved to it.
  const service = latestService;
  const ready = esbuildReady;
  const builtAt = Date.now();
  const aliases = { used: false };
  try {
    const result = await api.build({
      entryPoints: [file],
      absWorkingDir: outDir,
      outfile: path.join(outDir, '__lrlab_bundle__.js'),
      bundle: true,
      platform: 'node',
      format: esm ? 'esm' : 'cjs',
      target: `node${process.versions.node.split('.')[0] ?? '20'}`,
      write: false,
      sourcemap: 'inline',
      sourcesContent: false,
      keepNames: true,
      logLevel: 'silent',
      // A CommonJS bundle has no import.meta; the model file's own URL is what such code means.
      define: { 'import.meta.url': '__lrlab_import_meta_url', 'import.meta.filename': '__filename', 'import.meta.dirname': '__dirname' },
      plugins: [plugin ?? userFilePlugin(esm, aliases)],
      metafile: true,
    });
    const code = result.outputFiles?.find((f) => f.path.endsWith('.js'))?.text ?? '';
    // The files it read (inputs in a plugin's namespace, `ns:id`, are not files).
    const inputs = Object.keys(result.metafile?.inputs ?? {}).filter((input) => !input.startsWith(`${REQUIRE_NAMESPACE}:`));
    // Not cached where a tsconfig `paths` alias decided what was bundled: the cache knows the inputs, not the tsconfig.
    if (plugin === undefined && !aliases.used) writeCachedBundle(file, salt, inputs.map((input) => path.resolve(outDir, input)), code, builtAt);
    return { code, map: inlineSourceMap(code), outDir };
  } catch (error) {
    const errors = (error as { errors?: EsbuildMessage[] }).errors;
    const first = errors?.[0];
    if (first === undefined) {
      if (await refusedBaselineOnly(service, ready)) return await build(file, esm, plugin);
      // No compile error: esbuild itself did not run (under `ulimit -v` its wasm cannot start).
      const limited = limitedMemoryHelp('esbuild-wasm (which compiles the model file)');
      if (limited !== null) throw new LrLabError('model-file', limited.message, { file, fix: limited.fix, cause: error });
      throw new LrLabError('model-file', `${path.basename(file)} could not be compiled: ${firstLine(error)}.`, { file, fix: 'Fix the file so that it compiles.', cause: error });
    }
    const location = first.location;
    const more = errors !== undefined && errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    const details: { file: string; line?: number; fix: string } = {
      file: location === null ? file : path.resolve(outDir, location.file),
      fix: fixForBuildError(first.text),
    };
    if (location !== null) details.line = location.line;
    // esbuild's words name its output format: a model file (exports, no fit call) is loaded as CommonJS.
    const text = /top-level await/i.test(first.text) && !esm ? 'A model file cannot use top-level await (LR Lab loads it as a CommonJS module)' : first.text;
    throw new LrLabError('model-file', `${text}${location === null ? '' : `: ${location.lineText.trim()}`}${more}`, details);
  } finally {
    releaseEsbuild();
  }
}

// ---------------------------------------------------------------------------------------------
// The inline source map and evaluation

/** The source map esbuild wrote into `code` (also a shipped bundle's, on a worker). */
export function inlineSourceMap(code: string): SourceMapPayload | null {
  const match = /\/\/# sourceMappingURL=data:application\/json;(?:charset=[^;]+;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (match === null) return null;
  try {
    return JSON.parse(Buffer.from(match[1] ?? '', 'base64').toString('utf8')) as SourceMapPayload;
  } catch {
    return null;
  }
}

let loaderWarningQuiet = false;

/**
 * Node's one-time "ExperimentalWarning: vm.USE_MAIN_CONTEXT_DEFAULT_LOADER is an experimental
 * feature" (printed when a user's loadData first calls import()) is about how LR Lab runs the
 * code, not the user's: it is dropped; every other warning is printed as before.
 */
function quietLoaderWarning(): void {
  if (loaderWarningQuiet) return;
  loaderWarningQuiet = true;
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    if ((typeof warning === 'string' ? warning : warning.message).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
    emit(warning, ...rest);
  };
}

/**
 * Evaluates a bundle as a CommonJS module of `file`: its `module.exports`, and for an async
 * bundle the promise of its body (which rejects with what the code throws). `require`
 * answers `TF_MODULE_ID` with `tf`, then asks `override` (for ids it wants to answer itself), then
 * resolves from the user's file. `main`: the file is the program (`require.main === module`).
 * Throws what the code throws, its stack mapped to the user's lines.
 */
export function evaluateBundle(file: string, built: Bundle, tf: unknown, options: { override?: (id: string) => unknown; main?: boolean } = {}): { exports: unknown; done: Promise<unknown> | null } {
  const scriptName = `${file}${BUNDLE_SUFFIX}`;
  const prefix = `(${built.async === true ? 'async ' : ''}function (exports, require, module, __filename, __dirname, __lrlab_import_meta_url) {`;
  registerBundle(scriptName, built.map, built.outDir, prefix.length);
  const fromUserFile = createRequire(file);
  // `require.main`: Node's main module, or (below) the script's own module object.
  const main: object | undefined = fromUserFile.main;
  const requireForUser = Object.assign(
    (id: string): unknown => {
      if (id === TF_MODULE_ID) return tf;
      const answered = options.override?.(id);
      return answered === undefined ? fromUserFile(id) : answered;
    },
    { resolve: fromUserFile.resolve, cache: fromUserFile.cache, main },
  );
  const module: { exports: unknown; filename: string; id: string } = { exports: {}, filename: file, id: file };
  // A script run as the program: `require.main === module` holds, as under `node script.js`.
  if (options.main === true) requireForUser.main = module;
  try {
    // import() of a built-in or a package that the bundle leaves to run time (`await import('node:fs/promises')`
    // in loadData) goes to Node's own loader: without it V8 threw "A dynamic import callback was not specified".
    const dynamicImport = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
    if (dynamicImport !== undefined) quietLoaderWarning();
    const scriptOptions = { filename: scriptName, ...(dynamicImport === undefined ? {} : { importModuleDynamically: dynamicImport }) };
    // A hashbang (`#!/usr/bin/env node`), which esbuild keeps at the top, is valid only as a script's first
    // characters: inside the wrapper it read "threw before calling model.fit: Invalid or unexpected token".
    // Made a comment of the same length, so the source map's lines and columns still hold.
    const code = built.code.startsWith('#!') ? `//${built.code.slice(2)}` : built.code;
    const wrapper = vm.runInThisContext(`${prefix}${code}\n})`, scriptOptions as unknown as vm.RunningCodeOptions) as (...args: unknown[]) => unknown;
    const result = wrapper(module.exports, requireForUser, module, file, path.dirname(file), pathToFileURL(file).href);
    const done = built.async === true ? (result as Promise<unknown>).catch((error: unknown) => {
      locateUserFrame(error);
      throw error;
    }) : null;
    return { exports: module.exports, done };
  } catch (error) {
    locateUserFrame(error);
    throw error;
  }
}
