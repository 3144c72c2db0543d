/**
 * Run history on disk. One JSON file per run, written atomically (temp file + rename in the same
 * folder), so a crash mid-write leaves the old file or none — never a torn one — and two windows
 * on one workspace never write the same file, or, saving the same shared run at once, each
 * replace it whole (the later rename wins). Each file is versioned; a corrupt, foreign or
 * future-version file is skipped with a warning, never fatal. Tested with real processes in
 * test/faults/concurrency.test.ts (concurrent writers, SIGKILL mid-save) and paths.test.ts.
 *
 * Where: the extension's workspace storage, or `.lrlab/runs/` in the workspace when the user
 * opts in (`lrlab.shareHistory`) to keep runs with the repository.
 *
 * A run file is untrusted input (a shared folder is repository content): a file over
 * `MAX_RUN_FILE_BYTES` or nested deeper than `MAX_RUN_FILE_DEPTH` is skipped unread, and every
 * field of the rest is checked by `runSnapshotSchema` (src/protocol/resultSchema.ts) — a run
 * that fails is skipped with the field and the reason; what loads is the checked copy. With a
 * `root`, the folder's real path (symlinks followed) must lie inside the root's, or nothing is
 * read from or written to it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RunSnapshot } from '../protocol/webviewMessages';
import { RESULT_FORMAT_VERSION } from '../protocol/results';
import { runSnapshotSchema } from '../protocol/resultSchema';
import { SchemaError, jsonDepth } from '../protocol/schema';
import { printable } from '../protocol/errors';

/**
 * A run file larger than this is skipped unread, and a run larger than this is not saved (`save` says so):
 * a default range test saves well under 1 MB, the longest one `lrlab.steps` takes (100,000 steps, ~260
 * bytes a point) about 26 MB. It was 10 MB, under what LR Lab itself wrote: a user's 43,390-step run saved
 * 11.3 MB and was gone from the Runs view after a reload, without a word.
 */
export const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;

/** A run too large for a history file (`MAX_RUN_FILE_BYTES`): not written, since it could not be read back. */
export class RunTooLargeError extends Error {}
/** Arrays and objects nested deeper than this: not a run file (ours nest about 8 deep). */
export const MAX_RUN_FILE_DEPTH = 100;

export const HISTORY_FORMAT = 'lrlab-run';

interface HistoryFile {
  readonly format: typeof HISTORY_FORMAT;
  readonly version: number;
  readonly run: RunSnapshot;
}

export interface LoadedHistory {
  readonly runs: RunSnapshot[];
  /** One line per skipped file: which and why. */
  readonly skipped: string[];
}

/**
 * The file of a run: always one plain name directly in the history folder. `runId` and
 * `startedAt` come from run files, and a shared `.lrlab/runs` is repository content that the
 * workspace may not have written: a run claiming `startedAt: "link/victim"` (with `link` a
 * symlink committed in that folder), a separator, a control character or 300 characters must
 * not turn a save or a delete into a write outside the folder, or an ENAMETOOLONG. Our own runs
 * (ISO time + UUID) keep their readable name; anything else is reduced to `[\w-]` and gets a
 * hash of the original so two different runs never share a file.
 */
export function fileName(run: Pick<RunSnapshot, 'runId' | 'startedAt'>): string {
  const raw = `${String(run.startedAt).replace(/[:.]/g, '-')}-${String(run.runId)}`;
  if (/^[\w-]{1,120}$/.test(raw)) return `${raw}.json`;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  return `${raw.replace(/[^\w-]+/g, '_').slice(0, 80)}-${hash}.json`;
}

/**
 * Temp files of a save in progress: hidden, never `.json`, so `load` never reads one. Exactly the
 * names `save` makes (`.<run file>.json.<12 hex>.tmp`): the runs folder is the workspace's, and a
 * user's own `.notes.tmp` there is theirs (any hidden `.tmp` older than 10 minutes was deleted).
 */
const TEMP = /^\.[^/]+\.json\.[0-9a-f]{12}\.tmp$/;
/**
 * A temp file this old is left over from a process killed mid-write (a save takes
 * milliseconds), not one another window is still writing; `load` deletes those.
 */
export const STALE_TEMP_MS = 10 * 60_000;

/** Whether `inner` is `outer` or inside it (both real paths). */
function isInside(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (a folder not made yet). */
async function realPathOf(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch (error) {
    const parent = path.dirname(p);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === p) throw error;
    return path.join(await realPathOf(parent), path.basename(p));
  }
}

