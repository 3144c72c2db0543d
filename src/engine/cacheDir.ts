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
    // A kernel file system is no cache (LRLAB_CACHE_DIR=/proc/self hung in mkdirSync, Ctrl-C unheard): no cache then.
    if (/^\/(proc|sys|dev)(\/|$)/.test(dir)) return null;
    return dir;
  }
  const base = process.platform === 'win32' ? (process.env['LOCALAPPDATA'] ?? path.join(os.homedir(), 'AppData', 'Local')) : (process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'));
  return path.join(base, 'lrlab');
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
