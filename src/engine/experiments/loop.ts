/**
 * How the training loops let the event loop run: cancel requests come in and streamed points go
 * out only while it does, but a yield per step costs a macrotask turn (and, with IPC, the channel's
 * work) on every batch. The loops yield when `YIELD_EVERY_MS` have passed since the last yield:
 * a cancel still lands within that much plus one step, and the chart still gets its points at the
 * reporter's pace (every 100 ms).
 */

export const YIELD_EVERY_MS = 20;

export class EventLoopPacer {
  private last = performance.now();

  /** Whether a yield is due; `await pacer.yield()` only then, so most steps pay nothing. */
  get due(): boolean {
    return performance.now() - this.last >= YIELD_EVERY_MS;
  }

  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}
