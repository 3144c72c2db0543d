/**
 * The LR Lab panel: loss against learning rate on a log axis, raw and smoothed, every
 * suggestion marked with its reason, Smith's range shaded and draggable. Sees only
 * `src/protocol`; all text from data is set with textContent (never parsed as HTML).
 */
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import type { ChartDataset, Plugin } from 'chart.js';
import type { HostToWebview, RunSnapshot, WebviewToHost } from '../src/protocol/webviewMessages';
import type { StreamPoint } from '../src/protocol/progress';
import type { Baseline, FindLrResult, LrRange, SuggestionName } from '../src/protocol/results';
import { formatLr } from '../src/protocol/format';
import { lossAxisRange } from '../src/protocol/lossAxis';
import { lttb } from './lttb';
import { element } from './dom';
import { cssVar } from './cssVar';
import { rawLossColors } from './themeColors';
import { renderSummary as renderText } from './summary';
import { isRateMetric } from '../src/protocol/metricColumns';
import { baselineDataset, baselinePlugin } from './baselineLine';
import { extent, withBaseline } from './bounds';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Filler);
// Every chart reports where its baseline line landed (data-baseline-px, for the editor tests).
Chart.register(baselinePlugin);

export interface PanelApi {
  postMessage(message: WebviewToHost): void;
  setState(state: { run: RunSnapshot | null }): void;
  getState(): { run: RunSnapshot | null } | undefined;
}

let api: PanelApi;
/** Points drawn per series at most; the full data stays in the snapshot. */
const MAX_DRAWN = 1000;
const SUGGESTIONS: readonly SuggestionName[] = ['valley', 'steep', 'minimum'];

export { cssVar, element };

// ---------------------------------------------------------------------------------------------
// State

let run: RunSnapshot | null = null;
let range: LrRange | null = null;
let chart: Chart | null = null;
let redrawQueued = false;

function findLrResult(): FindLrResult | null {
  return run?.result?.kind === 'find-lr' ? run.result : null;
}

function currentRange(): LrRange | null {
  return range ?? run?.chosenRange ?? findLrResult()?.range ?? null;
}

function renderSummary(): void {
  renderText(run, { range: currentRange(), chosen: range !== null || (run?.chosenRange ?? null) !== null });
}

/** The run's baseline (the loss of a model that learned nothing), once its result is in. */
function baselineOf(): Baseline | null {
  const result = run?.result as { baseline?: Baseline | null } | null | undefined;
  return result?.baseline ?? null;
}

function save(): void {
  api.setState({ run: run === null ? null : { ...run, chosenRange: range ?? run.chosenRange } });
}

// ---------------------------------------------------------------------------------------------
// Chart

/** Shades the chosen LR range; its two edges can be dragged. */
const rangePlugin: Plugin<'line'> = {
  id: 'lrlabRange',
  beforeDatasetsDraw(c) {
    const r = currentRange();
    if (r === null) return;
    const x = c.scales['x'];
    if (x === undefined) return;
    const left = x.getPixelForValue(r.minLr);
    const right = x.getPixelForValue(r.maxLr);
    const { top, bottom } = c.chartArea;
    // Where the draggable edges are, in canvas pixels (read by the editor tests to drag them).
    document.getElementById('summary')?.setAttribute('data-range-px', `${left.toFixed(0)},${right.toFixed(0)},${((top + bottom) / 2).toFixed(0)}`);
    c.ctx.save();
    c.ctx.fillStyle = cssVar('--vscode-editor-findRangeHighlightBackground', 'rgba(255, 193, 7, 0.18)');
    c.ctx.fillRect(left, top, right - left, bottom - top);
    c.ctx.strokeStyle = cssVar('--vscode-focusBorder', '#d7a700');
    c.ctx.lineWidth = 2;
    for (const edge of [left, right]) {
      c.ctx.beginPath();
      c.ctx.moveTo(edge, top);
      c.ctx.lineTo(edge, bottom);
      c.ctx.stroke();
    }
    c.ctx.restore();
  },
};

