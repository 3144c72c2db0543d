/**
 * The import boundaries in ARCHITECTURE.md are ESLint rules (eslint.config.mjs); this proves they
 * fire: each line below is linted with the rule ESLint computes for a real file in that folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const root = path.join(__dirname, '..', '..');

async function violations(fileInFolder: string, code: string): Promise<string[]> {
  const config = (await new ESLint({ cwd: root }).calculateConfigForFile(path.join(root, fileInFolder))) as { rules?: Record<string, Linter.RuleEntry> };
  const rule = config.rules?.['no-restricted-imports'];
  assert.ok(rule !== undefined, `no-restricted-imports is configured for ${fileInFolder}`);
  const messages = new Linter({ configType: 'flat' }).verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-imports': rule } }], { filename: path.join(root, fileInFolder) });
  return messages.map((m) => m.message);
}

const cases: ReadonlyArray<{ file: string; code: string; fails: boolean }> = [
  { file: 'src/extension/ctx.ts', code: "import { loadTf } from '../engine/tfjs';", fails: true },
  { file: 'src/extension/ctx.ts', code: "import type { LoadedModel } from '../engine/session';", fails: true },
  { file: 'src/extension/ctx.ts', code: "import { scanModelFile } from '../server/scanner';", fails: true },
  { file: 'src/extension/ctx.ts', code: "import * as tf from '@tensorflow/tfjs';", fails: true },
  { file: 'src/extension/ctx.ts', code: "import { COMMANDS } from '../protocol/commandIds';\nimport { oneCycle } from '../core/schedules';", fails: false },
  { file: 'src/server/server.ts', code: "import * as vscode from 'vscode';", fails: true },
  { file: 'src/server/server.ts', code: "import { bundle } from '../engine/bundler';", fails: true },
  { file: 'src/server/server.ts', code: "import { RunStore } from '../extension/runStore';", fails: true },
  { file: 'src/server/server.ts', code: "import { formatLr } from '../protocol/format';", fails: false },
  { file: 'src/core/schedules.ts', code: "import { loadTf } from '../engine/tfjs';", fails: true },
  { file: 'src/core/schedules.ts', code: "import { readFileSync } from 'node:fs';", fails: true },
  { file: 'webview/panel.ts', code: "import { oneCycle } from '../src/core/schedules';", fails: true },
  { file: 'src/engine/session.ts', code: "import * as vscode from 'vscode';", fails: true },
];

for (const c of cases) {
  test(`${path.dirname(c.file)}: ${c.code.split('\n')[0]} ${c.fails ? 'fails lint' : 'passes'}`, async () => {
    const found = await violations(c.file, c.code);
    if (c.fails) assert.ok(found.length > 0, 'the boundary rule did not fire');
    else assert.deepEqual(found, []);
  });
}
