/**
 * Running under a virtual-memory limit (`ulimit -v`, common on shared machines). V8 reserves
 * about 10 GB of address space per WebAssembly memory for its out-of-bounds trap handler, so
 * under `ulimit -v 8000000` no wasm instance starts: not esbuild-wasm (which compiles the
 * model file), not tfjs's wasm backend. Node's `--disable-wasm-trap-handler` makes V8 check
 * bounds explicitly instead and reserve only what it uses. LR Lab passes it to the processes it
 * starts (esbuild's), uses one wasm thread, and says how to run the CLI itself with it.
 */
import { readFileSync } from 'node:fs';

export const NO_TRAP_HANDLER = '--disable-wasm-trap-handler';

/** The soft address-space limit of this process in bytes (Linux), or null when there is none or it is unknown. */
export function addressSpaceLimit(): number | null {
  try {
    const line = /^Max address space\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    const soft = line?.[1];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}

/** Flags for a Node child that runs wasm: the trap handler off when address space is limited and this runtime knows the flag. */
export function wasmChildFlags(): string[] {
  return addressSpaceLimit() !== null && process.allowedNodeEnvironmentFlags.has(NO_TRAP_HANDLER) ? [NO_TRAP_HANDLER] : [];
}

/** The one-line explanation and the way to run, for a wasm start that failed under a limit. */
export function limitedMemoryHelp(what: string): { message: string; fix: string } | null {
  const limit = addressSpaceLimit();
  if (limit === null) return null;
  return {
    message: `${what} could not reserve memory for WebAssembly: this process may use only ${(limit / 2 ** 30).toFixed(1)} GiB of address space (ulimit -v).`,
    fix: `Run with NODE_OPTIONS=${NO_TRAP_HANDLER} (and LRLAB_WASM_THREADS=1), or raise the limit (ulimit -v unlimited).`,
  };
}
