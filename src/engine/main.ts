/**
 * Entry of `dist/engine.js`. Two roles, one bundle:
 * - required by `bin/lrlab`: runs the CLI in-process (`cliMain`);
 * - spawned by the extension host with an IPC channel: serves runs over JSON-RPC (engine issue);
 * - started as a worker thread by scriptRun.ts: runs a training script up to its fit call.
 */
import { format } from 'node:util';
import { isMainThread, workerData } from 'node:worker_threads';
import { onceEach } from './consoleOnce';
import { runCli } from './cli/main';
import { serveIpc } from './ipcServer';
import { engineOwnsProcess } from './wasmThreads';
import { watchOwner } from './watchdog';
import { isScriptWorkerData, runScriptWorker } from './scriptWorker';

export { runCli };

/** Spawned by the extension host with an IPC channel and LRLAB_ENGINE=ipc: serve JSON-RPC. */
if (isMainThread && process.env['LRLAB_ENGINE'] === 'ipc' && typeof process.send === 'function') {
  engineOwnsProcess();
  watchOwner(process.ppid);
  // Its stderr goes to the extension's log: tfjs' repeated advice once there too.
  console.warn = onceEach((text) => process.stderr.write(`${text}\n`));
  serveIpc();
}

/** Started by scriptRun.ts as a worker thread on this very bundle. */
if (!isMainThread && isScriptWorkerData(workerData)) void runScriptWorker(workerData);

export function cliMain(): void {
  engineOwnsProcess();
  // stdout carries results (one JSON document with --json); tfjs' own console chatter goes to
  // stderr, its warnings each once (tfjs repeats its advice for every model built).
  const toStderr = (...args: unknown[]): void => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.warn = onceEach((text) => process.stderr.write(`${text}\n`));
  runCli(process.argv.slice(2)).then(
    (code) => exitWhenFlushed(code),
    (error: unknown) => {
      process.stderr.write(`lrlab: internal error: ${String(error)}\n`);
      exitWhenFlushed(1);
    },
  );
}

/**
 * Exits once stdout and stderr have taken everything written so far. An explicit exit, because
 * the threaded wasm build's worker threads (src/engine/wasmThreads.ts) keep Node's event loop
 * alive after the work is done.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
