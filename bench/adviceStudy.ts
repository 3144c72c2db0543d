/**
 * The study behind the headline rule (bench/README.md, "Which curve feature predicts the best
 * LR?"): for every range test of the TUNING tasks only (held-out tasks are never read), curve
 * features read with the core's own functions, and the ratio of the oracle's best 1cycle max LR
 * — and of the edges of its good band (regret ≤ 0.5 point, or ≤ 5% excess MSE) — to each.
 *
 *   node --import tsx bench/adviceStudy.ts [--markdown]
 *
 * A feature is useful when log10(best / feature) is about the same on every task: then one
 * constant factor lands every pick in the band. The script prints, per feature, the spread of
 * that log ratio and the factors (if any) that put every range test's pick inside its band.
 */
import type { RangePoint } from '../src/protocol/results';
import { curveShape, localLinearFit, median3, MIN_HALF_WINDOW } from '../src/core/curveShape';
import type { CurveShape } from '../src/core/curveShape';
import { blowUpLr, recommend } from '../src/core/headline';
import { lrFinderSuggestion } from '../src/core/peerRules';
import { suggest } from '../src/core/suggestions';
import { ADVICE_TASKS } from './adviceTasks';
import type { AdviceTask } from './adviceTasks';
import { gridMeans, readTask } from './adviceQuality';
import { oracleAt, regretOf, taskLoss } from './adviceScore';

/** The good band's width: the issue's median targets. */
const BAND_POINTS = 0.5;
const BAND_PERCENT = 5;

interface Band {
  readonly best: number;
  readonly lo: number;
  readonly hi: number;
}

/** Best grid LR and the interpolated (log LR) edges where regret crosses the band limit. */
function band(task: AdviceTask): Band {
  const means = gridMeans(task, readTask(task.id));
  const cls = task.kind === 'classification';
  const top = means.reduce((a, b) => ((cls ? b.mean > a.mean : b.mean < a.mean) ? b : a));
  const regret = (v: number): number => (cls ? (top.mean - v) * 100 : (v / top.mean - 1) * 100);
  const limit = cls ? BAND_POINTS : BAND_PERCENT;
  const at = means.indexOf(top);
  const edge = (dir: -1 | 1): number => {
    let i = at;
    while (i + dir >= 0 && i + dir < means.length && regret(means[i + dir]!.mean) <= limit) i += dir;
    const j = i + dir;
    if (j < 0 || j >= means.length) return means[i]!.lr;
    const [ra, rb] = [regret(means[i]!.mean), regret(means[j]!.mean)];
    const t = (limit - ra) / (rb - ra);
    return 10 ** (Math.log10(means[i]!.lr) + t * (Math.log10(means[j]!.lr) - Math.log10(means[i]!.lr)));
  };
  return { best: top.lr, lo: edge(-1), hi: edge(1) };
}

/** The light curve of `blowUpLr`: median of 3, then a ±h-point centred line. */
function light(shape: CurveShape, h: number): number[] {
  return localLinearFit(shape.lrs.map((lr) => Math.log10(lr)), median3(shape.raw), h).level;
}

function argMinIn(xs: readonly number[], lo: number, hi: number): number {
  let best = lo;
  for (let i = lo + 1; i < hi; i++) if (xs[i]! < xs[best]!) best = i;
  return best;
}

/** First LR where the fitted curve has done `fraction` of its fall from start to its minimum. */
function fallen(shape: CurveShape, fraction: number): number {
  const target = shape.start - fraction * shape.drop;
  for (let i = 0; i <= shape.minIndex; i++) if (shape.curve[i]! <= target) return shape.lrs[i]!;
  return shape.lrs[shape.minIndex]!;
}

/** First LR past the light minimum where the light curve exceeds its minimum by `fraction` of the drop. */
function risen(shape: CurveShape, fraction: number): number | null {
  const l = light(shape, MIN_HALF_WINDOW);
  const at = argMinIn(l, shape.lo, shape.hi);
  const drop = shape.start - l[at]!;
  for (let i = at; i < l.length; i++) if (l[i]! > l[at]! + fraction * drop) return shape.lrs[i]!;
  return null;
}

/**
 * The floor: the contiguous stretch around the light curve's lowest point where it stays within
 * `fraction` of the drop above that lowest value. Its first and last LR.
 */
function floor(shape: CurveShape, h: number, fraction: number): { first: number; last: number } {
  const l = light(shape, h);
  const at = argMinIn(l, shape.lo, shape.hi);
  const limit = l[at]! + fraction * (shape.start - l[at]!);
  let a = at;
  let b = at;
  while (a - 1 >= shape.lo && l[a - 1]! <= limit) a--;
  while (b + 1 < shape.hi && l[b + 1]! <= limit) b++;
  return { first: shape.lrs[a]!, last: shape.lrs[b]! };
}

