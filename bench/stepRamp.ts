/**
 * The bare trainer step of bench/benchModel.ts over a long run, in one process set up as the engine's
 * (wasm, its default threads, LR Lab's kernels): steps/s per block of steps, so the ramp of a fresh
 * process shows, and how many of the FMA module's products ran split between its threads and how
 * many alone (src/engine/wasmKernels/threadChoice.ts).
 *
 *   node --import tsx bench/stepRamp.ts [mlp256|mlp512|cnn] [steps, default 1000] [--block 100]
 */
import path from 'node:path';
import { BatchSampler, mulberry32 } from '../src/core/random';
import { Reporter } from '../src/engine/reporter';
import { loadForRun } from '../src/engine/session';
import { Trainer } from '../src/engine/trainer';
import { engineOwnsProcess } from '../src/engine/wasmThreads';
import { activeFmaGemm } from '../src/engine/wasmKernels';
import { BATCH } from './models';

async function main(): Promise<void> {
  engineOwnsProcess();
  const args = process.argv.slice(2);
  const at = args.indexOf('--block');
  const block = at >= 0 ? Number(args[at + 1]) : 100;
  const positional = at < 0 ? args : args.filter((_, i) => i !== at && i !== at + 1);
  process.env['LRLAB_BENCH_MODEL'] = positional[0] ?? 'mlp256';
  const steps = Number(positional[1] ?? 1000);
  const ctx = { reporter: new Reporter('ramp', { progress: () => undefined, append: () => undefined, log: () => undefined }), signal: new AbortController().signal };
  const loaded = await loadForRun({ kind: 'find-lr', model: path.join(__dirname, 'benchModel.ts'), backend: 'wasm', seed: 1 } as never, ctx);
  const train = loaded.data.train;
  const sampler = new BatchSampler(train.count, BATCH, mulberry32(1));
  const model = await loaded.buildModel({});
  const trainer = new Trainer(loaded.tf, model, loaded.loss.fn, loaded.accuracy, { optimizer: { name: 'sgd', lr: 1e-3, momentum: 0.9, weightDecay: 0 } });
  const gemm = activeFmaGemm(loaded.tf);
  const blocks: string[] = [];
  const start = performance.now();
  let t0 = start;
  for (let i = 0; i < steps; i++) {
    trainer.stepOn(train, sampler.next());
    if ((i + 1) % block === 0) {
      const t = performance.now();
      blocks.push(((1000 * block) / (t - t0)).toFixed(0));
      t0 = t;
    }
  }
  const rate = (1000 * steps) / (performance.now() - start);
  const products = gemm === null ? 'no FMA module' : `products split ${gemm.parallelJobs}, alone by choice ${gemm.choice.aloneJobs}`;
  console.log(`${process.env['LRLAB_BENCH_MODEL']}: ${rate.toFixed(1)} steps/s over ${steps} steps | per ${block}: ${blocks.join(' ')} | ${products}`);
}
void main();
