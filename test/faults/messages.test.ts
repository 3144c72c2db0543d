/**
 * Fault suite, messages (issue #16 items 10–17): each case runs the real `lrlab` process and
 * checks one line that names what is at fault and the fix — the limit stated before any work,
 * the user's own sample index, the flag the user actually gave — and that nothing silently
 * ignores input. Also: user code runs in the model file's folder whatever the shell's folder,
 * and a model file compiles under a virtual-memory limit (`ulimit -v`).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { record, standing, table } from './figures';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'lrlab');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-messages-'));
/** The shell's folder for every run: not the models' folder. */
const elsewhere = path.join(dir, 'elsewhere');
mkdirSync(elsewhere);
for (const f of ['model.json', 'iris.csv']) copyFileSync(path.join(root, 'examples', 'tabular-csv', f), path.join(dir, f));
const CSV = [path.join(dir, 'model.json'), '--data', path.join(dir, 'iris.csv'), '--label', 'species', '--backend', 'cpu'];

function lrlab(argv: readonly string[], shellPrefix?: string): { status: number | null; stdout: string; stderr: string } {
  const r = shellPrefix === undefined
    ? spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 120_000, cwd: elsewhere })
    : spawnSync('sh', ['-c', `${shellPrefix}; exec "$0" "$@"`, process.execPath, bin, ...argv], { encoding: 'utf8', timeout: 120_000, cwd: elsewhere });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PROGRESS = /^lrlab: (Loading|Running loadData|LR range test on|Training )/;

function expectError(argv: readonly string[], pattern: RegExp, code: number, not?: RegExp): void {
  const r = lrlab(argv);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('lrlab: ') && !PROGRESS.test(l));
  const stack = /\n\s+at |\.ts:\d+:\d+\)/.test(r.stderr);
  if (stack) standing.stackTracesShown++;
  const ok = r.status === code && r.stdout === '' && errors.length === 1 && pattern.test(errors[0] ?? '') && !(not?.test(errors[0] ?? '') ?? false) && !stack;
  record('messages', ok);
  assert.ok(ok, `exit ${r.status}: ${r.stderr}`);
}

const HEAD = `const tf = require('@tensorflow/tfjs');\n`;
const XS = 'Array.from({ length: 64 }, (_, i) => [Math.cos(i), Math.sin(i)])';
function model(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, HEAD + text);
  return file;
}

test('10: a model without trainable weights says so, not "internal error: variableGrads()"', () => {
  const file = model('frozen.js', `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.activation({ activation: 'softmax', inputShape: [2] })); return m; };
exports.loss = 'categoricalCrossentropy';
exports.loadData = async () => ({ train: { xs: ${XS}, ys: ${XS}.map(([c]) => (c > 0 ? [1, 0] : [0, 1])) } });`);
  expectError(['find-lr', file, '--backend', 'cpu'], /has no trainable weights \(1 layer: Activation\).*Add a layer with weights/, 1, /internal|variableGrads/);
});

test('11: a bad sparse label is reported at its index in the data loadData returned, not after the split', () => {
  const file = model('sparse.js', `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };
exports.loss = 'sparseCategoricalCrossentropy';
exports.loadData = async () => ({ train: { xs: ${XS}, ys: Array.from({ length: 64 }, (_, i) => (i === 40 ? 7 : i % 2)) } });`);
  expectError(['find-lr', file, '--backend', 'cpu', '--seed', '3'], /train\.ys sample 40 is 7/, 1);
  // The same for a 0/1 label out of range and a one-hot row that is not one: the user's index, whichever split it landed in.
  const binary = model('binary.js', `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })); return m; };
exports.loss = 'binaryCrossentropy';
exports.loadData = async () => ({ train: { xs: ${XS}, ys: Array.from({ length: 64 }, (_, i) => (i === 40 ? 2 : i % 2)) } });`);
  expectError(['find-lr', binary, '--backend', 'cpu', '--seed', '3'], /needs labels in \[0, 1\], but train\.ys sample 40 holds 2/, 1);
  const oneHot = model('onehot.js', `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };
exports.loss = 'categoricalCrossentropy';
exports.loadData = async () => ({ train: { xs: ${XS}, ys: Array.from({ length: 64 }, (_, i) => (i === 40 ? [1, 1] : i % 2 ? [0, 1] : [1, 0])) } });`);
  expectError(['find-lr', oneHot, '--backend', 'cpu', '--seed', '3'], /needs one-hot rows \(probabilities summing to 1\), but train\.ys sample 40 is \[1, 1\]/, 1);
});

