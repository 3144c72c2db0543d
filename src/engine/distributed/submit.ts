/**
 * The submitting side of the scale-out (`--redis` on sweep, short runs, batch-size, recipe): the
 * trials of one study become BullMQ jobs, all queued at once; progress streams back through
 * the queue's event stream (eventStream.ts) into the run's reporter as it would locally; outcomes come back in the trials'
 * order with the worker and backend that ran each.
 *
 * Invariants:
 * - Exactly one outcome per trial: results are taken once per job id (events and the safety
 *   poll may both see it); a trial that lost its worker runs again elsewhere (BullMQ's stalled
 *   recovery) and only the attempt that holds the job's lock can complete it.
 * - A worker that stops answering is said within seconds: each poll frees the lock of a trial
 *   whose worker's heartbeat expired (`FREE_IF_HOLDER_DEAD`), says so, and BullMQ's stalled check
 *   queues the trial again; a worker alive but stuck loses it when its own lock expires.
 * - Redis content is untrusted: a trial's end is read from its job, never from an event (anyone
 *   who can write to Redis can add one), and a result is used only once it parses as the
 *   trial kind's result from a described worker (jobSchema.ts); otherwise the trial fails naming
 *   the worker. A failure's text is made one safe line (`decodeFailure`). A progress event is
 *   used only once it parses as one a worker sends (`parseTrialProgress`); others are dropped,
 *   said once while the run goes on and counted in its warnings (an event, like a forged
 *   'completed' one, changes no result, so it does not fail the run).
 * - Live points of a trial that starts again are not drawn twice: per series only steps past the
 *   last one drawn are forwarded (the rerun computes the same numbers).
 * - Nothing outlives the run: cancel, an error, Redis going away or this process dying removes
 *   its queued jobs and stops its running ones (jobs.ts: the alive key and the cancel channel).
 * - Redis unreachable or gone: an LrLabError within seconds (connection.ts), never a hang. Redis
 *   that lost this run's keys (a restart without them) is one too, never a cancel (`keysLost`).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { LrLabError } from '../../protocol/errors';
import { SchemaError } from '../../protocol/schema';
import type { ModelBundle } from '../../protocol/requests';
import type { WorkerInfo } from '../../protocol/results';
import { throwIfAborted } from '../errorMapping';
import type { RunContext } from '../experiments/runContext';
import type { TrialKind, TrialOutcome, TrialPlan, TrialValues, TrialsRun } from '../experiments/trials';
import { closeQuietly, connectControl, describeRedisError, failFastOptions, failedReply, lost, redisFix, watchConnection } from './connection';
import type { DataFingerprint, TrialJobData, TrialProgress } from './jobs';
import { formatCount } from '../../protocol/format';
import { ALIVE_TTL_MS, BUNDLE_TTL_S, CANCEL_CHANNEL, HEARTBEAT_MS, JOB_FORMAT, KEEP_FINISHED_S, KEY_PREFIX, QUEUE_NAME, WORKER_ALIVE_SUFFIX, WORKER_BEAT_TTL_MS, aliveKey, aliveWorkersOn, bundleKey, decodeFailure, eventsKey, jobKey, oneLine, workerKey } from './jobs';
import type { QueueEvent } from './eventStream';
import { EventStream } from './eventStream';
import { parseTrialProgress, parseTrialResult, trialMismatch } from './jobSchema';
import { writeLarge } from './largeValue';
import { otherDataWarning, poolWarnings } from './pool';
import type { RedisUrl } from './redisUrl';
import { parseRedisUrl } from './redisUrl';
import { shipModel } from './shipModel';
import { STILL_WAITING } from '../../protocol/progress';

/** How often job states are read back, in case an event was missed. */
const POLL_MS = 2_000;
/** No worker has held a trial of the run for this long: say so, and how to start one. */
const NO_WORKER_MS = 10_000;

