/**
 * The wasm training kernels (src/engine/wasmKernels): for every common layer, loss, weight and
 * input gradients on `wasm` match tfjs's pure-JS `cpu` backend, and 20 SGD steps give the same
 * loss curve. Inputs are signed, shapes odd, pooling windows hold ties and all-negative values.
 * Where `cpu` is itself wrong (resize gradients) the check is the adjoint identity instead.
 * Two tests pin the upstream bugs: when one starts failing, tfjs fixed it and our kernel can go.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayersModel, Scalar, Tensor, Variable, layers } from '@tensorflow/tfjs';
import { type Tf, loadTf } from '../../src/engine/tfjs';
import { LAST_CHECKED, activeFmaGemm, installCpuTrainingKernels, installWasmTrainingKernels, uninstallWasmTrainingKernels } from '../../src/engine/wasmKernels';
import type { WasmBackend } from '../../src/engine/wasmKernels/kit';
import { maxPoolGrad } from '../../src/engine/wasmKernels/pool';
import { bitDifferences, relErr, signed } from './numeric';
import { seedProcess } from '../../src/engine/seed';

let tf: Tf;
let wasmVersion: string;

before(async () => {
  const loaded = await loadTf({ backend: 'wasm' });
  tf = loaded.tf;
  assert.equal(loaded.report.name, 'wasm');
  wasmVersion = loaded.report.tfjsVersion;
});

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

interface Case {
  readonly input: number[];
  readonly layers: () => layers.Layer[];
  readonly x?: (n: number) => Float32Array | Int32Array;
  readonly int?: boolean;
}

interface Run {
  weights: { data: Float32Array; shape: number[] }[];
  loss: number;
  gradW: Float32Array[];
  gradX: Float32Array | null;
  curve: number[];
}

async function runOn(backend: 'cpu' | 'wasm', c: Case, weights: Run['weights'] | null): Promise<Run> {
  assert.ok(await tf.setBackend(backend));
  const model = tf.sequential({ layers: c.layers() }) as LayersModel;
  if (weights !== null) model.setWeights(weights.map((w) => tf.tensor(w.data, w.shape)));
  const saved = model.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape }));
  const n = size(c.input);
  const x = tf.tensor(c.x ? c.x(n) : signed(n, 7), c.input, c.int === true ? 'int32' : 'float32');
  const probe = model.apply(x, { training: true }) as Tensor;
  const coeff = tf.tensor(signed(probe.size, 11), probe.shape);
  // A signed weighting of the outputs: every output gets a different, signed upstream gradient.
  const objective = (input: Tensor): Tensor => tf.sum(tf.mul(model.apply(input, { training: true }) as Tensor, coeff));
  const vars = model.trainableWeights.map((w) => w.read()) as Parameters<Tf['variableGrads']>[1];
  let loss: number;
  const gradW: Float32Array[] = [];
  if (model.trainableWeights.length > 0) {
    const r = tf.variableGrads(() => objective(x) as ReturnType<Parameters<Tf['variableGrads']>[0]>, vars);
    loss = r.value.dataSync()[0]!;
    for (const w of model.trainableWeights) gradW.push(r.grads[(w.read() as Variable).name]!.dataSync() as Float32Array);
  } else {
    loss = objective(x).dataSync()[0]!;
  }
  const gradX = c.int === true ? null : (tf.grad(objective)(x).dataSync() as Float32Array);
  // 20 plain SGD steps on a squared loss: the curve both backends must trace.
  const curve: number[] = [];
  if (model.trainableWeights.length > 0) {
    const sgd = tf.train.sgd(0.05);
    for (let step = 0; step < 20; step++) {
      const value = sgd.minimize(() => tf.mean<Scalar>(tf.square(tf.sub(model.apply(x, { training: true }) as Tensor, coeff))), true);
      curve.push(value!.dataSync()[0]!);
    }
  }
  return { weights: saved, loss, gradW, gradX, curve };
}

const L = () => tf.layers;
const negative = (n: number): Float32Array => signed(n, 5).map((v) => -Math.abs(v) - 0.1);
const ties = (n: number): Float32Array => signed(n, 5).map((v) => Math.round(v * 2) / 2);

const CASES: Record<string, Case> = {
  'dense + relu': { input: [5, 7], layers: () => [L().dense({ units: 3, inputShape: [7], activation: 'relu' })] },
  'conv2d valid': { input: [3, 9, 8, 2], layers: () => [L().conv2d({ filters: 4, kernelSize: 3, inputShape: [9, 8, 2] })] },
  'conv2d same stride 2': { input: [2, 9, 8, 3], layers: () => [L().conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', inputShape: [9, 8, 3] })] },
  'conv2d valid, strides leaving rows over': { input: [2, 10, 9, 3], layers: () => [L().conv2d({ filters: 5, kernelSize: [2, 3], strides: [2, 3], inputShape: [10, 9, 3] })] },
  'conv1d same stride 2': { input: [3, 12, 4], layers: () => [L().conv1d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', inputShape: [12, 4] })] },
  'conv1d stacked, valid': { input: [3, 12, 4], layers: () => [L().conv1d({ filters: 3, kernelSize: 2, inputShape: [12, 4] }), L().conv1d({ filters: 2, kernelSize: 3 })] },
  'depthwise same stride 2, multiplier 2': { input: [2, 9, 8, 3], layers: () => [L().depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', inputShape: [9, 8, 3] })] },
  'depthwise valid 3x2': { input: [2, 8, 7, 2], layers: () => [L().depthwiseConv2d({ kernelSize: [3, 2], inputShape: [8, 7, 2] })] },
  'separable conv': { input: [2, 9, 8, 3], layers: () => [L().separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [9, 8, 3] })] },
  'conv2dTranspose stride 2': { input: [2, 5, 4, 3], layers: () => [L().conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', inputShape: [5, 4, 3] })] },
  'conv3d': { input: [1, 4, 5, 4, 2], layers: () => [L().conv3d({ filters: 2, kernelSize: 2, inputShape: [4, 5, 4, 2] })] },
  'maxPool2d, signed': { input: [2, 8, 7, 3], layers: () => [L().conv2d({ filters: 3, kernelSize: 1, inputShape: [8, 7, 3] }), L().maxPooling2d({ poolSize: 2 })] },
  'maxPool2d 3x3 stride 2 same': { input: [2, 9, 7, 3], layers: () => [L().conv2d({ filters: 3, kernelSize: 1, inputShape: [9, 7, 3] }), L().maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' })] },
  'maxPool2d, all-negative windows': { input: [2, 6, 6, 2], x: negative, layers: () => [L().maxPooling2d({ poolSize: 2, inputShape: [6, 6, 2] }), L().flatten(), L().dense({ units: 2 })] },
  'maxPool2d, ties': { input: [2, 6, 6, 2], x: ties, layers: () => [L().maxPooling2d({ poolSize: 2, inputShape: [6, 6, 2] }), L().flatten(), L().dense({ units: 2 })] },
  'maxPool1d': { input: [2, 9, 3], layers: () => [L().maxPooling1d({ poolSize: 2, inputShape: [9, 3] }), L().flatten(), L().dense({ units: 2 })] },
  'averagePool2d 3x3 stride 2 same': { input: [2, 9, 7, 3], layers: () => [L().averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [9, 7, 3] }), L().flatten(), L().dense({ units: 2 })] },
  'averagePool1d': { input: [2, 9, 3], layers: () => [L().averagePooling1d({ poolSize: 2, inputShape: [9, 3] }), L().flatten(), L().dense({ units: 2 })] },
  'global max/avg pool 2d': { input: [2, 5, 4, 3], layers: () => [L().conv2d({ filters: 2, kernelSize: 1, inputShape: [5, 4, 3] }), L().globalMaxPooling2d({}), L().dense({ units: 2 })] },
  'global avg pool 1d': { input: [2, 5, 3], layers: () => [L().globalAveragePooling1d({ inputShape: [5, 3] }), L().dense({ units: 2 })] },
  'max/avg pool 3d': { input: [1, 4, 4, 4, 2], layers: () => [L().maxPooling3d({ poolSize: 2, inputShape: [4, 4, 4, 2] }), L().averagePooling3d({ poolSize: 2 }), L().flatten(), L().dense({ units: 2 })] },
  'batchNorm 2d': { input: [6, 5], layers: () => [L().batchNormalization({ inputShape: [5] })] },
  'batchNorm 4d': { input: [3, 4, 4, 2], layers: () => [L().batchNormalization({ inputShape: [4, 4, 2] })] },
  'layerNorm': { input: [4, 6], layers: () => [L().layerNormalization({ inputShape: [6] })] },
  'dropout (seeded)': { input: [4, 6], layers: () => [L().dense({ units: 5, inputShape: [6] }), L().dropout({ rate: 0.5, seed: 3 })] },
  'embedding': { input: [4, 5], int: true, x: (n) => Int32Array.from({ length: n }, (_, i) => (i * 7) % 10), layers: () => [L().embedding({ inputDim: 10, outputDim: 3, inputLength: 5 }), L().flatten(), L().dense({ units: 2 })] },
  'lstm': { input: [3, 4, 5], layers: () => [L().lstm({ units: 4, inputShape: [4, 5], returnSequences: true })] },
  'gru': { input: [3, 4, 5], layers: () => [L().gru({ units: 4, inputShape: [4, 5] })] },
  'simpleRNN + bidirectional lstm': { input: [2, 3, 4], layers: () => [L().bidirectional({ layer: L().lstm({ units: 2, returnSequences: true }), inputShape: [3, 4] }), L().simpleRNN({ units: 3 })] },
  'activations': {
    input: [4, 6],
    layers: () => ['elu', 'selu', 'softplus', 'softsign', 'tanh', 'sigmoid', 'hardSigmoid', 'relu6', 'swish', 'mish', 'gelu', 'softmax'].map((a, i) =>
      L().dense({ units: 6, activation: a as 'relu', ...(i === 0 ? { inputShape: [6] } : {}) }),
    ),
  },
  'leakyReLU, prelu, elu, softmax layers': { input: [4, 6], layers: () => [L().leakyReLU({ alpha: 0.2, inputShape: [6] }), L().prelu({}), L().elu({}), L().softmax({})] },
  'zeroPadding, cropping, permute': { input: [2, 3, 4, 2], layers: () => [L().zeroPadding2d({ padding: 1, inputShape: [3, 4, 2] }), L().cropping2D({ cropping: [[1, 0], [0, 1]] }), L().permute({ dims: [2, 1, 3] }), L().flatten(), L().dense({ units: 2 })] },
  'timeDistributed dense': { input: [2, 3, 4], layers: () => [L().timeDistributed({ layer: L().dense({ units: 2 }), inputShape: [3, 4] })] },
};

const GRAD_TOLERANCE = 1e-5;
const CURVE_TOLERANCE = 1e-4;

for (const [k, [name, c]] of Object.entries(CASES).entries()) {
  test(`wasm = cpu: ${name} (loss, weight and input gradients, 20 SGD steps)`, async () => {
    // Seeded initial weights (tfjs's initializers draw from Math.random): unseeded, a stack of
    // saturating activations now and then started with every unit saturated and no input gradient.
    seedProcess(1000 + k);
    let ref: Run;
    try {
      ref = await runOn('cpu', c, null);
    } finally {
      seedProcess(null);
    }
    const got = await runOn('wasm', c, ref.weights);
    assert.ok(Math.abs(got.loss - ref.loss) <= GRAD_TOLERANCE * Math.max(1, Math.abs(ref.loss)), `loss ${got.loss} vs ${ref.loss}`);
    assert.equal(got.gradW.length, ref.gradW.length);
    ref.gradW.forEach((g, i) => {
      const e = relErr(got.gradW[i]!, g);
      assert.ok(e <= GRAD_TOLERANCE, `weight ${i}: relative error ${e.toExponential(2)}`);
    });
    if (ref.gradX !== null) {
      const e = relErr(got.gradX!, ref.gradX);
      assert.ok(e <= GRAD_TOLERANCE, `input gradient: relative error ${e.toExponential(2)}`);
      assert.ok(ref.gradX.some((v) => v !== 0), 'the check needs a non-zero input gradient');
    }
    const e = relErr(got.curve, ref.curve);
    assert.ok(e <= CURVE_TOLERANCE, `20-step loss curve: relative error ${e.toExponential(2)}\nwasm ${got.curve.join(',')}\ncpu  ${ref.curve.join(',')}`);
    if (ref.curve.length > 0) assert.ok(ref.curve.at(-1)! < ref.curve[0]!, 'the 20 steps must actually train');
  });
}

test('explicit padding and odd shapes through the ops: conv2d (stride 2x1), depthwise', async () => {
  const x = signed(2 * 7 * 6 * 3, 1);
  const w = signed(3 * 2 * 3 * 4, 2);
  const dw = signed(2 * 3 * 3 * 2, 3);
  const pads: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [1, 2], [2, 0], [0, 0]];
  const grads = async (backend: 'cpu' | 'wasm'): Promise<Float32Array[]> => {
    await tf.setBackend(backend);
    const xt = tf.tensor4d(x, [2, 7, 6, 3]);
    const wt = tf.tensor4d(w, [3, 2, 3, 4]);
    const dwt = tf.tensor4d(dw, [2, 3, 3, 2]);
    const f = (a: Tensor, b: Tensor, d: Tensor): Tensor => {
      const y = tf.conv2d(a as Parameters<Tf['conv2d']>[0], b as Parameters<Tf['conv2d']>[1], [2, 1], pads);
      const z = tf.depthwiseConv2d(a as Parameters<Tf['conv2d']>[0], d as Parameters<Tf['conv2d']>[1], 1, 'same');
      return tf.add(tf.sum(tf.mul(y, tf.tensor(signed(y.size, 4), y.shape))), tf.sum(tf.mul(z, tf.tensor(signed(z.size, 5), z.shape))));
    };
    return tf.grads(f)([xt, wt, dwt]).map((g) => g.dataSync() as Float32Array);
  };
  const ref = await grads('cpu');
  const got = await grads('wasm');
  ref.forEach((g, i) => assert.ok(relErr(got[i]!, g) <= GRAD_TOLERANCE, `gradient ${i}: ${relErr(got[i]!, g)}`));
});

test('Conv2DBackpropInput at stride 1 convolves dY itself, padded by the convolution (no spread copy): = Conv2D of the zero-padded dY with the flipped filter, to the bit', async () => {
  assert.ok(await tf.setBackend('wasm'));
  const cases = [
    { x: [3, 9, 8, 5], f: [3, 3, 5, 7], pad: 'valid' },
    { x: [2, 9, 8, 3], f: [3, 3, 3, 4], pad: 'same' },
    { x: [2, 7, 6, 4], f: [2, 2, 4, 3], pad: 'same' },
    { x: [2, 8, 9, 3], f: [5, 3, 3, 6], pad: 'same' },
    { x: [1, 6, 7, 2], f: [2, 3, 2, 2], pad: [[0, 0], [1, 0], [0, 2], [0, 0]] },
  ] as const;
  for (const c of cases) {
    tf.tidy(() => {
      const [kh, kw] = c.f;
      const filter = tf.tensor4d(signed(c.f.reduce((a, b) => a * b, 1), 7), [...c.f]);
      const info = tf.backend_util.computeConv2DInfo([...c.x] as [number, number, number, number], [...c.f] as [number, number, number, number], [1, 1], 1, c.pad as 'same');
      const dyShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
      const dy = tf.tensor4d(signed(dyShape.reduce((a, b) => a * b, 1), 8), dyShape as [number, number, number, number]);
      const dx = tf.engine().runKernel<Tensor>('Conv2DBackpropInput', { dy, filter }, { strides: [1, 1], pad: c.pad, dataFormat: 'NHWC', inputShape: [...c.x] });
      const p = info.padInfo;
      const padded = tf.pad(dy, [[0, 0], [kh - 1 - p.top, kh - 1 - p.bottom], [kw - 1 - p.left, kw - 1 - p.right], [0, 0]]);
      const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
      const reference = tf.conv2d(padded, flipped, 1, 'valid');
      assert.deepEqual(dx.shape, reference.shape);
      const got = dx.dataSync<'float32'>();
      const want = reference.dataSync<'float32'>();
      const differ = bitDifferences(got, want);
      assert.equal(differ, 0, `${c.x.join('x')} * ${c.f.join('x')} ${JSON.stringify(c.pad)}: ${differ} of ${got.length} differ`);
    });
  }
});

test('MaxPoolGrad regression: all-negative windows and ties send the gradient to the first maximum', async () => {
  await tf.setBackend('wasm');
  // One 2x2 window per quadrant: all negative (max -1 twice), a tie at 0, positive, mixed.
  const x = tf.tensor4d([-3, -1, 0, 0, -1, -2, 0, -5, 2, 1, -4, 3, 1, 2, -1, 3], [1, 4, 4, 1]);
  const g = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.maxPool(t as Parameters<Tf['maxPool']>[0], 2, 2, 'valid'), tf.tensor4d([10, 20, 30, 40], [1, 2, 2, 1]))))(x);
  assert.deepEqual(Array.from(g.dataSync()), [0, 10, 20, 0, 0, 0, 0, 0, 30, 0, 0, 40, 0, 0, 0, 0]);
  // A NaN in a window: the gradient goes to the largest number, as on cpu (NaN is never the max).
  const withNaN = tf.tensor4d([Number.NaN, 1, 2, 0], [1, 2, 2, 1]);
  const gn = tf.grad((t: Tensor) => tf.sum(tf.maxPool(t as Parameters<Tf['maxPool']>[0], 2, 2, 'valid')))(withNaN);
  assert.deepEqual(Array.from(gn.dataSync()), [0, 0, 1, 0]);
});

test('MaxPoolGrad on the FMA module (four channels per compare) equals the JavaScript loop and cpu: ties, all-negative and NaN windows, overlapping windows, channel tails', async () => {
  await tf.setBackend('wasm');
  const gemm = activeFmaGemm(tf);
  assert.ok(gemm !== null, 'the FMA module runs here');
  const js = maxPoolGrad(tf, null, null);
  const fma = maxPoolGrad(tf, null, gemm);
  const cases: { shape: [number, number, number, number]; size: number; stride: number; pad: 'valid' | 'same' }[] = [
    { shape: [2, 6, 6, 8], size: 2, stride: 2, pad: 'valid' },
    { shape: [2, 7, 5, 6], size: 3, stride: 2, pad: 'same' },
    { shape: [1, 9, 9, 9], size: 3, stride: 1, pad: 'valid' },
    { shape: [3, 5, 5, 4], size: 2, stride: 2, pad: 'valid' },
    // Windows that do not overlap: every position owned by one window (stored, not added), a row
    // and column no window reaches, gaps between windows, 'same' padding, a channel tail.
    { shape: [2, 8, 6, 8], size: 2, stride: 2, pad: 'valid' },
    { shape: [2, 7, 7, 8], size: 2, stride: 2, pad: 'valid' },
    { shape: [1, 8, 8, 4], size: 2, stride: 3, pad: 'valid' },
    { shape: [2, 5, 5, 4], size: 2, stride: 2, pad: 'same' },
    { shape: [2, 6, 6, 6], size: 2, stride: 2, pad: 'valid' },
  ];
  for (const { shape, size, stride, pad } of cases) {
    const n = shape.reduce((a, b) => a * b, 1);
    // Coarse values (many ties), a third of them negative, a few NaN.
    const values = Array.from(signed(n, n), (v, i) => (i % 37 === 5 ? Number.NaN : Math.round(v * 3) / 3 - 0.2));
    const x = tf.tensor4d(values, shape);
    const y = tf.maxPool(x, size, stride, pad);
    // Some -0 in dy: at a maximum it must come out as 0 + -0 = +0, as the JavaScript loop's sum gives.
    const dy = tf.tensor4d(signed(y.size, 7).map((v, i) => (i % 9 === 2 ? -0 : v)), y.shape);
    const args = { inputs: { dy, input: x, output: y }, attrs: { filterSize: [size, size], strides: [stride, stride], pad }, backend: tf.backend() as unknown as WasmBackend };
    const viaJs = tf.engine().makeTensorFromTensorInfo(js(args));
    const viaFma = tf.engine().makeTensorFromTensorInfo(fma(args));
    const what = `${shape.join('x')} pool ${size} stride ${stride} ${pad}`;
    assert.deepEqual(Array.from(viaFma.dataSync()), Array.from(viaJs.dataSync()), what);
    assert.ok(viaFma.dataSync().some((v) => v !== 0), `${what}: some gradient`);
    // A maximum with no equal in its window (NaN, or a value not there) takes the running-maximum
    // rule, in SIMD lanes and channel tails alike (wasm's forward pass never produces one: y is made here).
    const odd = Array.from(y.dataSync(), (v, i) => (i % 5 === 1 ? Number.NaN : i % 7 === 3 ? 1e9 : v));
    const yOdd = tf.tensor4d(odd, y.shape);
    const oddArgs = { ...args, inputs: { dy, input: x, output: yOdd } };
    const oddJs = tf.engine().makeTensorFromTensorInfo(js(oddArgs));
    const oddFma = tf.engine().makeTensorFromTensorInfo(fma(oddArgs));
    assert.deepEqual(Array.from(oddFma.dataSync()), Array.from(oddJs.dataSync()), `${what}, maxima without an equal`);
    tf.dispose([yOdd, oddJs, oddFma]);
    // And the kernel tfjs runs for a gradient matches cpu (without NaN: the backends' forward
    // passes treat a NaN in a window differently).
    const finite = values.map((v) => (Number.isNaN(v) ? -0.5 : v));
    const f = (t: Tensor): Tensor => tf.sum(tf.mul(tf.maxPool(t as Parameters<Tf['maxPool']>[0], size, stride, pad), dy));
    const onWasm = tf.grad(f)(tf.tensor4d(finite, shape)).dataSync();
    await tf.setBackend('cpu');
    const onCpu = tf.grad(f)(tf.tensor4d(finite, shape)).dataSync();
    await tf.setBackend('wasm');
    assert.ok(relErr(onWasm, onCpu) <= 1e-6, `${what}: wasm vs cpu ${relErr(onWasm, onCpu)}`);
    tf.dispose([x, y, dy, viaJs, viaFma]);
  }
});

test('MaxPoolGrad when allocating its output grows the wasm heap (views taken before it would read nothing): both paths give every window its gradient', async () => {
  await tf.setBackend('wasm');
  const heapBytes = (): number => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength;
  const gemm = activeFmaGemm(tf);
  assert.ok(gemm !== null);
  for (const [path, kernel] of [['JavaScript', maxPoolGrad(tf, null, null)], ['FMA module', maxPoolGrad(tf, null, gemm)]] as const) {
    let grew = false;
    // Inputs larger each time until allocating dx has to grow the heap.
    for (let side = 256; side <= 2048 && !grew; side *= 2) {
      const x = tf.randomUniform([1, side, side, 4], -1, 1, 'float32', side);
      const y = tf.maxPool(x as Parameters<Tf['maxPool']>[0], 2, 2, 'valid');
      const dy = tf.onesLike(y);
      const before = heapBytes();
      const out = tf.engine().makeTensorFromTensorInfo(kernel({ inputs: { dy, input: x, output: y }, attrs: { filterSize: [2, 2], strides: [2, 2], pad: 'valid' }, backend: tf.backend() as unknown as WasmBackend }));
      grew = heapBytes() > before;
      assert.equal(tf.sum(out).dataSync()[0], y.size, `${path}, ${side}x${side}x4${grew ? ' (the heap grew)' : ''}: one gradient per window`);
      tf.dispose([x, y, dy, out]);
    }
    assert.ok(grew, `${path}: no input made the heap grow`);
  }
});

test('Relu\'s gradient in one pass on the FMA module equals tfjs\'s mul(dy, step(x)) to the bit (zeros, signs, NaN, tails); cpu keeps tfjs\'s own gradient; uninstall puts it back', async () => {
  const gemm = activeFmaGemm(tf);
  assert.ok(gemm !== null, 'the FMA module runs here');
  const reluGrad = gemm.reluGrad.bind(gemm);
  let onePass = 0;
  gemm.reluGrad = (...a: Parameters<typeof reluGrad>) => {
    onePass++;
    reluGrad(...a);
  };
  // x with exact zeros, -0, NaN and both signs; dy with both signs (dy · 0 keeps dy's sign: -0).
  const special = (n: number): Float32Array => signed(n, 7).map((v, i) => (i % 11 === 0 ? 0 : i % 13 === 0 ? -0 : i % 17 === 0 ? Number.NaN : v));
  const viaGradient = async (backend: 'wasm' | 'cpu', shape: number[]): Promise<Float32Array> => {
    await tf.setBackend(backend);
    const n = size(shape);
    const x = tf.tensor(special(n), shape);
    const dy = tf.tensor(signed(n, 8), shape);
    const [dx] = tf.grads((t: Tensor) => tf.relu(t))([x], dy);
    return dx!.dataSync() as Float32Array;
  };
  const composed = async (shape: number[]): Promise<Float32Array> => {
    await tf.setBackend('wasm');
    const n = size(shape);
    return tf.mul(tf.tensor(signed(n, 8), shape), tf.cast(tf.step(tf.tensor(special(n), shape)), 'float32')).dataSync() as Float32Array;
  };
  try {
    for (const shape of [[4, 26, 26, 16], [3, 7], [5], [1, 1, 1, 3], [0, 4]]) {
      const wasm = await viaGradient('wasm', shape);
      assert.equal(bitDifferences(wasm, await composed(shape)), 0, `wasm ${JSON.stringify(shape)}: the one-pass kernel = Step then Multiply, to the bit`);
      assert.equal(bitDifferences(wasm, await viaGradient('cpu', shape)), 0, `wasm ${JSON.stringify(shape)} = cpu, to the bit`);
    }
    assert.equal(onePass, 4, 'every non-empty case ran on the module (the empty one has nothing to do)');
    // The special values: NaN in x gives NaN; an exact zero or -0 in x gives dy · 0 (signed zero).
    await tf.setBackend('wasm');
    const [dx] = tf.grads((t: Tensor) => tf.relu(t))([tf.tensor1d([Number.NaN, 0, -0, -2, 3, 0])], tf.tensor1d([1, -1, 2, -3, -4, 5]));
    assert.deepEqual(Array.from(dx!.dataSync()).map((v) => (Object.is(v, -0) ? '-0' : String(v))), ['NaN', '-0', '0', '-0', '-4', '0']);
    // A gradient of the gradient (a Hessian-vector product through relu) runs through the kernel's own
    // gradient and equals cpu's: d/d(dy) is the same mask, d/dx zero.
    const hvp = async (backend: 'wasm' | 'cpu'): Promise<number[]> => {
      await tf.setBackend(backend);
      const f = (t: Tensor): Scalar => tf.sum(tf.square(tf.relu(t)));
      const v = tf.tensor1d([1, 2, 3, 4, 5]);
      return Array.from(tf.grad((t: Tensor) => tf.sum(tf.mul(tf.grad(f)(t), v)))(tf.tensor1d([-1.5, -0.2, 0, 0.3, 2])).dataSync());
    };
    const passes = onePass;
    assert.deepEqual(await hvp('wasm'), await hvp('cpu'));
    assert.deepEqual(await hvp('wasm'), [0, 0, 0, 8, 10]);
    assert.ok(onePass > passes, 'the nested gradient ran on the module');
    await tf.setBackend('wasm');
    // Without the module's kernel (uninstalled), tfjs's own gradient is back: same values, no module call.
    const before = onePass;
    uninstallWasmTrainingKernels(tf);
    assert.equal(tf.getKernel('LrLabReluGrad', 'wasm'), undefined);
    assert.equal(tf.getGradient('LrLabReluGrad'), undefined, 'its gradient is unregistered too');
    assert.equal(bitDifferences(await viaGradient('wasm', [3, 7]), await composed([3, 7])), 0);
    assert.equal(onePass, before, 'the uninstalled kernel was not called');
  } finally {
    Reflect.deleteProperty(gemm, 'reluGrad');
    await tf.setBackend('wasm');
    installWasmTrainingKernels(tf, wasmVersion, { threads: 1 });
  }
  assert.notEqual(tf.getKernel('LrLabReluGrad', 'wasm'), undefined, 'installed again');
});

test('Add of a bias row on the FMA module equals cpu to the bit, either order, with channel tails; other broadcasts and dtypes still add', async () => {
  const cases: [number[], number[]][] = [
    [[4, 5, 5, 16], [16]],
    [[16], [3, 7, 16]],
    [[6, 10], [1, 10]],
    [[2, 3, 7], [1, 1, 7]],
    [[9, 3], [3]],
    [[5, 4], [5, 4]],
    [[5, 1], [1, 4]],
    [[3, 4], [4, 1, 4]],
    [[4], [1, 4]],
    [[0, 4], [4]],
  ];
  // Count the module's row adds: the bias-row cases must take it.
  const gemm = activeFmaGemm(tf);
  assert.ok(gemm !== null, 'the FMA module runs here');
  const addRow = gemm.addRow.bind(gemm);
  let rowAdds = 0;
  gemm.addRow = (...a: Parameters<typeof addRow>) => {
    rowAdds++;
    addRow(...a);
  };
  try {
    for (const [sa, sb] of cases) {
      const run = async (backend: 'wasm' | 'cpu'): Promise<{ values: number[]; shape: number[] }> => {
        await tf.setBackend(backend);
        const out = tf.add(tf.tensor(signed(sa.reduce((p, q) => p * q, 1), 3), sa), tf.tensor(signed(sb.reduce((p, q) => p * q, 1), 4), sb));
        return { values: Array.from(out.dataSync()), shape: out.shape };
      };
      const cpu = await run('cpu');
      const wasm = await run('wasm');
      assert.deepEqual(wasm, cpu, `${JSON.stringify(sa)} + ${JSON.stringify(sb)}`);
    }
  } finally {
    Reflect.deleteProperty(gemm, 'addRow');
  }
  assert.equal(rowAdds, 6, 'the six bias-row cases ran on the module, the others on the backend');
  const ints = tf.add(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor1d([10, 20], 'int32'));
  assert.deepEqual(Array.from(ints.dataSync()), [11, 22, 13, 24]);
  assert.equal(ints.dtype, 'int32');
});

test('upstream bugs still present in the version we patch (when this fails, tfjs fixed them: drop our kernels)', async () => {
  await tf.setBackend('wasm');
  uninstallWasmTrainingKernels(tf);
  try {
    const x = tf.tensor4d([-3, -1, -1, -2], [1, 2, 2, 1]);
    const shipped = tf.grad((t: Tensor) => tf.sum(tf.maxPool(t as Parameters<Tf['maxPool']>[0], 2, 2, 'valid')))(x).dataSync();
    // The max is -1 at index 1; the shipped kernel never finds a value above its positive start
    // and routes the gradient to the window's first position (-3).
    assert.deepEqual(Array.from(shipped), [1, 0, 0, 0], 'tfjs-backend-wasm MaxPoolGrad misroutes the gradient of all-negative windows');
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
    assert.equal(tf.getKernel('UnsortedSegmentSum', 'wasm'), undefined);
  } finally {
    installWasmTrainingKernels(tf, wasmVersion);
  }
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined);
});

/** |f(x) − ⟨x, ∇f⟩| / |f(x)| for f(x) = ⟨resize(x), c⟩, which is linear in x: 0 up to rounding for an exact gradient. */
function resizeAdjointError(kind: 'nearest' | 'bilinear', alignCorners: boolean, halfPixelCenters: boolean, [h, w, H, W]: readonly [number, number, number, number]): number {
  const x = tf.tensor4d(signed(2 * h * w * 3, h + w), [2, h, w, 3]);
  const c = tf.tensor4d(signed(2 * H * W * 3, H * W), [2, H, W, 3]);
  const f = (t: Tensor): Tensor => {
    const t4 = t as Parameters<Tf['image']['resizeBilinear']>[0];
    const y = kind === 'nearest' ? tf.image.resizeNearestNeighbor(t4, [H, W], alignCorners, halfPixelCenters) : tf.image.resizeBilinear(t4, [H, W], alignCorners, halfPixelCenters);
    return tf.sum(tf.mul(y, c));
  };
  const lhs = f(x).dataSync()[0]!;
  const rhs = tf.sum(tf.mul(x, tf.grad(f)(x))).dataSync()[0]!;
  return Math.abs(lhs - rhs) / Math.max(1, Math.abs(lhs));
}

