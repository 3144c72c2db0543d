/**
 * `awaitUserCode`: a call into the user's code that may take long says so at doubling gaps, ends
 * at once on cancel (Ctrl-C's listeners back afterwards), and otherwise is the call itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awaitUserCode, userCode, userCodeSync } from '../../src/engine/userCode';
import { Reporter } from '../../src/engine/reporter';
import type { ProgressParams } from '../../src/protocol/progress';
import { WAITING_PHASE } from '../../src/protocol/progress';
import { LrLabError } from '../../src/protocol/errors';

function recorder(): { reporter: Reporter; notices: { at: number; params: ProgressParams }[] } {
  const notices: { at: number; params: ProgressParams }[] = [];
  const reporter = new Reporter('run', { progress: (params) => notices.push({ at: performance.now(), params }), append: () => undefined, log: () => undefined });
  return { reporter, notices };
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

test('a call that never settles: notices at doubling gaps up to the cap, naming the call, the file and the time so far; cancel ends it at once', async () => {
  const { reporter, notices } = recorder();
  const controller = new AbortController();
  const listener = (): void => undefined;
  process.on('SIGINT', listener);
  const started = performance.now();
  const waiting = awaitUserCode(() => new Promise<never>(() => undefined), { call: 'loadData()', file: '/work/model.js', reporter, signal: controller.signal, notices: { firstMs: 40, maxGapMs: 160 } });
  // After a turn of the event loop (a Ctrl-C already waiting there reaches the listener first: userCode.ts `signalsDelivered`).
  assert.equal(process.listenerCount('SIGINT'), 1, 'the listener stays until pending signals are delivered');
  assert.ok(await until(() => process.listenerCount('SIGINT') === 0, 1000), 'no listener while user code runs: Ctrl-C ends the process');
  assert.ok(await until(() => notices.length >= 5, 5000), `${notices.length} notices`);
  controller.abort();
  await assert.rejects(waiting, (e: unknown) => e instanceof LrLabError && e.code === 'cancelled' && /^The run was cancelled while waiting for loadData\(\) in model\.js \(after \d/.test(e.message));
  assert.equal(process.listenerCount('SIGINT'), 1, "Ctrl-C's listener is back, though the user's promise is still pending");
  process.off('SIGINT', listener);
  // Gaps 40, 80, 160, 160 ms (timers never fire early; a busy machine only makes them later).
  const at = [started, ...notices.map((n) => n.at)];
  const gaps = at.slice(1).map((t, i) => t - at[i]!);
  [40, 80, 160, 160, 160].forEach((want, i) => assert.ok(gaps[i]! >= want - 2, `gap ${i} is ${gaps[i]} ms, want ≥ ${want}`));
  for (const n of notices) {
    assert.equal(n.params.phase, WAITING_PHASE);
    assert.equal(n.params.fraction, null);
    assert.match(n.params.message, /^Still waiting for loadData\(\) in model\.js: \d+(\.\d+)? s so far \(the run goes on once the promise it returned settles\)$/);
  }
  const count = notices.length;
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(notices.length, count, 'no notice after the wait ended');
});

test('a call that settles in time is the call itself: its value, or its error, and no notice', async () => {
  const { reporter, notices } = recorder();
  const signal = new AbortController().signal;
  const wait = { call: 'loadData()', file: 'model.js', reporter, signal, notices: { firstMs: 200, maxGapMs: 200 } };
  assert.equal(await awaitUserCode(async () => 42, wait), 42);
  await assert.rejects(awaitUserCode(async () => Promise.reject(new Error('bad path')), wait), /bad path/);
  await assert.rejects(awaitUserCode(() => {
    throw new Error('thrown at once');
  }, wait), /thrown at once/);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(notices.length, 0);
});

test('a run cancelled before the call, whose call throws at once: the user\'s error, and no unhandled rejection (Node would end the engine on one)', async () => {
  const { reporter } = recorder();
  const controller = new AbortController();
  controller.abort();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await assert.rejects(awaitUserCode(() => { throw new Error('thrown at once'); }, { call: 'loadData()', file: '/w/model.js', reporter, signal: controller.signal }), /thrown at once/);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('a Ctrl-C that came while LR Lab held the thread reaches its listener before user code parks the listeners (it was dropped: the run trained to its end)', async () => {
  let heard = 0;
  const listener = (): void => {
    heard++;
  };
  process.on('SIGINT', listener);
  try {
    // Sent while this code holds the thread, as tfjs's loading does: libuv keeps it for the loop's next poll.
    process.kill(process.pid, 'SIGINT');
    const seen = await userCode(async () => heard);
    assert.equal(seen, 1, 'delivered before the user code ran');
    assert.equal(process.listenerCount('SIGINT'), 1, 'and the listener is back after it');
    // userCodeSync is the caller's to precede with signalsDelivered (modelFile.ts does): without it the signal is lost.
    process.kill(process.pid, 'SIGINT');
    userCodeSync(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(heard, 1, 'removed and re-added in one go, the listeners never heard it');
  } finally {
    process.off('SIGINT', listener);
  }
});