interface JobState {
  readonly id: string;
  readonly index: number;
  readonly label: string;
  /** The worker that said it started the job last (it may have died or handed the job back since). */
  worker: WorkerInfo | null;
  /** A worker holds the job now: its lock is on Redis (as of the last poll), or it has just sent events. */
  held: boolean;
  percent: number | null;
  done: boolean;
  readonly lastStep: Map<string, number>;
  /** The worker this run found dead while it held the job (said once), until another starts it. */
  lostWorker: string | null;
  /** When this run queued it (performance.now()): no honest result claims more time than has passed since. */
  readonly queuedAt: number;
  /** Its starts on a worker (more than one: it ran again after losing its worker or its engine), and when the first came. */
  starts: number;
  firstStartAt: number | null;
}

/**
 * How many live workers could take a trial asking for `backend` (any, for `auto` or none): the
 * batch-size study runs that many sizes at a time. A user's 3 sizes on 2 worker slots took twice their
 * share, and a recipe's later steps found no time left.
 */
export async function liveWorkerCount(redis: string, backend: string | undefined): Promise<number> {
  const url = parseRedisUrl(redis);
  const control = await connectControl(url, `lrlab-count:${os.hostname()}:${process.pid}`);
  try {
    return (await aliveWorkersOn(control, backend === undefined || backend === 'auto' ? null : backend)).length;
  } finally {
    control.disconnect();
  }
}

/**
 * Frees the lock of a job whose holder (`pb`, the BullMQ worker name: our worker's id) stopped
 * answering: its alive key expired while its "seen" key lives, i.e. a worker that beats and did
 * not stop cleanly (a clean stop deletes both; a worker that never beat, an older version, has
 * neither and keeps its trial until its lock expires). BullMQ's stalled check then finds the job
 * active without a lock and queues it again. Returns the holder's name, or nil. Atomic, so a
 * worker that has just taken the job (its own fresh lock and beat) is never robbed of it. It reads
 * keys named from the job (as BullMQ's scripts do): one Redis, not a cluster.
 * KEYS: the job's hash, its lock; ARGV: the prefix of worker keys, the alive key's suffix.
 */
const FREE_IF_HOLDER_DEAD = `
local holder = redis.call('HGET', KEYS[1], 'pb')
if not holder or redis.call('EXISTS', KEYS[2]) == 0 then return false end
local seen = ARGV[1] .. holder
if redis.call('EXISTS', seen) == 1 and redis.call('EXISTS', seen .. ARGV[2]) == 0 then
  redis.call('DEL', KEYS[2])
  return holder
end
return false`;

export async function runRemoteTrials<K extends TrialKind>(plan: TrialPlan<K>, ctx: RunContext): Promise<TrialsRun<TrialValues[K]>> {
  const url = parseRedisUrl(plan.redis ?? '');
  if (plan.trials.length === 0) return { outcomes: [], workers: [], warnings: [] };
  throwIfAborted(ctx.signal);
  const shipped = plan.source.model.toLowerCase().endsWith('.json') ? null : await shipModel(plan.source.model);
  const control = await connectControl(url, `lrlab-submit:${os.hostname()}:${process.pid}`);
  const session = new Submission<K>(url, control, plan, ctx, shipped);
  try {
    return await session.run();
  } catch (error) {
    // Anything from BullMQ or ioredis itself (a command refused, an old Redis) is still one line about Redis.
    throw error instanceof LrLabError ? error : new LrLabError('redis', `Redis at ${url.shown} failed: ${describeRedisError(error)}.`, { option: 'redis', fix: redisFix(error, 'Check that server (redis-server 6.2 or newer, maxmemory-policy noeviction), then run again.') });
  } finally {
    await session.close();
  }
}

