/**
 * Time to accuracy: does the recipe's 1cycle reach the baselines' accuracy in fewer epochs?
 *
 *   npx tsx bench/timeToAccuracy.ts [--model examples/mnist-mlp/model.ts] [--epochs 15] [--target auto|0.95] [--budget 120] [--plot bench/timeToAccuracy.png]
 *
 * (a) `lrlab recipe`'s recommended 1cycle (LR range, momentum, WD, batch size), trained for the
 *     same number of epochs as the baselines; (b) constant-LR SGD with momentum 0.9 at the best
 *     of a small LR grid; (c) Adam at its default 1e-3. Same model, data, seed and backend.
 * Prints epochs and seconds to reach the target validation accuracy (`auto`: the lower of the two
 * baselines' best accuracies, so both reach it), final accuracy at equal epochs, and the recipe's
 * own wall time (tuning included); draws validation accuracy per epoch to a PNG.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { recipe } from '../src/engine/experiments/recipe';
import { train } from '../src/engine/experiments/train';
import { renderChartPng } from '../src/engine/plot';
import { Reporter, silentSink } from '../src/engine/reporter';
import type { TrainRequest } from '../src/protocol/requests';
import type { TrainResult } from '../src/protocol/results';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const model = path.resolve(flag('model', path.join(__dirname, '..', 'examples', 'mnist-mlp', 'model.ts')));
const epochs = Number(flag('epochs', '15'));
const targetFlag = flag('target', 'auto');
const budget = Number(flag('budget', '120'));
const plotFile = path.resolve(flag('plot', path.join(__dirname, 'timeToAccuracy.png')));
const ctx = { reporter: new Reporter('bench', silentSink), signal: new AbortController().signal };

interface Row {
  readonly label: string;
  readonly result: TrainResult;
}

function reached(result: TrainResult, target: number): { epoch: number | null; seconds: number | null } {
  const hit = result.history.find((h) => (h.valAccuracy ?? 0) >= target);
  return { epoch: hit?.epoch ?? null, seconds: hit?.seconds ?? null };
}

const bestAccuracy = (result: TrainResult): number => Math.max(...result.history.map((h) => h.valAccuracy ?? 0));

async function run(label: string, request: Omit<TrainRequest, 'kind' | 'model' | 'epochs' | 'seed'>): Promise<Row> {
  const result = await train({ kind: 'train', model, epochs, seed: 1, ...request }, ctx);
  console.error(`  ${label}: final ${((result.history.at(-1)?.valAccuracy ?? 0) * 100).toFixed(2)}%, best ${(bestAccuracy(result) * 100).toFixed(2)}%, ${result.seconds.toFixed(1)} s`);
  return { label, result };
}

function plot(rows: readonly Row[], target: number, title: string): void {
  const colors = ['#1565c0', '#e65100', '#6a1b9a', '#2e7d32'];
  const datasets: Record<string, unknown>[] = rows.map((row, i) => ({
    label: row.label,
    data: row.result.history.map((h) => ({ x: h.epoch, y: (h.valAccuracy ?? 0) * 100 })),
    borderColor: colors[i % colors.length],
    backgroundColor: colors[i % colors.length],
    borderWidth: i === 0 ? 3 : 2,
    pointRadius: 3,
  }));
  datasets.push({ label: `target ${(target * 100).toFixed(1)}%`, data: [{ x: 1, y: target * 100 }, { x: epochs, y: target * 100 }], borderColor: '#9e9e9e', borderDash: [6, 4], borderWidth: 1, pointRadius: 0 });
  const low = Math.min(...rows.flatMap((r) => r.result.history.map((h) => (h.valAccuracy ?? 0) * 100)));
  const png = renderChartPng({
    type: 'line',
    data: { datasets },
    options: {
      responsive: false,
      animation: false,
      parsing: false,
      plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
      scales: {
        x: { type: 'linear', min: 1, max: epochs, title: { display: true, text: 'epoch' }, ticks: { stepSize: 1 } },
        y: { min: Math.floor(Math.max(low, target * 100 - 8)), title: { display: true, text: 'validation accuracy (%)' } },
      },
    },
  }, 1000, 560);
  writeFileSync(plotFile, png);
}

async function main(): Promise<void> {
  console.error(`time to accuracy on ${path.relative(process.cwd(), model)}, ${epochs} epochs each, recipe budget ${budget} s`);
  const t0 = performance.now();
  const tuned = await recipe({ kind: 'recipe', model, budgetSeconds: budget, seed: 1 }, ctx);
  const recipeSeconds = (performance.now() - t0) / 1000;
  const rec = tuned.recommendation;
  if (rec === null) throw new Error(`the recipe gave no recommendation: ${tuned.steps.map((s) => s.message).join(' | ')}`);
  const momentum = rec.momentum.max === rec.momentum.min ? `m ${rec.momentum.max}` : `m ${rec.momentum.max}→${rec.momentum.min}`;
  const rows: Row[] = [await run(`1cycle (recipe): LR ${rec.lr.minLr.toExponential(1)}–${rec.lr.maxLr.toExponential(1)}, ${momentum}, wd ${rec.weightDecay}, batch ${rec.batchSize}`, { policy: 'smith', batchSize: rec.batchSize, weightDecay: rec.weightDecay, optimizer: 'sgd', schedule: { maxLr: rec.lr.maxLr, minLr: rec.lr.minLr, maxMomentum: rec.momentum.max, baseMomentum: rec.momentum.min } })];
  const grid: Row[] = [];
  for (const lr of [0.003, 0.01, 0.03]) grid.push(await run(`constant SGD m0.9, LR ${lr}`, { policy: 'constant', schedule: { lr }, momentum: 0.9, optimizer: 'sgd', batchSize: rec.batchSize }));
  const bestGrid = grid.reduce((a, b) => (bestAccuracy(b.result) > bestAccuracy(a.result) ? b : a));
  rows.push({ label: `${bestGrid.label} (best of 0.003/0.01/0.03)`, result: bestGrid.result });
  rows.push(await run('Adam 1e-3 (default)', { policy: 'constant', schedule: { lr: 1e-3 }, momentum: 0.9, optimizer: 'adam', batchSize: rec.batchSize }));
  // The target both baselines reach, unless one is given.
  const target = targetFlag === 'auto' ? Math.floor(Math.min(bestAccuracy(rows[1]!.result), bestAccuracy(rows[2]!.result)) * 200) / 200 : Number(targetFlag);

  console.log(`model: ${path.basename(path.dirname(model))}, backend ${tuned.backend}, ${epochs} epochs each, seed 1, target ${(target * 100).toFixed(1)}% validation accuracy${targetFlag === 'auto' ? ' (the lower of the baselines\' best)' : ''}`);
  console.log(`recipe: ${recipeSeconds.toFixed(0)} s of a ${budget} s budget (plan ${tuned.estimatedSeconds} s): ${tuned.steps.map((s) => `${s.name} ${s.status} ${s.seconds.toFixed(0)} s`).join(', ')}; confirming run ${tuned.diagnosis?.verdict ?? 'no verdict'}`);
  console.log('| run | epochs to target | seconds to target | best val acc | final val acc | final val loss |');
  console.log('|---|---|---|---|---|---|');
  for (const { label, result } of rows) {
    const r = reached(result, target);
    const last = result.history.at(-1);
    console.log(`| ${label} | ${r.epoch ?? '—'} | ${r.seconds?.toFixed(1) ?? '—'} | ${(bestAccuracy(result) * 100).toFixed(2)}% | ${((last?.valAccuracy ?? 0) * 100).toFixed(2)}% | ${last?.valLoss?.toFixed(4) ?? '—'} |`);
  }
  const one = reached(rows[0]!.result, target).epoch;
  const base = reached(bestGrid.result, target).epoch;
  if (one !== null && base !== null) console.log(`epochs to target, 1cycle / best constant-LR baseline: ${(one / base).toFixed(2)}`);
  plot(rows, target, `Validation accuracy per epoch — ${path.basename(path.dirname(model))} (${tuned.backend}, seed 1)`);
  console.log(`plot: ${path.relative(process.cwd(), plotFile)}`);
}

void main();
