/**
 * What travels through Redis between a submitter (`lrlab sweep --redis …`, the editor) and the
 * workers (`lrlab worker`). One BullMQ queue; one job per trial; names and timings in one place.
 *
 * - A job's data: the trial (its kind and parameters, plain JSON), the model source options, the
 *   run it belongs to, and the hash of the model bundle, stored once per run under `bundleKey`.
 * - Progress: `job.updateProgress(TrialProgress)` → BullMQ's event stream, read and checked by the
 *   submitter's own reader (`eventStream.ts`), not QueueEvents.
 * - The result: the processor's return value `TrialJobResult` (`completed` event); a failure
 *   carries the `LrLabErrorData` as JSON in the failed reason (`encodeFailure`).
 * - Liveness and cancel: the submitter keeps `aliveKey(runId)` alive (TTL refreshed every
 *   `HEARTBEAT_MS`); a worker runs a trial only while that key exists, and drops it at once on a
 *   message on `CANCEL_CHANNEL`. So a cancelled or killed submitter's trials stop, and its
 *   queued ones are dropped, within `ALIVE_TTL_MS`.
 * - A worker's liveness: a thread of its own (workerBeat.ts) refreshes `workerAliveKey(id)` every
 *   `WORKER_BEAT_MS`, whatever its trial is doing, and `workerKey(id)` says it beats; a clean stop
 *   deletes both. A run that finds a trial held by a worker whose beat expired while it still
 *   says it beats frees the trial's lock (submit.ts), and BullMQ's stalled check queues it again.
 */
import type Redis from 'ioredis';
import type { ErrorCode } from '../../protocol/errors';
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
/** The longest `LRLAB_WORKER_LOCK_S` taken. */
const MAX_LOCK_S = 3600;

/**
 * A worker's lock on its trial (`LRLAB_WORKER_LOCK_S`, seconds): renewed every half of it between
 * training steps, so one step (or a synchronous part of loadData) must not block longer. A worker
 * stuck that long loses its trial, which runs again elsewhere after at most this plus
 * `stalledCheckMs`; a killed one is found sooner by its beat (`WORKER_BEAT_TTL_MS`).
 */
export function lockMs(): number {
  const s = Number(process.env['LRLAB_WORKER_LOCK_S'] ?? '');
  // At most an hour: a timer past 2^31 ms fires at once (1e9 filled a worker's log with Node's overflow warning).
  return (Number.isFinite(s) && s >= 1 ? Math.min(s, MAX_LOCK_S) : DEFAULT_LOCK_S) * 1000;
}

/**
 * How often workers look for trials whose worker died (their lock expired, or a run freed it) and
 * queue them again. Short: a trial whose worker stopped answering is freed within
 * `WORKER_BEAT_TTL_MS` and should not wait long after that; the check is one script per queue per
 * interval (BullMQ runs it on one worker at a time) and takes only trials whose lock is gone.
 */
export function stalledCheckMs(): number {
  return Math.max(1_000, Math.min(2_000, Math.round(lockMs() / 2)));
}
/** Times a trial may lose its worker and run again before it fails. */
export const MAX_STALLED = 2;
export const HEARTBEAT_MS = 1_500;
/** How often a worker's beat thread refreshes its alive key. */
export const WORKER_BEAT_MS = 1_000;
/**
 * A worker's alive key lives this long past its last beat: with the run's poll (2 s), a worker
 * killed mid-trial is said within ~7 s. The beat runs in a thread of its own, so a trial that
 * blocks the worker's event loop (a long step, a synchronous loadData) does not miss one; four
 * beats may go missing (a starved thread, a slow round trip) before a live worker is taken for dead.
 */
export const WORKER_BEAT_TTL_MS = 5_000;
/** A worker's "I beat" key outlives its alive key this long, so a run can tell a worker that died from one that never beat (older versions). */
export const WORKER_SEEN_TTL_MS = 3_600_000;
export const ALIVE_TTL_MS = 6_000;
/** Finished jobs stay this long (results can be read back), then BullMQ drops them. */
export const KEEP_FINISHED_S = 3_600;
/** Model bundles stay this long after their run queued them. */
export const BUNDLE_TTL_S = 86_400;

export const CANCEL_CHANNEL = `${KEY_PREFIX}:cancel`;
export const aliveKey = (runId: string): string => `${KEY_PREFIX}:run:${runId}:alive`;
export const bundleKey = (hash: string): string => `${KEY_PREFIX}:bundle:${hash}`;
/** How many times a job's engine was killed mid-trial (worker.ts hands it back up to MAX_STALLED + 1 times in all). */
export const engineKilledKey = (jobId: string): string => `${KEY_PREFIX}:engine-killed:${jobId}`;
export const eventsKey = `${KEY_PREFIX}:${QUEUE_NAME}:events`;
/** Exists while a worker that beats has not stopped cleanly (`WORKER_SEEN_TTL_MS` after its last beat). */
export const workerKey = (id: string): string => `${KEY_PREFIX}:worker:${id}`;
export const WORKER_ALIVE_SUFFIX = ':alive';
/** Exists while the worker beats (`WORKER_BEAT_TTL_MS` after its last beat). */
export const workerAliveKey = (id: string): string => `${workerKey(id)}${WORKER_ALIVE_SUFFIX}`;
/**
 * The ids of the workers whose heartbeat says they train on `backend` (the alive key's value, see
 * beatThread.ts; a worker of an older LR Lab writes '1' there and is counted for no backend), or, with
 * `null`, of every live worker.
 */