/**
 * The lowest point of a light curve whose window is just wide enough that the fitted LEVEL's
 * noise (σ/√n) is under `q` of the drop: narrow on a clean curve, wide on a noisy one.
 */
function adaptiveMin(shape: CurveShape, q: number): number {
  let h = MIN_HALF_WINDOW;
  const drop = Math.max(shape.drop, 1e-12);
  while (shape.noise / Math.sqrt(2 * h + 1) > q * drop && h < shape.halfWindow) h++;
  const l = light(shape, h);
  return shape.lrs[argMinIn(l, shape.lo, Math.max(shape.lo + 1, shape.hi))]!;
}

export type Features = Record<string, number | null>;

export function features(points: readonly RangePoint[], loss = ''): Features | null {
  const shape = curveShape(points);
  if (shape === null || shape.flat) return null;
  const at = Math.max(shape.lo, Math.min(shape.minIndex, shape.hi - 1));
  const l2 = light(shape, 2);
  const l3 = light(shape, 3);
  const lmin2 = shape.lrs[argMinIn(l2, shape.lo, shape.hi)]!;
  const lmin3 = shape.lrs[argMinIn(l3, shape.lo, shape.hi)]!;
  const fmin = shape.lrs[at]!;
  const sg = suggest(points);
  const lastFinite = points.filter((p) => p.loss !== null && Number.isFinite(p.loss)).at(-1)!.lr;
  const floorMid = (h: number, t: number): number => {
    const f = floor(shape, h, t);
    return Math.sqrt(f.first * f.last);
  };
  return {
    fmin,
    lmin2,
    lmin3,
    'geo(fmin,lmin2)': Math.sqrt(fmin * lmin2),
    'floor mid 2% (l2)': floorMid(2, 0.02),
    'floor mid 5% (l2)': floorMid(2, 0.05),
    'floor mid 10% (l2)': floorMid(2, 0.1),
    'floor mid 5% (l3)': floorMid(3, 0.05),
    'floor end 5% (l2)': floor(shape, 2, 0.05).last,
    'amin 2%': adaptiveMin(shape, 0.02),
    'amin 3%': adaptiveMin(shape, 0.03),
    'amin 5%': adaptiveMin(shape, 0.05),
    'amin 10%': adaptiveMin(shape, 0.1),
    blowUp: blowUpLr(shape, at),
    'rise 10%': risen(shape, 0.1),
    'rise 25%': risen(shape, 0.25),
    'fall 50%': fallen(shape, 0.5),
    'fall 90%': fallen(shape, 0.9),
    steep: sg.suggestions.steep,
    'range.maxLr': sg.range?.maxLr ?? null,
    'lr-finder': lrFinderSuggestion(points),
    'last finite': lastFinite,
    headline: recommend(points, loss)?.maxLr ?? null,
  };
}

function fmt(x: number): string {
  return (x >= 0 ? '+' : '') + x.toFixed(2);
}

function main(): void {
  const markdown = process.argv.includes('--markdown');
  const tuning = ADVICE_TASKS.filter((t) => !t.heldOut);
  const rows: { task: AdviceTask; seed: number; band: Band; f: Features }[] = [];
  for (const task of tuning) {
    const b = band(task);
    for (const r of readTask(task.id).rangeTests) {
      const f = features(r.points, taskLoss(task));
      if (f !== null) rows.push({ task, seed: r.seed, band: b, f });
    }
  }
  const names = Object.keys(rows[0]!.f);
  // Per task: the band as log10 ratios to each feature (mean over the task's range tests).
  const out: string[] = [];
  out.push('log10(best oracle LR / feature), mean over the 3 range tests of each tuning task (band edges: regret ≤ 0.5 pt / 5%):');
  out.push('');
  out.push(`| feature | ${tuning.map((t) => t.id).join(' | ')} | spread (max − min) | factors landing every test in its band |`);
  out.push(`|---|${tuning.map(() => '---').join('|')}|---|---|`);
  for (const n of names) {
    const perTask = tuning.map((t) => {
      const mine = rows.filter((r) => r.task === t && r.f[n] !== null);
      if (mine.length === 0) return null;
      return mine.reduce((s, r) => s + Math.log10(r.band.best / r.f[n]!), 0) / mine.length;
    });
    const finite = perTask.filter((x): x is number => x !== null);
    const spread = Math.max(...finite) - Math.min(...finite);
    // Feasible log factors: intersection over tests of [log(lo/f), log(hi/f)].
    let lo = Number.NEGATIVE_INFINITY;
    let hi = Number.POSITIVE_INFINITY;
    for (const r of rows) {
      const v = r.f[n];
      if (v === null || v === undefined) {
        lo = Number.POSITIVE_INFINITY;
        continue;
      }
      lo = Math.max(lo, Math.log10(r.band.lo / v));
      hi = Math.min(hi, Math.log10(r.band.hi / v));
    }
    const feasible = lo <= hi ? `×${(10 ** lo).toPrecision(2)} … ×${(10 ** hi).toPrecision(2)}` : `none (short by ${(lo - hi).toFixed(2)} decade)`;
    out.push(`| ${n} | ${perTask.map((x) => (x === null ? '—' : fmt(x))).join(' | ')} | ${spread.toFixed(2)} | ${feasible} |`);
  }
  out.push('');
  out.push(`| band (log10 hi/lo) | ${tuning.map((t) => { const b = rows.find((r) => r.task === t)!.band; return `${b.lo.toPrecision(2)}–${b.hi.toPrecision(2)} (${Math.log10(b.hi / b.lo).toFixed(2)})`; }).join(' | ')} | | |`);
  if (!markdown) {
    out.push('');
    out.push('Per range test (LRs):');
    for (const r of rows) out.push(`${r.task.id} s${r.seed} band ${r.band.lo.toPrecision(3)}–${r.band.hi.toPrecision(3)} best ${r.band.best}: ${names.map((n) => `${n} ${r.f[n] === null ? '—' : r.f[n]!.toPrecision(3)}`).join(', ')}`);
  }
  console.log(out.join('\n'));
}

