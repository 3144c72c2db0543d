/**
 * LR Lab's relaxed-SIMD FMA matmul on the wasm backend (src/engine/wasmKernels/fma*): every
 * transpose combination, batch broadcasting, the fused bias and relu/relu6, partial tiles and
 * K/N past one packing block, and the conv filter gradient (padding, strides, rows left over)
 * match the cpu backend; with two threads the workers really split the work and give
 * bit-identical sums; where FMA is off the backend's XNNPACK path runs and the report
 * says so. (The layer-by-layer gradient suite in wasmKernels.test.ts runs on this path too.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { type Tf, loadTf } from '../../src/engine/tfjs';
import { activeFmaGemm } from '../../src/engine/wasmKernels';
import { bitDifferences, relErr, signed } from './numeric';
import { engineModule, probeJson } from './probe';

let tf: Tf;
let kernels: readonly string[];

before(async () => {
  const loaded = await loadTf({ backend: 'wasm' });
  tf = loaded.tf;
  kernels = loaded.report.wasmKernels ?? [];
});

/** The same computation on wasm and on cpu, from the same numbers. */
async function bothBackends(shapes: number[][], f: (...xs: Tensor[]) => Tensor): Promise<{ wasm: Float32Array; cpu: Float32Array }> {
  const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array> => {
    assert.ok(await tf.setBackend(backend));
    return tf.tidy(() => f(...shapes.map((s, i) => tf.tensor(signed(s.reduce((a, b) => a * b, 1), i + 3), s))).dataSync() as Float32Array);
  };
  const wasm = await run('wasm');
  const cpu = await run('cpu');
  await tf.setBackend('wasm');
  return { wasm, cpu };
}

test('the report names the FMA path for both dense products', () => {
  assert.ok(kernels.includes('BatchMatMul (relaxed-SIMD FMA, 1 thread)'), kernels.join(', '));
  assert.ok(kernels.includes('_FusedMatMul (relaxed-SIMD FMA, 1 thread)'), kernels.join(', '));
});

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 7, 3],
  [13, 9, 300], // K past one packing block (256)
  [37, 29, 11], // partial 4×8 tiles on both sides
  [3, 1030, 17], // N past one packing block (1024)
  [128, 256, 64],
];

for (const [m, n, k] of SHAPES) {
  test(`matMul ${m}×${k} · ${k}×${n}, every transpose combination, = cpu`, async () => {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const { wasm, cpu } = await bothBackends([ta ? [k, m] : [m, k], tb ? [n, k] : [k, n]], (a, b) => tf.matMul(a, b, ta, tb));
        assert.ok(relErr(wasm, cpu) <= 1e-5, `transposeA=${ta} transposeB=${tb}: ${relErr(wasm, cpu)}`);
      }
    }
  });
}

test('batched matMul: equal batches and a broadcast side = cpu; a partial broadcast goes to the fallback and is still right', async () => {
  const same = await bothBackends([[3, 7, 5], [3, 5, 4]], (a, b) => tf.matMul(a, b));
  assert.ok(relErr(same.wasm, same.cpu) <= 1e-5);
  const broadcast = await bothBackends([[1, 7, 5], [3, 4, 5]], (a, b) => tf.matMul(a, b, false, true));
  assert.ok(relErr(broadcast.wasm, broadcast.cpu) <= 1e-5);
  const partial = await bothBackends([[2, 1, 7, 5], [1, 3, 5, 4]], (a, b) => tf.matMul(a, b));
  assert.ok(relErr(partial.wasm, partial.cpu) <= 1e-5);
});

test('fused matMul: bias and relu / relu6 / linear in the epilogue, other activations through the fallback, all = cpu', async () => {
  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid'] as const) {
    const { wasm, cpu } = await bothBackends([[19, 33], [33, 21], [21]], (a, b, bias) => tf.fused.matMul({ a: a, b: b, bias: tf.mul(bias, 4), activation }));
    assert.ok(relErr(wasm, cpu) <= 1e-5, `${activation}: ${relErr(wasm, cpu)}`);
  }
  const noBias = await bothBackends([[6, 9], [10, 9]], (a, b) => tf.fused.matMul({ a: a, b: b, transposeB: true, activation: 'relu' }));
  assert.ok(relErr(noBias.wasm, noBias.cpu) <= 1e-5);
});

test('the report names the FMA path for the conv filter gradient too', () => {
  assert.ok(kernels.includes('Conv2DBackpropFilter (relaxed-SIMD FMA, 1 thread)'), kernels.join(', '));
});

