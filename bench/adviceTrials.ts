/**
 * A study, not a rule in the product: would short 1cycle trials around the headline pick a better
 * max LR than the range test alone? For each advice task, candidates around the product's headline
 * (the median of its three range tests): h/3, h, 3h; where it gives none, a third, a tenth and a
 * thirtieth of the LR where the longest range test stopped (diverged, or its last LR). Each
 * candidate is one `lrlab sweep --short-runs --wd 0 --max-lr X` (300 steps of 1cycle, the compiled
 * optimizer, momentum cycled where train cycles it, judged on early validation loss); the trial
 * pick is the lowest. Both are scored on the committed oracle grid (bench/advice/*.json) like the
 * rules of `adviceQuality.ts --score`.
 *
 *   npx tsx bench/adviceTrials.ts [--tasks a,b] [--steps 300] [--out bench/advice/trials.json]
 *   npx tsx bench/adviceTrials.ts --score [--held-out]
 *
 * Held-out tasks (`heldOut` in adviceTasks.ts) are skipped unless named in --tasks with --held-out
 * (and scored only with --held-out): their data is for judging a rule once it is committed.
 * The trials see the validation split the oracle's metric is measured on: the pick is what a user
 * choosing by validation loss would get.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatLr } from '../src/protocol/format';
import { ADVICE_TASKS } from './adviceTasks';
import type { AdviceTask } from './adviceTasks';
import { gridMeans, medianHeadline, readTask } from './adviceQuality';
import type { TaskData } from './adviceQuality';
import { oracleAt, regretOf, trialsPick } from './adviceScore';

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const STEPS = Number(flag('steps', '300'));
const OUT = path.resolve(flag('out', path.join(ROOT, 'bench', 'advice', 'trials.json')));

interface Trial {
  readonly lr: number;
  readonly earlyValLoss: number | null;
  readonly diverged: boolean;
}

interface TaskTrials {
  readonly id: string;
  readonly steps: number;
  readonly headline: number | null;
  readonly trials: Trial[];
}

/** Where the longest range test of a task stopped: its divergence LR, else its last LR. */
function stopLr(data: TaskData): number {
  const tests = data.rangeTests.map((r) => r.retry ?? r);
  const longest = tests.reduce((a, b) => (b.points.length > a.points.length ? b : a));
  return longest.divergedAt ?? longest.points.at(-1)!.lr;
}

export function candidates(task: AdviceTask, data: TaskData): { headline: number | null; lrs: number[] } {
  const h = medianHeadline(task, data);
  if (h !== null) return { headline: h, lrs: [h / 3, h, h * 3] };
  const s = stopLr(data);
  return { headline: null, lrs: [s / 30, s / 10, s / 3] };
}

function trial(task: AdviceTask, lr: number): Trial {
  const argv = ['sweep', '--short-runs', path.join(ROOT, task.file), '--wd', '0', '--max-lr', String(lr), '--steps', String(STEPS), '--seed', '1', '--json', ...task.trainFlags];
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'lrlab'), ...argv], { encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LRLAB_WASM_THREADS: '1' } });
  try {
    const run = (JSON.parse(r.stdout) as { runs: { earlyValLoss: number | null; diverged: boolean }[] }).runs[0]!;
    return { lr, earlyValLoss: run.earlyValLoss, diverged: run.diverged };
  } catch {
    throw new Error(`lrlab ${argv.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  }
}

function generate(ids: readonly string[]): void {
  const store: Record<string, TaskTrials> = existsSync(OUT) ? (JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, TaskTrials>) : {};
  // Held-out tasks only when named and asked for: their range tests and trials are evidence for a rule not yet made.
  for (const task of ADVICE_TASKS.filter((t) => (ids.length === 0 ? !t.heldOut : ids.includes(t.id) && (!t.heldOut || args.includes('--held-out'))))) {
    const data = readTask(task.id);
    if (data.grid.length === 0 || data.rangeTests.length === 0) continue;
    const { headline, lrs } = candidates(task, data);
    const started = performance.now();
    const trials = lrs.map((lr) => trial(task, Number(lr.toPrecision(3))));
    store[task.id] = { id: task.id, steps: STEPS, headline, trials };
    writeFileSync(OUT, `${JSON.stringify(store, null, 1)}\n`);
    console.log(`${task.id}: ${trials.map((t) => `${formatLr(t.lr)} → ${t.earlyValLoss?.toPrecision(4) ?? 'diverged'}`).join(', ')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}

function score(): void {
  const store = JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, TaskTrials>;
  const rows: string[] = ['| task | best grid LR | headline: LR (regret) | trials (early val. loss) | trial pick: LR (regret) |', '|---|---|---|---|---|'];
  const summary: { headline: number; pick: number }[] = [];
  for (const task of ADVICE_TASKS.filter((t) => !t.heldOut || args.includes('--held-out'))) {
    const t = store[task.id];
    if (t === undefined) continue;
    const data = readTask(task.id);
    const means = gridMeans(task, data);
    const bestPoint = means.reduce((a, b) => (task.kind === 'classification' ? (b.mean > a.mean ? b : a) : b.mean < a.mean ? b : a));
    const worst = means.reduce((a, b) => (task.kind === 'classification' ? (b.mean < a.mean ? b : a) : b.mean > a.mean ? b : a)).mean;
    const regret = (lr: number | null): number => regretOf(task, bestPoint.mean, lr === null ? worst : oracleAt(means, lr).value) / (task.kind === 'regression' ? 10 : 1);
    const pick = trialsPick(t.trials, t.headline, data);
    summary.push({ headline: regret(t.headline), pick: regret(pick) });
    const fmt = (x: number): string => x.toFixed(2);
    rows.push(`| ${task.id} | ${formatLr(bestPoint.lr)} | ${t.headline === null ? '—' : formatLr(t.headline)} (${fmt(regret(t.headline))}) | ${t.trials.map((x) => `${formatLr(x.lr)}: ${x.earlyValLoss?.toPrecision(3) ?? 'diverged'}`).join(', ')} | ${pick === null ? '—' : formatLr(pick)} (${fmt(regret(pick))}) |`);
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  console.log(rows.join('\n'));
  console.log(`\n${summary.length} tasks, regret in target units (points; % excess MSE ÷ 10): headline median ${median(summary.map((s) => s.headline)).toFixed(2)} / worst ${Math.max(...summary.map((s) => s.headline)).toFixed(2)}; trial pick median ${median(summary.map((s) => s.pick)).toFixed(2)} / worst ${Math.max(...summary.map((s) => s.pick)).toFixed(2)}`);
}

if (args.includes('--score')) score();
else generate(flag('tasks', '').split(',').filter(Boolean));
