/**
 * Training scripts as they are, through the real `lrlab` CLI: each style of script reaches its
 * first fit/fitDataset call, LR Lab takes model, data and batch size from it, and nothing after
 * the call runs — every fixture writes a sentinel file (and tries other ways to go on) after fit,
 * and the sentinel must never appear. The script files are never changed.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { built } from '../built';
import { writeModel } from './writeModel';
import type { BatchSizeResult, FindLrResult, MomentumResult, RecipeResult, TrainResult } from '../../src/protocol/results';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'lrlab');
const scripts = path.join(root, 'test', 'fixtures', 'scripts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-scripts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** Runs lrlab with a fresh sentinel path; returns the outcome and whether the sentinel appeared. */
function lrlab(...argv: string[]): { status: number | null; stdout: string; stderr: string; sentinel: string | null; seconds: number } {
  return lrlabWithInput('', ...argv);
}

/** `lrlab` with `input` piped to its stdin (an empty pipe, ended, for `lrlab`). */
function lrlabWithInput(input: string, ...argv: string[]): { status: number | null; stdout: string; stderr: string; sentinel: string | null; seconds: number } {
  built('engine.js');
  const sentinel = path.join(dir, `sentinel-${runs++}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, ...argv], { cwd: dir, encoding: 'utf8', input, timeout: 180_000, env: { ...process.env, LRLAB_TEST_SENTINEL: sentinel } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, sentinel: existsSync(sentinel) ? readFileSync(sentinel, 'utf8') : null, seconds: (Date.now() - started) / 1000 };
}

function hash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('lrlab: ') && !/^lrlab: (Loading|Running|LR range)/.test(l));
}

const STYLES = [
  // --batch-size overrides the call's 24.
  { file: 'topLevel.js', what: 'top-level fit, not awaited, then sync code, destructured fs, .then and an exit handler', batchSize: 10, method: 'fit', line: 16, flags: ['--batch-size', '10'] },
  { file: 'asyncMain.ts', what: 'fit awaited in an async main inside try/catch/finally, main().then', batchSize: 40, method: 'fit', line: 26 },
  { file: 'fitDataset.mjs', what: 'ESM fitDataset behind the main-module check, not awaited, then writes, spawns and process.exit', batchSize: 32, method: 'fitDataset', line: 25 },
  { file: 'validationSplit.cjs', what: 'fit with validationSplit at the end of a .then chain, behind require.main === module', batchSize: 20, method: 'fit', line: 19 },
  { file: 'topLevelAwait.mjs', what: 'ESM with top-level await of fit, then writes and exports', batchSize: 16, method: 'fit', line: 12 },
] as const;

for (const style of STYLES) {
  test(`find-lr on ${style.file} (${style.what}): the fit call's model and batch size, nothing after it runs`, () => {
    const file = path.join(scripts, style.file);
    const before = hash(file);
    const r = lrlab('find-lr', file, '--steps', '20', '--seed', '1', '--json', ...('flags' in style ? style.flags : []));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.sentinel, null, `code after ${style.method} ran: ${r.sentinel ?? ''}`);
    const doc = JSON.parse(r.stdout) as FindLrResult; // exactly one JSON document: the script's console output went to stderr
    assert.equal(doc.kind, 'find-lr');
    assert.equal(doc.points.length, 20);
    assert.equal(doc.settings.batchSize, style.batchSize);
    assert.equal(doc.settings.sources?.batchSize, 'flags' in style ? 'flag' : 'model.fit', 'where the batch size came from');
    assert.ok(doc.warnings.some((w) => w.includes(`model.${style.method} call at ${style.file}:${style.line}`)), doc.warnings.join('\n'));
    // The tested call, for the editor's insert lens (it goes above that model's fits only), with its line as the script has it (found by it after edits).
    assert.deepEqual(doc.fitCall, { line: style.line, method: style.method, text: readFileSync(file, 'utf8').split('\n')[style.line - 1]!.trim() });
    assert.match(doc.fitCall.text, new RegExp(`\\.${style.method}\\(`));
    assert.equal(hash(file), before, 'the script was changed');
    assert.equal(existsSync(path.join(dir, 'should-not-exist')), false);
    if (style.file === 'topLevel.js') assert.match(r.stderr, /topLevel\.js: training starts/, 'the script\'s own output, on stderr');
    // tfjs's "install our node backend" banner, beside a run that reports its backend, is noise (quietCpuBackend in tfjs.ts).
    assert.doesNotMatch(r.stderr, /Hi, looks like you are running TensorFlow\.js in Node\.js/);
    // The call's classWeight is said not to apply (it was dropped without a word); the other styles have none.
    const weighted = doc.warnings.filter((w) => /^The model\.fit call's classWeight is not applied: LR Lab's runs weigh every sample equally/.test(w));
    assert.equal(weighted.length, style.file === 'validationSplit.cjs' ? 1 : 0, doc.warnings.join('\n'));
    // The call's callbacks are said not to run (a user's earlyStopping was dropped without a word).
    const called = doc.warnings.filter((w) => /^The model\.fit call's callbacks \(EarlyStopping, a plain object\) are not applied: LR Lab's runs call none of the script's callbacks .*earlyStopping/.test(w));
    assert.equal(called.length, style.file === 'asyncMain.ts' ? 1 : 0, doc.warnings.join('\n'));
    if (style.method === 'fitDataset') {
      // The code after the non-awaited call did run while the dataset was read: each write, spawn and exit it tried was refused.
      assert.match(r.stderr, /fitDataset\.mjs: 6 of 6 attempts after fitDataset were refused/);
    }
  });
}

