/**
 * Entry of `dist/engine.js`. Two roles, one bundle:
 * - required by `bin/lrlab`: runs the CLI in-process (`cliMain`);
 * - spawned by the extension host with an IPC channel: serves runs over JSON-RPC (engine issue);
 * - started as a worker thread by scriptRun.ts: runs a training script up to its fit call.
 */
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { format } from 'node:util';
import { isMainThread, workerData } from 'node:worker_threads';
import { onceEach } from './consoleOnce';
import { runCli } from './cli/main';
import { flushStdout, resultChannel, stdoutFailure } from './cli/io';
import { lastProgressMessage } from './cli/progressBar';
import { userCallUnderWay } from './userCode';
import { serveIpc } from './ipcServer';
import { ENGINE_PRIORITY_ENV } from '../protocol/engineRpc';
import { engineOwnsProcess } from './wasmThreads';
import { watchOwner } from './watchdog';
import { locateUserFrame } from './userFrames';
import { isScriptWorkerData, runScriptWorker } from './scriptWorker';
import { onFatalSignal } from './fatalSignals';
import { endChildProcesses } from './childProcesses';
import { thrownText } from './errorMapping';
import { exitingOnPurpose } from './cli/ownExit';
import { strayCaught } from './strayErrors';

export { runCli };

/**
 * `lrlab.enginePriority` low (the host's ENGINE_PRIORITY_ENV): nice 10, below the editor, so that
 * VS Code and its webviews stay responsive while a run trains on every core. Set before tfjs loads:
 * on Linux a thread's priority is its own, and the threads started after this (tfjs-backend-wasm's
 * pthreads, the FMA module's workers) inherit it. Never raised above what the process already has.
 * On Linux with autogrouping (sched(7)), the engine's own session (it starts detached) is a group
 * that competes with the editor's as a whole, whatever its threads' nice: the group's nice is set too
 * (/proc/self/autogroup), which covers every thread, V8's own included.
 */
function lowerPriorityIfAsked(): void {
  if (process.env[ENGINE_PRIORITY_ENV] !== 'low') return;
  const low = os.constants.priority.PRIORITY_BELOW_NORMAL;
  try {
    os.setPriority(0, Math.max(os.getPriority(0), low));
  } catch {
    // Not permitted here: the engine runs at the editor's priority.
  }
  if (process.platform !== 'linux') return;
  try {
    const group = /\bnice\s+(-?\d+)/.exec(readFileSync('/proc/self/autogroup', 'utf8'));
    if (group !== null && Number(group[1]) < low) writeFileSync('/proc/self/autogroup', String(low));
  } catch {
    // No autogrouping (or not permitted): the threads' nice is what counts.
  }
}

/** Spawned by the extension host with an IPC channel and LRLAB_ENGINE=ipc: serve JSON-RPC. */
if (isMainThread && process.env['LRLAB_ENGINE'] === 'ipc' && typeof process.send === 'function') {
  engineOwnsProcess();
  // What a training script spawned outlives its stopped script otherwise (childProcesses.ts).
  process.on('exit', endChildProcesses);
  onFatalSignal(endChildProcesses);
  watchOwner(process.ppid);
  lowerPriorityIfAsked();
  // Its stderr goes to the extension's log: tfjs' repeated advice once there too.
  console.warn = onceEach((text) => process.stderr.write(`${text}\n`));
  serveIpc();
}

/** Started by scriptRun.ts as a worker thread on this very bundle. */
if (!isMainThread && isScriptWorkerData(workerData)) void runScriptWorker(workerData);

let cliStarted = false;

/**
 * Under bin/lrlab's guard (cli/resultGuard.ts) the CLI ends with its parent: EOF on the result's
 * socket (the parent gone) is a cancel as SIGTERM is, and the watchdog kills it where user code
 * blocks the event loop.
 */
function endWithGuard(channel: NonNullable<ReturnType<typeof resultChannel>>): void {
  channel.once('end', () => process.kill(process.pid, 'SIGTERM'));
  channel.resume();
  watchOwner(process.ppid);
}

