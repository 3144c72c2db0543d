/**
 * A fresh engine-like process for a test that needs one (tfjs keeps one backend per process, and the
 * wasm build and thread count are fixed when it starts): writes `source` as a TypeScript file in
 * `dir`, runs it with tsx from the repository root, and returns the JSON of its last output line.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
let count = 0;

/** An import specifier for a file under src/engine, for the probe's source. */
export const engineModule = (...parts: string[]): string => JSON.stringify(path.join(root, 'src', 'engine', ...parts));

/** `imports` at the top; `body` runs in an async function, then the process exits 0 (1 on a throw). */
export function probeJson(dir: string, imports: string, body: string, env: Record<string, string> = {}): Record<string, unknown> {
  const file = path.join(dir, `probe${count++}.ts`);
  writeFileSync(file, `${imports}\n(async () => { ${body} })().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}
