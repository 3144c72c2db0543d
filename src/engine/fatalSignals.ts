/**
 * SIGTERM and SIGHUP end a Node process without its 'exit' event, so what LR Lab cleans up at exit
 * (output locks, child processes a model file or training script spawned) would stay behind. Cleanups
 * registered here run first; then, where nothing else of LR Lab handles the signal (the worker
 * command hands its trial back on SIGTERM), the signal does what it would have done.
 */
const cleanups = new Set<() => void>();
const hooked = new Set<NodeJS.Signals>();

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
    process.on(signal, onSignal);
  }
}
