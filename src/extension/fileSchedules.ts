/**
 * Which schedule each model file would get from "Insert 1cycle schedule" (the language server's
 * `FileSchedule`s), from the runs the editor holds: the latest run of that file that found one — a
 * range test (the range the user dragged, else the headline, with Smith's cyclical momentum
 * CYCLICAL_MOMENTUM where its optimizer has momentum), or a recipe's recommendation. No `vscode`
 * here: the unit tests run it on plain runs.
 */
import type { FindLrResult, OptimizerReport } from '../protocol/results';
import type { FileSchedule } from '../protocol/serverMessages';
import type { RunSnapshot } from '../protocol/webviewMessages';
import { offeredRange, recommendedOf } from '../protocol/rangeView';
import { CYCLICAL_MOMENTUM, MAX_INSERTED_LR } from '../protocol/options';

export function fileSchedules(all: readonly RunSnapshot[], uriOf: (file: string) => string): FileSchedule[] {
  const byModel = new Map<string, FileSchedule>();
  // The latest run of a model that found a schedule wins: a range test's, or a recipe's recommendation
  // (a user who ran the whole recipe had no Insert lens for its result, and an older range test's stood).
  const runs = [...all].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (const run of runs) {
    const result = run.result;
    if (result?.kind === 'find-lr') {
      const range = offeredRange(run.chosenRange, result);
      if (range === null) continue;
      const unconfirmed = run.chosenRange === null && recommendedOf(result)?.learned === false;
      byModel.set(run.model, scheduleOf(uriOf(run.model), run, range, { max: CYCLICAL_MOMENTUM.max, min: CYCLICAL_MOMENTUM.min }, result, result.settings.batchSize, unconfirmed));
    } else if (result?.kind === 'recipe' && result.recommendation !== null) {
      // Its LR is the range test's (at the recommended batch size), its momentum the momentum step's.
      const rangeTest = result.steps.find((step) => step.name === 'range-test')?.evidence;
      const found = rangeTest?.kind === 'find-lr' ? rangeTest : null;
      const { lr, momentum, batchSize } = result.recommendation;
      byModel.set(run.model, scheduleOf(uriOf(run.model), run, lr, momentum, found, batchSize, false));
    }
  }
  return [...byModel.values()];
}

/** A model's schedule from a run: its range and momentum, and the range test's optimizer, batch size and fit call where known. */
function scheduleOf(uri: string, run: { readonly runId: string; readonly startedAt: string }, range: { readonly maxLr: number; readonly minLr: number }, momentum: { readonly max: number; readonly min: number }, found: FindLrResult | null, batchSize: number, unconfirmed: boolean): FileSchedule {
  const fixed = fixedMomentum(found?.optimizer);
  return {
    uri,
    maxLr: range.maxLr,
    minLr: range.minLr,
    maxMomentum: momentum.max,
    minMomentum: momentum.min,
    ...(fixed === null ? {} : { fixedMomentum: fixed }),
    ...(unconfirmed ? { unconfirmed } : {}),
    ...(found?.optimizer === undefined ? {} : { optimizer: found.optimizer.name }),
    batchSize,
    ...(found?.fitCall === undefined ? {} : { fitLine: found.fitCall.line, ...(found.fitCall.text === undefined ? {} : { fitText: found.fitCall.text }) }),
    runId: run.runId,
    date: run.startedAt.slice(0, 10),
  };
}

/**
 * Why the range test's optimizer kept its momentum (plain SGD, momentum 0, RMSprop's default 0,
 * Adagrad, Adadelta: the engine cycles none of them, and neither does the inserted block), for the
 * lens title; null where it has momentum to cycle, or an older result did not say.
 */
function fixedMomentum(report: OptimizerReport | undefined): string | null {
  if (report === undefined) return null;
  if (report.momentum === null) return `${report.name} has no momentum`;
  return report.momentum === 0 ? `${report.name}'s momentum is 0` : null;
}

/**
 * Whether a run's LR range is one the editor offers (Train with 1cycle, Preview) as the Insert lens would
 * insert it: finite, in (0, MAX_INSERTED_LR], min not above max. A run file is untrusted: Train pre-filled
 * a max LR of 1e6 that the lens refused, and its verdict then blamed the labels' scale.
 */
export function usableRange(range: { readonly maxLr: number; readonly minLr: number }): boolean {
  const usable = (lr: number): boolean => Number.isFinite(lr) && lr > 0 && lr <= MAX_INSERTED_LR;
  return usable(range.maxLr) && usable(range.minLr) && range.minLr <= range.maxLr;
}
