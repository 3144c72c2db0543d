/**
 * Scoring of bench/adviceQuality.ts: each rule's max LR on each range test, its regret against
 * the 1cycle oracle grid, per task and per rule (median and worst, tuning and held-out apart).
 * Reads only the committed JSON and the rules in src/core.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RangePoint } from '../src/protocol/results';
import { formatLr } from '../src/protocol/format';
import { suggest } from '../src/core/suggestions';
import { LONGER_TRIALS, LOWER_TRIALS, backOffFromEdge, belowDivergence, bestTrial, learnedAtEverySeed, nextTrialRound, stepDownFromSplit } from '../src/core/decisions';
import type { TrialRoundOutcome } from '../src/protocol/results';
import { lrFinderSuggestion } from '../src/core/peerRules';
import type { AdviceTask } from './adviceTasks';
import type { RangeRecord, TaskData } from './adviceQuality';
import { blockedHeadline, gridLr, gridMeans, headlineOfTest, medianEdge, medianHeadline, metricOf, productHeadline } from './adviceQuality';

export interface Rule {
  readonly name: string;
  pick(points: readonly RangePoint[], task: AdviceTask, context: { readonly data: TaskData; readonly record: RangeRecord }): number | null;
}

/** The loss each task's model file uses (every regression task is MSE, every classifier cross-entropy). */
export const taskLoss = (task: AdviceTask): string => (task.kind === 'regression' ? 'meanSquaredError' : 'categoricalCrossentropy');

/**
 * The short runs `find-lr --lr-trials 100` makes, per task: bench/advice/trials-100-seeds12.json
 * (bench/adviceSeeds.ts --rounds: each LR at seeds 1 and 2, every round decided on their mean, as
 * find-lr does since --trial-seeds 2) and, for the rule before it, bench/advice/trials-100.json
 * (bench/adviceTrials.ts --steps 100: seed 1 alone).
 */
const TRIALS_FILES = { two: path.join(__dirname, 'advice', 'trials-100-seeds12.json'), one: path.join(__dirname, 'advice', 'trials-100.json') } as const;
type StoredTrial = { lr: number; earlyValLoss: number | null; diverged: boolean; earlyValAccuracy?: number };
/** A task's final round on file: the runs (two seeds' mean), each seed's runs, and the run below a coin-toss pick (core stepDownFromSplit) where one ran. */
type StoredRound = { trials: StoredTrial[]; seeds?: StoredTrial[][]; below?: { trials: StoredTrial[]; seeds: StoredTrial[][] } };
const trialsCache: Partial<Record<keyof typeof TRIALS_FILES, Record<string, StoredRound>>> = {};

/**
 * What `find-lr --lr-trials 100` reports: the pick of the committed 100-step trials around the
 * headline (the same candidates as the product; `seeds` two, the default, or one); the headline
 * where a task has no trials on file, none where every trial diverged and there is no headline.
 */
export function trialsHeadline(task: AdviceTask, data: TaskData, seeds: keyof typeof TRIALS_FILES = 'two'): number | null {
  const file = TRIALS_FILES[seeds];
  const store = (trialsCache[seeds] ??= existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, StoredRound>) : {});
  const entry = store[task.id];
  const trials = entry?.trials ?? [];
  // The product's pick (findLr.ts withTrials): the lowest early validation loss among the trials that
  // got clearly below the baseline, a step lower where its seeds split, half a step lower at the
  // blow-up edge; none such: the range tests' headline (or none).
  const headline = medianHeadline(task, data);
  return trialsPick(trials, headline, data, headline === null ? null : medianEdge(task, data), entry?.seeds === undefined ? undefined : { seeds: entry.seeds, ...(entry.below === undefined ? {} : { below: entry.below }) });
}

/** core bestTrial on trials as the bench stores them (`validationSamples`: what find-lr passes it, the validation split's size). */
export function storedBest(trials: readonly StoredTrial[], baseline: number | null, validationSamples?: number): number | null {
  return bestTrial(trials.map((t) => ({ label: String(t.lr), earlyValLoss: t.earlyValLoss, earlyValAccuracy: t.earlyValAccuracy ?? null, diverged: t.diverged })), baseline, validationSamples).best;
}

