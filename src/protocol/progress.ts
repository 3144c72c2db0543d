/**
 * Progress messages from the engine. Every message of a run carries `runId` and a sequence
 * number `seq` that increases by one per message of that run (progress and append share the
 * counter), so a receiver can detect a gap and ask for a snapshot instead of drawing a hole.
 * The engine batches points into appends and never drops one.
 */

/** One point of a live curve. `step` is the iteration (range tests, short runs) or epoch. */
export interface StreamPoint {
  readonly step: number;
  readonly lr: number;
  readonly momentum: number | null;
  readonly loss: number | null;
  readonly smoothed: number | null;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  /** Training runs: the model's metrics on the training split (keyed as the model names them). */
  readonly metrics?: Readonly<Record<string, number | null>>;
  /** Training runs: the model's metrics on the validation split (keyed as the model names them). */
  readonly valMetrics?: Readonly<Record<string, number | null>>;
  readonly seconds: number;
}

export interface ProgressParams {
  readonly runId: string;
  readonly seq: number;
  /** Short machine-readable phase: `loading`, `compiling`, `range-test`, `train`, ... */
  readonly phase: string;
  /** Human text for a status bar / progress notification. */
  readonly message: string;
  /** 0..1, or `null` when unknown. */
  readonly fraction: number | null;
}

export interface AppendParams {
  readonly runId: string;
  readonly seq: number;
  /** Which curve the points belong to (`main`, or a sweep/batch-size label). */
  readonly series: string;
  readonly points: readonly StreamPoint[];
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogParams {
  readonly level: LogLevel;
  readonly message: string;
}

/** Hands out the per-run sequence numbers; one instance per run. */
export class SequenceCounter {
  private next = 0;
  take(): number {
    return this.next++;
  }
}
