/**
 * Where a tfjs-node may be — the workspace's own (`@tensorflow/tfjs-node-gpu`, then
 * `@tensorflow/tfjs-node`), then LR Lab's optional one — and what is known about it before it is
 * loaded: its version, its native addon, the fix to offer. Nothing here loads tfjs (tfjs.ts does).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';

/** The GPU build first: a workspace that installed it wants it. */
const NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
type NodePackage = (typeof NODE_PACKAGES)[number];

export interface NodeCandidate {
  readonly name: NodePackage;
  readonly source: 'workspace' | 'extension';
  readonly entry: string;
  readonly dir: string;
  readonly version: string | null;
  /** Why it is there but cannot be loaded (its package.json unreadable): said, and the backend falls back. */
  readonly broken?: string;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function packageDirOf(entry: string, name: string): string {
  let dir = path.dirname(entry);
  for (;;) {
    if (readJson(path.join(dir, 'package.json'))?.['name'] === name) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.dirname(entry);
    dir = up;
  }
}

function findNodePackage(from: NodeJS.Require, name: NodePackage, source: NodeCandidate['source']): NodeCandidate | null {
  let entry: string;
  try {
    entry = from.resolve(name);
  } catch (error) {
    // Not installed: no candidate. Installed but unreadable (a truncated package.json): one that says so,
    // rather than wasm without a word.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND') return null;
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return { name, source, entry: name, dir: name, version: null, broken: `cannot be resolved (${first})` };
  }
  const dir = packageDirOf(entry, name);
  const version = readJson(path.join(dir, 'package.json'))?.['version'];
  return { name, source, entry, dir, version: typeof version === 'string' ? version : null };
}

/** The workspace's own tfjs-node(-gpu), resolved from the workspace folder upwards as its code would. */
export function workspaceCandidate(workspaceDir: string | undefined): NodeCandidate | null {
  if (workspaceDir === undefined) return null;
  const fromWorkspace = createRequire(path.join(path.resolve(workspaceDir), 'package.json'));
  for (const name of NODE_PACKAGES) {
    const found = findNodePackage(fromWorkspace, name, 'workspace');
    if (found !== null) return found;
  }
  return null;
}

/** LR Lab's optional tfjs-node: there for CLI users; a VSIX never has it. */
export function extensionCandidate(): NodeCandidate | null {
  return findNodePackage(require, '@tensorflow/tfjs-node', 'extension');
}

export function where(candidate: NodeCandidate): string {
  return candidate.source === 'workspace' ? `your workspace's ${candidate.name}` : `LR Lab's ${candidate.name}`;
}

export function rebuildFix(candidate: NodeCandidate): string {
  return `Run \`npm rebuild ${candidate.name}\` in ${candidate.source === 'workspace' ? 'your workspace' : candidate.dir}, or use --backend wasm.`;
}

/**
 * tfjs-node's index requires tfjs first and its native addon (built by its install script with
 * node-pre-gyp into lib/napi-v*) last; look for the addon before requiring anything.
 */
export function missingAddon(candidate: NodeCandidate): string | null {
  const binary = readJson(path.join(candidate.dir, 'package.json'))?.['binary'];
  if (typeof binary !== 'object' || binary === null) return null;
  const moduleName = (binary as { module_name?: unknown }).module_name;
  const addon = `${typeof moduleName === 'string' ? moduleName : 'tfjs_binding'}.node`;
  const lib = path.join(candidate.dir, 'lib');
  let folders: string[] = [];
  try {
    folders = readdirSync(lib);
  } catch {
    // no lib/ at all: the install script never ran
  }
  if (folders.some((folder) => existsSync(path.join(lib, folder, addon)))) return null;
  return `${where(candidate)} is installed but its native addon (${addon}) was never built: its install script did not run (some package managers skip install scripts)`;
}

export function notTfjs4(candidate: NodeCandidate, version: string, file: string): LrLabError {
  return new LrLabError('backend', `${where(candidate)} is version ${version}; LR Lab needs TensorFlow.js 4.x.`, {
    fix: `Upgrade it (npm install ${candidate.name}@4), or run with --backend wasm to use LR Lab's own tfjs.`,
    file,
    option: 'backend',
  });
}
