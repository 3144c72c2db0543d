/**
 * Redis connections that fail within seconds instead of waiting forever (ioredis reconnects and
 * queues commands forever by default):
 * - every connection: a connect timeout, and a retry strategy that gives up once Redis has been
 *   unreachable for `GIVE_UP_MS` (the client then ends, which the watchdogs turn into an error);
 * - the control connection and BullMQ's Queue: no offline queue and one retry per command, so a
 *   command while Redis is away fails at once rather than waiting;
 * - BullMQ's Worker and QueueEvents (blocking connections): BullMQ itself sets
 *   `maxRetriesPerRequest: null` on them (docs.bullmq.io, "Going to production") and warns when
 *   given anything else, so we leave it out; their retry strategy is still bounded, and the
 *   control connection's watchdog ends the process's use of Redis when it gives up.
 */
import Redis from 'ioredis';
import { LrLabError } from '../../protocol/errors';
import type { RedisUrl } from './redisUrl';

/** One TCP (and TLS) connect attempt. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** Redis unreachable for this long: the client gives up and the run fails with the reason. */
export const GIVE_UP_MS = 5_000;
const RETRY_DELAY_MS = 250;

/** A retry strategy that retries every `RETRY_DELAY_MS` until Redis has been away for `GIVE_UP_MS`. */
function boundedRetry(): (times: number) => number | null {
  let firstFailure: number | null = null;
  return (times) => {
    const now = Date.now();
    if (times <= 1 || firstFailure === null) firstFailure = now;
    return now - firstFailure >= GIVE_UP_MS ? null : RETRY_DELAY_MS;
  };
}

/** The ioredis options we set (a subset both ioredis and BullMQ take). */
export interface ClientOptions {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: { readonly servername: string };
  readonly connectTimeout: number;
  readonly retryStrategy: (times: number) => number | null;
  readonly connectionName?: string;
  readonly enableOfflineQueue?: boolean;
  readonly maxRetriesPerRequest?: number;
}

function baseOptions(url: RedisUrl): ClientOptions {
  return {
    host: url.host,
    port: url.port,
    db: url.db,
    ...(url.username === undefined ? {} : { username: url.username }),
    ...(url.password === undefined ? {} : { password: url.password }),
    ...(url.tls ? { tls: { servername: url.host } } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: boundedRetry(),
  };
}

/** For the control client and BullMQ's Queue: commands fail at once while Redis is away. */
export function failFastOptions(url: RedisUrl, name: string): ClientOptions {
  return { ...baseOptions(url), enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: name };
}

/** For BullMQ's Worker and QueueEvents (blocking commands; BullMQ sets maxRetriesPerRequest: null). */
export function blockingOptions(url: RedisUrl, name: string): ClientOptions {
  return { ...baseOptions(url), connectionName: name };
}

/** Why a connection failed, in words, from ioredis's / Node's error. */
export function describeRedisError(error: unknown): string {
  const e = error as { code?: string; message?: string } | undefined;
  const message = e?.message ?? String(error);
  if (/WRONGPASS|invalid username-password|invalid password/i.test(message)) return 'the password (or user) is wrong';
  if (/NOAUTH|Authentication required/i.test(message)) return 'it requires a password and the URL has none';
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ETIMEDOUT':
      return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host is unreachable';
    default:
      break;
  }
  if (/ssl|tls|certificate|self.signed|wrong version number/i.test(message)) return `TLS failed: ${message.split('\n')[0] ?? message}`;
  return message.split('\n')[0] ?? message;
}

export function unreachable(url: RedisUrl, error: unknown, fix = 'Start redis-server there, or check --redis / lrlab.redisUrl: host, port, password, and redis:// for a plain port, rediss:// for a TLS one.'): LrLabError {
  return new LrLabError('redis', `Cannot reach Redis at ${url.shown}: ${describeRedisError(error)}.`, { option: 'redis', fix });
}

export function lost(url: RedisUrl, error: unknown): LrLabError {
  return new LrLabError('redis', `Lost Redis at ${url.shown}: ${describeRedisError(error)}, and still so after ${GIVE_UP_MS / 1000} s of retrying.`, {
    option: 'redis',
    fix: 'Restart redis-server (with persistence if queued trials must survive it), then run again.',
  });
}

/** A connected control client, or the reason it could not connect, within `CONNECT_TIMEOUT_MS`. */
export async function connectControl(url: RedisUrl, name: string): Promise<Redis> {
  const client = new Redis({ ...failFastOptions(url, name), lazyConnect: true });
  let lastError: Error = new Error('connection closed');
  try {
    await new Promise<void>((resolve, reject) => {
      // The first failure is the answer: refused, unknown host, wrong password, TLS mismatch (a
      // silent host is bounded by the connect timeout). Retrying is for a connection that was up.
      client.on('error', (error: Error) => {
        lastError = error;
        reject(error);
      });
      client.once('ready', () => resolve());
      client.once('end', () => reject(lastError));
      client.connect().catch((error: unknown) => {
        lastError = error instanceof Error ? error : new Error(String(error));
      });
    });
  } catch (error) {
    client.disconnect();
    throw unreachable(url, error);
  }
  return client;
}

/**
 * Calls `onLost` once when the client gives up reconnecting (Redis away for `GIVE_UP_MS`), with
 * the last error; returns a function that stops watching.
 */
export function watchConnection(client: Redis, onLost: (error: unknown) => void): () => void {
  let lastError: unknown = new Error('connection closed');
  let stopped = false;
  const onError = (error: unknown): void => {
    lastError = error;
  };
  const onEnd = (): void => {
    if (!stopped) onLost(lastError);
  };
  client.on('error', onError);
  client.once('end', onEnd);
  return () => {
    stopped = true;
    client.off('error', onError);
    client.off('end', onEnd);
  };
}

/** Closes something that talks to Redis without waiting long if Redis is gone. */
export async function closeQuietly(close: () => Promise<unknown>, ms = 1_500): Promise<void> {
  await Promise.race([close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

/** Connects and disconnects: a run with `--redis` fails on an unreachable Redis before it loads anything. */
export async function probeRedis(url: RedisUrl): Promise<void> {
  const client = await connectControl(url, 'lrlab-probe');
  client.disconnect();
}
