/**
 * How many epochs the recipe recommends, from the evidence of its confirming run: the first
 * epoch whose validation loss is within a material distance (`MATERIAL_FRACTION_OF_BASELINE` of
 * the baseline, `lossScale.ts`) of the best the run reached. Never more than the run measured:
 * a run still improving at its end recommends its own length and says that more may help. A
 * task solved in 2 epochs of a 20-epoch run thus gets 2, not 20: a loss of 1e-4 against a chance
 * level of 0.69 has nothing material left to gain.
 */
import type { Baseline, EpochRecord } from '../protocol/results';
import { MATERIAL_FRACTION_OF_BASELINE, isFiniteNumber, referenceLoss } from './lossScale';
import { formatLoss } from '../protocol/format';

export interface EpochAdvice {
  readonly epochs: number;
  readonly reason: string;
}

export function recommendedEpochs(history: readonly EpochRecord[], baseline: Baseline | null): EpochAdvice {
  const n = history.length;
  if (n === 0) return { epochs: 1, reason: 'the confirming run measured no epoch' };
  const val = history.map((h) => h.valLoss);
  const finite = val.filter(isFiniteNumber);
  if (finite.length === 0) return { epochs: n, reason: `no finite validation loss to judge; the confirming run's ${n} epochs` };
  const best = Math.min(...finite);
  const bestIndex = val.findIndex((v) => v === best);
  const tolerance = MATERIAL_FRACTION_OF_BASELINE * referenceLoss(history, baseline);
  const index = val.findIndex((v) => isFiniteNumber(v) && v <= best + tolerance);
  const epoch = history[index]!.epoch;
  if (index === n - 1) {
    return { epochs: epoch, reason: `validation loss was still improving at the last epoch measured (${formatLoss(best)} at epoch ${epoch}): train at least this long; more epochs than the budget allowed may help` };
  }
  const bestText = bestIndex === index ? `its best, ${formatLoss(best)}` : `within ${formatLoss(tolerance)} of its best (${formatLoss(best)} at epoch ${history[bestIndex]!.epoch})`;
  return { epochs: epoch, reason: `validation loss reached ${bestText} by epoch ${epoch} of ${n}; later epochs gained nothing material` };
}
