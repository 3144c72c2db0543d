import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebviewRequests } from '../../src/extension/webviewRequests';
import { parseWebviewMessage } from '../../src/protocol/webviewMessages';

// Export chart → PNG on a panel without a chart used to wait forever: every request now ends.

test('a webview that never answers: the request ends with null after the timeout', async () => {
  const requests = new WebviewRequests<string>(50);
  const started = performance.now();
  assert.equal(await requests.ask(() => Promise.resolve(true)), null);
  assert.ok(performance.now() - started >= 45, 'waited for the timeout, not less');
});

test('an empty panel answers "no chart": null at once, long before the timeout', async () => {
  const requests = new WebviewRequests<string>(60_000);
  const answer = requests.ask(async (id) => {
    queueMicrotask(() => requests.answer(id, null));
    return true;
  });
  assert.equal(await answer, null);
});

test('a message that cannot be delivered (hidden or closed webview) ends the request at once', async () => {
  const requests = new WebviewRequests<string>(60_000);
  assert.equal(await requests.ask(() => Promise.resolve(false)), null);
  assert.equal(await requests.ask(() => Promise.reject(new Error('webview is disposed'))), null);
});

test('answers go to their own request; late, repeated and unknown answers are ignored; dispose ends the rest', async () => {
  const requests = new WebviewRequests<string>(60_000);
  const ids: number[] = [];
  const first = requests.ask(async (id) => (ids.push(id), true));
  const second = requests.ask(async (id) => (ids.push(id), true));
  const third = requests.ask(async (id) => (ids.push(id), true));
  await Promise.resolve();
  assert.equal(new Set(ids).size, 3);
  requests.answer(ids[1]!, 'data:image/png;base64,B');
  requests.answer(ids[1]!, 'data:image/png;base64,late');
  requests.answer(9999, 'data:image/png;base64,unknown');
  requests.answer(ids[0]!, 'data:image/png;base64,A');
  assert.deepEqual(await Promise.all([first, second]), ['data:image/png;base64,A', 'data:image/png;base64,B']);
  requests.dispose();
  assert.equal(await third, null);
});

test('the webview\'s answer is validated: a PNG data URL or null, with an integer request id', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'pngAnswer', requestId: 3, dataUrl: null }), { type: 'pngAnswer', requestId: 3, dataUrl: null });
  assert.deepEqual(parseWebviewMessage({ type: 'pngAnswer', requestId: 4, dataUrl: 'data:image/png;base64,AA' }), { type: 'pngAnswer', requestId: 4, dataUrl: 'data:image/png;base64,AA' });
  for (const bad of [{ type: 'pngAnswer', requestId: '3', dataUrl: null }, { type: 'pngAnswer', requestId: 1.5, dataUrl: null }, { type: 'pngAnswer', requestId: 1, dataUrl: 'javascript:1' }, { type: 'pngAnswer', requestId: 1 }]) {
    assert.equal(parseWebviewMessage(bad), null, JSON.stringify(bad));
  }
});
