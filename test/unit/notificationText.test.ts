/** A run's end in its notification (src/extension/notificationText.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief } from '../../src/extension/notificationText';

test('a notification says the first sentence of a run\'s end, or its first 220 characters at a word, and points to the panel for the rest (it repeated the whole paragraph)', () => {
  assert.equal(brief('recommended max LR 0.0554, min LR 0.00554: where the loss bottoms out'), 'recommended max LR 0.0554, min LR 0.00554: where the loss bottoms out');
  assert.equal(brief('good: Converged at 1e-3. Fewer epochs would do.'), 'good: Converged at 1e-3. (more in the panel)');
  const long = `recommended max LR 0.1, min LR 0.01: ${'the median of three range tests '.repeat(12)}and more.`;
  const said = brief(long);
  assert.ok(said.length <= 220 + '… (more in the panel)'.length, said);
  assert.match(said, /^recommended max LR 0\.1, min LR 0\.01: the median .* three… \(more in the panel\)$/);
});