/**
 * A file name in the history's notes as one safe line: control characters (line breaks included) and
 * bidirectional overrides written as escapes. A file named with an ESC and a newline wrote a line of its
 * own into the output channel ("history: skipped FAKE LINE").
 */
function shownName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A value of a run file as a short printable text. */
function oneLineValue(value: unknown): string {
  return printable(JSON.stringify(value) ?? String(value)).slice(0, 40);
}

/** One run file, checked: the run, or why it is skipped. */
export function parseRunFile(text: string): { run: RunSnapshot } | { skip: string } {
  if (jsonDepth(text, MAX_RUN_FILE_DEPTH) > MAX_RUN_FILE_DEPTH) return { skip: `nested more than ${MAX_RUN_FILE_DEPTH} levels deep: not an LR Lab run file` };
  // A byte-order mark from an editor that saved the file is not the file's content (it read "unreadable").
  const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as Partial<HistoryFile> | null;
  if (typeof doc !== 'object' || doc === null || doc.format !== HISTORY_FORMAT) return { skip: 'not an LR Lab run file' };
  // Only a whole format number above ours is a newer LR Lab's ("1" as a string read as one; -5 loaded).
  if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1) return { skip: `its format version ${oneLineValue(doc.version)} is not one LR Lab writes` };
  if (doc.version > RESULT_FORMAT_VERSION) return { skip: `written by a newer LR Lab (format ${doc.version}); update LR Lab to read it` };
  try {
    return { run: runSnapshotSchema.parse(doc.run, 'run') };
  } catch (error) {
    if (error instanceof SchemaError) return { skip: `refused: ${error.message}` };
    throw error;
  }
}

/** A run file's name: `.json`, not a hidden one (temp files of a save in progress are). */
function isRunFileName(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.');
}

export class RunHistory {
  /**
   * runId → the file it was loaded from. A run file named otherwise than `fileName` (renamed by
   * the user, or written by another tool) is saved back to and deleted from that file, never
   * from a name derived from its (untrusted) content.
   */
  private readonly files = new Map<string, string>();

  /**
   * @param root When given (a shared folder in the workspace), the folder's real path must lie
   *   inside the root's: a `.lrlab` or `runs` that is a symlink out of the workspace is refused.
   */
  constructor(readonly folder: string, readonly root?: string) {}

  /** Kept in the workspace (repository content), not in the extension's storage. */
  get shared(): boolean {
    return this.root !== undefined;
  }

  /** Throws when the folder resolves outside its root (a symlink committed to the repository). */
  private async checkRealPath(): Promise<void> {
    if (this.root === undefined) return;
    const [root, real] = await Promise.all([fs.realpath(this.root), realPathOf(this.folder)]);
    if (!isInside(root, real)) throw new Error(`${this.folder} leads to ${real}, outside the workspace (a symlink): LR Lab does not read or write run history there`);
  }

  private fileOf(run: RunSnapshot): string {
    const name = this.files.get(run.runId) ?? fileName(run);
    const file = path.join(this.folder, name);
    // Belt and braces: whatever the name, the file is a direct child of the folder.
    if (path.resolve(path.dirname(file)) !== path.resolve(this.folder) || name !== path.basename(file)) throw new Error(`refusing history file name ${JSON.stringify(name)}`);
    return file;
  }

  /** The file a run is saved to and deleted from. */
  pathOf(run: RunSnapshot): string {
    return this.fileOf(run);
  }

  /** Writes one finished run atomically. Throws when the folder is not writable (the caller warns). */
  async save(run: RunSnapshot): Promise<string> {
    await this.checkRealPath();
    await fs.mkdir(this.folder, { recursive: true });
    await this.checkRealPath();
    const target = this.fileOf(run);
    // Random temp name, created exclusively ('wx'): two windows saving the same run at once
    // write two temp files and the later rename wins whole; neither sees the other's bytes.
    const temp = path.join(this.folder, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    const doc: HistoryFile = { format: HISTORY_FORMAT, version: RESULT_FORMAT_VERSION, run };
    const text = JSON.stringify(doc);
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_RUN_FILE_BYTES) {
      throw new RunTooLargeError(`the run is ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${MAX_RUN_FILE_BYTES / 1024 / 1024} MB a run file may have, so it is not kept in history (fewer steps keep it; Export chart saves it as CSV or JSON)`);
    }
    try {
      await fs.writeFile(temp, text, { flag: 'wx' });
      await fs.rename(temp, target);
    } catch (error) {
      // A failed write (disk full) or rename leaves no partial temp behind; but EEXIST means the
      // name is someone else's temp, which is theirs to rename.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await fs.rm(temp, { force: true });
      throw error;
    }
    return target;
  }

