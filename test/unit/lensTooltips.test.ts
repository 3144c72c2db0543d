import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTitleTooltips } from '../../src/extension/lensTooltips';
import { scheduleTitle } from '../../src/server/insertLenses';

test('a lens keeps its title and gets the whole title as its tooltip, for when a narrow column cuts it off', () => {
  const title = scheduleTitle({ maxLr: 0.3, minLr: 0.03, maxMomentum: 0.95, minMomentum: 0.85 } as Parameters<typeof scheduleTitle>[0]);
  assert.match(title, /^Insert 1cycle schedule \(max LR 0\.3, min 0\.03, momentum 0\.95→0\.85\)$/);
  const lenses = withTitleTooltips([{ command: { title } }, { command: { title: 'Find learning rate', tooltip: 'kept' } }, {}]);
  assert.deepEqual(lenses, [{ command: { title, tooltip: title } }, { command: { title: 'Find learning rate', tooltip: 'kept' } }, {}]);
  assert.equal(withTitleTooltips(null), null);
});
