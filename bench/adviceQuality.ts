/**
 * Advice quality: does the LR LR Lab recommends train well? Judged by outcomes (method.md §1):
 * 1cycle (`lrlab train --policy onecycle`, its defaults) at each max LR of a log grid is the
 * oracle; a rule's regret is the best grid metric minus the metric at the rule's LR.
 *
 *   node --import tsx bench/adviceQuality.ts --generate [--tasks a,b] [--minutes 30] [--redo-range] [--range-only] [--grid-lrs 0.01,0.1]
 *   node --import tsx bench/adviceQuality.ts --score [--tuning-only] [--markdown]
 *
 * `--generate` runs the CLI in-process (`runCli` of dist/engine.js, the bundle `bin/lrlab` runs:
 * build first) and writes bench/advice/<task>.json after every run, skipping what is already
 * there, so it can run in pieces (`--minutes` stops starting new runs after that long). Run it
 * with `nice -n 10` and `LRLAB_WASM_THREADS=1` on a shared machine. `--score` reads only the JSON
 * and the rules in src/core: a change to a rule is re-scored in seconds.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Baseline, FindLrResult, FindLrSettings, RangePoint, RangeStopReason, TrainResult } from '../src/protocol/results';
import { ADVICE_TASKS } from './adviceTasks';
import type { AdviceTask } from './adviceTasks';
import { RULES, scoreAll, seedSpread, taskLoss } from './adviceScore';
import { blowUpEdge, medianPick, recommend } from '../src/core/headline';
import { curveShape } from '../src/core/curveShape';
import { OPTIONS } from '../src/protocol/options';

const ROOT = path.join(__dirname, '..');
const DATA_DIR = path.join(__dirname, 'advice');
export const RANGE_SEEDS = [1, 2, 3] as const;
export const GRID_SEEDS = [1, 2] as const;
/** Seed of the tie-breaking run where the two grid seeds disagree (see `disputed`). */
const THIRD_SEED = 3;
/**
 * Seeds run at every grid LR of a task whose oracle is not resolved by three: where its seeds at
 * the best LR still span more than the worst-case limit (`seedSpread` over `UNRESOLVED`), the best
 * of a few noisy means is biased up, so every rule's regret there is measured against a lucky draw.
 */
const MORE_SEEDS = [4, 5, 6] as const;
/** The worst-case regret limit, in target units (accuracy points, or % excess MSE ÷ 10). */
const UNRESOLVED = 5;
/** Two seeds "disagree" by more than this (accuracy points, or % of MSE). */
const DISAGREE = 2;
const DISAGREE_REGRESSION = 20;
/** Coarse grid spacing (decades); the best coarse point's neighbours are then filled at half of it. */
const COARSE_STEP = 0.5;

export interface RangeRecord {
  readonly seed: number;
  /** The first range test (default settings, `--range-retries 0`): what every rule reads. */
  readonly points: readonly RangePoint[];
  readonly stopReason: RangeStopReason;
  readonly divergedAt: number | null;
  readonly seconds: number;
  /**
   * Where the product's headline reads nothing from the first test: the test `lrlab find-lr` runs
   * next by itself (`--range-retries`, default 1), whose headline the product reports.
   */
  retry?: RetryRecord;
}

export interface RetryRecord {
  readonly settings: Pick<FindLrSettings, 'startLr' | 'endLr' | 'steps'>;
  readonly points: readonly RangePoint[];
  readonly stopReason: RangeStopReason;
  readonly divergedAt: number | null;
  readonly seconds: number;
}

export interface GridRun {
  readonly maxLr: number;
  readonly seed: number;
  /** Final validation accuracy (classification) or validation MSE (regression); `null` when the run broke down. */
  readonly metric: number | null;
  readonly finalValLoss: number | null;
  readonly finalValAccuracy: number | null;
  readonly stopped: string | null;
  readonly seconds: number;
}

export interface TaskData {
  readonly id: string;
  /** Validation MSE of predicting the training mean (regression): the value a broken run scores. */
  baseline: number | null;
  /** The baseline the product computes for this task (`FindLrResult.baseline`): the headline's facts. */
  productBaseline?: Baseline | null;
  rangeTests: RangeRecord[];
  grid: GridRun[];
  /** Wall seconds spent generating this file, in all pieces. */
  generationSeconds: number;
}

export function dataFile(id: string): string {
  return path.join(DATA_DIR, `${id}.json`);
}

export function readTask(id: string): TaskData {
  const file = dataFile(id);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TaskData) : { id, baseline: null, rangeTests: [], grid: [], generationSeconds: 0 };
}

