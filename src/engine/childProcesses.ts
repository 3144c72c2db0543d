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

/**
 * The fields of /proc/<pid>/stat after the command name (Linux), which sits in parentheses and may hold
 * spaces and parentheses itself: [0] the state, [1] the parent's pid, [19] the start time. `null` where unknown.
 */
export function procStatFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
}

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
    if (/^\d+$/.test(entry) && Number(procStatFields(entry)?.[1]) === process.pid) children.push(Number(entry));
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

/** Whether a process with this pid exists (another user's counts: EPERM). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
