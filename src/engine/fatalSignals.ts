/**
 * SIGTERM and SIGHUP end a Node process without its 'exit' event, so what LR Lab cleans up at exit
 * (output locks, child processes a model file or training script spawned) would stay behind. Cleanups
 * registered here run first; then, where nothing else of LR Lab handles the signal (the worker
 * command hands its trial back on SIGTERM), the signal does what it would have done.
 */
const cleanups = new Set<() => void>();
const hooked = new Set<NodeJS.Signals>();
/** The listeners this file installed, one per signal. */
const ours = new Set<(...args: unknown[]) => void>();

/**
 * Whether `signal`'s listeners are only this file's: then nothing of LR Lab but its cleanups needs it,
 * and while user code blocks the event loop (userCode.ts) the signal may take its default action —
 * a listener that cannot run kept `timeout`'s SIGTERM and a closed terminal's SIGHUP from ending a
 * model file stuck in `while (true) {}`.
 */
export function onlyCleanupListeners(signal: 'SIGTERM' | 'SIGHUP'): boolean {
  return process.listeners(signal).every((l) => ours.has(l as (...args: unknown[]) => void));
}

export function onFatalSignal(cleanup: () => void): void {
  cleanups.add(cleanup);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    if (hooked.has(signal)) continue;
    hooked.add(signal);
    const onSignal = (): void => {
      for (const run of cleanups) {
        try {
          run();
        } catch {
          // one cleanup failing leaves the others to run
        }
      }
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    ours.add(onSignal);
    process.on(signal, onSignal);
  }
}
