import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunHistory, RunTooLargeError, STALE_TEMP_MS } from '../../src/extension/history';
import type { RunSnapshot } from '../../src/protocol/webviewMessages';
import { headlineRange, markerCurve, recommendedOf } from '../../src/protocol/rangeView';
import { RESULT_FORMAT_VERSION } from '../../src/protocol/results';
import type { Baseline, EpochRecord } from '../../src/protocol/results';
import { describeBaseline } from '../../src/protocol/baselineText';

const root = mkdtempSync(path.join(os.tmpdir(), 'lrlab-history-'));
after(() => rmSync(root, { recursive: true, force: true }));

function run(id: string): RunSnapshot {
  return {
    runId: id, kind: 'find-lr', model: '/w/model.ts', label: 'model.ts', startedAt: `2026-11-28T10:00:0${id.length % 10}.000Z`, state: 'done', settings: {},
    series: { main: [{ step: 0, lr: 1e-7, momentum: 0.9, loss: 2.3, smoothed: 2.3, valLoss: null, valAccuracy: null, seconds: 0.1 }] },
    progress: null, result: null, chosenRange: { minLr: 0.01, maxLr: 0.1 }, error: null,
  };
}

test('save then load round-trips runs; no temp files left', async () => {
  const h = new RunHistory(path.join(root, 'a'));
  await h.save(run('r1'));
  await h.save(run('r22'));
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId).sort(), ['r1', 'r22']);
  assert.deepEqual(loaded.runs.find((r) => r.runId === 'r1')?.chosenRange, { minLr: 0.01, maxLr: 0.1 });
  assert.deepEqual(loaded.skipped, []);
  assert.ok(readdirSync(path.join(root, 'a')).every((n) => !n.endsWith('.tmp')));
});

test('corrupt, truncated, foreign and future files are skipped with a reason; good ones still load', async () => {
  const dir = path.join(root, 'b');
  const h = new RunHistory(dir);
  await h.save(run('good'));
  writeFileSync(path.join(dir, 'truncated.json'), '{"format":"lrlab-run","version":1,"run":{"runId":"x"');
  writeFileSync(path.join(dir, 'foreign.json'), JSON.stringify({ hello: 'world' }));
  writeFileSync(path.join(dir, 'future.json'), JSON.stringify({ format: 'lrlab-run', version: 999, run: run('f') }));
  writeFileSync(path.join(dir, 'partial.json'), JSON.stringify({ format: 'lrlab-run', version: 1, run: { runId: 'p' } }));
  // A format version that is no whole number LR Lab writes (a reliability trial: "1" read "written by a newer LR Lab", -5 loaded).
  writeFileSync(path.join(dir, 'stringVersion.json'), JSON.stringify({ format: 'lrlab-run', version: '1', run: run('s') }));
  writeFileSync(path.join(dir, 'negative.json'), JSON.stringify({ format: 'lrlab-run', version: -5, run: run('n') }));
  // Saved by an editor with a byte-order mark: still the file (it read "unreadable").
  writeFileSync(path.join(dir, 'bom.json'), `\uFEFF${JSON.stringify({ format: 'lrlab-run', version: 1, run: run('bom') })}`);
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId).sort(), ['bom', 'good']);
  assert.equal(loaded.skipped.length, 6);
  assert.ok(loaded.skipped.some((s) => /stringVersion\.json: its format version "1" is not one LR Lab writes/.test(s)), loaded.skipped.join('\n'));
  assert.ok(loaded.skipped.some((s) => /negative\.json: its format version -5 is not one LR Lab writes/.test(s)));
  assert.ok(loaded.skipped.some((s) => /future\.json: written by a newer LR Lab/.test(s)));
  assert.ok(loaded.skipped.some((s) => /truncated\.json: unreadable/.test(s)));
  assert.ok(loaded.skipped.some((s) => /foreign\.json: not an LR Lab run file/.test(s)));
});

test('an unusable history folder rejects the save (the caller warns) and writes nothing', async () => {
  const blocker = path.join(root, 'not-a-folder');
  writeFileSync(blocker, 'a file where the folder should be');
  await assert.rejects(new RunHistory(blocker).save(run('x')));
  await assert.rejects(new RunHistory(path.join(blocker, 'runs')).save(run('y')));
});

test('a run of the longest range test lrlab.steps takes is kept (a 43,390-step run saved 11.3 MB and was gone after a reload); one over what a run file may hold is not written, saying why', async () => {
  const h = new RunHistory(path.join(root, 'long'));
  const point = run('p').series['main']![0]!;
  const long = { ...run('long'), series: { main: Array.from({ length: 100_000 }, (_, i) => ({ ...point, step: i, lr: 1e-7 * 1.0002 ** i, loss: 2.3 - i * 1e-6, smoothed: 2.3 - i * 1.1e-6, seconds: i * 0.00123 })) } };
  await h.save(long);
  const loaded = await h.load();
  assert.deepEqual(loaded.skipped, []);
  assert.equal(loaded.runs[0]?.series['main']?.length, 100_000);
  const huge = { ...run('huge'), series: { main: Array.from({ length: 600_000 }, (_, i) => ({ ...point, step: i, lr: 1e-7 * 1.00003 ** i, seconds: i * 0.00123 })) } };
  await assert.rejects(h.save(huge), (e: Error) => e instanceof RunTooLargeError && /^the run is \d+\.\d MB, over the 64 MB a run file may have, so it is not kept in history/.test(e.message));
  assert.ok(readdirSync(path.join(root, 'long')).every((n) => !n.includes('huge') && !n.endsWith('.tmp')), 'nothing written for it');
});