  async load(): Promise<LoadedHistory> {
    let names: string[];
    try {
      await this.checkRealPath();
    } catch (error) {
      return { runs: [], skipped: [error instanceof Error ? error.message : String(error)] };
    }
    try {
      names = await fs.readdir(this.folder);
    } catch (error) {
      // No folder yet: no runs saved. One that cannot be read (no permission, a file in its place) is said,
      // as an unreadable run file is: every saved run vanished from the list without a word.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { runs: [], skipped: [] };
      const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'it is not a folder' : error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      return { runs: [], skipped: [`${shownName(this.folder)}: the history folder cannot be read (${printable(why)}), so no saved run is listed`] };
    }
    const runs: RunSnapshot[] = [];
    const skipped: string[] = [];
    for (const name of names.filter(isRunFileName).sort()) {
      const one = await this.readOne(name, (id) => runs.some((r) => r.runId === id));
      if (one === null) continue;
      if ('skip' in one) skipped.push(one.skip);
      else runs.push(one.run);
    }
    await this.sweepTemps(names);
    return { runs, skipped };
  }

  /**
   * One run file of the folder, written or changed since the folder was read (another window, a
   * `git pull`): its run, or why it is skipped; null where it is gone or no run file.
   */
  async loadOne(name: string, loaded: (runId: string) => boolean): Promise<{ run: RunSnapshot } | { skip: string } | null> {
    if (!isRunFileName(name) || path.basename(name) !== name) return null;
    try {
      await this.checkRealPath();
    } catch (error) {
      return { skip: error instanceof Error ? error.message : String(error) };
    }
    return this.readOne(name, loaded);
  }

  /** Forgets the file of a run whose file went (deleted from outside). */
  forget(runId: string): void {
    this.files.delete(runId);
  }

  /** The run whose file this is, where one was loaded from or saved to it. */
  runIdOf(name: string): string | null {
    for (const [runId, file] of this.files) if (file === name) return runId;
    return null;
  }

  private async readOne(name: string, loaded: (runId: string) => boolean): Promise<{ run: RunSnapshot } | { skip: string } | null> {
    const file = path.join(this.folder, name);
    try {
      const stat = await fs.lstat(file);
      if (!stat.isFile()) return { skip: `${shownName(name)}: not a regular file (a link or a folder)` };
      if (stat.size > MAX_RUN_FILE_BYTES) return { skip: `${shownName(name)}: ${(stat.size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_RUN_FILE_BYTES / 1024 / 1024} MB a run file may have` };
      const parsed = parseRunFile(await fs.readFile(file, 'utf8'));
      if ('skip' in parsed) return { skip: `${shownName(name)}: ${parsed.skip}` };
      if (loaded(parsed.run.runId) && this.files.get(parsed.run.runId) !== name) return { skip: `${shownName(name)}: run ${parsed.run.runId} is already loaded from ${shownName(this.files.get(parsed.run.runId) ?? 'another file')}` };
      this.files.set(parsed.run.runId, name);
      return { run: parsed.run };
    } catch (error) {
      // Listed, then deleted by another window before we read it: gone, not broken.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return { skip: `${shownName(name)}: unreadable (${printable(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error))})` };
    }
  }

  /** Deletes temp files left by a process killed mid-save (old ones only: a fresh one may be another window's save in progress). */
  private async sweepTemps(names: readonly string[]): Promise<void> {
    const now = Date.now();
    for (const name of names.filter((n) => TEMP.test(n))) {
      const file = path.join(this.folder, name);
      try {
        const stat = await fs.lstat(file);
        if (stat.isFile() && now - stat.mtimeMs > STALE_TEMP_MS) await fs.rm(file, { force: true });
      } catch {
        // gone already, or a read-only folder: harmless, the reader ignores temp files
      }
    }
  }

  async remove(run: RunSnapshot): Promise<void> {
    await this.checkRealPath();
    await fs.rm(this.fileOf(run), { force: true });
    this.files.delete(run.runId);
  }
}
