/** How LR Lab writes facts of a run for people, the same in the CLI, the panel, the lens and notifications. */
import type { OptionName, OptionSource } from './options';
import { flagFor } from './options';
import type { LrTrials, OptimizerName, OptimizerReport } from './results';

/**
 * A learning rate, everywhere (CLI, panel, CodeLens, notifications, reasons): 3 significant
 * digits, exponent form below 1e-3 (and from 1e4 up), no trailing zeros. `0.0123`, `0.3`,
 * `1.23e-4`, `2e-5`. One rule so that the same LR reads the same in every place.
 */
export function formatLr(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const rounded = Number(x.toPrecision(3)); // decide the form on the digits that are shown
  const a = Math.abs(rounded);
  if (a >= 1e-3 && a < 1e4) return String(rounded);
  const [mantissa = '', exponent = ''] = rounded.toExponential(2).split('e');
  return `${String(Number(mantissa))}e${exponent.replace('+', '')}`;
}

/** An LR at the digits `formatLr` prints (three significant), as a number: a printed command line repeats a run at it exactly. */
export function printedLr(x: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(3)) : x;
}

/** Where a value came from, for people: `--momentum`, `momentum` (a library option), `lrlab.momentum`, `model.compile`, `default`. */
export function sourceText(source: OptionSource, option: OptionName): string {
  if (source === 'flag') return flagFor(option);
  if (source === 'option') return option;
  if (source === 'setting') return `lrlab.${option}`;
  return source;
}

/** What an optimizer calls the momentum LR Lab cycles: Adam's family (adam, adamw, adamax) `beta1`, the rest `momentum`. */
export function momentumWord(optimizer: OptimizerName): 'beta1' | 'momentum' {
  return optimizer === 'adam' || optimizer === 'adamw' || optimizer === 'adamax' ? 'beta1' : 'momentum';
}

/**
 * What optimizer ran and where each value came from, on one line (`momentumRan`: the momentum the
 * runs used where it is not the report's value, e.g. "per curve (0.8, 0.95)"):
 * `optimizer sgd (model.compile), lr from the schedule, momentum 0 (model.compile)`: the run's schedule (a range test's sweep, 1cycle) sets the LR.
 */
export function describeOptimizer(report: OptimizerReport, momentumRan?: string, lrOption: 'lr' | 'maxLr' = 'lr'): string {
  const from = (key: keyof OptimizerReport['sources'], option: OptionName): string => {
    const source = report.sources[key];
    return source === undefined ? '' : ` (${sourceText(source, option)})`;
  };
  const adamLike = momentumWord(report.name) === 'beta1';
  const parts = [`optimizer ${report.name}${from('optimizer', 'optimizer')}`, report.lr === null ? 'lr from the schedule' : `lr ${formatLr(report.lr)}${from('lr', lrOption)}`];
  // The flag in the optimizer's own word: `--beta1` is `--momentum`'s alias, the one Adam's users type.
  const momentumFrom = adamLike && report.sources.momentum === 'flag' ? ' (--beta1)' : from('momentum', 'momentum');
  // `momentumRan`: what the runs used where it was not the report's one value (swept per curve, cycled).
  if (report.momentum !== null) parts.push(`${momentumWord(report.name)} ${momentumRan ?? `${report.momentum}${momentumFrom}`}`);
  if (report.beta2 !== null) parts.push(`beta2 ${report.beta2}${from('beta2', 'beta2')}`);
  if (report.epsilon !== null) parts.push(`epsilon ${report.epsilon}${from('epsilon', 'epsilon')}`);
  if (report.rho !== null) parts.push(`${report.name === 'rmsprop' ? 'decay' : 'rho'} ${report.rho}${report.sources.rho === undefined ? '' : ` (${report.sources.rho})`}`);
  if (report.centered === true) parts.push('centered');
  if (report.initialAccumulatorValue !== null) parts.push(`initial accumulator ${report.initialAccumulatorValue}${report.sources.initialAccumulatorValue === undefined ? '' : ` (${report.sources.initialAccumulatorValue})`}`);
  if (report.decay !== null && report.decay !== 0) parts.push(`LR decay ${report.decay}`);
  return parts.join(', ');
}

