/**
 * An engine process dies with its owner, even while user code blocks its event loop.
 *
 * An engine served over IPC (the editor's, or a batch-size trial's child engine) leads its own
 * process group, so that a kill reaches what it started (esbuild-wasm's helper, wasm threads).
 * It exits when its IPC channel closes, but only if its JavaScript thread is free to see that:
 * a `createModel` that loops forever would keep it, and its group, alive after the owner is
 * gone. So each such engine starts a watchdog outside its JavaScript thread: a tiny `sh` loop
 * in the engine's group that checks the owner every WATCH_INTERVAL and kills the whole group
 * (itself included) once the owner is gone. It ends by itself when the engine exits.
 *
 * No watchdog on Windows (no process groups, no `sh`): there the channel's close is the only
 * way out, as before.
 */
import { spawn } from 'node:child_process';

/** How often the watchdog checks the owner (seconds; `sleep` takes fractions on Linux and macOS). */
export const WATCH_INTERVAL_S = 0.2;

/**
 * The script: `$1` the owner's pid, `$2` the engine's pid (the group leader). `kill -0` fails
 * once a process is gone; the engine's own exit ends the loop without a kill.
 */
const SCRIPT = `trap '' INT HUP
while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep ${WATCH_INTERVAL_S}; done
kill -0 "$2" 2>/dev/null && { kill -KILL "-$2" 2>/dev/null || kill -KILL "$2"; }`;

/** Starts the watchdog for this process (a group leader) and its owner `ownerPid`; returns its pid, or null where there is none. */
export function watchOwner(ownerPid: number): number | null {
  if (process.platform === 'win32' || ownerPid <= 1) return null;
  try {
    const child = spawn('/bin/sh', ['-c', SCRIPT, 'lrlab-watchdog', String(ownerPid), String(process.pid)], { stdio: 'ignore' });
    child.on('error', () => undefined); // no sh: the channel's close still ends the engine
    child.unref();
    return child.pid ?? null;
  } catch {
    return null;
  }
}
