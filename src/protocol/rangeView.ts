/**
 * What every picture of a range test shows, computed once for the panel (webview), the PNG/HTML
 * plots and the terminal: the headline, the lag-free curve the advice is read from, the markers
 * (coinciding ones merged into one label) and loss-axis tick labels that never repeat. Pure
 * functions on result JSON; results of format 1 (no `recommended`, no `fitted`) read as "absent".
 */
import { formatLr } from './format';
import type { FindLrResult, FittedPoint, LrRange, LrRecommendation, RangePoint, RangeStopReason, SuggestionName, SweepCurve } from './results';

/** The fields a range-test picture reads (a `FindLrResult` or a `SweepCurve`; format 1 files lack the last two). */
export interface RangeView {
  readonly points: readonly RangePoint[];
  readonly suggestions: Readonly<Record<SuggestionName, number | null>>;
  readonly recommended?: LrRecommendation | null;
  readonly fitted?: readonly FittedPoint[];
}

export function recommendedOf(result: RangeView): LrRecommendation | null {
  return result.recommended ?? null;
}

/** The headline as an LR range (what the CodeLens inserts, the side view and `lrlab train` offer), else `null`. */
export function headlineRange(result: RangeView): LrRange | null {
  const headline = recommendedOf(result);
  return headline === null ? null : { minLr: headline.minLr, maxLr: headline.maxLr };
}

/**
 * The range a range test offers to insert (the CodeLens) or to train at (Train with 1cycle): the one
 * the user chose on its chart, else its headline — but not a headline read from a test the cancel cut
 * short (`recommended.cut`), whose higher LRs were never tried: the lens offered a cancelled run's
 * 2.9e-4 where the whole runs recommended 0.0554–0.156.
 */
export function offeredRange(chosen: LrRange | null, result: RangeView): LrRange | null {
  if (chosen !== null) return chosen;
  return recommendedOf(result)?.cut === true ? null : headlineRange(result);
}

/**
 * Where a sweep curve's loss blows up, as the table and the chart show it: the headline's
 * raw-loss rule (`blowUpLr`); results without it (older files) show where the run stopped.
 */
export function sweepDivergence(curve: Pick<SweepCurve, 'blowUpLr' | 'divergedAt'>): number | null {
  return curve.blowUpLr ?? curve.divergedAt;
}

/** The lag-free curve; a format-1 result has none (then pictures fall back to the EMA). */
export function fittedOf(result: RangeView): readonly FittedPoint[] {
  return result.fitted ?? [];
}

/** The curve markers sit on: the fitted one, else the EMA (format 1). */
export function markerCurve(result: RangeView): FittedPoint[] {
  const fitted = fittedOf(result);
  if (fitted.length > 0) return [...fitted];
  return result.points.filter((p): p is RangePoint & { smoothed: number } => p.smoothed !== null && p.lr > 0).map((p) => ({ lr: p.lr, loss: p.smoothed }));
}

/** The curve's value at the point nearest `lr` in log LR (`null` for an empty curve). */
export function curveValueAt(curve: readonly FittedPoint[], lr: number): number | null {
  let best: FittedPoint | null = null;
  for (const p of curve) if (best === null || Math.abs(Math.log(p.lr / lr)) < Math.abs(Math.log(best.lr / lr))) best = p;
  return best?.loss ?? null;
}

export type MarkerName = 'recommended' | SuggestionName;
/** Order of names inside a merged label: the headline first, then fastai's default, then the rest. */
export const MARKER_ORDER: readonly MarkerName[] = ['recommended', 'valley', 'steep', 'minimum'];

export interface RangeMarker {
  readonly lr: number;
  readonly names: readonly MarkerName[];
  /** Whether the headline is among them (drawn emphasised). */
  readonly headline: boolean;
  /** e.g. "recommended max LR 0.115 (= steep)", "recommended max LR 0.898, unconfirmed", "valley = minimum 0.0376". */
  readonly label: string;
}

/**
 * One marker per distinct LR as people read it (`formatLr`): two suggestions that print the same
 * share one marker and one label, so neither hides the other.
 */
