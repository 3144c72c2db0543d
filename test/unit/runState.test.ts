/** The state a run that ended with a result is shown and kept in (src/extension/runState.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INTERRUPTED, asRestored, finishedState, recipeCancelledText } from '../../src/extension/runState';
import type { RunSnapshot } from '../../src/protocol/webviewMessages';
import type { AnyResult } from '../../src/protocol/results';

test('a cancelled run is "cancelled" whatever its result says: a recipe carries no stopReason, and a cancelled one read "done" above "Cancelled after 2 of 5 steps."', () => {
  const recipe = { kind: 'recipe', recommendation: null, warnings: ['Cancelled after 2 of 5 steps.'] } as unknown as AnyResult;
  assert.equal(finishedState(recipe, true), 'cancelled');
  assert.equal(finishedState(recipe, false), 'done');
  const rangeTest = { kind: 'find-lr', stopReason: 'cancelled' } as unknown as AnyResult;
  assert.equal(finishedState(rangeTest, false), 'cancelled');
  assert.equal(finishedState({ kind: 'find-lr', stopReason: 'completed' } as unknown as AnyResult, false), 'done');
  // Its notification says so, not "no recommendation".
  assert.equal(recipeCancelledText(recipe), 'cancelled after 2 of 5 steps');
  assert.equal(recipeCancelledText({ kind: 'recipe', recommendation: null, warnings: ['Cancelled during step 3 of 5 (momentum): 2 finished.'] } as unknown as AnyResult), 'cancelled during step 3 of 5 (momentum): 2 finished');
  assert.equal(recipeCancelledText({ kind: 'recipe', recommendation: null, warnings: [] } as unknown as AnyResult), null);
});

test('a run restored as running (a panel after a reload, a committed run file) is an interrupted, cancelled run: no engine of this window runs it; others come back as they are', () => {
  const running = { runId: 'r', kind: 'find-lr', model: '/w/m.js', label: 'm.js', startedAt: '2026-12-07T00:00:00Z', state: 'running', settings: {}, series: { main: [] }, progress: { runId: 'r', phase: 'train', message: 'Running loadData()', fraction: null }, result: null, chosenRange: null, error: null } as unknown as RunSnapshot;
  const restored = asRestored(running);
  assert.equal(restored.state, 'cancelled');
  assert.equal(restored.error, INTERRUPTED);
  assert.equal(restored.progress, null);
  assert.match(INTERRUPTED, /^Interrupted: LR Lab's window was reloaded or closed while this run went on/);
  const done = { ...running, state: 'done', progress: null } as RunSnapshot;
  assert.equal(asRestored(done), done);
  assert.equal(asRestored({ ...running, error: 'the engine died' }).error, 'the engine died');
});
