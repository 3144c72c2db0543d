/**
 * Colours from the VS Code theme with enough contrast for what must stay visible: the theme's
 * colours (read by `cssVar`) mixed with transparency where a line should stay faint, and checked
 * against the editor background by WCAG's contrast ratio. No DOM here: unit-tested in Node.
 */

export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

/** `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)`, `rgba(…)`; `null` for anything else (a colour name). */
export function parseColor(text: string): Rgba | null {
  const s = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(s)?.[1];
  if (hex !== undefined) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    const byte = (i: number): number => Number.parseInt(full.slice(i * 2, i * 2 + 2), 16);
    return { r: byte(0), g: byte(1), b: byte(2), a: full.length === 8 ? byte(3) / 255 : 1 };
  }
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+)(%?))?\s*\)$/.exec(s);
  if (fn === null) return null;
  const alpha = fn[4] === undefined ? 1 : Number(fn[4]) / (fn[5] === '%' ? 100 : 1);
  return { r: Number(fn[1]), g: Number(fn[2]), b: Number(fn[3]), a: Math.min(1, Math.max(0, alpha)) };
}

export function rgbaText(c: Rgba): string {
  return `rgba(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)}, ${Number(c.a.toFixed(3))})`;
}

/** `top` drawn over an opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const mix = (x: number, y: number): number => x * top.a + y * (1 - top.a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

function luminance(c: Rgba): number {
  const lin = (v: number): number => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** WCAG contrast ratio (1–21) of `color` as drawn over the opaque `background`. */
export function contrastRatio(color: Rgba, background: Rgba): number {
  const bg = { ...background, a: 1 };
  const [l1, l2] = [luminance(over(color, bg)), luminance(bg)];
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

/** WCAG 2.1 §1.4.11: graphical objects people must see have a contrast of at least 3:1. */
export const MIN_GRAPHIC_CONTRAST = 3;
/** How much of the foreground the raw (unsmoothed) loss line keeps: visible, but behind the smoothed curve. */
export const RAW_LINE_ALPHA = 0.45;

/**
 * The raw loss curve's colours from the theme's foreground and background: a faint line, and a
 * legend swatch (chart.js fills it with the dataset's background colour) with at least
 * MIN_GRAPHIC_CONTRAST against the background in light, dark and high-contrast themes alike.
 * Colours that cannot be parsed are used as they are (solid, so still visible).
 */
export function rawLossColors(foreground: string, background: string): { line: string; swatch: string } {
  const fg = parseColor(foreground);
  const bg = parseColor(background);
  if (fg === null || bg === null) return { line: foreground, swatch: foreground };
  const swatch = [0.6, 0.75, 0.9, 1].map((a) => ({ ...fg, a: fg.a * a })).find((c) => contrastRatio(c, bg) >= MIN_GRAPHIC_CONTRAST) ?? { ...fg, a: 1 };
  return { line: rgbaText({ ...fg, a: fg.a * RAW_LINE_ALPHA }), swatch: rgbaText(swatch) };
}
