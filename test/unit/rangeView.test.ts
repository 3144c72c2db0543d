/** The picture facts every surface shares (src/protocol/rangeView.ts): headline, merged markers, tick labels, v1 results. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctTickLabels, fittedOf, headlineRange, logTick, markerCurve, offeredRange, rangeMarkers, recommendedOf, shownStop } from '../../src/protocol/rangeView';
import type { RangeView } from '../../src/protocol/rangeView';

const points = [
  { lr: 1e-3, loss: 2.3, smoothed: 2.3 },
  { lr: 1e-2, loss: 1.5, smoothed: 2.0 },
  { lr: 1e-1, loss: 1.0, smoothed: 1.6 },
];

test('a format-1 result (no recommended, no fitted) reads as "no headline", and markers sit on its EMA', () => {
  const v1: RangeView = { points, suggestions: { valley: 0.01, steep: 0.01, minimum: 0.01 } };
  assert.equal(recommendedOf(v1), null);
  assert.equal(headlineRange(v1), null);
  assert.deepEqual(fittedOf(v1), []);
  assert.deepEqual(markerCurve(v1), [{ lr: 1e-3, loss: 2.3 }, { lr: 1e-2, loss: 2.0 }, { lr: 1e-1, loss: 1.6 }]);
  // Three suggestions at one LR: one marker, one label naming all three.
  assert.deepEqual(rangeMarkers(v1).map((m) => m.label), ['valley = steep = minimum 0.01']);
});

test('the range offered to insert or train at: the one chosen on the chart, else the headline, but not a headline from a test the cancel cut short', () => {
  const suggestions = { valley: 0.01, steep: 0.01, minimum: 0.01 };
  const whole: RangeView = { points, suggestions, recommended: { maxLr: 0.1, minLr: 0.01, reason: 'r', learned: true } };
  const cut: RangeView = { points, suggestions, recommended: { maxLr: 2.9e-4, minLr: 2.9e-5, reason: 'read from a range test the cancel cut short …', learned: true, cut: true } };
  assert.deepEqual(offeredRange(null, whole), { minLr: 0.01, maxLr: 0.1 });
  assert.equal(offeredRange(null, cut), null);
  assert.deepEqual(offeredRange({ minLr: 1e-4, maxLr: 1e-3 }, cut), { minLr: 1e-4, maxLr: 1e-3 });
});

test('markers: the headline first and emphasised, a suggestion that prints the same LR merged into its label', () => {
  const v2: RangeView = {
    points,
    suggestions: { valley: 0.00705, steep: 0.1151, minimum: 0.156 },
    recommended: { maxLr: 0.1149, minLr: 0.01149, reason: 'r', learned: true },
    fitted: [{ lr: 1e-3, loss: 2.2 }, { lr: 0.1, loss: 0.9 }],
  };
  const markers = rangeMarkers(v2);
  assert.deepEqual(markers.map((m) => m.label), ['recommended max LR 0.115 (= steep)', 'valley 0.00705', 'minimum 0.156']);
  assert.deepEqual(markers.map((m) => m.headline), [true, false, false]);
  assert.deepEqual(headlineRange(v2), { minLr: 0.01149, maxLr: 0.1149 });
  assert.deepEqual(markerCurve(v2), [{ lr: 1e-3, loss: 2.2 }, { lr: 0.1, loss: 0.9 }]);
  // A headline nothing confirmed (learned: false) says so on its marker.
  const unconfirmed = rangeMarkers({ ...v2, recommended: { ...v2.recommended!, learned: false } });
  assert.deepEqual(unconfirmed.map((m) => m.label), ['recommended max LR 0.115, unconfirmed (= steep)', 'valley 0.00705', 'minimum 0.156']);
});

test('loss-axis tick labels never repeat and have no thousands separators', () => {
  const cases = [
    [0.4, 0.42, 0.44, 0.46, 0.48, 0.5],
    [1.35, 1.4, 1.45, 1.5],
    [950, 1000, 1042.6, 1100],
    [0.0001, 0.00011, 0.00012],
    [2e5, 2.5e5, 3e5],
  ];
  for (const values of cases) {
    const labels = distinctTickLabels(values);
    assert.equal(new Set(labels).size, values.length, labels.join(' '));
    for (const l of labels) assert.doesNotMatch(l, /,/);
    labels.forEach((l, i) => assert.ok(Math.abs(Number(l) - values[i]!) <= Math.abs(values[i]!) * 0.05, `${l} for ${values[i]}`));
  }
  assert.deepEqual(distinctTickLabels([0.4, 0.45, 0.5]), ['0.4', '0.45', '0.5']);
  assert.deepEqual(distinctTickLabels([1000, 1042.6]), ['1000', '1040']);
});

test('tick formatters: built as the shipped bundle is (minified, names kept), their source runs alone — as the HTML plot inlines it — and gives the same labels', async () => {
  const esbuild = await import('esbuild');
  const path = await import('node:path');
  const vm = await import('node:vm');
  // The production options of esbuild.mjs that change code: minify, keepNames.
  const out = await esbuild.build({ entryPoints: [path.join(__dirname, '..', '..', 'src', 'protocol', 'rangeView.ts')], bundle: true, minify: true, keepNames: true, format: 'cjs', platform: 'node', target: 'es2022', write: false, logLevel: 'silent' });
  const module = { exports: {} as Record<string, unknown> };
  vm.runInNewContext(out.outputFiles[0]!.text, { module, exports: module.exports });
  const built = module.exports as { distinctTickLabels: typeof distinctTickLabels; logTick: typeof logTick };
  // Each function's source alone, in a context with nothing of the bundle.
  const alone = <T>(f: T): T => vm.runInNewContext(`(${String(f)})`) as T;
  const labels = alone(built.distinctTickLabels);
  const tick = alone(built.logTick);
  for (const values of [[0.4, 0.45, 0.5], [1000, 1042.6], [0, 1e-5, 2e-5], [2.30258, 2.30259, 2.3026], [1e6, 2e6]]) assert.deepEqual(labels(values), distinctTickLabels(values), String(values));
  for (const v of [1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000, 0.02, 3]) assert.equal(tick(v), logTick(v), String(v));
});

test('the stop of the curve shown, and the cancel that came after it (a later range test, or the short runs); the shown test cut, or one test alone, as the result says', () => {
  const t = { seed: 1, maxLr: null, steps: 10, seconds: 1, shown: false };
  const tests = [{ ...t, stopReason: 'diverged' as const, divergedAt: 0.09, shown: true }, { ...t, stopReason: 'cancelled' as const, divergedAt: null }];
  assert.deepEqual(shownStop({ stopReason: 'cancelled', divergedAt: 0.09, rangeTests: tests }), { stopReason: 'diverged', divergedAt: 0.09, cancelledIn: 2 });
  assert.deepEqual(shownStop({ stopReason: 'cancelled', divergedAt: 0.09, rangeTests: tests.slice(0, 1) }), { stopReason: 'diverged', divergedAt: 0.09, cancelledIn: 'short runs' });
  assert.deepEqual(shownStop({ stopReason: 'cancelled', divergedAt: null, rangeTests: [{ ...tests[1]!, shown: true }] }), { stopReason: 'cancelled', divergedAt: null, cancelledIn: null });
  assert.deepEqual(shownStop({ stopReason: 'diverged', divergedAt: 0.09 }), { stopReason: 'diverged', divergedAt: 0.09, cancelledIn: null });
});