test('remove deletes exactly that run', async () => {
  const h = new RunHistory(path.join(root, 'd'));
  const a = run('keep');
  const b = run('gone1');
  await h.save(a);
  await h.save(b);
  await h.remove(b);
  assert.deepEqual((await h.load()).runs.map((r) => r.runId), ['keep']);
});

test('one run file written from outside (another window, a git pull) is read alone: its run, why it is skipped, or nothing for what is no run file; its run is found by file name', async () => {
  const dir = path.join(root, 'watched');
  const h = new RunHistory(dir);
  await h.save(run('mine'));
  await h.load();
  const other = new RunHistory(dir);
  await other.save(run('theirs'));
  const name = readdirSync(dir).find((n) => n.includes('theirs'))!;
  const one = await h.loadOne(name, (id) => id === 'mine');
  assert.ok(one !== null && 'run' in one && one.run.runId === 'theirs', JSON.stringify(one));
  assert.equal(h.runIdOf(name), 'theirs');
  writeFileSync(path.join(dir, 'broken.json'), '{"format":');
  const broken = await h.loadOne('broken.json', () => false);
  assert.ok(broken !== null && 'skip' in broken && broken.skip.startsWith('broken.json: '), JSON.stringify(broken));
  for (const notOne of ['.x.json.tmp', '../a/other.json', 'gone.json', 'notes.txt']) assert.equal(await h.loadOne(notOne, () => false), null, notOne);
  h.forget('theirs');
  assert.equal(h.runIdOf(name), null);
});

test('a format-1 run file (before the headline) still loads, and reads as "no headline"', async () => {
  const dir = path.join(root, 'v1');
  const h = new RunHistory(dir);
  await h.save(run('fresh'));
  // A v1 find-lr result: no `recommended`, no `fitted`.
  const v1Result = {
    kind: 'find-lr', model: '/w/model.ts', backend: 'wasm', backendNote: null, seconds: 1,
    settings: { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: null },
    points: [{ lr: 1e-3, loss: 2.3, smoothed: 2.3 }],
    divergedAt: null, stopReason: 'completed', suggestions: { steep: 0.01, valley: 0.005, minimum: 0.02 }, range: { minLr: 0.01, maxLr: 0.1 },
    reasons: { steep: 's', valley: 'v', minimum: 'm', range: 'r' }, warnings: [],
  };
  writeFileSync(path.join(dir, 'old.json'), JSON.stringify({ format: 'lrlab-run', version: 1, run: { ...run('old'), chosenRange: null, result: v1Result } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.skipped, []);
  const old = loaded.runs.find((r) => r.runId === 'old');
  assert.ok(old?.result?.kind === 'find-lr');
  assert.equal(recommendedOf(old.result), null);
  assert.equal(headlineRange(old.result), null);
  assert.deepEqual(markerCurve(old.result), [{ lr: 1e-3, loss: 2.3 }]);
});

test('a format-1 run file (results without optimizer or settings.sources) still loads; new files are format 18', async () => {
  const dir = path.join(root, 'v1-optimizer');
  const h = new RunHistory(dir);
  await h.save(run('new'));
  const settings = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: null };
  const result = { kind: 'find-lr', model: '/w/model.ts', backend: 'wasm', backendNote: null, seconds: 1, settings, points: [], divergedAt: null, stopReason: 'completed', suggestions: { steep: null, valley: null, minimum: null }, range: null, reasons: { steep: '', valley: '', minimum: '', range: '' }, warnings: [] };
  writeFileSync(path.join(dir, 'old.json'), JSON.stringify({ format: 'lrlab-run', version: 1, run: { ...run('old'), result } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId).sort(), ['new', 'old']);
  const old = loaded.runs.find((r) => r.runId === 'old')?.result;
  assert.ok(old?.kind === 'find-lr' && old.optimizer === undefined && old.settings.sources === undefined && old.fitCall === undefined);
  assert.equal(RESULT_FORMAT_VERSION, 23);
  // Format 16's fitCall (a script's tested fit call) loads; a malformed one is refused, naming it.
  writeFileSync(path.join(dir, 'script.json'), JSON.stringify({ format: 'lrlab-run', version: 16, run: { ...run('script'), result: { ...result, fitCall: { line: 12, method: 'fit' } } } }));
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ format: 'lrlab-run', version: 16, run: { ...run('bad'), result: { ...result, fitCall: { line: -3, method: 'fit' } } } }));
  const again = await h.load();
  const script = again.runs.find((r) => r.runId === 'script')?.result;
  assert.ok(script?.kind === 'find-lr');
  assert.deepEqual(script.fitCall, { line: 12, method: 'fit' });
  assert.ok(!again.runs.some((r) => r.runId === 'bad'));
  assert.ok(again.skipped.some((s) => /bad\.json.*fitCall/.test(s)), again.skipped.join(' | '));
  // Format 18's fitCall.text (the call's line, to find it again after edits) loads; one with control characters is refused.
  const text = 'await model.fit(xs, ys, { epochs: 5 });';
  writeFileSync(path.join(dir, 'kept.json'), JSON.stringify({ format: 'lrlab-run', version: 18, run: { ...run('kept'), result: { ...result, fitCall: { line: 12, method: 'fit', text } } } }));
  writeFileSync(path.join(dir, 'hostile.json'), JSON.stringify({ format: 'lrlab-run', version: 18, run: { ...run('hostile'), result: { ...result, fitCall: { line: 12, method: 'fit', text: 'model.fit(\u202e)' } } } }));
  const third = await h.load();
  const kept = third.runs.find((r) => r.runId === 'kept')?.result;
  assert.ok(kept?.kind === 'find-lr');
  assert.deepEqual(kept.fitCall, { line: 12, method: 'fit', text });
  assert.ok(third.skipped.some((s) => /hostile\.json.*fitCall\.text/.test(s)), third.skipped.join(' | '));
  // Format 20's train settings load; a train result of format 19 without them too; a malformed one is refused, naming it.
  const trainResult = { kind: 'train', model: '/w/model.ts', backend: 'wasm', seconds: 1, policy: 'onecycle', schedule: { maxLr: 0.1 }, history: [], diagnosis: { verdict: null, reason: 'no epochs' }, savedTo: null, warnings: [], baseline: null };
  const trainSettings = { batchSize: 64, epochs: 5, weightDecay: 1e-4, dropout: null, seed: 1 };
  writeFileSync(path.join(dir, 'trained.json'), JSON.stringify({ format: 'lrlab-run', version: 20, run: { ...run('trained'), result: { ...trainResult, settings: trainSettings } } }));
  writeFileSync(path.join(dir, 'trained19.json'), JSON.stringify({ format: 'lrlab-run', version: 19, run: { ...run('trained19'), result: trainResult } }));
  writeFileSync(path.join(dir, 'untrained.json'), JSON.stringify({ format: 'lrlab-run', version: 20, run: { ...run('untrained'), result: { ...trainResult, settings: { ...trainSettings, batchSize: 0 } } } }));
  const fourth = await h.load();
  const trained = fourth.runs.find((r) => r.runId === 'trained')?.result;
  assert.ok(trained?.kind === 'train');
  assert.deepEqual(trained.settings, trainSettings);
  const trained19 = fourth.runs.find((r) => r.runId === 'trained19')?.result;
  assert.ok(trained19?.kind === 'train' && trained19.settings === undefined);
  assert.ok(fourth.skipped.some((s) => /untrained\.json.*settings\.batchSize/.test(s)), fourth.skipped.join(' | '));
});

