/**
 * Fault suite, process lifetime (issue #16 items 7–9): no engine outlives its owner and every
 * engine's children die with it, even while user code blocks the engine's event loop; Ctrl-C
 * works while user code blocks; a SIGKILL is reported with its likely causes. Real processes
 * throughout: the `lrlab` CLI, the extension's EngineHost in a stand-in host process, and the
 * kernel's process table (/proc).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { record, standing, table } from './figures';
import { descendants, processTable, statFields } from '../processTree';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'lrlab');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-lifetime-'));
const started: number[] = [];

/** A process's state letter from /proc (R, S, T for stopped, Z, …), or null when it is gone. */
function stateOf(pid: number): string | null {
  return statFields(pid)?.[0] ?? null;
}

/** Whether `pid` is one of this checkout's processes (its engine, CLI, esbuild helper or watchdog): only those are ever killed here. */
function ours(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(root) || cmdline.includes('lrlab-watchdog');
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  const state = stateOf(pid);
  return state !== null && state !== 'Z';
}

/**
 * `promise`'s value, or null after `ms`. The timer is cleared when the promise settles first: a
 * pending one kept this file's process alive after its last test (120 s of every test run).
 */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

const MODEL = `const tf = require('@tensorflow/tfjs');
exports.createModel = () => { const m = tf.sequential(); m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })); return m; };
exports.loss = 'categoricalCrossentropy';
const data = () => ({ train: { xs: Array.from({ length: 64 }, (_, i) => [Math.cos(i), Math.sin(i)]), ys: Array.from({ length: 64 }, (_, i) => (Math.cos(i) > 0 ? [1, 0] : [0, 1])) } });`;

/** A model whose loadData (in an engine served over IPC only, when `onlyIpc`) marks that it runs and then blocks the event loop for good. */
function blockingModel(name: string, where: 'loadData' | 'createModel', onlyIpc = false): { file: string; marker: string } {
  const marker = path.join(dir, `${name}.running`);
  const guard = onlyIpc ? "process.env.LRLAB_ENGINE === 'ipc'" : 'true';
  // Written whole, then renamed: the test reads the pid as soon as the marker exists.
  const block = `if (${guard}) { const fs = require('fs'); fs.writeFileSync(${JSON.stringify(`${marker}.tmp`)}, String(process.pid)); fs.renameSync(${JSON.stringify(`${marker}.tmp`)}, ${JSON.stringify(marker)}); for (;;) {} }`;
  const body = where === 'loadData'
    ? `${MODEL}\nexports.loadData = async () => { ${block} return data(); };`
    : `${MODEL.replace('exports.createModel = () => {', `exports.createModel = () => { ${block}`)}\nexports.loadData = async () => data();`;
  const file = path.join(dir, `${name}.js`);
  writeFileSync(file, body);
  return { file, marker };
}

function track(child: ChildProcess): ChildProcess {
  if (child.pid !== undefined) started.push(child.pid);
  return child;
}

test('the editor host is SIGKILLed while user code blocks the engine: the engine, its esbuild helper and its watchdog are gone within 2 s', async () => {
  const { file, marker } = blockingModel('host-killed', 'loadData');
  const host = track(spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'engineOwner.ts'), file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }));
  const running = await until(() => existsSync(marker), 90_000);
  const engine = running ? Number(readFileSync(marker, 'utf8')) : -1;
  assert.ok(running && ours(engine), `the engine did not start (marker ${running}, pid ${engine})`);
  const group = [engine, ...descendants(engine)];
  group.forEach((p) => started.push(p));
  host.kill('SIGKILL');
  const gone = await until(() => group.every((p) => !alive(p)), 2000);
  const ok = running && group.length >= 3 && gone; // the engine, esbuild's wasm process, the watchdog
  record('engine lifetime', ok);
  assert.ok(ok, `running ${running}; group ${group.join(',')}; alive after 2 s: ${group.filter(alive).join(',')}`);
});

