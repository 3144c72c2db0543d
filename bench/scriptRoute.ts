/**
 * What the training-script route costs: `lrlab find-lr` wall time on the same MNIST MLP and
 * data as a model file (examples/mnist-mlp/model.ts) and as a plain training script run up to
 * its fit call (examples/mnist-script/train.ts), alternating, N runs each; medians and the
 * difference (the worker: its start, its own tfjs, the script up to fit, the copy of the data).
 *
 *   npx tsx bench/scriptRoute.ts [--runs 5] [--steps 20]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..');
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const runs = arg('runs', 5);
const steps = arg('steps', 20);
const files = { 'model file': 'examples/mnist-mlp/model.ts', 'training script': 'examples/mnist-script/train.ts' } as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const times: Record<keyof typeof files, number[]> = { 'model file': [], 'training script': [] };
console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${os.cpus().length} CPUs`);
for (let i = 0; i < runs; i++) {
  for (const [label, file] of Object.entries(files) as [keyof typeof files, string][]) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'lrlab'), 'find-lr', path.join(root, file), '--steps', String(steps), '--seed', '1', '--lr-trials', '0', '--json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${file}: ${r.stderr}`);
    times[label].push((performance.now() - started) / 1000);
  }
}
const model = median(times['model file']);
const script = median(times['training script']);
console.log(`lrlab find-lr --steps ${steps}, median of ${runs}: model file ${model.toFixed(2)} s, training script ${script.toFixed(2)} s; script / model file ${(script / model).toFixed(2)}, difference ${(script - model).toFixed(2)} s`);
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
