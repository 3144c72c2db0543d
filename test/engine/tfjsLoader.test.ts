/**
 * Backend choice as users meet it here: tfjs-node cannot install on these machines, so `auto`
 * lands on wasm and says so; every failure of an explicit backend is an LrLabError with a fix;
 * a fall to cpu always carries the reason. Plus the filesystem IO handler that replaces
 * tfjs-node's `file://`.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTf } from '../../src/engine/tfjs';
import { MAX_WASM_THREADS, PTHREAD_POOL, threadsEnvNote, wantedFmaThreads } from '../../src/engine/wasmThreads';
import { built } from '../built';
import { MAX_MODEL_JSON_BYTES, fileSystemIO } from '../../src/engine/fileSystemIO';
import { writeModel } from './writeModel';
import type { Tf } from '../../src/engine/tfjs';
import { LrLabError } from '../../src/protocol/errors';

const root = path.join(__dirname, '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-tfjs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const emptyDir = path.join(dir, 'empty');
mkdirSync(emptyDir);

function isBackendError(pattern: RegExp, fix: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof LrLabError, String(e));
    assert.equal(e.code, 'backend');
    assert.match(e.message, pattern);
    assert.match(e.fix ?? '', fix);
    assert.equal(e.stack?.includes(e.message), true);
    return true;
  };
}

let wasmTf: Tf | undefined;

test('auto picks wasm here (no tfjs-node): bundled tfjs 4.22, one thread, no note, and Node keeps its own error handling', async () => {
  const before = ['uncaughtException', 'unhandledRejection'].map((event) => process.listeners(event as 'uncaughtException').length);
  const { tf, report } = await loadTf({ backend: 'auto', workspaceDir: emptyDir });
  const { wasmKernels, ...rest } = report;
  assert.deepEqual(rest, { name: 'wasm', requested: 'auto', source: 'bundled', tfjsVersion: '4.22.0', threads: 1, note: null });
  // LR Lab's training kernels (src/engine/wasmKernels) are in, and the report names them.
  assert.ok(wasmKernels?.some((k) => k.startsWith('Conv2DBackpropFilter')) && wasmKernels.includes('MaxPoolGrad'), String(wasmKernels));
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined);
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(tf.tidy(() => tf.sum(tf.square(tf.tensor1d([1, 2, 3]))).dataSync()[0]), 14);
  // Emscripten's rethrowing process listeners are removed again.
  assert.deepEqual(['uncaughtException', 'unhandledRejection'].map((event) => process.listeners(event as 'uncaughtException').length), before);
  wasmTf = tf;
});

test('--backend tensorflow without tfjs-node: a backend error that says how to get it', async () => {
  await assert.rejects(loadTf({ backend: 'tensorflow', workspaceDir: emptyDir }), (e: unknown) => {
    isBackendError(/--backend tensorflow needs @tensorflow\/tfjs-node/, /npm install @tensorflow\/tfjs-node.*--backend wasm/)(e);
    assert.equal((e as LrLabError).option, 'backend');
    return true;
  });
});

test('--backend wasm with a wasmDir lacking the .wasm files throws, naming the file and folder', async () => {
  await assert.rejects(
    loadTf({ backend: 'wasm', wasmDir: emptyDir }),
    isBackendError(new RegExp(`WebAssembly backend did not start: tfjs-backend-wasm-simd\\.wasm is missing from ${emptyDir.replace(/[\\/.]/g, '.')}`), /Reinstall LR Lab.*--backend cpu/),
  );
});

test('auto with a bad wasmDir falls to cpu, and the note says why and what to install', async () => {
  const { tf, report } = await loadTf({ backend: 'auto', workspaceDir: emptyDir, wasmDir: emptyDir });
  assert.equal(report.name, 'cpu');
  assert.equal(report.source, 'bundled');
  assert.equal(tf.getBackend(), 'cpu');
  assert.match(report.note ?? '', /^wasm backend failed: tfjs-backend-wasm-simd\.wasm is missing from .*; using the slow pure-JS cpu backend — install @tensorflow\/tfjs-node for speed$/);
  assert.equal(tf.tidy(() => tf.sum(tf.tensor1d([1, 2])).dataSync()[0]), 3);
});

test('--backend cpu works and always carries a note', async () => {
  const { report } = await loadTf({ backend: 'cpu' });
  assert.equal(report.name, 'cpu');
  assert.match(report.note ?? '', /slow.*tfjs-node/);
});

test('a .wasm file that does not start: setBackend returns false, explicit wasm throws, auto falls to cpu with the reason', () => {
  const broken = path.join(dir, 'broken-wasm');
  mkdirSync(broken);
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) writeFileSync(path.join(broken, file), 'not wasm');
  // A fresh process: tfjs-backend-wasm refuses new paths after a failed start.
  const probe = path.join(dir, 'probe.ts');
  writeFileSync(
    probe,
    `import { loadTf } from ${JSON.stringify(path.join(root, 'src', 'engine', 'tfjs.ts'))};
(async () => {
  const out: Record<string, unknown> = {};
  try { await loadTf({ backend: 'wasm', wasmDir: ${JSON.stringify(broken)} }); out.explicit = 'loaded'; }
  catch (e) { out.explicit = { name: (e as Error).name, code: (e as { code?: string }).code, message: (e as Error).message, fix: (e as { fix?: string }).fix }; }
  const { tf, report } = await loadTf({ backend: 'auto', workspaceDir: ${JSON.stringify(emptyDir)} });
  out.auto = report;
  out.backend = tf.getBackend();
  process.stdout.write(JSON.stringify(out));
})();
`,
  );
  const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', probe], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as {
    explicit: { name: string; code: string; message: string; fix: string };
    auto: { name: string; note: string };
    backend: string;
  };
  assert.equal(out.explicit.name, 'LrLabError');
  assert.equal(out.explicit.code, 'backend');
  assert.match(out.explicit.message, /WebAssembly backend did not start: setBackend\('wasm'\) failed with tfjs-backend-wasm-simd\.wasm from .*broken-wasm: .+/);
  assert.match(out.explicit.fix, /--backend cpu/);
  assert.equal(out.auto.name, 'cpu');
  assert.equal(out.backend, 'cpu');
  assert.match(out.auto.note, /wasm backend failed: .*; using the slow pure-JS cpu backend — install @tensorflow\/tfjs-node for speed/);
});

test('tfjs\'s "install our node backend" banner never prints: not from --backend cpu, nor from a cpu backend tfjs makes beside wasm', () => {
  // A fresh process each (the backends are per process); the banner comes with a cpu backend's first tensor.
  const banner = /Hi, looks like you are running TensorFlow\.js in Node\.js/;
  for (const backend of ['cpu', 'wasm'] as const) {
    const probe = path.join(dir, `banner-${backend}.ts`);
    writeFileSync(
      probe,
      `import { loadTf } from ${JSON.stringify(path.join(root, 'src', 'engine', 'tfjs.ts'))};
(async () => {
  const { tf, report } = await loadTf({ backend: '${backend}', workspaceDir: ${JSON.stringify(emptyDir)} });
  tf.tensor([1, 2]).dataSync();
  // A cpu backend made after the engine's own (tfjs makes one where asked for it by name).
  await tf.setBackend('cpu');
  tf.tensor([3, 4]).dataSync();
  process.stdout.write(JSON.stringify({ name: report.name, now: tf.getBackend() }));
})();
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', probe], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { name: backend, now: 'cpu' });
    assert.doesNotMatch(r.stderr, banner);
  }
});

/** Runs loadTf with `threads` in a fresh process (one wasm start per process) and a conv + matmul checksum. */
function threadedProbe(name: string, wasmDir: string | null, threads: number, fmaThreads?: number, env: NodeJS.ProcessEnv = process.env): { report: { name: string; threads: number; note: string | null; wasmKernels?: string[] }; sum: number; exitMs: number } {
  const probe = path.join(dir, `${name}.ts`);
  writeFileSync(
    probe,
    `import { loadTf } from ${JSON.stringify(path.join(root, 'src', 'engine', 'tfjs.ts'))};
(async () => {
  const { tf, report } = await loadTf({ backend: 'wasm', threads: ${threads}${fmaThreads === undefined ? '' : `, fmaThreads: ${fmaThreads}`}${wasmDir === null ? '' : `, wasmDir: ${JSON.stringify(wasmDir)}`} });
  const x = tf.randomUniform([32, 28, 28, 3], -1, 1, 'float32', 1);
  const f = tf.randomUniform([3, 3, 3, 16], -1, 1, 'float32', 2);
  const y = tf.conv2d(x as never, f as never, 1, 'same');
  const m = tf.matMul(tf.reshape(y, [32, -1]), tf.randomUniform([28 * 28 * 16, 64], -1, 1, 'float32', 3));
  process.stdout.write(JSON.stringify({ report, sum: tf.sum(tf.abs(m)).dataSync()[0] }));
  process.exit(0);
})();
`,
  );
  const t0 = Date.now();
  const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', probe], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, env })) as { report: { name: string; threads: number; note: string | null; wasmKernels?: string[] }; sum: number };
  return { ...out, exitMs: Date.now() - t0 };
}