test('12: a budget over the limit is refused before any work, with the limit stated', () => {
  expectError(['batch-size', ...CSV, '--budget', '25h'], /--budget 25h is over the 24h maximum\. Give --budget 24h or less/, 2);
  expectError(['recipe', ...CSV, '--budget', '300h'], /--budget 300h is over the 24h maximum/, 2);
});

test('13: `train --epochs 1` with one batch per epoch names --epochs and --batch-size, not --total-steps', () => {
  expectError(['train', ...CSV, '--epochs', '1', '--batch-size', '120', '--max-lr', '0.1'], /1 epoch of 1 batch \(120 samples, batch size 120\) is 1 training step.*--epochs 2 or more/, 2, /total-steps/);
});

test('14: `--data <a folder>` on the model.json route names --data, not loadData()', () => {
  expectError(['find-lr', path.join(dir, 'model.json'), '--data', dir, '--label', 'species', '--backend', 'cpu'], /--data .* is a folder, not a CSV file/, 2, /loadData/);
});

test('15: user code runs in the model file\'s folder whatever the shell\'s folder; a missing file names that folder', () => {
  writeFileSync(path.join(dir, 'beside.json'), JSON.stringify(Array.from({ length: 64 }, (_, i) => i % 2)));
  const reads = (name: string): string => model(`${name}.js`, `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };
exports.loss = 'sparseCategoricalCrossentropy';
exports.loadData = async () => ({ train: { xs: ${XS}, ys: JSON.parse(require('fs').readFileSync('${name}.json', 'utf8')) } });`);
  const r = lrlab(['find-lr', reads('beside'), '--backend', 'cpu', '--steps', '10', '--json']);
  record('messages', r.status === 0);
  assert.equal(r.status, 0, r.stderr);
  expectError(['find-lr', reads('missing'), '--backend', 'cpu'], new RegExp(`ENOENT.*missing\\.json.*resolved from ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, the model file's folder`), 1);
});

test('16: under `ulimit -v 8000000` a model file still compiles (esbuild-wasm runs without the wasm trap handler)', () => {
  const file = model('small.js', `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };
exports.loss = 'categoricalCrossentropy';
exports.loadData = async () => ({ train: { xs: ${XS}, ys: ${XS}.map(([c]) => (c > 0 ? [1, 0] : [0, 1])) } });`);
  const r = lrlab(['find-lr', file, '--backend', 'cpu', '--steps', '10', '--json'], 'ulimit -v 8000000');
  const ok = r.status === 0 && !/\n\s+at /.test(r.stderr);
  record('messages', ok);
  assert.ok(ok, r.stderr);
});

test('17: input that would be silently ignored is refused, naming both flags', () => {
  expectError(['find-lr', ...CSV, '--wd', '1e-4', '--weight-decay', '1e-3'], /--weight-decay and --wd are the same option, given twice/, 2);
  expectError(['sweep', ...CSV, '--refine'], /--refine refines a weight-decay study of short runs; without --short-runs --wd it would be ignored/, 2);
  expectError(['train', ...CSV, '--policy', 'smith', '--max-lr', '0.1', '--pct-start', '0.3'], /--pct-start does not apply to the smith policy: only onecycle, fastai use it/, 2);
  expectError(['schedule', 'constant', '--lr', '0.1', '--total-steps', '10', '--three-phase'], /--three-phase does not apply to the constant policy: only onecycle uses it\. Remove it, or use the onecycle policy\.$/, 2);
  // A constant momentum under smith (train's default policy): the momentum bounds that hold it there.
  expectError(['train', ...CSV, '--max-lr', '0.1', '--momentum', '0.8'], /--momentum does not apply to the smith policy as given: constant uses it, and smith only with --no-cycle-momentum\. Remove it, or use the constant policy\. For a momentum held at 0\.8 under smith, give --no-cycle-momentum with it \(or --max-momentum 0\.8 --base-momentum 0\.8\); to cycle it, give those two bounds\.$/, 2);
  // A list with a value twice would run the same curve twice; an empty item is a typo.
  expectError(['sweep', ...CSV, '--momentum', '0.9,0.9'], /^lrlab: --momentum lists 0\.9 twice in '0\.9,0\.9': each value runs once\.$/, 2);
  expectError(['sweep', ...CSV, '--wd', '1e-3,,1e-4'], /^lrlab: --wd has an empty value in '1e-3,,1e-4': separate the values with single commas\.$/, 2);
  // --data/--label on a model file: its loadData() gives the data (a user's missing x.csv ran without a word).
  const file = model('ownData.js', `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' }); return m; };\nexports.loadData = async () => ({ train: { xs: ${XS}, ys: ${XS}.map(([c]) => (c > 0 ? [1, 0] : [0, 1])) } });`);
  expectError(['find-lr', file, '--data', path.join(dir, 'missing.csv'), '--label', 'y', '--backend', 'cpu'], /^lrlab: --data gives a tfjs model\.json its data; ownData\.js is a model file, whose loadData\(\) gives its own, so it would be ignored\. Leave --data and --label out, or give a model\.json\.$/, 2);
});

