/**
 * The experiment loops against the trainer step they drive, on the same model, batch and backend,
 * in engine processes set up as the CLI's (wasm, its default threads, LR Lab's kernels):
 *   - trainer step: `Trainer.step` on one fixed batch, steady state (what bench/throughput.ts times);
 *   - `lrlab find-lr`, `lrlab train`, `lrlab sweep --short-runs`: the real CLI, each in a fresh
 *     process, steps/s from its JSON (`seconds` runs from the model build to the last point, so the
 *     first step's compilation is in it); the command's wall time (engine start, tfjs, the bundle,
 *     the data) is printed beside it.
 *   - the editor's path: the same find-lr and train runs sent to an engine started ahead
 *     (`EngineHost.prestart`, as the extension does when a model file is opened: tfjs, the bundle and
 *     the warm-up while it waits), then the request; `seconds` as above, and request → first point.
 * `--profile` adds where a range-test step's time goes (batch gather, loss read-back, event-loop
 * yields, progress streaming, the first steps of a fresh process), in one engine-like process.
 *
 *   npx tsx bench/engineOverhead.ts [--models mlp256,cnn] [--steps 100,1000] [--profile]
 *
 * Data: the examples' MNIST digits through bench/benchModel.ts, 6,400 training samples
 * (LRLAB_MNIST_LIMIT) so that an epoch is 50 batches of 128.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { loadTf } from '../src/engine/tfjs';
import { EngineHost } from '../src/extension/engineHost';
import type { RunRequestParams } from '../src/protocol/requests';
import { Trainer } from '../src/engine/trainer';
import { engineOwnsProcess, wantedFmaThreads, wantedWasmThreads } from '../src/engine/wasmThreads';
import { BATCH, buildBenchModel } from './models';
import { profileLoop } from './loopProfile';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const ROOT = path.join(__dirname, '..');
const MODEL_FILE = path.join(__dirname, 'benchModel.ts');
const TRAIN_SAMPLES = 6400;
const PER_EPOCH = TRAIN_SAMPLES / BATCH;

/** Steady-state steps/s of the bare trainer step, in a process set up like the CLI's. */
async function trainerWorker(name: string, seconds: number): Promise<void> {
  engineOwnsProcess();
  const { tf, report } = await loadTf({ backend: 'wasm', threads: wantedWasmThreads(), fmaThreads: wantedFmaThreads() });
  const { model, xShape } = buildBenchModel(tf, name);
  const xs = tf.randomUniform(xShape, 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10).toFloat();
  const trainer = new Trainer(tf, model, (y: tfjs.Tensor, p: tfjs.Tensor) => tf.metrics.categoricalCrossentropy(y, p), 'categorical', { optimizer: { name: 'sgd', lr: 1e-3, momentum: 0.9, weightDecay: 0 } });
  for (let i = 0; i < 20; i++) trainer.step(xs, ys);
  let n = 0;
  const t0 = performance.now();
  while (n < 10 || performance.now() - t0 < seconds * 1000) {
    trainer.step(xs, ys);
    n++;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  process.stdout.write(`${JSON.stringify({ rate, threads: report.threads, kernels: report.wasmKernels?.filter((k) => k.includes('MatMul')) ?? [] })}\n`);
  process.exit(0);
}

interface Cli {
  readonly ok: boolean;
  readonly json: Record<string, unknown> | null;
  readonly wall: number;
  readonly error: string;
}

function lrlab(model: string, argv: string[]): Cli {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'lrlab'), ...argv, MODEL_FILE, '--backend', 'wasm', '--batch-size', String(BATCH), '--seed', '1', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, LRLAB_BENCH_MODEL: model, LRLAB_MNIST_LIMIT: String(TRAIN_SAMPLES) },
    timeout: 15 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = (performance.now() - t0) / 1000;
  try {
    return { ok: r.status === 0, json: JSON.parse(r.stdout) as Record<string, unknown>, wall, error: '' };
  } catch {
    return { ok: false, json: null, wall, error: (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ') };
  }
}

interface Row {
  readonly what: string;
  readonly steps: number;
  readonly seconds: number | null;
  readonly wall: number;
  readonly note: string;
}

function productRows(model: string, steps: number): Row[] {
  const rows: Row[] = [];
  // One range test (no second one, no median of three): the loop is what is measured.
  const findLr = lrlab(model, ['find-lr', '--steps', String(steps), '--start-lr', '1e-4', '--end-lr', '1e-2', '--range-retries', '0', '--range-tests', '1', '--lr-trials', '0']);
  const points = (findLr.json?.['points'] as unknown[] | undefined)?.length ?? 0;
  rows.push({ what: 'lrlab find-lr', steps: points, seconds: (findLr.json?.['seconds'] as number | undefined) ?? null, wall: findLr.wall, note: findLr.error || `stop: ${String(findLr.json?.['stopReason'])}` });

  const epochs = Math.max(1, Math.round(steps / PER_EPOCH));
  const train = lrlab(model, ['train', '--policy', 'onecycle', '--max-lr', '0.02', '--epochs', String(epochs)]);
  const history = (train.json?.['history'] as unknown[] | undefined)?.length ?? 0;
  rows.push({ what: 'lrlab train', steps: history * PER_EPOCH, seconds: (train.json?.['seconds'] as number | undefined) ?? null, wall: train.wall, note: train.error || `${history} epochs, each + 1 validation pass (2,000 samples)` });

  const short = lrlab(model, ['sweep', '--short-runs', '--max-lr', '0.02', '--momentum', '0.9', '--steps', String(steps)]);
  const runs = (short.json?.['runs'] as { records: unknown[] }[] | undefined) ?? [];
  rows.push({ what: 'lrlab sweep --short-runs', steps: runs.length * steps, seconds: (short.json?.['seconds'] as number | undefined) ?? null, wall: short.wall, note: short.error || `${runs.length} runs × ${steps} steps, 10 validation passes each` });
  return rows;
}

/** A cancellation token that is never cancelled (EngineHost.run wants one). */
const NEVER = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };

