//@ts-check
/**
 * Runs the test files of several folders as one pool, `--jobs` files at a time (default 2), each in
 * its own `node --import tsx --test` process, longest first (by test/durations.json, written with
 * `--record`; a file not listed there goes first, as if it were the longest): with the engine, fault
 * and scale-out suites run one after another, each one's last long file ran alone while the other
 * CPU waited for the next suite. Each file's output is printed whole when it ends (not interleaved),
 * then one line per file with its time, and the failures again at the end.
 *
 *   node scripts/node-tests.mjs [--jobs N] [--alone FILE]... [--record] test/engine test/faults test/distributed
 *
 * `--alone FILE`: that file runs after the pool, with nothing beside it (tests of wall-clock budgets).
 *
 * Exit status 1 when any file fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const durationsFile = path.join(root, 'test', 'durations.json');

const args = process.argv.slice(2);
let jobs = 2;
let record = false;
/** @type {string[]} */
const folders = [];
/** @type {string[]} Files that run after the pool, one at a time with nothing beside them (`--alone FILE`). */
const alone = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] ?? '';
  if (a === '--jobs') {
    jobs = Number(args[++i]);
    if (!Number.isInteger(jobs) || jobs < 1) {
      console.error(`node-tests: --jobs must be a whole number ≥ 1, got ${args[i]}`);
      process.exit(2);
    }
  } else if (a === '--alone') {
    const file = args[++i];
    if (file === undefined) {
      console.error('node-tests: --alone needs a test file');
      process.exit(2);
    }
    alone.push(file);
  } else if (a === '--record') record = true;
  else folders.push(a);
}
if (folders.length === 0) {
  console.error('node-tests: name the test folders, e.g. test/engine test/faults');
  process.exit(2);
}

/** @type {Record<string, number>} */
const known = existsSync(durationsFile) ? /** @type {Record<string, number>} */ (JSON.parse(readFileSync(durationsFile, 'utf8'))) : {};
const files = folders.flatMap((folder) =>
  readdirSync(path.join(root, folder))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.posix.join(folder.split(path.sep).join('/'), f)),
);
files.sort((a, b) => (known[b] ?? Infinity) - (known[a] ?? Infinity) || a.localeCompare(b));
for (const file of alone) {
  if (!files.includes(file)) {
    console.error(`node-tests: --alone ${file} is not a test file of ${folders.join(', ')}`);
    process.exit(2);
  }
}

/** @type {{ file: string; ok: boolean; seconds: number; cpu: number | null; tests: string; failure: string }[]} */
const done = [];
const started = Date.now();
// GNU time, where there is one, gives each file's CPU seconds (its process and every process it
// waited for: the CLI runs and engines it started): on 2 CPUs that, not the wall time of a file
// that mostly waits, is what a file costs the pool.
const timesDir = gnuTimeFolder();
if (timesDir !== null) process.on('exit', () => rmSync(timesDir, { recursive: true, force: true }));
let fileCount = 0;

/**
 * A folder for GNU time's reports where `/usr/bin/time` is GNU time (it ran a bare node and wrote
 * its two numbers), else null: BusyBox's and BSD's refuse `-q`/`-f`, and every file would fail.
 */
function gnuTimeFolder() {
  if (!existsSync('/usr/bin/time')) return null;
  let dir;
  try {
    dir = mkdtempSync(path.join(os.tmpdir(), 'node-tests-'));
  } catch {
    return null;
  }
  const probe = path.join(dir, 'probe.txt');
  const r = spawnSync('/usr/bin/time', ['-q', '-f', '%U %S', '-o', probe, process.execPath, '-e', ''], { stdio: 'ignore' });
  if (r.status === 0 && cpuSeconds(probe) !== null) return dir;
  rmSync(dir, { recursive: true, force: true });
  return null;
}

