/**
 * The engine as the extension host runs it: `dist/engine.js` spawned as a child process with an
 * IPC channel, typed JSON-RPC from src/protocol, progress appends with sequence numbers, and
 * cancellation that stops the run within a batch; closing the channel ends the process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { built } from '../built';
import { CancellationTokenSource, createMessageConnection, IPCMessageReader, IPCMessageWriter, ResponseError } from 'vscode-jsonrpc/node';
import { AppendNotification, ProgressNotification, RunRequest, ShutdownRequest } from '../../src/protocol/engineRpc';
import type { AppendParams, ProgressParams } from '../../src/protocol/progress';
import { WAITING_PHASE } from '../../src/protocol/progress';
import type { FindLrResult } from '../../src/protocol/results';
import type { LrLabErrorData } from '../../src/protocol/errors';

const root = path.join(__dirname, '..', '..');
const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');

/**
 * `exited`: the engine's exit code, or, where a signal ended it, the signal and the end of its stderr
 * (so that a failure says why: once in a full run an engine ended by a signal after a cancel).
 */
function startEngine(): { child: ReturnType<typeof spawn>; connection: ReturnType<typeof createMessageConnection>; exited: Promise<number | string | null> } {
  const child = spawn(process.execPath, [built('engine.js')], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, LRLAB_ENGINE: 'ipc' } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(signal === null ? code : `${signal}; stderr ends: ${stderr}`)));
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  return { child, connection, exited };
}

test('find-lr over IPC: result, ordered appends with every point, clean shutdown', async () => {
  const { connection, exited } = startEngine();
  const appends: AppendParams[] = [];
  connection.onNotification(AppendNotification.type, (a) => appends.push(a));
  const result = (await connection.sendRequest(RunRequest.type, { runId: 'r1', request: { kind: 'find-lr', model: tiny, steps: 30, seed: 1, rangeRetries: 0 } })) as FindLrResult;
  assert.equal(result.kind, 'find-lr');
  assert.equal(result.points.length, 30);
  assert.ok(appends.every((a) => a.runId === 'r1'));
  // Three range tests (the default): each streams from a restart; the series ends as the median test's.
  const tests: AppendParams['points'][number][][] = [];
  for (const a of appends) {
    if (a.restart === true || tests.length === 0) tests.push([]);
    tests.at(-1)!.push(...a.points);
  }
  assert.ok(tests.length === 3 || tests.length === 4, `${tests.length} streamed curves`);
  assert.ok(tests.every((t) => t.length === 30), 'every point of every test');
  assert.deepEqual(tests.at(-1)!.map((p) => [p.lr, p.loss]), result.points.map((p) => [p.lr, p.loss]), 'the series ends as the result, in order');
  await connection.sendRequest(ShutdownRequest.type, null);
  assert.equal(await exited, 0);
  connection.dispose();
});

test('bad input over IPC comes back as a typed error with the option named', async () => {
  const { connection, child, exited } = startEngine();
  await assert.rejects(connection.sendRequest(RunRequest.type, { runId: 'r2', request: { kind: 'find-lr', model: tiny, startLr: 1, endLr: 0.5 } }), (e: unknown) => {
    assert.ok(e instanceof ResponseError);
    const data = e.data as LrLabErrorData;
    assert.equal(data.code, 'bad-option');
    assert.equal(data.option, 'startLr');
    return true;
  });
  // A seed the editor's settings give a study (lrlab.seed, checked by no study before) past 2^53 − 1, or not whole.
  for (const seed of [2 ** 53 + 2, 1.5]) {
    await assert.rejects(connection.sendRequest(RunRequest.type, { runId: 'r2', request: { kind: 'momentum', model: tiny, maxLr: 0.1, seed } }), (e: unknown) => {
      assert.ok(e instanceof ResponseError);
      const data = e.data as LrLabErrorData;
      assert.equal(data.code, 'bad-option');
      assert.equal(data.option, 'seed');
      assert.match(data.message, /^--seed must be a whole number/);
      return true;
    });
  }
  child.disconnect();
  assert.equal(await exited, 0, 'the engine exits when its parent closes the channel');
  connection.dispose();
});

test('cancellation stops the run within a batch and returns what was measured', async () => {
  const { connection, child, exited } = startEngine();
  const source = new CancellationTokenSource();
  let points = 0;
  connection.onNotification(AppendNotification.type, (a) => {
    points += a.points.length;
    if (points >= 5) source.cancel();
  });
  const started = performance.now();
  const result = (await connection.sendRequest(RunRequest.type, { runId: 'r3', request: { kind: 'find-lr', model: tiny, steps: 100000, startLr: 1e-7, endLr: 1e-6, seed: 1 } }, source.token)) as FindLrResult;
  assert.equal(result.stopReason, 'cancelled');
  assert.ok(result.points.length < 200, `stopped after ${result.points.length} points`);
  assert.ok(performance.now() - started < 20_000);
  child.disconnect();
  assert.equal(await exited, 0);
  connection.dispose();
});

test('the editor hears, as progress, that the engine still waits for a loadData that never settles; cancel then answers at once, naming it', { timeout: 120_000 }, async () => {
  const { connection, child, exited } = startEngine();
  const source = new CancellationTokenSource();
  const progress: ProgressParams[] = [];
  let cancelAt = Number.NaN;
  connection.onNotification(ProgressNotification.type, (p) => {
    progress.push(p);
    if (p.phase !== WAITING_PHASE) return;
    cancelAt = performance.now();
    source.cancel();
  });
  const model = path.join(root, 'test', 'fixtures', 'models', 'neverLoads.js');
  let answeredAt = Number.NaN;
  const deadline = setTimeout(() => source.cancel(), 60_000); // a failure, not a hang
  await assert.rejects(connection.sendRequest(RunRequest.type, { runId: 'r4', request: { kind: 'find-lr', model, backend: 'cpu' } }, source.token), (e: unknown) => {
    answeredAt = performance.now();
    assert.ok(e instanceof ResponseError);
    const data = e.data as LrLabErrorData;
    assert.equal(data.code, 'cancelled');
    assert.match(data.message, /^The run was cancelled while waiting for loadData\(\) in neverLoads\.js \(after 1\d(\.\d)? s\)\.$/);
    return true;
  });
  clearTimeout(deadline);
  const notice = progress.find((p) => p.phase === WAITING_PHASE);
  assert.ok(notice !== undefined, `no waiting notice in ${JSON.stringify(progress.map((p) => p.message))}`);
  assert.match(notice.message, /^Still waiting for loadData\(\) in neverLoads\.js: 10 s so far/);
  assert.equal(notice.runId, 'r4');
  // The engine answers itself: the editor's host would kill it 700 ms after the cancel (CANCEL_GRACE_MS) with a plain "cancelled".
  assert.ok(answeredAt - cancelAt < 500, `answered ${Math.round(answeredAt - cancelAt)} ms after the cancel`);
  child.disconnect();
  assert.equal(await exited, 0, 'the engine exits when its parent closes the channel, though the model file\'s timer still runs');
  connection.dispose();
});
