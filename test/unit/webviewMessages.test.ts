import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSidebarMessage, parseWebviewMessage } from '../../src/protocol/webviewMessages';

test('valid webview messages pass through unchanged', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'chooseRange', runId: 'r-1', range: { minLr: 0.01, maxLr: 0.1 } }), { type: 'chooseRange', runId: 'r-1', range: { minLr: 0.01, maxLr: 0.1 } });
  assert.deepEqual(parseWebviewMessage({ type: 'export', runId: 'abc', format: 'csv' }), { type: 'export', runId: 'abc', format: 'csv' });
});

test('malformed or unknown messages are dropped', () => {
  const bad: unknown[] = [
    null, 'ready', 42, [], {},
    { type: 'exec', command: 'rm -rf /' },
    { type: 'chooseRange', runId: 'r', range: { minLr: 0.1, maxLr: 0.01 } },
    { type: 'chooseRange', runId: 'r', range: { minLr: -1, maxLr: 0.01 } },
    { type: 'chooseRange', runId: 'r', range: { minLr: Number.NaN, maxLr: 1 } },
    { type: 'chooseRange', runId: '../../etc', range: { minLr: 0.01, maxLr: 0.1 } },
    { type: 'export', runId: 'r', format: 'exe' },
    { type: 'cancel', runId: '<img src=x onerror=alert(1)>' },
    { type: 'pngData', runId: 'r', dataUrl: 'javascript:alert(1)' },
  ];
  for (const message of bad) assert.equal(parseWebviewMessage(message), null, JSON.stringify(message));
});

test('side view messages: valid pass, malformed dropped', () => {
  assert.deepEqual(parseSidebarMessage({ type: 'openRun', runId: 'a1' }), { type: 'openRun', runId: 'a1' });
  assert.deepEqual(parseSidebarMessage({ type: 'compareRuns', runIds: ['a', 'b'] }), { type: 'compareRuns', runIds: ['a', 'b'] });
  for (const bad of [{ type: 'compareRuns', runIds: ['a', 'a'] }, { type: 'compareRuns', runIds: ['a'] }, { type: 'deleteRun', runId: '../x' }, { type: 'openRun' }, { type: 'eval', code: '1' }]) {
    assert.equal(parseSidebarMessage(bad), null, JSON.stringify(bad));
  }
});