const CONVS: { x: number[]; f: number[]; strides: [number, number]; pad: 'same' | 'valid' }[] = [
  { x: [6, 13, 13, 16], f: [3, 3, 16, 32], strides: [1, 1], pad: 'valid' },
  { x: [3, 11, 9, 5], f: [3, 2, 5, 7], strides: [2, 2], pad: 'same' },
  { x: [2, 10, 9, 3], f: [2, 3, 3, 5], strides: [2, 3], pad: 'valid' },
  { x: [4, 28, 28, 1], f: [5, 5, 1, 6], strides: [1, 1], pad: 'same' },
];

for (const c of CONVS) {
  test(`conv2d filter gradient ${c.x.join('×')} * ${c.f.join('×')} stride ${c.strides.join('×')} ${c.pad} on the FMA gemm = cpu`, async () => {
    const { wasm, cpu } = await bothBackends([c.x, c.f], (x, f) => {
      const y = tf.conv2d(x as Tensor4D, f as Tensor4D, c.strides, c.pad);
      const weights = tf.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(i * 0.37)), y.shape);
      return tf.grad((filter: Tensor) => tf.sum(tf.mul(tf.conv2d(x as Tensor4D, filter as Tensor4D, c.strides, c.pad), weights)))(f);
    });
    assert.ok(relErr(wasm, cpu) <= 1e-5, `${relErr(wasm, cpu)}`);
  });
}

/** im2col(x)ᵀ of an NHWC input, materialised: rows (ky, kx, ci), columns output pixels (b, oy, ox). */
function im2colT(x: Float32Array, shape: readonly number[], filter: readonly number[], strides: readonly number[], pt: number, pl: number, oh: number, ow: number): Float32Array {
  const [n, h, w, c] = [shape[0]!, shape[1]!, shape[2]!, shape[3]!];
  const [kh, kw, sh, sw] = [filter[0]!, filter[1]!, strides[0]!, strides[1]!];
  const cols = n * oh * ow;
  const out = new Float32Array(kh * kw * c * cols);
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      for (let ci = 0; ci < c; ci++) {
        const r = (ky * kw + kx) * c + ci;
        for (let b = 0; b < n; b++) {
          for (let oy = 0; oy < oh; oy++) {
            for (let ox = 0; ox < ow; ox++) {
              const iy = oy * sh + ky - pt;
              const ix = ox * sw + kx - pl;
              out[r * cols + (b * oh + oy) * ow + ox] = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0 : x[((b * h + iy) * w + ix) * c + ci]!;
            }
          }
        }
      }
    }
  }
  return out;
}

// The filter gradient packs im2col(x)ᵀ straight from x, a run of consecutive channels per pixel
// (four floats at once where a panel's rows share a filter tap). Packing only copies, so the result
// must equal, to the bit, the same gemm on the materialised matrix: channel counts that fill panels
// (4, 12, 16, 32), that split them across taps (3, 6, 5), single channels, strides and padding.
const PACKING: { x: number[]; f: number[]; strides: [number, number]; pad: 'same' | 'valid' }[] = [
  ...CONVS,
  { x: [3, 9, 9, 6], f: [3, 3, 6, 8], strides: [1, 1], pad: 'same' },
  { x: [2, 8, 7, 12], f: [3, 3, 12, 9], strides: [2, 1], pad: 'same' },
  { x: [2, 7, 7, 32], f: [3, 3, 32, 16], strides: [1, 1], pad: 'valid' },
  { x: [2, 6, 6, 4], f: [2, 2, 4, 5], strides: [1, 1], pad: 'same' },
  { x: [2, 6, 5, 3], f: [3, 2, 3, 7], strides: [1, 2], pad: 'valid' },
];
for (const c of PACKING) {
  test(`conv2d filter gradient ${c.x.join('×')} * ${c.f.join('×')} stride ${c.strides.join('×')} ${c.pad}: the packed im2col is the matrix's gemm to the bit`, () => {
    assert.ok(kernels.includes('Conv2DBackpropFilter (relaxed-SIMD FMA, 1 thread)'), kernels.join(', '));
    const xs = signed(c.x.reduce((a, b) => a * b, 1), 5);
    tf.tidy(() => {
      const x = tf.tensor4d(xs, c.x as [number, number, number, number]);
      const info = tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], c.f as [number, number, number, number], c.strides, 1, c.pad);
      const dyShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
      const dy = tf.tensor4d(signed(dyShape.reduce((a, b) => a * b, 1), 6), dyShape as [number, number, number, number]);
      const dw = tf.engine().runKernel<Tensor>('Conv2DBackpropFilter', { x, dy }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f });
      const a = im2colT(xs, c.x, c.f, c.strides, info.padInfo.top, info.padInfo.left, info.outHeight, info.outWidth);
      const reference = tf.matMul(tf.tensor(a, [c.f[0]! * c.f[1]! * c.x[3]!, info.batchSize * info.outHeight * info.outWidth]), tf.reshape(dy, [-1, c.f[3]!]));
      const got = dw.dataSync<'float32'>();
      const want = reference.dataSync<'float32'>();
      const differ = bitDifferences(got, want);
      assert.equal(differ, 0, `${differ} of ${got.length} differ (first: ${got[0]} vs ${want[0]})`);
    });
  });
}

