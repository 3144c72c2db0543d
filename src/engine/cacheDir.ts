/**
 * Where LR Lab keeps what it caches for a user (model bundles, the engine's compiled code), and
 * whether a file found there may be trusted. Small on purpose: `dist/launch.js` bundles it and must
 * stay a few kilobytes.
 *
 * `LRLAB_CACHE_DIR` (the extension passes its global storage folder), else the user's cache folder
 * (`$XDG_CACHE_HOME` or `~/.cache`, `%LOCALAPPDATA%` on Windows) + `lrlab`.
 */
import { type Stats, lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { START_FOLDER } from './startFolder';

/** LR Lab's cache folder, or null where there is none to use. */
export function cacheRoot(): string | null {
  const explicit = process.env['LRLAB_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') {
    // Read from where the user typed it, not from the model file's folder the engine moves to (a
    // user's `LRLAB_CACHE_DIR=cache` made a cache inside each model's folder).
    const dir = path.resolve(START_FOLDER, explicit);
    return onKernelFileSystem(dir) ? null : dir;
  }
  // XDG_CACHE_HOME only where absolute (the XDG spec ignores a relative one), and a home folder only
  // where absolute: `HOME=` or `HOME=relhome` put a 2 MB cache in the model's folder, where a commit
  // could take it.
  const xdg = process.env['XDG_CACHE_HOME'];
  const home = os.homedir();
  const base = process.platform === 'win32'
    ? (process.env['LOCALAPPDATA'] ?? path.join(home, 'AppData', 'Local'))
    : xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.isAbsolute(home) ? path.join(home, '.cache') : null;
  if (base === null || !path.isAbsolute(base)) return null;
  const dir = path.join(base, 'lrlab');
  return onKernelFileSystem(dir) ? null : dir;
}

/**
 * A kernel file system is no cache: LRLAB_CACHE_DIR=/proc/self, and HOME=/proc, hung in mkdirSync
 * (Ctrl-C unheard, `lrlab --help` too). No cache then.
 */
function onKernelFileSystem(dir: string): boolean {
  return /^\/(proc|sys|dev)(\/|$)/.test(dir);
}

/**
 * Whether `file` may be trusted as this user's own: a regular file (of at most `maxBytes`) or folder
 * (not a link, FIFO or device), owned by this user and writable by no one else — what another
 * account could have planted runs as the user's code. (Windows has no such modes: there the checks
 * are kind and size.) Throws where `file` cannot be read.
 */
export function ownedPrivately(file: string, kind: 'file' | 'folder', maxBytes = Number.POSITIVE_INFINITY): boolean {
  return privatelyOwned(lstatSync(file), kind, maxBytes);
}

/** `ownedPrivately` on a stat already taken (of a file opened without following links, say). */
export function privatelyOwned(stat: Stats, kind: 'file' | 'folder', maxBytes = Number.POSITIVE_INFINITY): boolean {
  if (kind === 'file' ? !stat.isFile() : !stat.isDirectory()) return false;
  if (kind === 'file' && stat.size > maxBytes) return false;
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return true;
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/**
 * Set in a process that ran an experiment (`loadForRun`), read by the launcher's code cache
 * (launch.ts): a cache written by a process that ran none (`lrlab --help`, `lrlab schedule`) holds
 * the engine's top level only — 0.6 MB against 2.3 — and the next process that runs one replaces it.
 * A global, not a module's state: the launcher and the engine are separate bundles.
 */
const RAN_EXPERIMENT = Symbol.for('lrlab.ranExperiment');

export function markExperimentRan(): void {
  (globalThis as Record<symbol, unknown>)[RAN_EXPERIMENT] = true;
}

export function experimentRan(): boolean {
  return (globalThis as Record<symbol, unknown>)[RAN_EXPERIMENT] === true;
}
