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

export async function runRequest(request: RunRequestParams, ctx: RunContext): Promise<AnyResult> {
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
