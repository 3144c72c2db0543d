/**
 * A lead, not a rule in the product: how much of find-lr's pick is the short runs' seed? For each
 * tuning task of the advice bench, the final round of trials on file (`bench/advice/trials-100.json`:
 * its LRs and length, seed 1) is run again at seed 2 (`lrlab sweep --short-runs`, as
 * `adviceTrials.ts` runs them) and stored in `bench/advice/trials-100-seed2.json`. `--score` compares,
 * on the oracle grids: the pick from seed 1 (what the rules were tuned on), from seed 2 alone (a fresh
 * seed, as a user's task gets), and from the mean of the two seeds' losses and accuracies.
 *
 *   npm run build && npx tsx bench/adviceSeeds.ts --generate [--part 0 --parts 2]
 *   npx tsx bench/adviceSeeds.ts --score
 *   npx tsx bench/adviceSeeds.ts --rounds [--tasks a,b [--held-out]] [--again] [--part 0 --parts 2]
 *
 * Held-out tasks are left out: a rule made on this is judged on them, or on a fresh round.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADVICE_TASKS } from './adviceTasks';
import { medianEdge, medianHeadline, medianStart, readTask } from './adviceQuality';
import { median, productBaselineLoss, productRounds, scorer, storedBest, storedStepDown, trialCandidates, trialsPick } from './adviceScore';
import { SPLIT_STEP_DOWN, meanOverSeeds } from '../src/core/decisions';
import { shortRunAt } from './adviceRuns';
import type { TrialRecord } from './adviceRuns';
import type { TrialRoundOutcome } from '../src/protocol/results';

const ROOT = path.join(__dirname, '..');
const TRIALS = path.join(ROOT, 'bench', 'advice', 'trials-100.json');
const OUT = path.join(ROOT, 'bench', 'advice', 'trials-100-seed2.json');
const SEED = 2;

type Trial = TrialRecord;
type Store = Record<string, { steps: number; trials: Trial[] }>;

const args = process.argv.slice(2);
const value = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const read = (file: string): Store => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Store) : {});

function generate(part: number, parts: number): void {
  const store = read(TRIALS);
  const tasks = ADVICE_TASKS.filter((t) => !t.heldOut && store[t.id] !== undefined && read(OUT)[t.id] === undefined).filter((_, i) => i % parts === part);
  for (const task of tasks) {
    const { steps, trials } = store[task.id]!;
    const runs = trials.map((t) => shortRunAt(task, t.lr, steps, SEED));
    // Re-read before writing: another part may have written since.
    const now = read(OUT);
    now[task.id] = { steps, trials: runs };
    writeFileSync(OUT, `${JSON.stringify(now, null, 1)}\n`);
    console.error(`${task.id}: ${runs.map((r) => `${r.lr} → ${r.earlyValLoss?.toFixed(4) ?? '—'}`).join(', ')}`);
  }
}

/** Two seeds' runs at the same LRs as one, as find-lr makes them (core meanOverSeeds; the bench leaves out an accuracy it does not have). */
function meanOf(a: readonly Trial[], b: readonly Trial[]): Trial[] {
  return a.map((x, i) => {
    const { earlyValLoss, earlyValAccuracy, diverged } = meanOverSeeds([x, b[i]!].map((t) => ({ earlyValLoss: t.earlyValLoss, earlyValAccuracy: t.earlyValAccuracy ?? null, diverged: t.diverged })));
    return { lr: x.lr, earlyValLoss, diverged, ...(earlyValAccuracy === null ? {} : { earlyValAccuracy }) };
  });
}

