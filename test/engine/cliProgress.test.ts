/**
 * The CLI as a user runs it in CI or a pipe (no terminal): progress on stderr as each epoch / size /
 * step completes, the result alone on stdout; and the `lrlab train …` line that `recipe` prints,
 * pasted in the same folder, trains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { built } from '../built';
import type { TrainResult } from '../../src/protocol/results';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'lrlab');
const fixtures = path.join(root, 'test', 'fixtures');

/** Runs lrlab with stdout and stderr as pipes; each stderr line with the stdout bytes seen before it. */
function runPiped(args: string[], cwd = root, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: { line: string; stdoutBefore: number }[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let partial = '';
    const stderr: { line: string; stdoutBefore: number }[] = [];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) stderr.push({ line, stdoutBefore: stdout.length });
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('train without a terminal: each epoch row on stderr as it completes, before the result; stdout is the result alone', async () => {
  built('engine.js');
  const { code, stdout, stderr } = await runPiped(['train', path.join(fixtures, 'engine', 'tinyClassifier.js'), '--policy', 'smith', '--max-lr', '0.1', '--epochs', '3', '--batch-size', '32', '--seed', '1', '--json']);
  assert.equal(code, 0, stderr.map((l) => l.line).join('\n'));
  const result = JSON.parse(stdout) as TrainResult;
  assert.equal(result.history.length, 3);
  const rows = stderr.filter((l) => /^\s+[123] /.test(l.line));
  assert.equal(rows.length, 3, stderr.map((l) => l.line).join('\n'));
  assert.ok(stderr.some((l) => /epoch\s+train loss/.test(l.line)), 'the table header');
  // As it goes: every row arrived before any of the result.
  for (const r of rows) assert.equal(r.stdoutBefore, 0, `row '${r.line}' came after the result began`);
  assert.match(rows[0]!.line, /^\s+1\s/);
});

test('train without a terminal: within a long epoch, a progress line at least every LRLAB_QUIET_LINE_MS (15 s by default), before its row (a 1-epoch run on 60,000 images said nothing for minutes)', async () => {
  built('engine.js');
  const { code, stderr } = await runPiped(['train', path.join(fixtures, 'engine', 'tinyClassifier.js'), '--policy', 'smith', '--max-lr', '0.1', '--epochs', '1', '--batch-size', '1', '--seed', '1', '--json'], root, { LRLAB_QUIET_LINE_MS: '50' });
  assert.equal(code, 0, stderr.map((l) => l.line).join('\n'));
  const lines = stderr.map((l) => l.line);
  const row = lines.findIndex((l) => /^\s+1\s/.test(l));
  const within = lines.slice(0, row).filter((l) => /^lrlab: (?:\d+% )?epoch 1\/1, batch \d+\/\d+, loss /.test(l));
  assert.ok(row > 0 && within.length >= 1, lines.join('\n'));
});

test('batch-size without a terminal: a line per size as it completes, on stderr only', async () => {
  built('engine.js');
  const { code, stdout, stderr } = await runPiped(['batch-size', path.join(fixtures, 'engine', 'tinyClassifier.js'), '--sizes', '16,32', '--budget', '10s', '--range-steps', '20', '--seed', '1']);
  const text = stderr.map((l) => l.line).join('\n');
  assert.equal(code, 0, text);
  // Largest first (a size larger than the data is skipped before the others share the budget).
  assert.match(text, /batch 32 \(1\/2\)/);
  // The size's own completion line (trained, or skipped when a loaded machine's start-up ate its share).
  assert.match(text, /batch 32 \(1\/2\)(?: done: \d+ epochs? in|: skipped)/);
  assert.match(text, /batch 16 \(2\/2\)/);
  assert.match(text, /range test: \d+ steps? in/);
  for (const l of stderr) assert.equal(l.stdoutBefore, 0, 'progress before the result');
  assert.match(stdout, /^Batch size study: tinyClassifier\.js — 2 batch sizes in/);
  assert.doesNotMatch(stdout, /^lrlab: /m, 'no progress on stdout');
});

test('the train command that recipe prints, pasted in the same folder, trains', async () => {
  built('engine.js');
  // The path as a user types it, relative to where they are.
  const recipe = await runPiped(['recipe', path.join('engine', 'tinyClassifier.js'), '--budget', '6s', '--seed', '1', '--validation-split', '0.25'], fixtures);
  assert.equal(recipe.code, 0, recipe.stderr.map((l) => l.line).join('\n'));
  const line = recipe.stdout.trimEnd().split('\n').at(-1)!;
  assert.match(line, /^lrlab train engine\/tinyClassifier\.js --seed 1 --validation-split 0.25 --policy smith --max-lr \S+ --min-lr \S+ .*--batch-size \d+ --epochs \d+$/);
  assert.doesNotMatch(line, /\d\.\d{5,}/, 'numbers formatted');
  const pasted = spawnSync('sh', ['-c', `${line} --json`], { cwd: fixtures, encoding: 'utf8', env: { ...process.env, PATH: `${path.join(root, 'bin')}${path.delimiter}${process.env['PATH'] ?? ''}` } });
  assert.equal(pasted.status, 0, pasted.stderr);
  const trained = JSON.parse(pasted.stdout) as TrainResult;
  assert.equal(trained.kind, 'train');
  assert.ok(trained.history.length >= 1);
});

test('progress names a file as one printable line: a name holding a line break and a terminal escape is not written raw', async () => {
  built('engine.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-name-'));
  try {
    const file = path.join(dir, 'evil\n\x1b[31mname.js');
    copyFileSync(path.join(fixtures, 'engine', 'tinyClassifier.js'), file);
    const { code, stderr } = await runPiped(['find-lr', file, '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--seed', '1', '--json']);
    assert.equal(code, 0, stderr.map((l) => l.line).join('\n'));
    const loading = stderr.find((l) => l.line.startsWith('lrlab: Loading evil'));
    assert.equal(loading?.line, 'lrlab: Loading evil \\x1b[31mname.js');
    assert.ok(stderr.every((l) => !l.line.includes('\x1b')), stderr.map((l) => l.line).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Ctrl-C after a run has ended, while its command still writes its result (a --plot drawn, the text printed), is noted, not fatal: the result comes out and the command exits 130; a second Ctrl-C quits at once', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-cli-hold-'));
  try {
    const script = (second: boolean): string => `
      const { runInterruptible, takeInterrupted, endReporting } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'engine', 'cli', 'common.ts'))});
      const said: string[] = [];
      const io = { out: (t: string) => said.push(t), err: (t: string) => said.push(t), startedAt: Date.now() };
      (async () => {
        const value = await runInterruptible(io, 'probe', async () => 42);
        // The run is over; its command is still writing what it got.
        process.kill(process.pid, 'SIGINT');
        await new Promise((resolve) => setTimeout(resolve, 200));
        ${second ? "process.kill(process.pid, 'SIGINT'); await new Promise((resolve) => setTimeout(resolve, 2000));" : ''}
        const interrupted = takeInterrupted();
        endReporting();
        console.log(JSON.stringify({ value, interrupted, said, listeners: process.listenerCount('SIGINT') }));
      })();`;
    const run = (second: boolean): ReturnType<typeof spawnSync> => {
      const file = path.join(dir, second ? 'twice.ts' : 'once.ts');
      writeFileSync(file, script(second));
      return spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 60_000 });
    };
    const once = run(false);
    assert.equal(once.status, 0, `${String(once.stderr)} (signal ${String(once.signal)})`);
    const r = JSON.parse(String(once.stdout).trim()) as { value: number; interrupted: boolean; said: string[]; listeners: number };
    assert.equal(r.value, 42);
    assert.equal(r.interrupted, true, 'the command then exits 130 (runCli)');
    assert.ok(r.said.some((t) => t.includes('the run has ended; writing its result first (Ctrl-C again to quit now)')), r.said.join('|'));
    assert.equal(r.listeners, 0, 'endReporting gives Ctrl-C back');
    const twice = run(true);
    assert.equal(twice.status, 130, String(twice.stderr));
    assert.equal(String(twice.stdout).trim(), '', 'quit at the second Ctrl-C');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
