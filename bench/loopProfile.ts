/**
 * Where a range-test step's time goes (`npx tsx bench/engineOverhead.ts --profile`), in one
 * process set up like the CLI's engine (wasm, one thread per CPU), on bench/benchModel.ts:
 *   - the first steps of a fresh process (JIT, wasm tier-up, kernel set-up) against steady state;
 *   - one step split into forward+backward, loss read-back, optimizer update;
 *   - the batch: tfjs `gather` (what the loops did) against the direct row copy (src/engine/batches.ts);
 *   - an event-loop yield (`setImmediate`), and the per-step streaming (reporter point + progress
 *     into a sink that serialises like the IPC channel).
 * Each figure is the median of repeated timings, in ms per step.
 */
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { BatchSampler, mulberry32 } from '../src/core/random';
import { gatherBatch } from '../src/engine/batches';
import { Reporter } from '../src/engine/reporter';
import { loadForRun } from '../src/engine/session';
import { Trainer } from '../src/engine/trainer';
import { engineOwnsProcess } from '../src/engine/wasmThreads';
import { BATCH } from './models';

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN;

function time(n: number, f: () => void): number {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return median(out);
}

async function profileOne(name: string): Promise<void> {
  process.env['LRLAB_BENCH_MODEL'] = name;
  process.env['LRLAB_MNIST_LIMIT'] = '6400';
  const ctx = { reporter: new Reporter('profile', { progress: () => undefined, append: () => undefined, log: () => undefined }), signal: new AbortController().signal };
  const loadStart = performance.now();
  const loaded = await loadForRun({ kind: 'find-lr', model: path.join(__dirname, 'benchModel.ts'), backend: 'wasm', seed: 1 } as never, ctx);
  const loadMs = performance.now() - loadStart;
  const tf = loaded.tf;
  const train = loaded.data.train;
  const sampler = new BatchSampler(train.count, BATCH, mulberry32(1));
  const optimizer = { name: 'sgd' as const, lr: 1e-4, momentum: 0.9, weightDecay: 0 };

  // A fresh process: the first steps from the model build, as find-lr's `seconds` counts them.
  const built = performance.now();
  const model = await loaded.buildModel({});
  const trainer = new Trainer(tf, model, loaded.loss.fn, loaded.accuracy, { optimizer });
  const buildMs = performance.now() - built;
  const first: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    trainer.stepOn(train, sampler.next());
    first.push(performance.now() - t);
  }
  for (let i = 0; i < 30; i++) trainer.stepOn(train, sampler.next());

  const [bx, by] = gatherBatch(tf, train.xs, train.ys, sampler.next());
  const steady = time(60, () => trainer.step(bx, by));
  const vars = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
  let fwdBwd = 0;
  let readBack = 0;
  let update = 0;
  const parts: number[][] = [[], [], []];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(() => tf.mean<tfjs.Scalar>(loaded.loss.fn(by, model.apply(bx, { training: true }) as tfjs.Tensor)), vars);
    const t1 = performance.now();
    value.dataSync();
    const t2 = performance.now();
    trainer.optimizer.step(vars.map((v) => grads[v.name]!));
    const t3 = performance.now();
    tf.dispose([value, ...Object.values(grads)]);
    parts[0]!.push(t1 - t0);
    parts[1]!.push(t2 - t1);
    parts[2]!.push(t3 - t2);
  }
  [fwdBwd, readBack, update] = parts.map(median) as [number, number, number];
  tf.dispose([bx, by]);

  const gatherOld = time(60, () => {
    const idx = tf.tensor1d(sampler.next(), 'int32');
    tf.dispose([idx, tf.gather(train.xs, idx), tf.gather(train.ys, idx)]);
  });
  const gatherNew = time(60, () => tf.dispose(gatherBatch(tf, train.xs, train.ys, sampler.next())));

  const yields: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await new Promise<void>((resolve) => setImmediate(resolve));
    yields.push(performance.now() - t);
  }
  const ipcLike = new Reporter('profile', {
    progress: (p) => void JSON.stringify(p),
    append: (a) => void JSON.stringify(a),
    log: () => undefined,
  });
  let step = 0;
  const streaming = time(400, () => {
    step++;
    ipcLike.point('main', { step, lr: 1e-3, momentum: 0.9, loss: 1.5, smoothed: 1.4, valLoss: null, valAccuracy: null, seconds: step / 100 });
    ipcLike.progress('range-test', () => `step ${step}/1000, LR ${(1e-3).toExponential(2)}, loss ${(1.4).toPrecision(4)}`, step / 1000);
  });
  trainer.dispose();
  loaded.disposeModel(model);

  const f = (ms: number): string => (ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
  console.log(`\n${name}, ${loaded.backend.name} with ${loaded.backend.threads} thread(s), batch ${BATCH} (${(loaded.backend.wasmKernels ?? []).filter((k) => k.includes('MatMul')).join(', ')})`);
  console.log(`  engine load (tfjs, bundle, loadData): ${loadMs.toFixed(0)} ms; model build: ${f(buildMs)}`);
  console.log(`  first 10 steps of the process: ${first.map((t) => t.toFixed(1)).join(' ')} ms (sum ${first.reduce((a, b) => a + b, 0).toFixed(0)} ms vs ${(10 * steady).toFixed(0)} ms steady)`);
  console.log(`  steady trainer step: ${f(steady)} = forward+backward ${f(fwdBwd)} + loss read-back ${f(readBack)} + optimizer ${f(update)} (+ dispose)`);
  console.log(`  batch by tf.gather (as before): ${f(gatherOld)} (${((100 * gatherOld) / steady).toFixed(1)}% of a step); direct row copy: ${f(gatherNew)} (${((100 * gatherNew) / steady).toFixed(1)}%)`);
  console.log(`  event-loop yield (setImmediate): ${f(median(yields))} (${((100 * median(yields)) / steady).toFixed(2)}% of a step if paid every step)`);
  console.log(`  streaming a point + progress note per step: ${f(streaming)} (${((100 * streaming) / steady).toFixed(2)}%)`);
}

/** One model, in a fresh process (the caller spawns one per model). */
export async function profileLoop(name: string): Promise<void> {
  engineOwnsProcess();
  await profileOne(name);
}
