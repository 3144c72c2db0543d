/**
 * How a baseline (`Baseline` in results.ts) reads in reasons, tables and the panel: "the chance
 * level 0.693 = ln 2", "the loss of predicting the mean, 57.2" (the median under absolute error; the comma, since
 * "the mean 57.2" read as the labels' mean in a user trial). One wording for every surface.
 */
import type { Baseline } from './results';
import { formatLoss } from './format';

export function describeBaseline(baseline: Baseline, which: 'train' | 'val' = 'train'): string {
  const value = which === 'val' ? (baseline.valLoss ?? baseline.loss) : baseline.loss;
  if (baseline.kind === 'chance') {
    const classes = Math.round(Math.exp(value));
    const lnC = classes >= 2 && Math.abs(value - Math.log(classes)) < 5e-4 ? ` = ln ${classes}` : '';
    return `the chance level ${formatLoss(value)}${lnC}`;
  }
  if (baseline.constant === 'fitted') return `the loss of the best constant prediction, ${formatLoss(value)}`;
  return `the loss of predicting the ${baseline.constant ?? 'mean'}, ${formatLoss(value)}`;
}

/** The chart legend's label of the baseline line. */
export function baselineLabel(baseline: Baseline, which: 'train' | 'val' = 'train'): string {
  return `baseline: ${describeBaseline(baseline, which).replace(/^the /, '')}`;
}
