/** The linear charts' axes (webview/linearCharts.ts): the training chart's LR labels, the studies' loss axis. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lrTick, progressYMax } from '../../webview/bounds';

const label = (values: readonly number[]): string[] => {
  const ticks = values.map((value) => ({ value }));
  return values.map((v, i) => lrTick(v, i, ticks));
};

test('the LR axis labels its powers of ten in the LR style ("3e-6", not "0.000003"), or only its ends where it holds none', () => {
  // A 1cycle from 6.3e-6 to 0.063: Chart.js's ticks at 1–9 × 10^k; it printed "0.010000" over "0.007000".
  assert.deepEqual(label([1e-5, 2e-5, 5e-5, 1e-4, 3e-4, 1e-3, 7e-3, 0.01, 0.05]), ['1e-5', '', '', '1e-4', '', '0.001', '', '0.01', '']);
  // A constant LR's narrow axis holds no power of ten: its ends.
  assert.deepEqual(label([0.045, 0.05, 0.055]), ['0.045', '', '0.055']);
});

test("the studies' loss axis is cut above where a few range-test points would flatten the curves (a batch-size study's spikes to 80 against curves at 1e-3); left alone otherwise", () => {
  const curves = Array.from({ length: 400 }, (_, i) => 0.001 + 0.5 / (1 + i));
  const spikes = [20, 45, 80];
  assert.equal(progressYMax([...curves, ...spikes], { loss: 0.79, valLoss: 0.8 }), 1.2);
  // Without a baseline (a study still running): 1.2x the 95th percentile.
  const cap = progressYMax([...curves, ...spikes], null);
  assert.ok(cap !== null && cap < 1, String(cap));
  assert.equal(progressYMax(curves, { loss: 0.69, valLoss: 0.7 }), null);
  assert.equal(progressYMax([], null), null);
});
