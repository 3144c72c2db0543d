/**
 * `lrlab worker`: takes trials from the queue, one at a time, until stopped. A trial runs in
 * this process with the same code as a local run (`executeTrial`), on this worker's backend,
 * with the model file the job shipped (evaluated as the submitter's path, so the same relative
 * data paths resolve on a shared or mirrored file system). The loaded model and data stay cached
 * between trials of one run, as they do locally.
 *
 * Liveness: a thread of its own beats on Redis (workerBeat.ts) from before the worker takes its
 * first trial until it stops; a run whose trial this worker holds learns within seconds when the
 * process dies, and the trial runs again elsewhere. A worker that loses a trial's lock while it lives
 * (stopped or starved past the lock, or taken for dead by its run) stops that trial at the next
 * renewal: the trial was queued again, and what it found could not be recorded.
 *
 * Stopping: `finish` waits for the current trial; `hand-back` stops it and puts it back in the
 * queue for another worker; Redis going away (or silent) for `GIVE_UP_MS` ends the worker with
 * the reason. Its trial is then left unfinished: when its run still reaches Redis (only this
 * worker's connection broke) its alive key is deleted (or expires), the run frees the trial and
 * another worker runs it; when Redis itself was away the run has failed too, and a worker that
 * takes the trial later finds the run gone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Job } from 'bullmq';
import { UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { LrLabError, formatError } from '../../protocol/errors';
import type { ModelBundle } from '../../protocol/requests';
import type { BackendChoice, WorkerInfo } from '../../protocol/results';
import { thrownText, toLrLabError } from '../errorMapping';
import { catchStrayErrors } from '../strayErrors';
import { locateUserFrame } from '../userFrames';
import { executeTrial } from '../experiments/trials';
import { registerShippedBundle } from '../modelFile';
import type { ReporterSink } from '../reporter';
import { Reporter } from '../reporter';
import { dataFingerprint, engineBackend, keepOnlyModel, loadForRun } from '../session';
import { blockingOptions, closeQuietly, connectControl, describeRedisError, redisFix, watchConnection } from './connection';
import type { TrialJobData, TrialJobResult, TrialProgress } from './jobs';
import { engineKilledBy } from '../../protocol/engineCrash';
import { BUNDLE_TTL_S, aliveWorkersOn, lockMs, stalledCheckMs, CANCEL_CHANNEL, HEARTBEAT_MS, JOB_FORMAT, KEY_PREFIX, MAX_STALLED, QUEUE_NAME, aliveKey, bundleKey, encodeFailure, engineKilledKey, oneLine, workerAliveKey } from './jobs';
import { parseJobData, parseModelBundle } from './jobSchema';
import { readLarge } from './largeValue';
import { describeWorker, describeThisWorker } from './pool';
import type { RedisUrl } from './redisUrl';
import { packageNameOf } from './shipModel';
import { WorkerBeat } from './workerBeat';

export type StopMode = 'finish' | 'hand-back';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Active {
  readonly runId: string;
  /** The BullMQ job's id (`lockRenewalFailed` names jobs by it), and this attempt's lock token. */
  readonly jobId: string;
  readonly token: string | undefined;
  readonly controller: AbortController;
  /**
   * Why the trial was stopped: its run cancelled it (a message on the cancel channel), its run's
   * heartbeat key is gone (the run ended, died, or Redis lost its keys), the worker hands it back,
   * Redis is gone, or its lock could not be renewed (the trial was freed and queued again: another
   * worker runs it).
   */
  stoppedBy: 'cancelled' | 'run-ended' | 'hand-back' | 'redis' | 'lock' | 'stray' | null;
  /** What the model's code threw outside the calls LR Lab awaits during the trial (strayErrors.ts), once it has. */
  stray?: { readonly error: unknown; readonly how: string };
  /** Settles the trial's wait on its code at once when that code threw outside it (the trial may never settle). */
  strayed?: () => void;
}

/** Sends a job's progress events in order; a failure to send never fails the trial. */
class ProgressChannel {
  private chain: Promise<void> = Promise.resolve();
  constructor(
    private readonly job: Job,
    private readonly worker: string,
  ) {}

  send(event: TrialProgress): Promise<void> {
    this.chain = this.chain.then(() => this.job.updateProgress(event)).catch(() => undefined);
    return this.chain;
  }

