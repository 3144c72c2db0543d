/**
 * Fault suite, outputs (issue #16 items 4–6): every file a command writes (`--plot`, `--save`)
 * is checked before any work starts, replaced only with `--force`, never one of the inputs,
 * written by one command at a time, and written whole or not at all — on a real file size
 * limit (`ulimit -f`, RLIMIT_FSIZE) the result is still printed, the command exits non-zero and
 * no truncated, 0-byte, temp or lock file is left. Each case runs the real `lrlab` process.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { record, standing, table } from './figures';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'lrlab');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-outputs-'));
/** Markers the user code writes when it runs: outside `dir`, so they are not "user files". */
const marks = mkdtempSync(path.join(os.tmpdir(), 'lrlab-outputs-marks-'));
const hashes = new Map<string, string>();

function hashOf(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function userFile(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  hashes.set(file, hashOf(file));
  return file;
}

for (const f of ['model.json', 'iris.csv']) {
  copyFileSync(path.join(root, 'examples', 'tabular-csv', f), path.join(dir, f));
  hashes.set(path.join(dir, f), hashOf(path.join(dir, f)));
}
const CSV = ['model.json', '--data', 'iris.csv', '--label', 'species', '--backend', 'cpu'];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `lrlab argv` in `dir`; with `fileBlocks`, under a real file size limit (`ulimit -f`). */
function lrlab(argv: readonly string[], fileBlocks?: number): Run {
  const r = fileBlocks === undefined
    ? spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 120_000, cwd: dir })
    : spawnSync('sh', ['-c', `ulimit -f ${fileBlocks}; exec "$0" "$@"`, process.execPath, bin, ...argv], { encoding: 'utf8', timeout: 120_000, cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function errorLines(r: Run): string[] {
  return r.stderr.split('\n').filter((l) => l.startsWith('lrlab: ') && !/^lrlab: (Loading|Running loadData|LR range test on|Training |\d+% |range test: |range test \d+ of \d+ |short 1cycle runs of |Short 1cycle run \d+ of |trial at )/.test(l));
}

/** The start of each model file these tests write: a two-class softmax layer and its loss (loadData differs). */
const MODEL_HEAD = `const tf = require('@tensorflow/tfjs');
exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };
exports.loss = 'categoricalCrossentropy';`;

/** A model whose loadData writes `text` to `written` first (a marker, or a file the command is about to write). */
function writingModel(name: string, written: string, text: string): string {
  return userFile(`${name}.js`, `${MODEL_HEAD}
exports.loadData = async () => {
  require('fs').writeFileSync(${JSON.stringify(written)}, ${JSON.stringify(text)});
  return { train: { xs: Array.from({ length: 64 }, (_, i) => [Math.cos(i), Math.sin(i)]), ys: Array.from({ length: 64 }, (_, i) => (Math.cos(i) > 0 ? [1, 0] : [0, 1])) } };
};`);
}

/** A model whose loadData leaves a marker: proves whether any work started. */
function markingModel(name: string): { file: string; marker: string } {
  const marker = path.join(marks, `${name}.ran`);
  return { file: writingModel(name, marker, ''), marker };
}

function expectRefusedBeforeWork(name: string, argv: (model: string) => string[], pattern: RegExp): void {
  const { file, marker } = markingModel(name);
  const r = lrlab([...argv(file), '--backend', 'cpu']);
  const errors = errorLines(r);
  const ok = r.status === 2 && r.stdout === '' && errors.length === 1 && pattern.test(errors[0] ?? '') && !existsSync(marker);
  record('outputs checked before work', ok);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0]!, pattern);
  assert.ok(!existsSync(marker), 'the user code ran before the output was checked');
}

test('--plot into a folder that does not exist fails before any training, with the folder named', () => {
  expectRefusedBeforeWork('plot-nodir', (m) => ['find-lr', m, '--json', '--plot', 'no/such/dir/p.png'], /--plot: the folder .*no\/such\/dir does not exist/);
});

test('--plot with a name too long for the lock and temp file beside it is refused before any training, with the longest name that works (a 249-character name failed with ENAMETOOLONG naming the lock\'s temp path)', () => {
  expectRefusedBeforeWork('plot-long', (m) => ['find-lr', m, '--plot', `${'p'.repeat(249)}.png`], /^lrlab: --plot: the file name p{40}… is 253 bytes; beside it LR Lab writes a lock and a temp file whose names are 39 bytes longer, past the 255 bytes file systems allow in a name\. Give --plot a file name of at most 216 bytes\.$/);
});

