/**
 * LR Lab's FMA matrix multiply (fma/gemm.c, built by scripts/build-fma.mjs) running inside
 * tfjs-backend-wasm's own heap: the module imports the backend's `WebAssembly.Memory`, so it reads
 * the operands where tfjs keeps them and writes the output tensor in place (no copies).
 *
 * It needs WebAssembly relaxed SIMD (`f32x4.relaxed_madd`): on by default in VS Code's Electron and
 * Node ≥ 22; Node 20 has it behind `--experimental-wasm-relaxed-simd`, which we turn on in-process
 * (`v8.setFlagsFromString`) before compiling, only when the module does not validate without it.
 * Where it cannot run, `loadFmaGemm` says why and the backend's own (XNNPACK) matmuls stay.
 *
 * Threads: tfjs's pthread pool is tfjs's. With the threaded build the heap is a shared memory, and
 * we run our own `worker_threads`, each with an instance of the shared-memory build of the module
 * on that same memory. The main thread computes its share too; the split is by whole row or column
 * panels, so every output is summed in the same order whatever the thread count. The workers wait
 * on `Atomics.wait` between jobs (after a short spin) and are `unref`ed: they never keep the
 * process alive. They start when a model that can use them is built (`startWorkers`, from the
 * session), else at the first job large enough to split: a process whose products all stay under
 * PARALLEL_MIN_MACS (a small model, a test's) never starts them. Started with the backend, their start
 * and warm-up took ~0.3 CPU-seconds of every engine process on 2 CPUs, used or not.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { relaxedSimd } from './relaxedSimd';
import { ThreadChoice } from './threadChoice';

/**
 * Where the two builds are: `dist/fma/` next to the bundle, `src/engine/wasmKernels/fma/` in
 * development. Read when a kernel loads, not at import: the library's ESM bundle has no
 * `__dirname` (and ships no fma/ folder), so there the FMA path is simply missing.
 */
function fmaDir(): string {
  return typeof __dirname === 'string' ? path.join(__dirname, 'fma') : 'fma';
}
export const FMA_WASM = 'gemm.wasm';
export const FMA_SHARED_WASM = 'gemm-shared.wasm';

/** Below this many multiply-adds a job is not worth waking a worker for (~20 µs of work). */
export const PARALLEL_MIN_MACS = 1 << 19;
/** Row and column panel sizes of the micro-kernel (MR, NR in gemm.c): threads split by whole panels. */
const MR = 4;
const NR = 8;

// Control block layout (Int32 slots of a SharedArrayBuffer).
const GEN = 0; // bumped by the main thread for each job
const DONE = 1; // workers that finished the current job
const READY = 2; // workers that have instantiated the module
const QUIT = 3;
const FAILED = 4;
const WARMED = 5; // workers that warmed their code before saying ready
const PARAMS = 8;
/** Per worker: the job's kind, its argument count, then the arguments (gemm takes 15). */
const STRIDE = 20;
const KIND_GEMM = 1;
const KIND_FILTER_GRAD = 2;
const SPIN = 20_000;
/**
 * Each worker warms up with this many pairs of a dense layer's products (128×784·784×256 and its
 * weight gradient, ~3 ms a pair on one thread) on a 6 MB memory of its own before it says ready.
 * A fresh `lrlab find-lr` of 100 steps on the benchmark MLP (2 FMA threads), 8 alternating pairs of
 * builds, twice: median 0.484 → 0.458 s and 0.512 → 0.480 s; the CNN's unchanged (its filter
 * gradients are another export).
 */
const WARM_PRODUCTS = 20;
const WARM_PAGES = 96;
/** A worker that does not answer within this long is treated as gone (the job then throws). */
const WORKER_TIMEOUT_MS = 30_000;

/** The WebAssembly API we use (the engine's tsconfig has no DOM lib, where its types live). */
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
type WasmModule = object;
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: abstract new (...args: never[]) => WasmMemory;
}
const WebAssembly = (globalThis as typeof globalThis & { WebAssembly: WasmApi }).WebAssembly;

/** gemm.c's exports; argument lists in the order of its C signatures (built by each `Part`). */
type Export = (...args: number[]) => void;
interface GemmExports {
  readonly gemm: Export;
  readonly conv2d_filter_grad: Export;
  readonly column_sums: Export;
  readonly sgd_update: Export;
  readonly adam_update: Export;
  readonly max_pool_grad: Export;
  readonly add_row: Export;
  readonly relu_grad: Export;
  readonly gemm_scratch_floats: (m: number, n: number, k: number) => number;
}

