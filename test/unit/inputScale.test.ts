/** Inputs far from scale 1 (src/core/inputScale.ts), on constructed inputs with known scales. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INPUT_SCALE_HIGH, describeOffScaleInputs, offScaleInputs } from '../../src/core/inputScale';

/** `rows` × `width` values, row-major, feature f of row r from `at(r, f)`. */
function matrix(rows: number, width: number, at: (r: number, f: number) => number): Float32Array {
  return Float32Array.from({ length: rows * width }, (_, i) => at(Math.floor(i / width), i % width));
}
const wave = (r: number): number => Math.sin(r * 1.7);

test('one feature at ~1e4 among features at scale 1 is named with its numbers and the standardizing fix', () => {
  const o = offScaleInputs(matrix(256, 6, (r, f) => (f === 0 ? 1e4 * (1 + 0.5 * wave(r)) : wave(r + f))), 256, 6, 256);
  assert.ok(o !== null);
  assert.deepEqual(o.high.map((f) => f.index), [0]);
  assert.deepEqual(o.low, []);
  const text = describeOffScaleInputs(o);
  assert.match(text, /^Input feature 1 of 6 is far above scale 1 \(root mean square 1\.1e4: mean 1e4, standard deviation 3[45]\d\d\), on the first 256 training samples\. /);
  assert.match(text, /an LR that suits those features is far off for the others/);
  assert.match(text, / Standardize the inputs: each feature minus its training mean, divided by its training standard deviation/);
  // A CSV's columns name the features (a user's warning read "feature 1 … feature 2" for 'income' and 'age').
  assert.match(describeOffScaleInputs(o, ['income', 'x2', 'x3', 'x4', 'x5', 'x6']), /^Input 'income' of 6 is far above scale 1 \(root mean square 1\.1e4: /);
  const two = offScaleInputs(matrix(64, 2, (r, f) => (f === 0 ? 7e4 : 50) * (1 + 0.3 * wave(r))), 64, 2, 64);
  assert.ok(two !== null);
  assert.match(describeOffScaleInputs(two, ['income', 'age']), /^All 2 input features are far above scale 1: 'income' \(root mean square 7\.\de4: .*\), 'age' \(root mean square 5\de?\d*: /);
  // Names that do not fit the features are not used.
  assert.match(describeOffScaleInputs(o, ['a']), /^Input feature 1 of 6 /);
});

test('pixels left at 0–255: divide by 255; features in units far too large: far below scale 1; all-zero features (an image\'s empty border) and scale-1 inputs: nothing', () => {
  const pixels = offScaleInputs(matrix(64, 10, (r, f) => ((r + f) % 3 === 0 ? 0 : 255 * Math.abs(wave(r * f + 1)))), 64, 10, 64);
  assert.ok(pixels !== null);
  assert.equal(pixels.high.length, 10);
  const text = describeOffScaleInputs(pixels);
  assert.match(text, /^All 10 input features are far above scale 1: feature \d+ \(root mean square [\d.]+: .*\) and 7 more, on the first 64 training samples\./);
  assert.match(text, /the LRs that train the model are far from those at scale 1/);
  assert.match(text, / Scale them to 0–1 \(divide by 255, as image inputs usually are\), or standardize them\.$/);
  const tiny = offScaleInputs(matrix(32, 3, (r, f) => (f === 2 ? 1e-5 * wave(r) : wave(r + f))), 32, 3, 32);
  assert.ok(tiny !== null);
  assert.match(describeOffScaleInputs(tiny), /^Input feature 3 of 3 is far below scale 1 \(root mean square 7(\.\d)?e-6: .* those features barely move the first layer until its weights grow as much, /);
  // Zero columns are skipped, 0–1 pixels and standardized features are fine, a lone channel reads "the input".
  assert.equal(offScaleInputs(matrix(32, 4, (r, f) => (f === 0 ? 0 : Math.abs(wave(r + f)))), 32, 4, 32), null);
  assert.equal(offScaleInputs(matrix(32, 4, (r, f) => (INPUT_SCALE_HIGH / 2) * wave(r + f)), 32, 4, 32), null);
  const channel = offScaleInputs(matrix(28 * 28 * 2, 1, (r) => 200 * Math.abs(wave(r))), 28 * 28 * 2, 1, 2);
  assert.ok(channel !== null);
  assert.match(describeOffScaleInputs(channel), /^The input is far above scale 1 \(root mean square [\d.]+: .*\), on the first 2 training samples\./);
  // Non-finite values are left out of the numbers, not the whole check.
  assert.equal(offScaleInputs(matrix(8, 1, (r) => (r === 0 ? Number.NaN : 0.5)), 8, 1, 8), null);
});

test('a feature mostly zero whose non-zero values are at scale (an autoencoder\'s near-empty border pixel at 1/255 and up) is rare, not small: not named; one whose non-zero values are tiny is', () => {
  // 1 row in 256 non-zero, at 0.004 (1/255): root mean square 2.5e-4 over all rows.
  const border = offScaleInputs(matrix(256, 3, (r, f) => (f === 0 ? (r === 10 ? 0.004 : 0) : Math.abs(wave(r + f)))), 256, 3, 256);
  assert.equal(border, null);
  // The same sparsity at values a thousand times too small: named.
  const tiny = offScaleInputs(matrix(256, 3, (r, f) => (f === 0 ? (r === 10 ? 4e-6 : 0) : Math.abs(wave(r + f)))), 256, 3, 256);
  assert.deepEqual(tiny?.low.map((f) => f.index), [0]);
});