test('format 3: a find-lr result with its range tests (rangeTests) round-trips; a format-2 file without them loads; a malformed summary is skipped with its reason', async () => {
  const dir = path.join(root, 'v3-range-tests');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const settings = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: 1 };
  const base = { kind: 'find-lr', model: '/w/model.ts', backend: 'wasm', backendNote: null, seconds: 1, settings, points: [], divergedAt: null, stopReason: 'completed', recommended: { maxLr: 0.1, minLr: 0.01, reason: 'the median of 3 range tests' }, fitted: [], suggestions: { steep: null, valley: null, minimum: null }, range: null, reasons: { steep: '', valley: '', minimum: '', range: '' }, warnings: [], baseline: null };
  const rangeTests = [
    { seed: 1, maxLr: 0.2, steps: 95, stopReason: 'diverged', divergedAt: 2.7, seconds: 0.3, shown: false },
    { seed: 2, maxLr: 0.1, steps: 100, stopReason: 'completed', divergedAt: null, seconds: 0.3, shown: true },
    { seed: 3, maxLr: null, steps: 300, stopReason: 'completed', divergedAt: null, seconds: 0.9, shown: false },
  ];
  writeFileSync(path.join(dir, 'three.json'), JSON.stringify({ format: 'lrlab-run', version: 3, run: { ...run('three'), result: { ...base, rangeTests } } }));
  writeFileSync(path.join(dir, 'two.json'), JSON.stringify({ format: 'lrlab-run', version: 2, run: { ...run('two'), result: base } }));
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ format: 'lrlab-run', version: 3, run: { ...run('bad'), result: { ...base, rangeTests: [{ ...rangeTests[0], maxLr: -1 }] } } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId).sort(), ['three', 'two']);
  const three = loaded.runs.find((r) => r.runId === 'three')?.result;
  assert.ok(three?.kind === 'find-lr');
  assert.deepEqual(three.rangeTests, rangeTests);
  const two = loaded.runs.find((r) => r.runId === 'two')?.result;
  assert.ok(two?.kind === 'find-lr' && two.rangeTests === undefined);
  assert.equal(loaded.skipped.length, 1);
  assert.match(loaded.skipped[0]!, /bad\.json.*rangeTests/);
});