test('a script\'s own arguments go after -- to every run of it, and it runs from the folder lrlab runs in, as under node', () => {
  const file = path.join(scripts, 'argsAndFolder.mjs');
  // lrlab runs in a temporary folder: the script gets --data argsData.json, relative to it (as typed at a shell there).
  copyFileSync(path.join(scripts, 'argsData.json'), path.join(dir, 'argsData.json'));
  const r = lrlab('find-lr', file, '--steps', '20', '--seed', '1', '--range-tests', '1', '--lr-trials', '0', '--json', '--', '--units', '6', '--data', 'argsData.json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as FindLrResult).points.length, 20);
  // A study runs the script again for its trials: each run gets the arguments (they were lost after the first).
  const study = lrlab('sweep', file, '--short-runs', '--momentum', '0.9', '--max-lr', '0.2', '--steps', '20', '--seed', '1', '--json', '--', '--units', '6', '--data', 'argsData.json');
  assert.equal(study.status, 0, study.stderr);
  // Without them the script prints its usage and exits 2: the error says where arguments go.
  const bare = lrlab('find-lr', file, '--steps', '20');
  assert.equal(bare.status, 1);
  assert.match(errorLines(bare.stderr).join('\n'), /argsAndFolder\.mjs called process\.exit\(2\) at argsAndFolder\.mjs:11 before calling model\.fit or model\.fitDataset, which ended it there\. .*arguments it needs go after -- \(lrlab find-lr script\.js -- --data train\.csv\)/);
  // A path that is not there from the folder lrlab runs in: said, with where relative paths resolve.
  const lost = lrlab('find-lr', file, '--steps', '20', '--', '--units', '6', '--data', 'nowhere.json');
  assert.equal(lost.status, 1);
  assert.match(errorLines(lost.stderr).join('\n'), /ENOENT.*nowhere\.json.*Relative paths in the script resolve from \S+, the folder lrlab runs in \(as under node argsAndFolder\.mjs\)/);
  // Arguments after -- on a model file: nothing would read them.
  const stray = lrlab('find-lr', path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js'), '--', '--units', '6');
  assert.equal(stray.status, 2);
  assert.match(errorLines(stray.stderr).join('\n'), /^lrlab: Arguments after -- \(--units 6\) go to a training script, and tinyClassifier\.js is a model file/);
});

test('a script that starts with process.chdir(__dirname) runs as under node: the folder changes (a worker thread cannot change it: "not supported in workers"), and a folder that is not there fails as node says', () => {
  const r = lrlab('find-lr', path.join(scripts, 'chdirFirst.js'), '--steps', '20', '--seed', '1', '--range-tests', '1', '--lr-trials', '0', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.sentinel, null);
  assert.equal((JSON.parse(r.stdout) as FindLrResult).settings.batchSize, 16);
  const missing = path.join(dir, 'chdirMissing.js');
  writeFileSync(missing, "process.chdir('no-such-folder');\n");
  const lost = lrlab('find-lr', missing, '--steps', '20');
  assert.equal(lost.status, 1);
  assert.match(errorLines(lost.stderr).join('\n'), /chdirMissing\.js:1: chdirMissing\.js threw before calling model\.fit: ENOENT: no such file or directory, chdir \S+ -> 'no-such-folder'/);
});

test('everything a script prints before its fit call reaches stderr, in order; --json stdout holds only the result', () => {
  // The worker's stdout stream posts one chunk and waits for the parent's acknowledgement, which a
  // thread blocked at fit never reads: only the first line came out.
  const r = lrlab('find-lr', path.join(scripts, 'chatty.cjs'), '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--seed', '1', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as FindLrResult).kind, 'find-lr');
  const rows = r.stderr.split('\n').filter((l) => /^row \d+: /.test(l));
  assert.deepEqual(rows.map((l) => Number(/^row (\d+)/.exec(l)?.[1])), Array.from({ length: 120 }, (_, i) => i), 'every row, in order');
  assert.match(r.stderr, /Total params: 51\n/, 'the whole model.summary()');
  assert.match(r.stderr, /chatty\.cjs: to stderr\nchatty\.cjs: a buffer written to stdout\nchatty\.cjs: the last line before fit\n/);
});

test('a `.fit` that is not a model\'s (a scaler\'s one-argument `scaler.fit(rows)`) and the wrapper call the model\'s fit was made through (`new Net().fit(x, y)`) are no "other fit calls" (a user trial was pointed at the scaler\'s line, and --fit-line there ran the whole script)', () => {
  const file = path.join(scripts, 'scalerAndWrapper.mjs');
  const r = lrlab('find-lr', file, '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--seed', '1', '--json');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as FindLrResult;
  assert.equal(doc.fitCall?.line, 16, 'the model.fit inside the wrapper');
  assert.equal(doc.settings.batchSize, 16);
  assert.ok(!doc.warnings.some((w) => w.includes('calls fit at line')), doc.warnings.join('\n'));
  assert.equal(r.sentinel, null, 'nothing after the call ran');
});

test('a script that calls process.exit(0) before its fit call (CommonJS, no await anywhere; or inside an async main) is told so, with the line (it read "an unsettled top-level await", or "ran to the end")', () => {
  const cases = [
    ['exitZero.cjs', "const tf = require('@tensorflow/tfjs');\nconsole.log('nothing to do');\nprocess.exit(0);\n", 3],
    ['exitInMain.mjs', "import * as tf from '@tensorflow/tfjs';\nasync function main() {\n  if (!process.env.NEVER_SET) process.exit(0);\n  await tf.sequential().fit(tf.zeros([1, 1]), tf.zeros([1, 1]));\n}\nmain();\n", 3],
    // A prompt without a newline before it exits: LR Lab's line starts a line of its own (it read "Start? [y/N] lrlab: …").
    ['promptThenExit.cjs', "process.stdout.write('Start training? [y/N] ');\nprocess.exit(0);\n", 2],
  ] as const;
  for (const [name, body, line] of cases) {
    const file = path.join(dir, name);
    writeFileSync(file, body);
    const r = lrlab('find-lr', file, '--steps', '10');
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(errorLines(r.stderr).map((l) => l.replace(/^lrlab: \S+?: /, '')), [`${name} called process.exit(0) at ${name}:${line} before calling model.fit or model.fitDataset, which ended it there. LR Lab runs a training script up to its first model.fit/fitDataset call: make sure the script reaches it without exiting (what made it exit: arguments it needs go after -- (lrlab find-lr script.js -- --data train.csv), a prompt's answer is piped: echo y | lrlab …).`]);
  }
});

test('train --save --force into the folder a script loads its pretrained model from is refused before training (it replaced the weights the script starts from); another folder saves', async () => {
  const folder = path.join(dir, 'pretrained');
  // The pretrained model, saved by an earlier run of the script's own kind (tfjs, in this process).
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const net = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'relu', inputShape: [2] }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
  await writeModel(tf, net, path.join(folder, 'model.json'));
  net.dispose();
  const file = path.join(dir, 'finetune.mjs');
  writeFileSync(
    file,
    `import * as tf from '@tensorflow/tfjs';\nimport blobsModule from ${JSON.stringify(path.join(scripts, 'blobs.js'))};\nconst { xs, ys } = blobsModule.blobs(120, 3);\nconst model = await tf.loadLayersModel('file://./pretrained/model.json');\nmodel.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });\nawait model.fit(tf.tensor2d(xs), tf.tensor2d(ys), { epochs: 2, batchSize: 16, validationSplit: 0.25 });\n`,
  );
  const weights = path.join(folder, 'weights.bin');
  const before = hash(weights);
  const r = lrlab('train', file, '--max-lr', '0.1', '--epochs', '2', '--save', 'pretrained', '--force');
  assert.equal(r.status, 2, r.stderr);
  assert.deepEqual(errorLines(r.stderr), [`lrlab: --save ${folder} would overwrite ${path.join(folder, 'model.json')}, which the script loads its model from (tf.loadLayersModel): LR Lab never replaces its input, --force or not. Give --save another folder.`]);
  assert.doesNotMatch(r.stderr, /epoch 1/, 'refused before training');
  assert.equal(hash(weights), before, 'the pretrained weights are untouched');
  const elsewhere = lrlab('train', file, '--max-lr', '0.1', '--epochs', '2', '--save', 'finetuned');
  assert.equal(elsewhere.status, 0, elsewhere.stderr);
  assert.ok(existsSync(path.join(dir, 'finetuned', 'weights.bin')));
});