  readonly sink: ReporterSink = {
    progress: (p) => void this.send({ t: 'progress', w: this.worker, message: p.message, fraction: p.fraction }),
    append: (a) => void this.send({ t: 'points', w: this.worker, series: a.series, points: a.points }),
    log: () => undefined,
  };

  drain(): Promise<void> {
    return this.chain;
  }
}

/**
 * Words for a failure on a worker that name the worker and what it lacks: a data path that
 * exists on the submitter only, or a package the job could not carry.
 */
export function explainOnWorker(error: LrLabError, worker: string, model: string, external: readonly string[]): LrLabError {
  const cause = (error.cause ?? {}) as { code?: unknown; path?: unknown };
  if (cause.code === 'ENOENT' && typeof cause.path === 'string') {
    // A relative path resolves against the folder the worker's trial runs in (the model file's folder where
    // the worker has it, else the one it started in), and an environment variable is the worker's own: "a
    // worker reads the same path as the machine that started the run" was false for both.
    const relative = !path.isAbsolute(cause.path);
    const where = relative ? `, resolved against ${process.cwd()} on the worker (the model file's folder where the worker has it, else the folder it started in)` : '';
    return new LrLabError('data', `Worker ${worker} cannot read ${cause.path}${where}: loadData() reads it from disk on the worker, at the path it names there (and process.env is the worker's own).`, {
      file: model,
      // An ES module has no __dirname: its way to a file beside it is import.meta.url.
      fix: `Make the data exist at that path on every worker (a shared or synced folder)${relative ? `, giving loadData() an absolute path (${/\.m[jt]s$/i.test(model) ? "fileURLToPath(new URL('data.csv', import.meta.url))" : 'path.join(__dirname, …)'} for a file beside the model)` : ''}, or have loadData() fetch it from a URL.`,
    });
  }
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(error.message)?.[1];
  if (missing !== undefined && !missing.startsWith('.') && !path.isAbsolute(missing)) {
    const name = packageNameOf(missing);
    const why = external.includes(name) ? 'it has native code, so the job does not carry it' : 'the model loads it at run time (a require the bundler cannot see), so the job does not carry it';
    return new LrLabError('model-file', `Worker ${worker} cannot load the package '${name}' that the model file needs: ${why}, and it is not installed where ${model} would find it on the worker.`, {
      file: model,
      fix: `Install ${name} on the worker, in a node_modules folder above ${path.dirname(model)} (or in a folder on NODE_PATH).`,
    });
  }
  if (error.message.includes(worker)) return error;
  return new LrLabError(error.code, `On worker ${worker}: ${error.message}`, { ...(error.fix === null ? {} : { fix: error.fix }), ...(error.file === null ? {} : { file: error.file }), ...(error.line === null ? {} : { line: error.line }), ...(error.option === null ? {} : { option: error.option }) });
}

/** How long a worker waits, after leaving a trial for a worker on the backend it asks for, before it takes one again. */
const PASS_ON_MS = 1_000;

export class TrialWorker {
  private bull: Worker | null = null;
  private beat: WorkerBeat | null = null;
  private active: Active | null = null;
  /** The run whose trials this worker ran last: its model and data stay loaded for that run only. */
  private lastRunId: string | null = null;
  private stopping: Promise<void> | null = null;
  private unwatch: (() => void)[] = [];
  private readonly bundles = new Map<string, ModelBundle>();
  /** Trials this worker left in the queue for a worker on the backend they ask for (each said once). */
  private readonly passedOn = new Set<string>();
  private exit: (code: number) => void = () => undefined;
  /** The worker's exit code once it has stopped. */
  readonly exited: Promise<number> = new Promise((resolve) => {
    this.exit = resolve;
  });

  private constructor(
    readonly info: WorkerInfo,
    private readonly url: RedisUrl,
    private readonly backend: BackendChoice,
    private readonly control: Redis,
    private readonly subscriber: Redis,
    private readonly log: (line: string) => void,
  ) {}

