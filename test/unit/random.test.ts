import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSampler, mulberry32, permutation } from '../../src/core/random';

test('mulberry32 is deterministic per seed and uniform enough', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const c = mulberry32(43);
  const xs = Array.from({ length: 10_000 }, () => a());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  assert.notEqual(xs[0], c());
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

test('permutation is a permutation', () => {
  const p = permutation(1000, mulberry32(1));
  assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
  assert.notDeepEqual([...p.slice(0, 10)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('BatchSampler: full batches, every sample once per epoch, reshuffled per epoch', () => {
  const s = new BatchSampler(10, 3, mulberry32(7));
  assert.equal(s.batchesPerEpoch, 3);
  const first = [s.next(), s.next(), s.next()].flatMap((b) => [...b]);
  assert.equal(new Set(first).size, 9);
  assert.equal(s.epoch, 0);
  const next = s.next();
  assert.equal(next.length, 3);
  assert.equal(s.epoch, 1);
  const small = new BatchSampler(2, 8, mulberry32(1));
  assert.equal(small.next().length, 2);
});
