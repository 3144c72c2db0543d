/**
 * The charts with a linear x axis: the studies' validation loss per series against steps (or
 * wall time), and a training run's curves against epochs. Each returns its datasets and scales;
 * the panel owns the chart.
 */
import type { ChartDataset } from 'chart.js';
import type { RunSnapshot } from '../src/protocol/webviewMessages';
import { cssVar } from './cssVar';
import { isRateMetric } from '../src/protocol/metricColumns';
import { baselineDataset, baselineOf } from './baselineLine';
import { extent, logLossTick, lrTick, progressYMax } from './bounds';
import { logLossAxis, seriesStyles } from './seriesStyle';

export interface LinearChart {
  readonly datasets: ChartDataset<'line', { x: number; y: number }[]>[];
  readonly scales: Record<string, object>;
}

/** Short runs, batch-size studies and recipes: validation loss of each series against steps (or wall time). */
export function progressChart(run: RunSnapshot | null): LinearChart {
  const fg = cssVar('--vscode-editor-foreground', '#333');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  const palette = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'].map((v, i) => cssVar(v, ['#1565c0', '#e65100', '#2e7d32', '#6a1b9a', '#c62828', '#f9a825'][i] ?? '#888'));
  const byTime = run?.kind === 'batch-size';
  const entries = Object.entries(run?.series ?? {});
  // A batch-size study's range test shares its size's colour, thin and dotted, hidden once the size's run started (seriesStyle.ts).
  const styles = seriesStyles(entries.map(([name]) => name), byTime);
  const datasets = entries.map(([name, points], i): ChartDataset<'line', { x: number; y: number }[]> => {
    const style = styles[i]!;
    const color = palette[style.color % palette.length] ?? '#888';
    return {
      label: name,
      data: points.map((p) => ({ x: byTime ? p.seconds : p.step, y: p.valLoss ?? p.loss ?? Number.NaN })).filter((p) => Number.isFinite(p.y)),
      borderColor: color,
      backgroundColor: color,
      // Past the palette, dashed: "batch 32" and "batch 256" (the 1st and 7th series) were the same line.
      ...(style.rangeTestOf !== null ? { borderDash: [2, 3] } : style.color >= palette.length ? { borderDash: [6, 3] } : {}),
      borderWidth: style.rangeTestOf !== null ? 1 : 2,
      pointRadius: style.rangeTestOf !== null ? 0 : 2,
      hidden: style.hidden,
      parsing: false,
    };
  });
  const drawn = datasets.flatMap((d) => d.data);
  const shown = datasets.filter((d) => d.hidden !== true).flatMap((d) => d.data.map((p) => p.y));
  const xs = extent(drawn.map((p) => p.x));
  const reference = xs === null ? null : baselineDataset(baselineOf(run), 'val', xs.min, xs.max);
  if (reference !== null) datasets.push(reference);
  // The axis fits what is shown: a hidden range test's blow-up no longer sets it.
  const yMax = progressYMax(shown, baselineOf(run));
  const log = byTime && logLossAxis([...shown, ...(reference?.data.map((p) => p.y) ?? [])]);
  return {
    datasets,
    scales: {
      x: { type: 'linear', title: { display: true, text: byTime ? 'wall time (s)' : 'iteration', color: fg }, ticks: { color: fg }, grid: { color: grid } },
      y: { type: log ? 'logarithmic' : 'linear', title: { display: true, text: log ? 'validation loss (log scale)' : 'validation loss', color: fg }, ticks: { color: fg, ...(log ? { callback: logLossTick } : {}) }, grid: { color: grid }, ...(yMax === null ? {} : { max: yMax }) },
    },
  };
}

/** Training runs: train/validation loss and the model's validation metrics against epoch, LR on its own axis, the baseline dashed. */
export function trainingChart(run: RunSnapshot | null): LinearChart {
  const fg = cssVar('--vscode-editor-foreground', '#333');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  const points = run?.series['train'] ?? [];
  const line = (label: string, values: { x: number; y: number | null }[], color: string, axis: string, dash: number[] = []): ChartDataset<'line', { x: number; y: number }[]> => ({
    label, data: values.filter((v): v is { x: number; y: number } => v.y !== null && Number.isFinite(v.y)), borderColor: color, backgroundColor: color, borderWidth: 2, borderDash: dash, pointRadius: 3, parsing: false, yAxisID: axis,
  });
  // The model's own validation metrics by name: rates (accuracy, precision, recall) on the 0–1 axis, others on their own.
  const names = [...new Set(points.flatMap((p) => Object.keys(p.valMetrics ?? {})))];
  const metricColors = ['--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-blue', '--vscode-charts-orange'].map((v, i) => cssVar(v, ['#2e7d32', '#c62828', '#1565c0', '#e65100'][i] ?? '#888'));
  const metricLines = names.map((name, i) => line(`validation ${name}`, points.map((p) => ({ x: p.step, y: p.valMetrics?.[name] ?? null })), metricColors[i % metricColors.length] ?? '#888', isRateMetric(name) ? 'acc' : 'metric', [4, 3]));
  const legacyAccuracy = names.some(isRateMetric) || points.every((p) => p.valAccuracy === null) ? [] : [line('validation accuracy', points.map((p) => ({ x: p.step, y: p.valAccuracy })), cssVar('--vscode-charts-green', '#2e7d32'), 'acc', [4, 3])];
  const datasets = [
    line('train loss', points.map((p) => ({ x: p.step, y: p.loss })), cssVar('--vscode-charts-blue', '#1565c0'), 'y'),
    line('validation loss', points.map((p) => ({ x: p.step, y: p.valLoss })), cssVar('--vscode-charts-orange', '#e65100'), 'y'),
    ...legacyAccuracy,
    ...metricLines,
    line('momentum (end of epoch)', points.map((p) => ({ x: p.step, y: p.momentum })), cssVar('--vscode-charts-yellow', '#f9a825'), 'acc', [1, 3]),
    line('LR (end of epoch)', points.map((p) => ({ x: p.step, y: p.lr })), cssVar('--vscode-charts-purple', '#6a1b9a'), 'lr', [2, 2]),
  ];
  const reference = points.length < 2 ? null : baselineDataset(baselineOf(run), 'val', points[0]!.step, points[points.length - 1]!.step, 'y');
  if (reference !== null) datasets.push(reference);
  const otherMetrics = names.some((n) => !isRateMetric(n));
  return {
    datasets,
    scales: {
      x: { type: 'linear', title: { display: true, text: 'epoch', color: fg }, ticks: { color: fg, stepSize: 1 }, grid: { color: grid } },
      y: { title: { display: true, text: 'loss', color: fg }, ticks: { color: fg }, grid: { color: grid } },
      acc: { position: 'right', min: 0, max: 1, title: { display: true, text: 'accuracy / momentum', color: fg }, ticks: { color: fg }, grid: { display: false } },
      lr: { position: 'right', type: 'logarithmic', title: { display: true, text: 'LR', color: fg }, ticks: { color: fg, autoSkip: true, maxTicksLimit: 8, callback: lrTick }, grid: { display: false } },
      ...(otherMetrics ? { metric: { position: 'left', title: { display: true, text: names.filter((n) => !isRateMetric(n)).join(', '), color: fg }, ticks: { color: fg }, grid: { display: false } } } : {}),
    },
  };
}
