import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestBalance, bestShortRun, defaultWeightDecayGrid } from '../../src/core/decisions';
import type { CurveFacts } from '../../src/core/decisions';

function curve(label: string, minLoss: number | null, lrAtMinLoss: number, stable: [number, number] | null, weightDecay = 0): CurveFacts {
  return { label, minLoss, lrAtMinLoss, stableRange: stable === null ? null : { minLr: stable[0], maxLr: stable[1] }, stableDecades: stable === null ? 0 : Math.log10(stable[1] / stable[0]), divergedAt: null, weightDecay };
}

test('WD grid by model size (method.md §5)', () => {
  assert.deepEqual(defaultWeightDecayGrid(50_000), [1e-2, 1e-3, 1e-4]);
  assert.deepEqual(defaultWeightDecayGrid(2_000_000), [1e-4, 1e-5, 1e-6, 0]);
});

test('the lowest loss wins; a curve that bottoms early and rises is called under-regularized', () => {
  const { best, reason } = bestBalance([
    curve('wd 1e-2', 0.9, 0.1, [1e-3, 0.1], 1e-2),
    curve('wd 1e-3', 0.5, 0.3, [1e-3, 0.3], 1e-3),
    curve('wd 1e-4', 0.7, 0.01, [1e-3, 0.01], 1e-4),
  ]);
  assert.equal(best, 1);
  assert.match(reason, /^wd 1e-3 reaches the lowest loss \(0.500\) and stays stable up to 0.3/);
  assert.match(reason, /wd 1e-4 bottoms early \(at 0.01\) and rises: too little regularization/);
  assert.match(reason, /wd 1e-2 stays higher \(0.900\): too much regularization/);
});

test('within the loss tie, the wider stable range wins', () => {
  const { best, reason } = bestBalance([curve('a', 0.500, 0.1, [1e-3, 0.05]), curve('b', 0.505, 0.3, [1e-3, 0.5])]);
  assert.equal(best, 1);
  assert.match(reason, /^b reaches an equally low loss/);
  assert.match(reason, /a is as low but stable over a narrower range/);
});

test('no finite curve: no pick, and the reason says what to do', () => {
  const { best, reason } = bestBalance([curve('a', null, 0, null)]);
  assert.equal(best, null);
  assert.match(reason, /Lower --start-lr/);
});

test('momentum: lowest early validation loss; cyclical wins a tie; diverged runs never win', () => {
  assert.equal(bestShortRun([{ label: '0.99', earlyValLoss: 0.3, diverged: true }, { label: '0.9', earlyValLoss: 0.6, diverged: false }, { label: '0.95', earlyValLoss: 0.5, diverged: false }]).best, 2);
  const tie = bestShortRun([{ label: '0.95', earlyValLoss: 0.5, diverged: false }, { label: '0.95→0.85', earlyValLoss: 0.51, diverged: false, cyclical: true }]);
  assert.equal(tie.best, 1);
  assert.match(tie.reason, /as low as the best constant momentum/);
  assert.equal(bestShortRun([{ label: 'x', earlyValLoss: null, diverged: true }]).best, null);
});

test('losses that are all essentially zero tie; the wider range decides', () => {
  const { best, reason } = bestBalance([curve('a', 1e-7, 1, [1e-6, 0.1], 1e-4), curve('b', 9e-7, 1, [1e-6, 1], 1e-2)]);
  assert.equal(best, 1);
  assert.doesNotMatch(reason, /stays higher/);
});
