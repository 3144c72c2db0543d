/**
 * Ctrl-C while the user's own code runs (the model module's top level, `createModel`,
 * `loadData`). A JavaScript SIGINT listener runs on the main thread, so it never runs while
 * that code blocks the event loop (`while (true) {}`), and with a listener installed Node no
 * longer ends the process on SIGINT: Ctrl-C would be ignored. So while user code runs there is
 * no listener: SIGINT takes its default action and ends the process at once (exit 130 in the
 * shell). Nothing has been measured at that point, so nothing is lost. The CLI's listener
 * (cli/common.ts: stop after this batch, print what was measured) is back once the call returns.
 */

type Listener = (signal: NodeJS.Signals) => void;

let depth = 0;
let parked: Listener[] = [];

function enter(): void {
  if (depth++ > 0) return;
  parked = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
}

function leave(): void {
  if (--depth > 0) return;
  for (const listener of parked) process.on('SIGINT', listener);
  parked = [];
}

/** Runs a synchronous call into user code with Ctrl-C ending the process. */
export function userCodeSync<T>(call: () => T): T {
  enter();
  try {
    return call();
  } finally {
    leave();
  }
}

/** Runs an asynchronous call into user code (awaited whole) with Ctrl-C ending the process. */
export async function userCode<T>(call: () => Promise<T>): Promise<T> {
  enter();
  try {
    return await call();
  } finally {
    leave();
  }
}
