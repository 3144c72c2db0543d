import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineCrashError, oomKillCount } from '../../src/protocol/engineCrash';

const killed = { code: null, signal: 'SIGKILL' };

test('a SIGKILL is blamed on memory only on evidence: the kernel counted an OOM kill, or the engine said so', () => {
  const oom = engineCrashError('The engine', killed, ['step 3'], 1);
  assert.equal(oom.code, 'out-of-memory');
  assert.match(oom.fix ?? '', /out-of-memory killer ended it .*1 OOM kill/);
  const other = engineCrashError('The engine', killed, ['step 3'], 0);
  assert.equal(other.code, 'internal');
  assert.match(other.fix ?? '', /Not for lack of memory .* another process killed it/);
  const unknown = engineCrashError('The engine', killed, [], null);
  assert.match(unknown.fix ?? '', /Either the system ran out of memory .* or another process killed it/);
  assert.equal(engineCrashError('The engine', killed, ['FATAL ERROR: Reached heap limit Allocation failed'], 0).code, 'out-of-memory');
  assert.match(engineCrashError('The engine', { code: 3, signal: null }, ['boom'], 0).message, /exited with code 3 before finishing: boom/);
});

test('the OOM-kill count is read from /proc/vmstat text, or is unknown', () => {
  assert.equal(oomKillCount('pgfault 12\noom_kill 4\nnr_foo 1\n'), 4);
  assert.equal(oomKillCount('pgfault 12\n'), null);
});
