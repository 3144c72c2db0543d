import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_EPOCHS, diagnose } from '../../src/core/diagnosis';
import type { EpochRecord } from '../../src/protocol/results';

/** A history from validation losses; training loss 10% below unless given. */
function history(val: readonly (number | null)[], train?: readonly (number | null)[]): EpochRecord[] {
  return val.map((v, i) => ({
    epoch: i + 1,
    trainLoss: train === undefined ? (v === null ? null : v * 0.9) : train[i]!,
    valLoss: v,
    valAccuracy: null,
    lr: 0.1,
    momentum: 0.9,
    seconds: i,
  }));
}

test('validation loss still falling steeply at the end → underfitting, with the rate per epoch', () => {
  // Last quarter (2 epochs): 0.72 → 0.53, 13.2% per epoch.
  const d = diagnose(history([2.0, 1.5, 1.2, 1.0, 0.85, 0.72, 0.62, 0.53]));
  assert.equal(d.verdict, 'underfitting');
  assert.match(d.reason, /^Validation loss is still falling 13\.2% per epoch over the last 2 epochs\. Train longer or raise the LR/);
});

test('validation loss rising again after its minimum → overfitting, with the train/val gap', () => {
  const d = diagnose(history([1.0, 0.6, 0.45, 0.4, 0.42, 0.46, 0.5], [0.9, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08]));
  assert.equal(d.verdict, 'overfitting');
  // Rose 0.40 → 0.50 = 25%; training loss 0.08 is 84% below 0.50.
  assert.match(d.reason, /^Validation loss bottomed at epoch 4 \(0\.4\) and rose 25\.0% since; training loss is 84\.0% below it\. More regularization/);
});

test('a small rise counts as overfitting only with training loss well below validation loss', () => {
  // Rise 3%: noise on its own ...
  const val = [1.0, 0.5, 0.35, 0.3, 0.302, 0.305, 0.309];
  assert.equal(diagnose(history(val, val.map((v) => v * 0.95))).verdict, 'good');
  // ... but with training loss 50% below validation loss, memorizing.
  const d = diagnose(history(val, val.map((v) => v * 0.5)));
  assert.equal(d.verdict, 'overfitting');
  assert.match(d.reason, /rose 3\.0% since while training loss is 50\.0% below it: the model is memorizing/);
});

test('flat at the end → good', () => {
  const d = diagnose(history([1.0, 0.5, 0.35, 0.31, 0.302, 0.3, 0.301, 0.2995]));
  assert.equal(d.verdict, 'good');
  assert.match(d.reason, /^Validation loss is flat at the end \(0\.1% per epoch over the last 2 epochs, 0\.0% above its minimum\)/);
});

test('a wobble of under 5% above the minimum is not overfitting', () => {
  assert.equal(diagnose(history([1.0, 0.5, 0.33, 0.3, 0.305, 0.31])).verdict, 'good');
});

test('neither loss improved → underfitting (not learning), not "good"', () => {
  const d = diagnose(history([2.3, 2.31, 2.29, 2.3, 2.3], [2.3, 2.3, 2.3, 2.29, 2.3]));
  assert.equal(d.verdict, 'underfitting');
  assert.match(d.reason, /^Neither training nor validation loss improved over 5 epochs \(validation 2\.3 → 2\.3\)/);
  // Validation flat from the start but training loss falling: not this rule (the gap rule's business).
  assert.doesNotMatch(diagnose(history([2.3, 2.31, 2.29, 2.3, 2.3], [2.3, 1.5, 1.0, 0.6, 0.4])).reason, /^Neither/);
});

test('too short or not finite → no verdict, with a reason', () => {
  const short = diagnose(history([1, 0.5]));
  assert.equal(short.verdict, null);
  assert.match(short.reason, new RegExp(`^Too few epochs with a finite validation loss \\(2, need ${MIN_EPOCHS}\\)`));
  assert.equal(diagnose([]).verdict, null);
  const nan = diagnose(history([1, 0.5, 0.4, null, 0.3]));
  assert.equal(nan.verdict, null);
  assert.match(nan.reason, /^Validation loss became NaN\/Inf at epoch 4: training diverged/);
  const inf = diagnose(history([1, 0.5, 0.4, 0.35, 0.3], [1, 0.5, Number.POSITIVE_INFINITY, 0.3, 0.2]));
  assert.equal(inf.verdict, null);
  assert.match(inf.reason, /training loss became NaN\/Inf at epoch 3/);
  // Two finite of three: too few, whatever else.
  assert.match(diagnose(history([1, null, 0.5])).reason, /^Too few epochs .*\(2, need 3\)/);
});
