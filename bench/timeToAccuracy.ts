/**
 * Time to accuracy: does 1cycle at LR Lab's headline LR reach the baselines' accuracy in fewer
 * epochs (the paper's "super-convergence" shape)?
 *
 *   npx tsx bench/timeToAccuracy.ts [--model bench/tasks/mnistCnn.ts] [--epochs 5] [--seeds 1,2,3] [--plot bench/timeToAccuracy-mnist-cnn.png]
 *
 * Per seed: `find-lr` → the headline (`recommended`, max LR and min = max/10) → Smith's 1cycle
 * (`policy smith`, cyclical momentum 0.95 → 0.85) trained for the full budget and for half of it;
 * baselines: constant-LR SGD (momentum 0.9) at each LR of a small grid (the best grid LR is chosen
 * by its median final accuracy over the seeds) and Adam at its default 1e-3. Same model, data,
 * seeds, batch size (64) and backend. Reported: median final accuracies, and for each baseline the
 * epochs 1cycle needs to reach the baseline's final accuracy (median over seeds) — first crossing
 * within the full-budget run, and the shorter 1cycle budget that ends at or above it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findLr } from '../src/engine/experiments/findLr';
import { train } from '../src/engine/experiments/train';
import { renderChartPng } from '../src/engine/plot';
import { Reporter, silentSink } from '../src/engine/reporter';
import { formatLr } from '../src/protocol/format';
import type { TrainRequest } from '../src/protocol/requests';
import type { TrainResult } from '../src/protocol/results';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const model = path.resolve(flag('model', path.join(__dirname, 'tasks', 'mnistCnn.ts')));
const epochs = Number(flag('epochs', '5'));
const seeds = flag('seeds', '1,2,3').split(',').map(Number);
const grid = [0.03, 0.1];
const name = path.basename(model, path.extname(model));
const plotFile = path.resolve(flag('plot', path.join(__dirname, `timeToAccuracy-${name}.png`)));
const ctx = { reporter: new Reporter('bench', silentSink), signal: new AbortController().signal };

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const finalAccuracy = (r: TrainResult): number => r.history.at(-1)?.valAccuracy ?? 0;
/** Median accuracy per epoch over the seeds' runs. */
const medianCurve = (runs: readonly TrainResult[]): number[] => Array.from({ length: Math.max(...runs.map((r) => r.history.length)) }, (_, e) => median(runs.map((r) => r.history[e]?.valAccuracy ?? 0)));
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

