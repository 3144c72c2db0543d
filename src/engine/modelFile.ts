/**
 * Loads the user's model file (design.md, "The user's model file"): JS or TS, ESM or CommonJS,
 * bundled and evaluated by `bundler.ts`, then checked for the contract's exports.
 *
 * The namespace the user's file sees for every `@tensorflow/*` import is a thin view of the
 * engine's own tf, so no second tfjs ever loads and the user's tensors and models live in the
 * engine's registry: `setBackend` is a no-op (LR Lab's `--backend` decides), tfjs-backend-wasm's
 * setup functions exist as no-ops, and `tf.node` explains itself when the backend is not tfjs-node.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';
import { bundle, evaluateBundle, firstLine, locateUserFrame } from './bundler';
import type { Tf } from './tfjs';

export { locateUserFrame } from './bundler';

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


// ---------------------------------------------------------------------------------------------
// The tf namespace the user's code sees

const userNamespaces = new WeakMap<object, Tf>();

/** The engine's tf, as the user's file sees it (file comment). Property reads go to the real namespace. */
export function userFacingTf(tf: Tf): Tf {
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

/** The checks every user JS/TS file passes before it is bundled: it exists and is JS/TS. */
export function checkSourceFile(file: string): string {
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
  return absolute;
}

/** Bundles and evaluates a user model file; checks its exports. */
export async function loadModelModule(file: string, tf: Tf): Promise<UserModelModule> {
  const absolute = checkSourceFile(file);
  const built = await bundle(absolute);
  let moduleExports: unknown;
  try {
    moduleExports = evaluateBundle(absolute, built, userFacingTf(tf)).exports;
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
  return checkExports(moduleExports, absolute);
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
