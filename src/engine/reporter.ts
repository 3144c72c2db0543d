/**
 * How a run tells the world what it is doing. The same reporter serves the CLI (progress bar on
 * stderr) and the IPC server (JSON-RPC notifications). Points are batched: a UI cannot use 1,000
 * messages a second, but a chart must never lose a point, so appends are flushed at most every
 * `intervalMs` and always at the end, before the progress message that follows them.
 */
import type { AppendParams, LogLevel, ProgressParams, StreamPoint } from '../protocol/progress';

export interface ReporterSink {
  progress(params: ProgressParams): void;
  append(params: AppendParams): void;
  log(level: LogLevel, message: string): void;
}

export class Reporter {
  private pending = new Map<string, StreamPoint[]>();
  private readonly restarting = new Set<string>();
  private lastFlush = Number.NEGATIVE_INFINITY;
  /** Series whose first point (since they started or restarted) has gone out. */
  private readonly started = new Set<string>();

  constructor(
    readonly runId: string,
    private readonly sink: ReporterSink,
    /** Minimum time between appends (ms); progress notes are throttled the same way. */
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private lastProgress = Number.NEGATIVE_INFINITY;
  /** The part of the run's progress bar the current piece of work fills (`share`). */
  private part = { from: 0, size: 1 };
  /** The part a step of a composite run fills (`within`): `share` divides it, not the whole bar. */
  private outer = { from: 0, size: 1 };
  /** The furthest fraction sent: a bar never goes back (a range test run again from its start held its place). */
  private reached = 0;

  /**
   * Until changed, progress fractions fill `[from, from + size]` of the run's bar: a run made of
   * several tests (find-lr's range tests) moves one bar forward instead of refilling it per test.
   */
  share(from: number, size: number): void {
    this.part = { from: this.outer.from + from * this.outer.size, size: size * this.outer.size };
  }

  /**
   * Until changed, the whole run's progress — the fractions its experiments report and the shares they
   * divide it into — fills `[from, from + size]` of the bar: a recipe's step, so that the step's range test
   * or study fills its own part (a recipe's first range test filled the bar to 85%, where it stayed for
   * the remaining four steps).
   */
  within(from: number, size: number): void {
    this.outer = { from, size };
    this.part = { from, size };
  }

  /**
   * Phase changes always go out; repeated progress within one phase is throttled. A training loop
   * passes its message as a function, so a step whose note is dropped formats nothing.
   */
  progress(phase: string, message: string | (() => string), fraction: number | null, force = false): void {
    const t = this.now();
    if (!force && t - this.lastProgress < this.intervalMs) return;
    this.lastProgress = t;
    this.flush();
    if (fraction !== null) this.reached = Math.min(1, Math.max(this.reached, this.part.from + fraction * this.part.size));
    this.sink.progress({ runId: this.runId, phase, message: typeof message === 'string' ? message : message(), fraction: fraction === null ? null : this.reached });
  }

  /** Batched like progress; a series' first point (and its first after a restart) goes out at once: the chart starts drawing then. */
  point(series: string, point: StreamPoint): void {
    const list = this.pending.get(series);
    if (list === undefined) this.pending.set(series, [point]);
    else list.push(point);
    if (!this.started.has(series)) {
      this.started.add(series);
      this.flush();
    } else if (this.now() - this.lastFlush >= this.intervalMs) this.flush();
  }

  /** The series' next points replace what it showed so far (a range test run again from its start). */
  restart(series: string): void {
    this.flush();
    this.restarting.add(series);
    this.started.delete(series);
  }

  flush(): void {
    this.lastFlush = this.now();
    if (this.pending.size === 0) return;
    const pending = this.pending;
    this.pending = new Map();
    for (const [series, points] of pending) {
      const restart = this.restarting.delete(series);
      this.sink.append(restart ? { runId: this.runId, series, points, restart } : { runId: this.runId, series, points });
    }
  }

  log(level: LogLevel, message: string): void {
    this.sink.log(level, message);
  }
}

/** A sink that drops everything (library use, tests that only want the result). */
export const silentSink: ReporterSink = {
  progress: () => undefined,
  append: () => undefined,
  log: () => undefined,
};
