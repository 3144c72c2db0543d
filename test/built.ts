/**
 * The build some tests run: the CLI/engine process (dist/engine.js), the language server
 * (dist/server.js) and the library (dist/lib). `npm test` builds before these suites; when a
 * build is missing, the test that needs it fails naming the fix — it never skips itself.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';

const dist = path.join(__dirname, '..', 'dist');

/** The path of `dist/<name>`, asserting it exists. */
export function built(name: 'engine.js' | 'launch.js' | 'server.js' | 'lib/index.cjs'): string {
  const file = path.join(dist, name);
  assert.ok(existsSync(file), `${file} is missing: run \`npm run build\` (npm test builds before running these tests)`);
  return file;
}