test('Sum over every axis but the last (bias gradients) runs as column sums = cpu, keepDims and negative axes too; other sums keep the backend\'s kernel', async () => {
  const gemm = activeFmaGemm(tf);
  assert.ok(gemm !== null, 'this Node has relaxed SIMD, so the module must be loaded');
  const own = gemm.columnSums.bind(gemm);
  let calls = 0;
  gemm.columnSums = (...args) => {
    calls++;
    own(...args);
  };
  try {
    const cases = [[[7, 5, 3, 21], [0, 1, 2], false, true], [[300, 37], 0, true, true], [[4, 6, 5], [-3, -2], false, true], [[4, 6, 5], [1, 2], false, false], [[4, 6, 5], null, false, false]] as const;
    for (const [shape, axis, keepDims, columns] of cases) {
      const before = calls;
      const { wasm, cpu } = await bothBackends([[...shape]], (x) => tf.sum(x, axis === null ? undefined : [axis].flat(), keepDims));
      assert.equal(calls - before, columns ? 1 : 0, `${shape.join('x')} axis ${String(axis)}: column sums ran ${calls - before} times`);
      // Column sums add in float32 in the backend's row order (cpu adds in float64); the backend's
      // own full and trailing sums add in another order, so they get float32 round-off room.
      const tolerance = columns ? 1e-6 : 1e-5;
      assert.ok(relErr(wasm, cpu) <= tolerance, `${shape.join('x')} axis ${String(axis)}: ${relErr(wasm, cpu)}`);
    }
  } finally {
    gemm.columnSums = own;
  }
  await tf.setBackend('wasm');
  assert.deepEqual(tf.sum(tf.ones([2, 3, 4]), [0, 1], true).shape, [1, 1, 4]);
});

test('Identity and same-dtype Cast share the input\'s buffer (no copy), keep their values after the input is freed; a real Cast converts', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend() as unknown as { numDataIds(): number };
  const x = tf.tensor([1.5, -2.25, 3]);
  const buffers = backend.numDataIds();
  const copy = tf.clone(x);
  const same = tf.cast(x, 'float32');
  assert.equal(backend.numDataIds(), buffers, 'clone and cast to float32 allocate no buffer');
  x.dispose();
  assert.deepEqual([...copy.dataSync(), ...same.dataSync()], [1.5, -2.25, 3, 1.5, -2.25, 3]);
  const ints = tf.cast(copy, 'int32');
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual([...ints.dataSync()], [1, -2, 3]);
  tf.dispose([copy, same, ints]);
});

test('relu in the epilogue keeps NaN (a diverging range test must still see it)', async () => {
  await tf.setBackend('wasm');
  const out = tf.fused.matMul({ a: tf.tensor2d([[Number.NaN, 1]]), b: tf.tensor2d([[1], [1]]), bias: tf.tensor1d([0]), activation: 'relu' }).dataSync();
  assert.ok(Number.isNaN(out[0]));
});

const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-fma-'));
after(() => rmSync(dir, { recursive: true, force: true }));
/** Runs `body` in a fresh engine-like process (one backend per process) and returns its JSON. */
const probe = (body: string, env: Record<string, string> = {}): Record<string, unknown> =>
  probeJson(dir, `import { loadTf } from ${engineModule('tfjs.ts')};\nimport { activeFmaGemm } from ${engineModule('wasmKernels', 'index.ts')};`, body, env);

