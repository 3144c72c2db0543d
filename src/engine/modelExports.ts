/**
 * What the user's model file must export (`createModel`, `loadData`; `loss` and `metrics`
 * optional) and what `createModel` must return (a new tf.LayersModel on each call): checked with
 * errors that say what was found and how to fix it. User functions are wrapped so that their
 * errors carry mapped stacks.
 */
import type * as tfjs from '@tensorflow/tfjs';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';
import { firstLine } from './errorMapping';
import { isKnownMetricName } from './metrics';
import type { UserLossFunction, UserModelModule } from './modelFile';
import { locateUserFrame } from './userFrames';
import type { UserCallWait } from './userCode';
import { awaitUserCode, userCode } from './userCode';

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as { constructor?: { name?: string } }).constructor?.name ?? 'Object'})`;
  return `a ${typeof value}`;
}

export function userError(code: 'model-file' | 'model-build', error: unknown, file: string, message: string, fix: string): LrLabError {
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


export function checkExports(moduleExports: unknown, file: string): UserModelModule {
  const name = path.basename(file);
  let exports = (typeof moduleExports === 'object' || typeof moduleExports === 'function') && moduleExports !== null ? (moduleExports as Record<string, unknown>) : {};
  // `export default { createModel, loadData }` is the contract too.
  const fallback = exports['default'];
  if (exports['createModel'] === undefined && exports['loadData'] === undefined && typeof fallback === 'object' && fallback !== null) {
    exports = fallback as Record<string, unknown>;
  }
  const found = Object.keys(exports).filter((key) => key !== '__esModule');
  // `module.exports = 5` exports a number, not nothing.
  const other = moduleExports !== undefined && moduleExports !== null && typeof moduleExports !== 'object' && typeof moduleExports !== 'function' ? typeof moduleExports : null;
  const foundText = other !== null ? `it exports a ${other}, not an object of functions` : found.length === 0 ? 'it exports nothing' : `exports found: ${found.join(', ')}`;
  const fixes = {
    createModel: 'Add `export function createModel(hp) { const model = tf.sequential(); ...; return model; }` that builds a new tf.LayersModel on each call.',
    loadData: 'Add `export async function loadData() { return { train: { xs, ys }, validation: { xs, ys } }; }` (validation is optional).',
  };
  for (const key of ['createModel', 'loadData'] as const) {
    const value = exports[key];
    if (value === undefined) {
      // `export default function createModel() {…}` exports it as `default`, not by name: say so.
      const asDefault = typeof fallback === 'function' && fallback.name === key;
      throw new LrLabError('model-exports', `${name} does not export ${key} (${foundText}${asDefault ? `: its ${key} is the default export` : ''}).`, { file, fix: asDefault ? `Export it by name: \`export function ${key}(…)\` instead of \`export default function ${key}(…)\` (LR Lab reads createModel and loadData by their names).` : fixes[key] });
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
    // An array with a function in it (`[tf.metrics.meanSquaredError]`) read "is an array; it must be an array".
    const items: readonly unknown[] = Array.isArray(metrics) ? (metrics as unknown[]) : [];
    const at = items.findIndex((m) => typeof m !== 'string');
    const item = items[at];
    const fnName = typeof item === 'function' ? item.name : '';
    const what = at >= 0 ? `an array whose element ${at} is ${describe(item)}${fnName === '' ? '' : ` (${fnName})`}` : describe(metrics);
    throw new LrLabError('model-exports', `The metrics export of ${name} is ${what}; it must be an array of metric names like ['accuracy'] or ['meanSquaredError'].`, { file, fix: fnName !== '' && isKnownMetricName(fnName) ? `Name each metric as model.compile takes it by name ('${fnName}' for that function).` : `Name each metric as model.compile takes it by name (${fnName === '' ? 'e.g. ' : `${fnName} is a function of your own, which LR Lab does not compute: leave it out; `}'accuracy', 'meanSquaredError', …).` });
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

/**
 * Calls createModel and checks that it returned a new tfjs LayersModel. An `async createModel`
 * (one that awaits `tf.loadLayersModel` for pretrained parts, say) is awaited.
 */
export async function buildModel(mod: UserModelModule, hp: { dropout?: number }, wait?: Pick<UserCallWait, 'reporter' | 'signal'>): Promise<tfjs.LayersModel> {
  let model: unknown;
  try {
    // With `wait` (the first build, while the run loads): a slow or never-settling async createModel says so.
    model = wait === undefined ? await userCode(async () => mod.createModel(hp)) : await awaitUserCode(async () => mod.createModel(hp), { call: 'createModel()', file: mod.file, ...wait });
  } catch (error) {
    throw userError('model-build', error, mod.file, `createModel threw: ${firstLine(error)}`, 'Fix createModel so that it builds the model.');
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
  // A layer object made once outside createModel and added to each model it builds shares its weights
  // across them, and they go with the first model LR Lab disposes: a user's module-level hidden layer
  // ended the range test with "internal error: LayersVariable dense_Dense4/kernel is already disposed".
  const layers = layersOf(model);
  const shared = layers.find((layer) => seen.has(layer));
  if (shared !== undefined) {
    throw new LrLabError('model-build', `createModel must build new layers on each call: layer '${shared.name}' was already in a model it built before (a layer object made once, outside createModel, is shared by every model built with it, and so are its weights).`, {
      file: mod.file,
      fix: 'Create every layer inside createModel (for a pretrained part, load it there: an async createModel can await tf.loadLayersModel); every range test and run needs fresh weights.',
    });
  }
  seen.add(model);
  for (const layer of layers) seen.add(layer);
  return model;
}

/** Every layer of a model, those of the models nested in it included (a functional model can hold a whole model as one layer). */
function layersOf(model: tfjs.LayersModel): { readonly name: string }[] {
  const all: { readonly name: string }[] = [];
  const walk = (layers: readonly unknown[]): void => {
    for (const layer of layers) {
      if (typeof layer !== 'object' || layer === null) continue;
      all.push(layer as { name: string });
      const nested = (layer as { layers?: unknown }).layers;
      if (Array.isArray(nested)) walk(nested);
    }
  };
  walk(model.layers);
  return all;
}
