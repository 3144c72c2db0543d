/**
 * Tally of the fault suite: each case records its category and outcome; the table printed at
 * the end of a file is the suite's figures (cases per category, passed, and the standing
 * zero-counts that every case checks).
 */
export interface FaultTally {
  readonly category: string;
  passed: number;
  failed: number;
}

const tallies = new Map<string, FaultTally>();
export const standing = { userFilesModified: 0, orphanProcesses: 0, historyEntriesLost: 0, stackTracesShown: 0 };

export function record(category: string, ok: boolean): void {
  const t = tallies.get(category) ?? { category, passed: 0, failed: 0 };
  if (ok) t.passed++;
  else t.failed++;
  tallies.set(category, t);
}

export function table(): string {
  const rows = [...tallies.values()];
  const width = Math.max(8, ...rows.map((r) => r.category.length));
  const lines = [`${'category'.padEnd(width)}  tried  passed`];
  for (const r of rows) lines.push(`${r.category.padEnd(width)}  ${String(r.passed + r.failed).padStart(5)}  ${String(r.passed).padStart(6)}`);
  lines.push(
    `user files modified: ${standing.userFilesModified}`,
    `orphan processes: ${standing.orphanProcesses}`,
    `history entries lost: ${standing.historyEntriesLost}`,
    `stack traces shown to the user: ${standing.stackTracesShown}`,
  );
  return lines.join('\n');
}
