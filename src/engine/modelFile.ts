/**
 * Loads the user's model file (design.md, "The user's model file"): JS or TS, ESM or CommonJS.
 *
 * The file is bundled with esbuild-wasm (esbuild's native binary is not allowed in a VSIX):
 * relative imports are bundled, bare imports stay external and are `require`d from the user's
 * own folder, so the workspace's `node_modules` resolve as the user's code expects. Every
 * `@tensorflow/*` import — tfjs, tfjs-node, tfjs-core, tfjs-layers, ... — is answered with the
 * engine's own tf instance, so the user's tensors and models live in the engine's registry
 * (tfjs-node and a second tfjs must never load in one process).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { LrLabError } from '../protocol/errors';
import type { Tf } from './tfjs';

export interface UserModelModule {
  readonly file: string;
  createModel(hp: { dropout?: number }): tfjs.LayersModel;
  loadData(): Promise<unknown>;
  /** `export const loss` (a loss name or function), when the file has one. */
  readonly loss?: string | ((yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor) | undefined;
  readonly metrics?: readonly string[] | undefined;
}

const SOURCE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx'];

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number; lineText: string } | null;
}

interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[]; warnings: EsbuildMessage[] }>;
}

let esbuildModule: Esbuild | null = null;

function esbuild(): Esbuild {
  if (esbuildModule === null) {
    try {
      // In a packaged extension the copy next to dist/engine.js; in development the dependency.
      const shipped = path.join(__dirname, 'esbuild-wasm', 'lib', 'main.js');
      esbuildModule = (existsSync(shipped) ? require(shipped) : require('esbuild-wasm')) as Esbuild;
    } catch (error) {
      throw new LrLabError('internal', `LR Lab's esbuild-wasm is missing (${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}).`, { fix: 'Reinstall LR Lab.' });
    }
  }
  return esbuildModule;
}

async function bundle(file: string): Promise<string> {
  try {
    const result = await esbuild().build({
      entryPoints: [file],
      absWorkingDir: path.dirname(file),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'silent',
    });
    return result.outputFiles[0]?.text ?? '';
  } catch (error) {
    const errors = (error as { errors?: EsbuildMessage[] }).errors;
    const first = errors?.[0];
    if (first === undefined) throw error;
    const where = first.location;
    const details: { file: string; line?: number; fix: string } = {
      file: where === null ? file : path.resolve(path.dirname(file), where.file),
      fix: /Top-level await/i.test(first.text) ? 'Move the await into loadData() (top-level await is not supported here).' : 'Fix the syntax error; the file must build before LR Lab can run it.',
    };
    if (where !== null) details.line = where.line;
    const more = errors !== undefined && errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new LrLabError('model-file', `${first.text}${where === null ? '' : `: ${where.lineText.trim()}`}${more}`, details);
  }
}

/** Where a user-code error happened, from its stack: the first frame in the user's file. */
function userLine(error: unknown, file: string): number | undefined {
  const stack = error instanceof Error ? error.stack ?? '' : '';
  const match = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(stack);
  return match === null ? undefined : Number(match[1]);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : value === null ? 'null' : typeof value;
}

