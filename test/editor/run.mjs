//@ts-check
/**
 * `npm run test:editor`: UI tests of the packaged extension in a real VS Code (code-server
 * 4.100.3, the VS Code 1.100.3 extension host) driven by Debian's chromium via playwright-core.
 *
 *   1. setup.mjs: Debian packages and code-server in .lrlab-cache/ (first time only);
 *   2. build what `npm run package` ships (minified, no source maps) into a staging folder, package
 *      the VSIX from it (.vscodeignore decides its files) and print its size: dist/'s development
 *      build, which the other suites run, stays as it is;
 *   3. start code-server (all its directories in a fresh temp folder), install the VSIX;
 *   4. run tests.mjs in order, each with its own browser context and a timeout;
 *   5. always stop the browser and the server's whole process group.
 * Prints `N passed, N failed` last; exits non-zero on any failure. Screenshots (and on failure the
 * server and extension-host logs) go to test-results/editor/.
 * Options: `--grep TEXT` runs only tests whose name contains TEXT; `--order reverse` or
 * `--order shuffle:SEED` runs them in another order (each test opens its own windows and
 * folders, so any order passes); `--no-build` packages dist/ as
 * it is (a development build then, if that is what dist/ holds); LRLAB_EDITOR_KEEP=1 keeps the server's temp
 * folder.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RESULTS_DIR, launchBrowser, openWorkbench, packageVsix, screenshot, serverLogs, startServer, stop, stopServer } from './harness.mjs';
import { REPO_ROOT, ensureEditorDeps } from './setup.mjs';
import { tests } from './tests.mjs';

const WORKSPACE = path.join(REPO_ROOT, 'test', 'editor', 'fixtures', 'workspace');
const RUN_LIMIT_MS = 8 * 60_000; // a hung run must still end (and stop what it started)
const started = Date.now();
const secs = (/** @type {number} */ since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const grepAt = process.argv.indexOf('--grep');
const grep = grepAt >= 0 ? process.argv[grepAt + 1] : undefined;
const noBuild = process.argv.includes('--no-build');
const orderAt = process.argv.indexOf('--order');
const order = orderAt >= 0 ? (process.argv[orderAt + 1] ?? 'listed') : 'listed';

/**
 * The tests in the order asked for: `listed`, `reverse`, or `shuffle:SEED` (a seeded
 * Fisher–Yates), to show that no test depends on what an earlier one did or left behind.
 * @template T
 * @param {T[]} list
 * @returns {T[]}
 */
function ordered(list) {
  if (order === 'listed') return list;
  if (order === 'reverse') return [...list].reverse();
  const seed = /^shuffle:(\d+)$/.exec(order)?.[1];
  if (seed === undefined) throw new Error(`--order must be listed, reverse or shuffle:SEED, got ${order}`);
  let state = Number(seed) >>> 0;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [/** @type {T} */ (out[j]), /** @type {T} */ (out[i])];
  }
  return out;
}
const selected = ordered(tests.filter((t) => grep === undefined || t.name.includes(grep)));

/**
 * The VSIX holds only what runs: no sources, tests, source maps or node_modules; and what the
 * engine needs without an install step (the bundles, tfjs' .wasm files, esbuild-wasm).
 * @param {string} vsix
 */
