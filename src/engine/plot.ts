/**
 * `--plot out.png|out.html` for range tests: the same picture the webview draws (loss against
 * LR on a log axis: the fitted curve the advice reads in bold over the raw loss, the headline
 * emphasised and its range shaded, the other suggestions marked), rendered with
 * chart.js — to PNG through @napi-rs/canvas (its binary ships in an npm platform package), or
 * as one self-contained HTML file with chart.js inlined (no remote resources).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FindLrResult } from '../protocol/results';
import { formatLr, formatSeconds, modelName } from '../protocol/format';
import { curveValueAt, distinctTickLabels, fittedOf, logTick, markerCurve, rangeMarkers, recommendedOf } from '../protocol/rangeView';
import { LrLabError } from '../protocol/errors';
import { chartLossAxis, lossAxisRange } from '../protocol/lossAxis';
import { baselineLabel } from '../protocol/baselineText';

const COLORS = {
  raw: 'rgba(120, 144, 156, 0.55)',
  fitted: '#1565c0',
  ema: 'rgba(21, 101, 192, 0.45)',
  headline: '#c62828',
  valley: '#2e7d32',
  steep: '#e65100',
  minimum: '#6a1b9a',
  range: 'rgba(255, 193, 7, 0.18)',
  diverged: '#424242',
  baseline: '#757575',
} as const;

interface XY {
  x: number;
  y: number;
}

/**
 * A chart.js config (plain JSON, so it can be inlined into HTML as is): the fitted curve the
 * advice is read from in bold, the raw loss behind it, the EMA as an overlay hidden until its
 * legend entry is clicked (`withEma: false` leaves it out, as the PNG does), the headline's range
 * shaded and its marker emphasised, coinciding markers merged into one label.
 */
