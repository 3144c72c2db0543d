/**
 * An engine whose wasm heap filled up does not hang for ever.
 *
 * tfjs-backend-wasm's heap is WebAssembly's 32-bit one: 4 GB at most. In the threaded build an
 * allocation past it can leave the JavaScript thread spinning inside the heap's allocator for good (a
 * CNN at batch 6000–16384: 4.2 GB resident, one CPU at 100% for 10 minutes), where no JavaScript runs
 * again — not Ctrl-C's handler, not SIGTERM's, not the IPC channel's. `guardWasmHeap` (tfjs.ts) turns
 * the allocations that trap into an error; this catches the rest from outside that thread: a worker
 * thread watches a heartbeat the JavaScript thread beats four times a second, and where the heap is
 * full and the heartbeat has stopped for `STUCK_MS`, it writes why to stderr and kills the process
 * (what a stuck process is left to: the CLI exits 137 with that line; the editor's engine host shows
 * it). A long step at a full heap is the only thing it can mistake for this, and it waits 15 s.
 */
import { Worker } from 'node:worker_threads';

/** How long the JavaScript thread may not beat at a full heap before the process is ended (LRLAB_HEAP_STUCK_MS: tests). */
const STUCK_MS = 15_000;
/** "Full": within 2% of WebAssembly's 4 GB. */
const FULL_BYTES = 0.98 * 4 * 2 ** 30;

/** The line the watcher writes before it ends the process. */
export const HEAP_FULL_LINE = "lrlab: Ran out of memory: the wasm backend's heap reached the 4 GB WebAssembly allows, and the step stopped answering there. Use a smaller --batch-size or a smaller model, or install @tensorflow/tfjs-node (no such limit).";

const WATCHER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { beat, memory, started, stuckMs, fullBytes, line } = workerData;
setInterval(() => {
  const silent = Date.now() - started - Atomics.load(beat, 0) * 100;
  if (silent < stuckMs || memory.buffer.byteLength < fullBytes) return;
  try { fs.writeSync(2, '\\n' + line + '\\n'); } catch {}
  process.kill(process.pid, 'SIGKILL');
}, 500);
`;

/** Watches a threaded build's shared heap (`memory`, Emscripten's `wasmMemory`); nothing for a heap that is not shared (the single-thread build traps instead). */
export function watchWasmHeap(memory: unknown): boolean {
  const buffer = (memory as { buffer?: unknown } | null)?.buffer;
  if (typeof SharedArrayBuffer === 'undefined' || !(buffer instanceof SharedArrayBuffer)) return false;
  const beat = new Int32Array(new SharedArrayBuffer(4));
  const started = Date.now();
  const tick = (): void => {
    Atomics.store(beat, 0, Math.floor((Date.now() - started) / 100));
  };
  tick();
  setInterval(tick, 250).unref();
  const stuck = Number(process.env['LRLAB_HEAP_STUCK_MS']);
  try {
    const watcher = new Worker(WATCHER, { eval: true, name: 'lrlab-heap-watch', workerData: { beat, memory, started, stuckMs: Number.isFinite(stuck) && stuck > 0 ? stuck : STUCK_MS, fullBytes: FULL_BYTES, line: HEAP_FULL_LINE } });
    watcher.on('error', () => undefined);
    watcher.unref();
    return true;
  } catch {
    return false;
  }
}