/**
 * The validation samples a task's accuracies are counted on, as find-lr knows them (its validation
 * split's size), read back from the oracle's runs on the same split: the smallest count that makes
 * every final accuracy of the grid a whole number of samples. Undefined where the grid has fewer than
 * two distinct accuracies or none fits (a multi-label model's accuracy counts labels, not samples).
 */
export function validationSamplesOf(data: TaskData): number | undefined {
  const accuracies = data.grid.map((g) => g.finalValAccuracy).filter((a): a is number => typeof a === 'number' && Number.isFinite(a));
  if (new Set(accuracies).size < 2) return undefined;
  for (let n = 10; n <= 100_000; n++) if (accuracies.every((a) => Math.abs(a * n - Math.round(a * n)) < 2e-3)) return n;
  return undefined;
}

/** core stepDownFromSplit on trials as the bench stores them, with each seed's runs (`seeds`: seed 1's, seed 2's, …). */
export function storedStepDown(trials: readonly StoredTrial[], seeds: readonly (readonly StoredTrial[])[], pick: number, baseline: number | null): number | 'below' | null {
  return stepDownFromSplit(trials.map((t, i) => ({ ...t, bySeed: bySeedOf(seeds, i) })), pick, baseline);
}

/** Each seed's run (seeds 1, 2, …) of the trial at `i`, as find-lr's `bySeed`. */
export function bySeedOf(seeds: readonly (readonly StoredTrial[])[], i: number): { seed: number; earlyValLoss: number | null; diverged: boolean }[] {
  return seeds.map((runs, k) => ({ seed: k + 1, earlyValLoss: runs[i]!.earlyValLoss, diverged: runs[i]!.diverged }));
}

/** Where the longest range test of a task stopped: its divergence LR, else its last LR. */
function stopLr(data: TaskData): number {
  const tests = data.rangeTests.map((r) => r.retry ?? r);
  const longest = tests.reduce((a, b) => (b.points.length > a.points.length ? b : a));
  return longest.divergedAt ?? longest.points.at(-1)!.lr;
}

/** The product's candidates (findLr.ts withTrials): around the headline; without one, 3x longer runs at a 100th-10th of the stop. */
export function trialCandidates(task: AdviceTask, data: TaskData, steps: number): { headline: number | null; lrs: number[]; steps: number } {
  const h = medianHeadline(task, data);
  if (h !== null) return { headline: h, lrs: [h / 3, h, h * 3], steps };
  const s = stopLr(data);
  return { headline: null, lrs: [s / 100, s / 30, s / 10], steps: 3 * steps };
}

/** The loss of knowing nothing the product computed for a task (validation, else training), or none. */
export function productBaselineLoss(data: TaskData): number | null {
  return data.productBaseline === undefined || data.productBaseline === null ? null : (data.productBaseline.valLoss ?? data.productBaseline.loss);
}

/**
 * find-lr's rounds of short runs (findLr.ts withTrials) over `roundAt`, which runs (or reads from
 * file) one round at given LRs and length: around a headline, 9x lower where every run broke down,
 * then 3x as long where every run finished at the baseline (and, since 2026-12-02 17:30 UTC, 9x lower
 * at that length where those longer runs learned nothing either), or (since 2026-12-02) where the pick
 * barely learned and no round ran longer yet; `start`: where the model started (medianStart).
 * `final` is the round the pick is read from.
 */
export function productRounds<R extends { readonly trials: readonly { lr: number; earlyValLoss: number | null; diverged: boolean; earlyValAccuracy?: number }[] }>(
  candidates: { headline: number | null; lrs: readonly number[]; steps: number },
  baseline: number | null,
  start: number | null,
  roundAt: (at: readonly number[], steps: number) => R,
): { final: R; steps: number; earlier: { round: R; steps: number; outcome: TrialRoundOutcome }[] } {
  const { headline } = candidates;
  let planned = candidates.lrs.map((lr) => Number(lr.toPrecision(3)));
  let steps = candidates.steps;
  let round = roundAt(planned, steps);
  const earlier: { round: R; steps: number; outcome: TrialRoundOutcome }[] = [];
  // The product's rule for further rounds (core nextTrialRound), around a headline.
  const next = (): TrialRoundOutcome | null => (headline === null ? null : nextTrialRound(round.trials, earlier.map((r) => r.outcome), baseline, start));
  for (let outcome = next(); outcome !== null; outcome = next()) {
    earlier.push({ round, steps, outcome });
    if (outcome === 'broke down' || outcome === 'still learned nothing') planned = planned.map((lr) => Number((lr / LOWER_TRIALS).toPrecision(3)));
    else steps *= LONGER_TRIALS;
    round = roundAt(planned, steps);
  }
  return { final: round, steps, earlier };
}

