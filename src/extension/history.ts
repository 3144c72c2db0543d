/**
 * Run history on disk. One JSON file per run, written atomically (temp file + rename in the same
 * folder), so a crash mid-write leaves the old file or none — never a torn one — and two windows
 * on one workspace never write the same file. Each file is versioned; a corrupt, foreign or
 * future-version file is skipped with a warning, never fatal.
 *
 * Where: the extension's workspace storage, or `.lrlab/runs/` in the workspace when the user
 * opts in (`lrlab.shareHistory`) to keep runs with the repository.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RunSnapshot } from '../protocol/webviewMessages';
import { RESULT_FORMAT_VERSION } from '../protocol/results';

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

function fileName(run: RunSnapshot): string {
  return `${run.startedAt.replace(/[:.]/g, '-')}-${run.runId}.json`;
}

function isRunSnapshot(value: unknown): value is RunSnapshot {
  const v = value as Partial<RunSnapshot> | null;
  return typeof v === 'object' && v !== null && typeof v.runId === 'string' && typeof v.model === 'string' && typeof v.kind === 'string' && typeof v.startedAt === 'string' && typeof v.series === 'object' && v.series !== null;
}

export class RunHistory {
  constructor(readonly folder: string) {}

  /** Writes one finished run atomically. Throws when the folder is not writable (the caller warns). */
  async save(run: RunSnapshot): Promise<string> {
    await fs.mkdir(this.folder, { recursive: true });
    const target = path.join(this.folder, fileName(run));
    const temp = path.join(this.folder, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
    const doc: HistoryFile = { format: HISTORY_FORMAT, version: RESULT_FORMAT_VERSION, run };
    await fs.writeFile(temp, JSON.stringify(doc), { flag: 'wx' });
    try {
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    return target;
  }

  async load(): Promise<LoadedHistory> {
    let names: string[];
    try {
      names = await fs.readdir(this.folder);
    } catch {
      return { runs: [], skipped: [] };
    }
    const runs: RunSnapshot[] = [];
    const skipped: string[] = [];
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const file = path.join(this.folder, name);
      try {
        const doc = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<HistoryFile>;
        if (doc.format !== HISTORY_FORMAT) {
          skipped.push(`${name}: not an LR Lab run file`);
        } else if (typeof doc.version !== 'number' || doc.version > RESULT_FORMAT_VERSION) {
          skipped.push(`${name}: written by a newer LR Lab (format ${String(doc.version)}); update LR Lab to read it`);
        } else if (!isRunSnapshot(doc.run)) {
          skipped.push(`${name}: incomplete run record`);
        } else {
          runs.push(doc.run);
        }
      } catch (error) {
        skipped.push(`${name}: unreadable (${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)})`);
      }
    }
    return { runs, skipped };
  }

  async remove(run: RunSnapshot): Promise<void> {
    await fs.rm(path.join(this.folder, fileName(run)), { force: true });
  }
}
