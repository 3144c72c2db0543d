/**
 * The small toolkit our wasm training kernels are written with: the backend's own heap (read
 * inputs and write outputs in place, no copies), and calls into the backend's original kernels
 * for compositions (transpose, conv2d, slice run as XNNPACK/SIMD code inside the module).
 *
 * Every intermediate made here is freed here: a kernel returns exactly one new tensor, the output.
 */
import type { DataType, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../tfjs';

/** The part of tfjs-backend-wasm's `BackendWasm` we use (public methods of the 4.x class). */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** The part of tfjs-backend-cpu's `MathBackendCPU` the adapter below uses. */
interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array | Int32Array | Uint8Array): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * The cpu backend seen through the `WasmBackend` interface, so a kernel written for the wasm heap
 * runs unchanged on cpu: outputs are plain typed arrays the cpu backend owns.
 */
export function cpuAsWasm(backend: unknown): WasmBackend {
  const cpu = backend as CpuBackend;
  return {
    makeOutput(shape, dtype) {
      const n = sizeOf(shape);
      const values = dtype === 'int32' ? new Int32Array(n) : dtype === 'bool' ? new Uint8Array(n) : new Float32Array(n);
      return cpu.makeTensorInfo(shape, dtype, values);
    },
    typedArrayFromHeap(info) {
      const values = cpu.data.get(info.dataId)?.values;
      if (!(values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array)) throw new Error('LR Lab cpu kernel: a tensor without numeric values');
      return values;
    },
    disposeData: (dataId, force) => cpu.disposeData(dataId, force),
  };
}

export interface KernelArgs {
  readonly inputs: NamedTensorInfoMap;
  readonly backend: WasmBackend;
  readonly attrs: NamedAttrMap;
}

export function input(args: KernelArgs, name: string): TensorInfo {
  const t = args.inputs[name];
  if (t === undefined) throw new Error(`LR Lab wasm kernel: input '${name}' is missing`);
  return t;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A float32 output, zero-filled (`makeOutput` hands back uninitialised heap memory). */
export function zeros(backend: WasmBackend, shape: number[], dtype: DataType = 'float32'): TensorInfo {
  const out = backend.makeOutput(shape, dtype);
  backend.typedArrayFromHeap(out).fill(0);
  return out;
}

/** Calls the backend's own kernels (captured before we replace any of them). */
export class Kernels {
  private readonly funcs = new Map<string, KernelFunc>();

  constructor(private readonly tf: Tf) {}

  /** Remembers `name`'s current wasm implementation; later `call`s use it even after it is replaced. */
  capture(name: string): boolean {
    const k = this.tf.getKernel(name, 'wasm');
    if (k === undefined) return false;
    this.funcs.set(name, k.kernelFunc);
    return true;
  }

  has(name: string): boolean {
    return this.funcs.has(name) || this.tf.getKernel(name, 'wasm') !== undefined;
  }

  call(name: string, backend: WasmBackend, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    let f = this.funcs.get(name);
    if (f === undefined) {
      const k = this.tf.getKernel(name, 'wasm');
      if (k === undefined) throw new Error(`LR Lab wasm kernel: the backend has no ${name}`);
      f = k.kernelFunc;
      this.funcs.set(name, f);
    }
    const out = f({ inputs, backend: backend, attrs });
    if (Array.isArray(out)) throw new Error(`LR Lab wasm kernel: ${name} returned several outputs`);
    return out;
  }

  transpose(backend: WasmBackend, x: TensorInfo, perm: number[]): TensorInfo {
    return this.call('Transpose', backend, { x }, { perm });
  }
}

/** Drops our reference; a kernel that answered with its input (a no-op transpose) only lowers the count. */
export function free(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}
