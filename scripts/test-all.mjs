//@ts-check
/**
 * `npm test`: every check and test, arranged for a 2-CPU machine.
 *
 *   1. the real-editor suite's setup (`test/editor/setup.mjs`: code-server into .lrlab-cache/, Debian
 *      packages where missing) starts at once in the background — a fresh machine spends about a
 *      minute in npm and the network there, which used to be a minute of idle CPUs before the editor
 *      tests;
 *   2. `npm run build` (the engine, CLI and library tests run dist/);
 *   3. one pool, three at a time, longest first (`scripts/node-tests.mjs`): the type checks, the
 *      linters, and the unit, language-server, engine, fault and scale-out test files — one after
 *      another before the pool, the checks and the unit and server tests kept one CPU busy for
 *      ~4 minutes;
 *   4. the real-editor suite (`npm run test:editor`), once its setup is done and the pool passed.
 *
 * Exits non-zero where any of them failed (a failed setup or pool skips the editor suite).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const secs = (/** @type {number} */ since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * Runs a command to its end, its output printed whole when it ends (the pool prints beside it).
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<{ ok: boolean; text: string; seconds: string }>}
 */
function captured(command, args) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {Buffer[]} */
    const out = [];
    child.stdout.on('data', (/** @type {Buffer} */ d) => out.push(d));
    child.stderr.on('data', (/** @type {Buffer} */ d) => out.push(d));
    child.on('error', (error) => resolve({ ok: false, text: `${Buffer.concat(out).toString('utf8')}${String(error)}\n`, seconds: secs(t0) }));
    child.on('close', (code, signal) => resolve({ ok: code === 0, text: `${Buffer.concat(out).toString('utf8')}${code === 0 ? '' : `exited with ${code ?? signal}\n`}`, seconds: secs(t0) }));
  });
}

/**
 * Runs a command with this process's output, to its end (the setup above still collects meanwhile).
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<boolean>}
 */
function inherited(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`npm test: ${command} ${args.join(' ')}: ${String(error)}`);
      resolve(false);
    });
    child.on('close', (code) => resolve(code === 0));
  });
}

/** @param {boolean} ok */
function finish(ok) {
  console.log(`\nnpm test: ${ok ? 'passed' : 'FAILED'} in ${secs(started)}`);
  process.exit(ok ? 0 : 1);
}

const setup = captured(process.execPath, [path.join('test', 'editor', 'setup.mjs')]).then((r) => {
  process.stdout.write(`\n=== editor setup, in the background (${r.seconds}, ${r.ok ? 'done' : 'FAILED'})\n${r.text}`);
  return r;
});

if (!(await inherited('npm', ['run', '-s', 'build']))) {
  await setup;
  finish(false);
}
const pool = await inherited(process.execPath, [
  path.join('scripts', 'node-tests.mjs'),
  '--jobs',
  '3',
  '--job',
  'typecheck=npm run -s typecheck',
  '--job',
  'lint=npm run -s lint',
  '--alone',
  'test/engine/studies.test.ts',
  'test/unit',
  'test/server',
  'test/engine',
  'test/faults',
  'test/distributed',
]);
const editorSetup = await setup;
if (!pool || !editorSetup.ok) finish(false);
finish(await inherited('npm', ['run', '-s', 'test:editor']));
