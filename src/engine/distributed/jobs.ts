/**
 * What travels through Redis between a submitter (`lrlab sweep --redis …`, the editor) and the
 * workers (`lrlab worker`). One BullMQ queue; one job per trial; names and timings in one place.
 *
 * - A job's data: the trial (its kind and parameters, plain JSON), the model source options, the
 *   run it belongs to, and the hash of the model bundle, stored once per run under `bundleKey`.
 * - Progress: `job.updateProgress(TrialProgress)` → the submitter's QueueEvents `progress`.
 * - The result: the processor's return value `TrialJobResult` (`completed` event); a failure
 *   carries the `LrLabErrorData` as JSON in the failed reason (`encodeFailure`).
 * - Liveness and cancel: the submitter keeps `aliveKey(runId)` alive (TTL refreshed every
 *   `HEARTBEAT_MS`); a worker runs a trial only while that key exists, and drops it at once on a
 *   message on `CANCEL_CHANNEL`. So a cancelled or killed submitter's trials stop, and its
 *   queued ones are dropped, within `ALIVE_TTL_MS`.
 */
import type { LrLabErrorData } from '../../protocol/errors';
import { LrLabError } from '../../protocol/errors';
import type { StreamPoint } from '../../protocol/progress';
import type { CommonRunOptions } from '../../protocol/requests';
import type { WorkerInfo } from '../../protocol/results';
import type { Trial } from '../experiments/trials';

export const QUEUE_NAME = 'trials';
/** BullMQ key prefix: every key of the scale-out starts with `lrlab:`. */
export const KEY_PREFIX = 'lrlab';
/** Bumped when `TrialJobData` changes incompatibly; a worker refuses other versions with the reason. */
export const JOB_FORMAT = 1;

/** Default of `LRLAB_WORKER_LOCK_S` (BullMQ's own default). */
export const DEFAULT_LOCK_S = 30;

/**
 * A worker's lock on its trial (`LRLAB_WORKER_LOCK_S`, seconds): renewed every half of it between
 * training steps, so one step (or a synchronous part of loadData) must not block longer. A killed
 * worker's trial runs again elsewhere after at most this plus `stalledCheckMs`.
 */
export function lockMs(): number {
  const s = Number(process.env['LRLAB_WORKER_LOCK_S'] ?? '');
  return (Number.isFinite(s) && s >= 1 ? s : DEFAULT_LOCK_S) * 1000;
}

/** How often workers look for trials whose worker died (their lock expired) and queue them again. */
export function stalledCheckMs(): number {
  return Math.max(1_000, Math.round(lockMs() / 2));
}
/** Times a trial may lose its worker and run again before it fails. */
export const MAX_STALLED = 2;
export const HEARTBEAT_MS = 1_500;
export const ALIVE_TTL_MS = 6_000;
/** Finished jobs stay this long (results can be read back), then BullMQ drops them. */
export const KEEP_FINISHED_S = 3_600;
/** Model bundles stay this long after their run queued them. */
export const BUNDLE_TTL_S = 86_400;

export const CANCEL_CHANNEL = `${KEY_PREFIX}:cancel`;
export const aliveKey = (runId: string): string => `${KEY_PREFIX}:run:${runId}:alive`;
export const bundleKey = (hash: string): string => `${KEY_PREFIX}:bundle:${hash}`;
export const eventsKey = `${KEY_PREFIX}:${QUEUE_NAME}:events`;

export interface TrialJobData {
  readonly format: number;
  readonly runId: string;
  /** The trial's position in the result. */
  readonly index: number;
  /** `<host>:<pid>` of the submitter, for the worker's log. */
  readonly submitter: string;
  /** What `loadForRun` needs: model path (as on the submitter), data, label, seed, split, backend. */
  readonly source: CommonRunOptions;
  /** sha256 of the model bundle under `bundleKey`, or null for a model.json read from its path. */
  readonly bundle: string | null;
  readonly trial: Trial;
}

export interface TrialJobResult {
  readonly value: unknown;
  readonly worker: WorkerInfo;
}

/** Progress events of one job; `w` is the worker's id, so a superseded attempt's events are ignored. */
export type TrialProgress =
  | { readonly t: 'start'; readonly worker: WorkerInfo }
  | { readonly t: 'points'; readonly w: string; readonly series: string; readonly points: readonly StreamPoint[] }
  | { readonly t: 'progress'; readonly w: string; readonly message: string; readonly fraction: number | null };

const FAILURE_TAG = 'lrlab-error:';

export function encodeFailure(error: LrLabError): string {
  return `${FAILURE_TAG}${JSON.stringify(error.toData())}`;
}

/** A job's failed reason as the error the worker meant (or BullMQ's own reason, e.g. a trial that stalled too often). */
export function decodeFailure(reason: string, label: string): LrLabError {
  if (reason.startsWith(FAILURE_TAG)) {
    try {
      return LrLabError.fromData(JSON.parse(reason.slice(FAILURE_TAG.length)) as LrLabErrorData);
    } catch {
      // fall through: not ours after all
    }
  }
  if (/stalled more than allowable limit/i.test(reason)) {
    return new LrLabError('internal', `Trial ${label} lost its worker ${MAX_STALLED + 1} times (each worker died or stopped renewing its lock).`, {
      fix: `Look at the workers' logs (out of memory?); a step or a synchronous part of loadData() that blocks longer than the lock (${lockMs() / 1000} s, LRLAB_WORKER_LOCK_S) also loses it.`,
    });
  }
  return new LrLabError('internal', `Trial ${label} failed on a worker: ${reason}`);
}
