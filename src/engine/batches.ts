/**
 * A training batch from sample indices: `xs[indices]`, `ys[indices]`. On the wasm and cpu
 * backends the rows are copied straight from the split's buffer into a new tensor (one memcpy per
 * sample, `TypedArray.set`); tfjs's `gather` would first upload the indices as a tensor and then
 * run an element-by-element loop (on wasm ~20% of an MLP step at batch 128). Any other backend,
 * or a split whose data lives on another backend, goes through `tf.gather`.
 *
 * `sliceRows` does the same for a run of consecutive samples (evaluation batches): one copy where
 * tfjs-backend-wasm's `slice` took 2.6 ms for 256 MNIST rows (40x the copy; half of an MLP's
 * validation pass, bench/README.md).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from './tfjs';
import { type WasmBackend, cpuAsWasm, sizeOf } from './wasmKernels/kit';

interface BackendData {
  /** tfjs-backend-wasm's per-tensor records. */
  dataIdMap?: { has(dataId: object): boolean };
  /** tfjs-backend-cpu's. */
  data?: { get(dataId: object): { values?: unknown } | undefined };
}

/** The backend's buffers seen as a heap, when its rows can be copied directly. */
function heapOf(tf: Tf): { heap: WasmBackend; holds: (t: tfjs.Tensor) => boolean } | null {
  const name = tf.getBackend();
  const backend: object = tf.backend();
  const records: BackendData = backend;
  if (name === 'wasm' && records.dataIdMap !== undefined) {
    const map = records.dataIdMap;
    // tfjs-backend-wasm's BackendWasm: it has the heap methods WasmBackend names.
    return { heap: backend as WasmBackend, holds: (t) => map.has(t.dataId) };
  }
  if (name === 'cpu' && records.data !== undefined) {
    const map = records.data;
    return { heap: cpuAsWasm(backend), holds: (t) => ArrayBuffer.isView(map.get(t.dataId)?.values) };
  }
  return null;
}

function copyRows(tf: Tf, heap: WasmBackend, source: tfjs.Tensor, indices: Int32Array): tfjs.Tensor {
  const row = sizeOf(source.shape.slice(1));
  const count = source.shape[0] ?? 0;
  const shape = [indices.length, ...source.shape.slice(1)];
  const info: TensorInfo = heap.makeOutput(shape, source.dtype);
  const from = heap.typedArrayFromHeap(source);
  const to = heap.typedArrayFromHeap(info);
  for (let i = 0; i < indices.length; i++) {
    const at = indices[i]!;
    if (!(at >= 0 && at < count)) {
      heap.disposeData(info.dataId, true);
      throw new RangeError(`batch index ${at} is outside the split's ${count} samples`);
    }
    to.set(from.subarray(at * row, (at + 1) * row), i * row);
  }
  return tf.engine().makeTensorFromTensorInfo(info);
}

function copyRange(tf: Tf, heap: WasmBackend, source: tfjs.Tensor, start: number, size: number): tfjs.Tensor {
  const row = sizeOf(source.shape.slice(1));
  const info: TensorInfo = heap.makeOutput([size, ...source.shape.slice(1)], source.dtype);
  heap.typedArrayFromHeap(info).set(heap.typedArrayFromHeap(source).subarray(start * row, (start + size) * row));
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** Whether rows of every tensor given can be copied straight from the backend's buffers (else: tfjs ops). */
function directHeap(tf: Tf, ...tensors: tfjs.Tensor[]): WasmBackend | null {
  const direct = heapOf(tf);
  const plain = (t: tfjs.Tensor): boolean => t.dtype !== 'string' && t.dtype !== 'complex64';
  return direct !== null && tensors.every((t) => direct.holds(t) && plain(t)) ? direct.heap : null;
}

/** `[xs[start:start+size], ys[start:start+size]]` (rows), checked against the split; the caller disposes both. */
export function sliceRows(tf: Tf, xs: tfjs.Tensor, ys: tfjs.Tensor, start: number, size: number): [tfjs.Tensor, tfjs.Tensor] {
  const count = Math.min(xs.shape[0] ?? 0, ys.shape[0] ?? 0);
  if (!(Number.isInteger(start) && Number.isInteger(size) && start >= 0 && size >= 0 && start + size <= count)) {
    throw new RangeError(`rows ${start} to ${start + size} are outside the split's ${count} samples`);
  }
  const heap = directHeap(tf, xs, ys);
  if (heap === null) return [tf.slice(xs, start, size), tf.slice(ys, start, size)];
  const bx = copyRange(tf, heap, xs, start, size);
  try {
    return [bx, copyRange(tf, heap, ys, start, size)];
  } catch (error) {
    bx.dispose();
    throw error;
  }
}

/**
 * The first `size` rows of `t`, a copy the caller disposes. On wasm, tfjs's `slice` reads the whole
 * tensor back into a new JavaScript buffer first (`readSync`): for a look at the first rows of a
 * training split of 8,000 MNIST images, 25 MB copied, ~100 ms where fresh memory is slow to touch.
 */
export function firstRows(tf: Tf, t: tfjs.Tensor, size: number): tfjs.Tensor {
  const count = t.shape[0] ?? 0;
  if (!(Number.isInteger(size) && size >= 0 && size <= count)) throw new RangeError(`rows 0 to ${size} are outside the split's ${count} samples`);
  const heap = directHeap(tf, t);
  return heap === null ? tf.slice(t, 0, size) : copyRange(tf, heap, t, 0, size);
}

/** `[xs[indices], ys[indices]]`; the caller disposes both. */
export function gatherBatch(tf: Tf, xs: tfjs.Tensor, ys: tfjs.Tensor, indices: Int32Array): [tfjs.Tensor, tfjs.Tensor] {
  const heap = directHeap(tf, xs, ys);
  if (heap !== null) {
    const bx = copyRows(tf, heap, xs, indices);
    try {
      return [bx, copyRows(tf, heap, ys, indices)];
    } catch (error) {
      bx.dispose();
      throw error;
    }
  }
  return tf.tidy(() => {
    const idx = tf.tensor1d(indices, 'int32');
    return [tf.gather(xs, idx), tf.gather(ys, idx)];
  });
}