test('--plot over an existing file needs --force, like every output', () => {
  const old = userFile('old.html', 'the user\'s own page\n');
  expectRefusedBeforeWork('plot-exists', (m) => ['find-lr', m, '--plot', old], /old\.html exists; LR Lab does not overwrite it without --force/);
});

test('--force with nothing to write (find-lr without --plot, train without --save) is refused before any training, naming what it needs (it was taken and silently did nothing)', () => {
  expectRefusedBeforeWork('force-alone-find', (m) => ['find-lr', m, '--force'], /^lrlab: --force replaces a file that exists at --plot; without --plot nothing is written, and it would be ignored\. Add --plot <file\.png\|file\.html>, or drop --force\.$/);
  expectRefusedBeforeWork('force-alone-train', (m) => ['train', m, '--max-lr', '0.05', '--epochs', '2', '--force'], /^lrlab: --force replaces the files that exist at --save; without --save nothing is written, and it would be ignored\. Add --save <dir>, or drop --force\.$/);
});

test('--plot at a symbolic link (a dangling one too) is refused before any training, --force or not (it failed after the run as "the file appeared")', () => {
  const link = path.join(dir, 'dangling.png');
  symlinkSync(path.join(dir, 'no-such-target.png'), link);
  for (const force of [[], ['--force']]) {
    expectRefusedBeforeWork(`plot-link${force.length}`, (m) => ['find-lr', m, '--plot', link, ...force], /--plot: \S*dangling\.png is a symbolic link \(to \S*no-such-target\.png, which does not exist\); LR Lab does not write through links or replace them\./);
  }
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link is left as it was');
  rmSync(link); // the final check reads every file in the folder
});

test('--save at an existing file (not a folder) fails before training, --force or not', () => {
  const file = userFile('notes.txt', 'notes\n');
  expectRefusedBeforeWork('save-file', (m) => ['train', m, '--max-lr', '0.05', '--epochs', '2', '--save', file, '--force'], /notes\.txt is a file, not a folder/);
});

test('--save into a folder holding only weights.bin needs --force (every file the command writes counts)', () => {
  userFile('only-weights/weights.bin', Buffer.from([1, 2, 3, 4]));
  expectRefusedBeforeWork('save-weights', (m) => ['train', m, '--max-lr', '0.05', '--epochs', '2', '--save', 'only-weights'], /weights\.bin exists; LR Lab does not overwrite it without --force/);
});

test('--save next to the input model.json never replaces it, even with --force', () => {
  const r = lrlab(['train', ...CSV, '--max-lr', '0.05', '--epochs', '2', '--save', '.', '--force']);
  const errors = errorLines(r);
  const ok = r.status === 2 && errors.length === 1 && /--save would overwrite .*model\.json, which this command reads/.test(errors[0] ?? '');
  record('outputs checked before work', ok);
  assert.ok(ok, r.stderr);
});

