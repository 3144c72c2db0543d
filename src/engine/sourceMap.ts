/**
 * Stack traces of loaded model files, back to the user's own lines. Every bundle the engine
 * evaluates (bundled here, or shipped in a scale-out job) registers its inline source map under
 * the name its code runs as; `locateUserFrame` rewrites an error's frames through them.
 */
import path from 'node:path';


export interface SourceMapV3 {
  readonly version: number;
  readonly sources: readonly string[];
  readonly sourceRoot?: string;
  readonly mappings: string;
}

export function inlineSourceMap(code: string): SourceMapV3 | null {
  const match = /\/\/# sourceMappingURL=data:application\/json;(?:charset=[^;]+;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (match === null) return null;
  try {
    return JSON.parse(Buffer.from(match[1] ?? '', 'base64').toString('utf8')) as SourceMapV3;
  } catch {
    return null;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Segments per generated line: [generatedColumn, sourceIndex, originalLine, originalColumn], all 0-based. */
function decodeMappings(mappings: string): number[][][] {
  const lines: number[][][] = [];
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: number[][] = [];
    let column = 0;
    for (const segmentText of lineText.split(',')) {
      if (segmentText === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of segmentText) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if ((digit & 32) !== 0) {
          shift += 5;
        } else {
          fields.push((value & 1) === 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0] ?? 0;
      if (fields.length >= 4) {
        source += fields[1] ?? 0;
        originalLine += fields[2] ?? 0;
        originalColumn += fields[3] ?? 0;
        segments.push([column, source, originalLine, originalColumn]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** One evaluated bundle: maps its generated positions to the user's files. */
export class BundleMap {
  private decoded: number[][][] | null = null;
  readonly sources: readonly string[];

  constructor(
    readonly scriptName: string,
    private readonly map: SourceMapV3 | null,
    outDir: string,
    /** Columns the evaluation wrapper adds in front of generated line 1. */
    private readonly firstLineOffset: number,
  ) {
    const root = map?.sourceRoot ?? '';
    this.sources = (map?.sources ?? []).map((source) => path.resolve(outDir, root, source));
  }

  original(line: number, column: number): { file: string; line: number; column: number } | null {
    if (this.map === null) return null;
    this.decoded ??= decodeMappings(this.map.mappings);
    const segments = this.decoded[line - 1];
    if (segments === undefined || segments.length === 0) return null;
    const target = column - 1 - (line === 1 ? this.firstLineOffset : 0);
    let best = segments[0]!;
    for (const segment of segments) {
      if (segment[0]! > target) break;
      best = segment;
    }
    const file = this.sources[best[1]!];
    return file === undefined ? null : { file, line: best[2]! + 1, column: best[3]! + 1 };
  }
}

const bundleMaps = new Map<string, BundleMap>();

/** Registers an evaluated bundle's map under the name its code runs as. */
export function registerBundleMap(map: BundleMap): void {
  bundleMaps.set(map.scriptName, map);
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
  const userFiles = new Set([...bundleMaps.values()].flatMap((map) => map.sources.filter((s) => !s.split(path.sep).includes('node_modules'))));
  for (const match of stack.matchAll(/\(?((?:[A-Za-z]:)?[^\s()]+):(\d+):\d+\)?$/gm)) {
    const file = match[1] ?? '';
    if (userFiles.has(file)) return { file, line: Number(match[2]) };
  }
  return null;
}
