/**
 * The LR Lab panel: loss against learning rate on a log axis (`rangeChart.ts`: the fitted curve
 * the advice reads, raw loss behind), the headline first with its range shaded and draggable, the
 * other suggestions as alternatives with their reasons. Sees only
 * `src/protocol`; all text from data is set with textContent (never parsed as HTML).
 *
 * This file holds the panel's state and its messages, and owns the one chart; what is drawn
 * comes from `rangeChart.ts` (LR vs loss), `linearCharts.ts` (studies, training), `rangeDrag.ts`
 * (the shaded range) and `summary.ts` (the text under the chart).
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
import type { HostToWebview, RunSnapshot, WebviewToHost } from '../src/protocol/webviewMessages';
import type { StreamPoint } from '../src/protocol/progress';
import type { FindLrResult, LrRange } from '../src/protocol/results';
import { formatLr } from '../src/protocol/format';
import { distinctTickLabels, recommendedOf } from '../src/protocol/rangeView';
import { element } from './dom';
import { cssVar } from './cssVar';
import { rangeDatasets, yBounds } from './rangeChart';
import type { LinearChart } from './linearCharts';
import { progressChart, trainingChart } from './linearCharts';
import { attachDrag, rangePlugin } from './rangeDrag';
import { renderSummary as renderText } from './summary';
import { baselinePlugin } from './baselineLine';
import type { RecipeView } from './recipeViews';
import { pickedView, recipeViews } from './recipeViews';
import type { RecipeStepName } from '../src/protocol/results';

/**
 * The chart as a PNG on the panel's own background: the canvas is transparent where nothing is drawn,
 * so an exported chart's theme-coloured text and axes vanished in a viewer of the other shade.
 */
function opaquePng(canvas: HTMLCanvasElement): string {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const context = copy.getContext('2d');
  if (context === null) return canvas.toDataURL('image/png');
  context.fillStyle = cssVar('--vscode-editor-background', getComputedStyle(document.body).backgroundColor || '#ffffff');
  context.fillRect(0, 0, copy.width, copy.height);
  context.drawImage(canvas, 0, 0);
  return copy.toDataURL('image/png');
}

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Filler);
// Every chart reports where its baseline line landed (data-baseline-px, for the editor tests).
Chart.register(baselinePlugin);

export interface PanelApi {
  postMessage(message: WebviewToHost): void;
  setState(state: { run: RunSnapshot | null }): void;
  getState(): { run: RunSnapshot | null } | undefined;
}

let api: PanelApi;

// ---------------------------------------------------------------------------------------------
// State

let run: RunSnapshot | null = null;
/** What the chart draws: the run, or the step of a recipe run picked (recipeViews.ts). */
let shown: RunSnapshot | null = null;
/** The recipe step the user picked (null: the latest, followed while the recipe runs). */
let pickedStep: RecipeStepName | null = null;
let range: LrRange | null = null;
let chart: Chart | null = null;
let chartKind: 'lr' | 'train' | 'progress' | null = null;
let redrawQueued = false;
let dragAttached = false;

function findLrResult(): FindLrResult | null {
  return shown?.result?.kind === 'find-lr' ? shown.result : null;
}

/** The shaded range: the one dragged, else the one chosen before, else the headline's. */
function currentRange(): LrRange | null {
  const result = findLrResult();
  const headline = result === null ? null : recommendedOf(result);
  return range ?? shown?.chosenRange ?? (headline === null ? null : { minLr: headline.minLr, maxLr: headline.maxLr });
}

/** The range the user may drag: a recipe's range test shows its headline, but the recipe recommends its own (no drag there). */
function draggableRange(): LrRange | null {
  return run?.kind === 'recipe' ? null : currentRange();
}

/** A recipe run: one button per step with points, the one drawn pressed; hidden for every other run. */
function renderSteps(views: readonly RecipeView[], drawn: RecipeView | null): void {
  const bar = element('steps');
  bar.hidden = views.length === 0;
  const key = views.map((v) => v.step).join() + `|${drawn?.step ?? ''}`;
  if (bar.dataset['key'] === key) return;
  bar.dataset['key'] = key;
  bar.replaceChildren(...views.map((view) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = view.title;
    button.dataset['step'] = view.step;
    button.setAttribute('aria-pressed', String(view.step === drawn?.step));
    button.addEventListener('click', () => {
      pickedStep = view.step;
      scheduleDraw();
    });
    return button;
  }));
}

/** While points stream in: the state (the whole run) saved at most every `SAVE_EVERY_MS`, not at every append. */
const SAVE_EVERY_MS = 2_000;
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function save(): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = undefined;
  api.setState({ run: run === null ? null : { ...run, chosenRange: range ?? run.chosenRange } });
}

function saveSoon(): void {
  saveTimer ??= setTimeout(save, SAVE_EVERY_MS);
}

function renderSummary(): void {
  renderText(run, { range: currentRange(), chosen: range !== null || (run?.chosenRange ?? null) !== null });
}

// ---------------------------------------------------------------------------------------------
// Chart

