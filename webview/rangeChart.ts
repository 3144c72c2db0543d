/**
 * The datasets of the LR-vs-loss chart: raw and smoothed loss per series (a sweep's best curve
 * bold, the others dashed), every suggestion and the divergence point as markers, and the loss
 * axis (`lossAxisRange`, so the blow-up does not squash the curve).
 */
import type { ChartDataset } from 'chart.js';
import type { RunSnapshot } from '../src/protocol/webviewMessages';
import type { StreamPoint } from '../src/protocol/progress';
import type { SuggestionName } from '../src/protocol/results';
import { formatLr } from '../src/protocol/format';
import { lossAxisRange } from '../src/protocol/lossAxis';
import { lttb } from './lttb';
import { cssVar } from './cssVar';
import { rawLossColors } from './themeColors';
import { baselineDataset, baselineOf } from './baselineLine';
import { extent, withBaseline } from './bounds';

/** Points drawn per series at most; the full data stays in the snapshot. */
const MAX_DRAWN = 1000;
const SUGGESTIONS: readonly SuggestionName[] = ['valley', 'steep', 'minimum'];

export function rangeDatasets(run: RunSnapshot | null): ChartDataset<'line', { x: number; y: number }[]>[] {
  if (run === null) return [];
  const rawColors = rawLossColors(cssVar('--vscode-editor-foreground', '#333'), cssVar('--vscode-editor-background', '#fff'));
  const accent = cssVar('--vscode-charts-blue', '#1565c0');
  const palette = [accent, cssVar('--vscode-charts-orange', '#e65100'), cssVar('--vscode-charts-green', '#2e7d32'), cssVar('--vscode-charts-purple', '#6a1b9a'), cssVar('--vscode-charts-red', '#c62828'), cssVar('--vscode-charts-yellow', '#f9a825')];
  const out: ChartDataset<'line', { x: number; y: number }[]>[] = [];
  const names = Object.keys(run.series);
  names.forEach((name, i) => {
    const points = run.series[name] ?? [];
    const raw = points.filter((p): p is StreamPoint & { loss: number } => p.loss !== null && p.lr > 0).map((p) => ({ x: p.lr, y: p.loss }));
    const smooth = points.filter((p): p is StreamPoint & { smoothed: number } => p.smoothed !== null && p.lr > 0).map((p) => ({ x: p.lr, y: p.smoothed }));
    const color = palette[i % palette.length] ?? accent;
    const label = name === 'main' ? '' : `${name} `;
    const sweepResult = run.result?.kind === 'sweep' ? run.result : null;
    const isBest = sweepResult !== null && sweepResult.best !== null && sweepResult.curves[sweepResult.best]?.label === name;
    if (names.length === 1) {
      out.push({ label: `${label}loss`, data: lttb(raw, MAX_DRAWN), borderColor: rawColors.line, backgroundColor: rawColors.swatch, borderWidth: 1, pointRadius: 0, parsing: false });
    }
    out.push({ label: `${label}smoothed${isBest ? ' (best)' : ''}`, data: lttb(smooth, MAX_DRAWN), borderColor: color, borderWidth: isBest ? 4.5 : 2, borderDash: sweepResult !== null && !isBest ? [6, 3] : [], pointRadius: 0, parsing: false });
  });
  const lrs = extent(Object.values(run.series).flatMap((points) => points.map((p) => (p.lr > 0 ? p.lr : Number.NaN))));
  const reference = lrs === null ? null : baselineDataset(baselineOf(run), (run.settings.signal ?? 'train') === 'val' ? 'val' : 'train', lrs.min, lrs.max);
  if (reference !== null) out.push(reference);
  const result = run.result?.kind === 'find-lr' ? run.result : null;
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

/** The loss axis of the LR chart (`lossAxisRange`) with 5 % room below, widened to show the baseline; `{}` lets chart.js choose. */
export function yBounds(run: RunSnapshot | null): { min?: number; max?: number } {
  const main = run === null ? [] : Object.values(run.series).flat();
  const smooth = main.map((p) => p.smoothed).filter((v): v is number => v !== null && Number.isFinite(v));
  if (smooth.length < 3) return {};
  const axis = lossAxisRange(smooth, main.map((p) => p.loss));
  if (axis === null) return {};
  const b = baselineOf(run);
  return withBaseline({ min: axis.min - (axis.max - axis.min) * 0.05, max: axis.max }, b === null ? null : (run?.settings.signal ?? 'train') === 'val' ? (b.valLoss ?? b.loss) : b.loss);
}
