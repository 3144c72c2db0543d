/**
 * Training throughput, side by side: steps/second of one training step (forward + backward +
 * SGD-momentum update, batch 128) for three models on
 *   - wasm as shipped (tfjs-backend-wasm 4.22 alone; LRLAB_WASM_KERNELS=off),
 *   - wasm with LR Lab's kernels (src/engine/wasmKernels), single-threaded and with one thread
 *     per CPU (src/engine/wasmThreads.ts; what the engine uses without tfjs-node),
 *   - the pure-JS cpu backend (the last resort),
 *   - PyTorch CPU on the same model, batch and optimizer, when `python3` can import torch
 *     (bench/throughput_torch.py; LRLAB_PYTHON picks the interpreter),
 * each in its own process, all in one run. Prints steps/s, GFLOP/s and ratios.
 *
 *   - the product path: `lrlab find-lr` (dist/engine.js, as a user runs it: its own process, wasm
 *     with one thread per CPU) on the same model (bench/benchModel.ts, MNIST digits), steps/s =
 *     points / the JSON's `seconds` (model build to last point, first-step compilation included),
 * each in its own process, all in one run. Prints steps/s, GFLOP/s and ratios.
 *
 *   npx tsx bench/throughput.ts [--seconds 3] [--models mlp256,mlp512,cnn] [--skip cpu,product] [--product-steps 500]
 *
 * The tfjs side runs the engine's own step (src/engine/trainer.ts: variableGrads over the
 * layers model, LR Lab's optimizer), i.e. what a range test or a training run does per batch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Trainer } from '../src/engine/trainer';
import { loadTf } from '../src/engine/tfjs';
import { BATCH, buildBenchModel } from './models';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};

export interface ModelSpec {
  readonly name: string;
  readonly label: string;
  /** Multiply-adds ×2 of forward + backward (the first layer needs no input gradient). */
  readonly flopsPerStep: number;
}

/** FLOPs of one training step at batch B: forward 2·MACs; backward 2·MACs per gradient (weights, and inputs past layer 1). */
function denseFlops(sizes: number[], b: number): number {
  let f = 0;
  for (let i = 0; i + 1 < sizes.length; i++) f += 2 * b * sizes[i]! * sizes[i + 1]! * (i === 0 ? 2 : 3);
  return f;
}

const CNN_FLOPS =
  2 * BATCH * 26 * 26 * 9 * 1 * 16 * 2 + // conv1 28→26, no input gradient
  2 * BATCH * 11 * 11 * 9 * 16 * 32 * 3 + // conv2 13→11
  2 * BATCH * 800 * 10 * 3; // dense 5·5·32 → 10

export const MODELS: readonly ModelSpec[] = [
  { name: 'mlp256', label: 'MLP 784-256-10', flopsPerStep: denseFlops([784, 256, 10], BATCH) },
  { name: 'mlp512', label: 'MLP 784-512-512-10', flopsPerStep: denseFlops([784, 512, 512, 10], BATCH) },
  { name: 'cnn', label: 'CNN c3x3x16-pool-c3x3x32-pool-d10', flopsPerStep: CNN_FLOPS },
];

interface Measured {
  readonly model: string;
  readonly stepsPerSecond: number | null;
  readonly error: string | null;
}

async function worker(backend: 'wasm' | 'cpu', models: string[], seconds: number, threads: number): Promise<void> {
  const { tf, report } = await loadTf({ backend, threads });
  const out: Measured[] = [];
  for (const name of models) {
    try {
      const { model, xShape } = buildBenchModel(tf, name);
      const xs = tf.randomUniform(xShape, 0, 1, 'float32', 1);
      const ys = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10).toFloat();
      const trainer = new Trainer(tf, model, (y, p) => tf.metrics.categoricalCrossentropy(y, p), 'categorical', {
        optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 0 },
      });
      trainer.step(xs, ys); // warm-up: kernels set up, XNNPACK operators created
      trainer.step(xs, ys);
      let n = 0;
      const t0 = performance.now();
      // At least 3 steps, or `seconds` of steps; the cpu CNN takes ~15 s a step, so it gets one.
      while (n < 3 || performance.now() - t0 < seconds * 1000) {
        trainer.step(xs, ys);
        n++;
        if (performance.now() - t0 > 20_000) break;
      }
      out.push({ model: name, stepsPerSecond: n / ((performance.now() - t0) / 1000), error: null });
      tf.dispose([xs, ys]);
      model.dispose();
    } catch (error) {
      out.push({ model: name, stepsPerSecond: null, error: (error instanceof Error ? error.message : String(error)).split('\n')[0]! });
    }
  }
  process.stdout.write(`${JSON.stringify({ report, out })}\n`);
}

