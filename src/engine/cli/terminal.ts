/** Small terminal renderings shared by CLI commands: curve sketches (LRs as `formatLr` writes them). */
import { plot } from 'asciichart';
import { formatLr } from '../../protocol/format';

/** Picks at most `width` evenly spaced samples (keeping first and last) for a sketch. */
export function sampleEvenly<T>(values: readonly T[], width: number): T[] {
  if (values.length <= width) return [...values];
  const out: T[] = [];
  for (let i = 0; i < width; i++) out.push(values[Math.round((i * (values.length - 1)) / (width - 1))]!);
  return out;
}

/**
 * Each of `width` consecutive runs of `values` (in order) as its lowest and its highest value: what a
 * column of a sketch spans (every value falls in one run, so no peak is lost between samples), and
 * how far it turns back within itself (`turns`).
 */
export function columnRanges(values: readonly number[], width: number): { readonly low: number[]; readonly high: number[]; readonly turns: number[] } {
  const low: number[] = [];
  const high: number[] = [];
  const turns: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / width));
    let [lo, hi] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (let j = from; j < to; j++) [lo, hi] = [Math.min(lo, values[j]!), Math.max(hi, values[j]!)];
    low.push(lo);
    high.push(hi);
    // How far the run goes beyond a straight path from its first value to its last: 0 for a run that only rises or only falls.
    turns.push(hi - lo - Math.abs(values[to - 1]! - values[from]!));
  }
  return { low, high, turns };
}

export function sketch(values: readonly number[], options: { height?: number; width?: number; format?: (v: number) => string } = {}): string {
  const finite = values.filter((v) => Number.isFinite(v));
  const width = options.width ?? 60;
  if (finite.length < 2) return '(not enough finite values to draw)';
  const format = options.format ?? formatLr;
  // A flat series: asciichart labels its one row with the value rounded to a whole number (a constant
  // LR of 0.1 drew as "0 ┼───"); drawn here with its own value.
  if (finite.every((v) => v === finite[0])) return `${format(finite[0]!).padStart(9)} ┼${'─'.repeat(Math.min(width, finite.length) - 1)} `;
  const config = { height: options.height ?? 8, format: (v: number) => format(v).padStart(9) };
  if (finite.length <= width) return plot(finite, config);
  // More values than columns: each column spans its values' range, drawn as the band's two edges. Every
  // 60th value of 1,000 steps of a 14-step triangular cycle drew 12 cycles of uneven peaks, not 71 full ones.
  // A column whose values only rise or fall (a 1cycle ramp) is what a line through the samples draws.
  const { low, high, turns } = columnRanges(finite, width);
  const rowHeight = (Math.max(...high) - Math.min(...low)) / config.height;
  return turns.every((t) => t <= rowHeight / 2) ? plot(sampleEvenly(finite, width), config) : plot([high, low], config);
}
