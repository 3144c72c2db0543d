import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSampler, mulberry32, permutation, seedBits } from '../../src/core/random';

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

test('seedBits: a seed in [0, 2^32) is itself (every stored seeded run stays as it was); larger and negative seeds keep their high bits (1 and 2^32 + 1 ran the same curve)', () => {
  for (const seed of [0, 1, 42, 0x5bd1e995, 4294967295]) assert.equal(seedBits(seed), seed);
  const seen = new Set([1, 4294967297, 8589934593, -1, 4294967295, -4294967295, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER].map(seedBits));
  assert.equal(seen.size, 8);
  for (const bits of seen) assert.ok(Number.isInteger(bits) && bits >= 0 && bits < 4294967296, String(bits));
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
