/**
 * Redis connections that fail within seconds instead of waiting forever (ioredis reconnects and
 * queues commands forever by default, and waits forever for an answer):
 * - every connection: a connect timeout, and a retry strategy that gives up once Redis has been
 *   unreachable for `GIVE_UP_MS` (the client then ends, which the watchdogs turn into an error);
 * - the control connection and BullMQ's Queue: no offline queue, one retry per command, and an
 *   answer within `COMMAND_TIMEOUT_MS` (ioredis `commandTimeout`), so a command while Redis is
 *   away, or to a peer that went silent, fails rather than waits;
 * - a control connection is ready only once the server has answered its handshake (AUTH, SELECT,
 *   INFO) within `COMMAND_TIMEOUT_MS` (`connectControl`): a port that accepts TCP but never
 *   answers, or answers with something that is not Redis, is an error, not a hang;
 * - BullMQ's Worker and QueueEvents (blocking connections): BullMQ itself sets
 *   `maxRetriesPerRequest: null` on them (docs.bullmq.io, "Going to production") and warns when
 *   given anything else, so we leave it out; they get no `commandTimeout` either (it would cut
 *   their blocking reads, which wait up to 10 s for a job or an event, as timeouts). Their retry
 *   strategy is still bounded, and the control connection's watchdog (which also pings it, with
 *   the command timeout) ends the process's use of Redis when Redis goes away or goes silent.
 */
import { isIP } from 'node:net';
import Redis from 'ioredis';
import { LrLabError } from '../../protocol/errors';
import type { RedisUrl } from './redisUrl';
import { REDIS_URL_ENV } from './redisUrl';

/** One TCP (and TLS) connect attempt. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** Redis unreachable for this long: the client gives up and the run fails with the reason. */
export const GIVE_UP_MS = 5_000;
/**
 * The longest wait for the answer to one (non-blocking) command, and for the handshake after the
 * connect: a peer that accepts TCP but never answers fails within it. A value of megabytes (the
 * model bundle) crosses as pieces of about a second each (largeValue.ts), so no command waits long
 * for its own payload and this holds for every command.
 */
export const COMMAND_TIMEOUT_MS = 5_000;
/** How often a watched connection is pinged (a silent peer is noticed within this plus the command timeout). */
const PING_MS = 1_500;
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
  readonly tls?: { readonly servername?: string };
  readonly connectTimeout: number;
  readonly retryStrategy: (times: number) => number | null;
  readonly connectionName?: string;
  readonly enableOfflineQueue?: boolean;
  readonly maxRetriesPerRequest?: number;
  readonly commandTimeout?: number;
}