interface Column {
  readonly key: string;
  readonly title: string;
  readonly rates: Map<string, number | null>;
  readonly notes: string[];
}

function runTfjs(key: string, title: string, backend: 'wasm' | 'cpu', threads: number, env: Record<string, string>, models: string[], seconds: number): Column {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--worker', backend, '--models', models.join(','), '--seconds', String(seconds), '--threads', String(threads)], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 15 * 60_000,
  });
  const rates = new Map<string, number | null>();
  const notes: string[] = [];
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const doc = JSON.parse(line) as { out: Measured[]; report: { threads: number; note: string | null } };
    if (doc.report.note !== null) notes.push(`${title}: ${doc.report.note}`);
    if (doc.report.threads !== threads) notes.push(`${title}: ran with ${doc.report.threads} thread(s), not ${threads}`);
    for (const m of doc.out) {
      rates.set(m.model, m.stepsPerSecond);
      if (m.error !== null) notes.push(`${title}, ${m.model}: ${m.error}`);
    }
  } catch {
    notes.push(`${title}: the worker failed (${r.stderr.trim().split('\n').pop() ?? `exit ${String(r.status)}`})`);
  }
  return { key, title, rates, notes };
}

/** `lrlab find-lr` on the bench model: the CLI a user runs, in its own process (needs `npm run build`). */
function runProduct(models: string[], steps: number): Column {
  const rates = new Map<string, number | null>();
  const notes: string[] = [];
  const cli = path.join(__dirname, '..', 'bin', 'lrlab');
  for (const name of models) {
    const r = spawnSync(process.execPath, [cli, 'find-lr', path.join(__dirname, 'benchModel.ts'), '--backend', 'wasm', '--batch-size', String(BATCH), '--steps', String(steps), '--start-lr', '1e-4', '--end-lr', '1e-2', '--seed', '1', '--range-retries', '0', '--range-tests', '1', '--lr-trials', '0', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, LRLAB_BENCH_MODEL: name },
      timeout: 15 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    try {
      const doc = JSON.parse(r.stdout) as { points: unknown[]; seconds: number; backendThreads: number };
      rates.set(name, doc.points.length / doc.seconds);
      if (doc.points.length < steps) notes.push(`product path, ${name}: stopped after ${doc.points.length} of ${steps} steps`);
    } catch {
      rates.set(name, null);
      notes.push(`product path, ${name}: lrlab failed (${(r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${String(r.status)}`}); run npm run build first`);
    }
  }
  notes.push(`product path: lrlab find-lr --steps ${steps} --batch-size ${BATCH} --range-tests 1 --lr-trials 0 (one range test, no short runs; wasm, the engine's default threads: half the logical CPUs), steps/s = points / JSON seconds (first-step compilation included)`);
  return { key: 'product', title: 'lrlab find-lr (product)', rates, notes };
}

/** The BLAS libraries Debian can give python3-torch (it links the reference BLAS through the libblas.so.3 alternative). */
const BLAS_DIRS: readonly [string, string][] = [
  ['reference BLAS', '/usr/lib/x86_64-linux-gnu/blas'],
  ['OpenBLAS (pthread)', '/usr/lib/x86_64-linux-gnu/openblas-pthread'],
];

/**
 * PyTorch's best configuration per model: every BLAS found × torch threads {1, all} × BLAS
 * threads {1, all}, each a separate process; the fastest per model wins and is named.
 */
function runTorch(models: string[], seconds: number): Column | null {
  const python = process.env['LRLAB_PYTHON'] ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const script = path.join(__dirname, 'throughput_torch.py');
  const cpus = os.cpus().length;
  const threadChoices = [...new Set([1, cpus])];
  const rates = new Map<string, number | null>();
  const best = new Map<string, string>();
  const notes: string[] = [`PyTorch ${probe.stdout.trim()}; best of: ${BLAS_DIRS.filter(([, d]) => existsSync(d)).map(([n]) => n).join(', ')} × torch threads ${threadChoices.join('/')} × BLAS threads ${threadChoices.join('/')}`];
  for (const [blas, dir] of BLAS_DIRS) {
    if (!existsSync(dir)) continue;
    for (const torchThreads of threadChoices) {
      for (const blasThreads of threadChoices) {
        const env = { ...process.env, LD_LIBRARY_PATH: dir, OPENBLAS_NUM_THREADS: String(blasThreads), OMP_NUM_THREADS: String(torchThreads) };
        const r = spawnSync(python, [script, '--batch', String(BATCH), '--seconds', String(seconds), '--models', models.join(','), '--threads', String(torchThreads)], { encoding: 'utf8', env, timeout: 15 * 60_000 });
        try {
          const doc = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { out: Measured[] };
          for (const m of doc.out) {
            if (m.stepsPerSecond !== null && m.stepsPerSecond > (rates.get(m.model) ?? 0)) {
              rates.set(m.model, m.stepsPerSecond);
              best.set(m.model, `${blas}, torch threads ${torchThreads}, BLAS threads ${blasThreads}`);
            }
          }
        } catch {
          notes.push(`PyTorch with ${blas}: the script failed (${r.stderr.trim().split('\n').pop() ?? ''})`);
        }
        if (blas === 'reference BLAS') break; // the reference BLAS has no threads of its own
      }
    }
  }
  for (const [model, config] of best) notes.push(`PyTorch best for ${model}: ${config}`);
  return { key: 'torch', title: 'PyTorch CPU (best)', rates, notes };
}

function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined) return '—';
  return v >= 100 ? v.toFixed(0) : v.toPrecision(digits);
}

function main(): void {
  const seconds = Number(flag('seconds', '3'));
  const models = flag('models', MODELS.map((m) => m.name).join(',')).split(',');
  const skip = new Set(flag('skip', '').split(',').filter(Boolean));
  const columns: Column[] = [];
  const cpus = os.cpus().length;
  process.stderr.write(`load average at the start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const plan: [string, string, 'wasm' | 'cpu', number, Record<string, string>][] = [
    ['shipped', 'wasm as shipped', 'wasm', 1, { LRLAB_WASM_KERNELS: 'off' }],
    ['ours1', 'wasm+LR Lab, 1 thread', 'wasm', 1, {}],
    ...(cpus > 1 ? [['ours', `wasm+LR Lab, ${cpus} threads`, 'wasm', cpus, {}] as [string, string, 'wasm', number, Record<string, string>]] : []),
    ['cpu', 'cpu (pure JS)', 'cpu', 1, {}],
  ];
  for (const [key, title, backend, threads, env] of plan) {
    if (skip.has(key)) continue;
    process.stderr.write(`measuring ${title}…\n`);
    columns.push(runTfjs(key, title, backend, threads, env, models, seconds));
  }
  if (!skip.has('product')) {
    process.stderr.write('measuring the product path (lrlab find-lr)…\n');
    columns.push(runProduct(models, Number(flag('product-steps', '500'))));
  }
  if (!skip.has('torch')) {
    process.stderr.write('measuring PyTorch…\n');
    const torch = runTorch(models, seconds);
    if (torch !== null) columns.push(torch);
    else process.stderr.write('PyTorch: python3 cannot import torch (Debian: apt install python3-torch); column left out\n');
  }
  const col = (key: string): Column | undefined => columns.find((c) => c.key === key);
  console.log(`Training throughput, batch ${BATCH}, SGD momentum; steps/s (GFLOP/s). ${os.cpus().length} CPUs: ${os.cpus()[0]?.model ?? '?'}`);
  console.log(['model'.padEnd(36), ...columns.map((c) => c.title.padStart(24)), '  ours/shipped', '  ours/torch', '  product/torch'].join(''));
  for (const spec of MODELS.filter((m) => models.includes(m.name))) {
    const cells = columns.map((c) => {
      const v = c.rates.get(spec.name);
      return `${fmt(v)} (${v === null || v === undefined ? '—' : ((v * spec.flopsPerStep) / 1e9).toFixed(1)})`.padStart(24);
    });
    const ours = (col('ours') ?? col('ours1'))?.rates.get(spec.name) ?? null;
    const shipped = col('shipped')?.rates.get(spec.name) ?? null;
    const torch = col('torch')?.rates.get(spec.name) ?? null;
    const shippedFailed = col('shipped') !== undefined && shipped === null;
    const ratio = (a: number | null, b: number | null, ofShipped: boolean): string => (a !== null && b !== null && b > 0 ? `${(a / b).toFixed(2)}x` : ofShipped && shippedFailed ? 'cannot train' : '—');
    const product = col('product')?.rates.get(spec.name) ?? null;
    console.log([spec.label.padEnd(36), ...cells, ratio(ours, shipped, true).padStart(14), ratio(ours, torch, false).padStart(12), ratio(product, torch, false).padStart(15)].join(''));
  }
  for (const c of columns) for (const n of c.notes) console.log(`note: ${n}`);
  console.log(`load average: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min) at the end`);
}

if (args[0] === '--worker') {
  void worker(args[1] as 'wasm' | 'cpu', flag('models', 'mlp256').split(','), Number(flag('seconds', '3')), Number(flag('threads', '1'))).then(() => process.exit(0));
} else {
  main();
}
