/** Which schedule each model file's Insert lens offers (src/extension/fileSchedules.ts), from the runs the editor holds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileSchedules, usableRange } from '../../src/extension/fileSchedules';
import type { RunSnapshot } from '../../src/protocol/webviewMessages';

const uri = (file: string): string => `file://${file}`;
const sgd = { name: 'sgd', momentum: 0.9 };

function findLr(runId: string, startedAt: string, maxLr: number, optimizer = sgd, batchSize = 64): RunSnapshot {
  const result = { kind: 'find-lr', recommended: { maxLr, minLr: maxLr / 10, reason: '', learned: true }, optimizer, settings: { batchSize } };
  return { runId, kind: 'find-lr', model: '/w/model.js', startedAt, state: 'done', result, chosenRange: null } as unknown as RunSnapshot;
}

function recipe(runId: string, startedAt: string, maxLr: number, optimizer = sgd): RunSnapshot {
  const rangeTest = findLr('inner', startedAt, maxLr * 2, optimizer).result;
  const result = { kind: 'recipe', steps: [{ name: 'range-test', status: 'done', evidence: rangeTest }], recommendation: { lr: { maxLr, minLr: maxLr / 10 }, momentum: { max: 0.97, min: 0.9 }, weightDecay: 1e-4, batchSize: 128, epochs: 10, epochsReason: '', schedule: 'smith' } };
  return { runId, kind: 'recipe', model: '/w/model.js', startedAt, state: 'done', result, chosenRange: null } as unknown as RunSnapshot;
}

test("a recipe's recommendation is what the Insert lens offers after it (a user who ran the whole recipe had no lens for its result): its LR, momentum and batch size, the range test's optimizer", () => {
  const [schedule] = fileSchedules([recipe('r1', '2026-12-07T08:00:00Z', 0.3)], uri);
  assert.deepEqual(schedule, { uri: 'file:///w/model.js', maxLr: 0.3, minLr: 0.03, maxMomentum: 0.97, minMomentum: 0.9, optimizer: 'sgd', batchSize: 128, runId: 'r1', date: '2026-12-07' });
  // A recipe with no recommendation offers nothing.
  const none = recipe('r2', '2026-12-07T08:00:00Z', 0.3);
  assert.deepEqual(fileSchedules([{ ...none, result: { ...none.result!, recommendation: null } } as RunSnapshot], uri), []);
});

test('the latest run of a file wins, range test or recipe, whatever order the runs are held in (an older adamw range test stood beside a newer sgd recipe)', () => {
  const older = findLr('f1', '2026-12-07T07:00:00Z', 0.015, { name: 'adamw', momentum: 0.9 });
  const newer = recipe('r1', '2026-12-07T08:00:00Z', 0.097);
  for (const runs of [[older, newer], [newer, older]]) {
    const [schedule] = fileSchedules(runs, uri);
    assert.deepEqual([schedule?.runId, schedule?.maxLr, schedule?.optimizer], ['r1', 0.097, 'sgd']);
  }
  const [later] = fileSchedules([newer, findLr('f2', '2026-12-07T09:00:00Z', 0.05, sgd, 32)], uri);
  assert.deepEqual([later?.runId, later?.maxLr, later?.maxMomentum, later?.batchSize], ['f2', 0.05, 0.95, 32]);
});

test('the editor offers a run\'s LR range (Train with 1cycle, Preview) only as the Insert lens would insert it: a crafted max LR of 1e6 was pre-filled and trained', () => {
  assert.equal(usableRange({ maxLr: 0.1, minLr: 0.01 }), true);
  assert.equal(usableRange({ maxLr: 100, minLr: 10 }), true);
  assert.equal(usableRange({ maxLr: 1e6, minLr: 1e5 }), false);
  assert.equal(usableRange({ maxLr: 0.1, minLr: 0.2 }), false);
  assert.equal(usableRange({ maxLr: Number.NaN, minLr: 0.01 }), false);
  assert.equal(usableRange({ maxLr: 0.1, minLr: 0 }), false);
});