test('SIGTERM to `lrlab batch-size` while a child engine is in user code ends the child engines and their children', async () => {
  const { file, marker } = blockingModel('batch-term', 'loadData', true);
  const cli = track(spawn(process.execPath, [bin, 'batch-size', file, '--budget', '120s', '--sizes', '8,16', '--backend', 'cpu'], { cwd: dir, stdio: 'ignore' }));
  const running = await until(() => existsSync(marker), 90_000);
  assert.ok(running, 'no child engine started');
  const tree = descendants(cli.pid ?? -1).filter(ours);
  tree.forEach((p) => started.push(p));
  cli.kill('SIGTERM');
  const gone = await until(() => tree.every((p) => !alive(p)) && !alive(cli.pid ?? -1), 2000);
  const ok = running && tree.length >= 2 && gone;
  record('engine lifetime', ok);
  assert.ok(ok, `running ${running}; tree ${tree.join(',')}; alive after 2 s: ${tree.filter(alive).join(',')}`);
});

test('`lrlab find-lr --json | …` runs its CLI in a child (stdout only the result); SIGKILLed while user code blocks that child, the child and its watchdog are gone within 2 s', async () => {
  const { file, marker } = blockingModel('guard-killed', 'loadData');
  // stdout a pipe: the guard applies (resultGuard.ts).
  const cli = track(spawn(process.execPath, [bin, 'find-lr', file, '--backend', 'cpu', '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }));
  const running = await until(() => existsSync(marker), 90_000);
  const engine = running ? Number(readFileSync(marker, 'utf8')) : -1;
  assert.ok(running && ours(engine), `the CLI did not start (marker ${running}, pid ${engine})`);
  // The user code runs in the child, not in the process the shell started.
  assert.notEqual(engine, cli.pid);
  assert.equal(processTable().get(engine)?.[0], cli.pid, 'a child of lrlab');
  const tree = [engine, ...descendants(engine)];
  tree.forEach((p) => started.push(p));
  cli.kill('SIGKILL');
  const gone = await until(() => tree.every((p) => !alive(p)), 2000);
  const ok = running && tree.length >= 2 && gone; // the CLI's child and its watchdog
  record('engine lifetime', ok);
  assert.ok(ok, `running ${running}; tree ${tree.join(',')}; alive after 2 s: ${tree.filter(alive).join(',')}`);
});

test('`lrlab find-lr --json | …` whose guarded child is SIGKILLed from outside (the out-of-memory killer) says so and ends by that signal (exit 137 said nothing); a signal it passed on (SIGTERM) adds no line', async () => {
  for (const [name, signal] of [['guard-child-killed', 'SIGKILL'], ['guard-passed-on', 'SIGTERM']] as const) {
    const { file, marker } = blockingModel(name, 'loadData');
    const cli = track(spawn(process.execPath, [bin, 'find-lr', file, '--backend', 'cpu', '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stderr = '';
    cli.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => cli.once('exit', (code, sig) => resolve({ code, signal: sig })));
    const running = await until(() => existsSync(marker), 90_000);
    const child = running ? Number(readFileSync(marker, 'utf8')) : -1;
    assert.ok(running && ours(child) && child !== cli.pid, `the guarded child did not start (marker ${running}, pid ${child})`);
    started.push(child);
    // From outside: to the child itself. Passed on: to lrlab, which sends it on.
    if (signal === 'SIGKILL') process.kill(child, 'SIGKILL');
    else cli.kill('SIGTERM');
    const exit = await exited;
    await until(() => cli.stderr!.readableEnded, 2000);
    const lines = stderr.split('\n').filter((l) => /killed by/.test(l));
    assert.equal(exit.signal, signal, `${name}: ${JSON.stringify(exit)}`);
    if (signal === 'SIGKILL') assert.deepEqual(lines, ["lrlab: the run's process was killed by SIGKILL (the system's out-of-memory killer sends it, as does kill -9: if memory ran out, try a smaller --batch-size or less data); there is no result."]);
    else assert.deepEqual(lines, [], stderr);
  }
});

test('Ctrl-Z on `lrlab find-lr --json | …` stops the guarded child too (it trained on while its parent stood), and fg resumes both: the result comes whole', async () => {
  const file = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
  const job = terminalJob(['find-lr', file, '--backend', 'cpu', '--json', '--steps', '4000', '--range-tests', '1', '--lr-trials', '0', '--range-retries', '0']);
  // The guard's child: the node process the job started (stdout is a pipe, so the guard applies).
  let cli = -1;
  const found = await until(() => {
    cli = descendants(job.child.pid!).find((p) => processTable().get(p)?.[0] === job.child.pid && /lrlab/.test(readFileSync(`/proc/${p}/cmdline`, 'utf8'))) ?? -1;
    return cli > 0;
  }, 60_000);
  assert.ok(found, 'the guarded child started');
  await new Promise((r) => setTimeout(r, 1500));
  signalGroup(job.child, 'SIGTSTP');
  const stopped = await until(() => stateOf(cli) === 'T' && stateOf(job.child.pid!) === 'T', 5000);
  const states = `child ${stateOf(cli)}, parent ${stateOf(job.child.pid!)}`;
  signalGroup(job.child, 'SIGCONT');
  const resumed = await until(() => stateOf(cli) !== 'T' && stateOf(job.child.pid!) !== 'T', 5000);
  const exit = await within(job.exit, 120_000);
  if (exit === null) signalGroup(job.child, 'SIGKILL');
  let whole = false;
  try {
    whole = (JSON.parse(job.out()) as { kind?: string }).kind === 'find-lr';
  } catch {
    // not whole
  }
  const ok = stopped && resumed && exit?.code === 0 && whole;
  record('Ctrl-C', ok);
  assert.ok(ok, `stopped ${stopped} (${states}); resumed ${resumed}; exit ${JSON.stringify(exit)}; result whole ${whole}`);
});

/** Starts `lrlab` as a terminal's foreground job would be (its own process group), so Ctrl-C can go to the whole group. */
function terminalJob(argv: string[]): { child: ChildProcess; exit: Promise<{ code: number | null; signal: string | null }>; out: () => string; err: () => string } {
  const child = track(spawn(process.execPath, [bin, ...argv], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exit, out: () => out, err: () => err };
}

/** Ctrl-C as a terminal sends it: to the job's whole process group (never to pid 0, this test's own group). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  assert.ok(child.pid !== undefined && child.pid > 1);
  process.kill(-child.pid, signal);
}

test('Ctrl-C while createModel blocks the event loop ends lrlab at once (exit 130)', async () => {
  const { file, marker } = blockingModel('ctrl-c', 'createModel');
  const job = terminalJob(['find-lr', file, '--backend', 'cpu']);
  const running = await until(() => existsSync(marker), 90_000);
  const t0 = Date.now();
  signalGroup(job.child, 'SIGINT');
  const exit = await within(job.exit, 2000);
  const ok = running && exit !== null && (exit.signal === 'SIGINT' || exit.code === 130);
  if (exit === null) signalGroup(job.child, 'SIGKILL');
  record('Ctrl-C', ok);
  assert.ok(ok, `running ${running}; exit ${JSON.stringify(exit)} after ${Date.now() - t0} ms`);
});

test('SIGTERM and SIGHUP while createModel or loadData blocks the event loop end lrlab at once, by the signal (`timeout` and a closed terminal were ignored until SIGKILL)', async () => {
  for (const [signal, where] of [['SIGTERM', 'createModel'], ['SIGHUP', 'loadData']] as const) {
    const { file, marker } = blockingModel(`fatal-${signal}`, where);
    const job = terminalJob(['find-lr', file, '--backend', 'cpu']);
    const running = await until(() => existsSync(marker), 90_000);
    const t0 = Date.now();
    process.kill(job.child.pid!, signal);
    const exit = await within(job.exit, 2000);
    const ok = running && exit !== null && exit.signal === signal;
    if (exit === null) signalGroup(job.child, 'SIGKILL');
    record('engine lifetime', ok);
    assert.ok(ok, `${signal} in ${where}: running ${running}; exit ${JSON.stringify(exit)} after ${Date.now() - t0} ms`);
  }
});

test('Ctrl-C right after "Loading", while tfjs loads (the main thread busy, Ctrl-C\'s listener installed): each run exits 130 or by the signal, none trains to its end, and at most one first Ctrl-C in four is lost (a second one then stops the run)', async () => {
  const file = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');
  // Long enough (~0.02 s an epoch) that a run whose first Ctrl-C was lost is still training when the second comes.
  const argv = ['train', file, '--max-lr', '0.3', '--epochs', '1000', '--seed', '1'];
  const env = { ...process.env, LRLAB_CACHE_DIR: path.join(dir, 'cache-loading') };
  // Once first: its bundle is then cached, so the next ones go from "Loading" straight to tfjs.
  await new Promise((resolve) => track(spawn(process.execPath, [bin, 'train', file, '--max-lr', '0.3', '--epochs', '1'], { cwd: dir, env, stdio: 'ignore' })).on('exit', resolve));
  // The engine shares one CPU with a busy loop, as on a loaded machine: its main thread is descheduled
  // at any moment. Without `signalsDelivered` 11 first Ctrl-Cs in 16 were lost so; with it none in 32.
  const pinned = existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', '0'] : [];
  const busy = pinned.length > 0 ? track(spawn(pinned[0]!, [...pinned.slice(1), '/bin/sh', '-c', 'while :; do :; done'], { stdio: 'ignore' })) : null;
  const outcomes: string[] = [];
  let lost = 0;
  // Inside the loading (tfjs, the cached bundle) and at the user's code starting: 30 ms after "Loading"
  // came while a warm-up step held the thread after the loop's last poll, and 3 Ctrl-Cs in 4 were
  // lost there with two fixed turns before the listeners went (userCode.ts `signalsDelivered`). What
  // is left is a race inside libuv on a loaded machine (userCode.ts): a first Ctrl-C lost then is
  // one the run did not hear at all (no "stopping" line 3 s on), and the second must stop it.
  try {
    for (const delayMs of [5, 15, 30, 45]) {
      const command = [...pinned, process.execPath, bin, ...argv];
      const child = track(spawn(command[0]!, command.slice(1), { cwd: dir, detached: true, env, stdio: ['ignore', 'ignore', 'pipe'] }));
      let err = '';
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      const loading = await until(() => /Loading tinyClassifier\.js/.test(err), 60_000);
      await new Promise((r) => setTimeout(r, delayMs));
      signalGroup(child, 'SIGINT');
      let ended = await within(exit, 3000);
      let again = '';
      if (ended === null && !/lrlab: stopping/.test(err)) {
        lost++;
        again = ' after a second Ctrl-C';
        signalGroup(child, 'SIGINT');
      }
      ended ??= await within(exit, 30_000);
      if (ended === null) signalGroup(child, 'SIGKILL');
      outcomes.push(`${delayMs} ms: ${loading ? '' : 'never loading; '}${JSON.stringify(ended)}${again}${ended?.code === 0 ? ` (trained to its end)\n${err}` : ''}`);
    }
  } finally {
    busy?.kill('SIGKILL');
  }
  const ok = outcomes.every((o) => /"code":130|"signal":"SIGINT"/.test(o)) && lost <= 1;
  record('Ctrl-C', ok);
  assert.ok(ok, `${lost} first Ctrl-C lost\n${outcomes.join('\n')}`);
});

test('a loadData that never settles while a timer keeps the process alive: 10 s in, the user hears that LR Lab still waits for it (it waited silently for ever); Ctrl-C then ends it at once', async () => {
  const file = path.join(root, 'test', 'fixtures', 'models', 'neverLoads.js');
  const child = track(spawn(process.execPath, [bin, 'find-lr', file, '--backend', 'cpu'], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const loaded = await until(() => /Loading neverLoads\.js/.test(err), 90_000);
  const t0 = Date.now();
  const told = await until(() => /Still waiting/.test(err), 20_000);
  const waited = Date.now() - t0;
  // The notice names the call, the file and the time so far, on one line.
  const notice = /^lrlab: Still waiting for loadData\(\) in neverLoads\.js: 10 s so far \(the run goes on once the promise it returned settles\)\.$/m.test(err);
  signalGroup(child, 'SIGINT');
  const ended = await within(exit, 2000);
  if (ended === null) signalGroup(child, 'SIGKILL');
  const ok = loaded && told && notice && ended !== null && (ended.signal === 'SIGINT' || ended.code === 130) && out === '' && !/\n\s+at /.test(err);
  record('Ctrl-C', ok);
  assert.ok(ok, `loaded ${loaded}; told ${told} after ${waited} ms; exit ${JSON.stringify(ended)}; stderr:\n${err}`);
});

test('Ctrl-C while the model file compiles (esbuild\'s service in the same process group stops first) exits 130, cancelled, not "could not be compiled"', async () => {
  const file = path.join(dir, 'compiling.js');
  writeFileSync(file, `${MODEL}\nexports.loadData = async () => data();`);
  // No bundle cache: the file is compiled in this run, by esbuild's service process.
  const child = track(spawn(process.execPath, [bin, 'find-lr', file, '--backend', 'cpu'], { cwd: dir, detached: true, env: { ...process.env, LRLAB_BUNDLE_CACHE: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let err = '';
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const compiling = await until(() => descendants(child.pid!).some((p) => { try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('esbuild'); } catch { return false; } }), 60_000);
  signalGroup(child, 'SIGINT');
  const ended = await within(exit, 10_000);
  if (ended === null) signalGroup(child, 'SIGKILL');
  // Nothing trains yet: no "after this batch" (a user trial's Ctrl-C before its script's fit read so).
  const ok = compiling && ended?.code === 130 && /cancelled/i.test(err) && !/could not be compiled/.test(err) && !/\n\s+at /.test(err) && /lrlab: stopping \(Ctrl-C again to quit now\)/.test(err);
  record('Ctrl-C', ok);
  assert.ok(ok, `compiling ${compiling}; exit ${JSON.stringify(ended)}; stderr:\n${err}`);
});

test('Ctrl-C on `lrlab batch-size` stops it, prints what it measured and exits 130 like find-lr', async () => {
  const marker = path.join(dir, 'batch-int.running');
  const file = path.join(dir, 'batch-int.js');
  writeFileSync(file, `${MODEL}\nexports.loadData = async () => { if (process.env.LRLAB_ENGINE === 'ipc') require('fs').writeFileSync(${JSON.stringify(marker)}, ''); return data(); };`);
  const job = terminalJob(['batch-size', file, '--budget', '60s', '--sizes', '8,16', '--backend', 'cpu', '--json']);
  const running = await until(() => existsSync(marker), 90_000);
  signalGroup(job.child, 'SIGINT');
  const exit = await within(job.exit, 10_000);
  if (exit === null) signalGroup(job.child, 'SIGKILL');
  let cancelled = false;
  try {
    cancelled = (JSON.parse(job.out()) as { warnings: string[] }).warnings.some((w) => /Cancelled/.test(w));
  } catch {
    // asserted below
  }
  const ok = running && exit?.code === 130 && cancelled;
  record('Ctrl-C', ok);
  assert.ok(ok, `running ${running}; exit ${JSON.stringify(exit)}; stdout ${job.out().slice(0, 200)}`);
});

after(async () => {
  // Every process these cases started, at any depth, is gone (the watchdogs end within a moment of their engine).
  await until(() => started.every((p) => !alive(p)), 2000);
  const left = started.filter((p) => alive(p) && ours(p));
  standing.orphanProcesses += left.length;
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`\nFault figures:\n${table()}\n`);
  assert.deepEqual(left, []);
});

test('what a training script spawned before its fit call ends with the run (LR Lab stops the script at fit, so its own cleanup after fit never runs; a user trial found such a child living on under init)', async () => {
  const pidFile = path.join(dir, 'spawned.pid');
  const script = path.join(dir, 'spawns.mjs');
  writeFileSync(script, `import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const helper = spawn('sleep', ['600'], { stdio: 'ignore' });
writeFileSync(${JSON.stringify(pidFile)}, String(helper.pid));
const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
const xs = tf.tensor2d(Array.from({ length: 64 }, (_, i) => [Math.cos(i), Math.sin(i)]));
const ys = tf.tensor2d(Array.from({ length: 64 }, (_, i) => (Math.cos(i) > 0 ? [1, 0] : [0, 1])));
await model.fit(xs, ys, { epochs: 2 });
helper.kill();
`);
  const job = terminalJob(['find-lr', script, '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--backend', 'cpu']);
  const exit = await within(job.exit, 120_000);
  if (exit === null) signalGroup(job.child, 'SIGKILL');
  assert.equal(exit?.code, 0, job.out());
  const helper = Number(readFileSync(pidFile, 'utf8'));
  assert.ok(Number.isInteger(helper) && helper > 1);
  const gone = await until(() => !alive(helper), 2000);
  if (!gone) process.kill(helper, 'SIGKILL');
  record('engine lifetime', gone);
  assert.ok(gone, `the script's sleep (pid ${helper}) outlived the run`);
});

test('SIGTERM and SIGHUP to lrlab end what the model file spawned too (they skip the exit event the cleanup ran on; a reliability trial found the children living on)', async () => {
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    const pidFile = path.join(dir, `spawned-${signal}.pid`);
    const file = path.join(dir, `spawns-${signal}.js`);
    writeFileSync(file, `${MODEL}
const { spawn } = require('node:child_process');
exports.loadData = async () => {
  const helper = spawn('sleep', ['600'], { stdio: 'ignore' });
  require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(helper.pid));
  return data();
};
`);
    const job = terminalJob(['train', file, '--epochs', '10000', '--max-lr', '0.1', '--backend', 'cpu']);
    // Once training runs, past loadData: while user code runs, SIGTERM and SIGHUP take their default action
    // and nothing is cleaned up (userCode.ts says why); a signal sent the moment the pid file appeared,
    // still inside loadData, left the sleep behind on a loaded CI machine.
    const started = await until(() => existsSync(pidFile) && /^lrlab: Training /m.test(job.err()), 60_000);
    assert.ok(started, `${signal}: the model file's loadData did not run, or training did not start: ${job.err().slice(-300)}`);
    const helper = Number(readFileSync(pidFile, 'utf8'));
    process.kill(job.child.pid!, signal);
    const exit = await within(job.exit, 10_000);
    if (exit === null) signalGroup(job.child, 'SIGKILL');
    assert.equal(exit?.signal, signal, `${signal}: lrlab ends by the signal as before`);
    const gone = await until(() => !alive(helper), 2000);
    if (!gone) process.kill(helper, 'SIGKILL');
    record('engine lifetime', gone);
    assert.ok(gone, `${signal}: the model file's sleep (pid ${helper}) outlived lrlab`);
  }
});

test("a step that fills the threaded wasm backend's 4 GB heap ends with the reason, not a process spinning for good, deaf to Ctrl-C (a CNN at batch 16384 ran 10 minutes at 100% of a CPU)", { skip: os.totalmem() < 12 * 2 ** 30 && 'needs ~5 GB of free memory' }, async () => {
  const file = path.join(dir, 'full-heap.mjs');
  // One step of this conv at batch 6000 needs well over 4 GB (outputs, their gradients).
  writeFileSync(file, `import * as tf from '@tensorflow/tfjs';
export function createModel() {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  return m;
}
export function loadData() {
  const n = 8200;
  return { train: { xs: tf.randomUniform([n, 28, 28, 1]), ys: tf.oneHot(tf.randomUniform([n], 0, 2, 'int32'), 2).toFloat() } };
}
`);
  const cli = track(spawn(process.execPath, [bin, 'find-lr', file, '--batch-size', '6000', '--range-tests', '1', '--lr-trials', '0', '--steps', '3', '--backend', 'wasm'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LRLAB_WASM_THREADS: '2', LRLAB_HEAP_STUCK_MS: '3000' } }));
  let err = '';
  cli.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = await within(new Promise<{ code: number | null; signal: string | null }>((resolve) => cli.on('exit', (code, signal) => resolve({ code, signal }))), 90_000);
  if (exit === null) signalGroup(cli, 'SIGKILL');
  record('engine lifetime', exit !== null);
  assert.ok(exit !== null, `still running after 90 s: ${err.slice(-300)}`);
  assert.match(err, /Ran out of memory: the wasm backend's heap (reached the 4 GB WebAssembly allows|is at [\d.]+ GB of the 4 GB).*Use a smaller --batch-size/);
});
