/**
 * Loads the user's model file (design.md, "The user's model file"): JS or TS, ESM or CommonJS,
 * bundled and evaluated by bundler.ts (esbuild-wasm, `vm`, the `@tensorflow/*` redirection) with
 * userTf.ts's view of the engine's tf, then checked for the contract's exports by modelExports.ts
 * (which also builds the models). Errors from the user's code name their own file and line
 * (userFrames.ts).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';
import type { ModelBundle } from '../protocol/requests';
import { bundle, evaluateBundle, inlineSourceMap } from './bundler';
import { firstLine, throwIfAborted } from './errorMapping';
import { START_FOLDER } from './startFolder';
import { checkExports, userError } from './modelExports';
import type { Tf } from './tfjs';
import { signalsDelivered, userCodeSync } from './userCode';
import { userFacingTf } from './userTf';

export type UserLossFunction = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor;

export interface UserModelModule {
  readonly file: string;
  createModel(hp: { dropout?: number }): tfjs.LayersModel | Promise<tfjs.LayersModel>;
  loadData(): Promise<unknown>;
  /** `export const loss` (a loss name or function), when the file has one. */
  readonly loss?: string | UserLossFunction | undefined;
  readonly metrics?: readonly string[] | undefined;
}

export const MODEL_FILE_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx'];

/**
 * The three things a model argument may be, as the errors that ask for one name them (README and
 * `lrlab help find-lr` name the same three; a message naming only the first two sent a user with a
 * training script off to write a model file).
 */
export const MODEL_ARGUMENT_FORMS = 'a .ts/.js file exporting createModel and loadData, a training script that calls model.fit, or a tfjs model.json with --data and --label';

/** A model file that is not there, by its absolute path (which the error's file names: the message does not repeat it). */
export function modelFileNotFound(absolute: string): LrLabError {
  return new LrLabError('model-file', 'Model file not found.', { file: absolute, fix: 'Check the path; a relative path is resolved from the current folder.' });
}

/**
 * A folder given as the model file (`lrlab find-lr examples/mnist-mlp`), naming the model files in
 * it; a folder called `model.js` read as "Could not resolve" from esbuild.
 */
function folderNotFile(absolute: string): LrLabError {
  let inside: string[] = [];
  try {
    inside = readdirSync(absolute, { withFileTypes: true })
      .filter((e) => e.isFile() && (MODEL_FILE_EXTENSIONS.includes(path.extname(e.name).toLowerCase()) || e.name.toLowerCase() === 'model.json'))
      .map((e) => e.name)
      .sort((a, b) => Number(b.startsWith('model.')) - Number(a.startsWith('model.')) || a.localeCompare(b));
  } catch {
    // unreadable: the message still says it is a folder
  }
  // As the user would type them from here: `find-lr .` inside the folder was told "mnist-mlp/model.ts".
  const shown = inside.slice(0, 3).map((name) => {
    const relative = path.relative(START_FOLDER, path.join(absolute, name));
    return relative.startsWith('..') || path.isAbsolute(relative) ? path.join(absolute, name) : relative;
  });
  return new LrLabError('model-file', `${path.basename(absolute)} is a folder, not a model file.`, {
    file: absolute,
    fix: shown.length === 0 ? `Give the model file itself: ${MODEL_ARGUMENT_FORMS}.` : `Give the model file itself, e.g. ${shown.join(' or ')}.`,
  });
}

/**
 * A device, FIFO or socket where a file is read: it has no size to check against a limit (/dev/zero
 * as a CSV grew the engine past 16 GB) and a FIFO blocks the read until a writer comes (Ctrl-C unheard).
 */
export function notRegularFile(file: string, stat: Stats, code: 'model-file' | 'bad-option', fix: string, option?: 'data'): LrLabError {
  const what = stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isSocket() ? 'a socket' : 'not a file';
  return new LrLabError(code, `${option === undefined ? '' : `--${option} `}${path.basename(file)} is ${what}, not a regular file: LR Lab reads files it can size first.`, { file, fix, ...(option === undefined ? {} : { option }) });
}

/** The checks every user JS/TS file passes before it is bundled: it exists, is a file and is JS/TS. */
export function checkSourceFile(file: string): string {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) throw modelFileNotFound(absolute);
  const stat = statSync(absolute);
  if (stat.isDirectory()) throw folderNotFile(absolute);
  if (!stat.isFile()) throw notRegularFile(absolute, stat, 'model-file', `Give the model file itself: ${MODEL_ARGUMENT_FORMS}.`);
  if (!MODEL_FILE_EXTENSIONS.includes(path.extname(absolute).toLowerCase())) {
    throw new LrLabError('model-file', `${path.basename(absolute)} is not a JS/TS file or a model.json.`, {
      file: absolute,
      fix: `Give ${MODEL_ARGUMENT_FORMS} (JS/TS: ${MODEL_FILE_EXTENSIONS.join('/')}).`,
    });
  }
  return absolute;
}

/**
 * Bundles shipped by scale-out jobs, by the model file's path on the submitting machine: a worker
 * evaluates the job's code as that file (its `__filename`, its `require`) without reading it.
 */
const shippedBundles = new Map<string, ModelBundle>();

export function registerShippedBundle(shipped: ModelBundle): void {
  shippedBundles.set(path.resolve(shipped.file), shipped);
}

export function shippedBundle(file: string): ModelBundle | undefined {
  return shippedBundles.get(path.resolve(file));
}

/** Bundles a model file ahead of its run (a pre-started engine): the bundle cache then has it. */
export async function prepareBundle(file: string): Promise<void> {
  await bundle(checkSourceFile(file));
}

/** A model file's code, bundled (or shipped), ready to evaluate. */
export type BuiltModelFile = Awaited<ReturnType<typeof bundle>>;

/** Bundles (or takes the shipped bundle of) a user model file; `loadModelModule` evaluates it. */
export async function bundleModelFile(file: string, signal?: AbortSignal): Promise<BuiltModelFile> {
  const shipped = shippedBundle(file);
  if (shipped !== undefined) return { code: shipped.code, map: inlineSourceMap(shipped.code), outDir: path.dirname(path.resolve(file)) };
  return bundle(checkSourceFile(file), signal === undefined ? {} : { signal });
}

/**
 * Bundles (or takes the shipped bundle of) a user model file, evaluates it and checks its
 * exports. `tf` may still be loading: bundling does not need it. `building`: the bundle, where the
 * caller started it (`bundleModelFile`) to know when it is built.
 */
export async function loadModelModule(file: string, tfLoading: Tf | Promise<Tf>, signal?: AbortSignal, building?: Promise<BuiltModelFile>): Promise<UserModelModule> {
  // The bundle checked the file (checkSourceFile) unless it was shipped.
  const built = await (building ?? bundleModelFile(file, signal));
  const absolute = path.resolve(file);
  const tf = await tfLoading;
  // A Ctrl-C during the bundling or tfjs's loading reaches the CLI's listener, and cancels, before the module runs.
  await signalsDelivered();
  throwIfAborted(signal);
  let moduleExports: unknown;
  try {
    moduleExports = userCodeSync(() => evaluateBundle(absolute, built, userFacingTf(tf)).exports);
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