/** One run the way the editor makes it: an engine started ahead for the file, ready, then the request. */
async function editorRun(model: string, request: RunRequestParams): Promise<{ result: Record<string, unknown> | null; wall: number; firstPoint: number | null; error: string }> {
  const logs: string[] = [];
  const host = new EngineHost({ extensionPath: ROOT, nodePath: process.execPath, log: (_level, message) => logs.push(message), env: { LRLAB_BENCH_MODEL: model, LRLAB_MNIST_LIMIT: String(TRAIN_SAMPLES) } });
  try {
    host.prestart({ model: MODEL_FILE, backend: 'wasm' });
    const t = performance.now();
    while (!logs.some((l) => /started ahead .*: ready in/.test(l))) {
      if (performance.now() - t > 60_000) throw new Error(`the engine started ahead was not ready in 60 s: ${logs.join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The user reads the file for a moment before the click; the warm-up has ended by then.
    await new Promise((resolve) => setTimeout(resolve, 500));
    let firstPoint: number | null = null;
    const t0 = performance.now();
    const result = (await host.run('bench', request, { onProgress: () => undefined, onAppend: () => (firstPoint ??= performance.now() - t0) }, NEVER)) as unknown as Record<string, unknown>;
    return { result, wall: (performance.now() - t0) / 1000, firstPoint: firstPoint === null ? null : firstPoint / 1000, error: '' };
  } catch (error) {
    return { result: null, wall: 0, firstPoint: null, error: error instanceof Error ? error.message : String(error) };
  } finally {
    host.dispose();
  }
}

async function editorRows(model: string, steps: number): Promise<Row[]> {
  const common = { model: MODEL_FILE, backend: 'wasm', batchSize: BATCH, seed: 1 } as const;
  const findLr = await editorRun(model, { ...common, kind: 'find-lr', steps, startLr: 1e-4, endLr: 1e-2, rangeRetries: 0, rangeTests: 1, lrTrials: 0 });
  const points = (findLr.result?.['points'] as unknown[] | undefined)?.length ?? 0;
  const first = (r: { firstPoint: number | null }): string => (r.firstPoint === null ? '' : `request → first point ${r.firstPoint.toFixed(2)} s; `);
  const rows: Row[] = [{ what: 'editor: find-lr', steps: points, seconds: (findLr.result?.['seconds'] as number | undefined) ?? null, wall: findLr.wall, note: findLr.error || `${first(findLr)}stop: ${String(findLr.result?.['stopReason'])}` }];
  const epochs = Math.max(1, Math.round(steps / PER_EPOCH));
  const train = await editorRun(model, { ...common, kind: 'train', policy: 'onecycle', schedule: { maxLr: 0.02 }, epochs });
  const history = (train.result?.['history'] as unknown[] | undefined)?.length ?? 0;
  rows.push({ what: 'editor: train', steps: history * PER_EPOCH, seconds: (train.result?.['seconds'] as number | undefined) ?? null, wall: train.wall, note: train.error || `${first(train)}${history} epochs, each + 1 validation pass` });
  return rows;
}

function trainerRate(model: string, seconds: number): { rate: number | null; note: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--worker', model, '--seconds', String(seconds)], { encoding: 'utf8', timeout: 10 * 60_000 });
  try {
    const doc = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { rate: number; threads: number; kernels: string[] };
    return { rate: doc.rate, note: `${doc.threads} threads; ${doc.kernels.join(', ')}` };
  } catch {
    return { rate: null, note: (r.stderr || '').trim().split('\n').pop() ?? 'failed' };
  }
}

async function main(): Promise<void> {
  const models = flag('models', 'mlp256,cnn').split(',');
  const stepsList = flag('steps', '100,1000').split(',').map(Number);
  const seconds = Number(flag('seconds', '3'));
  console.log(`Experiment loops vs the trainer step, batch ${BATCH}, wasm, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const model of models) {
    const trainer = trainerRate(model, seconds);
    console.log(`\n${model}: trainer step ${trainer.rate?.toFixed(1) ?? '—'} steps/s (${trainer.note})`);
    console.log(`${'run'.padEnd(26)}${'steps'.padStart(7)}${'seconds'.padStart(9)}${'steps/s'.padStart(9)}${'/ trainer'.padStart(11)}${'wall s'.padStart(8)}  note`);
    for (const steps of stepsList) {
      for (const row of [...productRows(model, steps), ...(await editorRows(model, steps))]) {
        const rate = row.seconds === null || row.seconds <= 0 ? null : row.steps / row.seconds;
        const ratio = rate === null || trainer.rate === null ? '—' : `${(rate / trainer.rate).toFixed(2)}x`;
        console.log(`${row.what.padEnd(26)}${String(row.steps).padStart(7)}${(row.seconds?.toFixed(2) ?? '—').padStart(9)}${(rate?.toFixed(1) ?? '—').padStart(9)}${ratio.padStart(11)}${row.wall.toFixed(1).padStart(8)}  ${row.note}`);
      }
    }
  }
  console.log(`\nload after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

if (args[0] === '--worker') {
  void trainerWorker(args[1] ?? 'mlp256', Number(flag('seconds', '3')));
} else if (args[0] === '--profile-worker') {
  void profileLoop(args[1] ?? 'mlp256').then(() => process.exit(0));
} else if (args.includes('--profile')) {
  // Each model in a fresh process of its own: its first steps are a fresh process's.
  console.log(`Where a range-test step's time goes; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const model of flag('models', 'mlp256,cnn').split(',')) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--profile-worker', model], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 10 * 60_000 });
    process.stdout.write(r.stdout);
  }
} else {
  void main();
}