  static async start(url: RedisUrl, backend: BackendChoice, log: (line: string) => void): Promise<TrialWorker> {
    // Redis first: an unreachable one is reported before seconds go into starting tfjs.
    const name = `lrlab-worker:${os.hostname()}:${process.pid}`;
    const control = await connectControl(url, name);
    const clients = [control];
    let worker: TrialWorker | undefined;
    try {
      clients.push(await connectControl(url, `${name}:cancel`));
      const described = describeThisWorker(await engineBackend({ model: path.join(process.cwd(), 'lrlab-worker'), backend }));
      // host:pid is not unique across containers (--network host, lrlab as PID 1: two workers were both
      // "vm:1", one entry in `workers`, and one's death went unseen until its lock expired): a live
      // worker of that name already beating gets this one a suffix of its own.
      const taken = (await control.exists(workerAliveKey(described.id))) === 1;
      const info = taken ? { ...described, id: `${described.id}~${randomBytes(2).toString('hex')}` } : described;
      worker = new TrialWorker(info, url, backend, control, clients[1]!, log);
      await worker.listen();
      return worker;
    } catch (error) {
      // Watchers off before the clients close: their 'end' would else say Redis was lost mid-trial.
      for (const stop of worker?.unwatch ?? []) stop();
      for (const client of clients) client.disconnect();
      // A command Redis refused (an ACL user without 'subscribe') is one line about Redis, not an internal error.
      throw error instanceof LrLabError ? error : new LrLabError('redis', `Redis at ${url.shown} refused the worker: ${describeRedisError(error)}.`, { option: 'redis', fix: redisFix(error, 'Check that server (redis-server 6.2 or newer, maxmemory-policy noeviction), then start the worker again.') });
    }
  }

  /**
   * The model's code threw outside the calls LR Lab awaits (strayErrors.ts): the trial running fails
   * saying so and the worker goes on; between trials (a timer of the last trial's model) it is said and
   * dropped. One such model ended every worker process of the pool, and its run waited for a worker forever.
   */
  private onStray(error: unknown, how: string): boolean {
    const active = this.active;
    if (active !== null && active.stoppedBy === null) {
      active.stray = { error, how };
      this.halt('stray');
      active.strayed?.();
      return true;
    }
    // Between trials: a model's timer that outlived its trial, where the stack shows the model; else said as it is.
    const at = locateUserFrame(error);
    const who = at === null ? 'an error was thrown' : `the model of an earlier trial threw (${at.file}:${at.line})`;
    this.log(`lrlab worker ${this.info.id}: ${who} ${how}, with no trial running: ${oneLine(thrownText(error), 300)}; ignored`);
    return true;
  }

  private async listen(): Promise<void> {
    const { info, url } = this;
    catchStrayErrors((error, how) => this.onStray(error, how));
    this.unwatch = [this.control, this.subscriber].map((client) => watchConnection(client, (error) => this.lostRedis(error)));
    this.subscriber.on('message', (_channel: string, runId: string) => {
      if (this.active?.runId === runId) this.halt('cancelled');
    });
    await this.subscriber.subscribe(CANCEL_CHANNEL);
    // Beating before the first trial is taken: a run that sees this worker hold a trial can tell whether it lives.
    // A beat that lost Redis is this worker losing it (said in the same words as its own connections').
    this.beat = await WorkerBeat.start(url, info.id, info.backend, (reason) => this.lostRedis(new Error(reason)));
    try {
      const bull = new Worker(QUEUE_NAME, (job, token) => this.process(job, token), {
        connection: blockingOptions(url, `lrlab-worker:${info.id}`),
        prefix: KEY_PREFIX,
        concurrency: 1,
        lockDuration: lockMs(),
        stalledInterval: stalledCheckMs(),
        maxStalledCount: MAX_STALLED,
        name: info.id,
        autorun: false,
      });
      this.bull = bull;
      bull.on('error', (error) => {
        if (process.env['LRLAB_DEBUG'] !== undefined) this.log(`redis (worker): ${error.message}`);
      });
      // The trial's lock is gone (this worker was stopped or starved past it, or its run took it for
      // dead and freed it): another worker runs it, and nothing this one finds would be recorded.
      // Training on only took that worker's CPU and this worker's next trial; it stops at once.
      // A renewal sent with an earlier attempt's token can fail just after this worker took the same
      // job again: the trial stops only if the lock (BullMQ's `<prefix>:<queue>:<id>:lock`) is not this attempt's.
      bull.on('lockRenewalFailed', (jobIds: string[]) => {
        const active = this.active;
        if (active === null || !jobIds.includes(active.jobId)) return;
        this.control.get(`${KEY_PREFIX}:${QUEUE_NAME}:${active.jobId}:lock`).then(
          (holder) => {
            if (this.active === active && (active.token === undefined || holder !== active.token)) this.halt('lock');
          },
          () => undefined, // Redis itself failing is the connection watchers' to say
        );
      });
      await bull.waitUntilReady();
      void bull.run().catch((error: unknown) => this.log(`lrlab worker ${info.id}: ${describeRedisError(error)}`));
    } catch (error) {
      await this.beat.stop();
      await this.bull?.close().catch(() => undefined);
      throw error;
    }
    this.log(`lrlab worker ${describeWorker(info)}; taking trials from ${url.shown}`);
  }

