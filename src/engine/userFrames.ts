/**
 * Stack traces of the user's code: evaluated bundles are named `<file>?lrlab-bundle`, and errors
 * from them get their frames mapped back through the bundle's source map (Node's
 * `module.SourceMap`) to `<their file>:<line>:<column>`.
 */
import { SourceMap } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import { realpathSync } from 'node:fs';
import path from 'node:path';

/** The esbuild namespace of an ESM bundle's `require` shims (bundler.ts): `lrlab-require:<package>` in its source map. */
export const REQUIRE_NAMESPACE = 'lrlab-require';

/** One evaluated bundle: maps its generated positions to the user's files. */
class BundleMap {
  private readonly map: SourceMap | null;
  /** The map's sources, resolved against the bundle's folder, by the name the map gives them. */
  private readonly resolved = new Map<string, string>();

  constructor(
    readonly scriptName: string,
    payload: SourceMapPayload | null,
    outDir: string,
    /** Columns the evaluation wrapper adds in front of generated line 1. */
    private readonly firstLineOffset: number,
  ) {
    this.map = payload === null ? null : new SourceMap(payload);
    const root = payload?.sourceRoot ?? '';
    for (const source of payload?.sources ?? []) this.resolved.set(source, path.resolve(outDir, root, sourcePath(source)));
  }

  get sources(): string[] {
    return [...this.resolved.values()];
  }

  /** The original position of a 1-based generated line and column, or `null` when that line maps nowhere there. */
  original(line: number, column: number): { file: string; line: number; column: number } | null {
    if (this.map === null) return null;
    const entry = this.map.findEntry(line - 1, column - 1 - (line === 1 ? this.firstLineOffset : 0));
    // findEntry answers the nearest mapping before the position, possibly on an earlier line.
    if (!('originalSource' in entry) || entry.generatedLine !== line - 1) return null;
    const file = this.resolved.get(entry.originalSource);
    return file === undefined ? null : { file, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }
}

/**
 * A source map's source as a path: esbuild writes them as URL paths, percent-encoded
 * (`w%C3%A4rm_up.ts`, `run%232.ts`, a `%` as `%25`), so a script named with a non-ASCII letter or a
 * `#` was never found at its own lines (its --fit-line never matched, its places read encoded).
 */
function sourcePath(source: string): string {
  try {
    return decodeURIComponent(source);
  } catch {
    return source; // a lone % of a map that did not encode it
  }
}

const bundleMaps = new Map<string, BundleMap>();

/** Records a bundle evaluated as `scriptName` (its source map, its folder, the wrapper's columns on line 1). */
export function registerBundle(scriptName: string, map: SourceMapPayload | null, outDir: string, firstLineOffset: number): void {
  bundleMaps.set(scriptName, new BundleMap(scriptName, map, outDir, firstLineOffset));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites, in place, the stack of an error thrown by code of a loaded model file so that its
 * frames name the user's files and lines. Returns the first such location, if any. Safe to call
 * on any value and more than once.
 */
export function locateUserFrame(error: unknown): { file: string; line: number } | null {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return null;
  let stack = error.stack;
  for (const map of bundleMaps.values()) {
    if (!stack.includes(map.scriptName)) continue;
    stack = stack.replace(new RegExp(`${escapeRegExp(map.scriptName)}:(\\d+):(\\d+)`, 'g'), (whole, line: string, column: string) => {
      const original = map.original(Number(line), Number(column));
      return original === null ? whole : `${original.file}:${original.line}:${original.column}`;
    });
  }
  if (stack !== error.stack) {
    try {
      error.stack = stack;
    } catch {
      // a frozen error keeps its stack
    }
  }
  // Not node_modules, and not the bundler's own `require` shims of an ESM bundle (`lrlab-require:pkg`): a
  // missing package was located at "/folder/lrlab-require:pkg:1" instead of the script's import line.
  const userFiles = new Set([...bundleMaps.values()].flatMap((map) => map.sources.filter((s) => !s.split(path.sep).includes('node_modules') && !path.basename(s).startsWith(`${REQUIRE_NAMESPACE}:`))));
  // The first frame that names one of them: found by each file's own name, so a folder with a space
  // ("My Project") matches — a pattern of non-space characters lost every such frame, and with it
  // the fit call's line (no insert lens at it, the schedule offered at every fit of the file).
  let first: { index: number; file: string; line: number } | null = null;
  for (const file of userFiles) {
    const frame = new RegExp(`(?:^|[\\s(])${escapeRegExp(file)}:(\\d+):\\d+\\)?$`, 'm').exec(stack);
    if (frame !== null && (first === null || frame.index < first.index)) first = { index: frame.index, file, line: Number(frame[1]) };
  }
  return first === null ? null : { file: first.file, line: first.line };
}

/**
 * A place in the script's own code (`at`) as messages name it, `file:line`: the file relative to the
 * script's folder (`lib/build.js:10`), not by its bare name (`build.js:10` sent a user looking beside
 * the script for a file in its lib folder); the script itself by its name.
 */
export function placeInScript(script: string, at: { readonly file: string; readonly line: number }): string {
  const relative = sameFile(at.file, script) ? path.basename(script) : path.relative(path.dirname(path.resolve(script)), path.resolve(at.file));
  return `${relative === '' ? path.basename(at.file) : relative}:${at.line}`;
}

/**
 * Whether two paths name one file, symlinks followed: the frames name a script by its real path (the
 * bundler follows links), the user by the path they gave — a linked script lost its fit call's line.
 */
export function sameFile(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b) || realOrSame(a) === realOrSame(b);
}

/** The lines of `file` among the frames of `error`'s stack, mapped to the user's files: the call and the calls on the way to it. */
export function frameLinesIn(error: unknown, file: string): number[] {
  locateUserFrame(error);
  if (!(error instanceof Error) || typeof error.stack !== 'string') return [];
  // By the path given or its real one (the frames name a linked script by where the link leads).
  const names = [...new Set([file, realOrSame(file)])].map(escapeRegExp).join('|');
  return [...error.stack.matchAll(new RegExp(`(?:${names}):(\\d+):\\d+`, 'g'))].map((m) => Number(m[1]));
}

/** The real path of `file` (symlinks followed), or `file` where it cannot be read. */
function realOrSame(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
