/**
 * The warm-up an engine runs while it waits (src/engine/warmUp.ts), in a fresh process set up as
 * the engine on 2 CPUs (the threaded build, one XNNPACK thread, two FMA threads): it must reach
 * the FMA module's worker threads (their own instances of the module only leave V8's baseline
 * tier by running heavy jobs), leave nothing behind, give way to a run that arrives, and change
 * no result.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineModule as src, probeJson } from './probe';

const tiny = path.join(__dirname, '..', 'fixtures', 'engine', 'tinyClassifier.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-warmup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const IMPORTS = `import { loadTf } from ${src('tfjs.ts')};
import { activeFmaGemm } from ${src('wasmKernels', 'index.ts')};
import { warmUp, WARM_UP_STEPS } from ${src('warmUp.ts')};
import { Trainer } from ${src('trainer.ts')};
import { engineOwnsProcess } from ${src('wasmThreads.ts')};`;
const probe = (body: string): Record<string, unknown> => probeJson(dir, IMPORTS, `engineOwnsProcess(); ${body}`);

test('the full warm-up starts the FMA threads and runs them, the light one stays on this thread; neither leaves tensors, and both stop once the run arrives', () => {
  const r = probe(`
    const { tf } = await loadTf({ backend: 'wasm', threads: 1, fmaThreads: 2 });
    const gemm = activeFmaGemm(tf)!;
    const startedAtLoad = gemm.started;
    let steps = 0;
    let onStep = (): void => undefined;
    const stepOn = Trainer.prototype.stepOn;
    Trainer.prototype.stepOn = function (this: Trainer, ...args: Parameters<Trainer['stepOn']>) { steps++; onStep(); return stepOn.apply(this, args); };
    const tensors = tf.memory().numTensors;
    const jobs = gemm.parallelJobs;
    await warmUp(tf, 'full');
    const full = { steps, parallel: gemm.parallelJobs - jobs, leftTensors: tf.memory().numTensors - tensors };
    steps = 0;
    const lightJobs = gemm.parallelJobs;
    await warmUp(tf, 'light');
    const light = { steps, parallel: gemm.parallelJobs - lightJobs };
    steps = 0;
    // tfjs-layers numbers each new layer of a kind: the count says whether throwaway models were built.
    const layerNumber = (): number => Number(/(\\d+)$/.exec(tf.layers.dense({ units: 1 }).name)?.[1]);
    const denseBefore = layerNumber();
    await warmUp(tf, 'full', Promise.resolve());
    const settledBefore = steps;
    const settledLayers = layerNumber() - denseBefore - 1;
    steps = 0;
    let arrive = (): void => undefined;
    const arrives = new Promise<void>((res) => (arrive = res));
    onStep = () => { if (steps === 3) arrive(); };
    await warmUp(tf, 'full', arrives);
    process.stdout.write(JSON.stringify({ threads: gemm.threads, startedAtLoad, readyAfterFull: gemm.ready, full, light, settledBefore, settledLayers, arrivedAfterThree: steps, perModel: WARM_UP_STEPS, leftTensors: tf.memory().numTensors - tensors }) + '\\n');`);
  assert.equal(r['threads'], 2);
  assert.equal(r['startedAtLoad'], false, 'no FMA worker before anything needs one');
  assert.equal(r['readyAfterFull'], 2, 'the full warm-up started the FMA worker and waited for it');
  const perModel = r['perModel'] as { light: number; full: number };
  const full = r['full'] as { steps: number; parallel: number; leftTensors: number };
  assert.equal(full.steps, 2 * perModel.full, 'both warm-up models, every step');
  // Each dense step's forward and dW products are over the parallel threshold (no dX: the input is no variable).
  assert.ok(full.parallel >= 2 * perModel.full, `jobs split between the FMA threads: ${full.parallel}`);
  // Beside esbuild (light) it stays on this thread: the CPUs are the bundle's.
  assert.deepEqual(r['light'], { steps: 2 * perModel.light, parallel: 0 });
  assert.equal(full.leftTensors, 0);
  assert.equal(r['settledBefore'], 0, 'a run already waiting: no warm-up step');
  assert.equal(r['settledLayers'], 0, 'a run already waiting: no throwaway model built either');
  assert.ok((r['arrivedAfterThree'] as number) <= 4, `steps after the run arrived at the 3rd: ${String(r['arrivedAfterThree'])}`);
  assert.equal(r['leftTensors'], 0);
});

test('a seeded range test gives the same curve with and without a warm-up before it', () => {
  const r = probe(`
    const { runRequest } = await import(${src('run.ts')});
    const { Reporter } = await import(${src('reporter.ts')});
    const ctx = { reporter: new Reporter('w', { progress: () => undefined, append: () => undefined, log: () => undefined }), signal: new AbortController().signal };
    const request = { kind: 'find-lr', model: ${JSON.stringify(tiny)}, backend: 'wasm', seed: 7, steps: 30, rangeRetries: 0, rangeTests: 1, lrTrials: 0 };
    const losses = async (): Promise<number[]> => ((await runRequest(request as never, ctx)) as { points: { loss: number }[] }).points.map((p) => p.loss);
    const { tf } = await loadTf({ backend: 'wasm', threads: 1, fmaThreads: 2 });
    const cold = await losses();
    await warmUp(tf, 'full');
    const warm = await losses();
    process.stdout.write(JSON.stringify({ cold, warm }) + '\\n');`);
  assert.equal((r['cold'] as number[]).length, 30);
  assert.deepEqual(r['warm'], r['cold']);
});
