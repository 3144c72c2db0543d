/**
 * `--redis` / `lrlab.redisUrl`: `redis://[user:password@]host[:port][/db]`, or `rediss://` for
 * TLS. Parsed once into the connection options every Redis client of the scale-out uses, with the
 * password kept out of every message (`shown`).
 */
import net from 'node:net';
import { OptionError } from '../../protocol/errors';

export const DEFAULT_REDIS_PORT = 6379;
/** Where the URL may also come from (keeps a password out of the process list). */
export const REDIS_URL_ENV = 'LRLAB_REDIS_URL';

export interface RedisUrl {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly tls: boolean;
  /** The URL without its password, for messages and logs. */
  readonly shown: string;
  /** The URL as given (with its password): what a worker child process is handed. */
  readonly raw: string;
}

const EXAMPLE = 'redis://127.0.0.1:6379, redis://:password@host:6379/0 or rediss://user:password@host:6380';

export function parseRedisUrl(raw: string, given = '--redis'): RedisUrl {
  // `given`: where the URL came from, as the user gave it (a worker's LRLAB_REDIS_URL read "--redis must be …").
  const bad = (why: string): OptionError => new OptionError('redis', `${given} must be a Redis URL like ${EXAMPLE}; '${redact(raw)}' ${why}.`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw bad('is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw bad(`has the scheme '${url.protocol.replace(/:$/, '')}' (use redis:// or rediss:// for TLS)`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw bad('has no host');
  const port = url.port === '' ? DEFAULT_REDIS_PORT : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw bad(`names the database '${dbText}' (a number like /0)`);
  if (url.search !== '' || url.hash !== '') throw bad('has a query or fragment (options go in flags, not the URL)');
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  const tls = url.protocol === 'rediss:';
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const auth = username !== undefined ? `${username}${password === undefined ? '' : ':***'}@` : password !== undefined ? ':***@' : '';
  const shown = `${url.protocol}//${auth}${shownHost}:${port}${db === 0 ? '' : `/${db}`}`;
  return { host, port, db, username, password, tls, shown, raw: raw.trim() };
}

/** A URL as text with any password replaced, for an error about the URL itself. */
export function redact(raw: string): string {
  // Whatever sits between the scheme and the last '@' is credentials, however malformed the URL around
  // them ('redis:/:s3cretPW@host' echoed its password): the password, after the first ':', is masked.
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/*/.exec(raw)?.[0] ?? '';
  const at = raw.lastIndexOf('@');
  if (at < scheme.length) return raw;
  const credentials = raw.slice(scheme.length, at);
  const colon = credentials.indexOf(':');
  return colon < 0 ? raw : `${scheme}${credentials.slice(0, colon)}:***${raw.slice(at)}`;
}

/** 127.0.0.0/8, ::1, localhost: a Redis only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * A job carries code that the worker runs, so a queue anyone on the network can write to is a
 * way for anyone to run code on the worker. Returns why this URL is refused, or null.
 */
export function unauthenticatedRemote(url: RedisUrl): string | null {
  if (url.password !== undefined || isLoopback(url.host)) return null;
  return `lrlab worker refuses ${url.shown}: it is not on this machine and the URL has no password. A trial job carries model code that the worker runs, so whoever can write to that Redis could run code here. Protect Redis with a password (requirepass or an ACL user) and give it in the URL (redis://:password@${url.host.includes(':') ? `[${url.host}]` : url.host}:${url.port}), preferably with TLS (rediss://), or run the worker against a Redis on this machine.`;
}