/**
 * find-lr's pick from committed trials (core bestTrial, the baseline the product computed for the
 * task), backed off from the blow-up edge of the range test the headline was read from (core
 * backOffFromEdge) where `edge` is given.
 */
export function trialsPick(trials: readonly StoredTrial[], headline: number | null, data: TaskData, edge: number | null = null, seeded?: Pick<StoredRound, 'below'> & { seeds: readonly (readonly StoredTrial[])[] }): number | null {
  const baseline = productBaselineLoss(data);
  const best = storedBest(trials, baseline, validationSamplesOf(data));
  // None learned: the headline, under any run that diverged (core belowDivergence; the final round's runs: the file keeps no earlier ones).
  if (best === null) return headline === null ? null : (belowDivergence(headline, trials.map((t) => ({ maxLr: t.lr, diverged: t.diverged })))?.maxLr ?? headline);
  // A pick whose seeds split: the run below where it learned at every seed (findLr.ts; core stepDownFromSplit).
  if (seeded !== undefined) {
    const down = storedStepDown(trials, seeded.seeds, best, baseline);
    if (typeof down === 'number') return trials[down]!.lr;
    if (down === 'below') {
      const below = seeded.below;
      if (below === undefined) console.error(`trialsPick: a coin-toss pick (${trials[best]!.lr}) without the run below it on file: scored at the pick`);
      else if (learnedAtEverySeed({ ...below.trials[0]!, bySeed: bySeedOf(below.seeds, 0) }, baseline)) return below.trials[0]!.lr;
      // Else the pick stands, the run below it now its lower neighbour (for the back-off).
      else return backOffFromEdge(trials[best]!.lr, below.trials[0]!.lr, edge) ?? trials[best]!.lr;
    }
  }
  return backOffFromEdge(trials[best]!.lr, best > 0 ? trials[best - 1]!.lr : null, edge) ?? trials[best]!.lr;
}

export const RULES: readonly Rule[] = [
  // What `lrlab find-lr` reports: the median of its three range tests (--range-tests 3, seeds 1-3 here), each
  // the first test's headline, else its second test's (--range-retries 1). One pick per task.
  { name: 'headline', pick: (_, task, { data }) => medianHeadline(task, data) },
  // What `lrlab find-lr` reports by default since 2026-12-01 (`--lr-trials 100`): three short 1cycle runs around that
  // headline, each at two seeds (`--trial-seeds 2`), the best of their means among those that got clearly below the baseline.
  { name: 'headline + trials', pick: (_, task, { data }) => trialsHeadline(task, data) },
  // The same at one seed per short run (--trial-seeds 1; find-lr's default until 2026-12-01 23:00 UTC).
  { name: 'headline + trials, 1 seed', pick: (_, task, { data }) => trialsHeadline(task, data, 'one') },
  // One range test (--range-tests 1): the first test's headline, else its second test's.
  { name: 'headline, 1 range test', pick: (_, task, { record }) => productHeadline(task, record) },
  // The same rule on the first test only (no second test): as scored before the retry existed.
  { name: 'headline, 1st test', pick: (_, task, { record }) => headlineOfTest(task, record) },
  // #14's rule, withdrawn: no headline where the loss never got clearly below the baseline.
  { name: 'headline, blocked', pick: (_, task, { data, record }) => blockedHeadline(task, data, record) },
  { name: 'range', pick: (p) => suggest(p).range?.maxLr ?? null },
  { name: 'valley', pick: (p) => suggest(p).suggestions.valley },
  { name: 'steep', pick: (p) => suggest(p).suggestions.steep },
  { name: 'minimum', pick: (p) => suggest(p).suggestions.minimum },
  { name: 'lr-finder', pick: lrFinderSuggestion },
];

export interface TaskScore {
  readonly task: AdviceTask;
  readonly bestLr: number;
  readonly best: number;
  /** Per rule: the LR picked on each range test and the mean regret over them. */
  readonly rules: Record<string, { lrs: (number | null)[]; regret: number; outside: boolean }>;
}

