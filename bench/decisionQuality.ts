/**
 * Decision quality: are the recipe's other picks (weight decay, momentum, batch size) good?
 * Judged by outcomes, like the advice bench (bench/adviceQuality.ts, whose tasks and in-process
 * CLI runner this reuses): every alternative is trained to the end with 1cycle at the task's
 * headline LR (2 seeds) and LR Lab's pick is scored by its regret against the best alternative.
 *
 *   node --import tsx bench/decisionQuality.ts --generate [--tasks a,b] [--minutes 30]
 *   node --import tsx bench/decisionQuality.ts --score [--markdown]
 *
 * `--generate` writes bench/decisions/<task>.json after every run and skips what is already
 * there (so it runs in pieces); run it with `nice -n 10 env LRLAB_WASM_THREADS=1` on a shared
 * machine. What it stores:
 * - the studies LR Lab decides from, raw: the weight-decay range tests of `lrlab sweep --wd`
 *   (their points), the short runs of `lrlab sweep --short-runs --wd` and `--momentum` (early
 *   validation losses), and `lrlab batch-size` with seed 1;
 * - the outcomes: `lrlab train --policy onecycle` at the headline LR for each weight decay and
 *   each momentum (cyclical, or constant with `--no-cycle-momentum`), seeds 1 and 2; for batch
 *   size, `lrlab batch-size` again with seeds 2 and 3 (each size: its own range test, then 1cycle
 *   for the same wall-time budget), so the pick (seed 1) is judged on runs it did not see.
 * `--score` (bench/decisionScore.ts) reads only the JSON and re-runs the rules of src/core on the
 * stored studies: a change to a rule re-scores in seconds.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BatchSizeResult, MomentumResult, RangePoint, SweepResult, TrainResult, WeightDecayResult } from '../src/protocol/results';
import { recommend } from '../src/core/headline';
import { ADVICE_TASKS } from './adviceTasks';
import type { AdviceTask } from './adviceTasks';
import { cli, readTask, roundedJson } from './adviceQuality';
import { scoreDecisions } from './decisionScore';
import { taskLoss } from './adviceScore';

const ROOT = path.join(__dirname, '..');
const DATA_DIR = path.join(__dirname, 'decisions');
/** The cheap tasks of the advice suite (a few seconds per training run). */
export const DECISION_TASKS: readonly string[] = ['mnist-mlp', 'tabular-class', 'tabular-reg'];
export const WD_GRID: readonly number[] = [1e-2, 1e-3, 1e-4, 0];
export const MOMENTA: readonly number[] = [0.99, 0.95, 0.9];
export const BATCH_SIZES: readonly number[] = [32, 128, 512];
/**
 * `lrlab batch-size --budget`: the whole study's wall time (since #20), shared by the 3 sizes, their
 * range tests and start-up included — about 13 s of 1cycle per size. (6 s until 2026-11-30
 * evening: some 1.5 s per size, a race the machine's load decided.)
 */
export const BATCH_BUDGET_SECONDS = 45;
export const OUTCOME_SEEDS: readonly number[] = [1, 2];
/** The batch-size pick comes from the study with this seed; its outcome from the other two. */
export const BATCH_PICK_SEED = 1;
export const BATCH_OUTCOME_SEEDS: readonly number[] = [2, 3];

export interface ShortRunRecord {
  readonly label: string;
  /** Weight decay, constant momentum, or `null` for cyclical momentum. */
  readonly value: number | null;
  readonly earlyValLoss: number | null;
  readonly diverged: boolean;
}

export interface BatchRunRecord {
  readonly batchSize: number;
  readonly ok: boolean;
  readonly maxLr: number | null;
  readonly finalValLoss: number | null;
  readonly finalValAccuracy: number | null;
}

export interface Outcome {
  readonly study: 'weight-decay' | 'momentum';
  /** Weight decay, constant momentum, or `null` for cyclical momentum. */
  readonly value: number | null;
  readonly seed: number;
  readonly finalValLoss: number | null;
  readonly finalValAccuracy: number | null;
  readonly stopped: string | null;
  readonly seconds: number;
}

export interface DecisionData {
  readonly id: string;
  /** The headline LR every outcome trains at (recommend() on the advice bench's seed-1 range test). */
  lr: number | null;
  sweep: { weightDecay: number; points: readonly RangePoint[] }[] | null;
  wdShortRuns: ShortRunRecord[] | null;
  momentumShortRuns: ShortRunRecord[] | null;
  batch: { seed: number; budgetSeconds: number; runs: BatchRunRecord[] }[];
  outcomes: Outcome[];
  generationSeconds: number;
}

export function dataFile(id: string): string {
  return path.join(DATA_DIR, `${id}.json`);
}

export function readDecisions(id: string): DecisionData {
  const file = dataFile(id);
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as DecisionData)
    : { id, lr: null, sweep: null, wdShortRuns: null, momentumShortRuns: null, batch: [], outcomes: [], generationSeconds: 0 };
}

function write(data: DecisionData): void {
  mkdirSync(DATA_DIR, { recursive: true });
  const rounded = roundedJson(data);
  writeFileSync(dataFile(data.id), `${rounded}\n`);
}

async function lrlab<T>(argv: readonly string[]): Promise<T> {
  let out = '';
  const errors: string[] = [];
  const code = await cli()(argv, { out: (t) => (out += t), err: (t) => errors.push(t), interactive: false });
  if (code !== 0) throw new Error(`lrlab ${argv.join(' ')} exited ${code}: ${errors.join(' | ')}`);
  return JSON.parse(out) as T;
}

const shortRecord = (run: { label: string; earlyValLoss: number | null; diverged: boolean }, value: number | null): ShortRunRecord => ({ label: run.label, value, earlyValLoss: run.earlyValLoss, diverged: run.diverged });