export function rangeTestChartConfig(result: FindLrResult, options: { withEma?: boolean } = {}): Record<string, unknown> {
  const raw: XY[] = [];
  const smoothed: XY[] = [];
  for (const p of result.points) {
    if (p.loss !== null) raw.push({ x: p.lr, y: p.loss });
    if (p.smoothed !== null) smoothed.push({ x: p.lr, y: p.smoothed });
  }
  const curve = markerCurve(result);
  const bold = curve.map((p) => ({ x: p.lr, y: p.loss }));
  // Clip the blow-up at the end so the interesting part fills the plot (the same axis everywhere).
  const axis = lossAxisRange(bold.map((p) => p.y), raw.map((p) => p.y));
  // The baseline (the loss of a model that learned nothing), dashed as in the panel: the axis stretches to show it when it lies a little above.
  const level = result.baseline === null ? null : result.settings.signal === 'val' ? (result.baseline.valLoss ?? result.baseline.loss) : result.baseline.loss;
  // On a round step's grid, so that every gap between ticks is that step (chartLossAxis, the panel's too).
  const grid = chartLossAxis(axis ?? { min: 0, max: 1 }, level);
  const yMin = grid.min ?? 0;
  const top = grid.max ?? axis?.max ?? 1;
  const datasets: Record<string, unknown>[] = [];
  const headline = recommendedOf(result);
  if (headline !== null) {
    datasets.push({
      label: `recommended range ${formatLr(headline.minLr)}–${formatLr(headline.maxLr)}`,
      data: [{ x: headline.minLr, y: top }, { x: headline.maxLr, y: top }],
      borderWidth: 0,
      pointRadius: 0,
      fill: 'origin',
      backgroundColor: COLORS.range,
    });
  }
  datasets.push(
    { label: 'loss (raw)', data: raw, borderColor: COLORS.raw, borderWidth: 1, pointRadius: 0 },
    { label: fittedOf(result).length > 0 ? 'fitted loss (what the advice reads)' : 'smoothed loss (EMA)', data: bold, borderColor: COLORS.fitted, borderWidth: 3, pointRadius: 0 },
  );
  const lrs = result.points.map((p) => p.lr).filter((lr) => lr > 0 && Number.isFinite(lr));
  if (result.baseline !== null && level !== null && Number.isFinite(level) && level >= yMin && level <= top && lrs.length > 1) {
    const which = result.settings.signal === 'val' ? 'val' : 'train';
    // Loops, not Math.min(...lrs): a test of 100,000 steps is near the stack's limit for a spread (about 125,000
    // arguments in Node 20, 102,000 from 2,000 calls deep).
    const [lowLr, highLr] = [lrs.reduce((a, b) => (b < a ? b : a)), lrs.reduce((a, b) => (b > a ? b : a))];
    datasets.push({ label: baselineLabel(result.baseline, which), data: [{ x: lowLr, y: level }, { x: highLr, y: level }], borderColor: COLORS.baseline, borderWidth: 1.5, borderDash: [8, 4], pointRadius: 0 });
  }
  if (options.withEma !== false && fittedOf(result).length > 0) {
    datasets.push({ label: 'EMA (β 0.98, lags ~49 steps)', data: smoothed, borderColor: COLORS.ema, borderWidth: 1, borderDash: [4, 3], pointRadius: 0, hidden: true });
  }
  for (const m of rangeMarkers(result)) {
    const y = Math.min(curveValueAt(curve, m.lr) ?? axis?.min ?? 0, top);
    const color = COLORS[m.names[0]! === 'recommended' ? 'headline' : m.names[0]!];
    datasets.push({
      type: 'scatter',
      label: m.label,
      data: [{ x: m.lr, y }],
      pointRadius: m.headline ? 11 : 6,
      pointStyle: m.headline ? 'star' : 'triangle',
      borderWidth: m.headline ? 3 : 1,
      backgroundColor: color,
      borderColor: color,
    });
  }
  if (result.divergedAt !== null) {
    datasets.push({ type: 'scatter', label: `${result.stopReason === 'non-finite' ? 'NaN/Inf' : 'diverged'} at ${formatLr(result.divergedAt)}`, data: [{ x: result.divergedAt, y: top }], pointRadius: 8, pointStyle: 'crossRot', borderWidth: 3, backgroundColor: COLORS.diverged, borderColor: COLORS.diverged });
  }
  return {
    type: 'line',
    data: { datasets },
    options: {
      responsive: false,
      animation: false,
      parsing: false,
      plugins: {
        // The curve drawn is one test's: its own time, as the CLI's header gives it (it showed the three tests' sum).
        title: { display: true, text: `LR range test — ${modelName(result.model)} (${result.backend}, ${formatSeconds(result.rangeTests?.find((t) => t.shown)?.seconds ?? result.seconds)}${(result.rangeTests?.length ?? 1) > 1 ? `, the curve of test ${(result.rangeTests?.findIndex((t) => t.shown) ?? 0) + 1} of ${result.rangeTests!.length}` : ''})` },
        legend: { position: 'bottom' },
      },
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: 'learning rate' } },
        y: { min: yMin, max: top, title: { display: true, text: 'loss' }, ...(grid.stepSize === undefined ? {} : { ticks: { stepSize: grid.stepSize } }) },
      },
    },
  };
}

interface CanvasModule {
  createCanvas(width: number, height: number): { getContext(kind: '2d'): unknown; toBuffer(mime: 'image/png'): Buffer };
}

/** Renders any chart.js config to a PNG on a white background (the range-test plot; bench/timeToAccuracy.ts). */
export function renderChartPng(config: Record<string, unknown>, width = 1000, height = 600): Buffer {
  let canvasModule: CanvasModule;
  try {
    canvasModule = require('@napi-rs/canvas') as CanvasModule;
  } catch (error) {
    throw new LrLabError('internal', `PNG plots need @napi-rs/canvas, which did not load (${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}).`, {
      fix: 'Use --plot out.html instead, or reinstall LR Lab\'s dependencies.',
      option: 'plot',
    });
  }
  // chart.js is pure JS and bundled; it only needs a 2D context.
  const { Chart, registerables } = require('chart.js') as ChartJs;
  Chart.register(...registerables);
  const canvas = canvasModule.createCanvas(width, height);
  const context = canvas.getContext('2d');
  const background = {
    id: 'background',
    beforeDraw: (chart: { ctx: CanvasRenderingContext2DLike; width: number; height: number }) => {
      chart.ctx.save();
      chart.ctx.fillStyle = '#ffffff';
      chart.ctx.fillRect(0, 0, chart.width, chart.height);
      chart.ctx.restore();
    },
  };
  const chart = new Chart(context, { ...config, plugins: [background] });
  const png = canvas.toBuffer('image/png');
  chart.destroy();
  return png;
}

