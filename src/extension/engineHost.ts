/**
 * Runs experiments in a child engine process (`dist/engine.js`), one process per run: a crash,
 * an out-of-memory kill or a hung `loadData()` costs that run only, and cancelling can always
 * fall back to killing the process group. JSON-RPC over the child's IPC channel with the types
 * of `src/protocol/engineRpc.ts`.
 *
 * The child gets its own process group (`detached`), so a kill reaches what it started too
 * (esbuild-wasm runs in a grandchild process).
 *
 * Start-up is most of the wait for a short run's first point (tfjs and its wasm, the bundle, the
 * first steps' compilation), so the extension may start one engine ahead (`prestart`, when a model
 * file is opened in a trusted workspace): it readies itself (PrepareRequest) and is taken by the
 * next run whose runtime, folder, backend and workspace match — still one run per engine; an
 * engine that waits longer than ENGINE_IDLE_MS exits by itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type * as vscode from 'vscode';
import { CancellationTokenSource, ResponseError, createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { AppendNotification, ENGINE_PRIORITY_ENV, LogNotification, PrepareRequest, ProgressNotification, RunRequest } from '../protocol/engineRpc';
import type { EnginePriority, PrepareParams } from '../protocol/engineRpc';
import { STILL_WAITING } from '../protocol/progress';
import type { AppendParams, LogLevel, ProgressParams } from '../protocol/progress';
import type { RunRequestParams } from '../protocol/requests';
import type { AnyResult, BackendChoice } from '../protocol/results';
import type { LrLabErrorData } from '../protocol/errors';
import { LrLabError } from '../protocol/errors';
import { engineCrashError, oomKillCount } from '../protocol/engineCrash';

export interface RunHandlers {
  onProgress(params: ProgressParams): void;
  onAppend(params: AppendParams): void;
}

export interface EngineHostOptions {
  readonly extensionPath: string;
  /**
   * Node.js to run the engine with (`lrlab.nodePath`, read at each start: a changed setting took a
   * reload); default: the editor's own runtime in Node mode.
   */
  readonly nodePath?: string | (() => string | undefined) | undefined;
  readonly log: (level: LogLevel, message: string) => void;
  /** Extra environment for engines (the extension passes LRLAB_CACHE_DIR: its storage for the bundle cache). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** The CPU priority of the next engine started (`lrlab.enginePriority`, read at each start); default 'normal'. */
  readonly priority?: (() => EnginePriority) | undefined;
}

/** How long a cancelled run may take to return its partial result before its process is killed. */
export const CANCEL_GRACE_MS = 700;
/** Lines of engine stderr kept to explain a crash. */
const STDERR_LINES = 20;
/** A progress message said while the user's loading code runs ("Running loadData()", "Still waiting for loadData() …"): its call. */
const USER_CALL = new RegExp(`^(?:Running|${STILL_WAITING}) (loadData|createModel)\\(\\)`);

/** A spawned engine process and its channel. */
interface Engine {
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  /** The last lines of its stderr/stdout, to explain a crash. */
  readonly stderr: string[];
  /** Why its process could not be started at all (a `lrlab.nodePath` that is not there), once that is known. */
  readonly startFailure: () => LrLabError | null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What a pre-started engine is good for: the same runtime, folder, backend and workspace as the run. */
export interface PrestartTarget {
  readonly model: string;
  readonly backend?: BackendChoice | undefined;
  readonly workspace?: string | undefined;
}

/**
 * An engine started ahead: what it was asked to ready (`params`), and its prepare requests — one at
 * a time, the latest after the one in flight (`again`) where files were saved meanwhile.
 */
interface WarmEngine {
  readonly engine: Engine;
  readonly key: string;
  readonly params: PrepareParams;
  preparing: boolean;
  again: boolean;
}

function keyOf(nodePath: string | undefined, target: PrestartTarget): string {
  return JSON.stringify([nodePath ?? null, path.dirname(target.model), target.backend ?? 'auto', target.workspace ?? null]);
}

export class EngineHost {
  private readonly running = new Set<ChildProcess>();
  /** At most one engine started ahead (`prestart`), taken by the next run that matches it. */
  private warm: WarmEngine | null = null;

  constructor(private readonly options: EngineHostOptions) {}

  get enginePath(): string {
    return path.join(this.options.extensionPath, 'dist', 'engine.js');
  }

  /** Live engine process ids, the one started ahead included (tests and "Cancel run" use them). */
  get pids(): number[] {
    const all = [...this.running, ...(this.warm === null ? [] : [this.warm.engine.child])];
    return all.map((c) => c.pid).filter((p): p is number => p !== undefined);
  }

