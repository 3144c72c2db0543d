/**
 * Values of megabytes (a model bundle with its npm packages) written and read in pieces. Every
 * command on a control connection must be answered within `COMMAND_TIMEOUT_MS` (that is how a
 * silent Redis is an error in ~5 s), and the answer to one `SET` of 5 MB comes only once the
 * whole value has crossed the link: at 500 KB/s that is 10 s, a timeout, and the connection's
 * ping, queued behind it, says Redis went silent. So a large value goes as `SET` + `APPEND`s (and
 * comes back as `GETRANGE`s) of a size that follows the link: each piece is sized to take about
 * `PIECE_TARGET_MS` at the rate the last one measured, so every command, and every ping between
 * them, is answered well within the timeout on any link faster than `MIN_PIECE_BYTES` per
 * timeout (~13 KB/s), and a fast link needs few round trips. A written value appears whole or not
 * at all (built under a key of its own, then renamed).
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { failedReply } from './connection';

/** The first piece, and the smallest: what one command carries on any link. */
export const MIN_PIECE_BYTES = 64 * 1024;
/** The largest piece, however fast the link. */
export const MAX_PIECE_BYTES = 4 * 1024 * 1024;
/** What a piece should take at the last measured rate: a fifth of the command timeout, so the link may slow down 5x mid-value. */
export const PIECE_TARGET_MS = 1_000;
/** A piece grows at most this much over the last (one fast round trip of a small piece is no measure of the link). */
const GROWTH = 4;
/** An upload cut off midway leaves its part key this long. */
const PART_TTL_S = 3_600;

/** The size of the next piece after one of `bytes` took `ms` (its command's round trip). */
export function nextPieceBytes(bytes: number, ms: number): number {
  const perMs = bytes / Math.max(ms, 1);
  return Math.round(Math.min(MAX_PIECE_BYTES, bytes * GROWTH, Math.max(MIN_PIECE_BYTES, perMs * PIECE_TARGET_MS)));
}

/** Writes `value` under `key` with a TTL, in pieces when it is large; the key holds the whole value or what it held before. */
export async function writeLarge(client: Redis, key: string, value: string, ttlS: number): Promise<void> {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length <= MIN_PIECE_BYTES) {
    await client.set(key, bytes, 'EX', ttlS);
    return;
  }
  const part = `${key}:part:${randomUUID()}`;
  let offset = 0;
  let size = MIN_PIECE_BYTES;
  while (offset < bytes.length) {
    const piece = bytes.subarray(offset, offset + size);
    const started = performance.now();
    if (offset === 0) await client.set(part, piece, 'EX', PART_TTL_S);
    else if ((await client.append(part, piece)) !== offset + piece.length) throw new Error(`${part} lost what was written of it (Redis restarted or evicted it)`);
    offset += piece.length;
    size = nextPieceBytes(piece.length, performance.now() - started);
  }
  const failed = failedReply(await client.multi().rename(part, key).expire(key, ttlS).exec());
  if (failed !== null) throw failed;
}

/** The value under `key` (null when there is none), read in pieces when it is large. */
export async function readLarge(client: Redis, key: string): Promise<string | null> {
  const first = await client.multi().exists(key).strlen(key).getrangeBuffer(key, 0, MIN_PIECE_BYTES - 1).exec();
  const failed = failedReply(first);
  if (failed !== null) throw failed;
  if (first?.[0]?.[1] !== 1) return null;
  const length = Number(first[1]?.[1] ?? 0);
  const pieces = [first[2]?.[1] as Buffer];
  let got = pieces[0]!.length;
  let size = MIN_PIECE_BYTES;
  while (got < length) {
    const started = performance.now();
    const piece = await client.getrangeBuffer(key, got, got + size - 1);
    // Shorter than it was (replaced or gone meanwhile): what was read is returned, and its reader's check finds it damaged.
    if (piece.length === 0) break;
    pieces.push(piece);
    got += piece.length;
    size = nextPieceBytes(piece.length, performance.now() - started);
  }
  return Buffer.concat(pieces).toString('utf8');
}