class Submission<K extends TrialKind> {
  private readonly runId = randomUUID();
  private readonly jobs: JobState[];
  private readonly byId = new Map<string, JobState>();
  private readonly outcomes = new Map<number, TrialOutcome<TrialValues[K]>>();
  private readonly workers = new Map<string, WorkerInfo>();
  private readonly timers: NodeJS.Timeout[] = [];
  private queue: Queue | null = null;
  private events: EventStream | null = null;
  /** Progress events dropped as not ones a worker sends (`parseTrialProgress`), and whether that was said. */
  private droppedEvents = 0;
  private unwatch: () => void = () => undefined;
  /** Workers whose data differed from this machine's (`compareData`): how, and the trials they ran on it. */
  private readonly otherData = new Map<string, { readonly sizes: string; readonly trials: string[] }>();
  /** Live workers when the run last found none holding its trials: busy with other runs (0: none alive). */
  private busyElsewhere = 0;
  private finished = false;
  /** `close` has run: a connection that opens later is closed at once. */
  private closed = false;
  /** Redis went away or silent: nothing more is sent to it (each command would wait out its timeout). */
  private redisLost = false;
  /** Since when no worker has held a trial of this run (`null` while one does). */
  private idleSince: number | null = null;
  private idleWarned = false;
  private settle: { resolve: () => void; reject: (error: LrLabError) => void } = { resolve: () => undefined, reject: () => undefined };

  constructor(
    private readonly url: RedisUrl,
    private readonly control: Redis,
    private readonly plan: TrialPlan<K>,
    private readonly ctx: RunContext,
    private readonly shipped: ModelBundle | null,
  ) {
    this.jobs = plan.trials.map((trial, index) => ({ id: `${this.runId}-${index}`, index, label: trial.label, worker: null, held: false, percent: null, done: false, lastStep: new Map(), lostWorker: null, queuedAt: performance.now(), starts: 0, firstStartAt: null }));
    for (const job of this.jobs) this.byId.set(job.id, job);
  }

