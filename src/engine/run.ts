/** Dispatches a run request to its experiment; shared by the IPC server and tests. */
import type { RunRequestParams } from '../protocol/requests';
import type { AnyResult } from '../protocol/results';
import { OptionError } from '../protocol/errors';
import type { RunContext } from './experiments/runContext';
import { findLr } from './experiments/findLr';
import { sweep } from './experiments/sweep';
import { train } from './experiments/train';
import { momentumStudy, weightDecayStudy } from './experiments/shortRuns';
import { batchSizeStudy, batchSizeTrial } from './experiments/batchSize';
import { recipe } from './experiments/recipe';
import path from 'node:path';
import { parseRedisUrl } from './distributed/redisUrl';
import { isTrainingScript } from './scriptModel';
import type * as Connection from './distributed/connection';
import type * as ShipModel from './distributed/shipModel';

/**
 * A `--redis` run bundles its model for the workers, and loads the submitting side (BullMQ), while
 * it loads the model and data here: neither then delays the trials (shipModel.ts). Refuses a
 * training script (scriptModel.ts), whose model cannot travel.
 */
export function startShipping(model: unknown): void {
  // A training script's model exists only where its fit call runs: it cannot travel in a job.
  if (typeof model === 'string' && !model.toLowerCase().endsWith('.json') && isTrainingScript(path.resolve(model))) {
    throw new OptionError('redis', `${path.basename(model)} is a training script: its model comes from its model.fit call, which runs only on this machine, so its trials cannot go to workers.`, 'Run it without --redis (lrlab.redisUrl empty), or give a model file that exports createModel and loadData.');
  }
  setImmediate(() => {
    require('./distributed/submit');
  });
  if (typeof model !== 'string' || model.toLowerCase().endsWith('.json')) return;
  (require('./distributed/shipModel') as typeof ShipModel).shipModel(model).catch(() => undefined); // its error, if any, comes when the run needs it
}

export async function runRequest(request: RunRequestParams, ctx: RunContext): Promise<AnyResult> {
  // A bad or unreachable --redis / lrlab.redisUrl fails before anything is loaded (ioredis loads only then).
  if ('redis' in request && request.redis !== undefined) {
    await (require('./distributed/connection') as typeof Connection).probeRedis(parseRedisUrl(request.redis));
    startShipping(request.model);
  }
  switch (request.kind) {
    case 'find-lr':
      return findLr(request, ctx);
    case 'sweep':
      return sweep(request, ctx);
    case 'train':
      return train(request, ctx);
    case 'momentum':
      return momentumStudy(request, ctx);
    case 'weight-decay':
      return weightDecayStudy(request, ctx);
    case 'batch-size':
      return batchSizeStudy(request, ctx);
    case 'batch-size-trial':
      return batchSizeTrial(request, ctx);
    case 'recipe':
      return recipe(request, ctx);
    default: {
      const unknown: never = request;
      throw new OptionError('kind', `Unknown run kind '${String((unknown as { kind?: unknown }).kind)}'.`);
    }
  }
}