  /**
   * Resolves once no engine runs (the one started ahead aside), or after `limitMs`: the next engine
   * is started ahead once the last run's engine is gone, not beside its exit (or its kill after a
   * cancel), which it would slow on a 2-CPU machine.
   */
  async settled(limitMs: number): Promise<void> {
    const exits = [...this.running].map((child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()))));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(exits), new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)))]);
    clearTimeout(timer);
  }

  /** The pid of the engine started ahead, if one is waiting. */
  get warmPid(): number | undefined {
    return this.warm?.engine.child.pid;
  }

  /** The Node.js `lrlab.nodePath` names now, else none (the editor's own runtime). */
  private nodePath(): string | undefined {
    const given = this.options.nodePath;
    return typeof given === 'function' ? given() : given;
  }

  private spawnEngine(cwd: string): Engine {
    // Through dist/launch.js where it is there: it loads the engine with its V8 code cache (src/engine/launch.ts).
    const launcher = path.join(path.dirname(this.enginePath), 'launch.js');
    const args = existsSync(launcher) ? [launcher, this.enginePath] : [this.enginePath];
    const node = this.nodePath();
    let startFailure: LrLabError | null = null;
    const child = spawn(node ?? process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', LRLAB_ENGINE: 'ipc', [ENGINE_PRIORITY_ENV]: this.options.priority?.() ?? 'normal', ...this.options.env },
      cwd,
      detached: true,
      windowsHide: true,
    });
    this.running.add(child);
    const stderr: string[] = [];
    const keep = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        stderr.push(line);
        // V8's "FATAL ERROR: … heap out of memory" stays: the native stack it prints after it outnumbers the lines kept.
        if (stderr.length > STDERR_LINES) stderr.splice(Math.max(0, stderr.findIndex((l) => !l.includes('FATAL ERROR: '))), 1);
        this.options.log('debug', `[engine] ${line}`);
      }
    };
    child.stderr?.on('data', keep);
    child.stdout?.on('data', keep);
    const connection: MessageConnection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    // Whether the engine said anything over IPC: one that exits before it did never ran (lrlab.nodePath below).
    let spoke = false;
    connection.onNotification(LogNotification.type, (l) => {
      spoke = true;
      this.options.log(l.level, l.message);
    });
    connection.listen();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        // A lrlab.nodePath that is no Node.js (Python) exits at once on the bundle: said as the setting at
        // fault, not "The LR Lab engine exited with code 1 before finishing:" and a wall of minified code.
        if (node !== undefined && startFailure === null && !spoke && code !== 0 && signal === null) {
          const said = (stderr.find((l) => /Error|error:|invalid|not found|cannot/i.test(l)) ?? stderr.at(-1) ?? '').trim();
          const shown = said.length > 120 ? `${said.slice(0, 117)}…` : said;
          startFailure = new LrLabError('bad-option', `lrlab.nodePath ${node} did not run the engine: it exited with code ${String(code)} before the engine started${shown === '' ? '' : ` (${shown})`}.`, { option: 'nodePath', fix: "Set lrlab.nodePath to a Node.js executable (18 or newer), or leave it empty to run the engine with the editor's own runtime." });
        }
        this.running.delete(child);
        if (this.warm?.engine.child === child) this.warm = null;
        resolve({ code, signal });
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.options.log('error', `engine failed to start: ${error.message}`);
        // A Node.js that is not there or cannot run: said as the setting at fault, not "exited with code -1
        // … the next run starts a fresh engine", which cannot help.
        if (node !== undefined) {
          const why = error.code === 'ENOENT' ? 'there is no such file' : error.code === 'EACCES' ? 'it is not executable' : error.message;
          startFailure = new LrLabError('bad-option', `lrlab.nodePath ${node} cannot start the engine: ${why}.`, { option: 'nodePath', fix: "Set lrlab.nodePath to a Node.js executable (18 or newer), or leave it empty to run the engine with the editor's own runtime." });
        }
        resolve({ code: -1, signal: null });
      });
    });
    return { child, connection, stderr, exited, startFailure: () => startFailure };
  }

  /**
   * Starts an engine ahead of a run on `target` (a model file was opened): it loads tfjs, bundles
   * the file and warms up, then waits for its one run; unused, it exits after ENGINE_IDLE_MS. A
   * waiting engine for another target is replaced. Never call it for an untrusted workspace.
   * Returns whether an engine was started (false: one for this target is already waiting).
   */
  prestart(target: PrestartTarget): boolean {
    const key = keyOf(this.nodePath(), target);
    if (this.warm?.key === key) return false;
    this.discardWarm();
    const engine = this.spawnEngine(path.dirname(target.model));
    this.running.delete(engine.child);
    const params: PrepareParams = { model: target.model, ...(target.backend === undefined ? {} : { backend: target.backend }), ...(target.workspace === undefined ? {} : { workspace: target.workspace }) };
    const warm: WarmEngine = { engine, key, params, preparing: false, again: false };
    this.warm = warm;
    this.prepare(warm, 'ready');
    return true;
  }

  /**
   * Files were saved: the engine started ahead bundles its model file again (only what changed is
   * rebuilt; an unchanged bundle is found in the cache), so that a run after an edit does not start
   * esbuild first. Nothing to do without such an engine; one prepare at a time per engine.
   */
  refreshWarm(): void {
    const warm = this.warm;
    if (warm === null) return;
    if (warm.preparing) warm.again = true;
    else this.prepare(warm, 'bundled again after a save');
  }

  private prepare(warm: WarmEngine, done: string): void {
    const name = path.basename(warm.params.model);
    const started = performance.now();
    warm.preparing = true;
    warm.again = false;
    warm.engine.connection.sendRequest(PrepareRequest.type, warm.params).then(
      ({ bundleProblem }) => {
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        if (bundleProblem === null) this.options.log('info', `engine started ahead for ${name}: ${done} in ${seconds} s`);
        else this.options.log('info', `engine started ahead for ${name} in ${seconds} s, but ${name} does not bundle (its run will say so): ${bundleProblem.split('\n')[0]}`);
      },
      (error: unknown) => this.options.log('debug', `engine started ahead for ${name}: ${error instanceof Error ? error.message : String(error)}`),
    ).finally(() => {
      warm.preparing = false;
      if (warm.again && this.warm === warm) this.prepare(warm, 'bundled again after a save');
    });
  }

  /** Stops the engine started ahead, if any (settings changed, the window closes). */
  discardWarm(): void {
    const warm = this.warm;
    this.warm = null;
    if (warm === null) return;
    this.running.add(warm.engine.child); // listed until it has exited
    this.stop(warm.engine.child, warm.engine.connection);
  }

  /** The waiting engine when it suits this run (it is then this run's alone), else a fresh one. */
  private engineFor(request: RunRequestParams): Engine {
    const warm = this.warm;
    if (warm !== null && warm.key === keyOf(this.nodePath(), request) && warm.engine.child.exitCode === null && warm.engine.child.signalCode === null) {
      this.warm = null;
      this.running.add(warm.engine.child);
      return warm.engine;
    }
    return this.spawnEngine(path.dirname(request.model));
  }

  async run(runId: string, request: RunRequestParams, handlers: RunHandlers, token: vscode.CancellationToken): Promise<AnyResult> {
    const oomBefore = oomKillsNow();
    const { child, connection, stderr, exited, startFailure } = this.engineFor(request);
    // The user call under way when it ended, said in its progress ("Running loadData()"): an engine out of memory there wants less data, not a smaller batch.
    let during: string | null = null;
    connection.onNotification(ProgressNotification.type, (p) => {
      const call = USER_CALL.exec(p.message)?.[1];
      during = call === undefined ? null : `${call}()`;
      handlers.onProgress(p);
    });
    connection.onNotification(AppendNotification.type, (a) => handlers.onAppend(a));
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
      throw startFailure() ?? crashError(outcome.exit, stderr, oomBefore, during);
    } catch (error) {
      if (error instanceof ResponseError) {
        const data = error.data as LrLabErrorData | undefined;
        throw data === undefined ? new LrLabError('internal', error.message) : LrLabError.fromData(data);
      }
      if (error instanceof LrLabError) throw error;
      if (token.isCancellationRequested) throw new LrLabError('cancelled', 'The run was cancelled.');
      const exit = await Promise.race([exited, delay(1000).then(() => ({ code: null, signal: null }))]);
      throw startFailure() ?? crashError(exit, stderr, oomBefore, during);
    } finally {
      if (killTimer !== undefined) clearTimeout(killTimer);
      cancelSubscription.dispose();
      this.stop(child, connection);
    }
  }

  /** Ends a finished engine: close the channel (it exits on disconnect), kill the group if it lingers. */
  private stop(child: ChildProcess, connection: MessageConnection): void {
    connection.dispose();
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
    if (this.warm !== null) this.kill(this.warm.engine.child);
    this.warm = null;
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

function crashError(exit: { code: number | null; signal: NodeJS.Signals | null }, stderr: readonly string[], oomBefore: number | null, during: string | null): LrLabError {
  const after = oomKillsNow();
  return engineCrashError('The LR Lab engine', exit, stderr, oomBefore === null || after === null ? null : after - oomBefore, { during, naming: 'setting' });
}
