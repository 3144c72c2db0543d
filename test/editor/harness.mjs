//@ts-check
/**
 * Real-editor harness: code-server 4.100.3 (VS Code 1.100.3) driven by Debian's chromium through
 * playwright-core. See shared/docs/editor-testing.md for why and for the selectors.
 *
 *   const { codeServer } = ensureEditorDeps();          // setup.mjs
 *   const { vsix } = packageVsix(outDir);              // a production build, packed
 *   const server = await startServer({ codeServer, vsix });
 *   const browser = await launchBrowser(path.join(server.root, 'browser'));
 *   const page = await openWorkbench(browser, server, { folder });
 *   await runCommand(page, 'Preview 1cycle schedule');
 *   ...
 *   await stop({ server, browser });   // always, in a finally
 *
 * Everything waits on conditions (selectors, HTTP answers, process exit), never on fixed sleeps.
 * Suites inside the extension host (the route @vscode/test-electron takes on desktops, e.g. a
 * mocha runner's index.js exporting `run()`) go through `runExtensionHostTests`, built on
 * `openWorkbench(..., { extensionDevelopmentPath, extensionTestsPath, onAutomationExit })`: the
 * workbench reports the runner's output and exit code to the page.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, REPO_ROOT } from './setup.mjs';

export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'editor');

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {unknown} error */
export function errorText(error) {
  return error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
}

/**
 * Polls `check` until it returns a truthy value (returned) or `timeoutMs` passes (throws).
 * @template T
 * @param {() => T | Promise<T>} check
 * @param {{ timeoutMs?: number, intervalMs?: number, what?: string }} [options]
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitFor(check, { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  /** @type {unknown} */
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value) return /** @type {NonNullable<T>} */ (value);
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${errorText(lastError)}` : ''}`);
    }
    await delay(intervalMs);
  }
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function runSync(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}\n${String(result.stdout ?? '')}${String(result.stderr ?? '')}`);
  }
  return result;
}

/**
 * The entries at the top of this checkout that .vscodeignore lets back into a VSIX (the first path
 * segment of each of its `!` lines, `*` as a wildcard), dist/ aside, and .vscodeignore itself: what a
 * staging folder needs beside its dist/ for vsce to pack the same files (read from the allow-list,
 * so the two cannot drift apart).
 * @returns {string[]}
 */
function stagedRootEntries() {
  const allowed = readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).trim().split('/')[0] ?? '')
    .filter((first) => first !== '' && first !== 'dist')
    .map((first) => new RegExp(`^${first.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  return ['.vscodeignore', ...readdirSync(REPO_ROOT).filter((name) => allowed.some((pattern) => pattern.test(name)))];
}

/**
 * Packages the extension as the Marketplace would get it (files chosen by .vscodeignore), from a
 * staging folder in `outDir` holding the manifest, its documents, media and `dist/`. With `build`
 * (the default), that dist/ is the build `npm run package` ships (minified, no source maps), made
 * there; without it, a copy of this checkout's dist/ as it is. The checkout's own dist/ (the
 * development build the other suites run) is never touched: the suite used to build over it and
 * then build it again (two builds, ~19 s of a 2-CPU machine; one into the staging folder, packed,
 * takes ~4.5).
 * @param {string} outDir
 * @param {{ build?: boolean }} [options]
 * @returns {{ vsix: string, bytes: number }}
 */
export function packageVsix(outDir, { build = true } = {}) {
  const stage = path.join(outDir, 'extension');
  mkdirSync(stage, { recursive: true });
  // checkVsixContents in run.mjs checks what vsce packed from it.
  for (const name of stagedRootEntries()) cpSync(path.join(REPO_ROOT, name), path.join(stage, name), { recursive: true });
  if (build) runSync(process.execPath, ['esbuild.mjs', '--production', '--outdir', path.join(stage, 'dist')], { stdio: 'inherit' });
  else cpSync(path.join(REPO_ROOT, 'dist'), path.join(stage, 'dist'), { recursive: true });
  const vsix = path.join(outDir, 'lrlab.vsix');
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  // --no-dependencies: dist/ is bundled; whatever node_modules the VSIX needs is named in .vscodeignore.
  runSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: stage });
  return { vsix, bytes: statSync(vsix).size };
}

