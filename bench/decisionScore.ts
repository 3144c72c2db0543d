/**
 * Scoring of bench/decisionQuality.ts: LR Lab's pick for each decision, re-made from the stored
 * studies with the rules of src/core, against the outcomes of training every alternative to the
 * end. Regret: accuracy points (classification) or % excess validation MSE (regression) of the
 * pick's mean outcome against the best alternative's.
 */
import type { AdviceTask } from './adviceTasks';
import type { DecisionData, Outcome } from './decisionQuality';
import { BATCH_OUTCOME_SEEDS, BATCH_PICK_SEED } from './decisionQuality';
import { readTask } from './adviceQuality';
import { bestBalance, bestBatchSize, bestShortRun, formatWeightDecay } from '../src/core/decisions';
import { summarizeCurve } from '../src/core/sweepCurve';

export interface DecisionScore {
  readonly task: AdviceTask;
  readonly decision: string;
  /** Mean outcome per alternative (accuracy, or validation MSE), in the study's order. */
  readonly alternatives: { label: string; value: number | null; mean: number; spread: number }[];
  readonly pick: string | null;
  readonly tie: boolean;
  readonly best: string;
  readonly regret: number;
}

const momentumLabel = (m: number | null): string => (m === null ? 'cyclical' : String(m));
const wdLabel = (wd: number | null): string => (wd === null ? '—' : formatWeightDecay(wd));

/** An outcome's metric; a run that broke down scores as knowing nothing (chance accuracy, or the MSE of the mean). */
function metric(task: AdviceTask, floor: number | null, loss: number | null, accuracy: number | null, broken: boolean): number {
  if (task.kind === 'classification') return broken || accuracy === null || !Number.isFinite(accuracy) ? 1 / (task.classes ?? 2) : accuracy;
  const worst = floor ?? Number.POSITIVE_INFINITY;
  return broken || loss === null || !Number.isFinite(loss) ? worst : Math.min(loss, worst);
}

const better = (task: AdviceTask, a: number, b: number): boolean => (task.kind === 'classification' ? a > b : a < b);
const regretOf = (task: AdviceTask, best: number, value: number): number => (task.kind === 'classification' ? (best - value) * 100 : (value / best - 1) * 100);

function summarize(task: AdviceTask, decision: string, values: readonly (number | null)[], label: (v: number | null) => string, outcomesOf: (v: number | null) => number[], picked: number | null | undefined, tie: boolean): DecisionScore | null {
  const alternatives = values.map((value) => {
    const xs = outcomesOf(value);
    return { label: label(value), value, mean: xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length, spread: xs.length < 2 ? 0 : Math.max(...xs) - Math.min(...xs) };
  });
  if (alternatives.some((a) => !Number.isFinite(a.mean))) return null; // outcomes not all generated yet
  const top = alternatives.reduce((a, b) => (better(task, b.mean, a.mean) ? b : a));
  const pick = picked === undefined ? undefined : alternatives.find((a) => a.value === picked);
  // No pick at all is scored at the worst alternative.
  const worst = alternatives.reduce((a, b) => (better(task, a.mean, b.mean) ? b : a));
  return { task, decision, alternatives, pick: pick?.label ?? null, tie, best: top.label, regret: regretOf(task, top.mean, (pick ?? worst).mean) };
}

