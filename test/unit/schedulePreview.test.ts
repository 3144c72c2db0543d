import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schedulePreview } from '../../src/extension/schedulePreview';

test("Preview 1cycle schedule shows the momentum the Insert lens puts in: a recipe's constant 0.9, not 0.95 → 0.85; the LR only where the lens inserts no momentum; Smith's defaults without a run", () => {
  // A user's recipe recommended a constant momentum 0.9 (the lens: "momentum 0.9→0.9"); the preview showed 0.95 → 0.85 → 0.95.
  const recipe = schedulePreview({ maxLr: 0.0739, minLr: 0.00739, momentum: { max: 0.9, min: 0.9 } }, '0.0739', 100);
  assert.equal(recipe[0], '1cycle as the Insert lens puts it in (lrlab schedule smith: LR 0.00739 → 0.0739 → 0.00739 over 90% of the steps, then down to 7.39e-6; momentum 0.9, constant), 100 steps:');
  assert.ok(recipe.slice(1).every((l) => l.endsWith('momentum 0.900')), recipe.join('\n'));
  const plainSgd = schedulePreview({ maxLr: 0.1, minLr: 0.01, momentum: { max: 0.95, min: 0.85 }, fixedMomentum: "sgd's momentum is 0" }, '0.1', 100);
  assert.match(plainSgd[0]!, /; LR only: sgd's momentum is 0\), 100 steps:$/);
  assert.ok(plainSgd.slice(1).every((l) => !l.includes('momentum')), plainSgd.join('\n'));
  const none = schedulePreview(null, '0.1', 1000);
  assert.match(none[0]!, /^1cycle as the Insert lens puts it in \(lrlab schedule smith: LR 0\.01 → 0\.1 → 0\.01 over 90% of the steps, then down to 1e-5; momentum 0\.95 → 0\.85 → 0\.95\), 1000 steps:$/);
  assert.equal(none[1], '  step 0: lr 0.01, momentum 0.950');
  // Another max LR typed than the run's: min is a tenth of it.
  assert.match(schedulePreview({ maxLr: 0.0739, minLr: 0.005, momentum: { max: 0.95, min: 0.85 } }, '0.2', 100)[0]!, /LR 0\.02 → 0\.2 → 0\.02/);
});
