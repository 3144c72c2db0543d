/**
 * What every experiment shares: the context a run is given (reporter, cancellation), the batch
 * size that fits the data (the event-loop yield between batches: loop.ts).
 */
import { OptionError, flagOf } from '../../protocol/errors';
import type { OptionNaming } from '../../protocol/optionNaming';
import { optionName } from '../../protocol/optionNaming';
import type { Reporter } from '../reporter';
import type { BatchSampler } from '../../core/random';

export interface RunContext {
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
  /** How the result's advice names options: the CLI's flags (absent: the CLI and the editor) or the library's options. */
  readonly naming?: OptionNaming;
}

/**
 * A batch size that fits the data: an explicit one larger than the data is an error; the default
 * is lowered to a quarter of the data, with a warning.
 */
export function fitBatchSize(batchSize: number, explicit: boolean, count: number, warnings: string[], naming: OptionNaming = 'flag'): number {
  if (batchSize <= count) return batchSize;
  const fitting = Math.max(1, Math.floor(count / 4));
  if (explicit) {
    // "Use 80 or less" for 320 samples read as a limit, and 320 was then accepted.
    throw new OptionError('batchSize', `${flagOf('batchSize')} (${batchSize}) is larger than the training data (${count} samples).`, `Use ${flagOf('batchSize')} ${count} or less; ${fitting} or less gives each epoch 4 batches or more.`);
  }
  warnings.push(`The default batch size ${batchSize} is larger than the training data (${count} samples); using ${fitting}, a quarter of them, so that each epoch has 4 batches (give ${optionName('batchSize', naming)} to choose another, up to ${count}).`);
  return fitting;
}

/** A share of the training samples left out of every epoch above which `train` says so. */
export const UNUSED_PER_EPOCH = 0.25;

/**
 * Where an epoch's batches leave many samples out (the sampler drops the last partial batch, so every
 * step has the same size; each epoch reshuffles, so every sample takes part over a run): a note with a
 * batch size that uses them all. A user's 120 samples at batch size 64 trained "1 batch" per epoch,
 * 56 samples left out of each, without a word.
 */
export function unusedPerEpochNote(sampler: Pick<BatchSampler, 'batchesPerEpoch' | 'batchSize'>, count: number, explicit: boolean): string[] {
  const { batchSize, batchesPerEpoch: batches } = sampler;
  const used = batches * Math.min(batchSize, count);
  const left = count - used;
  if (!(left / count > UNUSED_PER_EPOCH)) return [];
  // The largest batch size up to the one given that divides the samples into as many batches or more.
  let divides = Math.min(batchSize, count);
  while (divides > 1 && count % divides !== 0) divides--;
  const better = divides >= Math.min(batchSize, count) / 2 ? ` A batch size that divides ${count}, such as ${divides}, uses every sample in every epoch.` : ' A smaller batch size leaves fewer out.';
  return [`Each epoch trains on ${used} of the ${count} training samples (${batches === 1 ? '1 batch' : `${batches} batches`} of ${Math.min(batchSize, count)}${explicit ? '' : ', the default batch size'}; the ${left} left over make no batch of their own, so that every step has the same size — each epoch reshuffles, so all take part over the run): an epoch here is ${Math.round((100 * used) / count)}% of the data.${better}`];
}
