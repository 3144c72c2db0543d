/**
 * The baseline (the loss of a model that learned nothing: the chance level or the label
 * variance) as a dashed horizontal reference line on a loss chart.
 */
import type { ChartDataset } from 'chart.js';
import type { Baseline } from '../src/protocol/results';
import { baselineLabel } from '../src/protocol/baselineText';
import { cssVar } from './dom';

/** A line at the baseline from `fromX` to `toX` (`null` without a baseline or an x range). */
export function baselineDataset(baseline: Baseline | null, which: 'train' | 'val', fromX: number, toX: number, yAxisID?: string): ChartDataset<'line', { x: number; y: number }[]> | null {
  if (baseline === null || !Number.isFinite(fromX) || !Number.isFinite(toX) || !(toX > fromX)) return null;
  const y = which === 'val' ? (baseline.valLoss ?? baseline.loss) : baseline.loss;
  const color = cssVar('--vscode-descriptionForeground', '#888');
  return {
    label: baselineLabel(baseline, which),
    data: [{ x: fromX, y }, { x: toX, y }],
    borderColor: color,
    backgroundColor: color,
    borderWidth: 1.5,
    borderDash: [8, 4],
    pointRadius: 0,
    parsing: false,
    ...(yAxisID === undefined ? {} : { yAxisID }),
  };
}