test('wasm threads: two threads start, compute exactly what one thread computes, and the report says so', () => {
  const two = threadedProbe('threads2', null, 2);
  const one = threadedProbe('threads1', null, 1);
  assert.equal(two.report.name, 'wasm');
  assert.equal(two.report.threads, 2, JSON.stringify(two.report));
  assert.equal(two.report.note, null);
  assert.equal(one.report.threads, 1);
  // XNNPACK splits the work by output tiles: each sum is formed in the same order.
  assert.ok(Math.abs(two.sum - one.sum) <= 1e-6 * Math.abs(one.sum), `${two.sum} vs ${one.sum}`);
});

test('wasm threads: an engine removes the worker-script folders of engines that are gone (killed ones never clean up), and leaves a live one\'s, an unnamed one and its own until it exits', () => {
  const tmp = path.join(dir, 'tmp-sweep');
  mkdirSync(tmp);
  // pid_max is at most 2^22 on Linux: no process has this pid.
  const dead = path.join(tmp, 'lrlab-wasm-threads-4194309-aB3dE6');
  const live = path.join(tmp, `lrlab-wasm-threads-${process.pid}-fG7hI8`);
  const unnamed = path.join(tmp, 'lrlab-wasm-threads-Kl9mN0');
  for (const folder of [dead, live, unnamed]) {
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'tfjs-backend-wasm-threaded-simd.worker.js'), '// a worker script');
  }
  const probe = threadedProbe('sweep', null, 2, undefined, { ...process.env, TMPDIR: tmp });
  assert.equal(probe.report.threads, 2, JSON.stringify(probe.report));
  assert.equal(existsSync(dead), false, 'the dead engine\'s folder is removed');
  assert.ok(existsSync(live) && existsSync(unnamed), 'a live process\'s folder and one without a pid stay');
  assert.deepEqual(readdirSync(tmp).filter((n) => n.startsWith('lrlab-wasm-threads-')).sort(), [path.basename(live), path.basename(unnamed)].sort(), 'and the probe removed its own at exit');
});