test('format 4: a find-lr result with its short runs (trials) round-trips; a malformed run is skipped with its reason', async () => {
  const dir = path.join(root, 'v4-trials');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const settings = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: 1 };
  const base = { kind: 'find-lr', model: '/w/model.ts', backend: 'wasm', backendNote: null, seconds: 1, settings, points: [], divergedAt: null, stopReason: 'completed', recommended: { maxLr: 0.3, minLr: 0.03, reason: 'the best of short 1cycle runs' }, fitted: [], suggestions: { steep: null, valley: null, minimum: null }, range: null, reasons: { steep: '', valley: '', minimum: '', range: '' }, warnings: [], baseline: null };
  const trials = { steps: 100, around: 0.1, runs: [{ maxLr: 0.0333, earlyValLoss: 0.5, diverged: false }, { maxLr: 0.1, earlyValLoss: 0.4, diverged: false }, { maxLr: 0.3, earlyValLoss: null, diverged: true }], picked: 0.1, seconds: 1.5 };
  writeFileSync(path.join(dir, 'four.json'), JSON.stringify({ format: 'lrlab-run', version: 4, run: { ...run('four'), result: { ...base, trials } } }));
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ format: 'lrlab-run', version: 4, run: { ...run('bad'), result: { ...base, trials: { ...trials, runs: [{ maxLr: 0, earlyValLoss: 1, diverged: false }] } } } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId), ['four']);
  const four = loaded.runs[0]?.result;
  assert.ok(four?.kind === 'find-lr');
  // Format 7's accuracy per run reads as unknown (null) in older files, format 8's seeds as one.
  assert.deepEqual(four.trials, { ...trials, seeds: 1, runs: trials.runs.map((r) => ({ ...r, earlyValAccuracy: null })) });
  assert.match(loaded.skipped[0] ?? '', /bad\.json.*trials/);
});

test('format 5: short runs repeated 3x as long keep their earlier rounds (trials.earlier) through a save and load; a malformed earlier round is skipped with its reason', async () => {
  const dir = path.join(root, 'v5-first');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const settings = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: 1 };
  const base = { kind: 'find-lr', model: '/w/model.ts', backend: 'wasm', backendNote: null, seconds: 1, settings, points: [], divergedAt: null, stopReason: 'completed', recommended: { maxLr: 0.297, minLr: 0.0297, reason: 'the best of short 1cycle runs of 300 steps' }, fitted: [], suggestions: { steep: null, valley: null, minimum: null }, range: null, reasons: { steep: '', valley: '', minimum: '', range: '' }, warnings: [], baseline: { loss: 0.69, valLoss: 0.669, kind: 'chance' } };
  const first = { steps: 100, runs: [{ maxLr: 0.297, earlyValLoss: 0.638, diverged: false }, { maxLr: 0.89, earlyValLoss: 0.636, diverged: false }, { maxLr: 2.67, earlyValLoss: 0.671, diverged: false }] };
  const trials = { steps: 300, around: 0.89, runs: [{ maxLr: 0.297, earlyValLoss: 0.539, diverged: false }, { maxLr: 0.89, earlyValLoss: 0.553, diverged: false }, { maxLr: 2.67, earlyValLoss: 0.674, diverged: false }], picked: 0.297, seconds: 3, earlier: [{ ...first, outcome: 'learned nothing' }] };
  writeFileSync(path.join(dir, 'five.json'), JSON.stringify({ format: 'lrlab-run', version: 5, run: { ...run('five'), result: { ...base, trials } } }));
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ format: 'lrlab-run', version: 5, run: { ...run('bad'), result: { ...base, trials: { ...trials, earlier: [{ steps: 100, runs: first.runs, outcome: 'forgot' }] } } } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId), ['five']);
  const five = loaded.runs[0]?.result;
  assert.ok(five?.kind === 'find-lr');
  const unknown = <T extends { runs: readonly object[] }>(round: T): T => ({ ...round, runs: round.runs.map((r) => ({ ...r, earlyValAccuracy: null })) });
  assert.deepEqual(five.trials, { ...unknown(trials), seeds: 1, earlier: trials.earlier.map(unknown) });
  assert.match(loaded.skipped[0] ?? '', /bad\.json.*earlier/);
});