function datasets(): ChartDataset<'line', { x: number; y: number }[]>[] {
  if (run === null) return [];
  const rawColors = rawLossColors(cssVar('--vscode-editor-foreground', '#333'), cssVar('--vscode-editor-background', '#fff'));
  const accent = cssVar('--vscode-charts-blue', '#1565c0');
  const palette = [accent, cssVar('--vscode-charts-orange', '#e65100'), cssVar('--vscode-charts-green', '#2e7d32'), cssVar('--vscode-charts-purple', '#6a1b9a'), cssVar('--vscode-charts-red', '#c62828'), cssVar('--vscode-charts-yellow', '#f9a825')];
  const out: ChartDataset<'line', { x: number; y: number }[]>[] = [];
  const names = Object.keys(run.series);
  names.forEach((name, i) => {
    const points = run?.series[name] ?? [];
    const raw = points.filter((p): p is StreamPoint & { loss: number } => p.loss !== null && p.lr > 0).map((p) => ({ x: p.lr, y: p.loss }));
    const smooth = points.filter((p): p is StreamPoint & { smoothed: number } => p.smoothed !== null && p.lr > 0).map((p) => ({ x: p.lr, y: p.smoothed }));
    const color = palette[i % palette.length] ?? accent;
    const label = name === 'main' ? '' : `${name} `;
    const sweepResult = run?.result?.kind === 'sweep' ? run.result : null;
    const isBest = sweepResult !== null && sweepResult.best !== null && sweepResult.curves[sweepResult.best]?.label === name;
    if (names.length === 1) {
      out.push({ label: `${label}loss`, data: lttb(raw, MAX_DRAWN), borderColor: rawColors.line, backgroundColor: rawColors.swatch, borderWidth: 1, pointRadius: 0, parsing: false });
    }
    out.push({ label: `${label}smoothed${isBest ? ' (best)' : ''}`, data: lttb(smooth, MAX_DRAWN), borderColor: color, borderWidth: isBest ? 4.5 : 2, borderDash: sweepResult !== null && !isBest ? [6, 3] : [], pointRadius: 0, parsing: false });
  });
  const lrs = extent(Object.values(run.series).flatMap((points) => points.map((p) => (p.lr > 0 ? p.lr : Number.NaN))));
  const reference = lrs === null ? null : baselineDataset(baselineOf(), (run.settings.signal ?? 'train') === 'val' ? 'val' : 'train', lrs.min, lrs.max);
  if (reference !== null) out.push(reference);
  const result = findLrResult();
  if (result !== null) {
    const colors: Record<SuggestionName, string> = { steep: cssVar('--vscode-charts-orange', '#e65100'), valley: cssVar('--vscode-charts-green', '#2e7d32'), minimum: cssVar('--vscode-charts-purple', '#6a1b9a') };
    const smoothed = result.points.filter((p) => p.smoothed !== null);
    const yAt = (lr: number): number => smoothed.reduce((best, p) => (Math.abs(Math.log(p.lr / lr)) < Math.abs(Math.log(best.lr / lr)) ? p : best), smoothed[0] ?? { lr, smoothed: 0 }).smoothed ?? 0;
    for (const name of SUGGESTIONS) {
      const lr = result.suggestions[name];
      if (lr === null) continue;
      // A marker: a one-point line dataset without a line (what chart.js's scatter type is).
      out.push({ label: `${name} ${formatLr(lr)}`, data: [{ x: lr, y: yAt(lr) }], showLine: false, pointRadius: 7, pointStyle: 'triangle', backgroundColor: colors[name], borderColor: colors[name] });
    }
    if (result.divergedAt !== null) {
      const red = cssVar('--vscode-charts-red', '#c62828');
      out.push({ label: `${result.stopReason === 'non-finite' ? 'NaN/Inf' : 'diverged'} at ${formatLr(result.divergedAt)}`, data: [{ x: result.divergedAt, y: yAt(result.divergedAt) }], showLine: false, pointRadius: 8, pointStyle: 'crossRot', borderWidth: 3, backgroundColor: red, borderColor: red });
    }
  }
  return out;
}

function yBounds(): { min?: number; max?: number } {
  const main = run === null ? [] : Object.values(run.series).flat();
  const smooth = main.map((p) => p.smoothed).filter((v): v is number => v !== null && Number.isFinite(v));
  if (smooth.length < 3) return {};
  const axis = lossAxisRange(smooth, main.map((p) => p.loss));
  if (axis === null) return {};
  const b = baselineOf();
  return withBaseline({ min: axis.min - (axis.max - axis.min) * 0.05, max: axis.max }, b === null ? null : (run?.settings.signal ?? 'train') === 'val' ? (b.valLoss ?? b.loss) : b.loss);
}

let chartKind: 'lr' | 'train' | 'progress' | null = null;

/** Short runs, batch-size studies and recipes: validation loss of each series against steps (or wall time). */
function drawProgress(canvas: HTMLCanvasElement): void {
  const fg = cssVar('--vscode-editor-foreground', '#333');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  const palette = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'].map((v, i) => cssVar(v, ['#1565c0', '#e65100', '#2e7d32', '#6a1b9a', '#c62828', '#f9a825'][i] ?? '#888'));
  const byTime = run?.kind === 'batch-size';
  const data = Object.entries(run?.series ?? {}).map(([name, points], i): ChartDataset<'line', { x: number; y: number }[]> => ({
    label: name,
    data: points.map((p) => ({ x: byTime ? p.seconds : p.step, y: p.valLoss ?? p.loss ?? Number.NaN })).filter((p) => Number.isFinite(p.y)),
    borderColor: palette[i % palette.length] ?? '#888',
    borderWidth: 2,
    pointRadius: 2,
    parsing: false,
  }));
  const xs = extent(data.flatMap((d) => d.data.map((p) => p.x)));
  const reference = xs === null ? null : baselineDataset(baselineOf(), 'val', xs.min, xs.max);
  if (reference !== null) data.push(reference);
  showLinearChart(canvas, 'progress', data, {
    x: { type: 'linear', title: { display: true, text: byTime ? 'wall time (s)' : 'iteration', color: fg }, ticks: { color: fg }, grid: { color: grid } },
    y: { title: { display: true, text: 'validation loss', color: fg }, ticks: { color: fg }, grid: { color: grid } },
  });
}

