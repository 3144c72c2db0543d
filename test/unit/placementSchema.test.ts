/** Scale-out's fields in saved results: each trial's worker and backend, and the run's workers, are checked on load like every other field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anyResultSchema } from '../../src/protocol/resultSchema';
import { SchemaError } from '../../src/protocol/schema';
import type { BatchSizeResult } from '../../src/protocol/results';

const worker = { id: 'gpu-box:4121', backend: 'wasm', threads: 4, cpu: 'EPYC 7B13', cores: 64, memoryGb: 256, version: '0.1.0' } as const;
const remote: BatchSizeResult = {
  kind: 'batch-size', model: '/w/model.ts', backend: 'wasm', seconds: 12, budgetSeconds: 30, target: null,
  runs: [{ batchSize: 16, status: 'ok', reason: null, maxLr: 0.1, stepsPerSecond: 50, curve: [{ seconds: 1, epoch: 1, valLoss: 0.5, valAccuracy: 0.8 }], timeToTarget: null, finalValLoss: 0.5, finalValAccuracy: 0.8, worker: worker.id, backend: 'wasm' }],
  best: 0, reason: 'the only size', warnings: [], workers: [worker], baseline: { loss: 2.3, valLoss: 2.3, kind: 'chance' },
};

test('a remote batch-size result keeps its workers and each run its worker and backend; a local one needs neither', () => {
  assert.deepEqual(anyResultSchema.parse(JSON.parse(JSON.stringify(remote)), 'result'), remote);
  const { workers: _workers, ...local } = remote;
  const localRuns = { ...local, runs: local.runs.map(({ worker: _w, backend: _b, ...run }) => run) };
  assert.deepEqual(anyResultSchema.parse(localRuns, 'result'), localRuns);
});

test('a malformed worker or placement is refused, naming the field', () => {
  assert.throws(() => anyResultSchema.parse({ ...remote, workers: [{ ...worker, threads: 1.5 }] }, 'result'), (e: unknown) => e instanceof SchemaError && /threads/.test(e.message));
  assert.throws(() => anyResultSchema.parse({ ...remote, runs: [{ ...remote.runs[0], backend: 'cuda' }] }, 'result'), (e: unknown) => e instanceof SchemaError && /backend/.test(e.message));
});

test('a batch-size result keeps its trainSamples (format 23: a size was larger than the data); a count that is none is refused', () => {
  const withCount = { ...remote, trainSamples: 480 };
  assert.deepEqual(anyResultSchema.parse(JSON.parse(JSON.stringify(withCount)), 'result'), withCount);
  for (const bad of [0, -3, 2.5, '480']) {
    assert.throws(() => anyResultSchema.parse({ ...remote, trainSamples: bad }, 'result'), (e: unknown) => e instanceof SchemaError && /trainSamples/.test(e.message), String(bad));
  }
});