const RESIZE_SHAPES = [[3, 4, 6, 8], [3, 4, 7, 5], [5, 5, 3, 2]] as const;
const RESIZE_FLAGS = [[false, false], [true, false], [false, true]] as const;

function assertExactResizeGradients(backend: string): void {
  for (const [alignCorners, halfPixelCenters] of RESIZE_FLAGS) {
    for (const kind of ['nearest', 'bilinear'] as const) {
      for (const shape of RESIZE_SHAPES) {
        const e = resizeAdjointError(kind, alignCorners, halfPixelCenters, shape);
        assert.ok(e <= 1e-5, `${backend} ${kind} ${shape.join('x')} alignCorners=${alignCorners} halfPixelCenters=${halfPixelCenters}: adjoint error ${e}`);
      }
    }
  }
}

test('resize gradients (upSampling2d, tf.image.resize*) on wasm: exact adjoints for every alignCorners/halfPixelCenters', async () => {
  await tf.setBackend('wasm');
  assertExactResizeGradients('wasm');
});

test('resize gradients on the cpu fallback: wrong as shipped (pinned), exact once LR Lab replaces them', async () => {
  await tf.setBackend('cpu');
  assert.ok(resizeAdjointError('nearest', false, false, [3, 4, 6, 8]) > 0.1, 'tfjs-backend-cpu ResizeNearestNeighborGrad is wrong as shipped');
  assert.throws(() => resizeAdjointError('bilinear', false, false, [3, 4, 6, 8]), /does not match the shape/, 'tfjs-backend-cpu ResizeBilinearGrad swaps height and width');
  assert.deepEqual(installCpuTrainingKernels(tf, wasmVersion), ['ResizeNearestNeighborGrad', 'ResizeBilinearGrad']);
  assertExactResizeGradients('cpu');
});

test('version check: a newer tfjs-backend-wasm keeps its own kernels; only missing ones are added', async () => {
  await tf.setBackend('wasm');
  uninstallWasmTrainingKernels(tf);
  try {
    const report = installWasmTrainingKernels(tf, '4.23.0');
    assert.deepEqual(report.installed.map((k) => k.kind), ['missing', 'missing', 'missing', 'missing']);
    assert.ok(report.skipped.some((s) => s.kernel === 'MaxPoolGrad' && s.reason.includes(`newer than ${LAST_CHECKED}`)));
  } finally {
    uninstallWasmTrainingKernels(tf);
    const report = installWasmTrainingKernels(tf, wasmVersion);
    assert.equal(report.installed.length, report.matmul.fma ? 18 : 14, JSON.stringify(report));
  }
});
