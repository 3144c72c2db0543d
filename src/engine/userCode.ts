/**
 * Ctrl-C while the user's own code runs (the model module's top level, `createModel`,
 * `loadData`). A JavaScript SIGINT listener runs on the main thread, so it never runs while
 * that code blocks the event loop (`while (true) {}`), and with a listener installed Node no
 * longer ends the process on SIGINT: Ctrl-C would be ignored. So while user code runs there is
 * no listener: SIGINT takes its default action and ends the process at once (exit 130 in the
 * shell). Nothing has been measured at that point, so nothing is lost. The CLI's listener
 * (cli/common.ts: stop after this batch, print what was measured) is back once the call returns.
 * SIGTERM and SIGHUP too, where only LR Lab's exit cleanups listen (fatalSignals.ts): `timeout 60
 * lrlab find-lr` on a model stuck in `while (true) {}` ran until SIGKILL. What that costs: a process
 * the user's own code started (loadData's data server) is not sent SIGTERM at such an end, as it is
 * at any other; output locks are still cleaned up (outputs.ts' cleaner), as after Ctrl-C here.
 * A call that may take long (`loadData()`) is awaited by `awaitUserCode`, which says, at growing
 * intervals, that LR Lab is still waiting for it.
 */
import path from 'node:path';
import { LrLabError } from '../protocol/errors';
import { formatSeconds } from '../protocol/format';
import { STILL_WAITING, WAITING_PHASE } from '../protocol/progress';
import type { Reporter } from './reporter';
import { onlyCleanupListeners } from './fatalSignals';

type Listener = (signal: NodeJS.Signals) => void;

let depth = 0;
let parked: Listener[] = [];
/** SIGTERM's and SIGHUP's listeners, parked where they are only LR Lab's cleanups (fatalSignals.ts). */
let parkedFatal: [NodeJS.Signals, Listener[]][] = [];
/** The awaited call into user code under way (`createModel()`), for a process.exit inside it to be named by it. */
let awaiting: string | null = null;

/** The user call under way (`createModel()`, `loadData()`), or null. */
export function userCallUnderWay(): string | null {
  return awaiting;
}

function enter(): void {
  if (depth++ > 0) return;
  parked = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  // SIGTERM and SIGHUP likewise (`timeout`, a CI job's stop, a closed terminal), where only LR Lab's
  // exit cleanups listen: a worker's SIGTERM hands its trial back, and keeps its listener. The output
  // locks are cleaned after such an end (outputs.ts' cleaner), as after Ctrl-C here.
  parkedFatal = (['SIGTERM', 'SIGHUP'] as const).filter((s) => process.listenerCount(s) > 0 && onlyCleanupListeners(s)).map((s) => [s, process.listeners(s) as Listener[]]);
  for (const [signal] of parkedFatal) process.removeAllListeners(signal);
}

function leave(): void {
  if (--depth > 0) return;
  for (const listener of parked) process.on('SIGINT', listener);
  parked = [];
  for (const [signal, listeners] of parkedFatal) for (const listener of listeners) process.on(signal, listener);
  parkedFatal = [];
}

/**
 * Event-loop turns before user code runs, where Ctrl-C's listeners are still installed: a SIGINT
 * that came while LR Lab's own code held the thread (tfjs loading, bundling) is waiting in the loop,
 * and removing the listeners before it is dispatched drops it (libuv reads the signal from its pipe
 * in the poll phase and drops it for a handle that was stopped) — the run then trained to its end
 * and exited 0. Call it (awaited) right before `userCodeSync`; `userCode` and `awaitUserCode` do it
 * themselves.
 *
 * The turns go on until one comes round quickly (`QUIET_TURN_MS`): only then did the loop's last
 * poll, where a caught signal is dispatched, happen a moment ago. Two fixed turns were not enough:
 * other work after the poll (a warm-up step, 13 ms) held the thread, and a Ctrl-C that came then
 * was dropped when the listeners went right after (3 of 4 at 30 ms after "Loading"). What it cannot
 * close: a SIGINT that arrives in that last moment (longer on a loaded machine whose main thread is
 * descheduled there) is still lost; a second Ctrl-C then stops the run. So is one that another of
 * the process's threads (tfjs's workers) takes while the main thread, inside libuv's removal of the
 * listeners, has signals blocked: libuv's handler there waits for the removal and then finds no one
 * to tell. JavaScript cannot close either. Measured with `train` Ctrl-C'd 0–60 ms after "Loading":
 * none lost in 100 on a quiet machine, 2 in 44 with three busy loops beside two CPUs; a fence (the
 * process sends itself SIGURG and waits for its listener, which libuv's pipe delivers after any
 * earlier SIGINT) lost 4–5 in 44 there: starting and stopping its own handle adds blocked moments.
 */
