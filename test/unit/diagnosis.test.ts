import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/core/diagnosis';
import type { EpochRecord } from '../../src/protocol/results';

function history(val: (number | null)[], train?: number[]): EpochRecord[] {
  return val.map((v, i) => ({ epoch: i + 1, trainLoss: train?.[i] ?? (v === null ? null : v * 0.9), valLoss: v, valAccuracy: null, lr: 0.1, momentum: 0.9, seconds: i }));
}

test('validation loss still falling steeply at the end → underfitting', () => {
  const d = diagnose(history([2.0, 1.5, 1.2, 1.0, 0.85, 0.72, 0.62, 0.53]));
  assert.equal(d.verdict, 'underfitting');
  assert.match(d.reason, /still falling \d+\.\d% per epoch/);
});

test('validation loss rising after its minimum → overfitting, with the train/val gap', () => {
  const d = diagnose(history([1.0, 0.6, 0.45, 0.40, 0.42, 0.46, 0.5], [0.9, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08]));
  assert.equal(d.verdict, 'overfitting');
  assert.match(d.reason, /bottomed at epoch 4/);
  assert.match(d.reason, /training loss is .*% below it/);
});

test('flat at the end → good', () => {
  const d = diagnose(history([1.0, 0.5, 0.35, 0.31, 0.302, 0.300, 0.301, 0.2995]));
  assert.equal(d.verdict, 'good');
  assert.match(d.reason, /flat at the end/);
});

test('a small wobble above the minimum is not overfitting', () => {
  assert.equal(diagnose(history([1.0, 0.5, 0.33, 0.30, 0.305, 0.31])).verdict, 'good');
});

test('too short or non-finite → no verdict, with a reason', () => {
  const short = diagnose(history([1, 0.5]));
  assert.equal(short.verdict, null);
  assert.match(short.reason, /Too few epochs/);
  const nan = diagnose(history([1, 0.5, 0.4, null, 0.3]));
  assert.equal(nan.verdict, null);
  assert.match(nan.reason, /NaN\/Inf at epoch 4/);
});