/** The bench data as committed: numbers to 6 significant digits (the decision bench writes the same way). */
export function roundedJson(data: unknown): string {
  return JSON.stringify(data, (_, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v));
}

function writeTask(data: TaskData): void {
  const rounded = roundedJson(data);
  writeFileSync(dataFile(data.id), `${rounded}\n`);
}

/** The settings every range test of the bench runs with (no task passes range flags). */
const DEFAULT_RANGE = { startLr: OPTIONS.startLr.default, endLr: OPTIONS.endLr.default, steps: OPTIONS.steps.default };

/** The headline as `lrlab find-lr` computes it on a test (the first, or its second): the curve alone (findLr.ts). */
export function headlineOfTest(task: AdviceTask, record: Pick<RangeRecord, 'points'>): number | null {
  return recommend(record.points, taskLoss(task))?.maxLr ?? null;
}

/** The headline with the baseline's block (#14's rule, withdrawn): none where the loss never got clearly below it. */
export function blockedHeadline(task: AdviceTask, data: TaskData, record: RangeRecord): number | null {
  return recommend(record.points, taskLoss(task), { baseline: data.productBaseline ?? null, stopReason: record.stopReason, divergedAt: record.divergedAt, settings: DEFAULT_RANGE })?.maxLr ?? null;
}

/** The product's headline of one range test: the first test's, else (`--range-retries 1`) the second test's. */
export function productHeadline(task: AdviceTask, record: RangeRecord): number | null {
  return headlineOfTest(task, record) ?? (record.retry === undefined ? null : headlineOfTest(task, record.retry));
}

/**
 * What `lrlab find-lr` reports with its default three range tests: the median of the tests'
 * headlines (the lower middle of an even count, none where no test gives one), as findLr.ts picks it (`medianPick`).
 */
export function medianHeadline(task: AdviceTask, data: TaskData): number | null {
  const picks = data.rangeTests.map((r) => productHeadline(task, r));
  const k = medianPick(picks);
  return k < 0 ? null : picks[k]!;
}

/** The blow-up edge (core `blowUpEdge`) of the range test `medianHeadline` reads from (its second test where the first gave none). */
export function medianEdge(task: AdviceTask, data: TaskData): number | null {
  const points = shownPoints(task, data);
  return points === null ? null : blowUpEdge(points);
}

/** The curve find-lr shows (the median headline's test, its retry where that test's own curve gave none); `null` without a headline. */
function shownPoints(task: AdviceTask, data: TaskData): readonly RangePoint[] | null {
  const k = medianPick(data.rangeTests.map((r) => productHeadline(task, r)));
  if (k < 0) return null;
  const record = data.rangeTests[k]!;
  return headlineOfTest(task, record) !== null || record.retry === undefined ? record.points : record.retry.points;
}

/** Where the model started: the shown curve's first level (findLr.ts withTrials; core brokeDown), `null` without a headline. */
export function medianStart(task: AdviceTask, data: TaskData): number | null {
  const points = shownPoints(task, data);
  return points === null ? null : (curveShape(points)?.start ?? null);
}

export type RunCli = (argv: readonly string[], io: { out(t: string): void; err(t: string): void; interactive: boolean }) => Promise<number>;

