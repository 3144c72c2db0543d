/** Small terminal renderings shared by CLI commands: curve sketches and number formatting. */
import { plot } from 'asciichart';

/** `0.00123` → `1.23e-3`; keeps LRs readable across decades. */
export function formatLr(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(value)));
  if (exp >= -2 && exp <= 3) return Number(value.toPrecision(3)).toString();
  const [mantissa, exponent] = value.toExponential(2).split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}

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
  return plot(finiteValues, { height: options.height ?? 8, format: (v) => format(v).padStart(9) });
}
