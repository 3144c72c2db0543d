/**
 * The datasets of the LR-vs-loss chart: the fitted (lag-free) curve the advice is read from in
 * bold with the raw loss behind it, the EMA as an overlay hidden until its legend entry is
 * clicked, the headline's marker emphasised and coinciding markers merged (src/protocol/rangeView).
 * While a run streams only the EMA exists; the fitted curve replaces it when the result arrives.
 */
import type { ChartDataset } from 'chart.js';
import type { RunSnapshot } from '../src/protocol/webviewMessages';
import type { StreamPoint } from '../src/protocol/progress';
import type { FindLrResult, FittedPoint, SweepCurve } from '../src/protocol/results';
import { formatLoss, formatLr } from '../src/protocol/format';
import { curveValueAt, fittedOf, markerCurve, rangeMarkers, sweepDivergence } from '../src/protocol/rangeView';
import { chartLossAxis, lossAxisRange } from '../src/protocol/lossAxis';
import { lttb } from './lttb';
import { cssVar } from './cssVar';
import { rawLossColors } from './themeColors';
import { baselineDataset, baselineOf } from './baselineLine';
import { extent } from './bounds';

/** Points drawn per series at most; the full data stays in the snapshot. */
const MAX_DRAWN = 1000;

type LineSet = ChartDataset<'line', { x: number; y: number }[]>;

const xy = (points: readonly FittedPoint[]): { x: number; y: number }[] => points.map((p) => ({ x: p.lr, y: p.loss }));

/** The fitted curve of a series when its result has one (the main run, or a sweep curve of that label). */
function fittedFor(run: RunSnapshot, name: string): readonly FittedPoint[] {
  const result = run.result;
  if (result?.kind === 'find-lr' && name === 'main') return fittedOf(result);
  if (result?.kind === 'sweep') {
    const curve = result.curves.find((c) => c.label === name);
    return curve === undefined ? [] : fittedOf(curve);
  }
  return [];
}

export function rangeDatasets(run: RunSnapshot | null): LineSet[] {
  if (run === null) return [];
  const rawColors = rawLossColors(cssVar('--vscode-editor-foreground', '#333'), cssVar('--vscode-editor-background', '#fff'));
  const accent = cssVar('--vscode-charts-blue', '#1565c0');
  const palette = [accent, cssVar('--vscode-charts-orange', '#e65100'), cssVar('--vscode-charts-green', '#2e7d32'), cssVar('--vscode-charts-purple', '#6a1b9a'), cssVar('--vscode-charts-red', '#c62828'), cssVar('--vscode-charts-yellow', '#f9a825')];
  const out: LineSet[] = [];
  const names = Object.keys(run.series);
  const sweepResult = run.result?.kind === 'sweep' ? run.result : null;
  names.forEach((name, i) => {
    const points = run.series[name] ?? [];
    const raw = points.filter((p): p is StreamPoint & { loss: number } => p.loss !== null && p.lr > 0).map((p) => ({ x: p.lr, y: p.loss }));
    const smooth = points.filter((p): p is StreamPoint & { smoothed: number } => p.smoothed !== null && p.lr > 0).map((p) => ({ x: p.lr, y: p.smoothed }));
    const fitted = fittedFor(run, name);
    const color = palette[i % palette.length] ?? accent;
    const label = name === 'main' ? '' : `${name} `;
    const isBest = sweepResult !== null && sweepResult.best !== null && sweepResult.curves[sweepResult.best]?.label === name;
    if (names.length === 1) out.push({ label: `${label}loss (raw)`, data: lttb(raw, MAX_DRAWN), borderColor: rawColors.line, backgroundColor: rawColors.swatch, borderWidth: 1, pointRadius: 0, parsing: false });
    const bold = fitted.length > 0 ? xy(fitted) : smooth;
    const what = fitted.length > 0 ? 'fitted loss (what the advice reads)' : 'smoothed loss (EMA)';
    out.push({ label: `${label}${what}${isBest ? ' (best)' : ''}`, data: lttb(bold, MAX_DRAWN), borderColor: color, borderWidth: isBest ? 4.5 : 3, borderDash: sweepResult !== null && !isBest ? [6, 3] : [], pointRadius: 0, parsing: false });
    if (fitted.length > 0 && names.length === 1) out.push({ label: `${label}EMA (β ${run.settings.smoothing ?? 0.98}, lags)`, data: lttb(smooth, MAX_DRAWN), borderColor: `${color}88`, borderWidth: 1, borderDash: [4, 3], pointRadius: 0, parsing: false, hidden: true });
    const curve = sweepResult?.curves.find((c) => c.label === name);
    if (curve !== undefined && fitted.length > 0) out.push(...sweepCurveMarkers(curve, fitted, color));
  });
  const lrs = extent(Object.values(run.series).flatMap((points) => points.map((p) => (p.lr > 0 ? p.lr : Number.NaN))));
  const reference = lrs === null ? null : baselineDataset(baselineOf(run), (run.settings.signal ?? 'train') === 'val' ? 'val' : 'train', lrs.min, lrs.max);
  if (reference !== null) out.push(reference);
  const result = run.result?.kind === 'find-lr' ? run.result : null;
  if (result !== null) out.push(...markerDatasets(result));
  return out;
}

