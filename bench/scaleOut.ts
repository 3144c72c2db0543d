/**
 * Scale-out on this machine: a sweep of range tests on examples/mnist-mlp run locally and with 1,
 * 2 and 3 local workers (`lrlab worker --concurrency k`: k processes; every process with the same
 * `--threads` wasm threads), through a redis-server of its own (one database per pool, so all pools stay
 * up and the runs can alternate). Each configuration runs once cold (fresh workers load tfjs,
 * the model and the data), then `--rounds` times warm, the configurations interleaved so that
 * the machine's changing load falls on all of them; the table shows medians.
 *
 * Columns: wall time of the `lrlab sweep` process; the trials' time (`seconds` of the result,
 * after the model is loaded here, which every run does); the speed-up over local; and the
 * dispatch overhead per trial, measured inside each 1-worker run so that load cancels out:
 * (the trials' time the submitter sees − the time the worker spent in the trials, from its
 * "done in" lines) / trials. That is everything scale-out adds: bundling and queueing, the
 * worker's wait for its next job, progress and results crossing Redis.
 *
 *   npx tsx bench/scaleOut.ts [--trials 8] [--steps 100] [--workers 1,2,3] [--rounds 3] [--threads 1]
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
const rounds = Number(flag('rounds', '3'));
/**
 * wasm threads per process, the same everywhere (local and every worker), so the table compares
 * processes, not thread settings. One by default: on a shared, oversubscribed machine XNNPACK's
 * threads wait on each other and a 2-thread process ran 2-3× slower than two 1-thread ones.
 */
const threads = flag('threads', '1');
const ENV = { ...process.env, LRLAB_WASM_THREADS: threads };
const root = path.join(__dirname, '..');
const bin = path.join(root, 'bin', 'lrlab');
const model = path.join(root, 'examples', 'mnist-mlp', 'model.ts');
const WDS = ['1e-1', '3e-2', '1e-2', '3e-3', '1e-3', '3e-4', '1e-4', '0', '3e-1', '3e-5', '1e-5', '3e-6'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lrlab-bench-scaleout-'));
const children: ChildProcess[] = [];

interface Started {
  readonly child: ChildProcess;
  readonly out: () => string;
  readonly exited: Promise<number | null>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function start(command: string, argv: string[], cwd = root): Started {
  const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: ENV });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return { child, out: () => out, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

async function until(what: string, check: () => boolean, ms = 180_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Run {
  readonly wall: number;
  readonly seconds: number;
  readonly result: SweepResult;
  /** Seconds the workers spent inside this run's trials (their "done in" lines). */
  readonly inTrials: number;
}

async function sweep(redis?: string, pool?: Started): Promise<Run> {
  const logged = pool?.out().length ?? 0;
  const t0 = performance.now();
  const run = start(process.execPath, [bin, 'sweep', model, '--wd', WDS.slice(0, trials).join(','), '--steps', String(steps), '--seed', '1', '--json', ...(redis === undefined ? [] : ['--redis', redis])]);
  const code = await run.exited;
  if (code !== 0) throw new Error(`lrlab sweep exited ${String(code)}:\n${run.out()}`);
  const wall = (performance.now() - t0) / 1000;
  const result = JSON.parse(run.out().split('\n').find((l) => l.startsWith('{')) ?? '') as SweepResult;
  const inTrials = pool === undefined ? result.seconds : [...pool.out().slice(logged).matchAll(/: done in ([\d.]+) s/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  return { wall, seconds: result.seconds, result, inTrials };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const same = (a: SweepResult, b: SweepResult): boolean => a.curves.every((c, i) => JSON.stringify(c.points) === JSON.stringify(b.curves[i]?.points));

async function main(): Promise<void> {
  const port = await freePort();
  const redis = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmp]);
  await until('redis', () => /Ready to accept connections/.test(redis.out()));
  const load = (): string => os.loadavg()[0]!.toFixed(1);
  const loads = [load()];
  const urlOf = (k: number): string => `redis://127.0.0.1:${port}/${k}`;
  const started = new Map(pools.map((k) => [k, start(process.execPath, [bin, 'worker', '--redis', urlOf(k), '--concurrency', String(k)], tmp)] as const));
  for (const [k, pool] of started) await until(`${k} workers ready`, () => (pool.out().match(/taking trials from/g)?.length ?? 0) >= k);

  const local: Run[] = [];
  const remote = new Map<number, { cold: Run; warm: Run[] }>();
  local.push(await sweep());
  for (const [k, pool] of started) remote.set(k, { cold: await sweep(urlOf(k), pool), warm: [] });
  loads.push(load());
  for (let r = 0; r < rounds; r++) {
    local.push(await sweep());
    for (const [k, pool] of started) remote.get(k)!.warm.push(await sweep(urlOf(k), pool));
    loads.push(load());
  }

  const reference = local[0]!.result;
  const localSeconds = median(local.slice(1).map((r) => r.seconds));
  const perTrial = localSeconds / trials;
  const per = `${threads} wasm thread${threads === '1' ? '' : 's'}`;
  const rows = [`| local (1 process, ${per}) | ${local[0]!.wall.toFixed(1)} / ${median(local.slice(1).map((r) => r.wall)).toFixed(1)} | ${local[0]!.seconds.toFixed(1)} / ${localSeconds.toFixed(1)} | 1.00× | — | — |`];
  let overhead = '';
  let allSame = true;
  for (const [k, { cold, warm }] of remote) {
    const seconds = median(warm.map((r) => r.seconds));
    let cells = ['—', '—'];
    if (k === 1) {
      const ms = median(warm.map((r) => ((r.seconds - r.inTrials) / trials) * 1000));
      const share = median(warm.map((r) => (r.seconds - r.inTrials) / r.inTrials));
      cells = [`${ms.toFixed(0)} ms`, `${(share * 100).toFixed(1)}%`];
      overhead = `${ms.toFixed(0)} ms per trial, ${(share * 100).toFixed(1)}% of a trial`;
    }
    const ok = [cold, ...warm].every((r) => same(reference, r.result) && r.result.curves.every((c) => c.worker !== undefined));
    allSame &&= ok;
    rows.push(`| ${k} worker${k === 1 ? '' : 's'} (${per} each) | ${cold.wall.toFixed(1)} / ${median(warm.map((r) => r.wall)).toFixed(1)} | ${cold.seconds.toFixed(1)} / ${seconds.toFixed(1)} | ${(localSeconds / seconds).toFixed(2)}× | ${cells.join(' | ')} |${ok ? '' : ' **curves differ**'}`);
  }
  console.log(`${trials} range tests × ${steps} steps on examples/mnist-mlp (batch 64, wasm, --seed 1): ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}); 1-minute load average ${loads.join(' → ')}; medians of ${rounds} warm rounds, configurations interleaved.`);
  console.log(`Local trial ${(perTrial * 1000).toFixed(0)} ms; dispatch overhead with one warm worker ${overhead}. ${allSame ? 'Every remote run gave the local curves, number for number.' : 'SOME REMOTE CURVES DIFFER FROM THE LOCAL ONES.'}`);
  console.log('');
  console.log('| run | wall s (cold / warm) | trials s (cold / warm) | speed-up (warm) | dispatch overhead / trial | % of a trial |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  for (const pool of started.values()) pool.child.kill('SIGINT');
  await Promise.all([...started.values()].map((p) => p.exited));
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