/** `runCli` of dist/engine.js, the bundle `bin/lrlab` runs (build first). */
export function cli(): RunCli {
  const bundle = path.join(ROOT, 'dist', 'engine.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first.`);
  return (createRequire(__filename)(bundle) as { runCli: RunCli }).runCli;
}

export async function lrlab<T>(argv: readonly string[]): Promise<T> {
  let out = '';
  const errors: string[] = [];
  const code = await cli()(argv, { out: (t) => (out += t), err: (t) => errors.push(t), interactive: false });
  if (code !== 0) throw new Error(`lrlab ${argv.join(' ')} exited ${code}: ${errors.join(' | ')}`);
  return JSON.parse(out) as T;
}

/**
 * Grid LRs sit on eighths of a decade, rounded to 3 significant digits, so repeated plans find the
 * runs already made.
 */
export const gridLr = (log10: number): number => Number((10 ** (Math.round(log10 * 8) / 8)).toPrecision(3));

/**
 * The coarse grid: every half decade from half a decade below the lowest LR any rule picks on any
 * range test, to half a decade past where the raw loss first reaches twice its starting level
 * (or the end of the test).
 */
export function coarseGrid(task: AdviceTask, data: TaskData): number[] {
  const lows: number[] = [];
  const highs: number[] = [];
  for (const r of data.rangeTests) {
    for (const rule of RULES) {
      const lr = rule.pick(r.points, task, { data, record: r });
      if (lr !== null) lows.push(lr);
    }
    const start = r.points.slice(0, 5).reduce((s, p) => s + (p.loss ?? 0), 0) / 5;
    const blow = r.points.find((p, i) => i > 5 && (p.loss === null || p.loss > 2 * start));
    highs.push(blow?.lr ?? r.points.at(-1)!.lr);
  }
  const lo = Math.floor(Math.log10(Math.min(...lows)) / COARSE_STEP) * COARSE_STEP - COARSE_STEP;
  const hi = Math.ceil(Math.log10(Math.max(...highs)) / COARSE_STEP) * COARSE_STEP + COARSE_STEP;
  const out: number[] = [];
  for (let e = lo; e <= hi + 1e-9; e += COARSE_STEP) out.push(gridLr(e));
  return out;
}

/** Mean metric per grid LR (over the seeds run), ascending LR. */
export function gridMeans(task: AdviceTask, data: TaskData): { lr: number; mean: number; n: number }[] {
  const byLr = new Map<number, number[]>();
  for (const run of data.grid) {
    const lr = gridLr(Math.log10(run.maxLr)); // early pieces wrote 0.317 for 0.316
    const values = byLr.get(lr) ?? [];
    values.push(metricOf(task, data, run));
    byLr.set(lr, values);
  }
  return [...byLr.entries()].sort((a, b) => a[0] - b[0]).map(([lr, v]) => ({ lr, mean: v.reduce((s, x) => s + x, 0) / v.length, n: v.length }));
}

/**
 * A run's metric, with a broken-down run (NaN loss, or worse than knowing nothing) scored as
 * knowing nothing: chance accuracy, or the MSE of predicting the mean.
 */
export function metricOf(task: AdviceTask, data: TaskData, run: GridRun): number {
  if (task.kind === 'classification') return run.metric === null || !Number.isFinite(run.metric) ? 1 / (task.classes ?? 2) : Math.max(run.metric, 0);
  const floor = data.baseline ?? Number.POSITIVE_INFINITY;
  return run.metric === null || !Number.isFinite(run.metric) ? floor : Math.min(run.metric, floor);
}

const better = (task: AdviceTask, a: number, b: number): boolean => (task.kind === 'classification' ? a > b : a < b);

async function regressionBaseline(task: AdviceTask): Promise<number> {
  const mod = (await import(path.join(ROOT, task.file))) as { loadData(): { train: { ys: { dataSync(): Float32Array } }; validation: { ys: { dataSync(): Float32Array } } } };
  const { train, validation } = mod.loadData();
  const t = train.ys.dataSync();
  const mean = t.reduce((s, v) => s + v, 0) / t.length;
  const v = validation.ys.dataSync();
  return v.reduce((s, y) => s + (y - mean) ** 2, 0) / v.length;
}

async function generate(tasks: readonly AdviceTask[], minutes: number, redoRange: boolean, rangeOnly: boolean, extraLrs: readonly number[] = []): Promise<void> {
  const deadline = performance.now() + minutes * 60_000;
  const timeLeft = (): boolean => performance.now() < deadline;
  for (const task of tasks) {
    const data = readTask(task.id);
    const model = path.join(ROOT, task.file);
    const timed = async (work: () => Promise<void>): Promise<void> => {
      const t0 = performance.now();
      await work();
      data.generationSeconds += (performance.now() - t0) / 1000;
      writeTask(data);
    };
    const gridRun = (lr: number, seed: number): Promise<void> =>
      timed(async () => {
        const r = await lrlab<TrainResult>(['train', model, '--policy', 'onecycle', '--max-lr', String(lr), '--epochs', String(task.epochs), '--seed', String(seed), '--json', ...task.trainFlags]);
        const last = r.history.at(-1);
        const stopped = r.warnings.find((w) => w.startsWith('Stopped:')) ?? null;
        const value = task.kind === 'classification' ? (last?.valAccuracy ?? null) : (last?.valLoss ?? null);
        data.grid.push({ maxLr: lr, seed, metric: stopped === null ? value : null, finalValLoss: last?.valLoss ?? null, finalValAccuracy: last?.valAccuracy ?? null, stopped, seconds: r.seconds });
        console.error(`${task.id}: 1cycle max LR ${lr} seed ${seed}: ${value === null ? 'broken' : value.toFixed(4)}${stopped === null ? '' : ' (stopped)'}, ${r.seconds.toFixed(1)} s`);
      });
    if (redoRange) data.rangeTests = [];
    for (const seed of RANGE_SEEDS) {
      if (!timeLeft() || data.rangeTests.some((r) => r.seed === seed)) continue;
      await timed(async () => {
        // One range test per seed (`--range-tests 1`): the rules read single tests; the product's median of three is scored from them.
        const r = await lrlab<FindLrResult>(['find-lr', model, '--seed', String(seed), '--range-retries', '0', '--range-tests', '1', '--lr-trials', '0', '--json', ...task.findLrFlags]);
        data.rangeTests.push({ seed, points: r.points, stopReason: r.stopReason, divergedAt: r.divergedAt, seconds: r.seconds });
        console.error(`${task.id}: range test seed ${seed}: ${r.stopReason}, ${r.seconds.toFixed(1)} s`);
      });
    }
    // After the engine's first run: the baseline loads the task file's own tfjs in this process, and
    // the engine refuses to start beside a tfjs that was loaded before its own.
    if (task.kind === 'regression' && data.baseline === null) await timed(async () => void (data.baseline = await regressionBaseline(task)));
    if (data.productBaseline === undefined && timeLeft()) {
      await timed(async () => {
        const r = await lrlab<FindLrResult>(['find-lr', model, '--seed', '1', '--steps', '2', '--range-retries', '0', '--range-tests', '1', '--lr-trials', '0', '--json', ...task.findLrFlags]);
        data.productBaseline = r.baseline;
      });
    }
    // The product's own retry, where its headline reads nothing from the first test.
    for (const record of data.rangeTests) {
      if (!timeLeft() || record.retry !== undefined || headlineOfTest(task, record) !== null) continue;
      await timed(async () => {
        const r = await lrlab<FindLrResult>(['find-lr', model, '--seed', String(record.seed), '--range-tests', '1', '--lr-trials', '0', '--json', ...task.findLrFlags]);
        if (r.settings.steps === OPTIONS.steps.default && r.settings.startLr === OPTIONS.startLr.default && r.settings.endLr === OPTIONS.endLr.default) {
          console.error(`${task.id}: range test seed ${record.seed}: the product ran no second test`);
          return;
        }
        record.retry = { settings: { startLr: r.settings.startLr, endLr: r.settings.endLr, steps: r.settings.steps }, points: r.points, stopReason: r.stopReason, divergedAt: r.divergedAt, seconds: r.seconds };
        console.error(`${task.id}: range test seed ${record.seed} again (${r.settings.steps} steps, ${r.settings.startLr} – ${r.settings.endLr}): ${r.stopReason}, headline ${r.recommended?.maxLr ?? 'none'}`);
      });
    }
    if (data.rangeTests.length === 0 || rangeOnly) continue;
    // Coarse grid, then midpoints where it is too coarse to score a rule, then more room at an edge that wins.
    for (let round = 0; round < 8 && timeLeft(); round++) {
      // --grid-lrs: more of the oracle where no rule looked (a task whose range tests read nothing).
      const planned = round === 0 ? [...coarseGrid(task, data), ...extraLrs.map((lr) => gridLr(Math.log10(lr)))] : refine(task, data);
      // Seed-major: one seed over the whole plan first, so that a piece cut short by --minutes still spans it.
      const todo = GRID_SEEDS.flatMap((seed) => planned.map((lr) => ({ lr, seed }))).filter(({ lr, seed }) => !data.grid.some((g) => gridLr(Math.log10(g.maxLr)) === lr && g.seed === seed));
      if (round > 0 && todo.length === 0) break;
      for (const { lr, seed } of todo) {
        if (!timeLeft()) break;
        await gridRun(lr, seed);
      }
    }
    for (const lr of disputed(task, data)) {
      if (!timeLeft() || data.grid.some((g) => gridLr(Math.log10(g.maxLr)) === lr && g.seed === THIRD_SEED)) continue;
      await gridRun(lr, THIRD_SEED);
    }
    if (unresolved(task, data)) {
      const lrs = gridMeans(task, data).map((m) => m.lr);
      for (const seed of MORE_SEEDS) {
        for (const lr of lrs) {
          if (!timeLeft() || data.grid.some((g) => gridLr(Math.log10(g.maxLr)) === lr && g.seed === seed)) continue;
          await gridRun(lr, seed);
        }
      }
    }
  }
}

/** Whether the oracle's seeds at its best LR spread over more than the worst-case limit (see `MORE_SEEDS`). */
function unresolved(task: AdviceTask, data: TaskData): boolean {
  const means = gridMeans(task, data);
  if (means.length === 0) return false;
  const best = means.reduce((a, b) => (better(task, b.mean, a.mean) ? b : a));
  return seedSpread(task, data, best.lr) > UNRESOLVED;
}

/** Finest grid spacing (decades) the refinement goes down to. */
const FINEST_STEP = 0.125;
/** Refine between neighbours when one of them is this close to the best (regret units: points, or % for MSE)... */
const REFINE_NEAR_BEST = 5;
const REFINE_NEAR_BEST_REGRESSION = 50;
/** ...and they differ by more than this: there the interpolation could be wrong by that much. */
const REFINE_DIFFERENCE = 0.5;
const REFINE_DIFFERENCE_REGRESSION = 5;

const nearBest = (task: AdviceTask): number => (task.kind === 'classification' ? REFINE_NEAR_BEST : REFINE_NEAR_BEST_REGRESSION);

/**
 * Grid LRs where one seed is near the best (regret under `nearBest`) and the two disagree by more than
 * `DISAGREE`: one noisy run there moves a rule's regret by points, so a third seed votes.
 */
function disputed(task: AdviceTask, data: TaskData): number[] {
  const means = gridMeans(task, data);
  if (means.length === 0) return [];
  const top = means.reduce((a, b) => (better(task, b.mean, a.mean) ? b : a)).mean;
  const regret = (v: number): number => (task.kind === 'classification' ? (top - v) * 100 : (v / top - 1) * 100);
  return means
    .filter((m) => m.n === GRID_SEEDS.length)
    .filter((m) => {
      const values = data.grid.filter((g) => gridLr(Math.log10(g.maxLr)) === m.lr).map((g) => metricOf(task, data, g));
      const spread = Math.max(...values) - Math.min(...values);
      const bestSeed = task.kind === 'classification' ? Math.max(...values) : Math.min(...values);
      const disagree = task.kind === 'classification' ? spread * 100 > DISAGREE : (spread / top) * 100 > DISAGREE_REGRESSION;
      return disagree && regret(bestSeed) <= nearBest(task);
    })
    .map((m) => m.lr);
}

/**
 * Where the grid is too coarse to score a rule: the midpoint (in log LR) of every pair of
 * neighbours that are still more than `FINEST_STEP` apart, where one of them is near the best
 * and the two differ by more than the target regret; plus one step beyond an edge that wins.
 */
function refine(task: AdviceTask, data: TaskData): number[] {
  const means = gridMeans(task, data);
  if (means.length === 0) return [];
  let best = 0;
  for (let i = 1; i < means.length; i++) if (better(task, means[i]!.mean, means[best]!.mean)) best = i;
  const top = means[best]!.mean;
  const regret = (v: number): number => (task.kind === 'classification' ? (top - v) * 100 : (v / top - 1) * 100);
  const near = nearBest(task);
  const differ = task.kind === 'classification' ? REFINE_DIFFERENCE : REFINE_DIFFERENCE_REGRESSION;
  const out: number[] = [];
  for (let i = 0; i + 1 < means.length; i++) {
    const [a, b] = [means[i]!, means[i + 1]!];
    const gap = Math.log10(b.lr) - Math.log10(a.lr);
    if (gap <= FINEST_STEP * 1.01) continue;
    const [ra, rb] = [regret(a.mean), regret(b.mean)];
    if (Math.min(ra, rb) <= near && Math.abs(ra - rb) > differ) out.push(gridLr((Math.log10(a.lr) + Math.log10(b.lr)) / 2));
  }
  const e = Math.log10(means[best]!.lr);
  if (best === 0) out.push(gridLr(e - COARSE_STEP));
  if (best === means.length - 1) out.push(gridLr(e + COARSE_STEP));
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const only = value('tasks')?.split(',');
  const tasks = only === undefined ? ADVICE_TASKS : only.map((id) => ADVICE_TASKS.find((t) => t.id === id) ?? ((): never => { throw new Error(`no task ${id}`); })());
  if (args.includes('--generate')) {
    const t0 = performance.now();
    await generate(tasks, Number(value('minutes') ?? 'Infinity'), args.includes('--redo-range'), args.includes('--range-only'), (value('grid-lrs') ?? '').split(',').filter((x) => x !== '').map(Number));
    console.error(`generation piece: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  if (args.includes('--score') || !args.includes('--generate')) {
    // `--tuning-only` while a rule is being tuned: the held-out tasks stay unseen until the end.
    const scored = args.includes('--tuning-only') ? ADVICE_TASKS.filter((t) => !t.heldOut) : ADVICE_TASKS;
    console.log(scoreAll(scored.map((t) => ({ task: t, data: readTask(t.id) })), { markdown: args.includes('--markdown') }));
  }
}

if (require.main === module) void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
