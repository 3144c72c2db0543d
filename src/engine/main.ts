/**
 * Entry of `dist/engine.js`. Two roles, one bundle:
 * - required by `bin/lrlab`: runs the CLI in-process (`cliMain`);
 * - spawned by the extension host with an IPC channel: serves runs over JSON-RPC (engine issue).
 */
import { format } from 'node:util';
import { runCli } from './cli/main';
import { serveIpc } from './ipcServer';

export { runCli };

/** Spawned by the extension host with an IPC channel and LRLAB_ENGINE=ipc: serve JSON-RPC. */
if (process.env['LRLAB_ENGINE'] === 'ipc' && typeof process.send === 'function') {
  serveIpc();
}

export function cliMain(): void {
  // stdout carries results (one JSON document with --json); tfjs' own console chatter goes to stderr.
  const toStderr = (...args: unknown[]): void => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`lrlab: internal error: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
