/**
 * The queue's event stream (`eventsKey`, where BullMQ's workers and scripts add `progress`,
 * `completed`, `failed`, `stalled`, … entries) as a run reads it. Not BullMQ's QueueEvents: its
 * loop JSON-parses a progress event's data and a completed event's return value itself, and one
 * entry that does not parse (anyone who can write to Redis can add one), or a listener that
 * throws, ends that loop for good — the run would go on without live progress, saying nothing.
 * Here each entry is handed on as text (its event name, job id and data), and a handler's error
 * is reported, never the end of the stream. What a progress event says is checked by its reader
 * (`parseTrialProgress`).
 *
 * It reads with `XREAD BLOCK` shorter than the command timeout on a fail-fast connection
 * (`connectControl`), so a Redis that goes silent fails its reads too (the run's watchdog says so).
 */
import type Redis from 'ioredis';
import { COMMAND_TIMEOUT_MS, closeQuietly, connectControl } from './connection';
import { eventsKey } from './jobs';
import type { RedisUrl } from './redisUrl';

/** One entry of the stream: BullMQ's event name, the job it is about, and a progress event's data (JSON text, unchecked). */
export interface QueueEvent {
  readonly event: string;
  readonly jobId: string;
  readonly data: string | null;
}

/** How long one read waits for new entries: under the command timeout, which would cut it. */
const BLOCK_MS = Math.min(2_000, COMMAND_TIMEOUT_MS / 2);
/** Entries taken per read. */
const COUNT = 1_000;
/** A read that failed (Redis reconnecting) is tried again after this. */
const RETRY_MS = 250;

type Entry = [id: string, fields: string[]];

/** A stream entry's fields: the first value of each name, strings only. */
function fieldsOf(list: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (!Array.isArray(list)) return fields;
  for (let i = 0; i + 1 < list.length; i += 2) {
    const [name, value] = [list[i] as unknown, list[i + 1] as unknown];
    if (typeof name === 'string' && typeof value === 'string' && !fields.has(name)) fields.set(name, value);
  }
  return fields;
}

export class EventStream {
  private closed = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: Redis,
    private lastId: string,
    private readonly onEvent: (event: QueueEvent) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Connected (or the reason it could not), reading the entries after `from` (`0-0`: all of them). */
  static async open(url: RedisUrl, name: string, from: string, onEvent: (event: QueueEvent) => void, onError: (error: unknown) => void): Promise<EventStream> {
    const stream = new EventStream(await connectControl(url, name), from, onEvent, onError);
    stream.loop = stream.read();
    return stream;
  }

  private async read(): Promise<void> {
    while (!this.closed) {
      let reply: unknown;
      try {
        reply = await this.client.xread('COUNT', COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', eventsKey, this.lastId);
      } catch (error) {
        if (this.closed) return;
        if (this.client.status === 'end') {
          // Gave up reconnecting: the run's watchdog on its control connection says why.
          this.onError(error);
          return;
        }
        this.onError(error);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      const entries = ((reply as [string, Entry[]][] | null)?.[0]?.[1]) ?? [];
      for (const [id, list] of entries) {
        if (this.closed) return;
        this.lastId = id;
        const fields = fieldsOf(list);
        const event = fields.get('event');
        const jobId = fields.get('jobId');
        if (event === undefined || jobId === undefined) continue;
        try {
          this.onEvent({ event, jobId, data: fields.get('data') ?? null });
        } catch (error) {
          this.onError(error);
        }
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client.disconnect();
    await closeQuietly(() => this.loop, 1_000);
  }
}
