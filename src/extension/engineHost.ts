/**
 * Runs experiments in a child engine process (`dist/engine.js`), one process per run: a crash,
 * an out-of-memory kill or a hung `loadData()` costs that run only, and cancelling can always
 * fall back to killing the process group. JSON-RPC over the child's IPC channel with the types
 * of `src/protocol/engineRpc.ts`.
 *
 * The child gets its own process group (`detached`), so a kill reaches what it started too
 * (esbuild-wasm runs in a grandchild process).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type * as vscode from 'vscode';
import { CancellationTokenSource, ResponseError, createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { AppendNotification, LogNotification, ProgressNotification, RunRequest } from '../protocol/engineRpc';
import type { AppendParams, LogLevel, ProgressParams } from '../protocol/progress';
import type { RunRequestParams } from '../protocol/requests';
import type { AnyResult } from '../protocol/results';
import type { LrLabErrorData } from '../protocol/errors';
import { LrLabError } from '../protocol/errors';
import { engineCrashError, oomKillCount } from '../protocol/engineCrash';

export interface RunHandlers {
  onProgress(params: ProgressParams): void;
  onAppend(params: AppendParams): void;
}

export interface EngineHostOptions {
  readonly extensionPath: string;
  /** Node.js to run the engine with; default: the editor's own runtime in Node mode. */
  readonly nodePath?: string | undefined;
  readonly log: (level: LogLevel, message: string) => void;
}

/** How long a cancelled run may take to return its partial result before its process is killed. */
export const CANCEL_GRACE_MS = 700;
/** Lines of engine stderr kept to explain a crash. */
const STDERR_LINES = 20;

export class EngineHost {
  private readonly running = new Set<ChildProcess>();

  constructor(private readonly options: EngineHostOptions) {}

  get enginePath(): string {
    return path.join(this.options.extensionPath, 'dist', 'engine.js');
  }

  /** Live engine process ids (tests and "Cancel run" use them). */
  get pids(): number[] {
    return [...this.running].map((c) => c.pid).filter((p): p is number => p !== undefined);
  }

  async run(runId: string, request: RunRequestParams, handlers: RunHandlers, token: vscode.CancellationToken): Promise<AnyResult> {
    const oomBefore = oomKillsNow();
    const child = spawn(this.options.nodePath ?? process.execPath, [this.enginePath], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', LRLAB_ENGINE: 'ipc' },
      cwd: path.dirname(request.model),
      detached: true,
      windowsHide: true,
    });
    this.running.add(child);
    const stderr: string[] = [];
    const keep = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        stderr.push(line);
        if (stderr.length > STDERR_LINES) stderr.shift();
        this.options.log('debug', `[engine] ${line}`);
      }
    };
    child.stderr?.on('data', keep);
    child.stdout?.on('data', keep);

    const connection: MessageConnection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onNotification(ProgressNotification.type, (p) => handlers.onProgress(p));
    connection.onNotification(AppendNotification.type, (a) => handlers.onAppend(a));
    connection.onNotification(LogNotification.type, (l) => this.options.log(l.level, l.message));
    connection.listen();

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => {
        this.options.log('error', `engine failed to start: ${error.message}`);
        resolve({ code: -1, signal: null });
      });
    });
    const source = new CancellationTokenSource();
    let killTimer: NodeJS.Timeout | undefined;
    const cancelSubscription = token.onCancellationRequested(() => {
      source.cancel();
      killTimer = setTimeout(() => this.kill(child), CANCEL_GRACE_MS);
    });

    try {
      const outcome = await Promise.race([
        connection.sendRequest(RunRequest.type, { runId, request }, source.token).then((result) => ({ result })),
        exited.then((exit) => ({ exit })),
      ]);
      if ('result' in outcome) return outcome.result;
      if (token.isCancellationRequested) throw new LrLabError('cancelled', 'The run was cancelled.');
      throw crashError(outcome.exit, stderr, oomBefore);
    } catch (error) {
      if (error instanceof ResponseError) {
        const data = error.data as LrLabErrorData | undefined;
        throw data === undefined ? new LrLabError('internal', error.message) : LrLabError.fromData(data);
      }
      if (error instanceof LrLabError) throw error;
      if (token.isCancellationRequested) throw new LrLabError('cancelled', 'The run was cancelled.');
      throw crashError(await Promise.race([exited, delay(1000).then(() => ({ code: null, signal: null }))]), stderr, oomBefore);
    } finally {
      if (killTimer !== undefined) clearTimeout(killTimer);
      cancelSubscription.dispose();
      connection.dispose();
      this.stop(child);
    }
  }

  /** Ends a finished engine: close the channel (it exits on disconnect), kill the group if it lingers. */
  private stop(child: ChildProcess): void {
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => this.kill(child), 2000);
    child.once('exit', () => {
      clearTimeout(timer);
      this.running.delete(child);
    });
    if (child.exitCode !== null || child.signalCode !== null) {
      clearTimeout(timer);
      this.running.delete(child);
    }
  }

  private kill(child: ChildProcess): void {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL'); // the whole group: esbuild-wasm's helper too
    } catch {
      child.kill('SIGKILL');
    }
  }

  /** Kills every engine process (deactivate, "Cancel run" when one hangs). */
  dispose(): void {
    for (const child of this.running) this.kill(child);
    this.running.clear();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The kernel's OOM kills so far (Linux), or null: compared before and after a run (protocol/engineCrash.ts). */
function oomKillsNow(): number | null {
  try {
    return oomKillCount(readFileSync('/proc/vmstat', 'utf8'));
  } catch {
    return null;
  }
}

function crashError(exit: { code: number | null; signal: NodeJS.Signals | null }, stderr: readonly string[], oomBefore: number | null): LrLabError {
  const after = oomKillsNow();
  return engineCrashError('The LR Lab engine', exit, stderr, oomBefore === null || after === null ? null : after - oomBefore);
}
