/** `lrlab find-lr` as a user runs it: a real process, JSON on stdout, plots on disk, one-line errors. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { built } from '../built';
import type { FindLrResult } from '../../src/protocol/results';
import type { MarkerName } from '../../src/protocol/rangeView';
import { formatLr } from '../../src/protocol/format';
import { blowUpEdge } from '../../src/core/headline';
import { markerRow, renderFindLr, sketchRangeTest } from '../../src/engine/cli/findLrCommand';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'lrlab');
const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function lrlab(...argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--json prints exactly one JSON document on stdout (tfjs chatter stays on stderr), with the headline', () => {
  built('engine.js');
  const r = lrlab('find-lr', tiny, '--steps', '30', '--seed', '1', '--json');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as FindLrResult;
  assert.equal(doc.kind, 'find-lr');
  assert.equal(doc.points.length, 30);
  assert.equal(doc.backend, 'wasm');
  assert.ok(doc.recommended !== null, 'a headline LR');
  assert.equal(doc.recommended.minLr, Number((doc.recommended.maxLr / 10).toPrecision(3)), 'a tenth of the max LR, both as printed');
  assert.equal(doc.recommended.maxLr, Number(doc.recommended.maxLr.toPrecision(3)));
  assert.ok(doc.recommended.reason.length > 20, doc.recommended.reason);
  assert.equal(doc.fitted.length, 30, 'the lag-free curve, one point per recorded point');
});

test('--validation-split beside a loadData that returns its own validation split is not used, and the result says so (it changed nothing without a word)', () => {
  built('engine.js');
  const own = path.join(root, 'test', 'fixtures', 'engine', 'noisyLabels.js');
  const r = lrlab('find-lr', own, '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--range-retries', '0', '--validation-split', '0.5', '--seed', '1', '--json');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as FindLrResult;
  assert.ok(doc.warnings.includes('--validation-split 0.5 is not used: loadData() in noisyLabels.js returns its own validation split, and LR Lab validates on it. Leave --validation-split out, or return only train from loadData() to have LR Lab hold out that share.'), doc.warnings.join('\n'));
  const split = lrlab('find-lr', tiny, '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--range-retries', '0', '--validation-split', '0.5', '--seed', '1', '--json');
  assert.equal(split.status, 0, split.stderr);
  assert.ok(!(JSON.parse(split.stdout) as FindLrResult).warnings.some((w) => w.includes('is not used')), 'a loadData without a validation split is split by it');
});

test('--val-samples on a range test of the training loss is not used, and the result says so; with --signal val it is', () => {
  built('engine.js');
  const quick = ['--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--range-retries', '0', '--val-samples', '50', '--seed', '1', '--json'];
  const unused = lrlab('find-lr', tiny, ...quick);
  assert.equal(unused.status, 0, unused.stderr);
  assert.ok((JSON.parse(unused.stdout) as FindLrResult).warnings.includes('--val-samples 50 is not used: it sets how many validation samples each point of a range test on the validation loss reads (--signal val), and this test reads the training loss. Leave it out, or add --signal val.'));
  const used = lrlab('find-lr', tiny, ...quick, '--signal', 'val');
  assert.equal(used.status, 0, used.stderr);
  assert.ok(!(JSON.parse(used.stdout) as FindLrResult).warnings.some((w) => w.includes('--val-samples')));
  // --trial-seeds with --lr-trials 0: no short runs to repeat (it changed nothing, without a word).
  const seeds = lrlab('find-lr', tiny, ...quick, '--trial-seeds', '3');
  assert.equal(seeds.status, 0, seeds.stderr);
  assert.ok((JSON.parse(seeds.stdout) as FindLrResult).warnings.includes('--trial-seeds 3 is not used: --lr-trials 0 runs no short runs for it to repeat. Leave it out, or give --lr-trials a number of steps.'), seeds.stdout.slice(0, 400));
});

test('human output: the headline first, the 1cycle line uses it, the others are labelled alternatives', () => {
  built('engine.js');
  const json = JSON.parse(lrlab('find-lr', tiny, '--steps', '40', '--seed', '2', '--json').stdout) as FindLrResult;
  const r = lrlab('find-lr', tiny, '--steps', '40', '--seed', '2');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const h = json.recommended!;
  assert.equal(lines[0], `Recommended max LR ${formatLr(h.maxLr)} (min ${formatLr(h.minLr)}): ${h.reason}`);
  assert.ok(lines.includes(`1cycle: lrlab schedule smith --max-lr ${formatLr(h.maxLr)} --min-lr ${formatLr(h.minLr)} --total-steps <batches × epochs>`), r.stdout);
  assert.match(r.stdout, /alternatives \(other rules, for comparison\):\n {2}valley .*\n {2}steep .*\n {2}minimum .*\n {2}Smith's range /);
  // The sketch marks the headline with R under the curve.
  assert.match(r.stdout, /\n {10}[ vsm]*R[ vsm]*\n/);
  // A test that reached --end-lr after its loss climbed back above its start (the headline's blow-up
  // edge, short of the divergence rule) says so, and does not ask for a higher --end-lr.
  const n = 100;
  const lossAt = (i: number): number => (i < 60 ? 2.3 - (1.5 * i) / 60 : 0.8 + ((i - 60) * 2.4) / 39) + (i % 2 === 0 ? 0.01 : -0.01);
  const points = Array.from({ length: n }, (_, i) => ({ ...json.points[0]!, step: i, lr: 1e-7 * 10 ** ((8 * i) / (n - 1)), loss: lossAt(i), smoothed: lossAt(i) }));
  const edge = blowUpEdge(points);
  assert.ok(edge !== null);
  const text = renderFindLr({ ...json, points, stopReason: 'completed', divergedAt: null }, undefined);
  assert.ok(text.includes(`stopped: reached --end-lr; the loss climbed back above its start at LR ${formatLr(edge)}, short of the divergence rule`), text);
  assert.ok(!text.includes('raise --end-lr to see where it blows up'), text);
  // Cancelled in range test 3, the test shown (test 2) having diverged: its own stop, then the cancel (it read
  // "stopped: cancelled at LR 0.0951", the LR test 2 diverged at; trial Z). Cancelled in the short runs likewise.
  const summary = { seed: 1, maxLr: 0.01, steps: 90, seconds: 1, shown: false };
  const tests = [{ ...summary, stopReason: 'completed' as const, divergedAt: null }, { ...summary, stopReason: 'diverged' as const, divergedAt: 0.0951, shown: true }, { ...summary, stopReason: 'cancelled' as const, divergedAt: null }];
  const cut = renderFindLr({ ...json, stopReason: 'cancelled', divergedAt: 0.0951, rangeTests: tests }, undefined);
  assert.ok(cut.includes('\nstopped: loss diverged at LR 0.0951; then the run was cancelled, during range test 3\n'), cut);
  const inTrials = renderFindLr({ ...json, stopReason: 'cancelled', divergedAt: 0.0951, rangeTests: tests.slice(0, 2) }, undefined);
  assert.ok(inTrials.includes('\nstopped: loss diverged at LR 0.0951; then the run was cancelled, during the short 1cycle runs\n'), inTrials);
  // The shown test itself cut: as before.
  assert.ok(renderFindLr({ ...json, stopReason: 'cancelled', divergedAt: null, rangeTests: [{ ...tests[2]!, shown: true }] }, undefined).includes('\nstopped: cancelled; suggestions use the points measured so far\n'));
  // A reason every rule shares (a curve that blocks them all) is written once, then "(as above)".
  const blocked = 'nothing learned yet: the loss never got clearly below the chance level';
  const same = renderFindLr({ ...json, suggestions: { valley: null, steep: null, minimum: null }, range: null, reasons: { valley: blocked, steep: blocked, minimum: blocked, range: blocked } }, undefined);
  assert.match(same, new RegExp(`\\n {2}valley +— {3}${blocked}\\n {2}steep +— {3}\\(as above\\)\\n {2}minimum +— {3}\\(as above\\)\\n {2}Smith's range +— {3}\\(as above\\)\\n`), same);
  // The four rules' values in one column (the range's row was off by five).
  const columns = same.split('\n').filter((l) => /^ {2}(valley|steep|minimum|Smith's range) /.test(l)).map((l) => l.indexOf('—'));
  assert.equal(new Set(columns).size, 1, `value columns ${columns.join(', ')}`);
  // The backend's note (also among the warnings, for the studies' text) is said once: it read as a note and again as a warning.
  const note = 'cpu backend chosen with --backend cpu: the pure-JS backend is slow';
  const once = renderFindLr({ ...json, backendNote: note, warnings: [note, 'another warning'] }, undefined);
  assert.equal(once.split(note).length - 1, 1, once);
  assert.match(once, /\nwarning: another warning/);
  // A test that stopped after a few points: the sketch's two axis labels stay apart.
  const axis = sketchRangeTest({ ...json, points: points.slice(0, 4), fitted: [], stopReason: 'diverged', divergedAt: points[3]!.lr }).at(-1)!;
  assert.match(axis, new RegExp(`^ +${formatLr(points[0]!.lr).replace(/[.+]/g, '\\$&')} +${formatLr(points[3]!.lr).replace(/[.+]/g, '\\$&')}$`), axis);
});

test('the sketch\'s marker row hides no marker: letters that share a column go side by side, the headline keeps its own', () => {
  const lrs = Array.from({ length: 20 }, (_, k) => 1e-4 * 10 ** (k / 4));
  const marker = (lr: number, names: MarkerName[], headline = false) => ({ lr, names, headline, label: '' });
  // Steep at 0.0453 and minimum at 0.0423 in one column: the row showed only "s".
  assert.equal(markerRow([marker(0.138, ['recommended'], true), marker(0.00486, ['valley']), marker(0.0453, ['steep']), marker(0.0423, ['minimum'])], lrs).join('').trimEnd(), '       v   msR');
  // Markers at one LR (valley = steep) show both letters; the headline's column is its own, letters to its left run on past it.
  assert.equal(markerRow([marker(0.01, ['valley', 'steep']), marker(0.0178, ['minimum']), marker(0.0178, ['recommended'], true)], lrs).join('').trimEnd(), '        vRsm');
  // At the right edge, letters that do not fit are left out rather than wrapped.
  assert.equal(markerRow([marker(5, ['recommended', 'valley'], true), marker(5.5, ['steep'])], lrs).join('').length, 20);
});

test('--plot writes a PNG and a self-contained HTML', () => {
  built('engine.js');
  const png = path.join(dir, 'curve.png');
  const html = path.join(dir, 'curve.html');
  assert.equal(lrlab('find-lr', tiny, '--steps', '40', '--seed', '1', '--plot', png).status, 0);
  const bytes = readFileSync(png);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(bytes.length > 10_000, `png ${bytes.length} bytes`);
  const r = lrlab('find-lr', tiny, '--steps', '40', '--seed', '1', '--plot', html);
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(html, 'utf8');
  assert.match(text, /<canvas id="chart"/);
  assert.doesNotMatch(text, /<script src=|https?:\/\/[^"' ]+\.js/, 'no remote scripts');
  assert.match(text, /"label":"fitted loss \(what the advice reads\)"/);
  assert.match(text, /"label":"EMA \(β 0\.98, lags ~49 steps\)","data":\[[^\]]*\],[^}]*"hidden":true/, 'the EMA is an overlay, hidden until asked for');
  // The baseline dashed across the tested LRs, as in the panel (the plot files had none).
  assert.match(text, /"label":"baseline: chance level 1\.1 = ln 3","data":\[\{"x":1e-7,"y":1\.09\d*\},\{"x":10,"y":1\.09\d*\}\],"borderColor":"#757575","borderWidth":1\.5,"borderDash":\[8,4\]/);
  assert.match(r.stdout, /alternatives \(other rules, for comparison\):\n {2}valley/);
  // The loss axis on a round step's grid, with that step for the ticks: off the grid, its bottom got a tick of its own (0.18, 0.4, 0.6, …).
  const y = (JSON.parse(/const config = (\{.*\});\n/.exec(text)![1]!) as { options: { scales: { y: { min: number; max: number; ticks: { stepSize: number } } } } }).options.scales.y;
  for (const bound of [y.min, y.max]) assert.ok(Math.abs(bound / y.ticks.stepSize - Math.round(bound / y.ticks.stepSize)) < 1e-6, JSON.stringify(y));
});

test('the errors that ask for a model name all three things it may be: a model file, a training script, a model.json', () => {
  built('engine.js');
  // They named only the model file and the model.json, though a training script (README, `lrlab help find-lr`) runs as well.
  const table = path.join(dir, 'table.csv');
  writeFileSync(table, 'a,b\n1,2\n');
  const forms = /a \.ts\/\.js file exporting createModel and loadData, a training script that calls model\.fit, or a tfjs model\.json with --data and --label/;
  const none = lrlab('find-lr');
  assert.equal(none.status, 2, none.stderr);
  assert.match(none.stderr, new RegExp(`^lrlab: lrlab find-lr needs a model file: ${forms.source}\\.$`, 'm'));
  const csv = lrlab('find-lr', table);
  assert.equal(csv.status, 1, csv.stderr);
  assert.match(csv.stderr, new RegExp(`^lrlab: \\S*table\\.csv: table\\.csv is not a JS/TS file or a model\\.json\\. Give ${forms.source} \\(JS/TS: \\.js/`, 'm'));
});

test('bad input: exit code, one line naming the file or flag, nothing on stdout', () => {
  built('engine.js');
  const cases: [string[], number, RegExp][] = [
    [['find-lr'], 2, /needs a model file/],
    [['find-lr', tiny, '--start-lr', '1', '--end-lr', '0.1'], 2, /--start-lr \(1\) must be below --end-lr \(0.1\)/],
    [['find-lr', tiny, '--steps', '0'], 2, /--steps must be a whole number between 2 and/],
    [['find-lr', tiny, '--range-retries', '3'], 2, /^lrlab: --range-retries must be a whole number between 0 and 2, got 3\.$/],
    [['find-lr', tiny, '--backend', 'gpu'], 2, /--backend must be one of auto, tensorflow, wasm, cpu/],
    [['find-lr', tiny, '--plot', 'out.jpg'], 2, /--plot must end in .png or .html/],
    // A name that is only the extension: refused before the run (it was refused after it, the result printed).
    [['find-lr', tiny, '--plot', '.png'], 2, /^lrlab: --plot must end in .png or .html, got '\.png'\.$/],
    [['find-lr', path.join(dir, 'missing.ts')], 1, /missing\.ts: Model file not found/],
    [['find-lr', tiny, '--batch-size', '100000'], 2, /--batch-size \(100000\) is larger than the training data/],
    // A model tfjs cannot differentiate (a dilated convolution): its limit, said with the fix, not "internal error … please report it".
    [['find-lr', path.join(root, 'test', 'fixtures', 'models', 'dilatedConv.ts')], 1, /^lrlab: tfjs cannot train this model: it has no gradient for conv2D as the model uses it \(Error in gradient of conv2D: dilation rates greater than 1 .*\)\. .*use dilationRate 1/],
  ];
  for (const [argv, code, pattern] of cases) {
    const r = lrlab(...argv);
    assert.equal(r.status, code, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('lrlab: ') && !/^lrlab: (Loading|Running|LR range)/.test(l));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  // A file LR Lab cannot run is refused before anything is said to load ("Loading data.csv" came first).
  const csv = path.join(dir, 'data.csv');
  writeFileSync(csv, 'a,b\n1,2\n');
  const notModel = lrlab('find-lr', csv);
  assert.equal(notModel.status, 1, notModel.stderr);
  assert.match(notModel.stderr, /^lrlab: [^\n]*data\.csv: data\.csv is not a JS\/TS file or a model\.json\. Give [^\n]*\n$/);
  // The studies say a missing model file before a missing --budget (which came first, and the file next).
  for (const command of ['recipe', 'batch-size']) {
    const missing = lrlab(command, path.join(dir, 'no-such-model.ts'));
    assert.equal(missing.status, 1, missing.stderr);
    assert.match(missing.stderr, /^lrlab: [^\n]*no-such-model\.ts: Model file not found\. [^\n]*\n$/);
  }
});

test('examples/mnist-cnn: a conv net with max-pooling trains on wasm; the range test sees the loss fall', () => {
  built('engine.js');
  const cnn = path.join(root, 'examples', 'mnist-cnn', 'model.ts');
  const r = spawnSync(process.execPath, [bin, 'find-lr', cnn, '--steps', '60', '--start-lr', '1e-4', '--end-lr', '1', '--seed', '1', '--range-tests', '1', '--lr-trials', '0', '--json'], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, LRLAB_MNIST_LIMIT: '2000' },
  });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as FindLrResult;
  assert.equal(doc.backend, 'wasm');
  const smoothed = doc.points.map((p) => p.smoothed).filter((v): v is number => v !== null);
  assert.equal(smoothed.length, 60);
  // From ln(10) ≈ 2.30 at 1e-4 to clearly lower once the LR reaches ~0.01–0.3.
  assert.ok(Math.min(...smoothed) < smoothed[0]! - 0.3, `smoothed loss ${smoothed[0]} → min ${Math.min(...smoothed)}`);
});
