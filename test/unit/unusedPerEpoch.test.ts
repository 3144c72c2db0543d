/** The note where an epoch's batches leave many training samples out (src/engine/experiments/runContext.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitBatchSize, unusedPerEpochNote } from '../../src/engine/experiments/runContext';
import { BatchSampler } from '../../src/core/random';

/** The note for `count` samples at `batchSize`, from the sampler a run trains with. */
const noteFor = (count: number, batchSize: number, explicit: boolean): string[] => unusedPerEpochNote(new BatchSampler(count, batchSize, Math.random), count, explicit);

test('an epoch that leaves over a quarter of the samples out says how many, why, and a batch size that uses them all; a small remainder says nothing', () => {
  // A user trial: 120 samples at batch size 64 trained "1 batch" per epoch.
  const [note] = noteFor(120, 64, true);
  assert.equal(note, 'Each epoch trains on 64 of the 120 training samples (1 batch of 64; the 56 left over make no batch of their own, so that every step has the same size — each epoch reshuffles, so all take part over the run): an epoch here is 53% of the data. A batch size that divides 120, such as 60, uses every sample in every epoch.');
  assert.match(noteFor(127, 64, false)[0] ?? '', /\(1 batch of 64, the default batch size; the 63 left over .* A smaller batch size leaves fewer out\.$/);
  assert.deepEqual(noteFor(1000, 32, false), []);
  assert.deepEqual(noteFor(100, 40, true), []);
  assert.deepEqual(noteFor(120, 60, true), []);
});

test('a default batch size larger than the data: a quarter of the samples, with why and how to choose another (a user read "using 12" on 51 samples, unexplained)', () => {
  const warnings: string[] = [];
  assert.equal(fitBatchSize(64, false, 51, warnings), 12);
  assert.deepEqual(warnings, ['The default batch size 64 is larger than the training data (51 samples); using 12, a quarter of them, so that each epoch has 4 batches (give --batch-size to choose another, up to 51).']);
  assert.equal(fitBatchSize(64, false, 64, []), 64, 'as large as the data: kept');
});

test('the default batch size note names the option as the library\'s caller does (batchSize, not --batch-size)', () => {
  const warnings: string[] = [];
  fitBatchSize(64, false, 4, warnings, 'option');
  assert.match(warnings[0] ?? '', /\(give batchSize to choose another, up to 4\)\.$/);
});
