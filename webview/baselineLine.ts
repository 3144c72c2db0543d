/**
 * The baseline (the loss of a model that learned nothing: the chance level or the label
 * variance) as a dashed horizontal reference line on a loss chart.
 */
import type { ChartDataset, Plugin } from 'chart.js';
import type { Baseline } from '../src/protocol/results';
import type { RunSnapshot } from '../src/protocol/webviewMessages';
import { baselineLabel } from '../src/protocol/baselineText';
import { cssVar } from './cssVar';

/** The run's baseline (the loss of a model that learned nothing), once its result is in. */
export function baselineOf(run: RunSnapshot | null): Baseline | null {
  const result = run?.result as { baseline?: Baseline | null } | null | undefined;
  return result?.baseline ?? null;
}

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

/** Whether a dataset is the baseline line (its label is `baselineLabel`'s). */
function isBaseline(label: string | undefined): boolean {
  return label?.startsWith('baseline: ') === true;
}

/**
 * After each draw, where the baseline line landed, in canvas pixels: `data-baseline-px` =
 * "y,top,bottom" on #summary (read by the editor tests: drawn, and inside the plot area);
 * removed when the chart has none.
 */
export const baselinePlugin: Plugin<'line'> = {
  id: 'lrlabBaseline',
  afterDatasetsDraw(c) {
    const summary = document.getElementById('summary');
    if (summary === null) return;
    const index = c.data.datasets.findIndex((d) => isBaseline(d.label));
    const dataset = c.data.datasets[index];
    const scale = dataset === undefined ? undefined : c.scales[(dataset as { yAxisID?: string }).yAxisID ?? 'y'];
    const first = dataset?.data[0];
    const y = typeof first === 'object' && first !== null ? first.y : undefined;
    if (dataset === undefined || scale === undefined || y === undefined || y === null || !c.isDatasetVisible(index)) {
      summary.removeAttribute('data-baseline-px');
      return;
    }
    const { top, bottom } = c.chartArea;
    summary.setAttribute('data-baseline-px', `${scale.getPixelForValue(y).toFixed(0)},${top.toFixed(0)},${bottom.toFixed(0)}`);
  },
};