  private async process(job: Job, token: string | undefined): Promise<TrialJobResult> {
    // Whoever can write to Redis can add a job: its data is checked before anything reads it.
    const raw = job.data as unknown;
    const id = oneLine(String(job.id), 100);
    const said = isRecord(raw) && isRecord(raw['trial']) && typeof raw['trial']['label'] === 'string' ? oneLine(raw['trial']['label'], 100) : '';
    const label = said === '' ? `job ${id}` : said;
    const fail = (error: LrLabError): UnrecoverableError => {
      this.log(`trial ${label}: failed: ${formatError(error.toData())}`);
      return new UnrecoverableError(encodeFailure(error));
    };
    const fix = `Run the same LR Lab version on the machine that starts runs and on the workers, and let nothing but lrlab add jobs to ${KEY_PREFIX}:${QUEUE_NAME}.`;
    if (isRecord(raw) && raw['format'] !== JOB_FORMAT) {
      throw fail(new LrLabError('internal', `Worker ${this.info.id} reads trial jobs of format ${JOB_FORMAT}; job ${id} has format ${oneLine(String(raw['format']), 40)}.`, { fix: 'Run the same LR Lab version on the machine that starts runs and on the workers.' }));
    }
    let data: TrialJobData;
    try {
      data = parseJobData(raw);
    } catch (error) {
      throw fail(new LrLabError('internal', `Worker ${this.info.id} cannot run job ${id}: it is not a trial job (${oneLine(error instanceof Error ? error.message : String(error), 300)}).`, { fix }));
    }
    if ((await this.control.exists(aliveKey(data.runId))) === 0) {
      throw fail(new LrLabError('cancelled', `The run that queued trial ${label} is gone (cancelled, or its lrlab stopped); dropped.`));
    }
    const asked = data.source.backend ?? 'auto';
    if (asked !== 'auto' && asked !== this.info.backend) {
      // Another worker that beats on the asked backend takes it: the trial goes back to the queue, and this
      // worker waits a moment before it takes a trial again, so that an idle one gets it first.
      const others = await aliveWorkersOn(this.control, asked);
      if (others.length === 0) {
        throw fail(new LrLabError('backend', `Worker ${this.info.id} runs the ${this.info.backend} backend; this run asked for --backend ${asked}, and no worker on ${this.url.shown} runs it.`, { option: 'backend', fix: `Start a worker with --backend ${asked}, or run without --backend to take any worker's backend.` }));
      }
      if (!this.passedOn.has(id)) {
        if (this.passedOn.size >= 1_000) this.passedOn.clear();
        this.passedOn.add(id);
        this.log(`trial ${label}: asks for --backend ${asked} (this worker runs ${this.info.backend}): left in the queue for ${others.length === 1 ? 'the worker' : 'the workers'} on ${asked} (${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''})`);
      }
      await job.moveToWait(token);
      await new Promise((resolve) => setTimeout(resolve, PASS_ON_MS));
      throw new WaitingError();
    }
    const active: Active = { runId: data.runId, jobId: String(job.id), token, controller: new AbortController(), stoppedBy: null };
    this.active = active;
    const watch = setInterval(() => {
      this.control.exists(aliveKey(data.runId)).then((n) => n === 0 && this.halt('run-ended'), () => undefined);
    }, HEARTBEAT_MS);
    try {
      const shipped = data.bundle === null ? undefined : await this.bundle(data.bundle);
      if (shipped !== undefined) registerShippedBundle(shipped);
      else for (const file of [data.source.model, data.source.data]) if (file !== undefined && !existsSync(file)) throw new LrLabError('data', `Worker ${this.info.id} has no ${file}: a model.json and its CSV are read from disk, at the same path on every worker.`, { file, fix: 'Put them at that path on the worker (a shared or synced folder).' });
      const source = { ...data.source, backend: this.backend };
      // The model and data are kept between the trials of one run only: another run loads them again.
      if (data.runId !== this.lastRunId) await keepOnlyModel(null);
      this.lastRunId = data.runId;
      await keepOnlyModel(source);
      const channel = new ProgressChannel(job, this.info.id);
      void channel.send({ t: 'start', worker: this.info }); // in order before its points (one chain), without waiting for it
      this.log(`trial ${label} (${data.trial.kind}) of run ${data.runId.slice(0, 8)} from ${data.submitter}: started`);
      const reporter = new Reporter(String(job.id), channel.sink);
      let value: unknown;
      const started = performance.now();
      // The model's code calling process.exit would end this worker (its pool's, and the run waiting
      // on it, with no word of why): during the trial it throws instead, and the trial fails saying so.
      const exit = process.exit.bind(process);
      process.exit = (code?: number | string | null): never => {
        throw new LrLabError('model-file', `the model file (or a library it uses) called process.exit(${code ?? ''}) during the trial`, { file: data.source.model, fix: 'Throw an error instead of calling process.exit in the model file: a worker runs other trials after this one.' });
      };
      try {
        // Raced against a stray error of the model's (onStray): the trial's own promise may never settle then.
        const strayed = new Promise<never>((_resolve, reject) => {
          active.strayed = () => reject(new LrLabError('cancelled', 'stopped'));
        });
        const trialCtx = { reporter, signal: active.controller.signal };
        const run = async (): Promise<unknown> => {
          // The data it trains on, for its run to compare with its own (a batch size loads in an engine of its own).
          if (data.trial.kind !== 'batch-size') void channel.send({ t: 'data', w: this.info.id, ...dataFingerprint(await loadForRun(source, trialCtx)) });
          return executeTrial(data.trial, source, trialCtx, shipped);
        };
        value = await Promise.race([run(), strayed]);
      } finally {
        process.exit = exit;
        reporter.flush();
        await channel.drain();
      }
      if (active.controller.signal.aborted) throw new LrLabError('cancelled', 'stopped');
      // The trial's own time (what a local run spends on it); the bench subtracts it to get the dispatch overhead.
      this.log(`trial ${label}: done in ${((performance.now() - started) / 1000).toFixed(3)} s`);
      return { value, worker: this.info };
    } catch (thrown) {
      if (thrown instanceof UnrecoverableError) throw thrown;
      if (active.stoppedBy === 'hand-back') {
        await job.moveToWait(token);
        this.log(`trial ${label}: handed back to the queue`);
        throw new WaitingError();
      }
      // Without Redis nothing can be recorded: the job's lock expires (see the header).
      if (active.stoppedBy === 'redis') throw new Error('lost Redis');
      // Without the lock nothing can be recorded either (BullMQ refuses to move a job it does not hold);
      // the stalled check queues the trial again (possibly to this worker), fails it after MAX_STALLED, or a cancelled run removed it.
      if (active.stoppedBy === 'lock') {
        this.log(`trial ${label}: stopped — its lock is gone (this worker was stopped or starved past ${lockMs() / 1000} s, or its run took it for dead): another worker may hold the trial, or its run dropped it; nothing this worker finds can be recorded`);
        throw new Error('lost its lock');
      }
      if (active.stoppedBy === 'cancelled') throw fail(new LrLabError('cancelled', `Trial ${label} was cancelled by the run that queued it (cancelled, failed, or its lrlab stopped).`));
      if (active.stoppedBy === 'stray' && active.stray !== undefined) {
        const at = locateUserFrame(active.stray.error);
        const message = oneLine(thrownText(active.stray.error), 500);
        throw fail(new LrLabError('model-file', `the model file (or a library it uses) threw ${active.stray.how} during the trial: ${message}`, { file: at?.file ?? data.source.model, ...(at === null ? {} : { line: at.line }), fix: 'Await what loadData() and createModel() start, or catch errors in their timers and callbacks: a worker runs other trials after this one (run it without --redis to see it fail the same way).' }));
      }
      // The run's heartbeat key is gone: a run that finished (another worker ran this trial while this one
      // was stopped past its lock), one killed outright, or a Redis that restarted without its keys.
      if (active.stoppedBy === 'run-ended') throw fail(new LrLabError('cancelled', `Trial ${label} stopped: the run that queued it has ended (it finished — another worker may have run this trial meanwhile — or its lrlab stopped or was killed), or Redis lost the run's keys.`));
      // Its engine killed by a signal (the out-of-memory killer picks the engine, the largest process; a
      // kill -9): as a worker that dies, the trial goes back to the queue, up to MAX_STALLED + 1 times in
      // all (counted on Redis, whichever worker it was). It failed at once, and its study with it.
      const killedBy = engineKilledBy(thrown);
      if (killedBy !== null) {
        const key = engineKilledKey(active.jobId);
        const times = await this.control.incr(key);
        await this.control.expire(key, BUNDLE_TTL_S);
        if (times <= MAX_STALLED) {
          await job.moveToWait(token);
          this.log(`trial ${label}: its engine was killed (${killedBy}: the system's out-of-memory killer, or another process); handed back to the queue (${times} of ${MAX_STALLED + 1} times)`);
          throw new WaitingError();
        }
      }
      throw fail(explainOnWorker(toLrLabError(thrown), this.info.id, data.source.model, data.bundle === null ? [] : (this.bundles.get(data.bundle)?.external ?? [])));
    } finally {
      clearInterval(watch);
      this.active = null;
    }
  }