/**
 * A number for people with the LR rule (3 significant digits, exponent below 1e-3 and from 1e4):
 * losses, metrics, thresholds. `formatLr` is this rule; the two names say what is written.
 */
export function formatNumber(x: number | null | undefined): string {
  return formatLr(x);
}

/** Whether `formatNumber` writes `x` in exponent form. */
function needsExponent(x: number): boolean {
  const a = Math.abs(Number(x.toPrecision(3)));
  return a !== 0 && (a < 1e-3 || a >= 1e4);
}

/** `x` with 3 significant digits in exponent form: `1.38e-6`, `9.27e-7`, `3e-4`. */
function exponentForm(x: number): string {
  if (x === 0) return '0';
  const [mantissa = '', exponent = ''] = Number(x.toPrecision(3)).toExponential(2).split('e');
  return `${String(Number(mantissa))}e${exponent.replace('+', '')}`;
}

/**
 * How to write the loss values of one table column (or axis, or sentence): 3 significant digits,
 * plain (`0.0123`, `2.3`) unless one of them needs an exponent; then every small one (under 0.01)
 * in exponent form (`1.38e-6`, `9.27e-7`, `1.23e-3`), so a column never mixes `0.000001377` with
 * `9.268e-7`, while the rest stay plain (`8.22`, `97`, `1.05e4` only from 10,000: a user read
 * `9.7e1` and `8.22e0` beside them as odd). `null` and non-finite values are `—`.
 */
export function lossFormat(values: readonly (number | null | undefined)[]): (x: number | null | undefined) => string {
  const exponent = values.some((v) => v !== null && v !== undefined && Number.isFinite(v) && needsExponent(v));
  return (v) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : exponent && Math.abs(Number(v.toPrecision(3))) < 0.01 ? exponentForm(v) : formatNumber(v));
}

/** Loss values of one column, in one form (see `lossFormat`). */
export function formatLosses(values: readonly (number | null | undefined)[]): string[] {
  return values.map(lossFormat(values));
}

/** One loss value: 3 significant digits (`0.0123`, `2.3`, `1.38e-6`). */
export function formatLoss(x: number | null | undefined): string {
  return formatNumber(x);
}