test('the FMA module\'s own threads: one backend thread and two FMA threads start the threaded build, compute exactly what one thread computes, and the report names both', () => {
  const mixed = threadedProbe('fma2', null, 1, 2);
  const one = threadedProbe('fma1', null, 1);
  assert.equal(mixed.report.threads, 1, JSON.stringify(mixed.report));
  assert.equal(mixed.report.note, null);
  assert.ok(mixed.report.wasmKernels?.includes('BatchMatMul (relaxed-SIMD FMA, 2 threads)'), JSON.stringify(mixed.report.wasmKernels));
  assert.ok(one.report.wasmKernels?.includes('BatchMatMul (relaxed-SIMD FMA, 1 thread)'), JSON.stringify(one.report.wasmKernels));
  // The module splits by whole panels: every sum is formed in the same order, whatever the threads.
  assert.equal(mixed.sum, one.sum);
});

test('the engine bundle\'s threaded glue creates the Emscripten workers the engine asks for, not a fixed 8 (esbuild.mjs patches it; a wasm update that moves the line fails the build)', () => {
  const bundle = readFileSync(built('engine.js'), 'utf8');
  assert.equal(bundle.split('var pthreadPoolSize = 8;').length, 1, 'the fixed pool is gone');
  // A development build keeps the line as patched; a production build (npm run package) minifies it.
  assert.equal(bundle.match(/globalThis\[(\/\* @__PURE__ \*\/ )?Symbol\.for\("lrlab\.pthreadPool"\)\]\s*\?\?\s*8/g)?.length, 1, 'read from the key wasmThreads.ts sets');
  assert.equal(PTHREAD_POOL, Symbol.for('lrlab.pthreadPool'));
});