test('format 10: a round of short runs that barely learned (trials.earlier[].outcome) round-trips through a save and load; a format-9 reader\'s outcomes still load', async () => {
  const dir = path.join(root, 'v10-barely');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const settings = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'adam', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: 1 };
  const base = { kind: 'find-lr', model: '/w/model.ts', backend: 'wasm', backendNote: null, seconds: 1, settings, points: [], divergedAt: null, stopReason: 'completed', recommended: { maxLr: 0.0328, minLr: 0.00328, reason: 'the best of short 1cycle runs of 300 steps' }, fitted: [], suggestions: { steep: null, valley: null, minimum: null }, range: null, reasons: { steep: '', valley: '', minimum: '', range: '' }, warnings: [], baseline: { loss: 1.1, valLoss: 1.1, kind: 'chance' } };
  const runs = (losses: number[]): { maxLr: number; earlyValLoss: number; earlyValAccuracy: null; diverged: boolean }[] => [0.0328, 0.0985, 0.295].map((maxLr, i) => ({ maxLr, earlyValLoss: losses[i]!, earlyValAccuracy: null, diverged: false }));
  const trials = { steps: 300, around: 0.0985, runs: runs([0.262, 0.656, 1.117]), seeds: 1, picked: 0.0328, seconds: 7, earlier: [{ steps: 100, runs: runs([1.083, 0.981, 1.125]), outcome: 'barely learned' }] };
  await h.save({ ...run('ten'), result: { ...base, trials } } as unknown as Parameters<RunHistory['save']>[0]);
  writeFileSync(path.join(dir, 'nine.json'), JSON.stringify({ format: 'lrlab-run', version: 9, run: { ...run('nine'), result: { ...base, trials: { ...trials, earlier: [{ ...trials.earlier[0], outcome: 'learned nothing' }] } } } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.skipped, []);
  const byId = new Map(loaded.runs.map((r) => [r.runId, r.result]));
  const ten = byId.get('ten');
  assert.ok(ten?.kind === 'find-lr' && ten.trials !== undefined);
  assert.deepEqual(ten.trials, trials);
  const nine = byId.get('nine');
  assert.ok(nine?.kind === 'find-lr');
  assert.equal(nine.trials?.earlier?.[0]?.outcome, 'learned nothing');
});

test('format 11: rounds that learned nothing, then nothing 3x as long (\'still learned nothing\'), then 9x lower round-trip through a save and load', async () => {
  const dir = path.join(root, 'v11-still');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const settings = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'adam', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: 1 };
  const base = { kind: 'find-lr', model: '/w/model.ts', backend: 'wasm', backendNote: null, seconds: 1, settings, points: [], divergedAt: null, stopReason: 'completed', recommended: { maxLr: 0.0397, minLr: 0.00397, reason: 'the best of short 1cycle runs of 300 steps around 0.119, 9x below' }, fitted: [], suggestions: { steep: null, valley: null, minimum: null }, range: null, reasons: { steep: '', valley: '', minimum: '', range: '' }, warnings: [], baseline: { loss: 0.693, valLoss: 0.693, kind: 'chance' } };
  const runs = (lrs: number[], losses: number[]): { maxLr: number; earlyValLoss: number; earlyValAccuracy: null; diverged: boolean }[] => lrs.map((maxLr, i) => ({ maxLr, earlyValLoss: losses[i]!, earlyValAccuracy: null, diverged: false }));
  const around = [0.357, 1.07, 3.22];
  const trials = { steps: 300, around: 1.07, runs: runs([0.0397, 0.119, 0.358], [0.596, 0.62, 0.654]), seeds: 2, picked: 0.0397, seconds: 4, earlier: [{ steps: 100, runs: runs(around, [0.695, 0.696, 1.02]), outcome: 'learned nothing' }, { steps: 300, runs: runs(around, [0.695, 0.695, 4.36]), outcome: 'still learned nothing' }] };
  await h.save({ ...run('eleven'), result: { ...base, trials } } as unknown as Parameters<RunHistory['save']>[0]);
  const loaded = await h.load();
  assert.deepEqual(loaded.skipped, []);
  const eleven = loaded.runs.find((r) => r.runId === 'eleven')?.result;
  assert.ok(eleven?.kind === 'find-lr');
  assert.deepEqual(eleven.trials, trials);
});

test('format 7: the short runs\' validation accuracy (trials.runs[].earlyValAccuracy) round-trips through a save and load; an accuracy over 1 is skipped with its reason', async () => {
  const dir = path.join(root, 'v7-accuracy');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const settings = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'adam', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: 1 };
  const base = { kind: 'find-lr', model: '/w/model.ts', backend: 'wasm', backendNote: null, seconds: 1, settings, points: [], divergedAt: null, stopReason: 'completed', recommended: { maxLr: 0.0714, minLr: 0.00714, reason: 'the best of short 1cycle runs' }, fitted: [], suggestions: { steep: null, valley: null, minimum: null }, range: null, reasons: { steep: '', valley: '', minimum: '', range: '' }, warnings: [], baseline: { loss: 0.693, valLoss: 0.693, kind: 'chance' } };
  const trials = { steps: 300, around: null, runs: [{ maxLr: 0.0214, earlyValLoss: 0.607, earlyValAccuracy: 0.607, diverged: false }, { maxLr: 0.0714, earlyValLoss: 0.626, earlyValAccuracy: 0.628, diverged: false }, { maxLr: 0.214, earlyValLoss: null, earlyValAccuracy: null, diverged: true }], picked: 0.0714, seconds: 3 };
  await h.save({ ...run('seven'), result: { ...base, trials } } as unknown as Parameters<RunHistory['save']>[0]);
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ format: 'lrlab-run', version: 7, run: { ...run('bad'), result: { ...base, trials: { ...trials, runs: [{ ...trials.runs[0], earlyValAccuracy: 1.5 }] } } } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId), ['seven']);
  const seven = loaded.runs[0]?.result;
  assert.ok(seven?.kind === 'find-lr');
  assert.deepEqual(seven.trials, { ...trials, seeds: 1 });
  assert.match(loaded.skipped[0] ?? '', /bad\.json.*earlyValAccuracy/);
});

