/**
 * Tally of the fault suite: each case records its category and outcome; the table printed at
 * the end of a file is the suite's figures (cases per category, passed, and the standing
 * zero-counts that every case checks).
 *
 * `node --test` runs each test file in its own process, so each process also leaves its tally
 * in a folder shared by the files of one `npm run test:faults` (keyed by the runner's pid) and
 * the table sums every file finished so far: the last table printed covers the whole suite.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FaultTally {
  readonly category: string;
  passed: number;
  failed: number;
}

const tallies = new Map<string, FaultTally>();
export const standing = { userFilesModified: 0, orphanProcesses: 0, historyEntriesLost: 0, partialFilesLeft: 0, stackTracesShown: 0 };

export function record(category: string, ok: boolean): void {
  const t = tallies.get(category) ?? { category, passed: 0, failed: 0 };
  if (ok) t.passed++;
  else t.failed++;
  tallies.set(category, t);
}

interface Published {
  readonly tallies: FaultTally[];
  readonly standing: typeof standing;
}

/**
 * One folder per run of the suite: the pool runner's pid (scripts/node-tests.mjs runs each file
 * under its own `node --test`, whose pid each file's process would see as its parent's), else the
 * one `node --test` running every file.
 */
const shared = path.join(os.tmpdir(), `lrlab-fault-figures-${process.env['LRLAB_TEST_RUN'] ?? process.ppid}`);

/** This file's tally plus those of the files of the same run finished before it. */
function suiteTotals(): { rows: FaultTally[]; standing: typeof standing; files: number } {
  const own: Published = { tallies: [...tallies.values()], standing };
  let others: Published[] = [];
  try {
    // Only under `node --test` (which sets NODE_TEST_CONTEXT in each file's process) do files share a runner.
    if (process.env['NODE_TEST_CONTEXT'] === undefined) throw new Error('not under the test runner');
    // A folder from an earlier run whose runner had the same pid is stale: start afresh.
    let age = 0;
    try {
      age = Date.now() - statSync(shared).mtimeMs;
    } catch {
      // first file of this run
    }
    if (age > 30 * 60_000) rmSync(shared, { recursive: true, force: true });
    // Folders of earlier runs (one small folder per run): swept once they are an hour old.
    for (const name of readdirSync(os.tmpdir()).filter((n) => n.startsWith('lrlab-fault-figures-'))) {
      const old = path.join(os.tmpdir(), name);
      if (old !== shared && Date.now() - statSync(old).mtimeMs > 60 * 60_000) rmSync(old, { recursive: true, force: true });
    }
    mkdirSync(shared, { recursive: true });
    const mine = path.join(shared, `${process.pid}.json`);
    writeFileSync(`${mine}.tmp`, JSON.stringify(own));
    renameSync(`${mine}.tmp`, mine);
    others = readdirSync(shared).filter((n) => n.endsWith('.json') && n !== `${process.pid}.json`).map((n) => JSON.parse(readFileSync(path.join(shared, n), 'utf8')) as Published);
  } catch {
    // not under the runner, or no shared folder (read-only tmp): this file's figures alone
  }
  const rows = new Map<string, FaultTally>();
  const total = { userFilesModified: 0, orphanProcesses: 0, historyEntriesLost: 0, partialFilesLeft: 0, stackTracesShown: 0 };
  for (const p of [...others, own]) {
    for (const t of p.tallies) {
      const r = rows.get(t.category) ?? { category: t.category, passed: 0, failed: 0 };
      r.passed += t.passed;
      r.failed += t.failed;
      rows.set(t.category, r);
    }
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += p.standing[key] ?? 0;
  }
  return { rows: [...rows.values()], standing: total, files: others.length + 1 };
}

export function table(): string {
  const { rows, standing: s, files } = suiteTotals();
  const width = Math.max(8, ...rows.map((r) => r.category.length));
  const lines = [`(test files finished so far: ${files})`, `${'category'.padEnd(width)}  tried  passed`];
  for (const r of rows) lines.push(`${r.category.padEnd(width)}  ${String(r.passed + r.failed).padStart(5)}  ${String(r.passed).padStart(6)}`);
  lines.push(
    `user files modified: ${s.userFilesModified}`,
    `orphan processes: ${s.orphanProcesses}`,
    `history entries lost: ${s.historyEntriesLost}`,
    `partial files left: ${s.partialFilesLeft}`,
    `stack traces shown to the user: ${s.stackTracesShown}`,
  );
  return lines.join('\n');
}
