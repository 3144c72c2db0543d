/**
 * The model file's bundle, kept on disk and reused while nothing it was built from has changed:
 * starting esbuild-wasm and bundling is a few hundred milliseconds of every run's start-up.
 *
 * An entry belongs to one entry file and holds the bundle, the salt it was built under (engine
 * version, esbuild version, Node major, bundle format) and the SHA-256 of the contents of every
 * input esbuild read plus the file names of every folder those inputs are in (a new `util.ts`
 * beside `util.js` changes what `./util` resolves to). A lookup rehashes them all; any difference,
 * or an input modified while the bundle was being built, means a fresh build.
 *
 * Where: `bundles` in LR Lab's cache folder (`cacheDir.ts`: `LRLAB_CACHE_DIR`, else `~/.cache/lrlab`),
 * created private to the user (0700). `LRLAB_BUNDLE_CACHE=off` turns it off. At most `MAX_ENTRIES`
 * files are kept (oldest removed). Any I/O problem means "not cached", never an error.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot, ownedPrivately } from './cacheDir';
import { version as engineVersion } from './version';

/** Bumped when what a bundle contains changes for the same inputs (plugin behaviour, build options). */
const BUNDLE_FORMAT = 3;
export const MAX_ENTRIES = 64;
/** An entry larger than this is not read (a bundle is kilobytes to a few megabytes; a 2 GB file there took 22 s and 2.2 GB). */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

interface Entry {
  readonly format: number;
  readonly salt: string;
  readonly entry: string;
  readonly inputs: readonly { readonly file: string; readonly sha256: string }[];
  readonly folders: readonly { readonly dir: string; readonly sha256: string }[];
  readonly code: string;
}

/** Where bundles are kept, or null (turned off, or no cache folder to use). */
export function bundleCacheDir(): string | null {
  if (process.env['LRLAB_BUNDLE_CACHE'] === 'off') return null;
  const root = cacheRoot();
  return root === null ? null : path.join(root, 'bundles');
}

/** The version in the package.json above a package's `lib/main.js` (esbuild-wasm's), or "unknown". */
export function packageVersionOf(mainFile: string): string {
  try {
    const version = (JSON.parse(readFileSync(path.join(path.dirname(mainFile), '..', 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** `build`: esbuild's version and the output format (a script with top-level await is bundled as ESM). */
function saltOf(build: string): string {
  return `${engineVersion} esbuild ${build} node ${process.versions.node.split('.')[0] ?? ''} format ${BUNDLE_FORMAT}`;
}

function entryPath(dir: string, entry: string): string {
  return path.join(dir, `${sha256(entry).slice(0, 32)}.json`);
}

function folderHash(dir: string): string {
  return sha256(readdirSync(dir).sort().join('\n'));
}

/** `ownedPrivately` for a cache entry: also no larger than MAX_ENTRY_BYTES. */
function trusted(file: string, kind: 'file' | 'folder'): boolean {
  return ownedPrivately(file, kind, MAX_ENTRY_BYTES);
}

function isHashed(list: unknown, key: 'file' | 'dir'): list is readonly Record<typeof key | 'sha256', string>[] {
  return Array.isArray(list) && list.every((x: unknown) => typeof x === 'object' && x !== null && typeof (x as Record<string, unknown>)[key] === 'string' && typeof (x as Record<string, unknown>)['sha256'] === 'string');
}

/**
 * The cached bundle of `entry`, if every input and folder still hashes the same; else null. The
 * entry is checked before it runs as the user's code: a private regular file of a sane size, of
 * the expected shape, whose inputs include the model file itself (an entry listing no inputs
 * matched forever, whatever the file held).
 */
export function readCachedBundle(entry: string, build: string): string | null {
  const dir = bundleCacheDir();
  if (dir === null) return null;
  try {
    const file = entryPath(dir, entry);
    if (!trusted(dir, 'folder') || !trusted(file, 'file')) return null;
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Partial<Entry>;
    if (cached.format !== BUNDLE_FORMAT || cached.salt !== saltOf(build) || cached.entry !== entry || typeof cached.code !== 'string') return null;
    if (!isHashed(cached.inputs, 'file') || !isHashed(cached.folders, 'dir') || !cached.inputs.some((input) => input.file === entry)) return null;
    for (const input of cached.inputs) if (sha256(readFileSync(input.file)) !== input.sha256) return null;
    for (const folder of cached.folders) if (folderHash(folder.dir) !== folder.sha256) return null;
    return cached.code;
  } catch {
    return null;
  }
}

/**
 * Stores a bundle built from `inputs` (absolute paths) that started at `builtAt` (ms since the
 * epoch): nothing is stored when an input changed after that, since the bundle may predate it.
 */
export function writeCachedBundle(entry: string, build: string, inputs: readonly string[], code: string, builtAt: number): void {
  const dir = bundleCacheDir();
  if (dir === null) return;
  let temporary: string | null = null;
  try {
    const hashed: { file: string; sha256: string }[] = [];
    for (const file of inputs) {
      if (statSync(file).mtimeMs >= builtAt) return;
      hashed.push({ file, sha256: sha256(readFileSync(file)) });
    }
    const folders = [...new Set(inputs.map((file) => path.dirname(file)))].map((d) => ({ dir: d, sha256: folderHash(d) }));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!trusted(dir, 'folder')) return;
    const target = entryPath(dir, entry);
    temporary = `${target}.${process.pid}.tmp`;
    const value: Entry = { format: BUNDLE_FORMAT, salt: saltOf(build), entry, inputs: hashed, folders, code };
    writeFileSync(temporary, JSON.stringify(value), { mode: 0o600 });
    renameSync(temporary, target);
    temporary = null;
    prune(dir);
  } catch {
    // a cache that cannot be written is only a slower next start; its temp file is not left behind
    try {
      if (temporary !== null) rmSync(temporary, { force: true });
    } catch {
      // nothing more to do
    }
  }
}

/** A temp file older than this was left by a process killed between write and rename: removed by the next store. */
export const STALE_TEMP_MS = 10 * 60_000;

function prune(dir: string): void {
  const names = readdirSync(dir);
  const now = Date.now();
  for (const f of names.filter((name) => /\.json\.\d+\.tmp$/.test(name))) {
    try {
      if (now - statSync(path.join(dir, f)).mtimeMs > STALE_TEMP_MS) rmSync(path.join(dir, f), { force: true });
    } catch {
      // gone meanwhile
    }
  }
  const files = names.filter((f) => f.endsWith('.json'));
  if (files.length <= MAX_ENTRIES) return;
  const byAge = files.map((f) => ({ f, t: statSync(path.join(dir, f)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { f } of byAge.slice(0, files.length - MAX_ENTRIES)) rmSync(path.join(dir, f), { force: true });
}