/** The oracle at `lr`: linear in log10(LR) between grid points, the edge value outside (flagged). */
export function oracleAt(means: readonly { lr: number; mean: number }[], lr: number): { value: number; outside: boolean } {
  const x = Math.log10(lr);
  const first = means[0]!;
  const last = means[means.length - 1]!;
  if (x <= Math.log10(first.lr)) return { value: first.mean, outside: x < Math.log10(first.lr) - 1e-9 };
  if (x >= Math.log10(last.lr)) return { value: last.mean, outside: x > Math.log10(last.lr) + 1e-9 };
  const i = means.findIndex((m) => Math.log10(m.lr) >= x);
  const a = means[i - 1]!;
  const b = means[i]!;
  const t = (x - Math.log10(a.lr)) / (Math.log10(b.lr) - Math.log10(a.lr));
  return { value: a.mean + t * (b.mean - a.mean), outside: false };
}

/**
 * Regret: accuracy points lost (classification), relative excess validation MSE in % (regression).
 * A rule that gives no LR is scored at the grid's worst value.
 */
export function regretOf(task: AdviceTask, best: number, value: number): number {
  return task.kind === 'classification' ? (best - value) * 100 : (value / best - 1) * 100;
}

/** A task's best grid point and the regret of an LR against it, in target units (points; % excess MSE ÷ 10; none: the grid's worst). */
export function scorer(task: AdviceTask, data: TaskData): { bestPoint: { lr: number; mean: number }; regret: (lr: number | null) => number } {
  const means = gridMeans(task, data);
  const better = (a: number, b: number): boolean => (task.kind === 'classification' ? a > b : a < b);
  const bestPoint = means.reduce((a, b) => (better(b.mean, a.mean) ? b : a));
  const worst = means.reduce((a, b) => (better(a.mean, b.mean) ? b : a)).mean;
  const regret = (lr: number | null): number => regretOf(task, bestPoint.mean, lr === null ? worst : oracleAt(means, lr).value) / (task.kind === 'regression' ? 10 : 1);
  return { bestPoint, regret };
}

export function scoreTask(task: AdviceTask, data: TaskData): TaskScore | null {
  const means = gridMeans(task, data);
  if (means.length < 2 || data.rangeTests.length === 0) return null;
  const bestPoint = means.reduce((a, b) => (task.kind === 'classification' ? (b.mean > a.mean ? b : a) : b.mean < a.mean ? b : a));
  const worst = means.reduce((a, b) => (task.kind === 'classification' ? (b.mean < a.mean ? b : a) : b.mean > a.mean ? b : a)).mean;
  const rules: TaskScore['rules'] = {};
  for (const rule of RULES) {
    const lrs = data.rangeTests.map((record) => rule.pick(record.points, task, { data, record }));
    let outside = false;
    const regrets = lrs.map((lr) => {
      if (lr === null) return regretOf(task, bestPoint.mean, worst);
      const at = oracleAt(means, lr);
      outside ||= at.outside;
      return regretOf(task, bestPoint.mean, at.value);
    });
    rules[rule.name] = { lrs, regret: regrets.reduce((s, x) => s + x, 0) / regrets.length, outside };
  }
  return { task, bestLr: bestPoint.lr, best: bestPoint.mean, rules };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const unit = (task: AdviceTask): string => (task.kind === 'classification' ? 'pt' : '%');
const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '—');

/** The rule find-lr ships, and the worst-case limit of issue 13 (target units). */
const DEFAULT_RULE = 'headline + trials';
const WORST_LIMIT = 5;

const seedValues = (task: AdviceTask, data: TaskData, lr: number): number[] => data.grid.filter((g) => gridLr(Math.log10(g.maxLr)) === gridLr(Math.log10(lr))).map((g) => metricOf(task, data, g));

/** How far apart the oracle's seeds land at one grid LR, in target units (points; % of the best MSE ÷ 10). */
export function seedSpread(task: AdviceTask, data: TaskData, lr: number): number {
  const values = seedValues(task, data, lr);
  if (values.length < 2) return Number.NaN;
  const range = Math.max(...values) - Math.min(...values);
  return task.kind === 'classification' ? range * 100 : (range / Math.min(...values)) * 10;
}