/** Updates the chart in place when it already shows `kind`, else replaces it (linear x axis, legend below). */
function showLinearChart(canvas: HTMLCanvasElement, kind: 'train' | 'progress', { datasets, scales }: LinearChart): void {
  // Same kind and the same axes (a metric axis appears with the first metric): update in place.
  if (chart !== null && chartKind === kind && Object.keys(chart.options.scales ?? {}).sort().join() === Object.keys(scales).sort().join()) {
    chart.data.datasets = datasets;
    // The axes follow the data too: a loss axis cut at its first draw's values kept that cut for the whole run.
    chart.options.scales = scales;
    chart.update('none');
  } else {
    chart?.destroy();
    chartKind = kind;
    chart = new Chart<'line', { x: number; y: number }[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
        plugins: { legend: { position: 'bottom', labels: { color: cssVar('--vscode-editor-foreground', '#333') } } },
        scales,
      },
    });
  }
  recordDrawn(canvas, chart);
}

/** What Chart.js drew, for the editor tests to read: each series' colour and whether it shows, the axes' types. */
function recordDrawn(canvas: HTMLCanvasElement, drawn: Chart): void {
  canvas.dataset['series'] = JSON.stringify(drawn.data.datasets.map((d, i) => ({ label: d.label, color: d.borderColor, shown: drawn.isDatasetVisible(i) })));
  canvas.dataset['xScale'] = drawn.scales['x']?.type ?? '';
  canvas.dataset['yScale'] = drawn.scales['y']?.type ?? '';
}

function draw(): void {
  redrawQueued = false;
  const drawStarted = performance.now();
  const views = run?.kind === 'recipe' ? recipeViews(run) : [];
  const view = run?.kind === 'recipe' ? pickedView(views, pickedStep) : null;
  renderSteps(views, view);
  shown = view?.run ?? run;
  // What the chart shows, for the editor tests: the recipe step drawn.
  element('chart').dataset['step'] = view?.step ?? '';
  if (shown?.kind === 'momentum' || shown?.kind === 'weight-decay' || shown?.kind === 'batch-size' || shown?.kind === 'recipe') {
    showLinearChart(element<HTMLCanvasElement>('chart'), 'progress', progressChart(shown));
    renderSummary();
    element('summary').dataset['drawMs'] = (performance.now() - drawStarted).toFixed(1);
    return;
  }
  if (shown?.kind === 'train') {
    showLinearChart(element<HTMLCanvasElement>('chart'), 'train', trainingChart(shown));
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
  const bounds = yBounds(shown);
  if (chart === null) {
    chart = new Chart<'line', { x: number; y: number }[]>(canvas, {
      type: 'line',
      data: { datasets: rangeDatasets(shown) },
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
          y: { title: { display: true, text: 'loss', color: fg }, ticks: { color: fg, stepSize: bounds.stepSize, callback: (_v, index, ticks) => distinctTickLabels(ticks.map((t) => t.value))[index] }, grid: { color: grid }, min: bounds.min, max: bounds.max },
        },
      },
      plugins: [rangePlugin(currentRange)],
    });
    // Once per canvas: a chart made again (another run, or another step of a recipe) keeps the same listeners.
    if (!dragAttached) attachDrag(canvas, {
      chart: () => chart,
      range: draggableRange,
      move: (moved) => {
        range = moved;
        scheduleDraw();
      },
      release: () => {
        if (run === null || range === null) return;
        api.postMessage({ type: 'chooseRange', runId: run.runId, range });
        save();
      },
    });
    dragAttached = true;
  } else {
    chart.data.datasets = rangeDatasets(shown);
    const y = chart.options.scales?.['y'];
    if (y !== undefined) {
      const scale = y as { min?: number | undefined; max?: number | undefined; ticks?: { stepSize?: number | undefined } };
      scale.min = bounds.min;
      scale.max = bounds.max;
      if (scale.ticks !== undefined) scale.ticks.stepSize = bounds.stepSize;
    }
    chart.update('none');
  }
  recordDrawn(canvas, chart);
  renderSummary();
  // Read by the editor tests: the panel must stay responsive with 10,000+ points.
  element('summary').dataset['drawMs'] = (performance.now() - drawStarted).toFixed(1);
}

function scheduleDraw(): void {
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(draw);
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
        if (run === null || message.run.runId !== run.runId) {
          range = null;
          pickedStep = null;
        }
        run = message.run;
        save();
        scheduleDraw();
        return;
      case 'append': {
        if (run === null || message.runId !== run.runId) return;
        // Appended in place, and the state saved now and then: a copy of the series and a setState of the
        // whole run for every append made a batch-size study's 28k points fall minutes behind the engine.
        const held = run.series[message.params.series] as StreamPoint[] | undefined;
        if (message.params.restart === true || held === undefined) run = { ...run, series: { ...run.series, [message.params.series]: [...message.params.points] } };
        else for (const point of message.params.points) held.push(point);
        saveSoon();
        scheduleDraw();
        return;
      }
      case 'progress':
        if (run === null || message.runId !== run.runId) return;
        run = { ...run, progress: message.params };
        element('status').textContent = message.params.message;
        return;
      case 'exportPng':
        // Answered in every state: an empty panel says it has no chart.
        api.postMessage({ type: 'pngAnswer', requestId: message.requestId, dataUrl: chart !== null && run !== null ? opaquePng(chart.canvas) : null });
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
    if (chart !== null && run !== null) api.postMessage({ type: 'pngData', runId: run.runId, dataUrl: opaquePng(chart.canvas) });
  });

  save();
  // Ready first: the host's answer (the run as it is now) is on its way while the chart is built; it is
  // handled after this task, so after the first draw.
  document.body.dataset['readyAt'] = String(Date.now());
  api.postMessage({ type: 'ready' });
  draw();
}