if (require.main === module && !process.argv.includes("--search")) main();

/** Candidate rules: `factor × feature`, capped at `blowUp / margin`; regret scored exactly as adviceScore does. */
export function searchRules(): string {
  const tuning = ADVICE_TASKS.filter((t) => !t.heldOut);
  const tests = tuning.flatMap((task) => {
    const data = readTask(task.id);
    const means = gridMeans(task, data);
    const best = task.kind === 'classification' ? Math.max(...means.map((m) => m.mean)) : Math.min(...means.map((m) => m.mean));
    return data.rangeTests.map((r) => ({ task, means, best, f: features(r.points, taskLoss(task)) }));
  });
  const score = (pick: (f: Features, t: AdviceTask) => number | null): { median: number; worst: number; per: number[] } => {
    const per = tuning.map((task) => {
      const mine = tests.filter((t) => t.task === task);
      const regrets = mine.map((t) => {
        const lr = t.f === null ? null : pick(t.f, task);
        const value = lr === null ? (task.kind === 'classification' ? Math.min(...t.means.map((m) => m.mean)) : Math.max(...t.means.map((m) => m.mean))) : oracleAt(t.means, lr).value;
        const r = regretOf(task, t.best, value);
        return task.kind === 'regression' ? r / 10 : r;
      });
      return regrets.reduce((s, x) => s + x, 0) / regrets.length;
    });
    const sorted = [...per].sort((a, b) => a - b);
    const m = sorted.length >> 1;
    return { median: sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2, worst: Math.max(...per), per };
  };
  const results: { name: string; median: number; worst: number; per: number[] }[] = [];
  const bases = ['amin 2%', 'amin 3%', 'amin 5%', 'amin 10%', 'fmin', 'lmin2', 'lmin3', 'geo(fmin,lmin2)', 'floor mid 5% (l2)', 'floor mid 10% (l2)', 'floor end 5% (l2)', 'fall 90%', 'rise 10%', 'headline'];
  for (const base of bases)
    for (const factor of [0.5, 0.71, 1, 1.41, 2, 2.83])
      for (const margin of [1.5, 2, 2.5, 3, 4, 6, Number.POSITIVE_INFINITY]) {
        const name = `${factor}×${base}${Number.isFinite(margin) ? ` ≤ blowUp/${margin}` : ''}`;
        results.push({ name, ...score((f) => {
          const x = f[base];
          if (x === null || x === undefined) return null;
          const b = f['blowUp'];
          return b === null || b === undefined ? factor * x : Math.min(factor * x, b / margin);
        }) });
      }
  results.sort((a, b) => Math.max(a.median, a.worst / 10) - Math.max(b.median, b.worst / 10) || a.worst - b.worst);
  const lines = [`| rule | ${tuning.map((t) => t.id).join(' | ')} | median | worst |`, `|---|${tuning.map(() => '---').join('|')}|---|---|`];
  for (const r of results.slice(0, 25)) lines.push(`| ${r.name} | ${r.per.map((x) => x.toFixed(2)).join(' | ')} | ${r.median.toFixed(2)} | ${r.worst.toFixed(2)} |`);
  return lines.join('\n');
}

if (require.main === module && process.argv.includes('--search')) console.log(searchRules());
