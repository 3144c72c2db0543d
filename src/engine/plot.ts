/**
 * `--plot out.png|out.html` for range tests: the same picture the webview draws (loss against
 * LR on a log axis, raw and smoothed, suggestions marked, Smith's range shaded), rendered with
 * chart.js — to PNG through @napi-rs/canvas (its binary ships in an npm platform package), or
 * as one self-contained HTML file with chart.js inlined (no remote resources).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FindLrResult, SuggestionName } from '../protocol/results';
import { LrLabError } from '../protocol/errors';
import { formatLr, formatSeconds } from '../protocol/format';
import { lossAxisRange } from '../protocol/lossAxis';

const COLORS: Record<SuggestionName | 'range' | 'raw' | 'smoothed', string> = {
  raw: 'rgba(120, 144, 156, 0.55)',
  smoothed: '#1565c0',
  steep: '#e65100',
  valley: '#2e7d32',
  minimum: '#6a1b9a',
  range: 'rgba(255, 193, 7, 0.18)',
};

interface XY {
  x: number;
  y: number;
}

/** A chart.js config (plain JSON, so it can be inlined into HTML as is). */
export function rangeTestChartConfig(result: FindLrResult): Record<string, unknown> {
  const raw: XY[] = [];
  const smoothed: XY[] = [];
  for (const p of result.points) {
    if (p.loss !== null) raw.push({ x: p.lr, y: p.loss });
    if (p.smoothed !== null) smoothed.push({ x: p.lr, y: p.smoothed });
  }
  // Clip the blow-up at the end so the interesting part fills the plot (the same axis everywhere).
  const axis = lossAxisRange(smoothed.map((p) => p.y), raw.map((p) => p.y));
  const low = axis?.min ?? 0;
  const top = axis?.max ?? 1;
  const valueAt = (lr: number): number => {
    let best = smoothed[0] ?? { x: lr, y: low };
    for (const p of smoothed) if (Math.abs(Math.log(p.x / lr)) < Math.abs(Math.log(best.x / lr))) best = p;
    return best.y;
  };
  const datasets: Record<string, unknown>[] = [];
  if (result.range !== null) {
    datasets.push({
      label: `Smith's range ${formatLr(result.range.minLr)}–${formatLr(result.range.maxLr)}`,
      data: [{ x: result.range.minLr, y: top }, { x: result.range.maxLr, y: top }],
      borderWidth: 0,
      pointRadius: 0,
      fill: 'origin',
      backgroundColor: COLORS.range,
    });
  }
  datasets.push(
    { label: 'loss', data: raw, borderColor: COLORS.raw, borderWidth: 1, pointRadius: 0 },
    { label: 'smoothed', data: smoothed, borderColor: COLORS.smoothed, borderWidth: 2.5, pointRadius: 0 },
  );
  for (const name of ['steep', 'valley', 'minimum'] as const) {
    const lr = result.suggestions[name];
    if (lr === null) continue;
    datasets.push({
      type: 'scatter',
      label: `${name} ${formatLr(lr)}`,
      data: [{ x: lr, y: Math.min(valueAt(lr), top) }],
      pointRadius: 7,
      pointStyle: 'triangle',
      backgroundColor: COLORS[name],
      borderColor: COLORS[name],
    });
  }
  return {
    type: 'line',
    data: { datasets },
    options: {
      responsive: false,
      animation: false,
      parsing: false,
      plugins: {
        title: { display: true, text: `LR range test — ${path.basename(result.model)} (${result.backend}, ${formatSeconds(result.seconds)})` },
        legend: { position: 'bottom' },
      },
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: 'learning rate' } },
        y: { min: Math.max(0, low - (top - low) * 0.05), max: top, title: { display: true, text: 'loss' } },
      },
    },
  };
}

interface CanvasModule {
  createCanvas(width: number, height: number): { getContext(kind: '2d'): unknown; toBuffer(mime: 'image/png'): Buffer };
}

/** Tick labels on the log LR axis: decades only, as 1e-4 … 10. */
function logTick(value: number | string): string {
  const v = Number(value);
  const exponent = Math.log10(v);
  if (Math.abs(exponent - Math.round(exponent)) > 1e-9) return '';
  return v >= 0.01 && v <= 100 ? String(v) : `1e${Math.round(exponent)}`;
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
  const rows = (['steep', 'valley', 'minimum'] as const)
    .map((name) => `<tr><td>${name}</td><td>${formatLr(result.suggestions[name])}</td><td>${escapeHtml(result.reasons[name])}</td></tr>`)
    .join('');
  const range = result.range === null ? '—' : `${formatLr(result.range.minLr)} – ${formatLr(result.range.maxLr)}`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>LR range test — ${escapeHtml(path.basename(result.model))}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}td{padding:.2em .8em;border-bottom:1px solid #ddd}</style></head>
<body><canvas id="chart" width="1000" height="600"></canvas>
<table><tr><th>suggestion</th><th>LR</th><th>why</th></tr>${rows}<tr><td>Smith's range</td><td>${range}</td><td>${escapeHtml(result.reasons.range)}</td></tr></table>
<script>${escapeScript(chartJsSource())}</script>
<script>const config = ${escapeScript(JSON.stringify(config))};
config.options.scales.x.ticks = { callback: ${logTick.toString()} };
new Chart(document.getElementById('chart'), config);</script>
</body></html>
`;
}

/** Writes the plot; the extension decides the format (`.png` or `.html`). */
/** The PNG gets decade ticks as labels (a function, so not part of the JSON config the HTML plot embeds). */
function renderRangeTestPng(result: FindLrResult): Buffer {
  const config = rangeTestChartConfig(result);
  const options = config['options'] as { scales: { x: Record<string, unknown> } };
  options.scales.x['ticks'] = { callback: logTick };
  return renderChartPng(config);
}

export function writePlot(file: string, result: FindLrResult): void {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.png' && ext !== '.html' && ext !== '.htm') {
    throw new LrLabError('bad-option', `--plot must end in .png or .html, got '${file}'.`, { option: 'plot' });
  }
  const content = ext === '.png' ? renderRangeTestPng(result) : renderHtml(result);
  try {
    writeFileSync(file, content);
  } catch (error) {
    throw new LrLabError('bad-option', `Cannot write the plot to ${file}: ${error instanceof Error ? error.message : String(error)}.`, { option: 'plot', fix: 'Pick a folder that exists and is writable.' });
  }
}