function score(): void {
  const one = read(TRIALS);
  const two = read(OUT);
  const rounds = (existsSync(ROUNDS_OUT) ? JSON.parse(readFileSync(ROUNDS_OUT, 'utf8')) : {}) as Record<string, RoundsEntry>;
  const rules: Record<string, number[]> = { 'seed 1 (tuned on)': [], 'seed 2 (fresh)': [], 'mean of both': [] };
  const twoSeeds: { held: boolean; regrets: number[] }[] = [];
  let differ = 0;
  for (const task of ADVICE_TASKS.filter((t) => !t.heldOut && two[t.id] !== undefined && one[t.id] !== undefined)) {
    const data = readTask(task.id);
    // Target units: points, or % excess MSE ÷ 10.
    const { regret } = scorer(task, data);
    const headline = medianHeadline(task, data);
    const edge = headline === null ? null : medianEdge(task, data);
    const [a, b] = [one[task.id]!.trials, two[task.id]!.trials];
    const picks = [trialsPick(a, headline, data, edge), trialsPick(b, headline, data, edge), trialsPick(meanOf(a, b), headline, data, edge)];
    const regrets = picks.map(regret);
    Object.values(rules).forEach((list, k) => list.push(regrets[k]!));
    if (picks[0] !== picks[1]) differ++;
    if (picks.some((p) => p !== picks[0])) console.log(`${task.id.padEnd(26)} ${picks.map((p, k) => `${p} (${regrets[k]!.toFixed(2)})`).join('  ')}`);
  }
  // find-lr with --trial-seeds 2: its own rounds, decided on the two seeds' mean (--rounds); beside
  // it the pick each seed's runs of the same final round give alone (what one seed would pick there).
  for (const task of ADVICE_TASKS.filter((t) => rounds[t.id] !== undefined)) {
    const data = readTask(task.id);
    const headline = medianHeadline(task, data);
    const edge = headline === null ? null : medianEdge(task, data);
    const entry = rounds[task.id]!;
    const { regret } = scorer(task, data);
    twoSeeds.push({ held: task.heldOut === true, regrets: [entry.seeds[0]!, entry.seeds[1]!, entry.trials].map((t) => regret(trialsPick(t, headline, data, edge))) });
  }
  for (const [name, list] of Object.entries(rules)) {
    console.log(`${name.padEnd(20)} ${list.length} tasks: median ${median(list).toFixed(2)}, mean ${(list.reduce((s, x) => s + x, 0) / list.length).toFixed(2)}, worst ${Math.max(...list).toFixed(2)}, over 5: ${list.filter((x) => x > 5).length}`);
  }
  console.log(`the two seeds' picks differ on ${differ} tasks`);
  const line = (list: readonly number[]): string => `median ${median(list).toFixed(2)}, mean ${(list.reduce((a, x) => a + x, 0) / list.length).toFixed(2)}, worst ${Math.max(...list).toFixed(2)}, over 5: ${list.filter((x) => x > 5).length}`;
  for (const [set, held] of [['tuning', false], ['held out', true]] as const) {
    const tasks = twoSeeds.filter((t) => t.held === held);
    if (tasks.length === 0) continue;
    console.log(`find-lr's own rounds (--rounds), ${set}, ${tasks.length} tasks:`);
    ['seed 1 alone', 'seed 2 alone', 'two seeds (find-lr)'].forEach((name, k) => console.log(`  ${name.padEnd(20)} ${line(tasks.map((t) => t.regrets[k]!))}`));
  }
}

/** bench/advice/trials-100-seeds12.json: find-lr's rounds with two seeds per LR, decided on their mean (`--rounds`). */
const ROUNDS_OUT = path.join(ROOT, 'bench', 'advice', 'trials-100-seeds12.json');

interface SeedRound {
  readonly steps: number;
  /** The mean of `seeds` per LR (meanOf): what the rounds are decided and the pick is read from. */
  readonly trials: Trial[];
  /** Per seed (1, 2), the runs at the same LRs. */
  readonly seeds: Trial[][];
}
type RoundsEntry = SeedRound & { readonly id: string; readonly headline: number | null; readonly earlier?: (SeedRound & { readonly outcome: TrialRoundOutcome })[]; readonly below?: SeedRound };

/**
 * find-lr's rounds as the product makes them with `--trial-seeds 2` (findLr.ts withTrials): each LR
 * at seeds 1 and 2, every decision (9x lower where all broke down, 3x longer where all learned
 * nothing, 3x longer where the pick barely learned, the pick) on the two seeds' mean. Runs on file for the same task, LRs, length and seed
 * (trials-100.json: seed 1, every round; trials-100-seed2.json: seed 2, final rounds; with --again,
 * the task's own rounds in trials-100-seeds12.json) are not run again.
 */
