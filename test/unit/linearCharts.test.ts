/** The linear charts' axes (webview/linearCharts.ts): the training chart's LR labels, the studies' loss axis. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logLossTick, lrTick, progressYMax } from '../../webview/bounds';
import { logLossAxis, seriesStyles } from '../../webview/seriesStyle';

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

test("a batch-size study's range test shares its size's colour and is hidden once the size's run started; other studies' series each take the next colour", () => {
  // Trial O #7: 4 sizes drew 8 series in 6 colours (two oranges), and the range tests' blow-ups flattened the runs.
  const names = ['batch 32 range test', 'batch 32', 'batch 64 range test', 'batch 64', 'batch 128 range test', 'batch 128', 'batch 256 range test'];
  assert.deepEqual(seriesStyles(names, true), [
    { color: 0, rangeTestOf: 'batch 32', hidden: true },
    { color: 0, rangeTestOf: null, hidden: false },
    { color: 1, rangeTestOf: 'batch 64', hidden: true },
    { color: 1, rangeTestOf: null, hidden: false },
    { color: 2, rangeTestOf: 'batch 128', hidden: true },
    { color: 2, rangeTestOf: null, hidden: false },
    // Still running: its run has not started, so it is shown.
    { color: 3, rangeTestOf: null, hidden: false },
  ]);
  // A momentum study (no pairs): one colour each, nothing hidden.
  assert.deepEqual(seriesStyles(['momentum 0.9', 'momentum 0.95 range test', 'momentum 0.95'], false).map((s) => [s.color, s.hidden]), [[0, false], [1, false], [2, false]]);
});

test('the batch-size chart\'s loss axis is logarithmic where its values span more than a factor of 10, all above 0; its labels are 1, 2 and 5 x 10^k', () => {
  // Runs ending at 0.0305 and 0.0925 under a baseline of 2.3: one line on a linear axis.
  assert.equal(logLossAxis([2.3, 0.5, 0.09, 0.0305, Number.NaN]), true);
  assert.equal(logLossAxis([0.9, 0.5, 0.2]), false);
  // A loss that can be 0 or below (a custom loss) keeps the linear axis.
  assert.equal(logLossAxis([2.3, 0.01, 0]), false);
  assert.equal(logLossAxis([2.3, -0.5]), false);
  assert.equal(logLossAxis([]), false);
  const values = [0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 2, 3];
  const ticks = values.map((value) => ({ value }));
  assert.deepEqual(values.map((v, i) => logLossTick(v, i, ticks)).filter((l) => l !== ''), ['0.05', '0.1', '0.2', '0.5', '1', '2']);
  // Over 3 or more decades, the powers of ten only (0.5 touched 1 on a study's axis from 1e-7 to 1.1).
  const decades = [1e-7, 2e-7, 5e-7, 1e-6, 2e-6, 5e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.5, 1];
  const wide = decades.map((value) => ({ value }));
  assert.deepEqual(decades.map((v, i) => logLossTick(v, i, wide)).filter((l) => l !== ''), ['1e-7', '1e-6', '1e-5', '1e-4', '0.001', '0.01', '0.1', '1']);
  // No 1, 2 or 5 x 10^k on a narrow axis: its ends.
  const narrow = [0.031, 0.035, 0.04].map((value) => ({ value }));
  assert.deepEqual(narrow.map((t, i) => logLossTick(t.value, i, narrow)), ['0.031', '', '0.04']);
});