function checkVsixContents(vsix) {
  const names = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' }).trim().split('\n');
  const bad = names.filter((n) => /\.map$|\.ts$|^extension\/(src|test|webview|node_modules|bench|examples)\//.test(n));
  const required = ['extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/engine.js', 'extension/dist/launch.js', 'extension/dist/workerBeat.js', 'extension/dist/webview.js', 'extension/dist/tfjs-backend-wasm-simd.wasm', 'extension/dist/tfjs-backend-wasm-threaded-simd.wasm', 'extension/dist/wasm-threads/tfjs-backend-wasm-threaded-simd.js', 'extension/dist/wasm-threads/tfjs-backend-wasm-threaded-simd.worker.js', 'extension/dist/esbuild-wasm/esbuild.wasm', 'extension/dist/esbuild-wasm/lib/main.js', 'extension/dist/fma/gemm.wasm', 'extension/dist/fma/gemm-shared.wasm'];
  const missing = required.filter((n) => !names.includes(n));
  if (bad.length > 0 || missing.length > 0) throw new Error(`VSIX contents: unexpected ${bad.join(', ') || 'none'}; missing ${missing.join(', ') || 'none'}`);
  console.log(`VSIX: ${names.length} files, no sources/tests/maps, engine runtime files present`);
}

/** @type {import('./harness.mjs').Server | undefined} */
let server;
/** @type {import('playwright-core').Browser | undefined} */
let browser;
let passed = 0;
let failed = 0;
let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  const s = server;
  const b = browser;
  server = undefined;
  browser = undefined;
  await stop({ server: s, browser: b, keepRoot: process.env['LRLAB_EDITOR_KEEP'] === '1' });
  if (s && process.env['LRLAB_EDITOR_KEEP'] === '1') console.log(`kept ${s.root}`);
}
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the editor`);
    void shutdown().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  console.error(`editor tests: still running after ${RUN_LIMIT_MS / 60_000} min; stopping`);
  void shutdown().finally(() => {
    console.log(`${passed} passed, ${failed + 1} failed`);
    process.exit(1);
  });
}, RUN_LIMIT_MS);
watchdog.unref();

/** Copies the server's own log and the workbench/extension-host logs next to the screenshots. */
function saveLogs() {
  if (!server) return;
  const dir = path.join(RESULTS_DIR, 'logs');
  mkdirSync(dir, { recursive: true });
  for (const file of [server.logFile, ...serverLogs(server, /\.log$/)]) {
    const rel = path.relative(server.root, file).replace(/^user-data[\\/]logs[\\/]/, '').replace(/[\\/ ]/g, '_');
    try {
      copyFileSync(file, path.join(dir, rel));
    } catch {
      // a log that went away is no reason to fail twice
    }
  }
}

/**
 * @param {Promise<void>} work
 * @param {number} ms
 * @param {string} what
 */
function withTimeout(work, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  if (selected.length === 0) throw new Error(`no editor test matches --grep ${grep ?? ''}`);
  if (order !== 'listed') console.log(`order: ${order}`);
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });

  let t = Date.now();
  const { codeServer } = ensureEditorDeps();
  console.log(`setup: ${secs(t)}`);

  t = Date.now();
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-vsix-'));
  /** Servers a test started itself (e.g. with workspace trust on); stopped after that test. */
  /** @type {import('./harness.mjs').Server[]} */
  const extraServers = [];
  let vsixPath = '';
  try {
    const { vsix, bytes } = packageVsix(outDir, { build: !noBuild });
    vsixPath = vsix;
    console.log(`${noBuild ? '' : 'build + '}package: ${secs(t)}; VSIX ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`);
    checkVsixContents(vsix);

    t = Date.now();
    server = await startServer({ codeServer, vsix });
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  browser = await launchBrowser(path.join(server.root, 'browser'));
  console.log(`server (port ${server.port}) + browser: ${secs(t)}`);

  for (const test of selected) {
    if (stopping) break; // the run limit stopped the editor: no test can run on it now
    const testStarted = Date.now();
    /** @type {import('playwright-core').Page[]} */
    const pages = [];
    /** @type {string[]} */
    const notes = [];
    const srv = server;
    const brw = browser;
    /** @type {import('./tests.mjs').TestContext} */
    const ctx = {
      server: srv,
      browser: brw,
      workspace: WORKSPACE,
      open: async (options = {}) => {
        const page = await openWorkbench(brw, srv, { folder: WORKSPACE, ...options });
        pages.push(page);
        return page;
      },
      note: (line) => notes.push(line),
      startServer: async (options = {}) => {
        const extra = await startServer({ codeServer, vsix: vsixPath, ...options });
        extraServers.push(extra);
        return extra;
      },
    };
    try {
      await withTimeout(test.fn(ctx), test.timeoutMs ?? 90_000, test.name);
      passed++;
      console.log(`  ✔ ${test.name} (${secs(testStarted)})`);
    } catch (error) {
      failed++;
      console.log(`  ✘ ${test.name} (${secs(testStarted)})`);
      console.log(String(error instanceof Error ? (error.stack ?? error.message) : error).replace(/^/gm, '      '));
      const slug = test.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      for (const [i, page] of pages.entries()) {
        const file = await screenshot(page, `FAILED-${slug}${i ? `-${i}` : ''}`).catch(() => undefined);
        if (file) console.log(`      screenshot: ${path.relative(REPO_ROOT, file)}`);
      }
    } finally {
      for (const line of notes) console.log(`      ${line}`);
      for (const page of pages) await page.context().close().catch(() => undefined);
      for (const extra of extraServers.splice(0)) await stopServer(extra).catch(() => undefined);
    }
  }
  rmSync(outDir, { recursive: true, force: true });
}

try {
  await main();
} catch (error) {
  failed++;
  console.error(`editor tests: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  if (failed > 0) {
    saveLogs();
    console.log(`logs: ${path.relative(REPO_ROOT, path.join(RESULTS_DIR, 'logs'))}/`);
  }
  await shutdown();
}
console.log(`editor tests: ${secs(started)} in all`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