test('18: a loadData that never settles, or that calls process.exit, ends the CLI with a line that says so and a non-zero code (not a silent exit 0)', () => {
  const create = `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };\nexports.loss = 'categoricalCrossentropy';\n`;
  const hang = model('hang.js', `${create}exports.loadData = () => new Promise(() => {});`);
  for (const command of [['find-lr', hang, '--json'], ['train', hang, '--max-lr', '0.1', '--json']]) {
    expectError([...command, '--backend', 'cpu'], /^lrlab: the run stopped in loadData\(\) with nothing left to wait for: a promise never settled — loadData\(\), createModel\(\) or something they await .*Make each of them resolve or throw\.$/, 1);
  }
  const exits = model('exits.js', `${create}exports.loadData = () => process.exit(3);`);
  expectError(['find-lr', exits, '--backend', 'cpu'], /^lrlab: the run stopped in loadData\(\): the model file \(or a library it uses\) called process\.exit\(3\) before LR Lab had a result\.$/, 3);
  // In createModel: named by it, not by the last progress line ('during "Running loadData()"', a user trial).
  const exitsInCreate = model('exitsInCreate.js', `exports.createModel = () => process.exit(4);\nexports.loss = 'categoricalCrossentropy';\nexports.loadData = async () => ({ train: { xs: ${XS}, ys: ${XS}.map(([c]) => (c > 0 ? [1, 0] : [0, 1])) } });`);
  expectError(['find-lr', exitsInCreate, '--backend', 'cpu'], /^lrlab: the run stopped in createModel\(\): the model file \(or a library it uses\) called process\.exit\(4\) before LR Lab had a result\.$/, 4);
});

test('19: `train` without --max-lr is refused before loadData runs, pointing at find-lr', () => {
  const file = model('neverLoaded.js', `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };
exports.loadData = () => { throw new Error('loadData ran'); };`);
  expectError(['train', file, '--backend', 'cpu'], /^lrlab: --max-lr is required for --policy smith: find it with lrlab find-lr \S*neverLoaded\.js --backend cpu \(the recommended max LR\), or run lrlab recipe for the whole recipe\.$/, 2, /loadData ran/);
  expectError(['train', file, '--policy', 'onecycle', '--backend', 'cpu'], /^lrlab: --max-lr is required for --policy onecycle: /, 2, /loadData ran/);
  // The options every command shares, as typed, and a training script's arguments go into the find-lr it points at (without --fit-line find-lr tunes another fit).
  const script = path.join(root, 'test', 'fixtures', 'scripts', 'warmUpThenFit.mjs');
  expectError(['train', script, '--fit-line', '19', '--', 'a b'], /^lrlab: --max-lr is required for --policy smith: find it with lrlab find-lr \S*warmUpThenFit\.mjs --fit-line 19 -- 'a b' \(the recommended max LR\)/, 2);
  // A model file that is not there is said first (it read "--max-lr is required … find-lr /no/such.js").
  expectError(['train', path.join(dir, 'no-such-model.js')], /^lrlab: \S*no-such-model\.js: Model file not found\. Check the path/, 1);
  // Values out of range before loadData runs: batch size 0 read "--total-steps … got Infinity"; a negative weight decay and a dropout of 1.5 trained.
  expectError(['train', file, '--max-lr', '0.1', '--batch-size', '0', '--backend', 'cpu'], /^lrlab: --batch-size must be a whole number ≥ 1, got 0\.$/, 2, /loadData ran/);
  expectError(['train', file, '--max-lr', '0.1', '--wd', '-1', '--backend', 'cpu'], /^lrlab: --weight-decay must be in \[0, 1\), got -1\.$/, 2, /loadData ran/);
  expectError(['train', file, '--max-lr', '0.1', '--dropout', '1.5', '--backend', 'cpu'], /^lrlab: --dropout must be in \[0, 1\), got 1\.5\.$/, 2, /loadData ran/);
  // --val-samples 0 gave every epoch (every short run) no validation loss, then blamed the epochs (the LR).
  expectError(['train', file, '--max-lr', '0.1', '--val-samples', '0', '--backend', 'cpu'], /^lrlab: --val-samples must be a whole number ≥ 1, got 0\.$/, 2, /loadData ran/);
  expectError(['sweep', file, '--short-runs', '--max-lr', '0.1', '--momentum', '0.9', '--val-samples', '0', '--backend', 'cpu'], /^lrlab: --val-samples must be a whole number ≥ 1, got 0\.$/, 2, /loadData ran/);
});

