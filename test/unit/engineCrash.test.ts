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

test("V8's own out-of-memory line is said, not the native stack after it; options are named as the caller's user names them", () => {
  const stderr = ['<--- Last few GCs --->', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', '----- Native stack trace -----', ' 1: 0xb8cf21 node::OOMErrorHandler', ' 2: 0xf0a3d0 v8::Utils::ReportOOMFailure', ' 12: 0x12a1ae3 v8::internal::Runtime_NewArray'];
  const editor = engineCrashError('The LR Lab engine', { code: null, signal: 'SIGABRT' }, stderr, null, { naming: 'setting' });
  assert.equal(editor.message, 'The LR Lab engine was killed (SIGABRT) before finishing: FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory.');
  assert.equal(editor.fix, 'It ran out of memory: use a smaller lrlab.batchSize or model.');
  assert.equal(engineCrashError('The child engine', { code: null, signal: 'SIGABRT' }, stderr, null).fix, 'It ran out of memory: use a smaller --batch-size or model.');
});
