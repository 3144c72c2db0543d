/**
 * A real scale-out on this machine for tests: a `redis-server` of its own (a free loopback port,
 * its own temp folder, no persistence), `lrlab worker` processes started from other folders, and
 * `lrlab` commands as a user runs them. Everything started here is tracked and killed by
 * `stopAll`, which then checks with `ps` that none of it is left.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const root = path.join(__dirname, '..', '..');
export const bin = path.join(root, 'bin', 'lrlab');
export const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
/** Marks every process this suite starts (and their children), so `stopAll` can find any left. */
const MARK = `lrlab-distributed-test-${process.pid}-${Date.now()}`;
/** Tests share 2 CPUs with everything else: one wasm thread per engine process. */
// The CLI in the process spawned (no stdout guard, bin/lrlab): the tests tell a run's jobs by the pid of
// the `lrlab` that queued them, and the guard's child would queue them under its own.
const ENV = { ...process.env, LRLAB_WASM_THREADS: '1', LRLAB_TEST_MARK: MARK, LRLAB_RESULT_GUARD: 'off' };

const started: ChildProcess[] = [];
const folders: string[] = [];

export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** Output of a process, with waits on what it prints. */
export class Proc {
  out = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess) {
    started.push(child);
    child.stdout?.on('data', (chunk: Buffer) => (this.out += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (this.out += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Resolves once the output matches `pattern` (fails after `ms`, or if the process ends first). */
  async waitFor(pattern: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    let ended = false;
    void this.exited.then(() => (ended = true));
    for (;;) {
      const match = pattern.exec(this.out);
      if (match !== null) return match;
      if (ended) throw new Error(`process ${this.pid} ended without printing ${String(pattern)}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`no ${String(pattern)} after ${ms} ms:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The end of what it printed (a JSON result can be long). */
  tail(chars = 3_000): string {
    return this.out.length <= chars ? this.out : `…${this.out.slice(-chars)}`;
  }

  /** Exit code within `ms`, or an error naming what it printed. */
  async code(ms = 120_000): Promise<number | null> {
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`process ${this.pid} still running after ${ms} ms:\n${this.tail()}`)), ms).unref());
    return (await Promise.race([this.exited, timer])).code;
  }
}

/** A worker's id (`host:pid`) from its first line; '' before it printed one. */
export function workerIdOf(worker: Proc | string | undefined): string {
  const out = typeof worker === 'string' ? worker : (worker?.out ?? '');
  return /lrlab worker (\S+):/.exec(out)?.[1] ?? '';
}

/** Text to match literally inside a RegExp (trial labels, worker ids). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly proc: Proc;
}

/** Debian's redis-server, installed as root when missing (as the editor suite installs chromium), else a clear error. */
function ensureRedisServer(): void {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error('redis-server is missing: install it as root (apt-get install -y redis-server); the scale-out tests start their own.');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { env, stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'redis-server'], { env, stdio: 'inherit' });
}

/** A fresh redis-server on a free loopback port; `args` adds options (a password, TLS). */
export async function startRedis(args: readonly string[] = []): Promise<RedisServer> {
  ensureRedisServer();
  const port = await freePort();
  const dir = tempFolder('lrlab-redis-');
  const proc = new Proc(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: ENV }));
  await proc.waitFor(/Ready to accept connections/, 15_000);
  return { port, url: `redis://127.0.0.1:${port}`, proc };
}

/** Copies `from` to `to` at most `bytesPerSecond`, holding `from` back meanwhile (its sender feels the slow link). */
function throttle(from: net.Socket, to: net.Socket, bytesPerSecond: number): void {
  const TICK_MS = 20;
  const perTick = Math.max(1, Math.round((bytesPerSecond * TICK_MS) / 1000));
  from.on('data', (chunk: Buffer) => {
    from.pause();
    const send = (offset: number): void => {
      if (to.destroyed) return;
      if (offset >= chunk.length) {
        from.resume();
        return;
      }
      to.write(chunk.subarray(offset, offset + perTick));
      setTimeout(() => send(offset + perTick), TICK_MS);
    };
    send(0);
  });
}

/** A slow link to the Redis on `port`: a loopback TCP proxy that carries at most `bytesPerSecond` each way on each connection. */
export async function throttledProxy(port: number, bytesPerSecond: number): Promise<{ readonly url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
        sockets.delete(socket);
      };
      socket.on('error', end);
      socket.on('close', end);
    }
    throttle(client, upstream, bytesPerSecond);
    throttle(upstream, client, bytesPerSecond);
  });
  const proxyPort = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
  return {
    url: `redis://127.0.0.1:${proxyPort}`,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** `lrlab <args>` as a user runs it, from `cwd`. */
export function lrlab(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; prefix?: readonly string[] } = {}): Proc {
  // `prefix`: a command that runs it (`unshare -p -f --mount-proc`: a pid namespace, as a container's).
  const [command, ...before] = [...(options.prefix ?? []), process.execPath];
  return new Proc(spawn(command, [...before, bin, ...args], { cwd: options.cwd ?? root, env: { ...ENV, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** An `lrlab worker` started from a folder of its own (it has no copy of the project there), ready to take trials. */
export async function startWorker(url: string, options: { args?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Proc> {
  const worker = lrlab(['worker', '--redis', url, ...(options.args ?? [])], { cwd: tempFolder('lrlab-worker-cwd-'), ...(options.env === undefined ? {} : { env: options.env }) });
  await worker.waitFor(/taking trials from/, 60_000);
  return worker;
}

/** `n` workers for one test, killed when it ends (whatever happens in it). */
export async function workersFor(t: { after: (fn: () => void) => void }, url: string, n: number, env?: NodeJS.ProcessEnv): Promise<Proc[]> {
  const workers: Proc[] = [];
  t.after(() => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  });
  await Promise.all(Array.from({ length: n }, async () => workers.push(await startWorker(url, env === undefined ? {} : { env }))));
  return workers;
}

/** The one JSON document a command printed on stdout (its stderr carries progress); `exit` 130 for a run stopped by Ctrl-C. */
export async function json<T>(proc: Proc, ms = 180_000, exit = 0): Promise<T> {
  const code = await proc.code(ms);
  assert.equal(code, exit, proc.tail());
  const line = proc.out.split('\n').find((l) => l.startsWith('{'));
  assert.ok(line !== undefined, proc.tail());
  return JSON.parse(line) as T;
}

/** Pids of live processes whose environment carries this suite's mark (Linux /proc). */
export function markedProcesses(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(MARK)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids; // a zombie's environ reads empty, so only live processes match
}

/** Kills everything this suite started, then checks that no process of it (nor of its children) is left. */
export async function stopAll(): Promise<void> {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(started.map((child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)))));
  // Worker processes of a supervisor that was killed hand back and exit on their own: wait for that, not a fixed time.
  const deadline = Date.now() + 15_000;
  let left = markedProcesses();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = markedProcesses();
  }
  let table = '';
  for (const pid of left) {
    try {
      table += execFileSync('ps', ['-o', 'pid=,args=', '-p', String(pid)], { encoding: 'utf8' });
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  assert.equal(table, '', 'processes of this suite left running');
}
