/**
 * Entry of `dist/workerBeat.js`: the thread of workerBeat.ts. Connects to the worker's Redis on a
 * connection of its own, writes both of the worker's keys every `WORKER_BEAT_MS` (the alive key's value is
 * the worker's backend; the first
 * write answers 'ready'), and on 'stop' deletes them and ends ('abandon': the alive key only, see
 * `WorkerBeat.stop`). A connection that fails (Redis
 * away for `GIVE_UP_MS`, or silent) is reported as 'lost': the worker then stops as it does when
 * its own connection fails.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Redis from 'ioredis';
import { closeQuietly, connectControl, describeRedisError, watchConnection } from './connection';
import { WORKER_BEAT_MS, WORKER_BEAT_TTL_MS, WORKER_SEEN_TTL_MS, workerAliveKey, workerKey } from './jobs';
import { parseRedisUrl } from './redisUrl';
import type { BeatData, BeatMessage } from './workerBeat';

function say(message: BeatMessage): void {
  parentPort?.postMessage(message);
}

async function beat(data: BeatData): Promise<void> {
  let client: Redis;
  try {
    client = await connectControl(parseRedisUrl(data.url), `lrlab-worker:${data.id}:beat`);
  } catch (error) {
    say({ t: 'failed', reason: error instanceof Error ? error.message : String(error) });
    return;
  }
  const write = async (): Promise<void> => {
    await client.multi().set(workerKey(data.id), '1', 'PX', WORKER_SEEN_TTL_MS).set(workerAliveKey(data.id), data.backend, 'PX', WORKER_BEAT_TTL_MS).exec();
  };
  let stopped = false;
  let busy = false;
  const stop = async (how: 'stop' | 'abandon' | 'lost'): Promise<void> => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    unwatch();
    if (how !== 'lost') await closeQuietly(() => client.del(...(how === 'stop' ? [workerKey(data.id)] : []), workerAliveKey(data.id)), 500);
    client.disconnect();
    parentPort?.close();
  };
  // A beat still waiting for its answer is not doubled; a failed one is the watchdog's to judge.
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    write().then(() => (busy = false), () => (busy = false));
  }, WORKER_BEAT_MS);
  const unwatch = watchConnection(client, (error) => {
    say({ t: 'lost', reason: describeRedisError(error) });
    void stop('lost');
  });
  parentPort?.on('message', (message: unknown) => {
    if (message === 'stop' || message === 'abandon') void stop(message);
  });
  try {
    await write();
  } catch (error) {
    say({ t: 'failed', reason: describeRedisError(error) });
    await stop('lost');
    return;
  }
  say({ t: 'ready' });
}

const data = workerData as Partial<BeatData> | null;
if (data?.lrlabWorkerBeat === true && typeof data.url === 'string' && typeof data.id === 'string' && typeof data.backend === 'string') void beat(data as BeatData);
