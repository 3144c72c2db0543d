/**
 * A worker's heartbeat, from a thread of its own (`dist/workerBeat.js`, entry `beatThread.ts`):
 * every `WORKER_BEAT_MS` it refreshes the worker's alive key (its value: the worker's backend) on a connection of its own. In the
 * worker's own event loop a beat would wait for whatever the trial is doing (a training step, a
 * synchronous part of loadData() blocks it for seconds), and a run would take a busy worker for a
 * dead one; the thread beats whatever the trial does and stops only with the process (killed, out
 * of memory, its machine gone) or its Redis connection. A run reads the keys (submit.ts); a clean
 * stop deletes them, so a worker that stopped on purpose is never taken for dead.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LrLabError } from '../../protocol/errors';
import type { RedisUrl } from './redisUrl';

/** What starts the thread (`beatThread.ts` reads it). */
export interface BeatData {
  readonly lrlabWorkerBeat: true;
  /** The Redis URL as given (with its password: it never leaves the process). */
  readonly url: string;
  /** The worker's id (`host:pid`), whose keys it refreshes. */
  readonly id: string;
  /** The backend the worker trains on: its alive key's value, read by a worker handed a trial that asks for another one. */
  readonly backend: string;
}

/** What the thread tells the worker: its first beat is on Redis, it could not start, or it lost Redis. */
export type BeatMessage = { readonly t: 'ready' } | { readonly t: 'failed' | 'lost'; readonly reason: string };

/** `dist/workerBeat.js`: next to the engine bundle, or in dist/ of the checkout when running from source. */
function beatScript(): string {
  const dir = path.basename(__filename) === 'engine.js' ? __dirname : path.join(__dirname, '..', '..', '..', 'dist');
  const file = path.join(dir, 'workerBeat.js');
  if (!existsSync(file)) throw new LrLabError('internal', `The worker's heartbeat script ${file} is missing.`, { fix: 'Run npm run build.' });
  return file;
}

export class WorkerBeat {
  private constructor(private readonly thread: Worker) {}

  /**
   * The thread, once its first beat is on Redis (a worker takes no trial before a run can see
   * it beat). `onLost`: the thread lost Redis and beats no more — the worker cannot keep a trial.
   */
  static async start(url: RedisUrl, id: string, backend: string, onLost: (reason: string) => void): Promise<WorkerBeat> {
    const data: BeatData = { lrlabWorkerBeat: true, url: url.raw, id, backend };
    const thread = new Worker(beatScript(), { workerData: data });
    thread.unref();
    await new Promise<void>((resolve, reject) => {
      let started = false;
      thread.on('message', (message: BeatMessage) => {
        if (message.t === 'ready') {
          started = true;
          resolve();
        } else if (!started) reject(new LrLabError('redis', `The worker's heartbeat could not reach Redis at ${url.shown}: ${message.reason}.`, { option: 'redis' }));
        else onLost(message.reason);
      });
      thread.once('error', (error) => (started ? onLost(error.message) : reject(error)));
      thread.once('exit', () => reject(new LrLabError('internal', "The worker's heartbeat thread ended before its first beat.")));
    });
    return new WorkerBeat(thread);
  }

  /**
   * Ends the thread. `stop`: a clean stop, both keys deleted (no run takes the worker for dead; it
   * holds no trial). `abandon`: the worker leaves a trial it could not finish (it lost Redis), so
   * only the alive key goes: a run that still reaches Redis frees that trial at its next poll.
   */
  async stop(how: 'stop' | 'abandon' = 'stop'): Promise<void> {
    const ended = new Promise<void>((resolve) => this.thread.once('exit', () => resolve()));
    this.thread.postMessage(how);
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    await this.thread.terminate();
  }
}
