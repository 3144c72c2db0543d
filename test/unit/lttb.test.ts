import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lttb } from '../../webview/lttb';

test('LTTB keeps endpoints and spikes, returns at most the threshold', () => {
  const data = Array.from({ length: 10_000 }, (_, i) => ({ x: 10 ** (-7 + (8 * i) / 9999), y: i === 6000 ? 50 : Math.sin(i / 300) }));
  const out = lttb(data, 500);
  assert.equal(out.length, 500);
  assert.equal(out[0], data[0]);
  assert.equal(out.at(-1), data.at(-1));
  assert.ok(out.some((p) => p.y === 50), 'the spike survives');
  for (let i = 1; i < out.length; i++) assert.ok(out[i]!.x > out[i - 1]!.x, 'order kept');
});

test('LTTB returns short inputs unchanged', () => {
  const data = [{ x: 1, y: 1 }, { x: 10, y: 2 }];
  assert.deepEqual(lttb(data, 500), data);
});