export async function aliveWorkersOn(client: Redis, backend: string | null): Promise<string[]> {
  const ids: string[] = [];
  const prefix = workerKey('');
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*${WORKER_ALIVE_SUFFIX}`, 'COUNT', '500');
    cursor = next;
    if (keys.length === 0) continue;
    const values = await client.mget(...keys);
    keys.forEach((key, i) => {
      if (values[i] !== null && (backend === null || values[i] === backend)) ids.push(key.slice(prefix.length, key.length - WORKER_ALIVE_SUFFIX.length));
    });
  } while (cursor !== '0');
  return ids.sort();
}

/** A job's hash (BullMQ's layout: its state, `finishedOn`, `returnvalue` / `failedReason`, `pb` = the worker that took it last). */
export const jobKey = (jobId: string): string => `${KEY_PREFIX}:${QUEUE_NAME}:${jobId}`;

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
  | { readonly t: 'progress'; readonly w: string; readonly message: string; readonly fraction: number | null }
  /** The data the worker loaded for the trial (`dataFingerprint`): its run compares it with its own. */
  | ({ readonly t: 'data'; readonly w: string } & DataFingerprint);

/** What a model's data is, told apart cheaply: the splits' sizes and a hash of their labels (`dataFingerprint`). */
export interface DataFingerprint {
  readonly train: number;
  readonly validation: number;
  /** The first 16 hex digits of the sha256 of the training then validation labels' bytes. */
  readonly labels: string;
}

const FAILURE_TAG = 'lrlab-error:';

export function encodeFailure(error: LrLabError): string {
  return `${FAILURE_TAG}${JSON.stringify(error.toData())}`;
}

/** Longest text of a worker's failure that is shown (its message, its fix): a failed reason is whatever was written to Redis. */
export const MAX_REASON_CHARS = 500;

/** Terminal escape sequences: CSI (colours, cursor moves, clear screen), OSC (window title, links), and two-character ones. */
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[\u0020-\u007e]?/gu;
/** C0/C1 control characters, DEL, and the bidirectional overrides and isolates (as schema.ts refuses them). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text from Redis made fit for one line of a terminal, a log or a notification: escape sequences
 * and other control characters dropped, line breaks and tabs turned into spaces, at most `max`
 * characters (cut with an ellipsis).
 */
export function oneLine(text: string, max = MAX_REASON_CHARS): string {
  const plain = text.replace(ESCAPES, '').replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/gu, ' ').replace(CONTROL, '').replace(/ {2,}/g, ' ').trim();
  if (plain.length <= max) return plain;
  // Never half of a surrogate pair.
  const last = plain.charCodeAt(max - 2);
  const cut = last >= 0xd800 && last <= 0xdbff ? max - 2 : max - 1;
  return `${plain.slice(0, cut)}…`;
}

/** The error codes a worker's failure may carry (any other reads as `internal`). */
const ERROR_CODES: Readonly<Record<ErrorCode, true>> = {
  'bad-option': true, 'model-file': true, 'model-exports': true, 'model-build': true, data: true, shape: true, loss: true, backend: true, 'out-of-memory': true, cancelled: true, untrusted: true, redis: true, internal: true,
};

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A job's failed reason as the error the worker meant (or BullMQ's own reason, e.g. a trial that
 * stalled too often), made safe to show: whoever can write to Redis can write a failed reason, so
 * every text in it is one line of at most `MAX_REASON_CHARS` without control characters, an
 * unknown code is `internal`, and the message says which worker it came from (`worker`, the one
 * that held the job, when known) unless it names that worker already.
 */
export function decodeFailure(reason: string, label: string, worker: string | null): LrLabError {
  const on = worker === null ? 'a worker' : `worker ${worker}`;
  const data = reason.startsWith(FAILURE_TAG) ? parsed(reason.slice(FAILURE_TAG.length)) : undefined;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const d = data as Record<string, unknown>;
    const code = typeof d['code'] === 'string' && Object.hasOwn(ERROR_CODES, d['code']) ? (d['code'] as ErrorCode) : 'internal';
    const message = typeof d['message'] === 'string' ? oneLine(d['message']) : '';
    const text = (key: string): string | undefined => {
      const value = d[key];
      const line = typeof value === 'string' ? oneLine(value) : '';
      return line === '' ? undefined : line;
    };
    const fix = text('fix');
    const file = text('file');
    const line = d['line'];
    const option = d['option'];
    const shown = message === '' ? `Trial ${label} failed on ${on}, which gave no reason.` : worker !== null && message.includes(worker) ? message : `Trial ${label} failed on ${on}: ${message}`;
    return new LrLabError(code, shown, {
      ...(fix === undefined ? {} : { fix }),
      ...(file === undefined ? {} : { file }),
      ...(typeof line === 'number' && Number.isInteger(line) && line >= 1 ? { line } : {}),
      ...(typeof option === 'string' && /^[a-z][A-Za-z0-9]{0,40}$/.test(option) ? { option } : {}),
    });
  }
  if (/stalled more than allowable limit/i.test(reason)) {
    return new LrLabError('internal', `Trial ${label} lost its worker ${MAX_STALLED + 1} times${worker === null ? '' : `, the last time worker ${worker}`} (each worker died, stopped answering or stopped renewing its lock).`, {
      fix: `Look at the workers' logs (out of memory?); a step or a synchronous part of loadData() that blocks longer than the lock (${lockMs() / 1000} s, LRLAB_WORKER_LOCK_S) also loses it.`,
    });
  }
  const said = oneLine(reason);
  return new LrLabError('internal', said === '' ? `Trial ${label} failed on ${on}, which gave no reason.` : `Trial ${label} failed on ${on}: ${said}`);
}
