/**
 * Smith's LR range on the chart: shaded, with two edges the user drags. The panel owns the range;
 * these read it and report moves through the hooks.
 */
import type { Chart, Plugin } from 'chart.js';
import type { LrRange } from '../src/protocol/results';
import { cssVar } from './cssVar';

/** Shades the range `current()` returns; its two edges are drawn as lines. */
export function rangePlugin(current: () => LrRange | null): Plugin<'line'> {
  return {
    id: 'lrlabRange',
    beforeDatasetsDraw(c) {
      const r = current();
      if (r === null) return;
      const x = c.scales['x'];
      if (x === undefined) return;
      const left = x.getPixelForValue(r.minLr);
      const right = x.getPixelForValue(r.maxLr);
      const { top, bottom } = c.chartArea;
      // Where the draggable edges are, in canvas pixels (read by the editor tests to drag them).
      document.getElementById('summary')?.setAttribute('data-range-px', `${left.toFixed(0)},${right.toFixed(0)},${((top + bottom) / 2).toFixed(0)}`);
      c.ctx.save();
      c.ctx.fillStyle = cssVar('--vscode-editor-findRangeHighlightBackground', 'rgba(255, 193, 7, 0.18)');
      c.ctx.fillRect(left, top, right - left, bottom - top);
      c.ctx.strokeStyle = cssVar('--vscode-focusBorder', '#d7a700');
      c.ctx.lineWidth = 2;
      for (const edge of [left, right]) {
        c.ctx.beginPath();
        c.ctx.moveTo(edge, top);
        c.ctx.lineTo(edge, bottom);
        c.ctx.stroke();
      }
      c.ctx.restore();
    },
  };
}

export interface DragHooks {
  readonly chart: () => Chart | null;
  readonly range: () => LrRange | null;
  /** The range while an edge moves. */
  move(range: LrRange): void;
  /** The edge was released. */
  release(): void;
}

/** The least max/min a dragged range keeps (a tenth of a decade). */
const MIN_RANGE_RATIO = 1.25;

/** Dragging an edge of the shaded range moves it; the choice is reported on release. */
export function attachDrag(canvas: HTMLCanvasElement, hooks: DragHooks): void {
  let dragging: 'minLr' | 'maxLr' | null = null;
  canvas.addEventListener('pointerdown', (event) => {
    const r = hooks.range();
    const x = hooks.chart()?.scales['x'];
    if (r === null || x === undefined) return;
    const px = event.offsetX;
    // The nearer edge (edges dragged close together both lie within reach: the left one was always taken,
    // so a range collapsed onto its right edge could not be widened again).
    const toMin = Math.abs(x.getPixelForValue(r.minLr) - px);
    const toMax = Math.abs(x.getPixelForValue(r.maxLr) - px);
    dragging = Math.min(toMin, toMax) > 8 ? null : toMax < toMin || (toMax === toMin && px >= x.getPixelForValue(r.maxLr)) ? 'maxLr' : 'minLr';
    if (dragging !== null) canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener('pointermove', (event) => {
    const r = hooks.range();
    const x = hooks.chart()?.scales['x'];
    if (x === undefined || r === null) return;
    const hover = Math.min(Math.abs(x.getPixelForValue(r.minLr) - event.offsetX), Math.abs(x.getPixelForValue(r.maxLr) - event.offsetX)) <= 8;
    canvas.style.cursor = dragging !== null || hover ? 'ew-resize' : 'default';
    if (dragging === null) return;
    const lr = x.getValueForPixel(event.offsetX);
    if (lr === undefined || !Number.isFinite(lr) || lr <= 0) return;
    // Kept MIN_RANGE_RATIO apart: a range of 0.034 – 0.0343 is no cycle (its edges then sat on one pixel).
    hooks.move(dragging === 'minLr' ? { minLr: Math.min(lr, r.maxLr / MIN_RANGE_RATIO), maxLr: r.maxLr } : { minLr: r.minLr, maxLr: Math.max(lr, r.minLr * MIN_RANGE_RATIO) });
  });
  canvas.addEventListener('pointerup', () => {
    if (dragging === null) return;
    dragging = null;
    hooks.release();
  });
}