async function generate(tasks: readonly AdviceTask[], minutes: number): Promise<void> {
  const deadline = performance.now() + minutes * 60_000;
  const timeLeft = (): boolean => performance.now() < deadline;
  for (const task of tasks) {
    const data = readDecisions(task.id);
    const model = path.join(ROOT, task.file);
    const timed = async (work: () => Promise<void>): Promise<void> => {
      if (!timeLeft()) return;
      const t0 = performance.now();
      try {
        await work();
      } catch (error) {
        // One failed run (a machine under load, a rebuilt dist/) must not lose the rest: it is retried next time.
        console.error(`${task.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
      data.generationSeconds += (performance.now() - t0) / 1000;
      write(data);
    };
    if (data.lr === null) {
      const range = readTask(task.id).rangeTests.find((r) => r.seed === 1);
      if (range === undefined) throw new Error(`bench/advice/${task.id}.json has no seed-1 range test: run bench/adviceQuality.ts --generate --range-only first.`);
      data.lr = recommend(range.points, taskLoss(task))?.maxLr ?? null;
      if (data.lr === null) throw new Error(`${task.id}: the seed-1 range test gives no headline LR.`);
      write(data);
    }
    const lr = String(Number(data.lr.toPrecision(3)));
    const seed1 = ['--seed', '1', '--json', ...task.findLrFlags];
    if (data.sweep === null) {
      await timed(async () => {
        const r = await lrlab<SweepResult>(['sweep', model, '--wd', WD_GRID.join(','), ...seed1]);
        data.sweep = r.curves.map((c) => ({ weightDecay: c.weightDecay, points: c.points }));
        console.error(`${task.id}: wd range tests: ${r.reason}`);
      });
    }
    if (data.wdShortRuns === null) {
      await timed(async () => {
        const r = await lrlab<WeightDecayResult>(['sweep', model, '--short-runs', '--wd', WD_GRID.join(','), '--max-lr', lr, ...seed1]);
        data.wdShortRuns = r.runs.map((run) => shortRecord(run, run.weightDecay));
        console.error(`${task.id}: wd short runs: ${r.reason}`);
      });
    }
    if (data.momentumShortRuns === null) {
      await timed(async () => {
        const r = await lrlab<MomentumResult>(['sweep', model, '--short-runs', '--momentum', MOMENTA.join(','), '--max-lr', lr, ...seed1]);
        data.momentumShortRuns = r.runs.map((run) => shortRecord(run, typeof run.momentum === 'number' ? run.momentum : null));
        console.error(`${task.id}: momentum short runs: ${r.reason}`);
      });
    }
    const alternatives: { study: Outcome['study']; value: number | null; flags: string[] }[] = [
      ...WD_GRID.map((wd) => ({ study: 'weight-decay' as const, value: wd, flags: ['--wd', String(wd)] })),
      { study: 'momentum', value: null, flags: [] },
      ...MOMENTA.map((m) => ({ study: 'momentum' as const, value: m, flags: ['--no-cycle-momentum', '--momentum', String(m)] })),
    ];
    for (const seed of OUTCOME_SEEDS) {
      for (const alt of alternatives) {
        if (data.outcomes.some((o) => o.study === alt.study && o.value === alt.value && o.seed === seed)) continue;
        await timed(async () => {
          const r = await lrlab<TrainResult>(['train', model, '--policy', 'onecycle', '--max-lr', lr, '--epochs', String(task.epochs), '--seed', String(seed), '--json', ...task.trainFlags, ...alt.flags]);
          const last = r.history.at(-1);
          const stopped = r.warnings.find((w) => w.startsWith('Stopped:')) ?? null;
          data.outcomes.push({ study: alt.study, value: alt.value, seed, finalValLoss: last?.valLoss ?? null, finalValAccuracy: last?.valAccuracy ?? null, stopped, seconds: r.seconds });
          console.error(`${task.id}: ${alt.study} ${alt.value ?? 'cyclical'} seed ${seed}: loss ${last?.valLoss?.toPrecision(4) ?? '—'} acc ${last?.valAccuracy?.toFixed(4) ?? '—'}, ${r.seconds.toFixed(1)} s`);
        });
      }
    }
    for (const seed of [BATCH_PICK_SEED, ...BATCH_OUTCOME_SEEDS]) {
      if (data.batch.some((b) => b.seed === seed)) continue;
      await timed(async () => {
        const r = await lrlab<BatchSizeResult>(['batch-size', model, '--sizes', BATCH_SIZES.join(','), '--budget', `${BATCH_BUDGET_SECONDS}s`, '--seed', String(seed), '--json', ...task.findLrFlags]);
        data.batch.push({ seed, budgetSeconds: r.budgetSeconds, runs: r.runs.map((b) => ({ batchSize: b.batchSize, ok: b.status === 'ok', maxLr: b.maxLr, finalValLoss: b.finalValLoss, finalValAccuracy: b.finalValAccuracy })) });
        console.error(`${task.id}: batch-size seed ${seed}: ${r.reason}`);
      });
    }
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const ids = value('tasks')?.split(',') ?? DECISION_TASKS;
  const tasks = ids.map((id) => ADVICE_TASKS.find((t) => t.id === id) ?? ((): never => { throw new Error(`no task ${id}`); })());
  if (args.includes('--generate')) {
    const t0 = performance.now();
    await generate(tasks, Number(value('minutes') ?? 'Infinity'));
    console.error(`generation piece: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  if (args.includes('--score') || !args.includes('--generate')) {
    console.log(scoreDecisions(tasks.map((task) => ({ task, data: readDecisions(task.id) })), { markdown: args.includes('--markdown') }));
  }
}

if (require.main === module) void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