test('format 8: short runs at two seeds (trials.seeds, runs[].bySeed) round-trip through a save and load; a seed run with a non-integer seed is skipped with its reason', async () => {
  const dir = path.join(root, 'v8-seeds');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const settings = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: 1 };
  const base = { kind: 'find-lr', model: '/w/model.ts', backend: 'wasm', backendNote: null, seconds: 1, settings, points: [], divergedAt: null, stopReason: 'completed', recommended: { maxLr: 0.1, minLr: 0.01, reason: 'the best of short 1cycle runs' }, fitted: [], suggestions: { steep: null, valley: null, minimum: null }, range: null, reasons: { steep: '', valley: '', minimum: '', range: '' }, warnings: [], baseline: { loss: 2.3, valLoss: 2.3, kind: 'chance' } };
  const at = (maxLr: number, a: number, b: number): object => ({ maxLr, earlyValLoss: (a + b) / 2, earlyValAccuracy: null, diverged: false, bySeed: [{ seed: 1, earlyValLoss: a, earlyValAccuracy: null, diverged: false }, { seed: 2, earlyValLoss: b, earlyValAccuracy: null, diverged: false }] });
  // The highest LR diverged at its first seed: its second did not run.
  const runs = [at(0.0333, 0.5, 0.6), at(0.1, 0.4, 0.44), { maxLr: 0.3, earlyValLoss: null, earlyValAccuracy: null, diverged: true, bySeed: [{ seed: 1, earlyValLoss: null, earlyValAccuracy: null, diverged: true }] }];
  const trials = { steps: 100, around: 0.1, runs, seeds: 2, picked: 0.1, seconds: 3 };
  await h.save({ ...run('eight'), result: { ...base, trials } } as unknown as Parameters<RunHistory['save']>[0]);
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ format: 'lrlab-run', version: 8, run: { ...run('bad'), result: { ...base, trials: { ...trials, runs: [at(0.1, 0.4, 0.44), { ...runs[2], bySeed: [{ seed: 1.5, earlyValLoss: null, earlyValAccuracy: null, diverged: true }] }] } } } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId), ['eight']);
  const eight = loaded.runs[0]?.result;
  assert.ok(eight?.kind === 'find-lr');
  assert.deepEqual(eight.trials, trials);
  assert.match(loaded.skipped[0] ?? '', /bad\.json.*bySeed/);
});

test('format 9: an absolute-error baseline says its constant is the median (baseline.constant) through a save and load, and reads so; a format-8 file without it reads as the mean; another constant is skipped', async () => {
  const dir = path.join(root, 'v9-median');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const base = {
    kind: 'train', model: '/w/model.ts', backend: 'wasm', seconds: 3, policy: 'onecycle', schedule: { maxLr: 0.1 },
    history: [{ epoch: 1, trainLoss: 1, valLoss: 0.9, valAccuracy: null, metrics: {}, valMetrics: {}, lr: 0.1, momentum: null, seconds: 1 }],
    diagnosis: { verdict: null, reason: 'too short' }, savedTo: null, warnings: [],
  };
  const median = { loss: 5.1, valLoss: 5.01, kind: 'mean', constant: 'median' } as const;
  await h.save({ ...run('nine'), kind: 'train', result: { ...base, baseline: median } } as Parameters<RunHistory['save']>[0]);
  writeFileSync(path.join(dir, 'eight.json'), JSON.stringify({ format: 'lrlab-run', version: 8, run: { ...run('eighth'), kind: 'train', result: { ...base, baseline: { loss: 5.1, valLoss: 5.01, kind: 'mean' } } } }));
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ format: 'lrlab-run', version: 9, run: { ...run('bad'), kind: 'train', result: { ...base, baseline: { ...median, constant: 'mode' } } } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId).sort(), ['eighth', 'nine']);
  const baselineOf = (id: string): Baseline | null => {
    const r = loaded.runs.find((x) => x.runId === id)?.result;
    return r?.kind === 'train' ? r.baseline : null;
  };
  assert.deepEqual(baselineOf('nine'), median);
  assert.equal(describeBaseline(baselineOf('nine')!), 'the loss of predicting the median, 5.1');
  assert.equal(describeBaseline(baselineOf('eighth')!, 'val'), 'the loss of predicting the mean, 5.01');
  assert.match(loaded.skipped[0] ?? '', /bad\.json.*constant/);
});

test('format 6: a train result says its batch-normalization statistics were re-estimated (normStats) through a save and load; a format-5 train result without it loads; a malformed one is skipped', async () => {
  const dir = path.join(root, 'v6-norm-stats');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const base = {
    kind: 'train', model: '/w/model.ts', backend: 'wasm', seconds: 3, policy: 'onecycle', schedule: { maxLr: 0.1 },
    history: [{ epoch: 1, trainLoss: 1, valLoss: 0.9, valAccuracy: 0.5, metrics: {}, valMetrics: {}, lr: 0.1, momentum: null, seconds: 1 }],
    diagnosis: { verdict: null, reason: 'too short' }, savedTo: null, warnings: [], baseline: null,
  };
  await h.save({ ...run('six'), kind: 'train', result: { ...base, normStats: { layers: 3, samples: 1024 } } } as Parameters<RunHistory['save']>[0]);
  writeFileSync(path.join(dir, 'five.json'), JSON.stringify({ format: 'lrlab-run', version: 5, run: { ...run('fiver'), kind: 'train', result: base } }));
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ format: 'lrlab-run', version: 6, run: { ...run('bad'), kind: 'train', result: { ...base, normStats: { layers: 0, samples: 1024 } } } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId).sort(), ['fiver', 'six']);
  const six = loaded.runs.find((r) => r.runId === 'six')?.result;
  assert.ok(six?.kind === 'train');
  assert.deepEqual(six.normStats, { layers: 3, samples: 1024 });
  const five = loaded.runs.find((r) => r.runId === 'fiver')?.result;
  assert.ok(five?.kind === 'train' && five.normStats === undefined);
  assert.match(loaded.skipped[0] ?? '', /bad\.json.*normStats/);
});

