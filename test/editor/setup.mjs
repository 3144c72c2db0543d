//@ts-check
/**
 * Makes sure the real-editor harness has what it needs (see shared/docs/editor-testing.md):
 *   - Debian: chromium (the browser Playwright drives), ripgrep (fed to @vscode/ripgrep so its
 *     postinstall does not download), libkrb5-dev (headers for code-server's `kerberos` module);
 *   - code-server@4.100.3 (VS Code 1.100.3) in `<repo>/.lrlab-cache/code-server`, outside the
 *     project's own dependency tree, so `npm install` stays light for users.
 * Idempotent and fast when everything is present (a few stat calls). Runs unattended as root
 * (CI=true, no stdin). Usable on its own: `node test/editor/setup.mjs`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE_DIR = path.join(REPO_ROOT, '.lrlab-cache', 'code-server');
export const CHROMIUM = '/usr/bin/chromium';
/** The launcher npm puts in .bin; it runs `node out/node/entry.js` with the same node. */
export const CODE_SERVER_BIN = path.join(CACHE_DIR, 'node_modules', '.bin', 'code-server');
/** Written last, only after a complete install: a half-finished install is redone, not used. */
const MARKER = path.join(CACHE_DIR, `.installed-${CODE_SERVER_VERSION}`);

// @vscode/ripgrep 1.15.11 (code-server 4.100.3) looks for this tarball before downloading.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = {
  x64: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz',
  arm64: 'ripgrep-v13.0.0-10-aarch64-unknown-linux-musl.tar.gz',
}[process.arch];

/** @param {string} message */
function log(message) {
  console.log(`[editor-setup] ${message}`);
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** @param {string} pkg */
function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureDebianPackages() {
  const codeServerMissing = !existsSync(MARKER);
  /** @type {string[]} */
  const need = [];
  if (!existsSync(CHROMIUM)) need.push('chromium');
  if (!existsSync('/usr/bin/rg')) need.push('ripgrep');
  // The headers only matter while building code-server's native modules.
  if (codeServerMissing && !dpkgInstalled('libkrb5-dev')) need.push('libkrb5-dev');
  if (need.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${need.join(' ')}; install them as root: apt-get install -y ${need.join(' ')}`);
  }
  log(`apt-get install ${need.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...need], { env });
}

function ensureCodeServer() {
  if (existsSync(MARKER) && existsSync(CODE_SERVER_BIN)) return;
  if (!RIPGREP_TARBALL) throw new Error(`no ripgrep tarball name known for arch ${process.arch}`);
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(REPO_ROOT, CACHE_DIR)} (about a minute)`);
  const started = Date.now();
  rmSync(CACHE_DIR, { recursive: true, force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  // Its own package.json makes this folder npm's prefix: nothing lands in the project's tree.
  writeFileSync(path.join(CACHE_DIR, 'package.json'), JSON.stringify({ name: 'lrlab-code-server-cache', private: true }, null, 2) + '\n');

  // Debian's rg in place of @vscode/ripgrep's download (the tarball holds `rg` at its root).
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lrlab-cs-install-'));
  try {
    const rgCache = path.join(tmp, RIPGREP_CACHE);
    mkdirSync(rgCache, { recursive: true });
    run('tar', ['-czf', path.join(rgCache, RIPGREP_TARBALL), '-C', '/usr/bin', 'rg']);
    // Under `npm run`, npm exports its own context (npm_config_local_prefix=<repo>, npm_package_*,
    // npm_lifecycle_*): drop it so this install only sees CACHE_DIR (also pinned with --prefix).
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !/^npm_(config_(local_prefix|prefix|global_prefix|user_agent)|package_|lifecycle_|command$|execpath$|node_execpath$)/i.test(k) && k !== 'INIT_CWD',
      ),
    );
    const env = {
      ...inherited,
      TMPDIR: tmp,
      // root's npm config has yes=false, which cancels an `npx node-gyp` inside node-pty's install;
      // code-server refuses to install as root without unsafe-perm.
      npm_config_yes: 'true',
      npm_config_unsafe_perm: 'true',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      npm_config_update_notifier: 'false',
    };
    run('npm', ['install', '--prefix', CACHE_DIR, '--no-save', '--no-package-lock', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: CACHE_DIR,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!existsSync(CODE_SERVER_BIN)) throw new Error(`code-server install finished but ${CODE_SERVER_BIN} is missing`);
  writeFileSync(MARKER, new Date().toISOString() + '\n');
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** @returns {{ codeServer: string, chromium: string }} */
export function ensureEditorDeps() {
  ensureDebianPackages();
  ensureCodeServer();
  return { codeServer: CODE_SERVER_BIN, chromium: CHROMIUM };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  ensureEditorDeps();
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
