/**
 * Whether a product worth splitting is split between the FMA module's threads or run on the calling
 * thread alone, chosen per job shape by how long each way has taken.
 *
 * Why: a split wakes a worker that sleeps between jobs, and where the other CPU is busy (an editor
 * drawing, a build, another run) the kernel puts the woken worker on the caller's own CPU, where it
 * preempts the caller and runs its half first: the two halves then run one after the other, plus the
 * wake-up. Measured on 2 CPUs beside a training run at nice 10 (bench/README.md, "Split or alone"): the
 * main thread spent ~0.5 ms inside `Atomics.notify` per split product of the benchmark MLP, about the
 * worker's whole half, and two FMA threads ran 216–267 steps/s where one ran 268–312. On an idle
 * machine a split is ~1.7x faster. Nothing tells the two apart in advance, so each shape's jobs are timed.
 *
 * The results are the same to the bit either way: a split gives each thread whole row or column
 * panels, and every output is still summed by one thread in k order.
 */

/** A shape's first calls always split: they warm the workers' code for it (and are what a warm-up measures). */
export const SPLIT_FIRST = 48;
/** Calls of the way chosen between two timings of the other one. */
export const PROBE_EVERY = 16;
/** … where the chosen way is far ahead (under FAR_AHEAD of the other's time): a probe costs more there. */
export const PROBE_EVERY_FAR = 64;
export const FAR_AHEAD = 0.8;
/** Weight of the newest timing in each way's running mean. */
const NEWEST = 0.25;
/** Shapes remembered at most (a model fed ever new shapes starts over rather than grow the table). */
const MAX_SHAPES = 1024;

export type Way = 'split' | 'alone';

interface ShapeTimes {
  calls: number;
  /** Running mean of the wall time of each way, ms (NaN until timed). */
  split: number;
  alone: number;
  /** Calls of the chosen way since the other was last timed. */
  sinceProbe: number;
}

export class ThreadChoice {
  private readonly shapes = new Map<string, ShapeTimes>();
  /** Jobs run alone by choice (tests and benchmarks read it). */
  aloneJobs = 0;

  /** The way to run the next job of `shape`. */
  next(shape: string): Way {
    let t = this.shapes.get(shape);
    if (t === undefined) {
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      t = { calls: 0, split: Number.NaN, alone: Number.NaN, sinceProbe: 0 };
      this.shapes.set(shape, t);
    }
    t.calls++;
    if (t.calls <= SPLIT_FIRST) return 'split';
    if (Number.isNaN(t.alone)) return this.counted('alone');
    const chosen: Way = t.split <= t.alone ? 'split' : 'alone';
    const other: Way = chosen === 'split' ? 'alone' : 'split';
    const far = Math.min(t.split, t.alone) < FAR_AHEAD * Math.max(t.split, t.alone);
    if (++t.sinceProbe >= (far ? PROBE_EVERY_FAR : PROBE_EVERY)) {
      t.sinceProbe = 0;
      return this.counted(other);
    }
    return this.counted(chosen);
  }

  /** How long a job of `shape` took the way it ran. */
  took(shape: string, way: Way, ms: number): void {
    const t = this.shapes.get(shape);
    if (t === undefined || !(ms >= 0)) return;
    t[way] = Number.isNaN(t[way]) ? ms : t[way] + NEWEST * (ms - t[way]);
  }

  private counted(way: Way): Way {
    if (way === 'alone') this.aloneJobs++;
    return way;
  }
}
