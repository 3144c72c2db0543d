/**
 * The recipe (Smith, Section 5; method.md §7), end to end within a wall-time budget:
 * range test → LR range; batch size by wall time (when the budget allows); momentum by short
 * runs; weight decay by short runs; then a confirming 1cycle run and its verdict. The step time
 * measured by the range test sizes every later step; a step that would overrun is shortened or
 * skipped, and says so.
 */
import type { RecipeRequest } from '../../protocol/requests';
import type { BatchSizeResult, FindLrResult, MomentumResult, Recommendation, RecipeResult, RecipeStep, TrainResult, WeightDecayResult } from '../../protocol/results';
import { OptionError, flagOf } from '../../protocol/errors';
import { defaultWeightDecayGrid } from '../../core/decisions';
import { loadForRun } from '../session';
import type { RunContext } from './findLr';
import { FIND_LR_DEFAULTS, findLr } from './findLr';
import { batchSizeStudy } from './batchSize';
import { momentumStudy, weightDecayStudy } from './shortRuns';
import { train } from './train';

/** Shares of the budget left after the range test (the rest goes to the confirming run). */
export const RECIPE_SHARES = { batchSize: 0.25, momentum: 0.15, weightDecay: 0.15 };
/** Below this many seconds for the batch-size share, the study cannot give each size a real run. */
export const MIN_BATCH_SIZE_SECONDS = 30;
/** Fewest iterations a short run is worth; shorter ones only measure noise. */
export const MIN_SHORT_RUN_STEPS = 50;
/** The confirming run never plans more epochs than this (tiny models would otherwise plan thousands). */
export const MAX_RECIPE_EPOCHS = 100;
/** Evaluations and process start-up add about this share to the pure training time. */
const OVERHEAD = 1.3;