  private async bundle(hash: string): Promise<ModelBundle> {
    const cached = this.bundles.get(hash);
    if (cached !== undefined) return cached;
    const text = await readLarge(this.control, bundleKey(hash));
    if (text === null) {
      throw new LrLabError('redis', `Worker ${this.info.id} found no model bundle ${hash.slice(0, 12)} on ${this.url.shown} (bundles expire ${BUNDLE_TTL_S / 3600} h after their run queued them).`, { fix: 'Run the experiment again.' });
    }
    let shipped: ModelBundle;
    try {
      shipped = parseModelBundle(text, hash);
    } catch (error) {
      throw new LrLabError('redis', `Worker ${this.info.id} found the model bundle ${hash.slice(0, 12)} on ${this.url.shown} damaged (${oneLine(error instanceof Error ? error.message : String(error), 300)}).`, { fix: 'Run the experiment again; let nothing but lrlab write lrlab:bundle keys.' });
    }
    this.bundles.clear(); // one model at a time, like the loaded model cache
    this.bundles.set(hash, shipped);
    return shipped;
  }

  /** Stops the running trial (the first reason given is the one acted on). */
  private halt(reason: NonNullable<Active['stoppedBy']>): void {
    const active = this.active;
    if (active === null || active.stoppedBy !== null) return;
    active.stoppedBy = reason;
    active.controller.abort();
  }