/** @returns {Promise<number>} a port free on 127.0.0.1 right now */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {object} Server
 * @property {number} port
 * @property {string} url          http://127.0.0.1:PORT
 * @property {string} root         the per-run temp folder that holds every directory the server writes
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} logFile      the server's stdout and stderr
 * @property {import('node:child_process').ChildProcess} proc  leader of its own process group
 * @property {Promise<number | null>} exited
 */

/**
 * Starts code-server on a free loopback port with every directory isolated in a fresh temp folder,
 * after installing `vsix` (if given) into its extensions dir. Resolves once /healthz answers.
 * `workspaceTrust: true` keeps VS Code's workspace trust on (the default run disables it).
 * @param {{ codeServer: string, vsix?: string, settings?: Record<string, unknown>, workspaceTrust?: boolean }} options
 * @returns {Promise<Server>}
 */
export async function startServer({ codeServer, vsix, settings = {}, workspaceTrust = false }) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lrlab-editor-'));
  const dir = (/** @type {string} */ name) => {
    const p = path.join(root, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  const userDataDir = dir('user-data');
  const extensionsDir = dir('extensions');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: dir('config'),
    XDG_DATA_HOME: dir('data'),
    XDG_CACHE_HOME: dir('cache'),
    TMPDIR: dir('tmp'),
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
  };
  delete env['VSCODE_IPC_HOOK_CLI'];
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'typescript.disableAutomaticTypeAcquisition': true,
        // TypeScript's syntax server only. The tests' folders live inside LR Lab's repository, whose
        // tsconfig.json includes examples/: examples/mnist-mlp/model.ts opened had the semantic server
        // type-check all of LR Lab (src, test, bench), still busy when the test clicked (measured
        // 2026-12-06: that lens test 56–62 → 46–49 CPU-s, its first point 1.6–2.3 → 0.9–1.9 s; the
        // whole editor suite 478 → 412 CPU-s, 282 → 246 s).
        // A user's own project is not ours to check; LR Lab uses none of the semantic features.
        'typescript.tsserver.useSyntaxServer': 'always',
        'git.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'telemetry.telemetryLevel': 'off',
        ...settings,
      },
      null,
      2,
    ),
  );
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  if (vsix) runSync(codeServer, [...common, '--install-extension', vsix], { env });

  const port = await freePort();
  const logFile = path.join(root, 'server.log');
  const log = createWriteStream(logFile);
  const proc = spawn(
    codeServer,
    [
      ...common,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    // detached: a new session and process group (setsid), so `stop` can kill the whole group;
    // killing the main pid alone leaves a file watcher behind.
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout?.pipe(log);
  proc.stderr?.pipe(log);
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  /** @type {Server} */
  const server = { port, url: `http://127.0.0.1:${port}`, root, userDataDir, extensionsDir, logFile, proc, exited };
  try {
    let dead = false;
    void exited.then(() => (dead = true));
    await waitFor(
      async () => {
        if (dead) throw new Error(`code-server exited early; log:\n${readFileSync(logFile, 'utf8')}`);
        return (await httpStatus(`${server.url}/healthz`)) === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'code-server /healthz' },
    );
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  return server;
}

/**
 * GET without keep-alive (a pooled fetch socket would hold the process open for seconds at exit).
 * @param {string} url
 * @returns {Promise<number | undefined>}
 */
function httpStatus(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in 2 s`)));
    req.on('error', reject);
  });
}

/**
 * Kills the server's whole process group: SIGTERM, then SIGKILL if it lingers.
 * @param {Server} server
 */
export async function stopServer(server) {
  const pid = server.proc.pid;
  if (pid === undefined) return;
  const killGroup = (/** @type {NodeJS.Signals} */ signal) => {
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  if (!killGroup('SIGTERM')) return;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const exited = await Promise.race([
    server.exited.then(() => true),
    new Promise((resolve) => (timer = setTimeout(() => resolve(false), 5000))),
  ]);
  clearTimeout(timer); // a pending timer would keep the process alive for 5 s
  // The main process may exit before the rest of its group (the file watcher, the extension host).
  if (!exited) killGroup('SIGKILL');
  await waitFor(() => !groupAlive(pid), { timeoutMs: 5000, intervalMs: 50, what: `process group ${pid} to end` }).catch(() => killGroup('SIGKILL'));
}

/** @param {number} pgid */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Launches Debian's chromium headless. `dir` keeps what chromium writes outside its profile
 * (crash reports under $XDG_CONFIG_HOME/chromium, caches) out of the real home: pass a folder
 * inside the server's temp root.
 * @param {string} dir
 * @returns {Promise<import('playwright-core').Browser>}
 */
export function launchBrowser(dir) {
  mkdirSync(path.join(dir, 'config'), { recursive: true });
  mkdirSync(path.join(dir, 'cache'), { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_CACHE_HOME: path.join(dir, 'cache') },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Opens a workbench window on `folder` in a fresh browser context and waits until it is usable
 * (workbench rendered, explorer listing the folder).
 * With `extensionDevelopmentPath`/`extensionTestsPath` (absolute paths on this machine) it loads
 * the extension in development mode and runs the tests module inside the extension host; pass
 * `onAutomationLog`/`onAutomationExit` to receive the runner's output and exit code.
 * @param {import('playwright-core').Browser} browser
 * @param {Server} server
 * @param {{
 *   folder: string,
 *   extensionDevelopmentPath?: string,
 *   extensionTestsPath?: string,
 *   onAutomationLog?: (type: string, args: unknown[]) => void,
 *   onAutomationExit?: (code: number) => void,
 *   viewport?: { width: number, height: number },
 * }} options
 * @returns {Promise<import('playwright-core').Page>}
 */
export async function openWorkbench(browser, server, options) {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  const page = await context.newPage();
  if (options.onAutomationLog) await page.exposeFunction('codeAutomationLog', options.onAutomationLog);
  if (options.onAutomationExit) await page.exposeFunction('codeAutomationExit', options.onAutomationExit);
  const remote = (/** @type {string} */ p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  /** @type {[string, string][]} */
  const payload = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  let url = `${server.url}/?folder=${encodeURIComponent(options.folder)}`;
  if (payload.length > 0) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  // Only until the navigation commits: the condition that matters is the workbench itself (the
  // page's whole 'load', with playwright's default 30 s, timed out on a cold server under load).
  await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  return page;
}

/**
 * Runs a tests module inside the extension host, the way @vscode/test-electron does on desktops:
 * the extension at `extensionDevelopmentPath` loads in development mode (it wins over an installed
 * copy with the same id) and the workbench calls `run()` exported by `extensionTestsPath` (e.g. a
 * mocha runner). Resolves with the exit code the workbench reports (0: passed) and the runner's
 * console output. Paths are absolute paths on this machine. Tests see `vscode.env.uiKind` Web.
 * @param {import('playwright-core').Browser} browser
 * @param {Server} server
 * @param {{ folder: string, extensionDevelopmentPath: string, extensionTestsPath: string, timeoutMs?: number, echo?: boolean }} options
 * @returns {Promise<{ code: number, output: string[] }>}
 */
export async function runExtensionHostTests(browser, server, options) {
  /** @type {string[]} */
  const output = [];
  /** @type {(code: number) => void} */
  let onExit = () => undefined;
  const exited = new Promise((resolve) => (onExit = resolve));
  const page = await openWorkbench(browser, server, {
    folder: options.folder,
    extensionDevelopmentPath: options.extensionDevelopmentPath,
    extensionTestsPath: options.extensionTestsPath,
    onAutomationLog: (type, args) => {
      // The runner's console output arrives here mixed with the workbench's own log lines.
      const line = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      output.push(`${type}: ${line}`);
      if (options.echo) console.log(`      [exthost ${type}] ${line}`);
    },
    onAutomationExit: (code) => onExit(code),
  });
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  try {
    const code = await Promise.race([
      exited,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('extension-host tests did not report an exit code in time')), options.timeoutMs ?? 120_000))),
    ]);
    return { code: /** @type {number} */ (code), output };
  } finally {
    clearTimeout(timer);
    await page.context().close().catch(() => undefined);
  }
}

/**
 * Runs a command from the palette by its title as shown there (category included or not).
 * @param {import('playwright-core').Page} page
 * @param {string} title e.g. 'Preview 1cycle schedule' or 'LR Lab: Preview 1cycle schedule'
 */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  // The palette lists the commands known when it opens; in a window whose extension host is
  // still registering contributions (slow under load) it can open without ours: close, retry.
  await waitFor(
    async () => {
      if (!(await input.isVisible())) {
        await page.keyboard.press('F1'); // occasionally swallowed while the workbench settles
        if (!(await input.isVisible())) return false;
      }
      await input.fill(`>${title}`);
      if (await row.waitFor({ timeout: 4_000 }).then(() => true, () => false)) return true;
      await page.keyboard.press('Escape');
      return false;
    },
    { timeoutMs: 45_000, intervalMs: 500, what: `'${title}' in the command palette` },
  );
  // The list filters as you type: wait until the first row is ours before pressing Enter.
  await waitFor(async () => (await page.locator('.quick-input-list .monaco-list-row').first().innerText()).includes(title), {
    timeoutMs: 10_000,
    what: `'${title}' at the top of the palette`,
  });
  await page.keyboard.press('Enter');
}

/**
 * Opens a workspace file through Quick Open (Control+P) and waits for its tab to be the active
 * one. Like the palette, Quick Open can swallow its key while the workbench settles: retried.
 * A path (`mnist-mlp/model.ts`) is typed as is; the row and the tab are matched by its last part,
 * the row also by the folder (Quick Open shows the folder beside the name).
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
export async function quickOpen(page, name) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const base = path.basename(name);
  const folder = path.dirname(name);
  const rows = page.locator('.quick-input-list .monaco-list-row', { hasText: base });
  const row = (folder === '.' ? rows : rows.filter({ hasText: folder })).first();
  await waitFor(
    async () => {
      if (!(await input.isVisible())) {
        await page.keyboard.press('Control+P');
        if (!(await input.isVisible())) return false;
      }
      await input.fill(name);
      if (await row.waitFor({ timeout: 4_000 }).then(() => true, () => false)) return true;
      await page.keyboard.press('Escape');
      return false;
    },
    { timeoutMs: 45_000, intervalMs: 500, what: `'${name}' in Quick Open` },
  );
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: base }).waitFor({ timeout: 20_000 });
}

/**
 * Waits for an input box whose prompt (or title) contains `prompt`, optionally types a value,
 * and presses Enter; resolves once that input box has gone away or shows another prompt.
 * @param {import('playwright-core').Page} page
 * @param {string} prompt
 * @param {string} [value] leave undefined to accept the default
 */
export async function answerInputBox(page, prompt, value) {
  // One quick-input widget serves every prompt and stays in the DOM when it closes (with its
  // last text): it counts only while it is visible *and* shows this prompt.
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const asking = async () => (await widget.isVisible()) && (await widget.innerText()).includes(prompt);
  await waitFor(asking, { timeoutMs: 30_000, what: `the input box '${prompt}' (visible)` });
  if (value !== undefined) {
    await input.fill(value);
    await waitFor(async () => (await input.inputValue()) === value && (await asking()), { timeoutMs: 10_000, what: `'${value}' typed into the open input box '${prompt}'` });
  }
  await input.press('Enter');
  await waitFor(async () => !(await widget.isVisible()) || !(await widget.innerText()).includes(prompt), {
    timeoutMs: 10_000,
    what: `input box '${prompt}' to close`,
  });
}

/**
 * Reads the visible lines of the Output panel editor (the monaco view lines in the DOM).
 * Only rendered lines are in the DOM: scroll first (see `scrollOutput`) to see other parts.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string[]>}
 */
export async function outputLines(page) {
  // (Page-side callbacks: the project's type-check has no DOM lib, so elements are cast to their shape.)
  /** @type {{ top: number, text: string }[]} */
  const rows = await page.locator('.part.panel .monaco-editor .view-lines .view-line').evaluateAll((els) =>
    /** @type {{ style: { top: string }, textContent: string | null }[]} */ (/** @type {unknown} */ (els)).map((el) => ({
      top: parseFloat(el.style.top) || 0,
      text: el.textContent ?? '',
    })),
  );
  // view lines are absolutely positioned, not in order in the DOM
  const lines = rows.sort((a, b) => a.top - b.top).map((r) => r.text);
  return lines.map((l) => l.replace(/\u00a0/g, ' '));
}

/**
 * Moves the Output panel editor's cursor to the top or the bottom of the channel.
 * @param {import('playwright-core').Page} page
 * @param {'top' | 'bottom'} where
 */
export async function scrollOutput(page, where) {
  await page.locator('.part.panel .monaco-editor .view-lines').first().click();
  await page.keyboard.press(where === 'top' ? 'Control+Home' : 'Control+End');
}

/**
 * Waits until the Output panel shows channel `name` and a line containing `text` (scrolling to the
 * top first, since the panel follows the end of the channel).
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {string} text
 * @returns {Promise<string[]>} the visible lines once found
 */
export async function waitForOutput(page, name, text) {
  await waitFor(() => activeOutputChannel(page).then((n) => n === name), { timeoutMs: 20_000, what: `output channel '${name}'` });
  return waitFor(
    async () => {
      let lines = await outputLines(page);
      if (lines.some((l) => l.includes(text))) return lines;
      await scrollOutput(page, 'top');
      lines = await outputLines(page);
      return lines.some((l) => l.includes(text)) ? lines : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 250, what: `'${text}' in output channel '${name}'` },
  );
}

/**
 * The channel selected in the Output view's dropdown, or undefined when the panel is not showing it.
 * @param {import('playwright-core').Page} page
 */
export async function activeOutputChannel(page) {
  const select = page.locator('.part.panel select.monaco-select-box').first();
  if (!(await select.isVisible())) return undefined;
  /** @type {string | undefined} */
  const name = await select.evaluate((el) => {
    const s = /** @type {{ options: { text: string }[], selectedIndex: number }} */ (/** @type {unknown} */ (el));
    return s.options[s.selectedIndex]?.text;
  });
  return name;
}

/**
 * Activation time of an extension as the workbench shows it in "Developer: Show Running
 * Extensions", e.g. '12ms'; undefined if it does not show in time.
 * @param {import('playwright-core').Page} page
 * @param {string} displayName
 */
export async function activationTime(page, displayName) {
  await runCommand(page, 'Developer: Show Running Extensions');
  const list = page.locator('.runtime-extensions-editor .monaco-list').first();
  const row = list.locator('.monaco-list-row', { hasText: displayName }).first();
  try {
    await list.locator('.monaco-list-row').first().waitFor({ timeout: 15_000 });
    // The list renders only the rows in view: scroll until ours is rendered (or the end is reached).
    await waitFor(
      async () => {
        if ((await row.count()) > 0) return true;
        await list.hover();
        await page.mouse.wheel(0, 300);
        return false;
      },
      { timeoutMs: 10_000, intervalMs: 200, what: `'${displayName}' in Running Extensions` },
    );
    const text = (await row.locator('.activation-time').first().innerText({ timeout: 5_000 })).trim();
    return text.replace(/^Activation:\s*/i, '');
  } catch {
    return undefined;
  }
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} name file name without extension, under test-results/editor/
 */
export async function screenshot(page, name) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Log files under the server's user-data-dir whose name matches `pattern` (e.g. /exthost.*\.log$/).
 * @param {Server} server
 * @param {RegExp} pattern
 * @returns {string[]}
 */
export function serverLogs(server, pattern) {
  /** @type {string[]} */
  const found = [];
  const walk = (/** @type {string} */ d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (pattern.test(e.name)) found.push(p);
    }
  };
  walk(path.join(server.userDataDir, 'logs'));
  return found;
}

/**
 * Closes the browser and stops the server; never throws, safe to call with either missing.
 * @param {{ server?: Server, browser?: import('playwright-core').Browser, keepRoot?: boolean }} what
 */
export async function stop({ server, browser, keepRoot = false }) {
  if (browser) await browser.close().catch((/** @type {unknown} */ e) => console.error(`browser close: ${String(e)}`));
  if (server) {
    await stopServer(server).catch((/** @type {unknown} */ e) => console.error(`server stop: ${String(e)}`));
    if (!keepRoot) rmSync(server.root, { recursive: true, force: true });
  }
}