/** Updates the chart in place when it already shows `kind`, else replaces it (linear x axis, legend below). */
function showLinearChart(canvas: HTMLCanvasElement, kind: 'train' | 'progress', data: ChartDataset<'line', { x: number; y: number }[]>[], scales: Record<string, object>): void {
  // Same kind and the same axes (a metric axis appears with the first metric): update in place.
  if (chart !== null && chartKind === kind && Object.keys(chart.options.scales ?? {}).sort().join() === Object.keys(scales).sort().join()) {
    chart.data.datasets = data;
    chart.update('none');
    return;
  }
  chart?.destroy();
  chartKind = kind;
  chart = new Chart<'line', { x: number; y: number }[]>(canvas, {
    type: 'line',
    data: { datasets: data },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
      plugins: { legend: { position: 'bottom', labels: { color: cssVar('--vscode-editor-foreground', '#333') } } },
      scales,
    },
  });
}

/** Training runs: train/validation loss and validation accuracy against epoch, LR on its own axis. */
function drawTraining(canvas: HTMLCanvasElement): void {
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
  const data = [
    line('train loss', points.map((p) => ({ x: p.step, y: p.loss })), cssVar('--vscode-charts-blue', '#1565c0'), 'y'),
    line('validation loss', points.map((p) => ({ x: p.step, y: p.valLoss })), cssVar('--vscode-charts-orange', '#e65100'), 'y'),
    ...legacyAccuracy,
    ...metricLines,
    line('momentum (end of epoch)', points.map((p) => ({ x: p.step, y: p.momentum })), cssVar('--vscode-charts-yellow', '#f9a825'), 'acc', [1, 3]),
    line('LR (end of epoch)', points.map((p) => ({ x: p.step, y: p.lr })), cssVar('--vscode-charts-purple', '#6a1b9a'), 'lr', [2, 2]),
  ];
  const reference = points.length < 2 ? null : baselineDataset(baselineOf(), 'val', points[0]!.step, points[points.length - 1]!.step, 'y');
  if (reference !== null) data.push(reference);
  const otherMetrics = names.some((n) => !isRateMetric(n));
  showLinearChart(canvas, 'train', data, {
    x: { type: 'linear', title: { display: true, text: 'epoch', color: fg }, ticks: { color: fg, stepSize: 1 }, grid: { color: grid } },
    y: { title: { display: true, text: 'loss', color: fg }, ticks: { color: fg }, grid: { color: grid } },
    acc: { position: 'right', min: 0, max: 1, title: { display: true, text: 'accuracy / momentum', color: fg }, ticks: { color: fg }, grid: { display: false } },
    lr: { position: 'right', type: 'logarithmic', title: { display: true, text: 'LR', color: fg }, ticks: { color: fg }, grid: { display: false } },
    ...(otherMetrics ? { metric: { position: 'left', title: { display: true, text: names.filter((n) => !isRateMetric(n)).join(', '), color: fg }, ticks: { color: fg }, grid: { display: false } } } : {}),
  });
}

