/**
 * What an engine started ahead saves the editor's runs (src/extension/engineHost.ts, prestart.ts):
 *
 *   npx tsx bench/engineAhead.ts [--runs 3]
 *
 * The extension's own EngineHost (outside the editor: it needs no vscode at run time) runs the
 * default `find-lr` on a copy of examples/mnist-mlp, timed from the request to the first point the
 * host hears (what the panel then draws), five ways, alternating:
 *   - cold: a fresh engine for the run (what every run after the first got before each run's end
 *     started the next engine ahead);
 *   - ahead: an engine started ahead and ready;
 *   - cold, edited: the model file changed before the run (its bundle not cached);
 *   - ahead, edited: started ahead, then the file changed (the engine bundled the old file);
 *   - ahead, edited, refreshed: as above, then `refreshWarm` (what a save does) before the run.
 * Prints each way's times and median, and each median over the cold one's. Needs `npm run build`.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EngineHost } from '../src/extension/engineHost';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args[at + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`engineAhead: --runs must be a whole number ≥ 1, got ${args[at + 1] ?? ''}`);
  process.exit(2);
}
const root = path.join(__dirname, '..');
// Beside the example (not in a temp folder), so that its data package resolves from the repository's node_modules.
const folder = path.join(root, 'examples', `.bench-ahead-${process.pid}`);
const model = path.join(folder, 'model.ts');

const ways = ['cold', 'ahead', 'cold, edited', 'ahead, edited', 'ahead, edited, refreshed'] as const;
type Way = (typeof ways)[number];

const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(logs: readonly string[], what: RegExp): Promise<void> {
  for (let waited = 0; !logs.some((l) => what.test(l)); waited += 50) {
    if (waited > 60_000) throw new Error(`engineAhead: no '${what.source}' in the host's log within 60 s`);
    await sleep(50);
  }
}

/** Seconds from the request to the first point, one run the given way. */
async function once(way: Way, edit: () => void): Promise<number> {
  const logs: string[] = [];
  const host = new EngineHost({ extensionPath: root, log: (_level, message) => logs.push(message) });
  try {
    if (way.startsWith('ahead')) {
      host.prestart({ model });
      await until(logs, /started ahead for model\.ts: ready in/);
    }
    if (way.includes('edited')) edit();
    if (way.endsWith('refreshed')) {
      host.refreshWarm();
      await until(logs, /bundled again after a save in/);
    }
    await sleep(500); // the engine idles as it would while the user reaches for the command
    const t0 = performance.now();
    let first = 0;
    await host.run(way, { kind: 'find-lr', model }, { onProgress: () => undefined, onAppend: () => { if (first === 0) first = performance.now() - t0; } }, token);
    return first / 1000;
  } finally {
    host.dispose();
    await sleep(1500); // the engine's exit, before the next way starts
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main(): Promise<void> {
  cpSync(path.join(root, 'examples', 'mnist-mlp'), folder, { recursive: true });
  const original = readFileSync(model, 'utf8');
  let edits = 0;
  const edit = (): void => writeFileSync(model, `${original}\nexport const benchEdit = ${++edits};\n`);
  const times = new Map<Way, number[]>(ways.map((w) => [w, []]));
  try {
    // One run first, not timed: the bundle cache and the engine's code cache as a user's second day has them.
    await once('cold', edit);
    for (let i = 0; i < runs; i++) for (const way of ways) times.get(way)!.push(await once(way, edit));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const cold = median(times.get('cold')!);
  console.log(`find-lr on examples/mnist-mlp (a copy), request → first point at the host, ${runs} run(s) each, alternating:`);
  for (const [way, xs] of times) {
    const m = median(xs);
    console.log(`  ${way.padEnd(26)} ${xs.map((x) => x.toFixed(2)).join(' / ')} s   median ${m.toFixed(2)} s   ${(m / cold).toFixed(2)}x cold`);
  }
}

main().catch((error: unknown) => {
  console.error(`engineAhead: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
