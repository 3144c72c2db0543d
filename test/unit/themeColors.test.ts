import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_GRAPHIC_CONTRAST, contrastRatio, parseColor, rawLossColors } from '../../webview/themeColors';

/** Default Dark Modern, Light Modern, High Contrast, and a dark theme with a dim foreground. */
const THEMES: [string, string, string][] = [
  ['dark', '#cccccc', '#1f1f1f'],
  ['light', '#3b3b3b', '#ffffff'],
  ['high contrast', '#ffffff', '#000000'],
  ['dim dark', 'rgba(204, 204, 204, 0.6)', '#1e1e1e'],
];

test('the raw "loss" legend swatch has at least 3:1 contrast against the editor background in every theme', () => {
  for (const [name, fg, bg] of THEMES) {
    const { swatch, line } = rawLossColors(fg, bg);
    const ratio = contrastRatio(parseColor(swatch)!, parseColor(bg)!);
    assert.ok(ratio >= MIN_GRAPHIC_CONTRAST, `${name}: swatch ${swatch} has contrast ${ratio.toFixed(2)}`);
    // The line stays fainter than the swatch: the smoothed curve is the one to read.
    assert.ok(parseColor(line)!.a < parseColor(swatch)!.a || parseColor(swatch)!.a === 1, `${name}: line ${line}`);
  }
  // What it was: no background colour, so chart.js filled the swatch with its default, black at 10%
  // (invisible on a dark background), edged by the foreground at alpha 0x55.
  assert.ok(contrastRatio(parseColor('rgba(0, 0, 0, 0.1)')!, parseColor('#1f1f1f')!) < 1.1);
  assert.ok(contrastRatio(parseColor('#cccccc55')!, parseColor('#1f1f1f')!) < MIN_GRAPHIC_CONTRAST);
});

test('parseColor reads the forms themes use; a colour it cannot read is used as it is', () => {
  assert.deepEqual(parseColor('#fff'), { r: 255, g: 255, b: 255, a: 1 });
  assert.deepEqual(parseColor('#00000080'), { r: 0, g: 0, b: 0, a: 128 / 255 });
  assert.deepEqual(parseColor('rgba(10, 20, 30, 0.5)'), { r: 10, g: 20, b: 30, a: 0.5 });
  assert.equal(parseColor('canvastext'), null);
  assert.deepEqual(rawLossColors('canvastext', '#000'), { line: 'canvastext', swatch: 'canvastext' });
});
