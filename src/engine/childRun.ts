/**
 * Runs one request in a child engine process, for work that may exhaust memory: a wasm abort or
 * a JS heap OOM kills the process, and only the child dies. Used by the batch-size study.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createMessageConnection, CancellationTokenSource, IPCMessageReader, IPCMessageWriter, ResponseError } from 'vscode-jsonrpc/node';
import { AppendNotification, LogNotification, RunRequest } from '../protocol/engineRpc';
import type { AppendParams, LogParams } from '../protocol/progress';
import type { RunRequestParams } from '../protocol/requests';
import type { AnyResult } from '../protocol/results';
import type { LrLabErrorData } from '../protocol/errors';
import { engineLauncher } from './engineLauncher';
import { stdinForChild } from './scriptRun';
import { LrLabError } from '../protocol/errors';
import { engineCrashError, oomKillCount } from '../protocol/engineCrash';

/** dist/engine.js: this file itself when bundled, else the build next to the sources. */
export function engineBundle(): string {
  if (path.basename(__filename) === 'engine.js') return __filename;
  const built = path.join(__dirname, '..', '..', 'dist', 'engine.js');
  if (!existsSync(built)) throw new LrLabError('internal', `The engine bundle ${built} is missing.`, { fix: 'Run npm run build.' });
  return built;
}

/**
 * The arguments that start the engine bundle as a process (after Node's own options):
 * `dist/launch.js dist/engine.js` where the launcher is there (it loads the bundle with its V8 code
 * cache, src/engine/launch.ts), else the bundle alone.
 */
export function engineArgs(): string[] {
  const bundle = engineBundle();
  const launcher = engineLauncher(bundle);
  return launcher === null ? [bundle] : [launcher, bundle];
}

export async function runInChild(request: RunRequestParams, options: { signal: AbortSignal; onAppend?: (a: AppendParams) => void; onLog?: (l: LogParams) => void; memoryMb?: number }): Promise<AnyResult> {
  const oomBefore = oomKillsNow();
  const args = options.memoryMb === undefined ? engineArgs() : [`--max-old-space-size=${options.memoryMb}`, ...engineArgs()];
  // A training script that reads process.stdin gets in the child what it got here (scriptRun.ts).
  const input = 'model' in request ? stdinForChild(request.model) : null;
  const child = spawn(process.execPath, args, { stdio: [input === null ? 'ignore' : 'pipe', 'pipe', 'pipe', 'ipc'], env: { ...process.env, LRLAB_ENGINE: 'ipc' }, detached: true });
  if (input !== null) {
    child.stdin?.on('error', () => undefined); // the child may be gone before its input is
    void input.then((data) => child.stdin?.end(data));
  }
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    stderr.splice(0, Math.max(0, stderr.length - 10));
  });
  child.stdout?.resume();
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  if (options.onAppend !== undefined) connection.onNotification(AppendNotification.type, options.onAppend);
  if (options.onLog !== undefined) connection.onNotification(LogNotification.type, options.onLog);
  connection.listen();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const source = new CancellationTokenSource();
  const kill = (): void => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const onAbort = (): void => {
    source.cancel();
    setTimeout(kill, 700).unref();
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const outcome = await Promise.race([
      connection.sendRequest(RunRequest.type, { runId: 'child', request }, source.token).then((result) => ({ result })),
      exited.then((exit) => ({ exit })),
    ]);
    if ('result' in outcome) return outcome.result;
    const after = oomKillsNow();
    throw engineCrashError('The child engine', outcome.exit, stderr, oomBefore === null || after === null ? null : after - oomBefore);
  } catch (error) {
    if (error instanceof ResponseError) {
      const data = error.data as LrLabErrorData | undefined;
      throw data === undefined ? new LrLabError('internal', error.message) : LrLabError.fromData(data);
    }
    throw error;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    connection.dispose();
    if (child.connected) child.disconnect();
    setTimeout(kill, 2000).unref();
  }
}

/** The kernel's OOM kills so far (Linux), or null: compared before and after a run (protocol/engineCrash.ts). */
function oomKillsNow(): number | null {
  try {
    return oomKillCount(readFileSync('/proc/vmstat', 'utf8'));
  } catch {
    return null;
  }
}