export function rangeMarkers(result: RangeView): RangeMarker[] {
  const headline = recommendedOf(result);
  const entries: { name: MarkerName; lr: number }[] = [];
  if (headline !== null) entries.push({ name: 'recommended', lr: headline.maxLr });
  for (const name of MARKER_ORDER) {
    if (name === 'recommended') continue;
    const lr = result.suggestions[name];
    if (lr !== null && Number.isFinite(lr) && lr > 0) entries.push({ name, lr });
  }
  const groups = new Map<string, { lr: number; names: MarkerName[] }>();
  for (const e of entries) {
    const key = formatLr(e.lr);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { lr: e.lr, names: [e.name] });
    else group.names.push(e.name);
  }
  return [...groups.entries()].map(([text, g]) => {
    const isHeadline = g.names[0] === 'recommended';
    const others = g.names.filter((n) => n !== 'recommended');
    // Nothing seen to learn: the marker says so where the eye lands first (the reason says why).
    const unconfirmed = isHeadline && headline?.learned === false ? ', unconfirmed' : '';
    const label = isHeadline ? `recommended max LR ${text}${unconfirmed}${others.length > 0 ? ` (= ${others.join(' = ')})` : ''}` : `${others.join(' = ')} ${text}`;
    return { lr: g.lr, names: g.names, headline: isHeadline, label };
  });
}

/*
 * The two tick formatters below are self-contained on purpose: the HTML plot (src/engine/plot.ts)
 * inlines their source with `toString()`. So neither may call anything outside itself, nor bind a
 * function to a name inside itself: a production build keeps function names (esbuild `keepNames`)
 * by wrapping such bindings in a helper of the bundle, which the page does not have (the unit test
 * "tick formatters" builds them that way and runs their source alone).
 */

/**
 * Tick labels for a linear loss axis, with the fewest significant digits (at least 2) that keep
 * every label different, in plain notation (no thousands separators) between 1e-3 and 1e5. Chart
 * libraries' defaults can print "0.4" twice or "1,042.6" beside "1,000"; these cannot.
 */
export function distinctTickLabels(values: readonly number[]): string[] {
  for (let digits = 2; digits <= 12; digits++) {
    const labels = values.map((v) => {
      if (v === 0) return '0';
      const a = Math.abs(v);
      const rounded = Number(v.toPrecision(digits));
      return a >= 1e-3 && a < 1e5 ? String(rounded) : rounded.toExponential(Math.max(0, digits - 1)).replace('e+', 'e');
    });
    const distinctValues = new Set(values).size;
    if (new Set(labels).size === distinctValues) return labels;
  }
  return values.map((v) => String(v));
}

/** Tick labels on the log LR axis: decades only, as 1e-4 … 10. */
export function logTick(value: number | string): string {
  const v = Number(value);
  const exponent = Math.log10(v);
  if (Math.abs(exponent - Math.round(exponent)) > 1e-9) return '';
  return v >= 0.01 && v <= 100 ? String(v) : `1e${Math.round(exponent)}`;
}

/**
 * Why curves show no max LR ("—"), one line per reason with the curves it applies to (a user's
 * sweep showed the dash and nothing else). The CLI and the panel both say it.
 */
export function noHeadlineLines(curves: readonly SweepCurve[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const c of curves) {
    if (c.recommended !== null || c.noHeadline === null) continue;
    byReason.set(c.noHeadline, [...(byReason.get(c.noHeadline) ?? []), c.label]);
  }
  return [...byReason].map(([reason, labels]) => `no max LR for ${labels.join('; ')}: ${reason}`);
}

/**
 * How the curve shown stopped, and where a cancel came after it: a run cancelled in its third range
 * test (or its short runs) read "stopped: cancelled at LR 0.0951", the LR where the test shown had
 * diverged (trial Z). `cancelledIn`: the range test the cancel cut (1-based), `'short runs'`, or null
 * where the shown curve's own stop is the run's.
 */
export function shownStop(result: Pick<FindLrResult, 'stopReason' | 'divergedAt' | 'rangeTests'>): { readonly stopReason: RangeStopReason; readonly divergedAt: number | null; readonly cancelledIn: number | 'short runs' | null } {
  const shown = result.rangeTests?.find((t) => t.shown);
  if (shown === undefined || result.stopReason !== 'cancelled' || shown.stopReason === 'cancelled') return { stopReason: result.stopReason, divergedAt: result.divergedAt, cancelledIn: null };
  const cut = result.rangeTests!.findIndex((t) => t.stopReason === 'cancelled');
  return { stopReason: shown.stopReason, divergedAt: shown.divergedAt, cancelledIn: cut >= 0 ? cut + 1 : 'short runs' };
}

/** The words for where a cancel came after the curve shown ended by itself (`shownStop`). */
export function cancelledAfterText(cancelledIn: number | 'short runs'): string {
  return `then the run was cancelled, during ${cancelledIn === 'short runs' ? 'the short 1cycle runs' : `range test ${cancelledIn}`}`;
}