/** The part of chart.js used here (its types are ESM-only, this file is CommonJS). */
interface ChartJs {
  Chart: (new (context: unknown, config: Record<string, unknown>) => { destroy(): void }) & { register(...items: unknown[]): void };
  registerables: unknown[];
}

interface CanvasRenderingContext2DLike {
  save(): void;
  restore(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillStyle: string;
}

function chartJsSource(): string {
  // Resolved at run time from LR Lab's own node_modules (the HTML inlines the UMD build).
  // chart.js' exports map hides dist/; its main entry sits in the same folder as the UMD build.
  const file = path.join(path.dirname(createRequire(__filename).resolve('chart.js')), 'chart.umd.min.js');
  return readFileSync(file, 'utf8');
}

function escapeScript(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderHtml(result: FindLrResult): string {
  const config = rangeTestChartConfig(result);
  const headline = recommendedOf(result);
  const rows = (['valley', 'steep', 'minimum'] as const)
    .map((name) => `<tr><td>${name} (alternative)</td><td>${formatLr(result.suggestions[name])}</td><td>${escapeHtml(result.reasons[name])}</td></tr>`)
    .join('');
  const first = headline === null ? `<tr><td><b>recommended</b></td><td>—</td><td>${escapeHtml(result.reasons.range)}</td></tr>` : `<tr><td><b>recommended</b></td><td><b>${formatLr(headline.minLr)} – ${formatLr(headline.maxLr)}</b></td><td>${escapeHtml(headline.reason)}</td></tr>`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>LR range test — ${escapeHtml(modelName(result.model))}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}td{padding:.2em .8em;border-bottom:1px solid #ddd}</style></head>
<body><canvas id="chart" width="1000" height="600"></canvas>
<table><tr><th>suggestion</th><th>LR</th><th>why</th></tr>${first}${rows}</table>
<script>${escapeScript(chartJsSource())}</script>
<script>const config = ${escapeScript(JSON.stringify(config))};
config.options.scales.x.ticks = { callback: ${logTick.toString()} };
const distinctTickLabels = ${distinctTickLabels.toString()};
config.options.scales.y.ticks = { ...config.options.scales.y.ticks, callback: (value, index, ticks) => distinctTickLabels(ticks.map((t) => t.value))[index] };
new Chart(document.getElementById('chart'), config);</script>
</body></html>
`;
}

/** The PNG gets decade ticks as labels (a function, so not part of the JSON config the HTML plot embeds). */
function renderRangeTestPng(result: FindLrResult): Buffer {
  const config = rangeTestChartConfig(result, { withEma: false });
  const options = config['options'] as { scales: { x: Record<string, unknown>; y: Record<string, unknown> } };
  options.scales.x['ticks'] = { callback: logTick };
  options.scales.y['ticks'] = { ...(options.scales.y['ticks'] as Record<string, unknown> | undefined), callback: (_value: number, index: number, ticks: { value: number }[]) => distinctTickLabels(ticks.map((t) => t.value))[index] };
  return renderChartPng(config);
}

/** The plot file's contents for `file` (`.png` or `.html`); written by the caller through outputs.ts (temp file, then rename). */
export function plotContent(file: string, result: FindLrResult): Buffer | string {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.png' && ext !== '.html' && ext !== '.htm') {
    throw new LrLabError('bad-option', `--plot must end in .png or .html, got '${file}'.`, { option: 'plot' });
  }
  return ext === '.png' ? renderRangeTestPng(result) : renderHtml(result);
}
