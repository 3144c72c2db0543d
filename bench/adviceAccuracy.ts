/**
 * A lead for a later rule (not the product's): would find-lr's short runs pick better by validation
 * accuracy than by validation loss? For each classification task of the advice bench, the trial round
 * on file (`bench/advice/trials-100.json`: its LRs and length) is run again in-process, as find-lr runs
 * it (`shortRun`, seed 1, the compiled optimizer, momentum cycled where find-lr cycles it), keeping the
 * streamed validation accuracy (since made part of the runs' records: `valAccuracy`); the mean of the last three checkpoints is stored beside the loss in
 * `bench/advice/trials-100-accuracy.json` (the loss reproduces the stored one; merged into
 * `trials-100.json` as `earlyValAccuracy` on 2026-12-01, when the lead became find-lr's rule, core
 * ACCURACY_LEAD). `--score` compares, on the oracle grids: the loss rule alone (as it shipped before),
 * the highest accuracy, and the rule as it ships (the loss rule overridden by an accuracy lead of more
 * than a point).
 *
 *   LRLAB_WASM_THREADS=1 npx tsx bench/adviceAccuracy.ts --generate [--part 0 --parts 2]
 *   npx tsx bench/adviceAccuracy.ts --score
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADVICE_TASKS } from './adviceTasks';
import { medianEdge, medianHeadline, readTask } from './adviceQuality';
import { median, productBaselineLoss, scorer, trialsPick } from './adviceScore';
import { backOffFromEdge } from '../src/core/decisions';
import { isNearBaseline } from '../src/core/lossScale';
import { loadForRun } from '../src/engine/session';
import { shortRun } from '../src/engine/experiments/shortRun';
import { chooseOptimizer } from '../src/engine/optimizerChoice';
import { Reporter, silentSink } from '../src/engine/reporter';
import type { AppendParams } from '../src/protocol/progress';

const ROOT = path.join(__dirname, '..');
const TRIALS = path.join(ROOT, 'bench', 'advice', 'trials-100.json');
const OUT = path.join(ROOT, 'bench', 'advice', 'trials-100-accuracy.json');

interface Run {
  readonly lr: number;
  readonly loss: number | null;
  readonly accuracy: number | null;
}

const args = process.argv.slice(2);
const value = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};

async function generate(part: number, parts: number): Promise<void> {
  const store = JSON.parse(readFileSync(TRIALS, 'utf8')) as Record<string, { trials: { lr: number; earlyValLoss: number | null }[]; steps: number }>;
  const out = (existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : {}) as Record<string, Run[]>;
  const tasks = ADVICE_TASKS.filter((t) => t.kind === 'classification' && store[t.id] !== undefined && out[t.id] === undefined).filter((_, i) => i % parts === part);
  for (const task of tasks) {
    const accuracy: Record<string, number[]> = {};
    const sink = { ...silentSink, append: (p: AppendParams): void => { for (const pt of p.points) if (pt.valAccuracy !== null && pt.valAccuracy !== undefined) (accuracy[p.series] ??= []).push(pt.valAccuracy); } };
    const ctx = { reporter: new Reporter('accuracy', sink, 0), signal: new AbortController().signal };
    const b = task.trainFlags.indexOf('--batch-size');
    const batchSize = b >= 0 ? Number(task.trainFlags[b + 1]) : 64;
    const loaded = await loadForRun({ model: path.join(ROOT, task.file), seed: 1 }, ctx);
    const choice = chooseOptimizer({}, loaded.compiledOptimizer, loaded.file);
    const { trials, steps } = store[task.id]!;
    const runs: Run[] = [];
    for (const trial of trials) {
      const label = `trial ${trial.lr}`;
      const spec = { label, lr: { maxLr: trial.lr, minLr: trial.lr / 10 }, momentum: choice.cyclesMomentum ? null : choice.params.momentum, weightDecay: 0, steps, batchSize, seed: 1, valSamples: loaded.data.validation.count };
      const run = await shortRun(loaded, spec, choice.params, ctx, true);
      ctx.reporter.flush();
      const last = (accuracy[label] ?? []).slice(-3);
      runs.push({ lr: trial.lr, loss: run.earlyValLoss, accuracy: run.diverged || last.length < 3 ? null : last.reduce((s, x) => s + x, 0) / 3 });
    }
    // Re-read before writing: another part may have written since.
    const now = (existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : {}) as Record<string, Run[]>;
    now[task.id] = runs;
    writeFileSync(OUT, `${JSON.stringify(now, null, 1)}\n`);
    console.error(`${task.id}: ${runs.map((r) => `${r.lr} → ${r.loss?.toFixed(4) ?? '—'} / ${r.accuracy === null ? '—' : (100 * r.accuracy).toFixed(1)}%`).join(', ')}`);
  }
}

function score(): void {
  const runsOf = JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, Run[]>;
  const store = JSON.parse(readFileSync(TRIALS, 'utf8')) as Record<string, { trials: { lr: number; earlyValLoss: number | null; diverged: boolean; earlyValAccuracy?: number }[] }>;
  const rules: Record<string, number[]> = { 'loss alone': [], accuracy: [], 'shipped: loss, accuracy lead > 1 pt': [] };
  for (const task of ADVICE_TASKS) {
    const runs = runsOf[task.id];
    if (runs === undefined) continue;
    const data = readTask(task.id);
    const { regret } = scorer(task, data);
    const base = productBaselineLoss(data);
    const headline = medianHeadline(task, data);
    const edge = headline === null ? null : medianEdge(task, data);
    const lossAlone = trialsPick(store[task.id]!.trials.map(({ earlyValAccuracy: _, ...t }) => t), headline, data, edge);
    const shipped = trialsPick(store[task.id]!.trials, headline, data, edge);
    const learned = runs.map((r, i) => ({ r, i })).filter(({ r }) => r.loss !== null && r.accuracy !== null && (base === null || !isNearBaseline(r.loss, base)));
    const at = (k: { r: Run; i: number }): number => backOffFromEdge(k.r.lr, k.i > 0 ? runs[k.i - 1]!.lr : null, edge) ?? k.r.lr;
    const best = learned.length === 0 ? null : learned.reduce((p, q) => (q.r.accuracy! > p.r.accuracy! ? q : p));
    const picks = [lossAlone, best === null ? lossAlone : at(best), shipped];
    const regrets = picks.map(regret);
    Object.values(rules).forEach((list, k) => list.push(regrets[k]!));
    if (regrets.some((r) => Math.abs(r - regrets[0]!) > 0.05)) console.log(`${task.id.padEnd(24)} ${task.heldOut ? 'held out' : 'tuning  '}  ${picks.map((p, k) => `${p} (${regrets[k]!.toFixed(2)})`).join('  ')}`);
  }
  for (const [name, list] of Object.entries(rules)) console.log(`${name.padEnd(28)} ${list.length} tasks: median ${median(list).toFixed(2)}, worst ${Math.max(...list).toFixed(2)}`);
}

if (args.includes('--generate')) void generate(Number(value('part', '0')), Number(value('parts', '1')));
else score();
