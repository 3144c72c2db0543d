/**
 * Time to accuracy: does the recipe's 1cycle reach the baselines' accuracy in fewer epochs?
 *
 *   npx tsx bench/timeToAccuracy.ts [--model examples/mnist-mlp/model.ts] [--epochs 15] [--target 0.95] [--budget 120]
 *
 * (a) `lrlab recipe`'s recommended 1cycle (LR range, momentum, WD, batch size), trained for the
 *     same number of epochs as the baselines; (b) constant-LR SGD with momentum 0.9 at the best
 *     of a small LR grid; (c) Adam at its default 1e-3. Same model, data, seed and backend.
 * Prints epochs and seconds to reach the target validation accuracy, final accuracy at equal
 * epochs, and the recipe's own wall time (tuning included).
 */
import path from 'node:path';
import { recipe } from '../src/engine/experiments/recipe';
import { train } from '../src/engine/experiments/train';
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
const target = Number(flag('target', '0.95'));
const budget = Number(flag('budget', '120'));
const ctx = { reporter: new Reporter('bench', silentSink), signal: new AbortController().signal };

function reached(result: TrainResult): { epoch: number | null; seconds: number | null } {
  const hit = result.history.find((h) => (h.valAccuracy ?? 0) >= target);
  return { epoch: hit?.epoch ?? null, seconds: hit?.seconds ?? null };
}

async function run(label: string, request: Omit<TrainRequest, 'kind' | 'model' | 'epochs' | 'seed'>): Promise<{ label: string; result: TrainResult }> {
  const result = await train({ kind: 'train', model, epochs, seed: 1, ...request }, ctx);
  const r = reached(result);
  console.error(`  ${label}: final ${((result.history.at(-1)?.valAccuracy ?? 0) * 100).toFixed(2)}%, target at epoch ${r.epoch ?? '—'}`);
  return { label, result };
}

async function main(): Promise<void> {
  console.error(`time to ${(target * 100).toFixed(0)}% on ${path.relative(process.cwd(), model)}, ${epochs} epochs each`);
  const t0 = performance.now();
  const tuned = await recipe({ kind: 'recipe', model, budgetSeconds: budget, seed: 1 }, ctx);
  const recipeSeconds = (performance.now() - t0) / 1000;
  const rec = tuned.recommendation;
  if (rec === null) throw new Error('the recipe gave no recommendation');
  const rows = [await run(`1cycle (recipe): LR ${rec.lr.minLr.toExponential(1)}–${rec.lr.maxLr.toExponential(1)}, m ${rec.momentum.max}→${rec.momentum.min}, wd ${rec.weightDecay}, batch ${rec.batchSize}`, { policy: 'smith', batchSize: rec.batchSize, weightDecay: rec.weightDecay, optimizer: 'sgd', schedule: { maxLr: rec.lr.maxLr, minLr: rec.lr.minLr, maxMomentum: rec.momentum.max, baseMomentum: rec.momentum.min } })];
  const grid = [];
  for (const lr of [0.003, 0.01, 0.03]) grid.push(await run(`constant SGD m0.9 LR ${lr}`, { policy: 'constant', schedule: { lr }, momentum: 0.9, optimizer: 'sgd', batchSize: rec.batchSize }));
  const bestGrid = grid.reduce((a, b) => ((b.result.history.at(-1)?.valAccuracy ?? 0) > (a.result.history.at(-1)?.valAccuracy ?? 0) ? b : a));
  rows.push(bestGrid);
  rows.push(await run('Adam 1e-3 (default)', { policy: 'constant', schedule: { lr: 1e-3 }, momentum: 0.9, optimizer: 'adam', batchSize: rec.batchSize }));

  console.log(`model: ${path.basename(path.dirname(model))}, backend ${tuned.backend}, target ${(target * 100).toFixed(0)}% validation accuracy, ${epochs} epochs each, seed 1`);
  console.log(`recipe wall time (tuning incl. its confirming run): ${recipeSeconds.toFixed(0)} s`);
  console.log('| run | epochs to target | seconds to target | final val acc | final val loss |');
  console.log('|---|---|---|---|---|');
  for (const { label, result } of rows) {
    const r = reached(result);
    const last = result.history.at(-1);
    console.log(`| ${label} | ${r.epoch ?? '—'} | ${r.seconds?.toFixed(1) ?? '—'} | ${((last?.valAccuracy ?? 0) * 100).toFixed(2)}% | ${last?.valLoss?.toFixed(4) ?? '—'} |`);
  }
  const one = reached(rows[0]!.result).epoch;
  const base = reached(bestGrid.result).epoch;
  if (one !== null && base !== null) console.log(`epochs to target, 1cycle / best constant-LR baseline: ${(one / base).toFixed(2)}`);
}

void main();