test('a script that trains twice (warm-up, then the main fit): the note names the other call and --fit-line takes it, after the warm-up ran', () => {
  const file = path.join(scripts, 'warmUpThenFit.mjs');
  const quick = ['--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--seed', '1', '--json'];
  // The first call the script makes, as before; the note says the main fit is elsewhere and how to take it.
  const first = lrlab('find-lr', file, ...quick);
  assert.equal(first.status, 0, first.stderr);
  const firstDoc = JSON.parse(first.stdout) as FindLrResult;
  assert.equal(firstDoc.settings.batchSize, 8);
  assert.ok(firstDoc.warnings.some((w) => w.includes('model.fit call at warmUpThenFit.mjs:16 (batch size 8, 1 epoch)')), firstDoc.warnings.join('\n'));
  assert.ok(firstDoc.warnings.some((w) => /^warmUpThenFit\.mjs calls fit at line 19 too; LR Lab took the first call the script makes \(line 16\).*--fit-line 19/.test(w)), firstDoc.warnings.join('\n'));
  assert.doesNotMatch(first.stderr, /warm-up done/);

  const main = lrlab('find-lr', file, ...quick, '--fit-line', '19');
  assert.equal(main.status, 0, main.stderr);
  const doc = JSON.parse(main.stdout) as FindLrResult;
  assert.equal(doc.settings.batchSize, 48);
  assert.equal(doc.settings.sources?.batchSize, 'model.fit');
  assert.ok(doc.warnings.some((w) => w.includes('model.fit call at warmUpThenFit.mjs:19 (batch size 48, 20 epochs)')), doc.warnings.join('\n'));
  assert.ok(!doc.warnings.some((w) => w.includes('calls fit at line')), doc.warnings.join('\n'));
  assert.match(main.stderr, /warmUpThenFit\.mjs: warm-up done, loss \d/, 'the warm-up trained, as in the script');
  assert.equal(main.sentinel, null, 'nothing after the named call ran');
  // In a folder with a space ("My Project"), through a symlink: the same call and line (the frames'
  // pattern stopped at the space, and a link's frames name its target: no fitCall, no lens at the call).
  const spaced = path.join(dir, 'My Project');
  mkdirSync(spaced, { recursive: true });
  for (const f of ['warmUpThenFit.mjs', 'blobs.js']) copyFileSync(path.join(scripts, f), path.join(spaced, f));
  symlinkSync(path.join(spaced, 'warmUpThenFit.mjs'), path.join(spaced, 'linked.mjs'));
  const linked = lrlab('find-lr', path.join(spaced, 'linked.mjs'), ...quick, '--fit-line', '19');
  assert.equal(linked.status, 0, linked.stderr);
  assert.deepEqual((JSON.parse(linked.stdout) as FindLrResult).fitCall?.line, 19, linked.stdout);
  // A file name with a letter outside ASCII and a '#' (esbuild's source map percent-encodes them:
  // --fit-line never matched, the script trained to its end, and its places read w%C3%A4rm%232.mjs:19).
  copyFileSync(path.join(scripts, 'warmUpThenFit.mjs'), path.join(spaced, 'wärm#2.mjs'));
  const named = lrlab('find-lr', path.join(spaced, 'wärm#2.mjs'), ...quick, '--fit-line', '19');
  assert.equal(named.status, 0, named.stderr);
  const namedDoc = JSON.parse(named.stdout) as FindLrResult;
  assert.equal(namedDoc.fitCall?.line, 19);
  assert.ok(namedDoc.warnings.some((w) => w.includes('model.fit call at wärm#2.mjs:19 (batch size 48, 20 epochs)')), namedDoc.warnings.join('\n'));
  assert.equal(named.sentinel, null, 'nothing after the named call ran');

  // A line that calls the script's own code (helpers.blobs, from its module) but no fit passes: the
  // script runs through, and the error names the calls it made.
  const none = lrlab('find-lr', file, ...quick, '--fit-line', '7');
  assert.equal(none.status, 1, none.stderr);
  const errors = errorLines(none.stderr);
  assert.equal(errors.length, 1, none.stderr);
  assert.match(errors[0]!, /warmUpThenFit\.mjs:7: warmUpThenFit\.mjs ran to the end without reaching a fit call at line 7 \(or a call on the way to one\); the fit calls it made, at warmUpThenFit\.mjs:16, warmUpThenFit\.mjs:19, ran as in the script\. Give --fit-line the line/);
  // A line whose calls are all of other things (console, the model's evaluate, a tensor's dataSync):
  // no fit can be reached through it, and it is refused before the script runs (a user's typo on a
  // `const ys = xs.sum(1, true)` line ran the whole script: its training, its report, its saved model).
  const others = lrlab('find-lr', file, ...quick, '--fit-line', '17');
  assert.equal(others.status, 2, others.stderr);
  assert.match(errorLines(others.stderr).join('\n'), /^lrlab: --fit-line 17: line 17 of warmUpThenFit\.mjs \(`console\.error\(.*`\) calls neither fit nor any function, class or method of the script or its own modules, so no fit call can be there \(its fit calls are at lines 16, 19\)\. Nothing was run\./);
  assert.doesNotMatch(others.stderr, /warm-up done, loss \d/);

  // A line past the end (or blank) can hold no call: refused before the script runs, naming its fit calls
  // (a user's --fit-line 99 on a 22-line script ran it whole, and it wrote its file).
  const past = lrlab('find-lr', file, ...quick, '--fit-line', '99');
  assert.equal(past.status, 2, past.stderr);
  assert.match(errorLines(past.stderr).join('\n'), /^lrlab: --fit-line 99: warmUpThenFit\.mjs has 23 lines, so no fit call can be there \(its fit calls are at lines 16, 19\)\. Nothing was run\. Give one of those lines \(--fit-line 16\), or leave --fit-line out\.$/);
  assert.doesNotMatch(past.stderr, /warm-up done/);
  assert.equal(past.sentinel, null, 'nothing of the script ran');
  // A line that holds no call at all (an assignment): refused before the script runs too (a user's typo
  // on a `const n = 1200;` line ran both fits and the writes after them).
  const noCall = lrlab('find-lr', file, ...quick, '--fit-line', '18');
  assert.equal(noCall.status, 2, noCall.stderr);
  assert.match(errorLines(noCall.stderr).join('\n'), /^lrlab: --fit-line 18: line 18 of warmUpThenFit\.mjs holds no call \(`optimizer\.learningRate = 3e-3;`\), so no fit call can be there \(its fit calls are at lines 16, 19\)\. Nothing was run\./);
  assert.equal(noCall.sentinel, null, 'nothing of the script ran');
  // A line that calls only a function of the script's own whose body reaches no fit (it builds the model):
  // refused before the script runs, naming the function (a user's `const m = build();` ran the script's
  // fit and then its file writes). The line of the call that trains goes through the arrow `train`.
  const builder = path.join(scripts, 'buildThenFit.cjs');
  const build = lrlab('find-lr', builder, ...quick, '--fit-line', '14');
  assert.equal(build.status, 2, build.stderr);
  assert.match(errorLines(build.stderr).join('\n'), /^lrlab: --fit-line 14: line 14 of buildThenFit\.cjs \(`const model = build\(\);`\) calls build \(the script's own\), which reaches no fit call, and nothing else that could, so no fit call can be there \(its fit calls are at line 11\)\. Nothing was run\./);
  assert.equal(build.sentinel, null, 'nothing of the script ran');
  const viaArrow = lrlab('find-lr', builder, ...quick, '--fit-line', '15');
  assert.equal(viaArrow.status, 0, viaArrow.stderr);
  assert.equal((JSON.parse(viaArrow.stdout) as FindLrResult).settings.batchSize, 16);
  assert.equal(viaArrow.sentinel, null, 'nothing after the named call ran');
  // Line 0 is no line: the option's rule, not an internal error.
  const zero = lrlab('find-lr', file, ...quick, '--fit-line', '0');
  assert.equal(zero.status, 2, zero.stderr);
  assert.match(errorLines(zero.stderr).join('\n'), /^lrlab: --fit-line must be a whole number ≥ 1, got 0\.$/);

  // A TypeScript script's line is its own (source-mapped), not the bundle's: the same call as without the flag.
  const ts = lrlab('find-lr', path.join(scripts, 'asyncMain.ts'), ...quick, '--fit-line', '26');
  assert.equal(ts.status, 0, ts.stderr);
  assert.equal((JSON.parse(ts.stdout) as FindLrResult).settings.batchSize, 40);

  // A model file has no fit call to pick.
  const model = lrlab('find-lr', path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js'), '--fit-line', '3');
  assert.equal(model.status, 2, model.stderr);
  assert.match(errorLines(model.stderr).join('\n'), /^lrlab: --fit-line picks a training script's fit call, and tinyClassifier\.js is a model file \(it exports createModel and loadData\): it has none to pick\./);
  // Nor a fit call to wait for: --fit-timeout was accepted and meant nothing.
  const timeout = lrlab('find-lr', path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js'), '--fit-timeout', '3s');
  assert.equal(timeout.status, 2, timeout.stderr);
  assert.match(errorLines(timeout.stderr).join('\n'), /^lrlab: --fit-timeout limits how long a training script may run before its fit call, and tinyClassifier\.js is a model file \(it exports createModel and loadData\): there is no fit call to wait for\. Leave --fit-timeout out, or give the training script\.$/);
  // sweep's range tests read no --max-lr/--min-lr (the short runs' LRs): refused, not ignored.
  const sweepMax = lrlab('sweep', path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js'), '--max-lr', '0.1', '--wd', '1e-3,1e-4');
  assert.equal(sweepMax.status, 2, sweepMax.stderr);
  assert.match(errorLines(sweepMax.stderr).join('\n'), /^lrlab: --max-lr is the LR of the short runs \(--short-runs\); a sweep of range tests sweeps the LR itself and would ignore it\. Add --short-runs/);
});

test('train without --epochs on a script says its length is the default of --epochs, not the fit call\'s', () => {
  // The note reads "(batch size 24, 20 epochs)" and the run trained 5 without a word.
  const r = lrlab('train', path.join(scripts, 'topLevel.js'), '--max-lr', '0.2', '--seed', '1', '--json');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as TrainResult;
  assert.equal(doc.history.length, 5);
  assert.ok(doc.warnings.includes("This run trains 5 epochs (the default of --epochs), not the 20 of the script's fit call: give --epochs 20 to train as long as the script does."), doc.warnings.join('\n'));
  const given = lrlab('train', path.join(scripts, 'topLevel.js'), '--max-lr', '0.2', '--seed', '1', '--epochs', '2', '--json');
  assert.equal(given.status, 0, given.stderr);
  assert.ok(!(JSON.parse(given.stdout) as TrainResult).warnings.some((w) => w.startsWith('This run trains')), 'given: nothing to say');
});

test('a script that asks on stdin before its fit gets what was piped to lrlab, as under node; with nothing piped, the error says it reads stdin', () => {
  const asks = path.join(dir, 'asks.mjs');
  writeFileSync(asks, `import * as tf from '@tensorflow/tfjs';\nimport * as readline from 'node:readline/promises';\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });\nconst rl = readline.createInterface({ input: process.stdin, output: process.stderr });\nconst answer = await rl.question('Train now? [y/N] ');\nrl.close();\nif (answer.trim() === 'y') await model.fit(tf.randomNormal([64, 4]), tf.oneHot(tf.randomUniform([64], 0, 3, 'int32'), 3), { epochs: 1 });\n`);
  // The worker's stdin never delivered nor ended: "stopped before calling model.fit … an unsettled top-level await".
  const piped = lrlabWithInput('y\n', 'find-lr', asks, '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--seed', '1', '--json');
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal((JSON.parse(piped.stdout) as FindLrResult).kind, 'find-lr');
  // A batch-size study runs each size in an engine of its own: each gets what was piped, as the run's
  // own capture does (each size ran the script with an empty stdin and failed before its fit call).
  const sizes = lrlabWithInput('y\n', 'batch-size', asks, '--sizes', '16,32', '--budget', '8s', '--seed', '1', '--json');
  // Under load a size's share of the budget can run out before it trains (skipped, and with none trained,
  // exit 1): what counts here is that no size failed, and a size's engine ran the script to its fit (its range test ran).
  const study = JSON.parse(sizes.stdout) as { runs: { batchSize: number; status: string; reason?: string }[] };
  assert.equal(sizes.status, study.runs.some((run) => run.status === 'ok') ? 0 : 1, sizes.stderr);
  assert.deepEqual(study.runs.filter((run) => run.status === 'failed'), [], sizes.stderr);
  assert.match(sizes.stderr, /batch (16|32) range test: \d+ steps/, sizes.stderr);
  assert.doesNotMatch(sizes.stderr, /before calling model\.fit|reads process\.stdin/);
  const empty = lrlab('find-lr', asks, '--steps', '10', '--json');
  assert.equal(empty.status, 1, empty.stderr);
  // (The prompt has no newline: the error line follows it on the same line.)
  assert.match(empty.stderr, /stopped before calling model\.fit .* It reads process\.stdin: LR Lab passes on what is piped to lrlab \(echo answer \| lrlab …\), and it ends where the pipe ends\.$/m);
});

test('a script that never reaches fit stops at --fit-timeout with one line', () => {
  const r = lrlab('find-lr', path.join(scripts, 'neverFits.js'), '--fit-timeout', '2', '--json');
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  const errors = errorLines(r.stderr);
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0]!, /neverFits\.js did not call model\.fit or model\.fitDataset within 2 s\. .*--fit-timeout/);
  assert.ok(r.seconds < 60, `took ${r.seconds} s`);
});

test('a script whose file changes while it runs to its fit (an editor saving it): fitCall keeps the line number, not a line of another version', () => {
  const file = path.join(dir, 'rewritesItself.js');
  const fitLine = "await model.fit(tf.randomNormal([40, 2]), tf.oneHot(tf.tensor1d(Array.from({ length: 40 }, (_, i) => i % 3), 'int32'), 3), { epochs: 2 });";
  writeFileSync(file, [
    "const tf = require('@tensorflow/tfjs');",
    "const fs = require('node:fs');",
    'async function main() {',
    "  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });",
    "  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });",
    "  fs.appendFileSync(__filename, '// saved while it ran\\n');",
    `  ${fitLine}`,
    '}',
    'main();',
    '',
  ].join('\n'));
  const r = lrlab('find-lr', file, '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as FindLrResult).fitCall, { line: 7, method: 'fit' });
  // The same script, unchanged while it ran, keeps the line.
  writeFileSync(file, readFileSync(file, 'utf8').replace("  fs.appendFileSync(__filename, '// saved while it ran\\n');\n", '  // nothing saved\n').replace(/\/\/ saved while it ran\n$/, ''));
  const again = lrlab('find-lr', file, '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--json');
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual((JSON.parse(again.stdout) as FindLrResult).fitCall, { line: 7, method: 'fit', text: fitLine });
});

test('scripts that cannot be captured: one line naming the file (and line) and the fix', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['notLayersModel.js', [], 1, /notLayersModel\.js:5: model\.fit is not a function: fit was called on something that is not a tfjs LayersModel\. Call fit on a model built with tf\.sequential\(\)/],
    ['notCompiled.js', [], 1, /notCompiled\.js:4: model\.fit was called on a model that was not compiled\. Call model\.compile/],
    ['endsWithoutFit.js', [], 1, /endsWithoutFit\.js ran to the end without calling model\.fit or model\.fitDataset/],
    // Run without the argument it reads: the error says where arguments go (it said only "Fix the script").
    ['needsArgument.mjs', [], 1, /needsArgument\.mjs:6: needsArgument\.mjs threw before calling model\.fit: The "path" argument must be .*Received undefined\. .*a script that needs arguments gets them after -- \(lrlab find-lr script\.js -- --data train\.csv\)/],
    ['topLevel.js', ['--dropout', '0.2'], 2, /topLevel\.js is a training script: its model has a fixed architecture, so --dropout cannot change its dropout\. To compare dropout, export `function createModel\(hp\)`/],
    ['neverFits.js', ['--fit-timeout', '0'], 2, /--fit-timeout must be a positive duration/],
    ['batchSizeZero.js', [], 1, /batchSizeZero\.js:5: The script's fit call gives batchSize: 0; tfjs needs a whole number ≥ 1 there\. Give batchSize a whole number ≥ 1 in that fit call/],
  ];
  for (const [file, extra, code, pattern] of cases) {
    const r = lrlab('find-lr', path.join(scripts, file), '--steps', '10', ...extra);
    assert.equal(r.status, code, `${file}: ${r.stderr}`);
    const errors = errorLines(r.stderr);
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.sentinel, null);
  }
  // Stuck on a top-level await nothing settles (Node: unsettled top-level await): not "ran to the end".
  const stuck = path.join(dir, 'stuckAwait.mjs');
  writeFileSync(stuck, "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nawait new Promise(() => {});\nawait model.fit(tf.ones([8, 1]), tf.ones([8, 1]));\n");
  const waited = lrlab('find-lr', stuck, '--steps', '10');
  assert.equal(waited.status, 1, waited.stderr);
  assert.match(errorLines(waited.stderr).join('\n'), /^lrlab: \S+stuckAwait\.mjs: stuckAwait\.mjs stopped before calling model\.fit or model\.fitDataset: its top-level code was still waiting on an await that nothing was left to settle \(Node calls it an unsettled top-level await\)\. Make sure what the script awaits/);
  // A package that is not installed, imported by a script with top-level await (bundled as ESM, its
  // imports become require shims): located at the script's import line, not "lrlab-require:pkg:1".
  const missing = path.join(dir, 'missingPackage.mjs');
  writeFileSync(missing, "import * as tf from '@tensorflow/tfjs';\nimport { rows } from 'lrlab-test-no-such-package';\nconst model = tf.sequential();\nawait model.fit(rows, rows);\n");
  const r = lrlab('find-lr', missing, '--steps', '10');
  assert.equal(r.status, 1, r.stderr);
  assert.match(errorLines(r.stderr).join('\n'), /^lrlab: \S+missingPackage\.mjs:2: missingPackage\.mjs threw before calling model\.fit: Cannot find module 'lrlab-test-no-such-package'/);
  // Rows of numbers where fit takes tensors: not "500 x tensors" (several inputs), but wrap them.
  const rows = path.join(dir, 'nestedArrays.js');
  writeFileSync(rows, "const tf = require('@tensorflow/tfjs');\nconst x = Array.from({ length: 50 }, (_, i) => [i / 50, 1]);\nconst y = x.map((r) => [r[0] * 2]);\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nmodel.fit(x, y, { epochs: 2 });\n");
  const nested = lrlab('find-lr', rows, '--steps', '10');
  assert.equal(nested.status, 1, nested.stderr);
  assert.match(errorLines(nested.stderr).join('\n'), /^lrlab: \S+nestedArrays\.js:6: model\.fit's x is a JavaScript array \(of 50 arrays\), not a tensor: tfjs's fit takes tensors\. Wrap it in a tensor, e\.g\. tf\.tensor2d\(rows\)/);
  // A custom layer cannot leave the running script: said in one sentence, not tfjs's cut-off "one of the following reasons:".
  const custom = path.join(dir, 'customLayer.mjs');
  writeFileSync(custom, "import * as tf from '@tensorflow/tfjs';\nclass Scale extends tf.layers.Layer {\n  static className = 'Scale';\n  call(inputs) { return tf.tidy(() => (Array.isArray(inputs) ? inputs[0] : inputs).mul(2)); }\n}\ntf.serialization.registerClass(Scale);\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] }), new Scale({}), tf.layers.dense({ units: 1 })] });\nmodel.compile({ optimizer: 'adam', loss: 'meanSquaredError' });\nconst xs = tf.randomNormal([64, 3], 0, 1, 'float32', 2);\nawait model.fit(xs, xs.sum(1, true), { epochs: 2 });\n");
  const layer = lrlab('find-lr', custom, '--steps', '10');
  assert.equal(layer.status, 1, layer.stderr);
  assert.match(errorLines(layer.stderr).join('\n'), /^lrlab: \S+customLayer\.mjs:10: The model of customLayer\.mjs's fit call cannot be rebuilt from its topology: it uses a custom layer, Scale\. Custom layers live only inside the running script/);
  // A loop of its own (optimizer.minimize): named, at its line (it read only "ran to the end without calling model.fit").
  const loop = path.join(dir, 'customLoop.mjs');
  writeFileSync(loop, "import * as tf from '@tensorflow/tfjs';\nconst xs = tf.randomNormal([32, 2]); const ys = xs.sum(1, true);\nconst w = tf.variable(tf.randomNormal([2, 1]));\nconst opt = tf.train.sgd(0.1);\nfor (let i = 0; i < 5; i++) opt.minimize(() => tf.losses.meanSquaredError(ys, xs.matMul(w)));\n");
  const own = lrlab('find-lr', loop, '--steps', '10');
  assert.equal(own.status, 1, own.stderr);
  assert.match(errorLines(own.stderr).join('\n'), /^lrlab: \S+customLoop\.mjs:5: customLoop\.mjs ran to the end without calling model\.fit or model\.fitDataset: it trains in a loop of its own, with optimizer\.minimize, and LR Lab runs its experiments through model\.fit\. Export createModel/);
  // A model.trainOnBatch loop: named as that, at its line (it read "with optimizer.minimize", no line).
  const batches = path.join(dir, 'trainOnBatch.mjs');
  writeFileSync(batches, "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nconst xs = tf.randomNormal([32, 2]); const ys = xs.sum(1, true);\nfor (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys);\n");
  const onBatch = lrlab('find-lr', batches, '--steps', '10');
  assert.equal(onBatch.status, 1, onBatch.stderr);
  assert.match(errorLines(onBatch.stderr).join('\n'), /^lrlab: \S+trainOnBatch\.mjs:5: trainOnBatch\.mjs ran to the end without calling model\.fit or model\.fitDataset: it trains in a loop of its own, with model\.trainOnBatch, and LR Lab/);
  // The data checks speak of the fit call's data, not of a loadData() a script does not have.
  const fourRows = path.join(dir, 'fourRows.mjs');
  writeFileSync(fourRows, "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nawait model.fit(tf.tensor([[1, 2], [3, 4], [5, 6], [7, 8]]), tf.tensor([[3], [7], [11], [15]]), { epochs: 1 });\n");
  const four = lrlab('find-lr', fourRows, '--steps', '10');
  assert.equal(four.status, 1, four.stderr);
  assert.match(errorLines(four.stderr).join('\n'), /fourRows\.mjs:4: the fit call's data gave 4 samples; holding out 1 for validation \(--validation-split 0\.2\) leaves 3 to train on: .* Give more data, or give the fit call validationData/);
  const narrow = path.join(dir, 'narrowInputs.js');
  writeFileSync(narrow, "const tf = require('@tensorflow/tfjs');\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [4] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nmodel.fit(tf.ones([8, 3]), tf.ones([8, 1]), { epochs: 1 });\n");
  const shape = lrlab('find-lr', narrow, '--steps', '10');
  assert.equal(shape.status, 1, shape.stderr);
  assert.match(errorLines(shape.stderr).join('\n'), /narrowInputs\.js:4: the fit call's x has shape \[batch, 3\] but the model expects inputs of shape \[batch, 4\]/);
  for (const r of [four, shape]) assert.doesNotMatch(r.stderr, /loadData|train\.xs/);
  // A dropout sweep of a script: refused before the script runs (it ran first, seconds and side effects).
  const sweep = lrlab('sweep', path.join(scripts, 'topLevel.js'), '--dropout', '0.1,0.2', '--steps', '10');
  assert.equal(sweep.status, 2, sweep.stderr);
  assert.match(errorLines(sweep.stderr).join('\n'), /^lrlab: topLevel\.js is a training script: its model has a fixed architecture, so --dropout cannot change its dropout\./);
  assert.doesNotMatch(sweep.stderr, /Running topLevel\.js/);
  // tf.node without tfjs-node (a TensorBoard callback in the fit call): LR Lab's own error, at the script's line.
  const board = path.join(dir, 'tensorBoard.js');
  writeFileSync(board, "const tf = require('@tensorflow/tfjs');\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nmodel.fit(tf.ones([8, 1]), tf.ones([8, 1]), {\n  callbacks: tf.node.tensorBoard('/tmp/logs'),\n});\n");
  const node = lrlab('find-lr', board, '--steps', '10');
  assert.equal(node.status, 1, node.stderr);
  assert.match(errorLines(node.stderr).join('\n'), /^lrlab: \S+tensorBoard\.js:5: tf\.node is part of @tensorflow\/tfjs-node and does not exist on the wasm backend .*leave tf\.node\.\* out of the code LR Lab runs/);
});

test('train, sweep --short-runs --momentum, batch-size and recipe run on a script too', () => {
  const file = path.join(scripts, 'validationSplit.cjs');
  const trained = lrlab('train', file, '--max-lr', '0.2', '--epochs', '2', '--seed', '1', '--json');
  assert.equal(trained.status, 0, trained.stderr);
  const train = JSON.parse(trained.stdout) as TrainResult;
  assert.equal(train.history.length, 2);
  // 400 samples, the last 25% held out as tfjs' validationSplit does, batches of 20: 15 per epoch.
  assert.equal(train.schedule.totalSteps, 2 * 15, 'the fit call\'s batch size and validation split');

  const momentum = lrlab('sweep', file, '--short-runs', '--momentum', '0.85,0.95', '--max-lr', '0.2', '--steps', '20', '--json');
  assert.equal(momentum.status, 0, momentum.stderr);
  assert.equal((JSON.parse(momentum.stdout) as MomentumResult).kind, 'momentum');

  // --budget is the whole study: both sizes' engine start-ups (each runs the script to its fit) come out of it.
  const sizes = lrlab('batch-size', file, '--sizes', '10,40', '--budget', '14s', '--json');
  assert.equal(sizes.status, 0, sizes.stderr);
  assert.deepEqual((JSON.parse(sizes.stdout) as BatchSizeResult).runs.map((run) => [run.batchSize, run.status]), [[10, 'ok'], [40, 'ok']]);

  const recipe = lrlab('recipe', file, '--budget', '8s', '--json');
  assert.equal(recipe.status, 0, recipe.stderr);
  const doc = JSON.parse(recipe.stdout) as RecipeResult;
  assert.equal(doc.steps[0]?.name, 'range-test');
  assert.equal(doc.steps[0]?.status, 'done');
  for (const r of [trained, momentum, sizes, recipe]) assert.equal(r.sentinel, null, r.sentinel ?? '');
});