test('an engine with one XNNPACK thread and two FMA threads starts no Emscripten worker (the threaded build is there for the FMA module\'s shared heap), and the FMA worker only for a model with products to share; two XNNPACK threads start two; every run trains', () => {
  // Counts the workers each process constructs (bin/lrlab and the engine it starts), by what they run, and writes them at exit.
  const counter = path.join(dir, 'countWorkers.cjs');
  writeFileSync(
    counter,
    `const wt = require('node:worker_threads');
const fs = require('node:fs');
const Real = wt.Worker;
const made = { emscripten: 0, other: 0, watch: 0 };
wt.Worker = class extends Real {
  constructor(script, options) {
    super(script, options);
    if (String(script).endsWith('tfjs-backend-wasm-threaded-simd.worker.js')) made.emscripten++;
    else if (options && options.name === 'lrlab-heap-watch') made.watch++;
    else made.other++;
  }
};
process.on('exit', () => { if (wt.isMainThread && process.env.COUNT_OUT) fs.writeFileSync(process.env.COUNT_OUT + '.' + process.pid, JSON.stringify(made)); });
`,
  );
  const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
  // 64 rows (the default batch) × 300 inputs × 256 units: 4.9 M multiply-adds, over fmaGemm.ts's PARALLEL_MIN_MACS.
  const wide = path.join(dir, 'wideClassifier.js');
  writeFileSync(
    wide,
    `const tf = require('@tensorflow/tfjs');
exports.createModel = () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, activation: 'relu', inputShape: [300] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  return model;
};
exports.loadData = async () => {
  const xs = tf.randomUniform([256, 300], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 256 }, (_, i) => i % 2), 'int32'), 2).toFloat();
  return { train: { xs, ys } };
};
`,
  );
  const run = (name: string, threads: Record<string, string>, model = tiny): { made: { emscripten: number; other: number }; watchers: number; backendThreads: number; steps: number } => {
    const out = path.join(dir, `${name}-workers`);
    const env = { ...process.env, LRLAB_WASM_THREADS: '', LRLAB_FMA_THREADS: '', ...threads, NODE_OPTIONS: `--require ${counter}`, COUNT_OUT: out };
    const result = JSON.parse(
      execFileSync(process.execPath, [path.join(root, 'bin', 'lrlab'), 'find-lr', model, '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--seed', '1', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, env }),
    ) as { backend: string; backendThreads: number; points: unknown[] };
    assert.equal(result.backend, 'wasm');
    const made = { emscripten: 0, other: 0 };
    let watchers = 0;
    for (const file of readdirSync(dir).filter((f) => f.startsWith(`${name}-workers.`))) {
      const counted = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as typeof made & { watch: number };
      made.emscripten += counted.emscripten;
      made.other += counted.other;
      watchers += counted.watch;
    }
    return { made, watchers, backendThreads: result.backendThreads, steps: result.points.length };
  };
  built('engine.js');
  const fmaOnly = run('fma-only', { LRLAB_WASM_THREADS: '1', LRLAB_FMA_THREADS: '2' });
  assert.deepEqual(fmaOnly.made, { emscripten: 0, other: 0 }, 'no Emscripten worker, and no FMA worker for a model whose products stay small');
  // The threaded build's heap watcher (wasmHeapWatch.ts): one idle thread on a timer, nothing computed.
  assert.equal(fmaOnly.watchers, 1, 'the shared heap is watched once');
  assert.equal(fmaOnly.backendThreads, 1);
  assert.ok(fmaOnly.steps >= 10, `it trained: ${fmaOnly.steps} points`);
  const wideRun = run('fma-wide', { LRLAB_WASM_THREADS: '1', LRLAB_FMA_THREADS: '2' }, wide);
  assert.deepEqual(wideRun.made, { emscripten: 0, other: 1 }, 'the FMA module\'s one worker for a model with products to share');
  assert.ok(wideRun.steps >= 10, `it trained: ${wideRun.steps} points`);
  const both = run('both', { LRLAB_WASM_THREADS: '2' });
  assert.equal(both.made.emscripten, 2, JSON.stringify(both.made));
  assert.equal(both.backendThreads, 2);
  assert.ok(both.steps >= 10, `it trained: ${both.steps} points`);
});