async function run(label: string, seed: number, request: Omit<TrainRequest, 'kind' | 'model' | 'seed'>): Promise<TrainResult> {
  const result = await train({ kind: 'train', model, seed, batchSize: 64, ...request }, ctx);
  console.error(`  seed ${seed} ${label}: final ${pct(finalAccuracy(result))}, ${result.seconds.toFixed(1)} s`);
  return result;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  console.error(`time to accuracy on ${path.relative(process.cwd(), model)}, ${epochs} epochs, seeds ${seeds.join(',')}`);
  const oneCycle: TrainResult[] = [];
  const half: TrainResult[] = [];
  const constant = new Map<number, TrainResult[]>(grid.map((lr) => [lr, []]));
  const adam: TrainResult[] = [];
  const headlines: string[] = [];
  for (const seed of seeds) {
    const found = await findLr({ kind: 'find-lr', model, seed, batchSize: 64 }, ctx);
    const h = found.recommended;
    if (h === null) throw new Error(`seed ${seed}: no recommended LR (${found.reasons.range})`);
    headlines.push(formatLr(h.maxLr));
    const schedule = { maxLr: h.maxLr, minLr: h.minLr };
    oneCycle.push(await run(`1cycle ${formatLr(h.maxLr)}`, seed, { policy: 'smith', epochs, schedule }));
    half.push(await run(`1cycle ${formatLr(h.maxLr)}, ${Math.ceil(epochs / 2)} epochs`, seed, { policy: 'smith', epochs: Math.ceil(epochs / 2), schedule }));
    for (const lr of grid) constant.get(lr)!.push(await run(`constant SGD ${lr}`, seed, { policy: 'constant', epochs, schedule: { lr }, momentum: 0.9, optimizer: 'sgd' }));
    adam.push(await run('Adam 1e-3', seed, { policy: 'constant', epochs, schedule: { lr: 1e-3 }, optimizer: 'adam' }));
  }
  const [bestLr, bestRuns] = [...constant.entries()].reduce((a, b) => (median(b[1].map(finalAccuracy)) > median(a[1].map(finalAccuracy)) ? b : a));
  const curves = { oneCycle: medianCurve(oneCycle), half: medianCurve(half), constant: medianCurve(bestRuns), adam: medianCurve(adam) };
  const minutes = (performance.now() - t0) / 60_000;

  console.log(`model: ${name}, ${epochs} epochs, seeds ${seeds.join(', ')}, headline max LR per seed ${headlines.join(' / ')} (min = max/10), ${minutes.toFixed(1)} min in all`);
  console.log('| run | median final val acc | median val acc per epoch |');
  console.log('|---|---|---|');
  const row = (label: string, runs: TrainResult[], curve: number[]): void => console.log(`| ${label} | ${pct(median(runs.map(finalAccuracy)))} | ${curve.map((a) => (a * 100).toFixed(1)).join(' ')} |`);
  row(`1cycle at the headline, ${epochs} epochs`, oneCycle, curves.oneCycle);
  row(`1cycle at the headline, ${Math.ceil(epochs / 2)} epochs`, half, curves.half);
  for (const [lr, runs] of constant) row(`constant SGD m0.9, LR ${lr}${lr === bestLr ? ' (best of grid)' : ''}`, runs, medianCurve(runs));
  row('Adam 1e-3', adam, curves.adam);
  console.log('');
  console.log('| baseline | its final acc (median) | 1cycle epochs to reach it (first crossing, full budget) | shortest 1cycle budget ending at or above it | ratio to the baseline\'s epochs |');
  console.log('|---|---|---|---|---|');
  for (const [label, runs] of [[`constant SGD ${bestLr}`, bestRuns], ['Adam 1e-3', adam]] as const) {
    const target = median(runs.map(finalAccuracy));
    const crossing = curves.oneCycle.findIndex((a) => a >= target);
    const shortest = median(half.map(finalAccuracy)) >= target ? Math.ceil(epochs / 2) : median(oneCycle.map(finalAccuracy)) >= target ? epochs : null;
    const best = crossing >= 0 ? Math.min(crossing + 1, shortest ?? Number.POSITIVE_INFINITY) : shortest;
    console.log(`| ${label} | ${pct(target)} | ${crossing >= 0 ? crossing + 1 : 'not reached'} | ${shortest ?? 'none'} | ${best === null ? '—' : (best / epochs).toFixed(2)} |`);
  }
  plot(curves, bestLr);
  console.log(`plot: ${path.relative(process.cwd(), plotFile)}`);
}

function plot(curves: Record<'oneCycle' | 'half' | 'constant' | 'adam', number[]>, bestLr: number): void {
  const series: [string, number[], string][] = [
    [`1cycle at the headline, ${epochs} epochs`, curves.oneCycle, '#1565c0'],
    [`1cycle at the headline, ${Math.ceil(epochs / 2)} epochs`, curves.half, '#42a5f5'],
    [`constant SGD m0.9, LR ${bestLr} (best of ${grid.join('/')})`, curves.constant, '#e65100'],
    ['Adam 1e-3', curves.adam, '#6a1b9a'],
  ];
  const all = Object.values(curves).flat().map((a) => a * 100);
  const png = renderChartPng({
    type: 'line',
    data: { datasets: series.map(([label, curve, color], i) => ({ label, data: curve.map((a, e) => ({ x: e + 1, y: a * 100 })), borderColor: color, backgroundColor: color, borderWidth: i === 0 ? 3 : 2, pointRadius: 3 })) },
    options: {
      responsive: false,
      animation: false,
      parsing: false,
      plugins: { title: { display: true, text: `Median validation accuracy per epoch over seeds ${seeds.join(', ')} — ${name}` }, legend: { position: 'bottom' } },
      scales: { x: { type: 'linear', min: 1, max: epochs, title: { display: true, text: 'epoch' }, ticks: { stepSize: 1 } }, y: { min: Math.floor(Math.max(Math.min(...all), Math.max(...all) - 15)), title: { display: true, text: 'validation accuracy (%)' } } },
    },
  }, 1000, 560);
  writeFileSync(plotFile, png);
}

void main();