export async function signalsDelivered(): Promise<void> {
  if (depth > 0 || process.listenerCount('SIGINT') === 0) return;
  const deadline = performance.now() + SIGNAL_TURNS_MAX_MS;
  // The first turn: called from a poll-phase callback (a file read's), the first immediate runs before
  // the loop polls again.
  await new Promise<void>((resolve) => setImmediate(resolve));
  for (;;) {
    const before = performance.now();
    await new Promise<void>((resolve) => setImmediate(resolve));
    const now = performance.now();
    if (now - before <= QUIET_TURN_MS || now >= deadline) return;
  }
}

/** A loop turn this short (poll included) leaves no time for a signal to wait unread. */
const QUIET_TURN_MS = 1;
/** How long `signalsDelivered` turns at most when the loop stays busy (then the window stays open). */
const SIGNAL_TURNS_MAX_MS = 250;

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
  await signalsDelivered();
  enter();
  try {
    return await call();
  } finally {
    leave();
  }
}

/** The first "still waiting" notice of `awaitUserCode`, and the longest gap between two (they double in between). */
export const WAIT_NOTICES = { firstMs: 10_000, maxGapMs: 5 * 60_000 } as const;

/**
 * Says `say(elapsed)` after `timing.firstMs`, then at doubling gaps up to `timing.maxGapMs`, until the
 * returned function stops it; its timers keep no process alive. The "still waiting" notices of a slow
 * `loadData()` (`awaitUserCode`) and of a training script on its way to its fit call (scriptRun.ts).
 */
export function growingNotices(say: (elapsed: string) => void, timing: { readonly firstMs: number; readonly maxGapMs: number } = WAIT_NOTICES): () => void {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const notice = (gap: number): void => {
    timer = setTimeout(() => {
      say(formatSeconds((performance.now() - started) / 1000));
      notice(Math.min(gap * 2, timing.maxGapMs));
    }, gap);
    timer.unref();
  };
  notice(timing.firstMs);
  return () => clearTimeout(timer);
}

export interface UserCallWait {
  /** The call as the user knows it: `loadData()`. */
  readonly call: string;
  /** The model file it is in. */
  readonly file: string;
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
  /** Notice timing (tests); `WAIT_NOTICES` by default. */
  readonly notices?: { readonly firstMs: number; readonly maxGapMs: number };
}

/**
 * `userCode` for an awaited call that may take long: a `loadData()` that downloads or parses a large
 * file, or one whose promise never settles while a timer of the user's keeps the process alive
 * (without one, main.ts's `beforeExit` says so at once). LR Lab waits as long as it takes — a slow
 * loader is legitimate, and only a training script has a limit (`--fit-timeout`: a script may
 * never reach its fit call at all) — but never silently: after `firstMs`, then at doubling gaps
 * (10 s, 30 s, 70 s, 150 s, … with the defaults) a progress message in the `waiting` phase names the
 * call, the file and the time so far, for the CLI's stderr and the editor's progress alike.
 * Cancelling (the editor's cancel, the run's signal) ends the wait at once with a `cancelled` error
 * naming the call; Ctrl-C in the CLI ends the process as `userCode` has it. The notices' timers do
 * not keep the process alive.
 */
export async function awaitUserCode<T>(call: () => Promise<T>, wait: UserCallWait): Promise<T> {
  // Before the signal is read below: a Ctrl-C pending in the loop cancels the run instead of being lost.
  await signalsDelivered();
  const name = path.basename(wait.file);
  const started = performance.now();
  const elapsed = (): string => formatSeconds((performance.now() - started) / 1000);
  const stopNotices = growingNotices((so) => wait.reporter.progress(WAITING_PHASE, `${STILL_WAITING} ${wait.call} in ${name}: ${so} so far (the run goes on once the promise it returned settles)`, null, true), wait.notices);
  let onAbort: (() => void) | undefined;
  const cancelled = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new LrLabError('cancelled', `The run was cancelled while waiting for ${wait.call} in ${name} (after ${elapsed()}).`));
  });
  // Handled here too: when call() throws synchronously the race below never subscribes, and a signal
  // aborted already would leave this rejection unhandled (Node ends the process on those).
  cancelled.catch(() => undefined);
  wait.signal.addEventListener('abort', onAbort!, { once: true });
  if (wait.signal.aborted) onAbort!();
  enter();
  const outer = awaiting;
  awaiting = wait.call;
  try {
    return await Promise.race([call(), cancelled]);
  } finally {
    awaiting = outer;
    // Also when cancelled with the user's promise still pending: Ctrl-C's listeners come back for what follows.
    leave();
    stopNotices();
    wait.signal.removeEventListener('abort', onAbort!);
  }
}
