/** `--redis <url>` on the commands whose trials can run on workers (sweep, batch-size, recipe). */
import type { FlagSpec, ParsedArgs } from './args';
import { stringFlag } from './args';
import { parseRedisUrl } from '../distributed/redisUrl';
import type * as Connection from '../distributed/connection';
import { startShipping } from '../run';

export const REMOTE_FLAGS: FlagSpec = { redis: { type: 'string' } };

export const REMOTE_HELP = `  --redis URL         run the trials on 'lrlab worker' processes through this Redis
                      (redis://[user:password@]host:port[/db], rediss:// for TLS)`;

/** Checks the URL, and that Redis answers, before anything is loaded; sets `redis` on the request. */
export async function remoteRequestFields(args: ParsedArgs, request: Record<string, unknown>): Promise<void> {
  const raw = stringFlag(args, 'redis');
  if (raw === undefined) return;
  // ioredis is loaded only by runs that use it.
  await (require('../distributed/connection') as typeof Connection).probeRedis(parseRedisUrl(raw));
  request['redis'] = raw;
  startShipping(request['model']);
}