test('two `train --save` into one folder at once: one saves, the other is refused with a clear error', async () => {
  const go = path.join(marks, 'go');
  const model = userFile('waits.js', `${MODEL_HEAD}
exports.loadData = async () => {
  while (!require('fs').existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 20));
  return { train: { xs: Array.from({ length: 64 }, (_, i) => [Math.cos(i), Math.sin(i)]), ys: Array.from({ length: 64 }, (_, i) => (Math.cos(i) > 0 ? [1, 0] : [0, 1])) } };
};`);
  const argv = ['train', model, '--max-lr', '0.05', '--epochs', '2', '--backend', 'cpu', '--save', 'shared', '--json'];
  const first = spawn(process.execPath, [bin, ...argv], { cwd: dir });
  let out = '';
  let err = '';
  first.stdout.on('data', (d: Buffer) => (out += d.toString()));
  first.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
  // The first holds its reservation while its loadData waits: the second starts now.
  const lock = path.join(dir, 'shared', '.model.json.lrlab-lock');
  const deadline = Date.now() + 60_000;
  while (!existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const second = lrlab(argv);
  writeFileSync(go, '');
  const code = await exited;
  const errors = errorLines(second);
  const saved = code === 0 ? (JSON.parse(out) as { savedTo: string | null }).savedTo : null;
  const ok = second.status === 2 && second.stdout === '' && errors.length === 1 && /Another LR Lab process \(pid \d+\) is writing .*shared/.test(errors[0] ?? '')
    && code === 0 && saved === path.join(dir, 'shared', 'model.json') && !existsSync(lock);
  record('outputs: one writer', ok);
  assert.ok(ok, `second: ${second.status} ${second.stderr}\nfirst: ${code} ${err} ${out.slice(0, 200)}`);
});

test('a lock left by a killed command is taken over', () => {
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  mkdirSync(path.join(dir, 'stale'));
  writeFileSync(path.join(dir, 'stale', '.model.json.lrlab-lock'), dead);
  const r = lrlab(['train', ...CSV, '--max-lr', '0.05', '--epochs', '2', '--save', 'stale', '--json']);
  const ok = r.status === 0 && (JSON.parse(r.stdout) as { savedTo: string }).savedTo === path.join(dir, 'stale', 'model.json');
  record('outputs: one writer', ok);
  assert.ok(ok, r.stderr);
});

test('a lock naming a pid another program now has is taken over; a lock that is a folder is named; SIGTERM drops the lock, and the --save folder the run made', async () => {
  // A live process that is not LR Lab (pids are reused, and in containers pid 1 is always alive):
  // "Another LR Lab process (pid 1) is writing …" refused every later run.
  const other = spawn('sleep', ['60']);
  try {
    for (const content of [String(other.pid), `${other.pid} 1`]) {
      rmSync(path.join(dir, 'reused'), { recursive: true, force: true });
      mkdirSync(path.join(dir, 'reused'));
      writeFileSync(path.join(dir, 'reused', '.model.json.lrlab-lock'), content);
      const r = lrlab(['train', ...CSV, '--max-lr', '0.05', '--epochs', '2', '--save', 'reused', '--json']);
      const ok = r.status === 0 && (JSON.parse(r.stdout) as { savedTo: string }).savedTo === path.join(dir, 'reused', 'model.json');
      record('outputs: one writer', ok);
      assert.ok(ok, `lock "${content}": ${r.stderr}`);
    }
  } finally {
    other.kill();
  }
  mkdirSync(path.join(dir, 'folderLock', '.model.json.lrlab-lock'), { recursive: true });
  const folder = lrlab(['train', ...CSV, '--max-lr', '0.05', '--epochs', '2', '--save', 'folderLock']);
  assert.equal(folder.status, 2, folder.stderr);
  assert.match(errorLines(folder)[0] ?? '', /Could not lock .*: \S+\.model\.json\.lrlab-lock is a folder, where LR Lab keeps its lock file\. Remove /);
  // SIGTERM while the reservation is held (loadData waiting): the lock is gone with the process (it stayed, 7 times of 7).
  const go = path.join(marks, 'go-term');
  const model = userFile('waitsTerm.js', `${MODEL_HEAD}
exports.loadData = async () => {
  while (!require('fs').existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 20));
  return { train: { xs: [[1, 2]], ys: [[1, 0]] } };
};`);
  const child = spawn(process.execPath, [bin, 'find-lr', model, '--backend', 'cpu', '--plot', 'term.png'], { cwd: dir });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const lock = path.join(dir, '.term.png.lrlab-lock');
  const deadline = Date.now() + 60_000;
  while (!existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(existsSync(lock), 'the run took its lock');
  child.kill('SIGTERM');
  assert.equal(await exited, 'SIGTERM', 'it still ends by the signal');
  assert.ok(!existsSync(lock), 'the lock went with it');
  // The same with a --save folder the run made: it goes too (it stayed, empty).
  const saving = spawn(process.execPath, [bin, 'train', model, '--backend', 'cpu', '--max-lr', '0.05', '--epochs', '1', '--save', 'termSave'], { cwd: dir });
  const savingExited = new Promise<NodeJS.Signals | null>((resolve) => saving.on('exit', (_code, signal) => resolve(signal)));
  const saveLock = path.join(dir, 'termSave', '.model.json.lrlab-lock');
  const until = Date.now() + 60_000;
  while (!existsSync(saveLock) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.ok(existsSync(saveLock), 'the run made its folder and took its locks');
  saving.kill('SIGTERM');
  assert.equal(await savingExited, 'SIGTERM');
  assert.ok(!existsSync(path.join(dir, 'termSave')), 'the folder it made went with it');
});

test('Ctrl-C while a large CSV is read: the read stops between records, exit 130, and no lock file or empty --save folder is left (the CSV reader had run as user code: Ctrl-C ended the process at once)', async () => {
  const rows = readFileSync(path.join(dir, 'iris.csv'), 'utf8').split('\n');
  const body = rows.slice(1).filter((l) => l !== '').join('\n') + '\n';
  const big = path.join(dir, 'bigIris.csv');
  writeFileSync(big, rows[0] + '\n' + body.repeat(Math.ceil(40e6 / body.length)));
  const child = spawn(process.execPath, [bin, 'train', 'model.json', '--data', big, '--label', 'species', '--backend', 'cpu', '--max-lr', '0.05', '--epochs', '2', '--save', 'bigSave'], { cwd: dir });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lock = path.join(dir, 'bigSave', '.model.json.lrlab-lock');
  const deadline = Date.now() + 60_000;
  while (!existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(existsSync(lock), 'the run took its lock');
  await new Promise((r) => setTimeout(r, 300));
  const sent = Date.now();
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.ok(Date.now() - sent < 10_000, `stopped ${Date.now() - sent} ms after Ctrl-C`);
  assert.match(stderr, /Cancelled while reading bigIris\.csv\./);
  assert.ok(!existsSync(path.join(dir, 'bigSave')), `left: ${existsSync(path.join(dir, 'bigSave')) ? readdirSync(path.join(dir, 'bigSave')).join(', ') : ''}`);
  rmSync(big);
});

test('Ctrl-C (to the whole process group, as a terminal sends it) while loadData blocks, or SIGKILL: no lock file or empty --save folder is left (the process ends without its hooks there; both stayed)', async () => {
  const started = path.join(marks, 'blocking.started');
  const model = userFile('blocking.js', `${MODEL_HEAD}
exports.loadData = async () => {
  require('fs').writeFileSync(${JSON.stringify(started)}, '');
  const end = Date.now() + 60_000;
  while (Date.now() < end) {} // user code that never yields: only SIGINT's default action ends it
  return { train: { xs: [[1, 2]], ys: [[1, 0]] } };
};`);
  const gone = async (paths: readonly string[]): Promise<string[]> => {
    const deadline = Date.now() + 5_000;
    while (paths.some((p) => existsSync(p)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return paths.filter((p) => existsSync(p));
  };
  const cases = [
    { argv: ['train', model, '--backend', 'cpu', '--max-lr', '0.05', '--epochs', '1', '--save', 'blockSave'], left: [path.join(dir, 'blockSave')], signal: 'SIGINT' as const },
    { argv: ['find-lr', model, '--backend', 'cpu', '--plot', 'block.png'], left: [path.join(dir, '.block.png.lrlab-lock')], signal: 'SIGKILL' as const },
  ];
  for (const { argv, left, signal } of cases) {
    rmSync(started, { force: true });
    const child = spawn(process.execPath, [bin, ...argv], { cwd: dir, detached: true, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    const deadline = Date.now() + 60_000;
    while (!existsSync(started) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(existsSync(started), `${argv[0]}: loadData started`);
    assert.ok(left.every((p) => existsSync(p)), `${argv[0]}: the run made ${left.join(', ')}`);
    process.kill(-child.pid!, signal);
    assert.equal(await exited, signal, `${argv[0]}: it ends by ${signal}`);
    assert.deepEqual(await gone(left), [], `${argv[0]} ended by ${signal}: left behind`);
  }
});

test('--save into a folder whose model.json is a folder: named as what blocks the save, not "give --save a file path" (it takes a folder)', () => {
  mkdirSync(path.join(dir, 'blocked', 'model.json'), { recursive: true });
  const r = lrlab(['train', ...CSV, '--max-lr', '0.05', '--epochs', '2', '--save', 'blocked']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(errorLines(r)[0] ?? '', /--save: \S+blocked\/model\.json is a folder, where model\.json would be written\. Remove or rename that folder, or give --save another folder\.$/);
});

test('temp files a killed save left behind are swept by the next save of the same files (they stayed for good); other files stay', () => {
  mkdirSync(path.join(dir, 'leftovers'));
  const stale = ['.model.json.624abf0a54ed.lrlab-tmp', '.weights.bin.0123456789ab.lrlab-tmp'];
  const theirs = ['.model.json.notes.tmp', 'keep.txt'];
  for (const name of [...stale, ...theirs]) writeFileSync(path.join(dir, 'leftovers', name), 'x');
  const r = lrlab(['train', ...CSV, '--max-lr', '0.05', '--epochs', '2', '--save', 'leftovers', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(path.join(dir, 'leftovers')).sort(), ['.model.json.notes.tmp', 'keep.txt', 'model.json', 'weights.bin']);
});

test('file size limit hit while saving: the result is printed, the exit is non-zero, nothing half-written is left', () => {
  const r = lrlab(['train', ...CSV, '--max-lr', '0.05', '--epochs', '2', '--save', 'full', '--json'], 2);
  const errors = errorLines(r);
  let result: { kind?: string; savedTo?: unknown; history?: unknown[]; warnings?: string[] } = {};
  try {
    result = JSON.parse(r.stdout) as typeof result;
  } catch {
    // asserted below
  }
  const left = existsSync(path.join(dir, 'full')) ? readdirSync(path.join(dir, 'full')) : [];
  const ok = r.status === 1 && result.kind === 'train' && result.savedTo === null && result.history?.length === 2 && (result.warnings ?? []).some((w) => /not saved/.test(w))
    && errors.length === 1 && /Could not write .*(weights\.bin|model\.json).*EFBIG.*nothing was written/.test(errors[0] ?? '') && left.length === 0;
  record('outputs: full disk', ok);
  assert.ok(ok, `${r.status} ${r.stderr}\nstdout: ${r.stdout.slice(0, 200)}\nleft: ${left.join(', ')}`);
});

test('file size limit hit while writing --plot: the JSON result is still printed, the old file is kept', () => {
  const old = userFile('kept.html', 'the previous plot\n');
  const r = lrlab(['find-lr', ...CSV, '--steps', '20', '--json', '--plot', old, '--force'], 20);
  const errors = errorLines(r);
  let kind: unknown = null;
  try {
    kind = (JSON.parse(r.stdout) as { kind: unknown }).kind;
  } catch {
    // asserted below
  }
  const ok = r.status === 1 && kind === 'find-lr' && errors.length === 1 && /Could not write .*kept\.html.*EFBIG/.test(errors[0] ?? '') && hashOf(old) === hashes.get(old);
  record('outputs: full disk', ok);
  assert.ok(ok, `${r.status} ${r.stderr}\nstdout: ${r.stdout.slice(0, 200)}`);
});

test('with room to write, --plot --force replaces the file whole, keeping its permissions, and --save writes a loadable model', () => {
  const plot = path.join(dir, 'replaced.html');
  // Private: the replacement stays so (it came back 644, readable by all).
  writeFileSync(plot, 'old');
  chmodSync(plot, 0o640);
  const p = lrlab(['find-lr', ...CSV, '--steps', '20', '--plot', plot, '--force']);
  const mode = (statSync(plot).mode & 0o777).toString(8);
  const s = lrlab(['train', ...CSV, '--max-lr', '0.05', '--epochs', '2', '--save', 'saved']);
  const again = lrlab(['find-lr', 'saved/model.json', '--data', 'iris.csv', '--label', 'species', '--backend', 'cpu', '--steps', '10', '--json']);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'saved', 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const ok = p.status === 0 && readFileSync(plot, 'utf8').startsWith('<!doctype html>') && mode === '640' && s.status === 0 && again.status === 0
    && manifest.weightsManifest[0]?.paths[0] === './weights.bin' && statSync(path.join(dir, 'saved', 'weights.bin')).size > 0;
  record('outputs: written whole', ok);
  assert.ok(ok, `mode ${mode}\n${p.stderr}\n${s.stderr}\n${again.stderr}`);
});

after(() => {
  for (const [file, hash] of hashes) if (!existsSync(file) || hashOf(file) !== hash) standing.userFilesModified++;
  // Partial files: a temp or lock file, or an empty file, anywhere under the test folder.
  const walk = (folder: string): string[] => readdirSync(folder, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(folder, e.name)) : [path.join(folder, e.name)]));
  const partial = walk(dir).filter((f) => /\.lrlab-(tmp|lock)$/.test(f) || statSync(f).size === 0);
  standing.partialFilesLeft += partial.length;
  rmSync(dir, { recursive: true, force: true });
  rmSync(marks, { recursive: true, force: true });
  process.stdout.write(`\nFault figures:\n${table()}\n`);
  assert.equal(standing.userFilesModified, 0);
  assert.deepEqual(partial, []);
});

test('a --plot file that appears while the command runs is kept, and the message says to give another path or --force (it said "pick another folder")', () => {
  const target = path.join(marks, 'appeared.html');
  const file = writingModel('appears', target, 'theirs');
  const r = lrlab(['find-lr', file, '--steps', '10', '--range-tests', '1', '--range-retries', '0', '--lr-trials', '0', '--backend', 'cpu', '--json', '--plot', target]);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(readFileSync(target, 'utf8'), 'theirs');
  assert.match(errorLines(r).join('\n'), /appeared\.html: the file appeared while LR Lab was writing it \(EEXIST\); nothing was written\. A file appeared at that path while LR Lab ran: give --plot another path \(or add --force to replace it\), then run again\./);
});