/** A convolution's geometry as gemm.c reads it (G_N … G_CO). */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
}

/** One thread's share of a job: which export, and its arguments given the thread's scratch address. */
interface Part {
  readonly kind: typeof KIND_GEMM | typeof KIND_FILTER_GRAD;
  /** m, n, k of the product, which size the scratch. */
  readonly dims: readonly [number, number, number];
  readonly args: (scratch: number) => number[];
}

/** The part of tfjs-backend-wasm's Emscripten module we use. */
export interface EmscriptenHeap {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  /** The threaded build's memory. */
  wasmMemory?: WasmMemory;
  /** The single-thread build's exports (its memory is `asm.memory`). */
  asm?: { memory?: WasmMemory };
}

/** One multiply: C[m×n] = A·B (+ bias, activation), A(i,p) at a + 4(i·rsa + p·csa), B(p,j) at b + 4(p·rsb + j·csb). */
export interface GemmCall {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: number;
  readonly rsa: number;
  readonly csa: number;
  readonly b: number;
  readonly rsb: number;
  readonly csb: number;
  readonly c: number;
  readonly ldc: number;
  /** Heap address of n bias values, or 0. */
  readonly bias: number;
  /** 0 linear, 1 relu, 2 relu6. */
  readonly activation: number;
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, id } = workerData;
const g = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control);
// Before saying ready: warm this thread's code on a memory of its own (tfjs's heap is not touched).
// V8 compiles the module in its baseline tier and optimises a function only once it has run enough
// heavy work; a worker otherwise got there only during the user's first run. The engine's other
// work at start-up (tfjs, the bundle, loadData) keeps the main thread busy meanwhile; jobs before
// READY run on the main thread alone.
try {
  const own = new WebAssembly.Memory({ initial: ${WARM_PAGES}, maximum: ${WARM_PAGES}, shared: true });
  const w = new WebAssembly.Instance(module, { env: { memory: own } }).exports;
  const m = 128, n = 256, k = 784;
  const a = 1 << 17, b = a + 4 * m * k, c = b + 4 * k * n, s = (c + 4 * m * n + 15) & ~15;
  if (s + 4 * Math.max(w.gemm_scratch_floats(m, n, k), w.gemm_scratch_floats(k, n, m)) <= ${WARM_PAGES} * 65536) {
    // The two products of a dense layer's training step: forward (A as stored) and the weight gradient (A transposed).
    for (let i = 0; i < ${WARM_PRODUCTS}; i++) {
      w.gemm(m, n, k, a, k, 1, b, n, 1, c, n, s, 0, 0, 0);
      w.gemm(k, n, m, a, 1, k, c, n, 1, b, n, s, 0, 0, 0);
    }
    Atomics.add(ctl, ${WARMED}, 1);
  }
} catch {
  // a worker that could not warm only runs its first jobs slower
}
// Read the generation before saying ready: the first job is posted only once every worker is.
let seen = Atomics.load(ctl, ${GEN});
Atomics.add(ctl, ${READY}, 1);
for (;;) {
  let spins = 0;
  while (Atomics.load(ctl, ${GEN}) === seen && spins < ${SPIN}) spins++;
  if (Atomics.load(ctl, ${GEN}) === seen) Atomics.wait(ctl, ${GEN}, seen);
  seen = Atomics.load(ctl, ${GEN});
  if (Atomics.load(ctl, ${QUIT}) !== 0) break;
  const p = ${PARAMS} + id * ${STRIDE};
  try {
    const args = Array.from(ctl.subarray(p + 2, p + 2 + ctl[p + 1]));
    if (ctl[p] === ${KIND_GEMM}) g.gemm(...args);
    else if (ctl[p] === ${KIND_FILTER_GRAD}) g.conv2d_filter_grad(...args);
  } catch {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.add(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;

function memoryOf(heap: EmscriptenHeap): WasmMemory | null {
  const memory = heap.wasmMemory ?? heap.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

export class FmaGemm {
  private readonly control: Int32Array;
  private readonly workers: Worker[] = [];
  /** Per thread (0 = this one): scratch address and size in floats. */
  private readonly scratch: { at: number; floats: number }[];
  private generation = 0;
  /** Heap block holding the current convolution's geometry (allocated on first use). */
  private geometry = 0;

  constructor(
    private readonly heap: EmscriptenHeap,
    private readonly g: GemmExports,
    private readonly module: WasmModule,
    private readonly memory: WasmMemory,
    readonly threads: number,
  ) {
    this.control = new Int32Array(new SharedArrayBuffer(4 * (PARAMS + STRIDE * threads)));
    this.scratch = Array.from({ length: threads }, () => ({ at: 0, floats: 0 }));
  }

  /** Whether the worker threads were started (`startWorkers`); a one-thread gemm has none to start. */
  get started(): boolean {
    return this.workers.length === this.threads - 1;
  }

  /**
   * Starts the worker threads, once (each warms its code before it says ready). Jobs run on this
   * thread alone until every worker is ready.
   */
  startWorkers(): void {
    if (this.started || Atomics.load(this.control, QUIT) !== 0) return;
    for (let id = 1; id < this.threads; id++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: this.module, memory: this.memory, control: this.control.buffer, id } });
      worker.unref();
      // A worker that fails to start leaves READY short: every job then stays on this thread.
      worker.on('error', () => undefined);
      this.workers.push(worker);
    }
  }

  /**
   * Threads that can take work now: all of them once every worker has started (asynchronously,
   * ~50 ms after `startWorkers`), until then this one alone — every job must be answered by every worker.
   */
  get ready(): number {
    return this.started && Atomics.load(this.control, READY) === this.workers.length ? this.threads : 1;
  }

  /** Workers that warmed their code before saying ready (tests check it). */
  get warmedWorkers(): number {
    return Atomics.load(this.control, WARMED);
  }

  /** Jobs split between threads so far (tests and benchmarks check the workers did run). */
  parallelJobs = 0;
  /** Split or alone, per job shape, by how long each way took (threadChoice.ts). */
  readonly choice = new ThreadChoice();

  private scratchFor(thread: number, m: number, n: number, k: number): number {
    const need = this.g.gemm_scratch_floats(m, n, k);
    const s = this.scratch[thread]!;
    if (s.floats < need) {
      if (s.at !== 0) this.heap._free(s.at);
      s.at = this.heap._malloc(4 * need + 16);
      s.floats = need;
      if (s.at === 0) throw new Error('LR Lab FMA matmul: out of wasm memory for its packing buffers');
    }
    return (s.at + 15) & ~15;
  }

  /** Splits `total` rows (or columns) into whole panels of `panel`, as evenly as the panels allow, one range per thread. */
  private static ranges(total: number, panel: number, threads: number): [number, number][] {
    const panels = Math.ceil(total / panel);
    const out: [number, number][] = [];
    for (let t = 0, from = 0; t < threads; t++) {
      const to = Math.round(((t + 1) * panels) / threads);
      const lo = from * panel;
      const hi = Math.min(total, to * panel);
      from = to;
      if (hi > lo) out.push([lo, hi]);
    }
    return out;
  }

  /**
   * How to run a job of `macs` multiply-adds: on this thread below PARALLEL_MIN_MACS or while the
   * workers start; else split or alone as the timings of its `shape` choose (ThreadChoice), and then
   * `shape` is returned for `timed`.
   */
  private plan(macs: number, shape: string): { threads: number; shape: string | null } {
    if (macs < PARALLEL_MIN_MACS) return { threads: 1, shape: null };
    if (!this.started) this.startWorkers();
    if (this.ready === 1) return { threads: 1, shape: null };
    return { threads: this.choice.next(shape) === 'split' ? this.threads : 1, shape };
  }

  /** Runs a planned job, timing it for its shape's choice. */
  private timed(plan: { threads: number; shape: string | null }, job: () => void): void {
    if (plan.shape === null) {
      job();
      return;
    }
    const started = performance.now();
    job();
    this.choice.took(plan.shape, plan.threads > 1 ? 'split' : 'alone', performance.now() - started);
  }

  private call(part: Part, thread: number): void {
    const [m, n, k] = part.dims;
    const args = part.args(this.scratchFor(thread, m, n, k));
    if (part.kind === KIND_GEMM) this.g.gemm(...args);
    else this.g.conv2d_filter_grad(...args);
  }

  /** Runs parts[0] here and the others on the workers (every worker answers; those without a part at once). */
  private dispatch(parts: readonly Part[]): void {
    if (parts.length === 1) {
      this.call(parts[0]!, 0);
      return;
    }
    this.parallelJobs++;
    const ctl = this.control;
    for (let w = 1; w <= this.workers.length; w++) {
      const p = PARAMS + w * STRIDE;
      const part = parts[w];
      if (part === undefined) {
        ctl[p] = 0;
        continue;
      }
      const [m, n, k] = part.dims;
      const args = part.args(this.scratchFor(w, m, n, k));
      ctl[p] = part.kind;
      ctl[p + 1] = args.length;
      for (let i = 0; i < args.length; i++) ctl[p + 2 + i] = args[i]!;
    }
    Atomics.store(ctl, DONE, 0);
    this.generation = (this.generation + 1) | 0;
    Atomics.store(ctl, GEN, this.generation);
    Atomics.notify(ctl, GEN);
    this.call(parts[0]!, 0);
    this.waitForWorkers();
  }

  run(call: GemmCall): void {
    const { m, n, k } = call;
    const gemmPart = (c: GemmCall): Part => ({
      kind: KIND_GEMM,
      dims: [c.m, c.n, c.k],
      args: (scratch) => [c.m, c.n, c.k, c.a, c.rsa, c.csa, c.b, c.rsb, c.csb, c.c, c.ldc, scratch, 0, c.bias, c.activation],
    });
    // The shape includes the strides: a transposed operand packs differently.
    const plan = this.plan(m * n * k, `g ${m} ${n} ${k} ${call.rsa} ${call.csa} ${call.rsb} ${call.csb}`);
    if (plan.threads === 1) {
      this.timed(plan, () => this.dispatch([gemmPart(call)]));
      return;
    }
    // Split the longer side into whole panels.
    const byRows = m / MR >= n / NR;
    this.timed(plan, () =>
      this.dispatch(
        FmaGemm.ranges(byRows ? m : n, byRows ? MR : NR, plan.threads).map(([lo, hi]) =>
          gemmPart(
            byRows
              ? { ...call, m: hi - lo, a: call.a + 4 * lo * call.rsa, c: call.c + 4 * lo * call.ldc }
              : { ...call, n: hi - lo, b: call.b + 4 * lo * call.csb, c: call.c + 4 * lo, bias: call.bias === 0 ? 0 : call.bias + 4 * lo },
          ),
        ),
      ),
    );
  }

  /**
   * dw[kh·kw·c × co] = im2col(x)ᵀ · dy of an NHWC convolution (x, dy and dw heap addresses); the
   * threads split dw's rows.
   */
  conv2dFilterGrad(geometry: ConvGeometry, x: number, dy: number, dw: number): void {
    const g = this.geometryBlock(geometry);
    const rows = geometry.filterHeight * geometry.filterWidth * geometry.inChannels;
    const pixels = geometry.batch * geometry.outHeight * geometry.outWidth;
    const co = geometry.outChannels;
    const plan = this.plan(rows * pixels * co, `f ${geometry.batch} ${geometry.inHeight} ${geometry.inWidth} ${geometry.inChannels} ${rows} ${co} ${pixels} ${geometry.strideHeight} ${geometry.strideWidth}`);
    this.timed(plan, () =>
      this.dispatch(
        FmaGemm.ranges(rows, MR, plan.threads).map(([lo, hi]) => ({
          kind: KIND_FILTER_GRAD,
          dims: [hi - lo, co, pixels] as const,
          args: (scratch: number) => [g, x, dy, dw, lo, hi - lo, scratch],
        })),
      ),
    );
  }

  /**
   * One SGD/Nesterov update of n floats (heap addresses; gemm.c's sgd_update): wOut, vOut from w,
   * v, g. On this thread: memory-bound, one pass.
   */
  sgdUpdate(w: number, v: number, g: number, n: number, lr: number, momentum: number, weightDecay: number, decay: boolean, nesterov: boolean, wOut: number, vOut: number): void {
    this.g.sgd_update(w, v, g, n, lr, momentum, weightDecay, decay ? 1 : 0, nesterov ? 1 : 0, wOut, vOut);
  }

  /** One Adam/AdamW update of n floats (heap addresses; gemm.c's adam_update), on this thread. */
  adamUpdate(a: { w: number; m: number; v: number; g: number; n: number; lr: number; beta1: number; oneMinusBeta1: number; beta2: number; oneMinusBeta2: number; correction1: number; correction2: number; epsilon: number; decay: 0 | 1 | 2; weightDecay: number; wOut: number; mOut: number; vOut: number }): void {
    this.g.adam_update(a.w, a.m, a.v, a.g, a.n, a.lr, a.beta1, a.oneMinusBeta1, a.beta2, a.oneMinusBeta2, a.correction1, a.correction2, a.epsilon, a.decay, a.weightDecay, a.wOut, a.mOut, a.vOut);
  }

  /**
   * NHWC MaxPoolGrad (gemm.c's max_pool_grad; x, y, dy, dx heap addresses; dx is written whole), on this
   * thread. `geometry`: batch, inH, inW, ch, outH, outW, strideH, strideW, filterH, filterW, padTop, padLeft.
   */
  maxPoolGrad(x: number, y: number, dy: number, dx: number, geometry: readonly number[]): void {
    if (this.geometry === 0) this.geometry = this.heap._malloc(64);
    new Int32Array(this.memory.buffer, this.geometry, 16).set(geometry.slice(0, 12));
    this.g.max_pool_grad(x, y, dy, dx, this.geometry);
  }

  /** out[i·cols + j] = x[i·cols + j] + row[j] (heap addresses), on this thread: memory-bound, one pass. */
  addRow(x: number, row: number, rows: number, cols: number, out: number): void {
    this.g.add_row(x, row, rows, cols, out);
  }

  /** out[i] = dy[i] · step(x[i]) (heap addresses; NaN x gives NaN), on this thread: memory-bound, one pass. */
  reluGrad(x: number, dy: number, n: number, out: number): void {
    this.g.relu_grad(x, dy, n, out);
  }

  /** out[j] = Σ_i x[i·cols + j] (heap addresses), on this thread: memory-bound, one pass. */
  columnSums(x: number, rows: number, cols: number, out: number): void {
    this.g.column_sums(x, rows, cols, out);
  }

  /** The geometry written into a small heap block of ours (16 ints), for gemm.c to read. */
  private geometryBlock(geometry: ConvGeometry): number {
    if (this.geometry === 0) this.geometry = this.heap._malloc(64);
    const g = geometry;
    const values = [g.batch, g.inHeight, g.inWidth, g.inChannels, g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft, g.outHeight, g.outWidth, g.outChannels];
    new Int32Array(this.memory.buffer, this.geometry, 16).set(values);
    return this.geometry;
  }

  /** Every started worker answers each job (those without a part answer at once). */
  private waitForWorkers(): void {
    const ctl = this.control;
    const expected = this.workers.length;
    const deadline = performance.now() + WORKER_TIMEOUT_MS;
    let spins = 0;
    for (let done = Atomics.load(ctl, DONE); done < expected; done = Atomics.load(ctl, DONE)) {
      if (spins++ < SPIN) continue;
      if (Atomics.wait(ctl, DONE, done, 100) === 'timed-out' && performance.now() > deadline) {
        throw new Error('LR Lab FMA matmul: a worker thread stopped answering');
      }
    }
    if (Atomics.load(ctl, FAILED) !== 0) {
      Atomics.store(ctl, FAILED, 0);
      throw new Error('LR Lab FMA matmul: a worker thread failed');
    }
  }

  dispose(): void {
    Atomics.store(this.control, QUIT, 1);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
    for (const s of this.scratch) if (s.at !== 0) this.heap._free(s.at);
    this.scratch.length = 0;
    if (this.geometry !== 0) this.heap._free(this.geometry);
    this.geometry = 0;
  }
}

/** The gemm on this heap, or the reason it cannot run here. */
export function loadFmaGemm(heap: EmscriptenHeap, threads: number): FmaGemm | string {
  // Any common spelling of "off" (OFF, 0, false, no were ignored without a word).
  const setting = process.env['LRLAB_WASM_FMA'];
  if (setting !== undefined && /^\s*(off|0|false|no)\s*$/i.test(setting)) return `turned off with LRLAB_WASM_FMA=${setting.trim()}`;
  const memory = memoryOf(heap);
  if (memory === null) return "tfjs-backend-wasm's memory is not reachable";
  const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  const file = path.join(fmaDir(), shared ? FMA_SHARED_WASM : FMA_WASM);
  if (!existsSync(file)) return `${path.basename(file)} is missing from ${fmaDir()}`;
  const bytes = readFileSync(file);
  if (!relaxedSimd(bytes)) return `this runtime (Node ${process.versions.node}) has no WebAssembly relaxed SIMD`;
  try {
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    // Workers only with a shared heap (the threaded build); otherwise one thread.
    return new FmaGemm(heap, instance.exports as GemmExports, module, memory, shared ? Math.max(1, threads) : 1);
  } catch (error) {
    return `the FMA module did not start (${error instanceof Error ? error.message : String(error)})`;
  }
}
