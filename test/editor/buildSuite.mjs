//@ts-check
// Builds the extension-host mocha suite (test/editor/suite/*.ts) to out/test/suite/*.js.
// `vscode` and `mocha` stay external: the extension host provides the first, node_modules the second.
import * as esbuild from 'esbuild';
import path from 'node:path';
import { REPO_ROOT } from './setup.mjs';

export const SUITE_INDEX = path.join(REPO_ROOT, 'out', 'test', 'suite', 'index.js');

export async function buildSuite() {
  await esbuild.build({
    entryPoints: ['index.ts', 'extension.test.ts'].map((f) => path.join(REPO_ROOT, 'test', 'editor', 'suite', f)),
    outdir: path.dirname(SUITE_INDEX),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return SUITE_INDEX;
}
