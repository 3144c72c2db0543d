/**
 * Processes a run leaves behind: a training script runs up to its fit call in a worker thread of the
 * engine (scriptRun.ts), so whatever it spawned (`spawn('sleep', …)`, a data server, a Python
 * helper) is a child of the engine's process — and once LR Lab stops the script at its fit, the
 * script's own cleanup after fit never runs. A user trial found such a child living on under init
 * after every run (and after a --fit-timeout or Ctrl-C). When the engine process exits it ends its
 * remaining children (SIGTERM) — the same for the CLI and the editor's engine. Linux only (/proc);
 * elsewhere nothing is done.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** The process ids whose parent is this process (Linux: /proc/<pid>/stat's fourth field). */
export function ownChildren(): number[] {
  if (process.platform !== 'linux') return [];
  const children: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) children.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return children;
}

/** Sends SIGTERM to every child process still running; synchronous, for `process.on('exit')`. */
export function endChildProcesses(): void {
  for (const pid of ownChildren()) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}
