/**
 * A loss function of the user's with no name LR Lab knows is read by its values (engine/baseline.ts
 * identifyLoss), on real tfjs: wrappers of tfjs's built-in losses are named for what they compute;
 * a loss of another δ, another weighting or another reduction matches none; no tensor is left behind.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import { identifyLoss } from '../../src/engine/baseline';
import { type Tf, loadTf } from '../../src/engine/tfjs';

let tf: Tf;

before(async () => {
  tf = (await loadTf({ backend: 'wasm' })).tf;
});

test('wrappers of built-in losses are named for what they compute; other losses for none', () => {
  const regression = { xs: tf.randomNormal([300, 3], 0, 1, 'float32', 1), ys: tf.add(tf.randomNormal([300, 2], 0, 2, 'float32', 2), 5), count: 300 };
  const oneHot = { xs: tf.randomNormal([300, 3], 0, 1, 'float32', 3), ys: tf.oneHot(tf.randomUniform([300], 0, 4, 'int32', 4), 4).toFloat(), count: 300 };
  const binary = { xs: tf.randomNormal([300, 3], 0, 1, 'float32', 5), ys: tf.randomUniform([300, 2], 0, 2, 'int32', 6).toFloat(), count: 300 };
  const before = tf.memory().numTensors;
  const cases: [string, (y: Tensor, p: Tensor) => Tensor, typeof regression, string | null][] = [
    ['huber arrow', (y, p) => tf.losses.huberLoss(y, p), regression, 'huberLoss'],
    ['squared error, hand-written', (y, p) => tf.mean(tf.square(tf.sub(y, p))), regression, 'meanSquaredError'],
    ['absolute error', (y, p) => tf.mean(tf.abs(tf.sub(p, y))), regression, 'meanAbsoluteError'],
    ['percentage error', (y, p) => tf.mean(tf.metrics.meanAbsolutePercentageError(y, p)), regression, 'meanAbsolutePercentageError'],
    ['softmax cross-entropy on logits', (y, p) => tf.losses.softmaxCrossEntropy(y, p), oneHot, 'softmaxCrossEntropy'],
    ['categorical cross-entropy', (y, p) => tf.mean(tf.metrics.categoricalCrossentropy(y, p)), oneHot, 'categoricalCrossentropy'],
    ['sigmoid cross-entropy on logits', (y, p) => tf.losses.sigmoidCrossEntropy(y, p), binary, 'sigmoidCrossEntropy'],
    // Not one of them: another δ, a weighting, a sum instead of a mean.
    ['huber, δ 2', (y, p) => tf.losses.huberLoss(y, p, undefined, 2), regression, null],
    ['squared error, doubled', (y, p) => tf.mul(2, tf.mean(tf.square(tf.sub(y, p)))), regression, null],
    ['squared error, summed', (y, p) => tf.sum(tf.square(tf.sub(y, p))), regression, null],
    ['a loss that throws', () => { throw new Error('shape mismatch'); }, regression, null],
  ];
  for (const [what, fn, split, expected] of cases) assert.equal(identifyLoss(tf, fn, split), expected, what);
  // A user's loss may count its calls (a test fixture exits at the fifth): it runs at most three times here, once per kind of prediction.
  let calls = 0;
  assert.equal(identifyLoss(tf, (y, p) => (calls++, tf.losses.sigmoidCrossEntropy(y, p)), binary), 'sigmoidCrossEntropy');
  assert.equal(calls, 3);
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
});
