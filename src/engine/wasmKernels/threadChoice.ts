/**
 * Whether a product worth splitting is split between the FMA module's threads or run on the calling
 * thread alone, chosen per job shape by how long each way has taken.
 *
 * Why: a split wakes a worker that sleeps between jobs, and where the other CPU is busy (an editor
 * drawing, a build, another run) the kernel puts the woken worker on the caller's own CPU, where it
 * preempts the caller and runs its half first: the two halves then run one after the other, plus the
 * wake-up. Measured on 2 CPUs beside a training run at nice 10 (bench/README.md, "Split or alone"): the
 * main thread spent ~0.5 ms inside `Atomics.notify` per split product of the benchmark MLP, about the
 * worker's whole half. On an idle machine a split of those products takes ~0.6 ms against ~1.0 alone.
 * Nothing tells the two apart in advance, so each shape's jobs are timed.
 *
 * In phases, because a split is only fast when it runs job after job: its first ~100 jobs took 1.1–1.2
 * ms, and a lone split after a stretch of jobs run alone (the worker long asleep) took 1.1–1.4 ms where
 * the next ones took 0.6. Single probes therefore judged the split cold and kept choosing "alone"
 * (1,000 MLP steps at 321 steps/s against 345 always splitting). Each phase runs one way several jobs in
 * a row and is judged on the median of its second half.
 *
 * The results are the same to the bit either way: a split gives each thread whole row or column
 * panels, and every output is still summed by one thread in k order.
 */

/** A shape's first phase splits this many jobs: they warm the split up (and are what a warm-up measures). */
export const SPLIT_FIRST = 128;
/** Jobs of a phase of the way chosen. */
export const CHOSEN_PHASE = 64;
/** Jobs of a phase that times the other way again. */
export const PROBE_PHASE = 8;
/** Where the chosen way is far ahead (its time under FAR_AHEAD of the other's), the other is timed only after this many chosen phases. */
export const FAR_PHASES = 4;
export const FAR_AHEAD = 0.8;
/** Shapes remembered at most (a model fed ever new shapes starts over rather than grow the table). */
const MAX_SHAPES = 1024;

export type Way = 'split' | 'alone';

interface ShapeState {
  /** The way of the current phase, the jobs left in it, and the timings it has taken so far. */
  way: Way;
  left: number;
  timings: number[];
  /** Whether the current phase is one of the way chosen (else it times the other). */
  chosen: boolean;
  /** Chosen phases since the other way was last timed. */
  chosenPhases: number;
  /** Each way's time per job, from its latest phase (NaN until timed). */
  split: number;
  alone: number;
}

/** Median of the second half of a phase's timings: its first jobs may still be waking the way up. */
function settled(timings: readonly number[]): number {
  const half = [...timings.slice(timings.length >> 1)].sort((a, b) => a - b);
  return half.length === 0 ? Number.NaN : half[half.length >> 1]!;
}

export class ThreadChoice {
  private readonly shapes = new Map<string, ShapeState>();
  /** Jobs run alone by choice (tests and benchmarks read it). */
  aloneJobs = 0;

  /** The way to run the next job of `shape`. */
  next(shape: string): Way {
    let s = this.shapes.get(shape);
    if (s === undefined) {
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      s = { way: 'split', left: SPLIT_FIRST, timings: [], chosen: true, chosenPhases: 0, split: Number.NaN, alone: Number.NaN };
      this.shapes.set(shape, s);
    }
    if (s.left <= 0) this.nextPhase(s);
    s.left--;
    if (s.way === 'alone') this.aloneJobs++;
    return s.way;
  }

  /** How long a job of `shape` took the way it ran. */
  took(shape: string, way: Way, ms: number): void {
    const s = this.shapes.get(shape);
    if (s === undefined || s.way !== way || !(ms >= 0)) return;
    s.timings.push(ms);
  }

  /** Closes the phase that ended (its way's time) and starts the next: the way ahead, or the other one timed again. */
  private nextPhase(s: ShapeState): void {
    const time = settled(s.timings);
    if (!Number.isNaN(time)) s[s.way] = time;
    if (s.chosen) s.chosenPhases++;
    let way: Way;
    let chosen: boolean;
    if (Number.isNaN(s.alone) || Number.isNaN(s.split)) {
      // Not yet timed both ways: the untimed one next.
      way = Number.isNaN(s.alone) ? 'alone' : 'split';
      chosen = false;
    } else {
      const ahead: Way = s.split <= s.alone ? 'split' : 'alone';
      const far = Math.min(s.split, s.alone) < FAR_AHEAD * Math.max(s.split, s.alone);
      const probe = s.chosen && s.chosenPhases >= (far ? FAR_PHASES : 1);
      way = probe ? (ahead === 'split' ? 'alone' : 'split') : ahead;
      chosen = !probe;
    }
    if (!chosen) s.chosenPhases = 0;
    s.way = way;
    s.chosen = chosen;
    s.left = chosen ? CHOSEN_PHASE : PROBE_PHASE;
    s.timings = [];
  }
}
