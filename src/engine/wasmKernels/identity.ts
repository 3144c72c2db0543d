/**
 * `Identity` (and `Cast` to the dtype a tensor already has, which the relu gradient does) without
 * a copy. The gradient tape clones every tensor it saves for the backward pass
 * (`saveTensorsForBackwardMode` → `clone` → Identity), and tfjs-backend-wasm 4.22's Identity
 * allocates and copies the whole tensor each time: on the CNN benchmark ~35 copies per step, the
 * largest activations (128×26×26×16) among them. Kernels never write their inputs, so the output
 * can share the input's buffer with its reference count raised — exactly what the backend's own
 * `Reshape` and the cpu backend's `Identity` do. Strings keep the backend's path.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { type KernelArgs, type Kernels, type WasmBackend, input } from './kit';

interface RefCounted {
  incRef(dataId: object): void;
}

export function sharedIdentity(k: Kernels) {
  return (args: KernelArgs): TensorInfo => {
    const x = input(args, 'x');
    if (x.dtype === 'string') return k.call('Identity', args.backend, args.inputs, args.attrs);
    const backend: WasmBackend & Partial<RefCounted> = args.backend;
    if (typeof backend.incRef !== 'function') return k.call('Identity', args.backend, args.inputs, args.attrs);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

/** `Cast` to the dtype the tensor already has (relu's gradient casts its float step to float): shared too. */
export function sharedCast(k: Kernels) {
  const identity = sharedIdentity(k);
  return (args: KernelArgs): TensorInfo => {
    const x = input(args, 'x');
    if (args.attrs['dtype'] !== x.dtype) return k.call('Cast', args.backend, args.inputs, args.attrs);
    return identity(args);
  };
}
