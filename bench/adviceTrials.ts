/**
 * A study, not a rule in the product: would short 1cycle trials around the headline pick a better
 * max LR than the range test alone? For each advice task, candidates around the product's headline
 * (the median of its three range tests): h/3, h, 3h; where it gives none, runs 3x as long at a
 * hundredth, a thirtieth and a tenth of the LR where the longest range test stopped (diverged, or
 * its last LR) — as the product does since 2026-12-01 10:45 UTC; trials.json and trials-900.json
 * were made before, with a thirtieth, a tenth and a third at the same length as the others. Each
 * candidate is one `lrlab sweep --short-runs --wd 0 --max-lr X` (300 steps of 1cycle, the compiled
 * optimizer, momentum cycled where train cycles it, judged on early validation loss); the trial
 * pick is the lowest. Both are scored on the committed oracle grid (bench/advice/*.json) like the
 * rules of `adviceQuality.ts --score`.
 *
 *   npx tsx bench/adviceTrials.ts [--tasks a,b] [--steps 300] [--out bench/advice/trials.json]
 *   npx tsx bench/adviceTrials.ts --score [--held-out]
 *   npx tsx bench/adviceTrials.ts --walk --steps 100 --out bench/advice/trials-100.json [--held-out]
 *
 * Held-out tasks (`heldOut` in adviceTasks.ts) are skipped unless named in --tasks with --held-out
 * (and scored only with --held-out): their data is for judging a rule once it is committed.
 * The trials see the validation split the oracle's metric is measured on: the pick is what a user
 * choosing by validation loss would get.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatLr } from '../src/protocol/format';
import { ADVICE_TASKS } from './adviceTasks';
import type { AdviceTask } from './adviceTasks';
import { medianStart, readTask } from './adviceQuality';
import type { TaskData } from './adviceQuality';
import { median, productBaselineLoss, productRounds, scorer, trialCandidates, trialsPick } from './adviceScore';
import { bestTrial } from '../src/core/decisions';
import { shortRunAt } from './adviceRuns';
import type { TrialRecord } from './adviceRuns';
import type { TrialRoundOutcome } from '../src/protocol/results';

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const STEPS = Number(flag('steps', '300'));
const OUT = path.resolve(flag('out', path.join(ROOT, 'bench', 'advice', 'trials.json')));

type Trial = TrialRecord;

interface TaskTrials {
  readonly id: string;
  /** Steps of `trials`: the runs the pick is read from. */
  readonly steps: number;
  readonly headline: number | null;
  readonly trials: Trial[];
  /** As find-lr's `trials.earlier` (since 2026-12-01 15:50 UTC): around a headline, the rounds before `trials` that broke down or learned nothing. */
  readonly earlier?: readonly { readonly steps: number; readonly trials: Trial[]; readonly outcome: TrialRoundOutcome }[];
}



/** The product's candidates (findLr.ts withTrials) at this script's --steps. */
export const candidates = (task: AdviceTask, data: TaskData): { headline: number | null; lrs: number[]; steps: number } => trialCandidates(task, data, STEPS);

const trial = (task: AdviceTask, lr: number, steps = STEPS): Trial => shortRunAt(task, lr, steps, 1);