export function scoreTask(task: AdviceTask, data: DecisionData): DecisionScore[] {
  const floor = task.kind === 'regression' ? readTask(task.id).baseline : null;
  const outcomes = (study: Outcome['study'], value: number | null): number[] =>
    data.outcomes.filter((o) => o.study === study && o.value === value).map((o) => metric(task, floor, o.finalValLoss, o.finalValAccuracy, o.stopped !== null));
  const out: (DecisionScore | null)[] = [];
  if (data.sweep !== null) {
    const curves = data.sweep.map((c) => {
      const s = summarizeCurve(c.points);
      return { label: `wd ${formatWeightDecay(c.weightDecay)}`, minLoss: s.minSmoothedLoss, lrAtMinLoss: s.lrAtMinLoss, stableRange: s.stableRange, stableDecades: s.stableDecades, divergedAt: s.blowUpLr, startLoss: s.startLoss, levelNoise: s.levelNoise, weightDecay: c.weightDecay };
    });
    const b = bestBalance(curves);
    out.push(summarize(task, 'weight decay: range tests (lrlab sweep --wd)', data.sweep.map((c) => c.weightDecay), wdLabel, (v) => outcomes('weight-decay', v), b.best === null ? undefined : data.sweep[b.best]!.weightDecay, b.tie));
  }
  if (data.wdShortRuns !== null) {
    const runs = data.wdShortRuns;
    const b = bestShortRun(runs);
    out.push(summarize(task, 'weight decay: short runs (the recipe)', runs.map((r) => r.value), wdLabel, (v) => outcomes('weight-decay', v), b.best === null ? undefined : runs[b.best]!.value, b.tie));
  }
  if (data.momentumShortRuns !== null) {
    const runs = data.momentumShortRuns;
    const b = bestShortRun(runs.map((r) => ({ ...r, cyclical: r.value === null, momentum: r.value })));
    out.push(summarize(task, 'momentum: short runs (the recipe)', runs.map((r) => r.value), momentumLabel, (v) => outcomes('momentum', v), b.best === null ? undefined : runs[b.best]!.value, b.tie));
  }
  const pickStudy = data.batch.find((b) => b.seed === BATCH_PICK_SEED);
  const outcomeStudies = data.batch.filter((b) => BATCH_OUTCOME_SEEDS.includes(b.seed));
  if (pickStudy !== undefined && outcomeStudies.length === BATCH_OUTCOME_SEEDS.length) {
    const b = bestBatchSize(pickStudy.runs.map((r) => ({ batchSize: r.batchSize, ok: r.ok, timeToTarget: null, finalValLoss: r.finalValLoss })), false);
    const sizes = pickStudy.runs.map((r) => r.batchSize);
    const sizeOutcomes = (size: number | null): number[] =>
      outcomeStudies.flatMap((s) => s.runs.filter((r) => r.batchSize === size).map((r) => metric(task, floor, r.finalValLoss, r.finalValAccuracy, !r.ok)));
    out.push(summarize(task, `batch size: one ${pickStudy.budgetSeconds} s study (lrlab batch-size --budget)`, sizes, (v) => String(v), sizeOutcomes, b.best === null ? undefined : sizes[b.best], b.tie));
  }
  return out.filter((s): s is DecisionScore => s !== null);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '—');
const show = (task: AdviceTask, x: number): string => (task.kind === 'classification' ? `${(x * 100).toFixed(2)}%` : x.toPrecision(3));
/** Regret in the summary's one scale: accuracy points, and % excess MSE ÷ 10 (as the advice bench). */
const targetUnits = (s: DecisionScore): number => (s.task.kind === 'regression' ? s.regret / 10 : s.regret);

export function scoreDecisions(entries: readonly { task: AdviceTask; data: DecisionData }[], options: { markdown: boolean }): string {
  const scores = entries.flatMap((e) => scoreTask(e.task, e.data));
  const lines: string[] = [];
  lines.push('| task | decision | outcome per alternative (mean of 2 seeds; seed spread) | LR Lab\'s pick | tie by its rule | best | regret |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const s of scores) {
    const cells = s.alternatives.map((a) => `${a.label}: ${show(s.task, a.mean)} (${show(s.task, a.spread).replace('%', '')})`).join(', ');
    lines.push(`| ${s.task.id} | ${s.decision} | ${cells} | ${s.pick ?? 'none'} | ${s.tie ? 'yes' : 'no'} | ${s.best} | ${fmt(s.regret)} ${s.task.kind === 'classification' ? 'pt' : '%'} |`);
  }
  lines.push('');
  const groups = [...new Set(scores.map((s) => s.decision.split(':')[0]!))];
  lines.push('| decision | picks scored | median regret | worst | ties |');
  lines.push('|---|---|---|---|---|');
  for (const g of [...groups, 'all']) {
    const part = scores.filter((s) => g === 'all' || s.decision.startsWith(`${g}:`));
    const xs = part.map(targetUnits);
    lines.push(`| ${g} | ${part.length} | ${fmt(median(xs))} | ${fmt(Math.max(...xs))} | ${part.filter((s) => s.tie).length} of ${part.length} |`);
  }
  lines.push('');
  lines.push('Regret in target units: accuracy points, and % excess validation MSE ÷ 10 (so 0.5 is the median target for both). A tie: the rule found another alternative within its own tie band of the pick.');
  if (!options.markdown) lines.push(`decisions scored: ${scores.length}`);
  return lines.join('\n');
}