test('how many FMA threads the engine asks for: LRLAB_FMA_THREADS, else LRLAB_WASM_THREADS, else one outside an engine process', () => {
  const saved = { fma: process.env['LRLAB_FMA_THREADS'], wasm: process.env['LRLAB_WASM_THREADS'] };
  try {
    delete process.env['LRLAB_FMA_THREADS'];
    delete process.env['LRLAB_WASM_THREADS'];
    assert.equal(wantedFmaThreads(), 1, 'tests and hosts that load the engine in-process stay on one thread');
    process.env['LRLAB_WASM_THREADS'] = '3';
    assert.equal(wantedFmaThreads(), 3, 'LRLAB_WASM_THREADS pins both pools (benchmarks pin 1)');
    process.env['LRLAB_FMA_THREADS'] = '2';
    assert.equal(wantedFmaThreads(), 2);
    process.env['LRLAB_FMA_THREADS'] = '64';
    assert.equal(wantedFmaThreads(), MAX_WASM_THREADS);
    process.env['LRLAB_FMA_THREADS'] = 'lots';
    assert.equal(wantedFmaThreads(), 3, 'an unreadable value is ignored');
    // ... and said, as a cap is (both were silent).
    assert.equal(threadsEnvNote(), (os.cpus().length < 3 ? `LRLAB_WASM_THREADS=3 is more threads than this machine's ${os.cpus().length} CPUs: they take turns, which is slower than ${os.cpus().length}; ` : '') + 'LRLAB_FMA_THREADS="lots" is not a whole number of threads (1 or more): ignored');
    process.env['LRLAB_FMA_THREADS'] = '2.5';
    assert.equal(wantedFmaThreads(), 3, '2.5 is not read as 2');
    process.env['LRLAB_WASM_THREADS'] = '1000';
    delete process.env['LRLAB_FMA_THREADS'];
    assert.equal(threadsEnvNote(), `LRLAB_WASM_THREADS=1000 is over the ${MAX_WASM_THREADS} threads LR Lab runs: ${MAX_WASM_THREADS}`);
    process.env['LRLAB_WASM_THREADS'] = '1';
    assert.equal(threadsEnvNote(), null);
  } finally {
    for (const [name, value] of [['LRLAB_FMA_THREADS', saved.fma], ['LRLAB_WASM_THREADS', saved.wasm]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

test('wasm threads unavailable: the single-thread build runs and the note says why (missing file, a threaded build that fails to start, a temporary folder that cannot be written)', () => {
  const pkgDist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const missing = path.join(dir, 'no-threaded-wasm');
  mkdirSync(missing);
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) copyFileSync(path.join(pkgDist, file), path.join(missing, file));
  const a = threadedProbe('missing', missing, 2);
  assert.equal(a.report.name, 'wasm');
  assert.equal(a.report.threads, 1);
  assert.match(a.report.note ?? '', /^wasm threads unavailable \(tfjs-backend-wasm-threaded-simd\.wasm is missing from .*no-threaded-wasm\); running the single-thread build$/);

  const broken = path.join(dir, 'broken-threaded-wasm');
  mkdirSync(broken);
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) copyFileSync(path.join(pkgDist, file), path.join(broken, file));
  writeFileSync(path.join(broken, 'tfjs-backend-wasm-threaded-simd.wasm'), 'not wasm');
  const b = threadedProbe('broken', broken, 2);
  assert.equal(b.report.name, 'wasm');
  assert.equal(b.report.threads, 1);
  assert.match(b.report.note ?? '', /^wasm threads unavailable \(.+\); running the single-thread build$/);
  assert.ok(Math.abs(b.sum - a.sum) <= 1e-6 * Math.abs(a.sum));

  // A temporary folder that cannot take the worker script, in an engine process (the bundle; tsx itself
  // cannot start there): one thread, said. It was "internal error: ENOENT … mkdtemp" on every wasm run.
  writeFileSync(path.join(dir, 'a-file'), '');
  const c = JSON.parse(
    execFileSync(process.execPath, [path.join(root, 'bin', 'lrlab'), 'find-lr', path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js'), '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--json'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
      env: { ...process.env, LRLAB_WASM_THREADS: '', LRLAB_FMA_THREADS: '2', TMPDIR: path.join(dir, 'a-file', 'tmp') },
    }),
  ) as { backend: string; backendThreads: number; backendNote: string | null };
  assert.equal(c.backend, 'wasm');
  assert.equal(c.backendThreads, 1);
  assert.match(c.backendNote ?? '', /^wasm threads unavailable \(its worker script cannot be written to the temporary folder \S*a-file\/tmp \(ENOTDIR\): set TMPDIR to a folder you can write to\); running the single-thread build$/);
});

// ---------------------------------------------------------------------------------------------
// fileSystemIO

async function wasm(): Promise<Tf> {
  const { tf } = await loadTf({ backend: 'wasm' });
  return wasmTf ?? tf;
}

function tinyModel(tf: Tf): ReturnType<Tf['sequential']> {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 3, inputShape: [5], activation: 'relu' }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

test('modelFiles writes model.json + weights.bin, fileSystemIO loads them back: round-trips topology and weights exactly', async () => {
  const tf = await wasm();
  const model = tinyModel(tf);
  const folder = path.join(dir, 'saved');
  await writeModel(tf, model, path.join(folder, 'model.json'));
  assert.deepEqual(readdirSync(folder).sort(), ['model.json', 'weights.bin']);
  const json = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[]; format: string };
  assert.deepEqual(json.weightsManifest[0]?.paths, ['./weights.bin']);
  assert.equal(json.format, 'layers-model');
  const loaded = await tf.loadLayersModel(fileSystemIO(tf, folder));
  assert.deepEqual(
    loaded.getWeights().map((w) => Array.from(w.dataSync())),
    model.getWeights().map((w) => Array.from(w.dataSync())),
  );
  assert.deepEqual(loaded.outputs[0]!.shape, [null, 2]);
  model.dispose();
  loaded.dispose();
});

test('fileSystemIO: a missing or corrupt model.json, a missing or truncated weights file: errors that name the file', async () => {
  const tf = await wasm();
  const folder = path.join(dir, 'broken');
  mkdirSync(folder);
  const modelJson = path.join(folder, 'model.json');
  const load = (): Promise<unknown> => tf.loadLayersModel(fileSystemIO(tf, modelJson));
  const modelError = (pattern: RegExp) => (e: unknown) => e instanceof LrLabError && e.code === 'model-file' && e.file === modelJson && pattern.test(e.message) && (e.fix ?? '').length > 10;

  await assert.rejects(load(), modelError(/^Cannot read .*model\.json: ENOENT/));
  writeFileSync(modelJson, '{ "modelTopology": ');
  await assert.rejects(load(), modelError(/^model\.json is not valid JSON/));
  writeFileSync(modelJson, '{ "format": "graph-model" }');
  await assert.rejects(load(), modelError(/has no modelTopology/));

  const model = tinyModel(tf);
  await writeModel(tf, model, modelJson);
  model.dispose();
  const weights = readFileSync(path.join(folder, 'weights.bin'));
  writeFileSync(path.join(folder, 'weights.bin'), weights.subarray(0, 20));
  await assert.rejects(load(), modelError(/weights file \.\/weights\.bin holds 20 bytes but model\.json's weightsManifest describes 104/));
  // Sizes first: a 1.9 GB weights file where 104 bytes belong took 21 s and 4 GB to be refused.
  truncateSync(path.join(folder, 'weights.bin'), 1.9e9);
  const started = Date.now();
  await assert.rejects(load(), modelError(/weights file \.\/weights\.bin holds 1900000000 bytes but model\.json's weightsManifest describes 104/));
  assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  rmSync(path.join(folder, 'weights.bin'));
  await assert.rejects(load(), (e: unknown) => modelError(/lists the weights file \.\/weights\.bin, which is missing/)(e) && /delete weightsManifest/.test((e as LrLabError).fix ?? ''));
  mkdirSync(path.join(folder, 'weights.bin'));
  await assert.rejects(load(), modelError(/lists the weights file \.\/weights\.bin, which is not a regular file/));
  rmSync(path.join(folder, 'weights.bin'), { recursive: true });
  // An empty manifest holds no weights, as a missing one does: fresh initial weights (tfjs refused "4 of 4 weights are not set").
  const saved = readFileSync(modelJson, 'utf8');
  writeFileSync(modelJson, JSON.stringify({ ...(JSON.parse(saved) as object), weightsManifest: [] }));
  const fresh = (await load()) as { getWeights(): unknown[]; dispose(): void };
  assert.equal(fresh.getWeights().length, 4);
  fresh.dispose();
  writeFileSync(modelJson, saved);
  // A model.json far larger than one (16 s and 2.2 GB, then V8's "Cannot create a string longer than …"): refused by its size.
  truncateSync(modelJson, MAX_MODEL_JSON_BYTES + 1);
  await assert.rejects(load(), modelError(/^Cannot read .*model\.json: it is 270 MB, far larger than a model\.json/));
});

test("file:// works with the bundled tfjs too (what tfjs-node's handler would do)", async () => {
  const tf = await wasm();
  const model = tinyModel(tf);
  const folder = path.join(dir, 'via-url');
  await model.save(`file://${folder}`);
  const loaded = await tf.loadLayersModel(`file://${path.join(folder, 'model.json')}`);
  assert.deepEqual(loaded.getWeights()[0]!.dataSync(), model.getWeights()[0]!.dataSync());
  model.dispose();
  loaded.dispose();
});

// ---------------------------------------------------------------------------------------------
// A workspace's own tfjs-node. The real one cannot install here: stand-ins with its layout.

function fakeWorkspace(options: { version: string; index: string; binary?: boolean }): string {
  const workspace = mkdtempSync(path.join(dir, 'ws-'));
  const pkg = path.join(workspace, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(pkg, { recursive: true });
  const packageJson: Record<string, unknown> = { name: '@tensorflow/tfjs-node', version: options.version, main: 'index.js' };
  if (options.binary === true) packageJson['binary'] = { module_name: 'tfjs_binding', module_path: './lib/napi-v{napi_build_version}/' };
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify(packageJson));
  writeFileSync(path.join(pkg, 'index.js'), options.index);
  return workspace;
}

const mustNotLoad = "throw new Error('this tfjs-node must not be required');\n";

test('a workspace tfjs-node whose native addon was never built is not even required: explicit tensorflow says how to build it, auto uses wasm with a note', async () => {
  const workspace = fakeWorkspace({ version: '4.22.0', index: mustNotLoad, binary: true });
  await assert.rejects(loadTf({ backend: 'tensorflow', workspaceDir: workspace }), isBackendError(/native addon \(tfjs_binding\.node\) was never built/, /npm rebuild @tensorflow\/tfjs-node/));
  const { report } = await loadTf({ backend: 'auto', workspaceDir: workspace });
  assert.equal(report.name, 'wasm');
  assert.match(report.note ?? '', /your workspace's @tensorflow\/tfjs-node is installed but its native addon .* never built.*; using the wasm backend — install @tensorflow\/tfjs-node for speed/);
});

test('a workspace tfjs that is not 4.x is refused before it loads', async () => {
  const workspace = fakeWorkspace({ version: '3.21.0', index: mustNotLoad });
  await assert.rejects(loadTf({ backend: 'auto', workspaceDir: workspace }), (e: unknown) => {
    isBackendError(/your workspace's @tensorflow\/tfjs-node is version 3\.21\.0; LR Lab needs TensorFlow\.js 4\.x/, /npm install @tensorflow\/tfjs-node@4.*--backend wasm/)(e);
    assert.equal((e as LrLabError).file, path.join(workspace, 'node_modules', '@tensorflow', 'tfjs-node', 'package.json'));
    return true;
  });
});

test('a workspace tfjs-node that is a stub (no tfjs in it) or whose package.json is unreadable: explicit tensorflow says so, auto uses wasm with a note (it read "internal error: Cannot read properties of undefined")', async () => {
  const stub = fakeWorkspace({ version: '4.22.0', index: 'module.exports = {};\n' });
  await assert.rejects(loadTf({ backend: 'tensorflow', workspaceDir: stub }), isBackendError(/your workspace's @tensorflow\/tfjs-node loaded, but is not TensorFlow\.js for Node/, /npm install @tensorflow\/tfjs-node.*--backend wasm/));
  const auto = await loadTf({ backend: 'auto', workspaceDir: stub });
  assert.equal(auto.report.name, 'wasm');
  assert.match(auto.report.note ?? '', /your workspace's @tensorflow\/tfjs-node loaded, but is not TensorFlow\.js for Node.*; using the wasm backend/);
  const truncated = fakeWorkspace({ version: '4.22.0', index: mustNotLoad });
  writeFileSync(path.join(truncated, 'node_modules', '@tensorflow', 'tfjs-node', 'package.json'), '{"name": "@tensorflow/tfjs-node", "main": "ind');
  const fallback = await loadTf({ backend: 'auto', workspaceDir: truncated });
  assert.equal(fallback.report.name, 'wasm');
  assert.match(fallback.report.note ?? '', /your workspace's @tensorflow\/tfjs-node cannot be resolved \(.*\).*; using the wasm backend/);
});

test("auto prefers the workspace's own tfjs-node: the whole namespace is the workspace's", async () => {
  // Re-exports this process's tfjs (one tfjs per process) with a 'tensorflow' backend, as tfjs-node does.
  const tfjs = JSON.stringify(require.resolve('@tensorflow/tfjs'));
  const cpu = JSON.stringify(require.resolve('@tensorflow/tfjs-backend-cpu'));
  const workspace = fakeWorkspace({
    version: '4.22.0',
    index: `const tf = require(${tfjs});\nconst { MathBackendCPU } = require(${cpu});\ntf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);\ntf.setBackend('tensorflow');\nmodule.exports = { ...tf, fromWorkspace: true };\n`,
  });
  const { tf, report } = await loadTf({ backend: 'auto', workspaceDir: workspace });
  assert.equal(report.name, 'tensorflow');
  assert.equal(report.source, 'workspace');
  assert.equal(report.tfjsVersion, '4.22.0');
  assert.equal((tf as unknown as { fromWorkspace?: boolean }).fromWorkspace, true);
  assert.equal(tf.getBackend(), 'tensorflow');
  // Back to wasm for anything after this test.
  await loadTf({ backend: 'wasm' });
});

test('the model.json example of the repository loads through fileSystemIO (weights optional)', async () => {
  const tf = await wasm();
  const folder = path.join(dir, 'example');
  mkdirSync(folder);
  copyFileSync(path.join(root, 'examples', 'tabular-csv', 'model.json'), path.join(folder, 'model.json'));
  const model = await tf.loadLayersModel(fileSystemIO(tf, path.join(folder, 'model.json')));
  assert.ok(model.layers.length > 0);
  model.dispose();
});
