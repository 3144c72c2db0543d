/**
 * What every experiment shares: the context a run is given (reporter, cancellation), the batch
 * size that fits the data (the event-loop yield between batches: loop.ts).
 */
import { OptionError, flagOf } from '../../protocol/errors';
import type { OptionNaming } from '../../protocol/optionNaming';
import type { Reporter } from '../reporter';

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
export function fitBatchSize(batchSize: number, explicit: boolean, count: number, warnings: string[]): number {
  if (batchSize <= count) return batchSize;
  const fitting = Math.max(1, Math.floor(count / 4));
  if (explicit) {
    // "Use 80 or less" for 320 samples read as a limit, and 320 was then accepted.
    throw new OptionError('batchSize', `${flagOf('batchSize')} (${batchSize}) is larger than the training data (${count} samples).`, `Use ${flagOf('batchSize')} ${count} or less; ${fitting} or less gives each epoch 4 batches or more.`);
  }
  warnings.push(`The default batch size ${batchSize} is larger than the training data (${count} samples); using ${fitting}.`);
  return fitting;
}
