/** The state a run that ended with a result is shown and kept in (src/extension/runState.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishedState, recipeCancelledText } from '../../src/extension/runState';
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
