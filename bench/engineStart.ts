/**
 * What starting the engine costs, with and without its V8 code cache (src/engine/launch.ts):
 *
 *   npx tsx bench/engineStart.ts [--runs 8] [--model test/fixtures/engine/tinyClassifier.js]
 *
 * Alternates LRLAB_CODE_CACHE=off and on (the cache written first) for: loading dist/engine.js
 * alone, and a short `lrlab find-lr` (10 steps, one range test, no short runs: mostly start-up) as
 * the user runs it. Prints each one's medians (wall, and CPU of the process where GNU time is there)
 * and the ratio. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
};
const runs = Number(option('--runs', '8'));
const root = path.join(__dirname, '..');
const model = path.resolve(option('--model', path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js')));
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-engine-start-'));
const cacheDir = path.join(dir, 'cache');

// Loading alone: a script file (the cache is keyed by Node's options, and `-e` would be one).
const loader = path.join(dir, 'load.js');
writeFileSync(loader, `const t = performance.now();
require(${JSON.stringify(path.join(root, 'dist', 'launch.js'))}).loadEngine(${JSON.stringify(path.join(root, 'dist', 'engine.js'))});
process.stdout.write(String(performance.now() - t));\n`);

interface Sample {
  readonly wall: number;
  readonly cpu: number;
  readonly load?: number;
}

/** GNU time gives each process's CPU (Linux); without it, CPU shows as NaN. */
const gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0;

function measure(argv: string[], cache: 'on' | 'off'): Sample {
  const started = performance.now();
  const env = { ...process.env, LRLAB_CACHE_DIR: cacheDir, LRLAB_CODE_CACHE: cache };
  const r = gnuTime ? spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...argv], { encoding: 'utf8', env }) : spawnSync(process.execPath, argv, { encoding: 'utf8', env });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  const [user, sys] = gnuTime ? r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) : [Number.NaN, Number.NaN];
  const load = Number(r.stdout);
  return { wall, cpu: user! + sys!, ...(Number.isFinite(load) && argv[0] === loader ? { load: load / 1000 } : {}) };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// find-lr first: the cache it writes (the functions a run compiles) is the one both cases then use;
// a process that only loads the bundle would write the top level only.
const cases: { name: string; argv: string[] }[] = [
  { name: `lrlab find-lr ${path.basename(model)} --steps 10 --range-tests 1 --lr-trials 0`, argv: [path.join(root, 'bin', 'lrlab'), 'find-lr', model, '--steps', '10', '--range-tests', '1', '--lr-trials', '0', '--seed', '1', '--json'] },
  { name: 'load dist/engine.js', argv: [loader] },
];

try {
  console.log(`${runs} alternating runs each, LRLAB_CODE_CACHE=off / on; ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(2)}\n`);
  console.log('| what | off: wall s (CPU s) | on: wall s (CPU s) | on / off (wall) |');
  console.log('|---|---|---|---|');
  for (const c of cases) {
    measure(c.argv, 'on'); // writes the cache (and the model's bundle)
    const off: Sample[] = [];
    const on: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      off.push(measure(c.argv, 'off'));
      on.push(measure(c.argv, 'on'));
    }
    const show = (xs: Sample[]): string => {
      const inProcess = xs.every((x) => x.load !== undefined) ? `, in-process ${(median(xs.map((x) => x.load!)) * 1000).toFixed(0)} ms` : '';
      return `${median(xs.map((x) => x.wall)).toFixed(3)} (${median(xs.map((x) => x.cpu)).toFixed(2)})${inProcess}`;
    };
    console.log(`| ${c.name} | ${show(off)} | ${show(on)} | ${(median(on.map((x) => x.wall)) / median(off.map((x) => x.wall))).toFixed(2)}x |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