/** The standard error of the oracle's mean at one grid LR (sample s.d. ÷ √seeds), in the same units as `seedSpread`. */
export function seedError(task: AdviceTask, data: TaskData, lr: number): number {
  const values = seedValues(task, data, lr);
  if (values.length < 2) return Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  const se = sd / Math.sqrt(values.length);
  return task.kind === 'classification' ? se * 100 : (se / mean) * 10;
}

export function scoreAll(entries: readonly { task: AdviceTask; data: TaskData }[], options: { markdown: boolean }): string {
  const scores = entries.map((e) => scoreTask(e.task, e.data)).filter((s): s is TaskScore => s !== null);
  const lines: string[] = [];
  const names = RULES.map((r) => r.name);
  lines.push(`| task | set | best 1cycle max LR (metric) | ${names.map((n) => `${n}: LR (regret)`).join(' | ')} |`);
  lines.push(`|---|---|---|${names.map(() => '---').join('|')}|`);
  for (const s of scores) {
    const metric = s.task.kind === 'classification' ? `${(s.best * 100).toFixed(2)}%` : `MSE ${s.best.toPrecision(3)}`;
    const cells = names.map((n) => {
      const r = s.rules[n]!;
      const finite = r.lrs.filter((x): x is number => x !== null);
      const lr = finite.length === 0 ? '—' : formatLr(Math.exp(finite.reduce((a, x) => a + Math.log(x), 0) / finite.length));
      return `${lr}${finite.length < r.lrs.length ? ` (${r.lrs.length - finite.length}× none)` : ''} (${fmt(r.regret)} ${unit(s.task)})${r.outside ? ' ⚠' : ''}`;
    });
    lines.push(`| ${s.task.id} | ${s.task.heldOut ? 'held out' : 'tuning'} | ${formatLr(s.bestLr)} (${metric}) | ${cells.join(' | ')} |`);
  }
  lines.push('');
  lines.push(`| rule | tuning: median | tuning: worst | held out: median | held out: worst | all: median | all: worst |`);
  lines.push('|---|---|---|---|---|---|---|');
  for (const n of names) {
    // One scale for the summary: the targets (0.5 point, 5% MSE; worst 5 points, 50%) coincide.
    const part = (held: boolean | null): number[] => scores.filter((s) => held === null || s.task.heldOut === held).map((s) => (s.task.kind === 'regression' ? s.rules[n]!.regret / 10 : s.rules[n]!.regret));
    const cell = (xs: number[]): string => `${fmt(median(xs))} / ${fmt(Math.max(...xs))}`;
    const [t, h, a] = [part(false), part(true), part(null)];
    lines.push(`| ${n} | ${cell(t).split(' / ').join(' | ')} | ${cell(h).split(' / ').join(' | ')} | ${cell(a).split(' / ').join(' | ')} |`);
  }
  lines.push('');
  lines.push('Regret: accuracy points (classification) or % excess validation MSE (regression) against the best grid LR, mean over the 3 range-test seeds; ⚠: an LR outside the grid (scored at its edge). Summary in target units: accuracy points, and % excess MSE ÷ 10 (so that 0.5 is the median target and 5 the worst-case limit for both).');
  // The oracle's own noise where a regret is over the limit: how far apart its seeds land at its best LR.
  const over = scores.filter((s) => (s.task.kind === 'regression' ? s.rules[DEFAULT_RULE]!.regret / 10 : s.rules[DEFAULT_RULE]!.regret) > WORST_LIMIT);
  if (over.length > 0) {
    const spread = over.map((s) => {
      const data = entries.find((e) => e.task === s.task)!.data;
      const n = seedValues(s.task, data, s.bestLr).length;
      return `${s.task.id} ${fmt(seedSpread(s.task, data, s.bestLr))} over ${n} seeds (standard error of its mean ${fmt(seedError(s.task, data, s.bestLr))})`;
    });
    lines.push(`Over the worst-case limit with the default (${DEFAULT_RULE}); the oracle's seed spread at its best LR (max − min over its seeds, target units): ${spread.join(', ')}.`);
  }
  if (!options.markdown) lines.push(`tasks scored: ${scores.length} of ${entries.length}`);
  return lines.join('\n');
}
