/** `--redis <url>` on the commands whose trials can run on workers (sweep, short runs, batch-size, recipe). */
import type { ParsedArgs } from './args';
import { readOption } from './args';
import { parseRedisUrl } from '../distributed/redisUrl';
import type * as Connection from '../distributed/connection';
import { startShipping } from '../run';

/** `{ redis }` when given, after checking the URL and that Redis answers (before anything is loaded). */
export async function remoteFieldsFromFlags(args: ParsedArgs, model: string): Promise<{ redis?: string }> {
  const raw = readOption(args, 'redis');
  if (raw === undefined) return {};
  // ioredis is loaded only by runs that use it.
  await (require('../distributed/connection') as typeof Connection).probeRedis(parseRedisUrl(raw));
  startShipping(model);
  return { redis: raw };
}