test('format 19: a train epoch\'s trainPenalty (the model\'s own regularization terms) round-trips; a format-18 epoch without it loads; one not a number is skipped', async () => {
  const dir = path.join(root, 'v19-penalty');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const epoch = { epoch: 1, trainLoss: 1.31, valLoss: 1.31, valAccuracy: 0.39, metrics: {}, valMetrics: {}, lr: 0.1, momentum: 0.9, seconds: 1 };
  const result = (record: object) => ({
    kind: 'train', model: '/w/model.ts', backend: 'wasm', seconds: 3, policy: 'onecycle', schedule: { maxLr: 0.1 },
    history: [record], diagnosis: { verdict: null, reason: 'too short' }, savedTo: null, warnings: [], baseline: null,
  });
  await h.save({ ...run('nineteen'), kind: 'train', result: result({ ...epoch, trainPenalty: 0.671 }) } as Parameters<RunHistory['save']>[0]);
  writeFileSync(path.join(dir, 'eighteen.json'), JSON.stringify({ format: 'lrlab-run', version: 18, run: { ...run('eighteen'), kind: 'train', result: result(epoch) } }));
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ format: 'lrlab-run', version: 19, run: { ...run('bad'), kind: 'train', result: result({ ...epoch, trainPenalty: 'large' }) } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId).sort(), ['eighteen', 'nineteen']);
  const first = (id: string): EpochRecord | undefined => {
    const r = loaded.runs.find((x) => x.runId === id)?.result;
    return r?.kind === 'train' ? r.history[0] : undefined;
  };
  assert.equal(first('nineteen')?.trainPenalty, 0.671);
  assert.ok(first('eighteen') !== undefined && first('eighteen')!.trainPenalty === undefined);
  assert.match(loaded.skipped[0] ?? '', /bad\.json.*trainPenalty/);
});