/** @param {string} file */
function runFile(file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    // LRLAB_TEST_RUN: the files of one run share their figures (test/faults/figures.ts) by it.
    const argv = ['--import', 'tsx', '--test', '--test-reporter=spec', file];
    const timesFile = timesDir === null ? null : path.join(timesDir, `${fileCount++}.txt`);
    const [command, commandArgs] = timesFile === null ? [process.execPath, argv] : ['/usr/bin/time', ['-q', '-f', '%U %S', '-o', timesFile, process.execPath, ...argv]];
    const child = spawn(command, commandArgs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LRLAB_TEST_RUN: String(process.pid) } });
    /** @type {Buffer[]} */
    const out = [];
    child.stdout.on('data', (/** @type {Buffer} */ d) => out.push(d));
    child.stderr.on('data', (/** @type {Buffer} */ d) => out.push(d));
    child.on('close', (code, signal) => {
      const text = Buffer.concat(out).toString('utf8');
      const seconds = (Date.now() - t0) / 1000;
      const ok = code === 0;
      const count = /^ℹ tests (\d+)/m.exec(text)?.[1] ?? '?';
      const failed = /^ℹ fail (\d+)/m.exec(text)?.[1] ?? '?';
      const cpu = cpuSeconds(timesFile);
      if (timesFile !== null) rmSync(timesFile, { force: true });
      // Under GNU time a file killed by a signal exits 128 + its number: named as without it.
      const killedBy = timesFile !== null && code !== null && code > 128 ? Object.entries(os.constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
      process.stdout.write(`\n=== ${file} (${seconds.toFixed(1)} s${cpu === null ? '' : `, ${cpu.toFixed(1)} s of CPU`}, ${ok ? 'passed' : `FAILED: exit ${killedBy ?? code ?? signal}`})\n${text}`);
      done.push({ file, ok, seconds, cpu, tests: `${count} tests, ${failed} failed`, failure: ok ? '' : failureOf(text) });
      resolve(undefined);
    });
  });
}

/**
 * User + system seconds GNU time wrote for a file, or null (no GNU time, or it wrote nothing readable).
 * @param {string | null} file
 */
function cpuSeconds(file) {
  if (file === null || !existsSync(file)) return null;
  const fields = readFileSync(file, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  return fields.length === 2 && fields.every(Number.isFinite) ? (fields[0] ?? 0) + (fields[1] ?? 0) : null;
}

/**
 * What a failed file's output says about its failures, short enough for the tail of a CI log (which is
 * all a CI report may keep): the spec reporter's closing "failing tests" section, or, for a file that
 * died without one (a crash, a timeout), its last lines.
 * @param {string} text
 */
function failureOf(text) {
  const at = text.lastIndexOf('✖ failing tests:');
  const part = at >= 0 ? text.slice(at) : text.split('\n').slice(-40).join('\n');
  return part.length > 4000 ? `${part.slice(0, 4000)}\n… (${part.length - 4000} more characters above, in the file's output)` : part;
}

const queue = files.filter((f) => !alone.includes(f));
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runFile(file);
  }),
);
// Files whose tests hold runs to a wall-clock budget: beside two others on 2 CPUs, a recipe's 20 s
// budget overran by 5.8 s, and a stall stopped its confirming cycle at three quarters (CI, twice).
for (const file of alone) await runFile(file);

const wall = (Date.now() - started) / 1000;
const total = done.reduce((s, d) => s + d.seconds, 0);
const cpus = done.map((d) => d.cpu).filter((c) => c !== null);
const cpuNote = cpus.length === done.length ? `, ${cpus.reduce((s, c) => s + c, 0).toFixed(1)} s of CPU on ${os.availableParallelism()} CPUs` : '';
console.log(`\n${done.length} files, ${jobs} at a time: ${wall.toFixed(1)} s (${total.toFixed(1)} s of file time${cpuNote})`);
for (const d of [...done].sort((a, b) => b.seconds - a.seconds)) console.log(`  ${d.ok ? 'ok  ' : 'FAIL'} ${d.seconds.toFixed(1).padStart(6)} s ${d.cpu === null ? '' : `${d.cpu.toFixed(1).padStart(6)} s CPU `} ${d.file} (${d.tests})`);
if (record) {
  for (const d of done) known[d.file] = Math.round(d.seconds * 10) / 10;
  writeFileSync(durationsFile, `${JSON.stringify(Object.fromEntries(Object.entries(known).sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`);
  console.log(`recorded: ${path.relative(root, durationsFile)}`);
}
const failed = done.filter((d) => !d.ok);
if (failed.length > 0) {
  for (const d of failed) console.log(`\n--- ${d.file} failed:\n${d.failure.trimEnd()}`);
  console.log(`\n${failed.length} file(s) failed: ${failed.map((d) => d.file).join(', ')}`);
  process.exit(1);
}
