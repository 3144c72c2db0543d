/**
 * A training batch from sample indices: `xs[indices]`, `ys[indices]`. On the wasm and cpu
 * backends the rows are copied straight from the split's buffer into a new tensor (one memcpy per
 * sample, `TypedArray.set`); tfjs's `gather` would first upload the indices as a tensor and then
 * run an element-by-element loop (on wasm ~20% of an MLP step at batch 128). Any other backend,
 * or a split whose data lives on another backend, goes through `tf.gather`.
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

/** `[xs[indices], ys[indices]]`; the caller disposes both. */
export function gatherBatch(tf: Tf, xs: tfjs.Tensor, ys: tfjs.Tensor, indices: Int32Array): [tfjs.Tensor, tfjs.Tensor] {
  const direct = heapOf(tf);
  if (direct !== null && direct.holds(xs) && direct.holds(ys) && xs.dtype !== 'string' && ys.dtype !== 'string' && xs.dtype !== 'complex64' && ys.dtype !== 'complex64') {
    const bx = copyRows(tf, direct.heap, xs, indices);
    try {
      return [bx, copyRows(tf, direct.heap, ys, indices)];
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
