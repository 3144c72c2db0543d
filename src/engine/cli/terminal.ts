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

export function sketch(values: readonly number[], options: { height?: number; width?: number; format?: (v: number) => string } = {}): string {
  const finiteValues = sampleEvenly(values.filter((v) => Number.isFinite(v)), options.width ?? 60);
  if (finiteValues.length < 2) return '(not enough finite values to draw)';
  const format = options.format ?? formatLr;
  // A flat series: asciichart labels its one row with the value rounded to a whole number (a constant
  // LR of 0.1 drew as "0 ┼───"); drawn here with its own value.
  if (finiteValues.every((v) => v === finiteValues[0])) return `${format(finiteValues[0]!).padStart(9)} ┼${'─'.repeat(finiteValues.length - 1)} `;
  return plot(finiteValues, { height: options.height ?? 8, format: (v) => format(v).padStart(9) });
}
