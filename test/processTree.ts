/** The process tree from Linux /proc, for tests that check what a run started and what it left behind. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

/** A process's /proc/<pid>/stat fields after its name (state, ppid, pgrp, …), or null when it is gone. */
export function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Every process as pid → [ppid, pgrp], from /proc. */
export function processTable(): Map<number, [number, number]> {
  const table = new Map<number, [number, number]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(name);
    if (fields !== null) table.set(Number(name), [Number(fields[1]), Number(fields[2])]); // else gone meanwhile
  }
  return table;
}

/** The processes started by `pid` (a process the test started, never init), at any depth. */
export function descendants(pid: number): number[] {
  assert.ok(Number.isInteger(pid) && pid > 1, `not a process of this test: ${pid}`);
  const all = processTable();
  const found = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [p, [ppid]] of all) {
      if (found.has(p) || p === pid) continue;
      if (ppid === pid || found.has(ppid)) {
        found.add(p);
        grew = true;
      }
    }
  }
  return [...found];
}