export async function loadModelModule(file: string, tf: Tf): Promise<UserModelModule> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) {
    throw new LrLabError('model-file', `Model file not found: ${absolute}.`, { file: absolute, fix: 'Check the path; it is resolved from the current folder.' });
  }
  if (!SOURCE_EXTENSIONS.includes(path.extname(absolute).toLowerCase())) {
    throw new LrLabError('model-file', `${path.basename(absolute)} is not a JS/TS model file or a model.json.`, { file: absolute, fix: `Give a ${SOURCE_EXTENSIONS.join('/')} file exporting createModel and loadData, or a tfjs model.json with --data and --label.` });
  }
  const code = await bundle(absolute);
  const userRequire = createRequire(absolute);
  const requireForUser = (name: string): unknown => (name.startsWith('@tensorflow/') ? tf : userRequire(name));
  const module: { exports: Record<string, unknown> } = { exports: {} };
  try {
    const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: absolute }) as (
      exports: unknown,
      require: (name: string) => unknown,
      module: unknown,
      filename: string,
      dirname: string,
    ) => void;
    wrapper(module.exports, requireForUser, module, absolute, path.dirname(absolute));
  } catch (error) {
    if (error instanceof LrLabError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const missing = /Cannot find module '([^']+)'/.exec(message);
    const line = userLine(error, absolute);
    throw new LrLabError('model-file', `${path.basename(absolute)} failed while loading: ${message.split('\n')[0] ?? message}`, {
      file: absolute,
      ...(line === undefined ? {} : { line }),
      fix: missing === null ? 'Fix the error in the model file (it runs when LR Lab loads it).' : `Install ${missing[1] ?? 'it'} in your workspace (npm install ${missing[1] ?? ''}).`,
      cause: error,
    });
  }
  const exports = module.exports;
  const found = Object.keys(exports).filter((k) => k !== '__esModule');
  const foundText = found.length === 0 ? 'no exports' : `exports found: ${found.join(', ')}`;
  for (const name of ['createModel', 'loadData'] as const) {
    if (typeof exports[name] !== 'function') {
      throw new LrLabError('model-exports', `${path.basename(absolute)} does not export a ${name} function (${exports[name] === undefined ? foundText : `${name} is ${describe(exports[name])}`}).`, {
        file: absolute,
        fix: name === 'createModel'
          ? 'Add `export function createModel(hp) { ... return model; }` that builds a new tf.LayersModel on each call.'
          : 'Add `export async function loadData() { return { train: { xs, ys }, validation: { xs, ys } }; }`.',
      });
    }
  }
  const loss = exports['loss'];
  if (loss !== undefined && typeof loss !== 'string' && typeof loss !== 'function') {
    throw new LrLabError('model-exports', `The \`loss\` export of ${path.basename(absolute)} is ${describe(loss)}; it must be a loss name like 'categoricalCrossentropy' or a function.`, { file: absolute });
  }
  const metrics = exports['metrics'];
  return {
    file: absolute,
    createModel: exports['createModel'] as UserModelModule['createModel'],
    loadData: exports['loadData'] as UserModelModule['loadData'],
    loss: loss as UserModelModule['loss'],
    metrics: Array.isArray(metrics) ? metrics.filter((m): m is string => typeof m === 'string') : undefined,
  };
}

const built = new WeakMap<UserModelModule, WeakSet<object>>();

function isLayersModel(value: unknown): value is tfjs.LayersModel {
  const v = value as Partial<tfjs.LayersModel> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.layers) && typeof v.predict === 'function' && typeof v.getWeights === 'function' && typeof v.apply === 'function';
}

/** Calls createModel and checks it returned a new tfjs LayersModel. */
export function buildModel(mod: UserModelModule, hp: { dropout?: number }): tfjs.LayersModel {
  let model: unknown;
  try {
    model = mod.createModel(hp);
  } catch (error) {
    if (error instanceof LrLabError) throw error;
    const line = userLine(error, mod.file);
    throw new LrLabError('model-build', `createModel threw: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}`, {
      file: mod.file,
      ...(line === undefined ? {} : { line }),
      fix: 'Fix createModel so that it builds the model.',
      cause: error,
    });
  }
  if (model instanceof Promise) {
    throw new LrLabError('model-build', 'createModel returned a Promise; it must return the model itself.', { file: mod.file, fix: 'Make createModel synchronous (load data in loadData(), not in createModel).' });
  }
  if (!isLayersModel(model)) {
    throw new LrLabError('model-build', `createModel returned ${describe(model)}, not a tf.LayersModel.`, { file: mod.file, fix: 'Return the model, e.g. `const model = tf.sequential(); ...; return model;`.' });
  }
  let seen = built.get(mod);
  if (seen === undefined) {
    seen = new WeakSet();
    built.set(mod, seen);
  }
  if (seen.has(model)) {
    throw new LrLabError('model-build', 'createModel returned the same model instance twice; every range test needs fresh weights.', { file: mod.file, fix: 'Build a new model inside createModel on each call instead of returning a cached one.' });
  }
  seen.add(model);
  return model;
}
