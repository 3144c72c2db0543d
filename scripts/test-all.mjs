//@ts-check
/**
 * `npm test`: every check and test, arranged for a 2-CPU machine.
 *
 *   1. the real-editor suite's setup (`test/editor/setup.mjs`: code-server into .lrlab-cache/, Debian
 *      packages where missing) starts at once in the background: a fresh machine spends a minute or
 *      more in npm and the network there, beside the checks below, which keep one CPU busy;
 *   2. the type checks, the linters, the build, the unit and the language-server tests, one after
 *      another;
 *   3. the engine, fault and scale-out files as one pool (`npm run test:integration`);
 *   4. the real-editor suite (`npm run test:editor`), once its setup is done.
 *
 * Stops at the first step that fails (the editor suite also where its setup failed), exiting non-zero.
 * Measured on a clean clone (`bash .ci/run`, 2026-12-05): the checks and the unit and server tests
 * moved into the pool beside the engine files cost the pool what the idle CPU saved (it is bound by
 * what the tests compute: 18 min 53 s against 18 min 31 s), so they run before it. The type checks
 * and the linters run one after the other for the same reason: side by side they took 70 s, one after
 * the other 61 s.
 *
 * Where the CPU goes (2026-12-06, one pool run with every Node process's CPU time recorded at its
 * exit): the pool's 1,137 CPU-seconds are 427 CLI engine processes (325 s, 0.76 s each: most are
 * short runs and refusals), 48 editor-style engines (151 s), 105 esbuild-wasm services bundling a
 * model file not seen before (73 s, 0.69 s each) and the test files' own processes (346 s, training
 * in-process). Each workbench window the editor suite opens costs ~9 CPU-seconds to load and ~6 more
 * in the seconds after (code-server, chromium, the extension host), whatever the test then does.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const secs = (/** @type {number} */ since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * Runs a command to its end, its output printed whole when it ends (the steps print beside it).
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

for (const step of ['typecheck', 'lint', 'build', 'test:unit', 'test:server', 'test:integration']) {
  if (!(await inherited('npm', ['run', '-s', step]))) {
    await setup;
    finish(false);
  }
}
const editorSetup = await setup;
if (!editorSetup.ok) finish(false);
finish(await inherited('npm', ['run', '-s', 'test:editor']));
