/**
 * Loads the user's model file (design.md, "The user's model file"): JS or TS, ESM or CommonJS,
 * bundled and evaluated by bundler.ts (esbuild-wasm, `vm`, the `@tensorflow/*` redirection) with
 * userTf.ts's view of the engine's tf, then checked for the contract's exports by modelExports.ts
 * (which also builds the models). Errors from the user's code name their own file and line
 * (userFrames.ts).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';
import { bundle, evaluateBundle } from './bundler';
import { firstLine } from './errorMapping';
import { checkExports, userError } from './modelExports';
import type { Tf } from './tfjs';
import { userCodeSync } from './userCode';
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

/** Bundles a model file ahead of its run (a pre-started engine): the bundle cache then has it. */
export async function prepareBundle(file: string): Promise<void> {
  await bundle(checkSourceFile(file));
}

/** Bundles and evaluates a user model file; checks its exports. `tf` may still be loading: bundling does not need it. */
export async function loadModelModule(file: string, tfLoading: Tf | Promise<Tf>): Promise<UserModelModule> {
  const absolute = checkSourceFile(file);
  const built = await bundle(absolute);
  const tf = await tfLoading;
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
