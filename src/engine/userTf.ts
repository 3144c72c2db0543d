/**
 * The tf namespace the user's model file sees: a thin view of the engine's. `setBackend` is a
 * no-op (LR Lab's `--backend` decides), tfjs-backend-wasm's setup functions exist as no-ops, and
 * `tf.node` explains itself when the backend is not tfjs-node.
 */
import { LrLabError } from '../protocol/errors';
import type { Tf } from './tfjs';

const userNamespaces = new WeakMap<object, Tf>();
/** The backends the user's code asked `setBackend` for, per view (`backendsAsked`). */
const asked = new WeakMap<object, string[]>();

/** The names the user's code passed to `tf.setBackend` through this view, in order (a script's note says they were not applied). */
export function backendsAsked(view: Tf): readonly string[] {
  return asked.get(view) ?? [];
}

/** The engine's tf, as the user's file sees it (file comment). Property reads go to the real namespace. */
export function userFacingTf(tf: Tf): Tf {
  const cached = userNamespaces.get(tf);
  if (cached !== undefined) return cached;
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(tf)) {
    Object.defineProperty(view, key, { enumerable: true, configurable: true, get: (): unknown => Reflect.get(tf, key) });
  }
  const noop = (): void => undefined;
  const names: string[] = [];
  const overrides: Record<string, unknown> = {
    // LR Lab picks the backend (--backend / lrlab.backend); a user file cannot switch it mid-run. The names asked for are kept for a note.
    setBackend: async (name: unknown): Promise<boolean> => {
      names.push(String(name));
      return true;
    },
    setWasmPaths: noop,
    setWasmPath: noop,
    setThreadsCount: noop,
    getThreadsCount: (): number => 1,
  };
  for (const [key, value] of Object.entries(overrides)) Object.defineProperty(view, key, { enumerable: true, configurable: true, writable: false, value });
  if (Reflect.get(tf, 'node') === undefined) {
    Object.defineProperty(view, 'node', {
      enumerable: false,
      get: () => {
        throw new LrLabError('backend', `tf.node is part of @tensorflow/tfjs-node and does not exist on the ${tf.getBackend()} backend LR Lab is using.`, {
          fix: 'Install @tensorflow/tfjs-node in your workspace (LR Lab then uses it), or leave tf.node.* out of the code LR Lab runs (it runs none of a fit call\'s callbacks: a TensorBoard logger would log nothing there).',
          option: 'backend',
        });
      },
    });
  }
  const result = view as unknown as Tf; // it mirrors every property of the real namespace (above), so it is one
  userNamespaces.set(tf, result);
  asked.set(result, names);
  return result;
}
