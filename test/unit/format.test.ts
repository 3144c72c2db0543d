import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLr } from '../../src/protocol/format';

test('formatLr: 3 significant digits, exponent below 1e-3 and from 1e4, decided on the rounded value', () => {
  const cases: [number | null, string][] = [
    [0.0123, '0.0123'],
    [0.3, '0.3'],
    [1.234e-4, '1.23e-4'],
    [2e-5, '2e-5'],
    [0.00099, '9.9e-4'],
    [0.0009996, '0.001'],
    [0.001, '0.001'],
    [12.345, '12.3'],
    [9999.7, '1e4'],
    [-3e-7, '-3e-7'],
    [0, '0'],
    [null, '—'],
    [Number.NaN, '—'],
    [Number.POSITIVE_INFINITY, '—'],
  ];
  for (const [x, want] of cases) assert.equal(formatLr(x), want, String(x));
});