/** An accuracy (0–1) as a percentage with one decimal: `97.3%`. */
export function formatPercent(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

/**
 * A duration for people: `0.4 s`, `8.4 s`, `8 s` (one decimal below 10 s), `42 s`, `2 min 5 s`, `2 min`,
 * `1 h 5 min`. Negative or non-finite: `—`.
 */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  // Under a tenth of a second, its first digit (a batch-size study said "in 0 s" for 0.047 s), to the
  // millisecond (not "1e-7 s").
  if (seconds < 0.001) return `${Number(seconds.toFixed(3))} s`;
  if (seconds < 0.095) return `${Number(seconds.toPrecision(1))} s`;
  // One decimal below 10 s, none when it is 0 (`8 s`, not `8.0 s`).
  if (seconds < 9.95) return `${seconds.toFixed(1).replace(/\.0$/, '')} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) {
    const s = whole % 60;
    return `${Math.floor(whole / 60)} min${s === 0 ? '' : ` ${s} s`}`;
  }
  const minutes = Math.round(whole / 60);
  const m = minutes % 60;
  return `${Math.floor(minutes / 60)} h${m === 0 ? '' : ` ${m} min`}`;
}

/** A count with its noun, singular or plural: `1 range test`, `3 range tests`, `2 batches` (irregular plurals given). */
export function formatCount(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** File names that say nothing about which model they hold: every example, and every tfjs save, is one of these. */
const GENERIC_STEM = /^(model|index|main|train|training)$/i;

/**
 * A model file's name for titles and headlines: its base name, with its folder where the name
 * alone would not tell two models apart (`mnist-mlp/model.ts`, `iris/model.json`, `run.ts`).
 * Either separator, so that it reads the same for a Windows path.
 */
export function modelName(file: string): string {
  const parts = file.split(/[\\/]+/).filter((p) => p.length > 0);
  const base = parts.at(-1) ?? file;
  const folder = parts.at(-2);
  return folder !== undefined && GENERIC_STEM.test(base.replace(/\.[^.]*$/, '')) && !/^[A-Za-z]:$/.test(folder) ? `${folder}/${base}` : base;
}

/** A momentum (or beta1) for people and command lines: 4 significant digits, so 0.9999 stays below 1. */
export function formatMomentum(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : String(Number(x.toPrecision(4)));
}

/** A weight decay as people write it: `0`, `1e-3`, `3.2e-4` (two significant figures at most). */
export function formatWeightDecay(wd: number): string {
  if (wd === 0) return '0';
  const [mantissa, exponent] = Number(wd.toPrecision(2)).toExponential().split('e');
  return `${mantissa}e${Number(exponent)}`;
}

/** Short 1cycle runs as reasons, warnings and the panel list them: "0.1 → 0.352 (91.2%), 0.3 → diverged" (`picked` starred; the accuracy where the runs have one). */
export function listTrials(runs: LrTrials['runs'], picked: number | null = null): string {
  return runs.map((r) => `${r.maxLr === picked ? '★ ' : ''}${formatLr(r.maxLr)} → ${r.earlyValLoss === null ? (r.diverged ? `diverged${divergedSeed(r)}` : 'cut short') : formatLoss(r.earlyValLoss)}${r.earlyValLoss !== null && typeof r.earlyValAccuracy === 'number' ? ` (${formatPercent(r.earlyValAccuracy)})` : ''}`).join(', ');
}

/** " at seed 3" for a candidate run at several seeds (`bySeed`) that diverged: which seed did. */
function divergedSeed(r: LrTrials['runs'][number]): string {
  const seed = r.bySeed?.find((s) => s.diverged)?.seed;
  return seed === undefined ? '' : ` at seed ${seed}`;
}

/** "; recommended 1.3, half a step below ★ (at the blow-up edge)" where the headline was backed off from the starred run. */
function backedOff(t: LrTrials, recommended: number | null): string {
  return t.picked === null || recommended === null || recommended >= t.picked ? '' : `; recommended ${formatLr(recommended)}, half a step below ★ (it sits at the blow-up edge)`;
}

/** `train`'s `normStats` in words (the CLI's line and the panel's note say the same). */
export function describeNormStats(n: { readonly layers: number; readonly samples: number }): string {
  return `batch normalization: the moving mean and variance of ${formatCount(n.layers, 'layer')} re-estimated from ${formatCount(n.samples, 'training sample')} before each validation (their moving averages lag the weights)`;
}

/**
 * The panel's line for find-lr's short runs: "3 short 1cycle runs of 300 steps in 2.1 s, early
 * validation loss per max LR: ★ 0.297 → 0.539, … (after 3 runs of 100 steps that learned nothing: …)";
 * earlier rounds that broke down, learned nothing, barely learned or still learned nothing are named in order.
 */
export function describeTrials(t: LrTrials, recommended: number | null = null): string {
  const earlier = (t.earlier ?? []).map((r) => `${formatCount(r.runs.length, 'run')} of ${formatCount(r.steps, 'step')} that ${r.outcome}: ${listTrials(r.runs)}`);
  // A candidate stops at the first seed that diverges (core meanOverSeeds): say so where one did before its last.
  const stopped = t.runs.some((r) => r.bySeed !== undefined && r.bySeed.length < t.seeds && r.bySeed.some((s) => s.diverged));
  const seeds = t.seeds > 1 ? `, each at ${t.seeds} seeds${stopped ? ' (none after one that diverged)' : ''},` : '';
  const mean = t.seeds > 1 ? ' (the mean of its seeds)' : '';
  return `${formatCount(t.runs.length, 'short 1cycle run')} of ${formatCount(t.steps, 'step')}${seeds} in ${formatSeconds(t.seconds)}, early validation loss${t.runs.some((r) => r.earlyValLoss !== null && typeof r.earlyValAccuracy === 'number') ? ' (accuracy)' : ''} per max LR${mean}: ${listTrials(t.runs, t.picked)}${t.picked === null ? '; none chosen' : ''}${backedOff(t, recommended)}${earlier.length === 0 ? '' : ` (after ${earlier.join('; then ')})`}`;
}

/** Bytes for people: `2.1 GB`, `740 MB`, `12 kB`. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let x = n;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${Number(x.toPrecision(2))} ${units[i]}`;
}