function markerDatasets(result: FindLrResult): LineSet[] {
  const out: LineSet[] = [];
  const colors = { recommended: cssVar('--vscode-charts-red', '#c62828'), steep: cssVar('--vscode-charts-orange', '#e65100'), valley: cssVar('--vscode-charts-green', '#2e7d32'), minimum: cssVar('--vscode-charts-purple', '#6a1b9a') };
  const curve = markerCurve(result);
  const yAt = (lr: number): number => curveValueAt(curve, lr) ?? 0;
  for (const m of rangeMarkers(result)) {
    const color = colors[m.names[0]!];
    // A marker: a one-point line dataset without a line (what chart.js's scatter type is).
    out.push({ label: m.label, data: [{ x: m.lr, y: yAt(m.lr) }], showLine: false, pointRadius: m.headline ? 11 : 6, pointStyle: m.headline ? 'star' : 'triangle', borderWidth: m.headline ? 3 : 1, backgroundColor: color, borderColor: color });
  }
  if (result.divergedAt !== null) {
    const grey = cssVar('--vscode-disabledForeground', '#616161');
    out.push({ label: `${result.stopReason === 'non-finite' ? 'NaN/Inf' : 'diverged'} at ${formatLr(result.divergedAt)}`, data: [{ x: result.divergedAt, y: yAt(result.divergedAt) }], showLine: false, pointRadius: 8, pointStyle: 'crossRot', borderWidth: 3, backgroundColor: grey, borderColor: grey });
  }
  return out;
}

/**
 * On a sweep curve, what its table row says, on its bold (fitted) curve: the lowest loss, the end
 * of its stable range and where it blows up, in the curve's colour.
 */
function sweepCurveMarkers(curve: SweepCurve, fitted: readonly FittedPoint[], color: string): LineSet[] {
  const out: LineSet[] = [];
  const at = (lr: number): { x: number; y: number }[] => [{ x: lr, y: curveValueAt(fitted, lr) ?? 0 }];
  if (curve.lrAtMinLoss !== null) out.push({ label: `${curve.label}: lowest ${formatLoss(curve.minSmoothedLoss)} at ${formatLr(curve.lrAtMinLoss)}`, data: at(curve.lrAtMinLoss), showLine: false, pointRadius: 6, pointStyle: 'circle', backgroundColor: color, borderColor: color });
  if (curve.stableRange !== null) out.push({ label: `${curve.label}: stable ${formatLr(curve.stableRange.minLr)} – ${formatLr(curve.stableRange.maxLr)}`, data: [...at(curve.stableRange.minLr), ...at(curve.stableRange.maxLr)], showLine: false, pointRadius: 7, pointStyle: 'line', borderWidth: 3, backgroundColor: color, borderColor: color });
  const diverges = sweepDivergence(curve);
  if (diverges !== null) out.push({ label: `${curve.label}: climbs above its start at ${formatLr(diverges)}`, data: at(diverges), showLine: false, pointRadius: 7, pointStyle: 'crossRot', borderWidth: 3, backgroundColor: color, borderColor: color });
  return out;
}

/** The loss axis of the LR chart (`lossAxisRange`, the same everywhere) with 5 % room below, widened to show the baseline, on a round step's grid (`onTickGrid`); `{}` lets chart.js choose. */
export function yBounds(run: RunSnapshot | null): { min?: number; max?: number; stepSize?: number } {
  const main = run === null ? [] : Object.values(run.series).flat();
  const result = run?.result;
  const fitted = result?.kind === 'find-lr' ? fittedOf(result).map((p) => p.loss) : result?.kind === 'sweep' ? result.curves.flatMap((c) => fittedOf(c).map((p) => p.loss)) : [];
  const smooth = fitted.length > 0 ? fitted : main.map((p) => p.smoothed).filter((v): v is number => v !== null && Number.isFinite(v));
  if (smooth.length < 3) return {};
  const axis = lossAxisRange(smooth, main.map((p) => p.loss));
  if (axis === null) return {};
  const b = baselineOf(run);
  return chartLossAxis(axis, b === null ? null : (run?.settings.signal ?? 'train') === 'val' ? (b.valLoss ?? b.loss) : b.loss);
}
