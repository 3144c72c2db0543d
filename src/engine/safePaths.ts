/**
 * Paths that come from files LR Lab reads (a model.json's weightsManifest) stay where they
 * belong, and real paths (symlinks followed) decide.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';

/** Whether `inner` is `outer` or lies inside it. */
export function isInside(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for a file not made yet). */
export function realPathOf(p: string): string {
  try {
    return realpathSync(p);
  } catch (error) {
    const parent = path.dirname(p);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === p) throw error;
    return path.join(realPathOf(parent), path.basename(p));
  }
}

/**
 * A weights shard a model.json names: inside the model's folder, also once symlinks are followed
 * (`../../../etc/passwd`, an absolute path or a link out of the folder are refused).
 */
export function weightsFileOf(jsonFile: string, shard: string): string {
  const dir = path.dirname(jsonFile);
  const file = path.resolve(dir, shard);
  if (!isInside(dir, file) || file === dir || !isInside(realPathOf(dir), realPathOf(file))) {
    throw new LrLabError('model-file', `${path.basename(jsonFile)} lists the weights file ${JSON.stringify(shard)}, which is outside the model's folder ${dir}.`, {
      file: jsonFile,
      fix: `Keep the weight files next to ${path.basename(jsonFile)} and name them relative to it (e.g. "weights.bin").`,
    });
  }
  return file;
}