  /** Stops taking trials; `finish` lets the current one end, `hand-back` returns it to the queue. */
  stop(mode: StopMode): Promise<void> {
    if (mode === 'hand-back') this.halt('hand-back');
    this.stopping ??= (async () => {
      const bull = this.bull;
      if (bull !== null) await bull.close();
      await this.release();
      this.exit(0);
    })();
    return this.stopping;
  }

  private lostRedis(error: unknown): void {
    if (this.stopping !== null) return;
    this.stopping = Promise.resolve();
    // Its trial may have ended here and still not be recorded: said whether or not one is running.
    this.log(`lrlab worker ${this.info.id}: lost Redis at ${this.url.shown}: ${describeRedisError(error)}; stopping. A trial it was running is left unfinished: it runs again on another worker if its run still reaches Redis, else that run fails too. Start lrlab worker again once Redis is back.`);
    this.halt('redis');
    void (async () => {
      const bull = this.bull;
      if (bull !== null) await closeQuietly(() => bull.close(true), 1_000);
      await this.release('abandon');
      this.exit(1);
    })();
  }

  /** `abandon`: a trial may be left unfinished here (Redis lost), and its run should free it at once (`WorkerBeat.stop`). */
  private async release(how: 'stop' | 'abandon' = 'stop'): Promise<void> {
    for (const stop of this.unwatch) stop();
    await this.beat?.stop(how);
    await closeQuietly(() => this.subscriber.quit(), 500);
    await closeQuietly(() => this.control.quit(), 500);
    this.subscriber.disconnect();
    this.control.disconnect();
  }
}