function draw(): void {
  redrawQueued = false;
  const drawStarted = performance.now();
  if (run?.kind === 'momentum' || run?.kind === 'weight-decay' || run?.kind === 'batch-size' || run?.kind === 'recipe') {
    drawProgress(element<HTMLCanvasElement>('chart'));
    renderSummary();
    element('summary').dataset['drawMs'] = (performance.now() - drawStarted).toFixed(1);
    return;
  }
  if (run?.kind === 'train') {
    drawTraining(element<HTMLCanvasElement>('chart'));
    renderSummary();
    element('summary').dataset['drawMs'] = (performance.now() - drawStarted).toFixed(1);
    return;
  }
  if (chartKind === 'train' || chartKind === 'progress') {
    chart?.destroy();
    chart = null;
  }
  chartKind = 'lr';
  const canvas = element<HTMLCanvasElement>('chart');
  const fg = cssVar('--vscode-editor-foreground', '#333');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  const bounds = yBounds();
  if (chart === null) {
    chart = new Chart<'line', { x: number; y: number }[]>(canvas, {
      type: 'line',
      data: { datasets: datasets() },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { color: fg } },
          tooltip: { callbacks: { title: (items) => `LR ${formatLr(items[0]?.parsed.x)}` } },
        },
        scales: {
          x: { type: 'logarithmic', title: { display: true, text: 'learning rate', color: fg }, ticks: { color: fg, callback: (v) => { const e = Math.log10(Number(v)); return Math.abs(e - Math.round(e)) < 1e-9 ? formatLr(Number(v)) : ''; } }, grid: { color: grid } },
          y: { title: { display: true, text: 'loss', color: fg }, ticks: { color: fg }, grid: { color: grid }, ...bounds },
        },
      },
      plugins: [rangePlugin],
    });
    attachDrag(canvas);
  } else {
    chart.data.datasets = datasets();
    const y = chart.options.scales?.['y'];
    if (y !== undefined) {
      const scale = y as { min?: number | undefined; max?: number | undefined };
      scale.min = bounds.min;
      scale.max = bounds.max;
    }
    chart.update('none');
  }
  renderSummary();
  // Read by the editor tests: the panel must stay responsive with 10,000+ points.
  element('summary').dataset['drawMs'] = (performance.now() - drawStarted).toFixed(1);
}

function scheduleDraw(): void {
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(draw);
}

/** Dragging an edge of the shaded range moves it; the choice is sent to the host on release. */
function attachDrag(canvas: HTMLCanvasElement): void {
  let dragging: 'minLr' | 'maxLr' | null = null;
  canvas.addEventListener('pointerdown', (event) => {
    const r = currentRange();
    const x = chart?.scales['x'];
    if (r === null || x === undefined) return;
    const px = event.offsetX;
    const near = (lr: number): boolean => Math.abs(x.getPixelForValue(lr) - px) <= 8;
    dragging = near(r.minLr) ? 'minLr' : near(r.maxLr) ? 'maxLr' : null;
    if (dragging !== null) canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener('pointermove', (event) => {
    const r = currentRange();
    const x = chart?.scales['x'];
    if (x === undefined || r === null) return;
    const hover = Math.min(Math.abs(x.getPixelForValue(r.minLr) - event.offsetX), Math.abs(x.getPixelForValue(r.maxLr) - event.offsetX)) <= 8;
    canvas.style.cursor = dragging !== null || hover ? 'ew-resize' : 'default';
    if (dragging === null) return;
    const lr = x.getValueForPixel(event.offsetX);
    if (lr === undefined || !Number.isFinite(lr) || lr <= 0) return;
    range = dragging === 'minLr' ? { minLr: Math.min(lr, r.maxLr * 0.99), maxLr: r.maxLr } : { minLr: r.minLr, maxLr: Math.max(lr, r.minLr * 1.01) };
    scheduleDraw();
  });
  canvas.addEventListener('pointerup', () => {
    if (dragging === null || run === null || range === null) return;
    dragging = null;
    api.postMessage({ type: 'chooseRange', runId: run.runId, range });
    save();
  });
}

// ---------------------------------------------------------------------------------------------
// Messages

/** Starts the LR-vs-loss panel (body without data-view). */
export function startPanel(vscodeApi: PanelApi): void {
  api = vscodeApi;
  run = (JSON.parse(element('initial-state').textContent ?? '{}') as { run: RunSnapshot | null }).run ?? api.getState()?.run ?? null;
  window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
    const message = event.data;
    switch (message.type) {
      case 'snapshot':
        if (run === null || message.run.runId !== run.runId) range = null;
        run = message.run;
        save();
        scheduleDraw();
        return;
      case 'append': {
        if (run === null || message.runId !== run.runId) return;
        const series = { ...run.series };
        series[message.params.series] = [...(series[message.params.series] ?? []), ...message.params.points];
        run = { ...run, series };
        save();
        scheduleDraw();
        return;
      }
      case 'progress':
        if (run === null || message.runId !== run.runId) return;
        run = { ...run, progress: message.params };
        element('status').textContent = message.params.message;
        return;
      case 'exportPng':
        if (chart !== null && run !== null) api.postMessage({ type: 'pngData', runId: run.runId, dataUrl: chart.toBase64Image('image/png') });
    }
  });

  element('cancel').addEventListener('click', () => {
    if (run !== null) api.postMessage({ type: 'cancel', runId: run.runId });
  });
  for (const format of ['csv', 'json'] as const) {
    element(`export-${format}`).addEventListener('click', () => {
      if (run !== null) api.postMessage({ type: 'export', runId: run.runId, format });
    });
  }
  element('export-png').addEventListener('click', () => {
    if (chart !== null && run !== null) api.postMessage({ type: 'pngData', runId: run.runId, dataUrl: chart.toBase64Image('image/png') });
  });

  save();
  draw();
  api.postMessage({ type: 'ready' });
}