const PRODUCT = `
  const a = tf.tensor(Float32Array.from({ length: 200 * 300 }, (_, i) => Math.sin(i)), [200, 300]);
  const b = tf.tensor(Float32Array.from({ length: 300 * 160 }, (_, i) => Math.cos(i * 0.7)), [300, 160]);
  const ab = (ta: boolean, tb: boolean): Float32Array => tf.matMul(ta ? tf.transpose(a) : a, tb ? tf.transpose(b) : b, ta, tb).dataSync() as Float32Array;
  const hash = (v: Float32Array): string => require('node:crypto').createHash('sha256').update(Buffer.from(v.buffer, v.byteOffset, v.byteLength)).digest('hex');
  const sample = (v: Float32Array): number[] => Array.from(v.filter((_, i) => i % 97 === 0));
`;

test('two threads: our workers start at the first product large enough to share, split the products, and every sum is bit-identical to one thread', () => {
  const run = (threads: number): Record<string, unknown> =>
    probe(`const { tf, report } = await loadTf({ backend: 'wasm', threads: ${threads} });
      const gemm = activeFmaGemm(tf)!;
      const started: boolean[] = [gemm.started];
      tf.matMul(tf.ones([16, 16]), tf.ones([16, 16])).dataSync();
      started.push(gemm.started);
      ${PRODUCT}
      ab(false, false);
      started.push(gemm.started);
      for (let i = 0; i < 200 && gemm.ready < gemm.threads; i++) await new Promise((r) => setTimeout(r, 25));
      const x = tf.tensor(Float32Array.from({ length: 16 * 13 * 13 * 16 }, (_, i) => Math.sin(i * 0.3)), [16, 13, 13, 16]);
      const dy = tf.tensor(Float32Array.from({ length: 16 * 11 * 11 * 32 }, (_, i) => Math.cos(i * 0.2)), [16, 11, 11, 32]);
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 16, 32] } as never) as typeof x;
      const sums = [ab(false, false), ab(true, false), ab(false, true), dw.dataSync() as Float32Array].map(hash);
      process.stdout.write(JSON.stringify({ kernels: report.wasmKernels, threads: gemm.threads, started, ready: gemm.ready, warmed: gemm.warmedWorkers, parallel: gemm.parallelJobs, sums }) + '\\n');`);
  const two = run(2);
  const one = run(1);
  assert.deepEqual(two['started'], [false, false, true], 'not at load, not for a 16×16 product, at a 200×300×160 one');
  assert.ok((two['kernels'] as string[]).includes('BatchMatMul (relaxed-SIMD FMA, 2 threads)'), String(two['kernels']));
  assert.equal(two['ready'], 2);
  assert.equal(two['warmed'], 1, 'the worker warmed its code on a memory of its own before it said ready');
  assert.ok((two['parallel'] as number) >= 4, `parallel jobs: ${String(two['parallel'])}`);
  assert.equal(one['parallel'], 0);
  assert.deepEqual(two['sums'], one['sums']);
});

test('LRLAB_WASM_FMA=off: the XNNPACK path runs, the report says why, and the products agree', () => {
  const body = `const { tf, report } = await loadTf({ backend: 'wasm' });
    ${PRODUCT}
    process.stdout.write(JSON.stringify({ kernels: report.wasmKernels, gemm: activeFmaGemm(tf) !== null, sums: [ab(false, false), ab(true, true)].map(sample) }) + '\\n');`;
  const off = probe(body, { LRLAB_WASM_FMA: 'off' });
  const on = probe(body);
  assert.ok((off['kernels'] as string[]).includes('BatchMatMul (XNNPACK, no FMA: turned off with LRLAB_WASM_FMA=off)'), String(off['kernels']));
  // Other spellings of off too (they were ignored without a word).
  const spelled = probe(body, { LRLAB_WASM_FMA: 'FALSE' });
  assert.ok((spelled['kernels'] as string[]).includes('BatchMatMul (XNNPACK, no FMA: turned off with LRLAB_WASM_FMA=FALSE)'), String(spelled['kernels']));
  assert.equal(off['gemm'], false);
  assert.equal(on['gemm'], true);
  const [offSums, onSums] = [off['sums'] as number[][], on['sums'] as number[][]];
  offSums.forEach((s, i) => assert.ok(relErr(onSums[i]!, s) <= 1e-5, `product ${i}`));
});

test('the gemm is this heap\'s: one instance per process, reused after the kernels are reinstalled', async () => {
  await tf.setBackend('wasm');
  const gemm = activeFmaGemm(tf);
  assert.ok(gemm !== null);
  assert.equal(gemm.threads, 1);
});