export async function recipe(request: RecipeRequest, ctx: RunContext): Promise<RecipeResult> {
  const budget = request.budgetSeconds;
  if (!Number.isFinite(budget) || budget <= 0) throw new OptionError('budget', `${flagOf('budget')} must be a positive duration like 10m, got ${String(budget)}.`);
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  const remaining = (): number => budget - elapsed();
  const steps: RecipeStep[] = [];
  let estimate = 0;
  const warnings: string[] = [];
  const record = (step: RecipeStep): void => {
    steps.push(step);
    ctx.reporter.log('info', `recipe: ${step.name} ${step.status}: ${step.message}`);
  };
  const common = { model: request.model, ...(request.data === undefined ? {} : { data: request.data }), ...(request.label === undefined ? {} : { label: request.label }), ...(request.workspace === undefined ? {} : { workspace: request.workspace }), ...(request.backend === undefined ? {} : { backend: request.backend }), seed: request.seed ?? 0, ...(request.optimizer === undefined ? {} : { optimizer: request.optimizer }) };
  const loaded = await loadForRun(common, ctx);
  let batchSize = request.batchSize ?? Math.min(FIND_LR_DEFAULTS.batchSize, Math.max(1, Math.floor(loaded.data.train.count / 4)));

  // 1. Range test.
  ctx.reporter.progress('recipe', 'Step 1/5: LR range test', 0, true);
  let t = elapsed();
  const rangeTest: FindLrResult = await findLr({ ...common, kind: 'find-lr', batchSize }, ctx);
  const range = rangeTest.range ?? (rangeTest.suggestions.valley === null ? null : { minLr: rangeTest.suggestions.valley / 10, maxLr: rangeTest.suggestions.valley });
  record({ name: 'range-test', status: 'done', seconds: elapsed() - t, evidence: rangeTest, message: range === null ? `no usable LR: ${rangeTest.reasons.range}` : `LR ${range.minLr.toExponential(2)} – ${range.maxLr.toExponential(2)} (${rangeTest.reasons.range})` });
  if (range === null || ctx.signal.aborted) {
    return finish(null, null);
  }
  const stepSeconds = rangeTest.seconds / Math.max(1, rangeTest.points.length);
  const perEpochAt = (bs: number): number => Math.max(1, Math.floor(loaded.data.train.count / bs));
  // The plan's own estimate, from the measured step time (reported beside the budget).
  estimate = elapsed();
  let maxLr = range.maxLr;
  let minLr = range.minLr;

  // 2. Batch size by wall time, when the budget allows a real run per size.
  t = elapsed();
  const bsShare = remaining() * RECIPE_SHARES.batchSize;
  const sizes = [Math.max(1, Math.floor(batchSize / 2)), batchSize, batchSize * 2].filter((s, i, a) => a.indexOf(s) === i && s <= loaded.data.train.count);
  const perSize = bsShare / sizes.length - 6; // each size pays ~6 s for its own process, load and range test
  if (ctx.signal.aborted) return finish(null, null);
  if (bsShare < MIN_BATCH_SIZE_SECONDS || perSize < 3) {
    record({ name: 'batch-size', status: 'skipped', seconds: 0, evidence: null, message: `skipped: its share of the budget (${bsShare.toFixed(0)} s) is too short to give ${sizes.length} sizes a real run; batch size stays ${batchSize}. Give a larger --budget to include it.` });
  } else {
    estimate += sizes.length * (perSize + 6);
    ctx.reporter.progress('recipe', `Step 2/5: batch sizes ${sizes.join(', ')} at ${perSize.toFixed(0)} s each`, elapsed() / budget, true);
    const study: BatchSizeResult = await batchSizeStudy({ ...common, kind: 'batch-size', sizes, budgetSeconds: perSize }, ctx);
    const best = study.best === null ? null : study.runs[study.best];
    if (best !== undefined && best !== null && best.maxLr !== null) {
      batchSize = best.batchSize;
      // The chosen size's own range test sets the LR from here on (larger batches allow larger LRs).
      maxLr = best.maxLr;
      minLr = best.maxLr / 10;
    }
    record({ name: 'batch-size', status: 'done', seconds: elapsed() - t, evidence: study, message: `batch ${batchSize}: ${study.reason}` });
  }

  // 3. Momentum and 4. weight decay: short runs sized to their share.
  const shortSteps = (share: number, runs: number): number => Math.floor((remaining() * share) / (runs * stepSeconds * OVERHEAD));
  t = elapsed();
  let momentum = { max: 0.95, min: 0.85 };
  const mSteps = Math.min(300, shortSteps(RECIPE_SHARES.momentum / (1 - RECIPE_SHARES.batchSize), 5));
  if (ctx.signal.aborted) return finish(null, null);
  if (mSteps < MIN_SHORT_RUN_STEPS) {
    record({ name: 'momentum', status: 'skipped', seconds: 0, evidence: null, message: `skipped: only ${mSteps} iterations per run fit the budget (need ${MIN_SHORT_RUN_STEPS}); keeping cyclical 0.95→0.85 (Smith's default with 1cycle).` });
  } else {
    estimate += 5 * mSteps * stepSeconds * OVERHEAD;
    ctx.reporter.progress('recipe', `Step 3/5: momentum short runs (${mSteps} iterations each)`, elapsed() / budget, true);
    const study: MomentumResult = await momentumStudy({ ...common, kind: 'momentum', maxLr, minLr, batchSize, steps: mSteps }, ctx);
    const best = study.best === null ? undefined : study.runs[study.best];
    if (best !== undefined) momentum = typeof best.momentum === 'number' ? { max: best.momentum, min: best.momentum } : best.momentum;
    record({ name: 'momentum', status: mSteps < 300 ? 'shortened' : 'done', seconds: elapsed() - t, evidence: study, message: study.reason });
  }
  t = elapsed();
  let weightDecay = 0;
  const grid = defaultWeightDecayGrid(loaded.parameterCount);
  const wSteps = Math.min(300, shortSteps(RECIPE_SHARES.weightDecay / (1 - RECIPE_SHARES.batchSize - RECIPE_SHARES.momentum), grid.length));
  if (ctx.signal.aborted) return finish(null, null);
  if (wSteps < MIN_SHORT_RUN_STEPS) {
    record({ name: 'weight-decay', status: 'skipped', seconds: 0, evidence: null, message: `skipped: only ${wSteps} iterations per run fit the budget (need ${MIN_SHORT_RUN_STEPS}); no weight decay.` });
  } else {
    estimate += grid.length * wSteps * stepSeconds * OVERHEAD;
    ctx.reporter.progress('recipe', `Step 4/5: weight decay short runs (${grid.join(', ')})`, elapsed() / budget, true);
    const study: WeightDecayResult = await weightDecayStudy({ ...common, kind: 'weight-decay', maxLr, minLr, batchSize, steps: wSteps, values: grid }, ctx);
    const best = study.best === null ? undefined : study.runs[study.best];
    if (best !== undefined) weightDecay = best.weightDecay;
    record({ name: 'weight-decay', status: wSteps < 300 ? 'shortened' : 'done', seconds: elapsed() - t, evidence: study, message: study.reason });
  }

  // 5. The confirming 1cycle run with everything chosen, in what is left of the budget.
  t = elapsed();
  if (ctx.signal.aborted) return finish(null, null);
  const perEpoch = perEpochAt(batchSize);
  const epochs = Math.min(MAX_RECIPE_EPOCHS, Math.max(1, Math.floor((remaining() / (stepSeconds * OVERHEAD)) / perEpoch)));
  estimate += epochs * perEpoch * stepSeconds * OVERHEAD;
  ctx.reporter.progress('recipe', `Step 5/5: 1cycle for ${epochs} epochs`, elapsed() / budget, true);
  const confirm: TrainResult = await train({
    ...common,
    kind: 'train',
    batchSize,
    policy: 'smith',
    schedule: { maxLr, minLr, maxMomentum: momentum.max, baseMomentum: momentum.min },
    epochs,
    weightDecay,
    budgetSeconds: Math.max(1, remaining()),
  }, ctx);
  record({ name: 'train', status: confirm.history.length < epochs ? 'shortened' : 'done', seconds: elapsed() - t, evidence: confirm, message: `${confirm.history.length} epochs: ${confirm.diagnosis.verdict ?? 'no verdict'} — ${confirm.diagnosis.reason}` });
  // Overfitting in the confirming run: recommend stopping where validation loss was lowest.
  let epochsToRecommend = confirm.history.length;
  if (confirm.diagnosis.verdict === 'overfitting') {
    const best = confirm.history.reduce((a, b) => ((b.valLoss ?? Infinity) < (a.valLoss ?? Infinity) ? b : a), confirm.history[0]!);
    epochsToRecommend = best.epoch;
    warnings.push(`The confirming run overfit after epoch ${best.epoch}: the recommendation trains ${best.epoch} epochs (the 1cycle schedule then fits that length), or add regularization.`);
  }
  return finish({ lr: { minLr, maxLr }, momentum, weightDecay, batchSize, epochs: epochsToRecommend, schedule: 'smith' }, confirm);

  function finish(recommendation: Recommendation | null, confirm: TrainResult | null): RecipeResult {
    if (ctx.signal.aborted) warnings.push(`Cancelled after ${steps.length} of 5 steps.`);
    if (elapsed() > budget * 1.1) warnings.push(`Took ${elapsed().toFixed(0)} s of a ${budget} s budget.`);
    return {
      kind: 'recipe',
      model: loaded.file,
      backend: loaded.backend.name,
      seconds: elapsed(),
      budgetSeconds: budget,
      estimatedSeconds: Math.round(estimate),
      steps,
      recommendation,
      diagnosis: confirm?.diagnosis ?? null,
      warnings,
    };
  }
}