  async run(): Promise<TrialsRun<TrialValues[K]>> {
    const { control, url } = this;
    const name = `lrlab-submit:${os.hostname()}:${process.pid}`;
    const done = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    done.catch(() => undefined); // it may fail before it is awaited (Redis lost while queueing); `await done` still sees it
    this.unwatch = watchConnection(control, (error) => {
      this.redisLost = true;
      this.fail(lost(url, error));
    });
    // The bundle (once per run), in pieces when it is large: one SET of megabytes would outlast the
    // command timeout on a slow link (largeValue.ts). Then, in one round trip, the alive key and where
    // the event stream ends now (events are read from there, so nothing between "listening" and
    // "queued" is missed).
    if (this.shipped !== null) await writeLarge(control, bundleKey(this.shipped.hash), JSON.stringify(this.shipped), BUNDLE_TTL_S);
    const replies = (await control.multi().set(aliveKey(this.runId), '1', 'PX', ALIVE_TTL_MS).xrevrange(eventsKey, '+', '-', 'COUNT', 1).exec()) ?? [];
    const failed = failedReply(replies);
    if (failed !== null) throw failed;
    const last = (replies.at(-1)?.[1] as [string, string[]][] | undefined)?.[0]?.[0] ?? '0-0';
    // Only while it exists (XX): a key that is gone means Redis lost this run's keys, and the workers drop its trials.
    this.every(HEARTBEAT_MS, async () => {
      if ((await control.set(aliveKey(this.runId), '1', 'PX', ALIVE_TTL_MS, 'XX')) === null) this.fail(this.keysLost());
    });

    const queue = new Queue(QUEUE_NAME, { connection: failFastOptions(url, name), prefix: KEY_PREFIX });
    this.queue = queue;
    queue.on('error', (error) => this.ctx.reporter.log('debug', `redis (queue): ${error.message}`));
    const events = EventStream.open(url, `${name}:events`, last, (event) => this.onEvent(event), (error) => this.ctx.reporter.log('debug', `redis (events): ${describeRedisError(error)}`));
    events.then((stream) => {
      if (this.closed) void stream.close();
      else this.events = stream;
    }, () => undefined);
    // Raced with `done`: a Redis that goes silent now would keep a handshake waiting.
    await Promise.race([Promise.all([events, queue.waitUntilReady()]), done]);

    const onAbort = (): void => void this.cancel().then(() => this.settle.resolve());
    this.ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const submitter = `${os.hostname()}:${process.pid}`;
      await queue.addBulk(this.plan.trials.map((trial, index) => {
        const data: TrialJobData = { format: JOB_FORMAT, runId: this.runId, index, submitter, source: this.plan.source, bundle: this.shipped?.hash ?? null, trial };
        return { name: trial.kind, data, opts: { jobId: this.jobs[index]!.id, attempts: 1, removeOnComplete: { age: KEEP_FINISHED_S }, removeOnFail: { age: KEEP_FINISHED_S } } };
      }));
      this.idleSince = Date.now();
      this.report(true);
      this.every(POLL_MS, () => this.poll());
      if (this.ctx.signal.aborted) onAbort();
      await done;
    } finally {
      this.ctx.signal.removeEventListener('abort', onAbort);
    }
    const workers = [...this.workers.values()];
    const warnings = [...poolWarnings(workers, this.plan.trials[0]?.kind === 'batch-size'), ...this.dataWarnings()];
    if (this.droppedEvents > 0) warnings.push(`Ignored ${this.droppedEvents} progress event${this.droppedEvents === 1 ? ' that is not one' : 's that are not ones'} a worker sends (written to ${eventsKey} on ${this.url.shown} by something other than an lrlab worker of this version).`);
    // How each trial fared on the queue: what a study that overran its budget reads its causes from.
    const timing = this.jobs.map((job) => ({ label: job.label, starts: job.starts, waitedSeconds: job.firstStartAt === null ? null : (job.firstStartAt - job.queuedAt) / 1000 }));
    return { outcomes: [...this.outcomes.values()].sort((a, b) => a.index - b.index), workers, warnings, timing };
  }

  private every(ms: number, task: () => Promise<unknown>): void {
    this.timers.push(setInterval(() => void task().catch(() => undefined), ms));
  }

  /** An entry of the queue's event stream: progress is read from the event, a trial's end from its job. */
  private onEvent({ event, jobId, data }: QueueEvent): void {
    switch (event) {
      case 'progress':
        this.onProgress(jobId, data ?? '');
        break;
      // A trial's end is read from its job, never taken from the event (which anyone can add to the stream).
      case 'completed':
      case 'failed':
        this.ended(jobId, event);
        break;
      case 'stalled': {
        const job = this.byId.get(jobId);
        if (job === undefined || job.done) return;
        job.held = false;
        // Queued again: said already when this run found its worker dead.
        if (job.lostWorker === null) this.ctx.reporter.log('warn', `trial ${job.label}: its worker ${job.worker?.id ?? ''} stopped responding; it runs again on another worker.`);
        break;
      }
      default:
        break;
    }
  }

  /** A progress event: other runs' are skipped; one of this run is used only once it parses as one a worker sends. */
  private onProgress(jobId: string, text: string): void {
    const job = this.byId.get(jobId);
    if (job === undefined) {
      // Other runs share the stream; an id of this run that names no trial of it was not written by a worker.
      if (jobId.startsWith(`${this.runId}-`)) this.dropEvent(`trial ${oneLine(jobId, 100)}`, 'this run has no such trial');
      return;
    }
    if (job.done) return;
    let data: TrialProgress;
    try {
      data = parseTrialProgress(text);
    } catch (error) {
      this.dropEvent(`trial ${job.label}`, error instanceof SchemaError ? error.message : String(error));
      return;
    }
    if (data.t === 'start') {
      // The worker it ran on before: the one whose start this run read, else the one found dead holding
      // it (killed before its own start event reached the stream: it was said dead, its rerun went unsaid).
      const before = job.worker?.id ?? job.lostWorker;
      if (before !== null && before !== data.worker.id) this.ctx.reporter.log('warn', `trial ${job.label} runs again on ${data.worker.id} (its worker ${before} stopped).`);
      job.starts += 1;
      job.firstStartAt ??= performance.now();
      job.worker = data.worker;
      job.lostWorker = null;
      job.percent = null;
      this.heldNow(job);
      this.workers.set(data.worker.id, data.worker);
      this.report(true);
      return;
    }
    if (data.w !== job.worker?.id) return; // an attempt that lost the job
    this.heldNow(job);
    if (data.t === 'data') {
      this.compareData(job, data);
    } else if (data.t === 'points') {
      for (const point of data.points) {
        if (point.step <= (job.lastStep.get(data.series) ?? -1)) continue;
        job.lastStep.set(data.series, point.step);
        this.ctx.reporter.point(data.series, point);
      }
    } else if (data.fraction !== null) {
      job.percent = Math.round(data.fraction * 100);
      this.report(false);
    } else if (data.message.startsWith(STILL_WAITING)) {
      // The worker waits on the model's own code (a slow or never-settling loadData): said here as a
      // local run says it, naming the trial and worker (the run showed only "1 queued" meanwhile).
      this.ctx.reporter.log('info', `trial ${job.label} on ${data.w}: ${oneLine(data.message, 300)}`);
    }
  }

  /** A progress event that is not one a worker sends: counted (the run's warnings), said once. */
  private dropEvent(what: string, why: string): void {
    this.droppedEvents++;
    if (this.droppedEvents > 1) return;
    this.ctx.reporter.log('warn', `Ignored a progress event for ${what} that is not one a worker sends (${oneLine(why, 300)}); any more are counted.`);
  }

  /** An event says this run's job `jobId` ended: read how from the job itself. */
  private ended(jobId: string, event: 'completed' | 'failed'): void {
    const job = this.byId.get(jobId);
    if (job === undefined || job.done) return; // not this run's, or already taken (a replay)
    this.readBack(job, event).catch((error: unknown) => this.ctx.reporter.log('debug', `redis (read back ${jobId}): ${String(error)}`));
  }

  /**
   * A job's end as Redis stores it. Events only say where to look: whoever can write to Redis can
   * add a 'completed' or 'failed' event to the stream, while a job's own state changes when its
   * worker, holding its lock, finishes it (BullMQ's moveToFinished writes both at once). A writer
   * who changes the job itself is a worker as far as this run can tell, and its result is checked
   * like any worker's (`onCompleted`).
   */
  private async readBack(job: JobState, event: 'completed' | 'failed' | null): Promise<void> {
    const key = jobKey(job.id);
    const lock = `${key}:lock`;
    const replies = (await this.control.multi().exists(key).hmget(key, 'finishedOn', 'failedReason', 'returnvalue', 'pb').eval(FREE_IF_HOLDER_DEAD, 2, key, lock, workerKey(''), WORKER_ALIVE_SUFFIX).exists(lock).exec()) ?? [];
    const failed = failedReply(replies);
    if (failed !== null) throw failed;
    if (this.finished || job.done) return;
    const [exists, fields, freed, locked] = [replies[0]?.[1], replies[1]?.[1] as (string | null)[] | undefined, replies[2]?.[1], replies[3]?.[1]];
    // A worker holds a job while its lock is there (renewed while it runs; BullMQ's moveToActive
    // sets it, a hand-back or a finish removes it, a dead worker's expires or is freed above).
    job.held = locked === 1;
    if (typeof freed === 'string') this.workerStopped(job, oneLine(freed, 200));
    if (exists === 0) {
      this.fail(new LrLabError('redis', `Trial ${job.label} vanished from the queue on ${this.url.shown} (removed by someone else, or Redis lost its data).`, { fix: 'Run again; keep other tools from removing lrlab:trials jobs.' }));
      return;
    }
    const [finishedOn, failedReason, returnvalue, processedBy] = fields ?? [];
    if (finishedOn === null || finishedOn === undefined) {
      if (event !== null) this.ctx.reporter.log('warn', `Ignored a '${event}' event for trial ${job.label}: the queue on ${this.url.shown} does not show that trial finished (something other than a worker wrote it to ${eventsKey}).`);
      return;
    }
    // The worker that held the job last (BullMQ records its name, our worker's id), else the one that said it started it.
    const holder = processedBy === null || processedBy === undefined ? '' : oneLine(processedBy, 200);
    const worker = holder !== '' ? holder : (job.worker?.id ?? null);
    if (failedReason !== null && failedReason !== undefined && failedReason !== '') this.onFailed(job, failedReason, worker);
    else this.onCompleted(job, returnvalue ?? null, worker);
  }

  /** The worker that held `job` stopped answering (its lock is freed): said once; the trial runs again when a worker takes it. */
  private workerStopped(job: JobState, worker: string): void {
    if (job.lostWorker === worker) return;
    job.lostWorker = worker;
    this.ctx.reporter.log('warn', `trial ${job.label}: its worker ${worker} stopped answering (no heartbeat for ${WORKER_BEAT_TTL_MS / 1000} s); the trial goes back to the queue and runs again on the next worker that takes it.`);
    this.report(true);
  }

  /** A completed job's return value, used only once it is a result of the trial's kind from a described worker. */
  private onCompleted(job: JobState, returnvalue: string | null, worker: string | null): void {
    job.done = true;
    let result: { readonly value: TrialValues[K]; readonly worker: WorkerInfo };
    const trial = this.plan.trials[job.index]!;
    const refuse = (why: string): void => {
      this.fail(new LrLabError('redis', `Trial ${job.label} came back from ${worker === null ? 'an unknown worker' : `worker ${worker}`} with a result that is not one of that trial (${oneLine(why, 300)}); it was not used.`, {
        fix: `Run the same LR Lab version here and on every worker, and let nothing but lrlab write to ${KEY_PREFIX}:${QUEUE_NAME} on ${this.url.shown}.`,
      }));
    };
    try {
      result = parseTrialResult(trial.kind, JSON.parse(returnvalue ?? 'null') as unknown);
    } catch (error) {
      refuse(error instanceof SchemaError ? error.message : 'it is not JSON');
      return;
    }
    // Of the right shape, but of another trial (a label, a batch size, steps or seconds it cannot have).
    const mismatch = trialMismatch(trial, result.value, (performance.now() - job.queuedAt) / 1000);
    if (mismatch !== null) {
      refuse(mismatch);
      return;
    }
    // The worker is the one the queue shows held the job (BullMQ's record), not whoever the result names.
    if (worker !== null && result.worker.id !== worker) {
      refuse(`it names worker ${oneLine(result.worker.id, 200)} as its own, where the queue shows ${worker} held it`);
      return;
    }
    this.workers.set(result.worker.id, result.worker);
    this.settled({ index: job.index, value: result.value, placement: { worker: result.worker.id, backend: result.worker.backend } });
  }

  private onFailed(job: JobState, reason: string, worker: string | null): void {
    job.done = true;
    const error = decodeFailure(reason, job.label, worker);
    if (this.finished) return; // our own cancel
    if (error.code === 'cancelled') {
      // Not the user's cancel (that set `finished` first): the worker found this run gone from Redis.
      this.fail(this.keysLost(job, worker));
      return;
    }
    if (this.plan.tolerate?.(error) !== true) {
      this.fail(error);
      return;
    }
    this.settled({ index: job.index, error, placement: job.worker === null ? {} : { worker: job.worker.id, backend: job.worker.backend } });
  }

  /** A trial's outcome is in: kept, told to the study as it arrives (its per-trial lines), and the progress moves. */
  private settled(outcome: TrialOutcome<TrialValues[K]>): void {
    this.outcomes.set(outcome.index, outcome);
    this.plan.onOutcome?.(outcome);
    this.progressed();
  }

  /**
   * Redis lost this run's heartbeat key (restarted with older data or none, flushed, evicting
   * keys), or something else wrote there: the workers drop its trials as they do a cancelled
   * run's. Said as the Redis fault it is (exit 1), never as a cancel: 130 is for the user's own.
   */
  private keysLost(job?: JobState, worker?: string | null): LrLabError {
    const what = job === undefined
      ? `Redis at ${this.url.shown} lost this run's heartbeat key ${aliveKey(this.runId)}, so the workers drop its trials`
      : `Trial ${job.label} was dropped by ${worker === null || worker === undefined ? 'its worker' : `worker ${worker}`}, which was told this run had ended; it had not (its heartbeat key ${aliveKey(this.runId)} was gone from Redis at ${this.url.shown}, or a message on ${CANCEL_CHANNEL} named it)`;
    return new LrLabError('redis', `${what}: Redis restarted with older data or none, was flushed or evicted keys, or another program wrote there.`, {
      fix: 'Run again. A Redis that may restart mid-run needs persistence (appendonly yes), and maxmemory-policy noeviction.',
    });
  }

  private progressed(): void {
    this.report(true);
    if (this.jobs.every((j) => j.done)) {
      this.finished = true;
      this.settle.resolve();
    }
  }

  /** A worker has just sent events for the job: it holds it. */
  private heldNow(job: JobState): void {
    job.held = true;
    this.idleSince = null;
    this.idleWarned = false;
  }

  /**
   * A worker's data against this machine's (`plan.data`): one that differs is said at once and in the
   * result's warnings, naming its trials — their numbers are of its data, the run's baseline and
   * comparisons of this one's (a user's worker read a stale synced CSV, 599 rows of labels ×10, and
   * the sweep read "no curve got clearly below the baseline", without a warning).
   */
  private compareData(job: JobState, theirs: DataFingerprint & { readonly w: string }): void {
    const ours = this.plan.data;
    if (ours === undefined || (theirs.train === ours.train && theirs.validation === ours.validation && theirs.labels === ours.labels)) return;
    const seen = this.otherData.get(theirs.w);
    if (seen !== undefined) {
      if (!seen.trials.includes(job.label)) seen.trials.push(job.label);
      return;
    }
    const sizes = theirs.train === ours.train && theirs.validation === ours.validation
      ? `the same ${formatCount(ours.train, 'training sample')} and ${ours.validation} validation ones, with other labels`
      : `${formatCount(theirs.train, 'training sample')} and ${theirs.validation} validation ones there, ${ours.train} and ${ours.validation} here${theirs.labels === ours.labels ? '' : ', and other labels'}`;
    this.otherData.set(theirs.w, { sizes, trials: [job.label] });
    this.ctx.reporter.log('warn', `trial ${job.label}: worker ${theirs.w} loaded other data than this machine (${sizes}).`);
  }

  /** The warnings of `compareData`, one per worker whose data differed. */
  private dataWarnings(): string[] {
    return [...this.otherData].map(([worker, { sizes, trials }]) => otherDataWarning(worker, sizes, trials));
  }

  /** One line: how many trials are done, which run where (held by a live worker), how many wait, and since when none runs. */
  private report(force: boolean): void {
    const n = this.jobs.length;
    const done = this.jobs.filter((j) => j.done).length;
    const running = this.jobs.filter((j) => !j.done && j.held && j.worker !== null);
    const queued = n - done - running.length;
    const parts = [`${done}/${n} trials done`];
    if (running.length > 0) parts.push(`running: ${running.map((j) => `${j.label} on ${j.worker!.id}${j.percent === null ? '' : ` (${j.percent}%)`}`).join(', ')}`);
    if (queued > 0) parts.push(`${queued} queued`);
    const idle = this.idleFor();
    if (idle >= NO_WORKER_MS) parts.push(this.busyElsewhere > 0 ? `no worker has taken a trial for ${Math.round(idle / 1000)} s — ${this.busyElsewhere === 1 ? 'the live worker is' : `the ${this.busyElsewhere} live workers are`} busy elsewhere` : `no worker has taken a trial for ${Math.round(idle / 1000)} s — start \`lrlab worker --redis ${this.url.shown}\``);
    // The running trials' own progress counts too: without a terminal a line comes per tenth of the run,
    // and a batch-size study of 2 sizes on workers said "2 queued" for its whole first half.
    const partly = running.reduce((sum, j) => sum + (j.percent ?? 0) / 100, 0);
    this.ctx.reporter.progress(this.plan.phase, parts.join('; '), Math.min(1, (done + partly) / n), force);
  }

  /** How long no worker has held a trial of this run (0 while one does). */
  private idleFor(): number {
    return this.idleSince === null ? 0 : Date.now() - this.idleSince;
  }

  /**
   * Reads back the jobs not yet seen finishing (a safety net under the events), and whether a
   * worker holds each: with none held for `NO_WORKER_MS` (none started, or every worker gone,
   * handing its trial back or dying with it), the run says so and waits for one.
   */
  private async poll(): Promise<void> {
    for (const job of this.jobs.filter((j) => !j.done)) {
      if (this.finished) return;
      await this.readBack(job, null);
    }
    if (this.finished) return;
    if (this.jobs.some((j) => !j.done && j.held)) {
      this.idleSince = null;
      this.idleWarned = false;
      return;
    }
    this.idleSince ??= Date.now();
    if (this.idleFor() < NO_WORKER_MS) return;
    if (!this.idleWarned) {
      this.idleWarned = true;
      // Live workers busy with other runs' trials are no reason to "start one" (a user's second run read
      // that while the one worker ran the first run's): said as what they are.
      const alive = await aliveWorkersOn(this.control, null).catch(() => [] as string[]);
      this.busyElsewhere = alive.length;
      if (alive.length > 0) {
        const named = `${alive.slice(0, 5).join(', ')}${alive.length > 5 ? ', …' : ''}`;
        this.ctx.reporter.log('warn', `No worker has taken a trial of this run for ${NO_WORKER_MS / 1000} s: the ${alive.length === 1 ? 'live worker' : `${alive.length} live workers`} (${named}) ${alive.length === 1 ? 'is' : 'are'} busy with other runs' trials, or on another backend than this run's; its trials wait in the queue for one — or start more with lrlab worker --redis ${this.url.shown}.`);
      } else {
        const before = this.jobs.some((j) => j.worker !== null) ? ' (the workers that ran its trials are gone)' : '';
        this.ctx.reporter.log('warn', `No worker has taken a trial of this run for ${NO_WORKER_MS / 1000} s${before}, and none is running: start one with lrlab worker --redis ${this.url.shown} (the trials wait in the queue).`);
      }
    }
    this.report(true);
  }

  private fail(error: LrLabError): void {
    if (this.finished) return;
    void this.cancel().then(() => this.settle.reject(error));
  }

  /** Removes this run's queued jobs and tells workers to stop its running ones. */
  private async cancel(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (this.redisLost) return;
    await this.control.multi().del(aliveKey(this.runId)).publish(CANCEL_CHANNEL, this.runId).exec().catch(() => undefined);
    const queue = this.queue;
    if (queue !== null) await Promise.all(this.jobs.filter((j) => !j.done).map((j) => queue.remove(j.id).catch(() => 0)));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.unwatch();
    if (!this.finished) await this.cancel();
    if (!this.redisLost) await this.control.del(aliveKey(this.runId)).catch(() => undefined);
    const { events, queue } = this;
    await Promise.all([events === null ? undefined : closeQuietly(() => events.close()), queue === null ? undefined : closeQuietly(() => queue.close())]);
    this.control.disconnect();
  }
}
