/**
 * Loads the user's model file (design.md, "The user's model file"): JS or TS, ESM or CommonJS.
 *
 * The file is bundled in memory (bundler.ts: esbuild-wasm, one CommonJS script with an inline
 * source map), then evaluated with `vm` as a module of the user's folder: `require`, `module`,
 * `exports`, `__filename`, `__dirname` are the file's. Its exports are checked and its models
 * built by modelExports.ts; the tf it sees is userTf.ts's view of the engine's.
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
 * - Stack traces (userFrames.ts): evaluated code is named `<file>?lrlab-bundle`; errors from the
 *   user's code get their frames mapped back through the source map to `<their file>:<line>:<column>`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { LrLabError } from '../protocol/errors';
import { TF_MODULE_ID, bundle } from './bundler';
import { firstLine } from './errorMapping';
import { checkExports, userError } from './modelExports';
import type { Tf } from './tfjs';
import { registerBundle } from './userFrames';
import { userFacingTf } from './userTf';

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

const BUNDLE_SUFFIX = '?lrlab-bundle';

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
  registerBundle(scriptName, map, outDir, prefix.length);

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