function baseOptions(url: RedisUrl): ClientOptions {
  return {
    host: url.host,
    port: url.port,
    db: url.db,
    ...(url.username === undefined ? {} : { username: url.username }),
    ...(url.password === undefined ? {} : { password: url.password }),
    // SNI names a host, never an address (RFC 6066): Node warns (DeprecationWarning, two lines before the
    // one-line error) when given one. An address is still checked against the certificate's IP names.
    ...(url.tls ? { tls: isIP(url.host.replace(/^\[|\]$/g, '')) === 0 ? { servername: url.host } : {} } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: boundedRetry(),
  };
}

/** For the control client and BullMQ's Queue: commands fail at once while Redis is away, and when no answer comes. */
export function failFastOptions(url: RedisUrl, name: string): ClientOptions {
  return { ...baseOptions(url), enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS, connectionName: name };
}

/** For BullMQ's Worker and QueueEvents (blocking commands; BullMQ sets maxRetriesPerRequest: null; no command timeout). */
export function blockingOptions(url: RedisUrl, name: string): ClientOptions {
  return { ...baseOptions(url), connectionName: name };
}

/** A connection that connected but got no answer in time (the handshake, or a command). */
class NoAnswerError extends Error {
  readonly code = 'LRLAB_NO_ANSWER';
  constructor() {
    super(`no answer within ${COMMAND_TIMEOUT_MS / 1000} s`);
    this.name = 'NoAnswerError';
  }
}

/** ioredis's `commandTimeout` error (or ours): the peer took the command and never answered. */
function isNoAnswer(error: unknown): boolean {
  return error instanceof NoAnswerError || (error instanceof Error && /Command timed out/.test(error.message));
}

/** The first error among a MULTI's replies (ioredis answers `[error, value]` per command), or null. */
export function failedReply(replies: readonly [Error | null, unknown][] | null): Error | null {
  return replies?.find(([error]) => error !== null)?.[0] ?? null;
}

/** Why a connection failed, in words, from ioredis's / Node's error. */
export function describeRedisError(error: unknown): string {
  const e = error as { code?: string; message?: string } | undefined;
  const message = e?.message ?? String(error);
  if (isNoAnswer(error)) return `no answer within ${COMMAND_TIMEOUT_MS / 1000} s`;
  if (/WRONGPASS|invalid username-password|invalid password/i.test(message)) return 'the password (or user) is wrong';
  if (/NOAUTH|Authentication required/i.test(message)) return 'it requires a password and the URL has none';
  // An ACL user short of a command LR Lab (BullMQ) needs: it read "internal error: NOPERM … (please report it)".
  const noPerm = /NOPERM[^']*'([^']+)'/.exec(message);
  if (noPerm !== null || /NOPERM/.test(message)) return `its user has no permission to run ${noPerm === null ? 'a command' : `the '${noPerm[1]}' command`} LR Lab needs`;
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
  // ioredis's parser on a peer that speaks another protocol (an HTTP server answered '<': "Unknown RESP type 60 … Please report this").
  const resp = /Unknown RESP type (\d+)/.exec(message);
  if (resp !== null) {
    const byte = Number(resp[1]);
    const shown = byte >= 32 && byte < 127 ? `'${String.fromCharCode(byte)}'` : `byte ${byte}`;
    return `what answered is not a Redis server (its reply began with ${shown}${byte === 60 || byte === 72 ? ', as an HTTP server\'s does' : ''})`;
  }
  return message.split('\n')[0] ?? message;
}

export function unreachable(url: RedisUrl, error: unknown, fix = `Start redis-server there, or check --redis / lrlab.redisUrl (a worker given no --redis: ${REDIS_URL_ENV}): host, port, password, and redis:// for a plain port, rediss:// for a TLS one.`): LrLabError {
  const why = isNoAnswer(error) ? `it accepted the connection but sent no Redis answer within ${COMMAND_TIMEOUT_MS / 1000} s (is a Redis server listening there, and is it stopped or overloaded?)` : describeRedisError(error);
  return new LrLabError('redis', `Cannot reach Redis at ${url.shown}: ${why}.`, { option: 'redis', fix });
}

export function lost(url: RedisUrl, error: unknown): LrLabError {
  const why = isNoAnswer(error) ? `it stopped answering (no answer within ${COMMAND_TIMEOUT_MS / 1000} s)` : `${describeRedisError(error)}, and still so after ${GIVE_UP_MS / 1000} s of retrying`;
  return new LrLabError('redis', `Lost Redis at ${url.shown}: ${why}.`, {
    option: 'redis',
    fix: 'Restart redis-server (with persistence if queued trials must survive it), then run again.',
  });
}

/**
 * A connected control client, or the reason it could not connect: within `CONNECT_TIMEOUT_MS` for
 * the connect, then `COMMAND_TIMEOUT_MS` for the server's answers to the handshake.
 */
export async function connectControl(url: RedisUrl, name: string): Promise<Redis> {
  const client = new Redis({ ...failFastOptions(url, name), lazyConnect: true });
  let lastError: Error = new Error('connection closed');
  let deadline: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      // The first failure is the answer: refused, unknown host, wrong password, TLS mismatch (a
      // silent host is bounded by the connect timeout). Retrying is for a connection that was up.
      client.on('error', (error: Error) => {
        lastError = error;
        reject(isNoAnswer(error) ? new NoAnswerError() : error);
      });
      client.once('ready', () => resolve());
      client.once('end', () => reject(lastError));
      // Connected but not ready: a peer that never answers the handshake (or answers with a reply
      // it never finishes, like a bulk string of 999999999999 bytes) would keep it here for good.
      client.once('connect', () => {
        deadline = setTimeout(() => reject(new NoAnswerError()), COMMAND_TIMEOUT_MS);
      });
      client.connect().catch((error: unknown) => {
        lastError = error instanceof Error ? error : new Error(String(error));
      });
    });
  } catch (error) {
    client.disconnect();
    throw unreachable(url, error);
  } finally {
    clearTimeout(deadline);
  }
  return client;
}

/**
 * Calls `onLost` once when the client gives up reconnecting (Redis away for `GIVE_UP_MS`), with
 * the last error, or when a ping gets no answer within the command timeout (a peer that went
 * silent: the TCP connection stays up, so the client itself would never give up); returns a
 * function that stops watching. The client needs `failFastOptions` (the ping's timeout).
 */
export function watchConnection(client: Redis, onLost: (error: unknown) => void): () => void {
  let lastError: unknown = new Error('connection closed');
  let stopped = false;
  const lose = (error: unknown): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(pinger);
    onLost(error);
  };
  const onError = (error: unknown): void => {
    lastError = error;
  };
  const onEnd = (): void => lose(lastError);
  // A ping while Redis is away fails at once (no offline queue): only a ping that was sent and
  // never answered means silence; reconnecting is the retry strategy's to bound.
  const pinger = setInterval(() => {
    if (client.status === 'ready') client.ping().catch((error: unknown) => isNoAnswer(error) && lose(error));
  }, PING_MS);
  pinger.unref();
  client.on('error', onError);
  client.once('end', onEnd);
  return () => {
    stopped = true;
    clearInterval(pinger);
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

/** What to do about a Redis error: a user's missing permissions, else `otherwise`. */
export function redisFix(error: unknown, otherwise: string): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /NOPERM/.test(message)
    ? "Use a Redis user that may run every command on LR Lab's keys and channels (ACL SETUSER <user> on ><password> ~lrlab:* &* +@all), or the default user."
    : otherwise;
}
