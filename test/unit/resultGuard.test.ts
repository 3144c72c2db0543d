/** When `bin/lrlab` runs the CLI in a child whose descriptor 1 is stderr (src/engine/cli/resultGuard.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESULT_FD_ENV, needsGuard } from '../../src/engine/cli/resultGuard';

test('the stdout guard: commands that run user code, with --json, into a pipe or a file — not a terminal, not help, not the child itself, not when turned off', () => {
  for (const command of ['find-lr', 'sweep', 'train', 'batch-size', 'recipe']) assert.equal(needsGuard([command, 'model.ts', '--json'], {}, false), true, command);
  assert.equal(needsGuard(['find-lr', 'model.ts'], {}, false), false, 'human text');
  assert.equal(needsGuard(['find-lr', 'model.ts', '--json'], {}, true), false, 'a terminal');
  for (const command of ['schedule', 'help', 'version', 'worker']) assert.equal(needsGuard([command, '--json'], {}, false), false, command);
  assert.equal(needsGuard(['find-lr', '--help', '--json'], {}, false), false);
  assert.equal(needsGuard(['find-lr', 'model.ts', '--json'], { [RESULT_FD_ENV]: '3' }, false), false, 'the guarded child');
  assert.equal(needsGuard(['find-lr', 'model.ts', '--json'], { LRLAB_RESULT_GUARD: 'off' }, false), false);
});