test('20: a --workspace that is no folder is refused, naming it (it was ignored without a word)', () => {
  expectError(['find-lr', ...CSV, '--workspace', path.join(dir, 'no-such-folder')], /^lrlab: --workspace \S*no-such-folder: the folder does not exist\. Give the folder whose node_modules holds your @tensorflow\/tfjs-node, or leave it out/, 2);
  // A file there is no folder (it read "the folder does not exist").
  expectError(['find-lr', ...CSV, '--workspace', path.join(dir, 'iris.csv')], /^lrlab: --workspace \S*iris\.csv: not a folder\. Give the folder whose node_modules/, 2);
});

after(() => {
  const stray = existsSync(elsewhere) && spawnSync('ls', ['-A', elsewhere], { encoding: 'utf8' }).stdout.trim() !== '';
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`\nFault figures:\n${table()}\n`);
  assert.ok(!stray, 'a run wrote into the shell\'s folder');
});

test('20: process.exit(0) before a result, a throw from a timer or an unawaited promise, raw stdout writes and an unwritable stdout — each a line and the right exit code', () => {
  const create = `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };\nexports.loss = 'categoricalCrossentropy';\n`;
  const data = `({ train: { xs: ${XS}, ys: ${XS}.map(([c]) => (c > 0 ? [1, 0] : [0, 1])) } })`;
  // exit(0) with no result was exit 0 with nothing on stdout.
  const exits = model('exitsZero.js', `${create}exports.loadData = () => process.exit(0);`);
  expectError(['find-lr', exits, '--backend', 'cpu', '--json'], /^lrlab: the run stopped in loadData\(\): the model file \(or a library it uses\) called process\.exit\(0\) before LR Lab had a result\.$/, 1);
  // A throw from a timer read "called process.exit(1)" above Node's stack trace.
  const late = model('lateThrow.js', `${create}exports.loadData = async () => { setTimeout(() => { throw new Error('thrown late'); }, 0); await new Promise((r) => setTimeout(r, 50)); return ${data}; };`);
  expectError(['find-lr', late, '--backend', 'cpu', '--steps', '400'], new RegExp(`^lrlab: the run stopped (during "[^"]+"|in \\w+\\(\\)): the model file threw outside the calls LR Lab awaits \\(from a timer or an event handler\\) \\(${late.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+\\): thrown late$`), 1);
  const rejected = model('unhandled.js', `${create}exports.loadData = async () => { Promise.reject(new Error('nobody waits')); await new Promise((r) => setTimeout(r, 50)); return ${data}; };`);
  expectError(['find-lr', rejected, '--backend', 'cpu'], /^lrlab: the run stopped (during "[^"]+"|in \w+\(\)): the model file threw in a promise nothing awaited \(\S+unhandled\.js:\d+\): nobody waits$/, 1);
  // A model file's raw process.stdout.write went into --json; so did writes to descriptor 1 itself (a
  // pino-style logger's fs.writeSync(1, …)) and a child process's inherited stdout.
  const noisy = model('rawWrite.js', `process.stdout.write('raw write at load');\nrequire('fs').writeSync(1, 'descriptor 1 at load\\n');\n${create}exports.loadData = async () => { process.stdout.write('raw write in loadData'); require('child_process').execSync('echo from a child process', { stdio: 'inherit' }); return ${data}; };`);
  const r = lrlab(['find-lr', noisy, '--backend', 'cpu', '--steps', '30', '--range-tests', '1', '--lr-trials', '0', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).kind, 'find-lr');
  assert.match(r.stderr, /raw write at load/);
  assert.match(r.stderr, /descriptor 1 at load\n/);
  assert.match(r.stderr, /from a child process\n/);
  // stdout that cannot be written (a full disk) was exit 0 with the result lost.
  const full = lrlab(['find-lr', noisy, '--backend', 'cpu', '--steps', '30', '--range-tests', '1', '--lr-trials', '0', '--json'], 'exec >/dev/full');
  assert.equal(full.status, 1, full.stderr);
  assert.match(full.stderr, /^lrlab: could not write the result to stdout: ENOSPC/m);
  // Said once, on its own line, under the guard or not, and by a command that runs no model (it was said twice on one line; `schedule` said nothing).
  for (const [argv, prefix] of [[['find-lr', path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js'), '--backend', 'cpu', '--steps', '30', '--range-tests', '1', '--lr-trials', '0', '--json'], 'export LRLAB_RESULT_GUARD=off; exec >/dev/full'], [['schedule', 'smith', '--max-lr', '0.1', '--total-steps', '4'], 'exec >/dev/full']] as const) {
    const once = lrlab(argv, prefix);
    assert.equal(once.status, 1, once.stderr);
    assert.equal(once.stderr.match(/could not write the result to stdout/g)?.length, 1, once.stderr);
    assert.match(once.stderr, /^lrlab: could not write the result to stdout: ENOSPC: no space left on device, write$/m);
  }
  // A file stdout at its size limit (`ulimit -f`): Node's own write dropped what a short write left, and the
  // result ended cut at 20,480 bytes with exit 0 — under the guard and without it.
  const tinyModel = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
  const cut = path.join(dir, 'cut.json');
  for (const guard of ['on', 'off']) {
    const limited = lrlab(['find-lr', tinyModel, '--backend', 'cpu', '--steps', '300', '--range-tests', '1', '--lr-trials', '0', '--seed', '1', '--json'], `ulimit -f 20; export LRLAB_RESULT_GUARD=${guard}; exec >${JSON.stringify(cut)}`);
    assert.equal(limited.status, 1, `guard ${guard}: ${limited.stderr}`);
    assert.match(limited.stderr, /^lrlab: could not write the result to stdout: EFBIG/m, `guard ${guard}`);
  }
  // A reader that stops early (`| head -c 10`) while a large result (~0.5 MB) still comes: it hung for
  // ever under the stdout guard, whose child waited for the rest to be taken.
  const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
  const head = spawnSync('sh', ['-c', '"$0" "$@" 2>/dev/null | head -c 10', process.execPath, bin, 'find-lr', tiny, '--backend', 'cpu', '--steps', '5000', '--range-tests', '1', '--lr-trials', '0', '--range-retries', '0', '--json'], { encoding: 'utf8', timeout: 60_000, cwd: elsewhere });
  assert.equal(head.error, undefined, 'it ended (a hang is a timeout)');
  assert.equal(head.stdout, '{"kind":"f');
});

test('21: an empty model argument (an unset shell variable) says the model file is missing, not that the current folder is no model file', () => {
  expectError(['find-lr', ''], /^lrlab: lrlab find-lr needs a model file \(the one given is an empty string\): /, 2);
});

test('22: a flag given twice with two values is refused with both (node kept the last: --max-lr 0.1 --max-lr 0.3 ran at 0.3); the same value twice runs', () => {
  const file = model('twice.js', `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };
exports.loadData = () => { throw new Error('loadData ran'); };`);
  expectError(['train', file, '--max-lr', '0.1', '--max-lr', '0.3', '--backend', 'cpu'], /^lrlab: --max-lr is given twice, 0\.1 and then 0\.3: LR Lab does not guess which one you mean\. Give --max-lr once\.$/, 2, /loadData ran/);
  expectError(['find-lr', file, '--seed', '1', '--seed', '2'], /^lrlab: --seed is given twice, 1 and then 2: .* Give --seed once\.$/, 2, /loadData ran/);
  expectError(['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '10', '--total-steps', '20'], /^lrlab: --total-steps is given twice, 10 and then 20: /, 2);
  // A list given twice meant one list: the fix says how to write it.
  expectError(['sweep', ...CSV, '--wd', '1e-3', '--wd', '1e-4'], /^lrlab: --wd is given twice, 1e-3 and then 1e-4: .* Give --wd once \(a list is one value: --wd 1e-3,1e-4\)\.$/, 2);
  // A negative value joined to its flag counts too.
  expectError(['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '10', '--gamma', '-1', '--gamma', '0.5'], /^lrlab: --gamma is given twice, -1 and then 0\.5: /, 2);
  // The same value twice (a flag appended to a pasted command) loses nothing: it runs, booleans too.
  const r = lrlab(['find-lr', ...CSV, '--seed', '3', '--seed', '3', '--json', '--json', '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--range-retries', '0']);
  const ok = r.status === 0 && (JSON.parse(r.stdout) as { settings: { seed: number } }).settings.seed === 3;
  record('messages', ok);
  assert.ok(ok, r.stderr);
});

test('23: a whole number past 2^53 − 1 is refused as typed, not rounded (--seed 9007199254740993 ran as …992)', () => {
  const file = model('huge.js', `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };
exports.loadData = () => { throw new Error('loadData ran'); };`);
  expectError(['find-lr', file, '--seed', '9007199254740993'], /^lrlab: --seed must be a whole number no larger than 9007199254740991, got 9007199254740993: larger ones are not exact in JavaScript \(9007199254740993 would run as 9007199254740992\)\.$/, 2, /loadData ran/);
  expectError(['find-lr', file, '--seed', '-1e20'], /^lrlab: --seed must be a whole number no smaller than -9007199254740991, got -1e20: smaller ones are not exact in JavaScript\.$/, 2, /loadData ran/);
  expectError(['find-lr', file, '--batch-size', '1e20'], /^lrlab: --batch-size must be a whole number no larger than 9007199254740991, got 1e20: /, 2, /loadData ran/);
  expectError(['train', file, '--max-lr', '0.1', '--total-steps', '1e300'], /^lrlab: --total-steps must be a whole number no larger than 9007199254740991, got 1e300: /, 2, /loadData ran/);
  // Where the option's own range stops it, that range is the message, with the value as typed (it read 1e+300).
  expectError(['find-lr', file, '--steps', '1e300'], /^lrlab: --steps must be a whole number between 2 and 100000, got 1e300\.$/, 2, /loadData ran/);
  // The largest exact one runs.
  const r = lrlab(['find-lr', ...CSV, '--seed', '9007199254740991', '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--range-retries', '0', '--json']);
  const ok = r.status === 0 && (JSON.parse(r.stdout) as { settings: { seed: number } }).settings.seed === Number.MAX_SAFE_INTEGER;
  record('messages', ok);
  assert.ok(ok, r.stderr);
});

test('24: command lines typed wrong get one line that names the word at fault (a pasted em dash read as a second model file; 0x10 ran 16 steps; a folder read "Could not resolve")', () => {
  const file = model('typed.js', `exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };
exports.loadData = () => { throw new Error('loadData ran'); };`);
  // Dashes from a web page or a document, after the model file or before it (it read "Unexpected argument 'typed.js'").
  expectError(['find-lr', file, '—end-lr', '1'], /^lrlab: '—end-lr' starts with '—' \(U\+2014\), not two hyphens \(pasted from a web page or a document\?\): type it as --end-lr\.$/, 2, /loadData ran/);
  expectError(['find-lr', '–seed', '3', file], /^lrlab: '–seed' starts with '–' \(U\+2013\), .*type it as --seed\.$/, 2);
  expectError(['—help'], /^lrlab: '—help' starts with '—' \(U\+2014\), .*type it as --help\.$/, 2);
  // A value forgotten: node's three lines and '..' became one line that names the next word.
  expectError(['train', file, '--max-lr', '--epochs', '1'], /^lrlab: --max-lr needs a value \(--max-lr X\), and the word after it, '--epochs', is an option\. Run `lrlab help train` for its options\.$/, 2);
  expectError(['find-lr', file, '--seed'], /^lrlab: --seed needs a value \(--seed N\)\. Run `lrlab help find-lr`/, 2);
  // Another command's option: where it belongs.
  expectError(['find-lr', file, '--max-lr', '0.1'], /^lrlab: --max-lr is not an option of lrlab find-lr \(it is one of lrlab schedule, lrlab train, lrlab sweep --short-runs\)\. Run `lrlab help find-lr`/, 2);
  // Numbers JavaScript reads but nobody means (0x10 ran 16 steps), a decimal comma, a bad list item.
  expectError(['find-lr', file, '--steps', '0x10'], /^lrlab: --steps must be a decimal number, got '0x10'\.$/, 2, /loadData ran/);
  expectError(['find-lr', file, '--end-lr', '1,5'], /^lrlab: --end-lr must be a number, got '1,5' \(a decimal point, not a comma: 1\.5\)\.$/, 2);
  expectError(['sweep', file, '--wd', '1e-3,abc'], /^lrlab: --wd takes decimal numbers separated by commas, and 'abc' in '1e-3,abc' is not one\.$/, 2);
  // A folder as the model file, named as one, with the model files in it (one called model.js read "Could not resolve").
  const folder = path.join(dir, 'project.js');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'model.ts'), '');
  // The file it names as the user would type it from where they are: the whole path from another
  // folder; inside the folder, `find-lr .` is told model.ts (it was told project.js/model.ts).
  expectError(['find-lr', folder, '--backend', 'cpu'], /^lrlab: \S*project\.js: project\.js is a folder, not a model file\. Give the model file itself, e\.g\. \/\S+\/project\.js\/model\.ts\.$/, 1);
  assert.match(lrlab(['find-lr', '.', '--backend', 'cpu'], `cd '${folder}'`).stderr, /^lrlab: \S*project\.js: project\.js is a folder, not a model file\. Give the model file itself, e\.g\. model\.ts\.$/m);
  assert.match(lrlab(['find-lr', 'project.js', '--backend', 'cpu'], `cd '${dir}'`).stderr, /^lrlab: \S*project\.js: project\.js is a folder, not a model file\. Give the model file itself, e\.g\. project\.js\/model\.ts\.$/m);
  // With --data (a model.json's): still the folder (it read "project.js is a model file, whose loadData() gives its own").
  assert.match(lrlab(['find-lr', 'project.js', '--data', 'x.csv', '--label', 'y', '--backend', 'cpu'], `cd '${dir}'`).stderr, /^lrlab: \S*project\.js: project\.js is a folder, not a model file\. Give the model file itself, e\.g\. project\.js\/model\.ts\.$/m);
  // The flag after -- is the training script's; with a model file it is refused, naming it.
  expectError(['find-lr', file, '--', '--seed', '3'], /^lrlab: Arguments after -- \(--seed 3\) go to a training script, and typed\.js is a model file/, 2);
});

test('25: an error thrown by the user\'s own code while a run trains (a compiled loss, a custom layer\'s call) names their file and line, not "internal error … please report it" — a thrown string or bare object says it has no line; a loss that ignores yPred says so', () => {
  const build = "const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] }));";
  const data = `exports.loadData = async () => ({ train: { xs: ${XS}, ys: ${XS}.map(([c]) => (c > 0 ? [1, 0] : [0, 1])) } });`;
  const throwing = model('lossThrows.js', `exports.createModel = () => { ${build}\n  m.compile({ optimizer: 'sgd', loss: () => {\n    throw new Error('loss boom');\n  } }); return m; };\n${data}`);
  expectError(['find-lr', throwing, '--backend', 'cpu', '--steps', '10', '--lr-trials', '0', '--range-tests', '1'], /^lrlab: .*lossThrows\.js:4: loss boom\. Your code threw this at that line while LR Lab ran it \(a loss, metric, layer or data function it calls\): fix it there/, 1, /internal|report/);
  const layer = model('layerThrows.js', `class Boom extends tf.layers.Layer {\n  call(x) {\n    if (++this.calls > 3) throw new Error('layer boom');\n    return x;\n  }\n  static get className() { return 'Boom'; }\n}\nexports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, inputShape: [2] })); const b = new Boom({}); b.calls = 0; m.add(b); m.add(tf.layers.activation({ activation: 'softmax' })); m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' }); return m; };\n${data}`);
  expectError(['find-lr', layer, '--backend', 'cpu', '--steps', '10', '--lr-trials', '0', '--range-tests', '1'], /^lrlab: .*layerThrows\.js:4: layer boom\. Your code threw this at that line/, 1, /internal|report/);
  // Values that are no Error (no stack, no line): still the user's, one line; an object without a prototype too (String() throws on it).
  const stringLoss = model('lossThrowsString.js', `exports.createModel = () => { ${build} m.compile({ optimizer: 'sgd', loss: () => { throw 'bad loss'; } }); return m; };\n${data}`);
  expectError(['find-lr', stringLoss, '--backend', 'cpu', '--steps', '10', '--lr-trials', '0', '--range-tests', '1'], /^lrlab: Your code threw a value that is not an Error: bad loss\. Something LR Lab calls in your model file \(a loss, metric, layer or data function\) threw it; throw an Error there instead/, 1, /internal|report/);
  const bare = model('createModelThrowsBare.js', `exports.createModel = () => { throw Object.create(null); };\n${data}`);
  expectError(['find-lr', bare, '--backend', 'cpu', '--steps', '10', '--lr-trials', '0', '--range-tests', '1'], /^lrlab: .*createModelThrowsBare\.js: createModel threw: \{\}\. Fix createModel/, 1, /internal|report|primitive/);
  const constant = model('lossConstant.js', `exports.createModel = () => { ${build} m.compile({ optimizer: 'sgd', loss: () => tf.scalar(1) }); return m; };\n${data}`);
  expectError(['find-lr', constant, '--backend', 'cpu', '--steps', '10', '--lr-trials', '0', '--range-tests', '1'], /^lrlab: The loss does not depend on the model's output.*must compute its value from yPred/, 1, /internal|report/);
});

test('26: a FIFO or a device where a file is read is refused at once, naming it (/dev/zero as --data grew the engine past 16 GB; a FIFO model blocked the read, Ctrl-C unheard)', () => {
  const fifo = (name: string): string => {
    const file = path.join(dir, name);
    spawnSync('mkfifo', [file]);
    assert.ok(existsSync(file), `mkfifo ${file}`);
    return file;
  };
  const zero = path.join(dir, 'zero.csv');
  symlinkSync('/dev/zero', zero);
  expectError(['find-lr', path.join(dir, 'model.json'), '--data', zero, '--label', 'species', '--backend', 'cpu'], /^lrlab: .*--data zero\.csv is a device, not a regular file.*Save the rows to a \.csv file/, 2);
  expectError(['find-lr', path.join(dir, 'model.json'), '--data', fifo('pipe.csv'), '--label', 'species', '--backend', 'cpu'], /^lrlab: .*--data pipe\.csv is a FIFO \(named pipe\), not a regular file/, 2);
  expectError(['find-lr', fifo('pipe.mjs'), '--backend', 'cpu'], /^lrlab: .*pipe\.mjs is a FIFO \(named pipe\), not a regular file.*Give the model file itself/, 1);
  expectError(['find-lr', fifo('pipe.json'), '--data', path.join(dir, 'iris.csv'), '--label', 'species', '--backend', 'cpu'], /^lrlab: .*Cannot read .*pipe\.json: it is not a regular file \(a device, FIFO or socket\)/, 1);
});

test('27: a stderr that cannot be written (2>/dev/full) does not lose the result: stdout still gets it, exit 0', () => {
  const full = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [bin, 'find-lr', ...CSV, '--steps', '20', '--range-tests', '1', '--lr-trials', '0'], { encoding: 'utf8', timeout: 120_000, cwd: elsewhere, stdio: ['ignore', 'pipe', full] });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /max LR/i);
  } finally {
    closeSync(full);
  }
});

test('28: a model.json whose layers cannot be built in memory (a dense layer of 1e9 units, under `ulimit -v 8000000`) says the model is too large, not "save it with model.save"', () => {
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string; config: { units?: number } }[] } }; weightsManifest?: unknown };
  const first = json.modelTopology.config.layers.find((l) => l.class_name === 'Dense')!;
  first.config.units = 1e9;
  delete json.weightsManifest;
  const huge = path.join(dir, 'huge.json');
  writeFileSync(huge, JSON.stringify(json));
  const r = lrlab(['find-lr', huge, '--data', path.join(dir, 'iris.csv'), '--label', 'species', '--backend', 'cpu'], 'ulimit -v 8000000');
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('lrlab: ') && !PROGRESS.test(l));
  const ok = r.status === 1 && errors.length === 1 && /^lrlab: .*huge\.json's layers ran out of memory as tfjs built their weights \(.*\): the model is too large for this machine\. Check the sizes in huge\.json's modelTopology/.test(errors[0] ?? '') && !/model\.save/.test(r.stderr);
  record('messages', ok);
  assert.ok(ok, `exit ${r.status}: ${r.stderr}`);
});
