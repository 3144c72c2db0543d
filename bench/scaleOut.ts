/**
 * Scale-out on this machine: a sweep of range tests on examples/mnist-mlp run locally, then with
 * 1, 2 and 3 local workers (`lrlab worker --concurrency k`, the CPUs split between them as wasm
 * threads) through a redis-server of its own. For each: wall time, the trials' time (`seconds`
 * of the result: after the model is loaded here, which every run does), and the speed-up. "Cold"
 * is the first run on fresh workers (they load tfjs, the model and the data); "warm" is the same
 * sweep again (they keep them).
 *
 * Dispatch overhead per trial, measured within one run so that the machine's load cancels out:
 * with one warm worker, (the trials' time the submitter sees − the time the worker spent inside
 * the trials, from its "done in" lines) / trials. It is everything scale-out adds: bundling and
 * queueing, the worker's wait for the next job, fetching the bundle, progress and the result
 * crossing Redis. Also shown against the local run (noisier: two runs, shared CPUs).
 *
 *   npx tsx bench/scaleOut.ts [--trials 8] [--steps 100] [--workers 1,2,3]
 *
 * Needs redis-server on PATH and a build (npm run build). Prints a Markdown table.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SweepResult } from '../src/protocol/results';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const trials = Number(flag('trials', '8'));
const steps = Number(flag('steps', '100'));
const pools = flag('workers', '1,2,3').split(',').map(Number);
const root = path.join(__dirname, '..');
const bin = path.join(root, 'bin', 'lrlab');
const model = path.join(root, 'examples', 'mnist-mlp', 'model.ts');
const WDS = ['1e-1', '3e-2', '1e-2', '3e-3', '1e-3', '3e-4', '1e-4', '0', '3e-1', '3e-5', '1e-5', '3e-6'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lrlab-bench-scaleout-'));
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function start(command: string, argv: string[], cwd = root): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return { child, out: () => out, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function sweep(redis?: string): Promise<{ wall: number; result: SweepResult }> {
  const t0 = performance.now();
  const run = start(process.execPath, [bin, 'sweep', model, '--wd', WDS.slice(0, trials).join(','), '--steps', String(steps), '--seed', '1', '--json', ...(redis === undefined ? [] : ['--redis', redis])]);
  const code = await run.exited;
  if (code !== 0) throw new Error(`lrlab sweep exited ${String(code)}:\n${run.out()}`);
  const line = run.out().split('\n').find((l) => l.startsWith('{')) ?? '';
  return { wall: (performance.now() - t0) / 1000, result: JSON.parse(line) as SweepResult };
}

function sameCurves(a: SweepResult, b: SweepResult): boolean {
  return a.curves.every((c, i) => JSON.stringify(c.points) === JSON.stringify(b.curves[i]?.points));
}

async function main(): Promise<void> {
  const port = await freePort();
  const redis = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmp]);
  await until('redis', () => /Ready to accept connections/.test(redis.out()));
  const url = `redis://127.0.0.1:${port}`;
  const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const rows: string[] = [];
  const loads = [`before: ${load()}`];

  const local = await sweep();
  const perTrial = local.result.seconds / trials;
  rows.push(`| local (1 engine, ${os.cpus().length} wasm threads) | ${local.wall.toFixed(1)} | ${local.result.seconds.toFixed(1)} | 1.00× | — | — | — |`);
  let overhead: { ms: number; share: number } | null = null;
  for (const k of pools) {
    const pool = start(process.execPath, [bin, 'worker', '--redis', url, '--concurrency', String(k)], tmp);
    await until(`${k} workers ready`, () => (pool.out().match(/taking trials from/g)?.length ?? 0) >= k);
    const cold = await sweep(url);
    const logged = pool.out().length;
    const warm = await sweep(url);
    const inTrials = [...pool.out().slice(logged).matchAll(/: done in ([\d.]+) s/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const threads = Math.max(1, Math.floor(os.cpus().length / k));
    const workersUsed = new Set(warm.result.curves.map((c) => c.worker)).size;
    let cells = ['—', '—'];
    if (k === 1) {
      const ms = ((warm.result.seconds - inTrials) / trials) * 1000;
      overhead = { ms, share: ms / ((inTrials / trials) * 1000) };
      const vsLocal = ((warm.result.seconds - local.result.seconds) / trials) * 1000;
      cells = [`${ms.toFixed(0)} ms (vs local: ${vsLocal.toFixed(0)} ms)`, `${(overhead.share * 100).toFixed(1)}% (vs local: ${((vsLocal / (perTrial * 1000)) * 100).toFixed(1)}%)`];
    }
    rows.push(`| ${k} worker${k === 1 ? '' : 's'} (${threads} thread${threads === 1 ? '' : 's'} each; ${workersUsed} took trials) | ${cold.wall.toFixed(1)} / ${warm.wall.toFixed(1)} | ${cold.result.seconds.toFixed(1)} / ${warm.result.seconds.toFixed(1)} | ${(local.result.seconds / warm.result.seconds).toFixed(2)}× | ${cells.join(' | ')} | ${sameCurves(local.result, warm.result) && sameCurves(local.result, cold.result) ? 'yes' : 'NO'} |`);
    pool.child.kill('SIGINT');
    await pool.exited;
    loads.push(`after ${k}: ${load()}`);
  }
  console.log(`Sweep of ${trials} range tests × ${steps} steps on examples/mnist-mlp (batch 64, wasm), ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${loads.join('; ')}`);
  console.log(`Local trial: ${(perTrial * 1000).toFixed(0)} ms. Dispatch overhead with one warm worker: ${overhead === null ? '—' : `${overhead.ms.toFixed(0)} ms per trial (${(overhead.share * 100).toFixed(1)}% of the trial's own time on the worker)`}.`);
  console.log('');
  console.log('| run | wall s (cold / warm) | trials s (cold / warm) | speed-up (warm) | overhead / trial | % of a trial | same curves |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });
