/**
 * Training kernels for tfjs-backend-wasm, installed by the engine right after
 * `setBackend('wasm')` (src/engine/tfjs.ts). Without them the wasm backend of tfjs 4.22 cannot
 * train conv nets or embeddings at all, trains max-pooling and up-sampling nets on wrong
 * gradients, and runs every dense layer's backward pass in a scalar loop.
 *
 * How the list was found (not guessed): `test/engine/wasmKernels.test.ts` builds each common
 * layer on `cpu` and on `wasm` with the same weights and compares loss, weight and input
 * gradients; linear kernels with no trustworthy reference (resize) are checked by the adjoint
 * identity ⟨f(x), dy⟩ = ⟨x, f'(dy)⟩. Everything not listed below matched to ~1e-7.
 *
 * Self-contained and version-checked, so each can be dropped when tfjs fixes it upstream:
 * - `missing` kernels are registered only where the backend has none (a newer tfjs that adds
 *   one keeps its own);
 * - `wrong` and `slow` replacements apply only to tfjs-backend-wasm ≤ LAST_CHECKED, the
 *   versions they were checked against; a newer version is left as it ships and the report says so.
 */
import type { GradConfig, KernelConfig, KernelFunc, LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../tfjs';
import { conv2DBackpropFilter, conv2DBackpropInput, conv3DBackpropInput, depthwiseBackpropFilter, depthwiseBackpropInput } from './conv';
import { type KernelArgs, Kernels, type WasmBackend, cpuAsWasm } from './kit';
import { untransposedMatMul } from './matmul';
import { type EmscriptenHeap, type FmaGemm, PARALLEL_MIN_MACS, loadFmaGemm } from './fmaGemm';
import { fmaMatMul } from './fmaMatMul';
import { sharedCast, sharedIdentity } from './identity';
import { leadingAxesSum, rowBroadcastAdd } from './reduce';
import { maxPoolGrad } from './pool';
import { resizeBilinearGrad, resizeNearestNeighborGrad } from './resize';
import { ADAM_UPDATE_KERNEL, SGD_UPDATE_KERNEL, adamUpdate, sgdUpdate } from './optimizerUpdate';
import { unsortedSegmentSum } from './segment';
import { RELU_GRAD_KERNEL, reluGrad, reluGradConfig, reluGradGradConfig } from './activation';

/** The newest tfjs-backend-wasm these kernels were checked against (the one in package.json). */
export const LAST_CHECKED = '4.22.0';

export type PatchKind = 'missing' | 'wrong' | 'slow';

interface Patch {
  readonly kernel: string;
  readonly kind: PatchKind;
  readonly make: (tf: Tf, k: Kernels, gemm: FmaGemm | null) => (args: KernelArgs) => ReturnType<KernelFunc>;
}

/** The dense products: LR Lab's FMA gemm where the runtime has relaxed SIMD, else transpose + XNNPACK. */
function matMul(name: 'BatchMatMul' | '_FusedMatMul'): Patch['make'] {
  return (_tf, k, gemm) => {
    const xnnpack = untransposedMatMul(k, name);
    return gemm === null ? xnnpack : fmaMatMul(gemm, name, xnnpack);
  };
}

const PATCHES: readonly Patch[] = [
  { kernel: 'Conv2DBackpropFilter', kind: 'missing', make: (tf, k, gemm) => conv2DBackpropFilter(tf, k, gemm) },
  { kernel: 'DepthwiseConv2dNativeBackpropFilter', kind: 'missing', make: depthwiseBackpropFilter },
  { kernel: 'DepthwiseConv2dNativeBackpropInput', kind: 'missing', make: depthwiseBackpropInput },
  { kernel: 'UnsortedSegmentSum', kind: 'missing', make: () => unsortedSegmentSum() },
  { kernel: 'MaxPoolGrad', kind: 'wrong', make: maxPoolGrad },
  { kernel: 'ResizeNearestNeighborGrad', kind: 'wrong', make: () => resizeNearestNeighborGrad() },
  { kernel: 'ResizeBilinearGrad', kind: 'wrong', make: () => resizeBilinearGrad() },
  { kernel: 'Conv3DBackpropInputV2', kind: 'wrong', make: conv3DBackpropInput },
  { kernel: 'Conv2DBackpropInput', kind: 'slow', make: conv2DBackpropInput },
  { kernel: 'BatchMatMul', kind: 'slow', make: matMul('BatchMatMul') },
  { kernel: '_FusedMatMul', kind: 'slow', make: matMul('_FusedMatMul') },
  { kernel: 'Identity', kind: 'slow', make: (_tf, k) => sharedIdentity(k) },
  { kernel: 'Cast', kind: 'slow', make: (_tf, k) => sharedCast(k) },
  { kernel: 'Sum', kind: 'slow', make: (_tf, k, gemm) => leadingAxesSum(k, gemm) },
  { kernel: 'Add', kind: 'slow', make: (_tf, k, gemm) => rowBroadcastAdd(k, gemm) },
];

export interface WasmKernelReport {
  /** tfjs-backend-wasm's version. */
  readonly version: string;
  /** Kernels registered or replaced, with why. */
  readonly installed: readonly { kernel: string; kind: PatchKind }[];
  /** Kernels left as the backend ships them, with why (a newer version, or already present). */
  readonly skipped: readonly { kernel: string; reason: string }[];
  /**
   * How the dense products (BatchMatMul, _FusedMatMul) and the conv filter gradient run: LR Lab's
   * relaxed-SIMD FMA gemm on `threads` threads, or through the backend's XNNPACK, with the reason
   * FMA is not used.
   */
  readonly matmul: { readonly fma: true; readonly threads: number } | { readonly fma: false; readonly reason: string };
}

interface Installed {
  readonly report: WasmKernelReport;
  /** The backend's own configs we replaced, to put back on uninstall. */
  readonly replaced: readonly KernelConfig[];
  readonly added: readonly string[];
  /** tfjs-core's gradients we replaced (Relu's), to put back on uninstall. */
  readonly gradients: readonly GradConfig[];
}

/** Kernel registries are global per process (tfjs-core keeps them on globalThis): so is our marker. */
const MARK = Symbol.for('lrlab.wasmTrainingKernels');
type Marked = { [MARK]?: Installed };

function atMost(version: string, limit: string): boolean {
  const a = version.split('.').map((p) => Number.parseInt(p, 10));
  const b = limit.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (!Number.isFinite(x)) return false;
    if (x !== y) return x < y;
  }
  return true;
}

export interface InstallOptions {
  /** Also install the `slow` replacements (default true; the benchmark turns it off to measure). */
  readonly fast?: boolean;
  /** Threads of the wasm backend: the FMA gemm runs as many (its own workers, threaded build only). */
  readonly threads?: number;
}

/** tfjs-backend-wasm's Emscripten module (`BackendWasm.wasm`), once the backend has started. */
function wasmHeapOf(tf: Tf): EmscriptenHeap | undefined {
  const backend: object | null = tf.findBackend('wasm');
  return backend !== null && 'wasm' in backend ? (backend.wasm as EmscriptenHeap | undefined) : undefined;
}

/** One gemm per heap (re-installing after an uninstall reuses it and its workers). */
const gemms = new WeakMap<object, FmaGemm | string>();

function gemmFor(tf: Tf, threads: number): FmaGemm | string {
  const heap = wasmHeapOf(tf);
  if (heap === undefined) return 'the wasm backend has not started';
  let gemm = gemms.get(heap);
  if (gemm === undefined) {
    gemm = loadFmaGemm(heap, threads);
    gemms.set(heap, gemm);
  }
  return gemm;
}

/** Registers the kernels for the `wasm` backend; idempotent. Call after `setBackend('wasm')` succeeded. */
export function installWasmTrainingKernels(tf: Tf, wasmVersion: string, options: InstallOptions = {}): WasmKernelReport {
  const marked = globalThis as Marked;
  const existing = marked[MARK];
  if (existing !== undefined) return existing.report;
  const k = new Kernels(tf);
  const installed: { kernel: string; kind: PatchKind }[] = [];
  const skipped: { kernel: string; reason: string }[] = [];
  const replaced: KernelConfig[] = [];
  const added: string[] = [];
  const checked = atMost(wasmVersion, LAST_CHECKED);
  const useFma = checked && options.fast !== false;
  const loadedGemm = useFma ? gemmFor(tf, options.threads ?? 1) : `the fast kernels are ${checked ? 'turned off' : 'unchecked for this version'}`;
  const gemm = typeof loadedGemm === 'string' ? null : loadedGemm;
  for (const patch of PATCHES) {
    const own = tf.getKernel(patch.kernel, 'wasm');
    if (patch.kind === 'missing' && own !== undefined) {
      skipped.push({ kernel: patch.kernel, reason: `tfjs-backend-wasm ${wasmVersion} has its own` });
      continue;
    }
    if (patch.kind !== 'missing' && !checked) {
      skipped.push({ kernel: patch.kernel, reason: `tfjs-backend-wasm ${wasmVersion} is newer than ${LAST_CHECKED}, the last version checked` });
      continue;
    }
    if (patch.kind === 'slow' && options.fast === false) {
      skipped.push({ kernel: patch.kernel, reason: 'fast kernels turned off' });
      continue;
    }
    if (patch.kind !== 'missing' && own === undefined) {
      skipped.push({ kernel: patch.kernel, reason: `tfjs-backend-wasm ${wasmVersion} has no ${patch.kernel} to replace` });
      continue;
    }
    if (own !== undefined) {
      k.capture(patch.kernel);
      replaced.push(own);
      tf.unregisterKernel(patch.kernel, 'wasm');
    } else {
      added.push(patch.kernel);
    }
    const run = patch.make(tf, k, gemm);
    // A replaced kernel's setup (its cwrap bindings, which `call` still uses) must still run when
    // the backend initialises after this.
    const config: KernelConfig = { kernelName: patch.kernel, backendName: 'wasm', kernelFunc: (params) => run({ inputs: params.inputs, attrs: params.attrs ?? {}, backend: params.backend as WasmBackend }) };
    if (own?.setupFunc !== undefined) config.setupFunc = own.setupFunc;
    if (own?.disposeFunc !== undefined) config.disposeFunc = own.disposeFunc;
    tf.registerKernel(config);
    installed.push({ kernel: patch.kernel, kind: patch.kind });
  }
  // The optimizer's fused updates (not tfjs kernels: the optimizer asks whether they are there).
  for (const [kernel, make] of [[SGD_UPDATE_KERNEL, sgdUpdate], [ADAM_UPDATE_KERNEL, adamUpdate]] as const) {
    if (gemm === null || tf.getKernel(kernel, 'wasm') !== undefined) continue;
    const run = make(gemm);
    tf.registerKernel({ kernelName: kernel, backendName: 'wasm', kernelFunc: (params) => run({ inputs: params.inputs, attrs: params.attrs ?? {}, backend: params.backend as WasmBackend }) });
    added.push(kernel);
    installed.push({ kernel, kind: 'slow' });
  }
  // Relu's gradient in one pass (activation.ts): its kernel, and the gradient that calls it on wasm.
  const gradients: GradConfig[] = [];
  const reluOwn = tf.getGradient('Relu') as GradConfig | undefined;
  if (gemm !== null && reluOwn !== undefined && tf.getKernel(RELU_GRAD_KERNEL, 'wasm') === undefined) {
    const run = reluGrad(gemm);
    tf.registerKernel({ kernelName: RELU_GRAD_KERNEL, backendName: 'wasm', kernelFunc: (params) => run({ inputs: params.inputs, attrs: params.attrs ?? {}, backend: params.backend as WasmBackend }) });
    tf.registerGradient(reluGradConfig(tf, reluOwn));
    tf.registerGradient(reluGradGradConfig(tf));
    gradients.push(reluOwn);
    added.push(RELU_GRAD_KERNEL);
    installed.push({ kernel: RELU_GRAD_KERNEL, kind: 'slow' });
  }
  const matmul: WasmKernelReport['matmul'] = gemm === null ? { fma: false, reason: loadedGemm as string } : { fma: true, threads: gemm.threads };
  const report: WasmKernelReport = { version: wasmVersion, installed, skipped, matmul };
  marked[MARK] = { report, replaced, added, gradients };
  return report;
}

/** The FMA gemm running on this process's wasm heap, if any (the warm-up, tests and benchmarks). */
export function activeFmaGemm(tf: Tf): FmaGemm | null {
  const heap = wasmHeapOf(tf);
  const gemm = heap === undefined ? undefined : gemms.get(heap);
  return gemm === undefined || typeof gemm === 'string' ? null : gemm;
}

interface LayerLike {
  readonly trainableWeights: readonly { readonly shape: readonly number[] }[];
  readonly outputShape: unknown;
  readonly layers?: readonly LayerLike[];
}

/**
 * The largest product one of `layers` makes per step at `batch` rows, in multiply-adds: a weight
 * matrix (rank ≥ 2: kernels, not biases) times the batch times the positions the layer applies it
 * at (time steps of a dense layer on sequences, a convolution's output pixels). A recurrent layer's
 * kernel counts once: each time step is a product of its own. Nested models are looked into.
 */
function largestProduct(layers: readonly LayerLike[], batch: number): number {
  let largest = 0;
  for (const layer of layers) {
    if (layer.layers !== undefined) largest = Math.max(largest, largestProduct(layer.layers, batch));
    let positions = 1;
    try {
      const shape = layer.outputShape;
      const first = Array.isArray(shape) && Array.isArray(shape[0]) ? (shape[0] as unknown[]) : shape;
      if (Array.isArray(first)) for (const d of first.slice(1, -1)) if (typeof d === 'number' && d > 0) positions *= d;
    } catch {
      // a layer used with several different shapes: count it once
    }
    for (const w of layer.trainableWeights) {
      if (w.shape.length < 2) continue;
      largest = Math.max(largest, w.shape.reduce((a, d) => a * d, 1) * batch * positions);
    }
  }
  return largest;
}

/**
 * Starts the FMA module's worker threads now where `model` has a product they would share at `batch`
 * rows, so that they start and warm while the user's data loads rather than during the first steps.
 * Returns whether they run (or were running). A product that reaches them starts them anyway
 * (fmaGemm.ts `plan`); a model with none never starts them.
 */
export function startFmaWorkersFor(tf: Tf, model: LayersModel, batch: number): boolean {
  const gemm = activeFmaGemm(tf);
  if (gemm === null || gemm.threads === 1) return false;
  if (!gemm.started && largestProduct(model.layers as unknown as readonly LayerLike[], batch) >= PARALLEL_MIN_MACS) gemm.startWorkers();
  return gemm.started;
}

/** The kernels that run on the FMA gemm when it is available (the report names their path). */
export const FMA_KERNELS: readonly string[] = ['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter'];

/** How the report names the FMA kernels' path: "relaxed-SIMD FMA, 2 threads" or "XNNPACK, no FMA: why". */
export function matmulLabel(matmul: WasmKernelReport['matmul']): string {
  return matmul.fma ? `relaxed-SIMD FMA, ${matmul.threads} thread${matmul.threads === 1 ? '' : 's'}` : `XNNPACK, no FMA: ${matmul.reason}`;
}

/** Puts the backend's own kernels back (tests and the benchmark's "as shipped" column). */
export function uninstallWasmTrainingKernels(tf: Tf): void {
  const marked = globalThis as Marked;
  const existing = marked[MARK];
  if (existing === undefined) return;
  for (const { kernel } of existing.report.installed) tf.unregisterKernel(kernel, 'wasm');
  for (const config of existing.replaced) tf.registerKernel(config);
  for (const config of existing.gradients) tf.registerGradient(config);
  if (existing.added.includes(RELU_GRAD_KERNEL)) tf.unregisterGradient(RELU_GRAD_KERNEL);
  delete marked[MARK];
}

const CPU_MARK = Symbol.for('lrlab.cpuTrainingKernels');
type CpuMarked = { [CPU_MARK]?: readonly string[] };

/**
 * The cpu backend's resize gradients are wrong in tfjs 4.22 (nearest-neighbour: wrong pixels even
 * without `halfPixelCenters`; bilinear: height and width swapped, `halfPixelCenters` ignored), so
 * an up-sampling model trains on wrong gradients when the engine falls back to cpu. The same
 * exact adjoints as on wasm replace them, for versions ≤ LAST_CHECKED. Idempotent; returns the
 * kernels replaced.
 */
export function installCpuTrainingKernels(tf: Tf, tfjsVersion: string): readonly string[] {
  const marked = globalThis as CpuMarked;
  const existing = marked[CPU_MARK];
  if (existing !== undefined) return existing;
  const replaced: string[] = [];
  if (atMost(tfjsVersion, LAST_CHECKED)) {
    for (const [kernel, run] of [
      ['ResizeNearestNeighborGrad', resizeNearestNeighborGrad()],
      ['ResizeBilinearGrad', resizeBilinearGrad()],
    ] as const) {
      const own = tf.getKernel(kernel, 'cpu');
      if (own === undefined) continue;
      tf.unregisterKernel(kernel, 'cpu');
      tf.registerKernel({ ...own, kernelFunc: (params) => run({ inputs: params.inputs, attrs: params.attrs ?? {}, backend: cpuAsWasm(params.backend) }) });
      replaced.push(kernel);
    }
  }
  marked[CPU_MARK] = replaced;
  return replaced;
}