test('format 6: short runs\' records carry their validation accuracy; a format-5 momentum result without it loads with null', async () => {
  const dir = path.join(root, 'v6-step-accuracy');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const record = { step: 9, lr: 0.1, momentum: 0.9, trainLoss: 0.5, valLoss: 0.6, seconds: 0.2 };
  const result = (withAccuracy: boolean) => ({
    kind: 'momentum', model: '/w/model.ts', backend: 'wasm', seconds: 1, lr: { maxLr: 0.3, minLr: 0.03 },
    runs: [{ label: 'momentum 0.9', records: [withAccuracy ? { ...record, valAccuracy: 0.75 } : record], earlyValLoss: 0.6, diverged: false, momentum: 0.9 }],
    best: 0, reason: 'r', warnings: [], baseline: null,
  });
  await h.save({ ...run('six'), kind: 'sweep', result: result(true) } as unknown as Parameters<RunHistory['save']>[0]);
  writeFileSync(path.join(dir, 'five.json'), JSON.stringify({ format: 'lrlab-run', version: 5, run: { ...run('fiver'), kind: 'sweep', result: result(false) } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.skipped, []);
  const accuracyOf = (id: string): unknown => {
    const r = loaded.runs.find((x) => x.runId === id)?.result;
    return r?.kind === 'momentum' ? r.runs[0]!.records[0]!.valAccuracy : 'missing';
  };
  assert.equal(accuracyOf('six'), 0.75);
  assert.equal(accuracyOf('fiver'), null);
});

test('format 12: a sweep curve says why it has no max LR (noHeadline); a format-11 sweep without it loads with null', async () => {
  const dir = path.join(root, 'v12-no-headline');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const settings = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: 1 };
  const curve = { label: 'wd 0', weightDecay: 0, dropout: null, momentum: null, points: [], divergedAt: null, minSmoothedLoss: 0.6, lrAtMinLoss: 0.1, stableRange: null, stableDecades: 0, suggestions: { steep: null, valley: null, minimum: null }, recommended: null };
  const result = (withReason: boolean) => ({ kind: 'sweep', model: '/w/model.ts', backend: 'wasm', seconds: 1, settings, best: null, reason: 'r', warnings: [], baseline: null, curves: [withReason ? { ...curve, noHeadline: 'nothing learned yet' } : curve] });
  await h.save({ ...run('twelve'), kind: 'sweep', result: result(true) } as unknown as Parameters<RunHistory['save']>[0]);
  writeFileSync(path.join(dir, 'eleven.json'), JSON.stringify({ format: 'lrlab-run', version: 11, run: { ...run('eleven'), kind: 'sweep', result: result(false) } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.skipped, []);
  const reasonOf = (id: string): unknown => {
    const r = loaded.runs.find((x) => x.runId === id)?.result;
    return r?.kind === 'sweep' ? r.curves[0]!.noHeadline : 'missing';
  };
  assert.equal(reasonOf('twelve'), 'nothing learned yet');
  assert.equal(reasonOf('eleven'), null);
});

test('format 13: a headline nothing confirmed round-trips as learned: false; a format-12 headline without the field loads as learned', async () => {
  const dir = path.join(root, 'v13-learned');
  mkdirSync(dir, { recursive: true });
  const h = new RunHistory(dir);
  const settings = { startLr: 1e-7, endLr: 10, steps: 100, sweep: 'exp', signal: 'train', smoothing: 0.98, diverge: 4, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, batchSize: 64, seed: 1 };
  const result = (recommended: object) => ({ kind: 'find-lr', model: '/w/model.ts', backend: 'wasm', backendNote: null, seconds: 1, settings, points: [], divergedAt: null, stopReason: 'completed', recommended, fitted: [], suggestions: { steep: null, valley: null, minimum: null }, range: null, reasons: { steep: '', valley: '', minimum: '', range: '' }, warnings: [], baseline: null });
  await h.save({ ...run('thirteen'), result: result({ maxLr: 0.9, minLr: 0.09, reason: 'unconfirmed — …', learned: false }) } as unknown as Parameters<RunHistory['save']>[0]);
  writeFileSync(path.join(dir, 'twelve.json'), JSON.stringify({ format: 'lrlab-run', version: 12, run: { ...run('twelve'), result: result({ maxLr: 0.1, minLr: 0.01, reason: 'r' }) } }));
  const loaded = await h.load();
  assert.deepEqual(loaded.skipped, []);
  const learnedOf = (id: string): unknown => {
    const r = loaded.runs.find((x) => x.runId === id)?.result;
    return r?.kind === 'find-lr' ? r.recommended?.learned : 'missing';
  };
  assert.equal(learnedOf('thirteen'), false);
  assert.equal(learnedOf('twelve'), true);
});

test('loading sweeps only its own stale temp files: a user\'s hidden .tmp files in the runs folder stay', async () => {
  const dir = path.join(root, 'temps');
  const h = new RunHistory(dir);
  await h.save(run('kept'));
  const own = '.2026-11-28T10-00-04-000Z-kept.json.0123456789ab.tmp';
  const theirs = ['.mynotes.tmp', '.env.tmp', '.kept.json.tmp'];
  for (const name of [own, ...theirs]) writeFileSync(path.join(dir, name), 'x');
  const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
  for (const name of [own, ...theirs]) utimesSync(path.join(dir, name), old, old);
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId), ['kept']);
  const left = readdirSync(dir).filter((n) => n.endsWith('.tmp')).sort();
  assert.deepEqual(left, [...theirs].sort(), 'only the save\'s own stale temp is deleted (any hidden .tmp over 10 minutes old was)');
});

test('a run file whose series has a "__proto__" key is skipped with the reason, not loaded with an injected prototype', async () => {
  const dir = path.join(root, 'proto');
  const h = new RunHistory(dir);
  await h.save(run('fine'));
  const good = run('evil');
  const text = JSON.stringify({ format: 'lrlab-run', version: RESULT_FORMAT_VERSION, run: good }).replace('"series":{', `"series":{"__proto__":[${JSON.stringify(good.series['main']![0])}],`);
  writeFileSync(path.join(dir, 'evil.json'), text);
  const loaded = await h.load();
  assert.deepEqual(loaded.runs.map((r) => r.runId), ['fine']);
  assert.ok(loaded.skipped.some((s) => /^evil\.json: .*"__proto__" key/.test(s)), loaded.skipped.join(' | '));
});

test('a history folder that cannot be read is said, not an empty list; file names in the notes are one safe line; sizes with a decimal', async () => {
  // A file where the folder should be (ENOTDIR; as root, a chmod 000 folder is readable): every saved run vanished without a word.
  const notFolder = path.join(root, 'runs-is-a-file');
  writeFileSync(notFolder, 'not a folder');
  const none = await new RunHistory(notFolder).load();
  assert.deepEqual(none.runs, []);
  assert.deepEqual(none.skipped, [`${notFolder}: the history folder cannot be read (it is not a folder), so no saved run is listed`]);
  // No folder yet: nothing saved, nothing to say.
  assert.deepEqual(await new RunHistory(path.join(root, 'not-yet')).load(), { runs: [], skipped: [] });
  const dir = path.join(root, 'hostile-names');
  mkdirSync(dir, { recursive: true });
  // A name with an escape and a line break wrote a line of its own into the output channel.
  writeFileSync(path.join(dir, 'evil\u001b[31m\nhistory: skipped FAKE LINE.json'), 'not json');
  writeFileSync(path.join(dir, 'huge.json'), Buffer.alloc(64.3 * 1024 * 1024, 0x20));
  const loaded = await new RunHistory(dir).load();
  assert.equal(loaded.skipped.length, 2, loaded.skipped.join(' | '));
  const [evil, huge] = [...loaded.skipped].sort();
  assert.match(evil!, /^evil\\x1b\[31m\\x0ahistory: skipped FAKE LINE\.json: /);
  assert.doesNotMatch(evil!, /[\u0000-\u001f]/);
  assert.equal(huge, 'huge.json: 64.3 MB, over the 64 MB a run file may have');
});