function generate(ids: readonly string[]): void {
  const store: Record<string, TaskTrials> = existsSync(OUT) ? (JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, TaskTrials>) : {};
  // Held-out tasks only when named and asked for: their range tests and trials are evidence for a rule not yet made.
  for (const task of ADVICE_TASKS.filter((t) => (ids.length === 0 ? !t.heldOut : ids.includes(t.id) && (!t.heldOut || args.includes('--held-out'))))) {
    const data = readTask(task.id);
    if (data.grid.length === 0 || data.rangeTests.length === 0) continue;
    const chosen = candidates(task, data);
    const started = performance.now();
    // Runs already on file (any round) for these LRs and length are not run again.
    const old = store[task.id];
    const onFile = old === undefined ? [] : [...(old.earlier ?? []), { steps: old.steps, trials: old.trials }];
    const runRound = (at: readonly number[], length: number): { trials: Trial[] } => ({ trials: onFile.find((r) => r.steps === length && r.trials.length === at.length && r.trials.every((t, i) => t.lr === at[i]))?.trials ?? at.map((lr) => trial(task, lr, length)) });
    const { final, steps, earlier: before } = productRounds(chosen, productBaselineLoss(data), medianStart(task, data), runRound);
    const earlier = before.map((r) => ({ steps: r.steps, trials: r.round.trials, outcome: r.outcome }));
    const entry: TaskTrials = { id: task.id, steps, headline: chosen.headline, trials: final.trials, ...(earlier.length === 0 ? {} : { earlier }) };
    store[task.id] = entry;
    writeFileSync(OUT, `${JSON.stringify(store, null, 1)}\n`);
    const list = (xs: readonly Trial[]): string => xs.map((t) => `${formatLr(t.lr)} → ${t.earlyValLoss?.toPrecision(4) ?? 'diverged'}`).join(', ');
    console.log(`${task.id}: ${earlier.map((r) => `${r.steps} steps ${r.outcome} (${list(r.trials)}); `).join('')}${earlier.length === 0 ? '' : `${entry.steps} steps: `}${list(entry.trials)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
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
    const { bestPoint, regret } = scorer(task, data);
    const pick = trialsPick(t.trials, t.headline, data);
    summary.push({ headline: regret(t.headline), pick: regret(pick) });
    const fmt = (x: number): string => x.toFixed(2);
    rows.push(`| ${task.id} | ${formatLr(bestPoint.lr)} | ${t.headline === null ? '—' : formatLr(t.headline)} (${fmt(regret(t.headline))}) | ${t.trials.map((x) => `${formatLr(x.lr)}: ${x.earlyValLoss?.toPrecision(3) ?? 'diverged'}`).join(', ')} | ${pick === null ? '—' : formatLr(pick)} (${fmt(regret(pick))}) |`);
  }
  console.log(rows.join('\n'));
  console.log(`\n${summary.length} tasks, regret in target units (points; % excess MSE ÷ 10): headline median ${median(summary.map((s) => s.headline)).toFixed(2)} / worst ${Math.max(...summary.map((s) => s.headline)).toFixed(2)}; trial pick median ${median(summary.map((s) => s.pick)).toFixed(2)} / worst ${Math.max(...summary.map((s) => s.pick)).toFixed(2)}`);
}

/** The walk studied below: at most this many runs past the first three, each a factor of 3 further out. */
const MAX_TRIALS_OUT = 2;

/**
 * The next LR of the walk: where the best of the trials so far (core `bestTrial`) is the lowest or
 * the highest LR tried, a step of 3 past it (the pick is then only the edge of what was tried);
 * `null` when the best has a worse run on both sides, none learned, MAX_TRIALS_OUT were added, or
 * the step up would reach an LR at which a trial diverged.
 */
function nextTrialLr(runs: readonly { maxLr: number; earlyValLoss: number | null; diverged: boolean }[], baselineValLoss: number | null, added: number): number | null {
  if (added >= MAX_TRIALS_OUT || runs.length === 0) return null;
  const best = bestTrial(runs.map((r) => ({ label: String(r.maxLr), earlyValLoss: r.earlyValLoss, diverged: r.diverged })), baselineValLoss).best;
  if (best === null) return null;
  const lr = runs[best]!.maxLr;
  const lrs = runs.map((r) => r.maxLr);
  if (lr <= Math.min(...lrs)) return Number((lr / 3).toPrecision(3));
  if (lr >= Math.max(...lrs)) {
    const up = Number((lr * 3).toPrecision(3));
    return runs.some((r) => r.diverged && r.maxLr <= up) ? null : up;
  }
  return null;
}

/**
 * `--walk` (a study; not adopted, bench/README.md): where the best of a task's three trials is the
 * lowest or highest LR tried, runs a step further out (`nextTrialLr`). The extra runs are cached in
 * bench/advice/trials-<steps>-walk.json; the table compares the pick of three with the pick after
 * the walk.
 */
function walk(ids: readonly string[]): void {
  const store = JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, TaskTrials>;
  const extraFile = OUT.replace(/\.json$/, '-walk.json');
  const extra: Record<string, Trial[]> = existsSync(extraFile) ? (JSON.parse(readFileSync(extraFile, 'utf8')) as Record<string, Trial[]>) : {};
  const rows: string[] = ['| task | best grid LR | trials (early val. loss) | pick of 3 (regret) | walk (early val. loss) | pick after it (regret) |', '|---|---|---|---|---|---|'];
  const summary: { three: number; walked: number; added: number }[] = [];
  for (const task of ADVICE_TASKS.filter((t) => (ids.length === 0 || ids.includes(t.id)) && (!t.heldOut || args.includes('--held-out')))) {
    const t = store[task.id];
    if (t === undefined) continue;
    const data = readTask(task.id);
    const baseline = productBaselineLoss(data);
    const runs = t.trials.map((x) => ({ maxLr: x.lr, earlyValLoss: x.earlyValLoss, diverged: x.diverged }));
    const walked: Trial[] = [];
    for (let next = nextTrialLr(runs, baseline, 0); next !== null; next = nextTrialLr(runs, baseline, walked.length)) {
      const lr = next;
      let found = extra[task.id]?.find((x) => x.lr === lr);
      if (found === undefined) {
        found = trial(task, lr);
        extra[task.id] = [...(extra[task.id] ?? []), found];
        writeFileSync(extraFile, `${JSON.stringify(extra, null, 1)}\n`);
      }
      walked.push(found);
      runs.push({ maxLr: found.lr, earlyValLoss: found.earlyValLoss, diverged: found.diverged });
    }
    const { bestPoint, regret } = scorer(task, data);
    const three = trialsPick(t.trials, t.headline, data);
    const after = trialsPick([...t.trials, ...walked], t.headline, data);
    summary.push({ three: regret(three), walked: regret(after), added: walked.length });
    const fmt = (x: number): string => x.toFixed(2);
    const list = (xs: readonly Trial[]): string => xs.map((x) => `${formatLr(x.lr)}: ${x.earlyValLoss?.toPrecision(3) ?? 'diverged'}`).join(', ');
    rows.push(`| ${task.id} | ${formatLr(bestPoint.lr)} | ${list(t.trials)} | ${three === null ? '—' : formatLr(three)} (${fmt(regret(three))}) | ${walked.length === 0 ? '—' : list(walked)} | ${after === null ? '—' : formatLr(after)} (${fmt(regret(after))}) |`);
  }
  console.log(rows.join('\n'));
  console.log(`\n${summary.length} tasks, regret in target units: pick of 3 median ${median(summary.map((s) => s.three)).toFixed(2)} / worst ${Math.max(...summary.map((s) => s.three)).toFixed(2)}; after the walk median ${median(summary.map((s) => s.walked)).toFixed(2)} / worst ${Math.max(...summary.map((s) => s.walked)).toFixed(2)}; runs added ${summary.reduce((a, s) => a + s.added, 0)} on ${summary.filter((s) => s.added > 0).length} tasks`);
}

if (args.includes('--walk')) walk(flag('tasks', '').split(',').filter(Boolean));
else if (args.includes('--score')) score();
else generate(flag('tasks', '').split(',').filter(Boolean));
