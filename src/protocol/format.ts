/**
 * How LR Lab writes a learning rate for people, everywhere (CLI, panel, CodeLens, notifications,
 * reasons): 3 significant digits, exponent form below 1e-3 (and from 1e4 up), no trailing zeros.
 * `0.0123`, `0.3`, `1.23e-4`, `2e-5`. One rule so that the same LR reads the same in every place.
 */
export function formatLr(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const rounded = Number(x.toPrecision(3)); // decide the form on the digits that are shown
  const a = Math.abs(rounded);
  if (a >= 1e-3 && a < 1e4) return String(rounded);
  const [mantissa = '', exponent = ''] = rounded.toExponential(2).split('e');
  return `${String(Number(mantissa))}e${exponent.replace('+', '')}`;
}