function generateRounds(part: number, parts: number): void {
  const seed1 = JSON.parse(readFileSync(TRIALS, 'utf8')) as Record<string, { steps: number; trials: Trial[]; earlier?: { steps: number; trials: Trial[] }[] }>;
  const seed2 = read(OUT);
  const named = value('tasks', '').split(',').filter(Boolean);
  // Split into parts first, then skip what is on file (another part writes as it goes).
  const tasks = ADVICE_TASKS.filter((t) => (named.length === 0 ? !t.heldOut : named.includes(t.id) && (!t.heldOut || args.includes('--held-out')))).filter((_, i) => i % parts === part);
  for (const task of tasks) {
    // --again: a task on file runs its rounds again as the product makes them now (a new round after its
    // last), its runs on file reused; without it, a task on file is skipped.
    const previous = (JSON.parse(existsSync(ROUNDS_OUT) ? readFileSync(ROUNDS_OUT, 'utf8') : '{}') as Record<string, RoundsEntry>)[task.id];
    if (previous !== undefined && !args.includes('--again')) continue;
    const data = readTask(task.id);
    if (data.grid.length === 0 || data.rangeTests.length === 0) continue;
    const started = performance.now();
    const onFile = (seed: number): { steps: number; trials: Trial[] }[] => {
      const own = previous === undefined ? [] : [...(previous.earlier ?? []), previous].map((r) => ({ steps: r.steps, trials: r.seeds[seed - 1]! }));
      if (seed === 1) { const e = seed1[task.id]; return [...own, ...(e === undefined ? [] : [...(e.earlier ?? []), e])]; }
      const e = seed2[task.id];
      return [...own, ...(e === undefined ? [] : [e])];
    };
    // A classifier's runs on file from before the short runs' accuracy was recorded (19:35) are run again: find-lr reads it.
    const complete = (trials: readonly Trial[]): boolean => task.kind === 'regression' || trials.every((t) => t.earlyValLoss === null || t.earlyValAccuracy !== undefined);
    const runAt = (at: readonly number[], steps: number, seed: number): Trial[] =>
      onFile(seed).find((r) => r.steps === steps && r.trials.length === at.length && r.trials.every((t, i) => t.lr === at[i]) && complete(r.trials))?.trials ?? at.map((lr) => shortRunAt(task, lr, steps, seed));
    const roundAt = (at: readonly number[], steps: number): SeedRound => {
      const seeds = [runAt(at, steps, 1), runAt(at, steps, 2)];
      return { steps, trials: meanOf(seeds[0]!, seeds[1]!), seeds };
    };
    const chosen = trialCandidates(task, data, 100);
    const { final: round, earlier: before } = productRounds(chosen, productBaselineLoss(data), medianStart(task, data), roundAt);
    const earlier = before.map((r) => ({ ...r.round, outcome: r.outcome }));
    // A pick whose seeds split with no run below it: find-lr runs one more, SPLIT_STEP_DOWN lower (core stepDownFromSplit).
    const baseline = productBaselineLoss(data);
    const pick = storedBest(round.trials, baseline);
    const down = pick === null ? null : storedStepDown(round.trials, round.seeds, pick, baseline);
    const below = down === 'below' ? roundAt([Number((round.trials[pick!]!.lr / SPLIT_STEP_DOWN).toPrecision(3))], round.steps) : null;
    const entry: RoundsEntry = { id: task.id, headline: chosen.headline, ...round, ...(earlier.length === 0 ? {} : { earlier }), ...(below === null ? {} : { below }) };
    // Re-read before writing: another part may have written since.
    const now = (existsSync(ROUNDS_OUT) ? JSON.parse(readFileSync(ROUNDS_OUT, 'utf8')) : {}) as Record<string, RoundsEntry>;
    now[task.id] = entry;
    writeFileSync(ROUNDS_OUT, `${JSON.stringify(now, null, 1)}\n`);
    console.error(`${task.id}: ${earlier.map((r) => `${r.steps} steps ${r.outcome}; `).join('')}${round.trials.map((r) => `${r.lr} → ${r.earlyValLoss?.toFixed(4) ?? '—'}`).join(', ')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}

if (args.includes('--generate')) generate(Number(value('part', '0')), Number(value('parts', '1')));
else if (args.includes('--rounds')) generateRounds(Number(value('part', '0')), Number(value('parts', '1')));
else score();