export function cliMain(): void {
  if (cliStarted) return;
  cliStarted = true;
  const channel = resultChannel();
  if (channel !== null) endWithGuard(channel);
  engineOwnsProcess();
  // stdout carries results (one JSON document with --json); tfjs' own console chatter goes to
  // stderr, its warnings each once (tfjs repeats its advice for every model built).
  const toStderr = (...args: unknown[]): void => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  // Raw writes too (the training-script route does the same in its worker): stdout is the result's.
  process.stdout.write = process.stderr.write.bind(process.stderr);
  console.warn = onceEach((text) => process.stderr.write(`${text}\n`));
  let settled = false;
  const during = (): string => {
    // The user's call under way names it best: an exit in createModel() read 'during "Running loadData()"', the last progress line.
    const call = userCallUnderWay();
    if (call !== null) return ` in ${call}`;
    const step = lastProgressMessage();
    return step === null ? '' : ` during "${step}"`;
  };
  // The user's code awaited something that never settles (a loadData whose callback never fires):
  // nothing is left to run and Node would exit 0 with no result. Say so, and fail.
  process.once('beforeExit', () => {
    if (settled) return;
    settled = true;
    process.stderr.write(`lrlab: the run stopped${during()} with nothing left to wait for: a promise never settled — loadData(), createModel() or something they await (a callback that is never called?). Make each of them resolve or throw.\n`);
    process.exitCode = 1;
  });
  // The user's code called process.exit: the run ends with it, but not without a word, and never
  // as a success (exit(0) read as one, with nothing on stdout).
  process.once('exit', (code) => {
    if (settled || code === 130 || exitingOnPurpose()) return;
    writeSync(2, `lrlab: the run stopped${during()}: the model file (or a library it uses) called process.exit(${code}) before LR Lab had a result.\n`);
    if (code === 0) process.exitCode = 1;
  });
  // The user's code threw outside any call LR Lab awaits (a timer, an event, a promise nobody
  // awaited): one line naming where, not Node's stack under "called process.exit(1)".
  const stray = (how: string) => (error: unknown): void => {
    // A scale-out worker fails the trial running and goes on (strayErrors.ts).
    if (strayCaught(error, how)) return;
    if (settled) return;
    settled = true;
    const at = locateUserFrame(error);
    const message = thrownText(error).split('\n')[0]!.slice(0, 500);
    const where = at === null ? `an error was thrown ${how}` : `the model file threw ${how} (${at.file}:${at.line})`;
    process.stderr.write(`lrlab: the run stopped${during()}: ${where}: ${message}${at === null ? ' (set LRLAB_DEBUG=1 for its stack)' : ''}\n`);
    if (process.env['LRLAB_DEBUG'] !== undefined && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
    exitWhenFlushed(1);
  };
  process.on('exit', endChildProcesses);
  // SIGTERM and SIGHUP skip 'exit': what the model file or script spawned outlived the CLI.
  onFatalSignal(endChildProcesses);
  process.on('uncaughtException', stray('outside the calls LR Lab awaits (from a timer or an event handler)'));
  process.on('unhandledRejection', stray('in a promise nothing awaited'));
  runCli(process.argv.slice(2)).then(
    (code) => {
      settled = true;
      exitWhenFlushed(code);
    },
    (error: unknown) => {
      settled = true;
      process.stderr.write(`lrlab: internal error: ${thrownText(error)}\n`);
      exitWhenFlushed(1);
    },
  );
}

/**
 * Node's own exit, as the process started: a scale-out worker stands in for `process.exit` while a
 * trial runs the model's code (a model's exit fails its trial), and LR Lab's own exits are not the model's.
 */
const processExit = process.exit.bind(process);

/**
 * Exits once stdout and stderr have taken everything written so far. An explicit exit, because
 * the threaded wasm build's worker threads (src/engine/wasmThreads.ts) keep Node's event loop
 * alive after the work is done.
 */
function exitWhenFlushed(code: number): void {
  const exit = processExit;
  process.exitCode = code;
  let pending = 2;
  const done = (): void => {
    // Once, when both have taken it: a failed stdout write calls back twice (the failure was said twice, on one line).
    if (--pending !== 0) return;
    // The result could not be written (a full disk, a closed pipe): not a success.
    const failed = stdoutFailure();
    if (failed !== null && code === 0) {
      writeSync(2, `lrlab: could not write the result to stdout: ${failed.message.split('\n')[0]}\n`);
      exit(1);
    }
    exit(code);
  };
  flushStdout(done);
  process.stderr.write('', done);
}

/**
 * Started as `node dist/engine.js <command> …` with LRLAB_ENGINE=cli: the CLI (`lrlab worker
 * --concurrency N` starts its worker processes this way). The variable is not passed on.
 */
if (isMainThread && process.env['LRLAB_ENGINE'] === 'cli' && require.main === module) {
  delete process.env['LRLAB_ENGINE'];
  cliMain();
}
