/**
 * The recipe (Smith, Section 5; method.md §7), end to end within a wall-time budget:
 * range test → LR range; batch size by wall time (when the budget allows); momentum by short
 * runs; weight decay by short runs; then a confirming 1cycle run and its verdict. The step and
 * evaluation time measured after the range test size the plan up front (`planRecipe` in core);
 * before each step the rest is planned again from the time actually left, so a step that would
 * overrun is shortened or skipped, and says so.
 */
import path from 'node:path';
import type { RecipeRequest } from '../../protocol/requests';
import type { BatchSizeResult, FindLrResult, MomentumResult, Recommendation, RecipeResult, RecipeStep, TrainResult, WeightDecayResult } from '../../protocol/results';
import { RECIPE_STEP_NUMBER } from '../../protocol/results';
import { flagOf } from '../../protocol/errors';
import type { PlannedStep, RecipePlanStepName } from '../../core/decisions';
import type { ConfirmingRunEnd } from '../../core/decisions';
import { LEAST_BAD_OF_FAILURES, LONGER_TRIALS, LOWER_AFTER_BREAKDOWN, MAX_RECIPE_EPOCHS, MAX_SHORT_RUN_STEPS, PLAN_MARGIN, defaultWeightDecayGrid, endedWorseThanShortRun, formatWeightDecay, keepAfterLowerRun, lrAfterConfirmingRun, lrForBatchSize, planRecipe } from '../../core/decisions';
import { CONVERGED_FRACTION_OF_BASELINE, breakdownOf, endedStillFalling, slowLearning } from '../../core/diagnosis';
import { MAX_RANGE_STEPS } from '../../core/rangeTest';
import { MAX_RANGE_RETRIES, headlineOf, planRangeRetry } from '../../core/rangeRetry';
import { constantLabels } from '../../core/baseline';
import { fitsAsBuilt } from '../../core/hints';
import { afterShorterCycle, confirmingRunEpochs, moreEpochsNote, runLength, studyLrBeatConfirming } from '../../core/epochs';
import { argMin } from '../../core/curveShape';
import { loadForRun } from '../session';
import type { RunContext } from './runContext';
import { CYCLICAL_MOMENTUM, OPTIONS } from '../../protocol/options';
import { formatCount, formatLoss, formatLr, formatSeconds, listTrials, printedLr } from '../../protocol/format';
import { MATERIAL_FRACTION_OF_BASELINE, referenceLoss, validationBaseline } from '../../core/lossScale';
import { chooseOptimizer, noCycleReason } from '../optimizerChoice';
import { SLOW_TRIAL_LENGTH, findLr, unconfirmedForRecipe, withTrials } from './findLr';
import { withScriptDefaults } from '../scriptModel';
import { EVERY_SIZE_LOST, OVER_BUDGET_NOTE, batchSizeStudy } from './batchSize';
import { SHORT_RUN_DEFAULTS, evaluationSteps } from './shortRun';
import { momentumStudy, weightDecayStudy } from './shortRuns';
import { CYCLE_CUT_WARNING, STOPPED_WARNING, TIME_CLOCK_RESOLUTION, train } from './train';
import { measureStepCost } from './timing';
import { checkBudget, checkGivenNumbers } from '../../protocol/optionRules';
import { isPoolWarning } from '../distributed/pool';

/** The part of the progress bar a range test of the recipe fills (its length is not known before it runs). */
const RANGE_TEST_BAR = 0.1;

/** find-lr's short 1cycle runs around the range test's LR: a third of, at and three times it. */
const TRIAL_RUNS = 3;
/** ...each at find-lr's default seeds (`--trial-seeds`), judged on their mean; at one where those do not fit. */
const TRIAL_SEEDS = OPTIONS.trialSeeds.default;
/** The most of the budget left after the range test that those runs may take. */
const TRIALS_SHARE = 0.2;
/**
 * ...and the most the runs below where a range test stopped may take where the range tests gave no
 * LR (find-lr's fallback for slow learners): without an LR no later step can run at all.
 */
const SLOW_TRIALS_SHARE = 0.5;

/** The momentum study's runs: the constant values and the cyclical one. */
const MOMENTUM_RUNS = SHORT_RUN_DEFAULTS.momenta.length + 1;

/**
 * find-lr's three short runs of `steps` each, timed from the measured step cost: each run evaluates where
 * its early validation loss is read (shortRun.ts), the plan's margin on top; at find-lr's seeds where
 * they fit in `share` seconds, else at one (the one-seed rule beats no runs: bench/README.md).
 */
function trialPlan(steps: number, cost: { readonly stepSeconds: number; readonly evalSeconds: number }, share: number): { seeds: number; seconds: number } {
  const perSeed = TRIAL_RUNS * (steps * cost.stepSeconds + evaluationSteps(steps, true).length * cost.evalSeconds) * PLAN_MARGIN;
  const seeds = TRIAL_SEEDS * perSeed <= share ? TRIAL_SEEDS : 1;
  return { seeds, seconds: seeds * perSeed };
}

export async function recipe(request: RecipeRequest, ctx: RunContext): Promise<RecipeResult> {
  const budget = request.budgetSeconds;
  checkBudget(budget, 'budget'); // before any work: the limit is stated, no step runs first
  // Likewise the given values (--batch-size 0 printed "Step 1/5: LR range test", loaded the model, then failed).
  checkGivenNumbers(request, ['batchSize', 'weightDecay', 'dropout', 'momentum', 'beta2', 'epsilon', 'seed', 'validationSplit', 'fitLine', 'valSamples']);
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  const remaining = (): number => budget - elapsed();
  const steps: RecipeStep[] = [];
  let estimate = 0;
  const warnings: string[] = [];
  let failure: string | null = null;
  // The step the cancel arrived in (it ran with the aborted signal: cut short, whatever it planned).
  let cancelledDuring: RecipeStep['name'] | null = null;
  const record = (step: RecipeStep): void => {
    const cutByCancel = ctx.signal.aborted && cancelledDuring === null && step.status !== 'skipped';
    if (cutByCancel) cancelledDuring = step.name;
    const recorded: RecipeStep = cutByCancel && step.status === 'done' ? { ...step, status: 'shortened' } : step;
    steps.push(recorded);
    ctx.reporter.log('info', `recipe: ${recorded.name} ${recorded.status} (${formatSeconds(recorded.seconds)}): ${recorded.message}`);
    warnings.push(...failureWarnings(recorded));
  };
  // What every step shares: the model source, backend, optimizer (and where it came from), one seed.
  const { kind: _kind, budgetSeconds: _budget, batchSize: _batchSize, momentum: _momentum, weightDecay: _weightDecay, dropout: _dropout, redis, ...shared } = request;
  const common = { ...shared, seed: request.seed ?? 0 };
  // --redis: the studies' trials (batch sizes, short runs) go to workers; the range test and the confirming run stay here.
  const remote = redis === undefined ? {} : { redis };
  const loaded = await loadForRun(common, ctx);
  // Each size of the batch-size study loads the data again (planRecipe's loadSeconds).
  const loadSeconds = loaded.loadSeconds ?? 0;
  const choice = chooseOptimizer(common, loaded.compiledOptimizer, loaded.file);
  warnings.push(...loaded.warnings);
  const scripted = withScriptDefaults(request, loaded);
  let batchSize = scripted.batchSize ?? Math.min(OPTIONS.batchSize.default, Math.max(1, Math.floor(loaded.data.train.count / 4)));
  // Said: the recipe's help names 64, and find-lr and train use it on the same model (a user's 80 samples ran at 20 without a word).
  if (scripted.batchSize === undefined && batchSize !== OPTIONS.batchSize.default) {
    warnings.push(`Batch size ${batchSize}, not the default ${OPTIONS.batchSize.default}: a quarter of the ${loaded.data.train.count} training samples, so that an epoch has 4 steps or more (give ${flagOf('batchSize')} to choose it).`);
  }
  // The range test's batch size with where it came from: the flag's or the fit call's, else the
  // default, else a quarter of a small training set ('dataset'; it read "flag" where none was given).
  const rangeBatch = scripted.batchSize !== undefined ? { batchSize, sources: { ...common.sources, ...scripted.sources } } : batchSize === OPTIONS.batchSize.default ? {} : { batchSize, sources: { ...common.sources, batchSize: 'dataset' as const } };

  /**
   * A step's part of the progress bar: from the time used, as long as the step is planned to take; its
   * range test or study fills that part (the first range test filled the bar to 85%, where it stayed).
   */
  const stepBar = (message: string, seconds: number): void => {
    const from = Math.min(1, elapsed() / budget);
    ctx.reporter.within(from, Math.max(0, Math.min(1 - from, seconds / budget)));
    ctx.reporter.progress('recipe', message, 0, true);
  };
  /** The short runs of step 1 place themselves on the whole bar (withTrials' `bar`). */
  const wholeBar = (message: string): void => {
    ctx.reporter.within(0, 1);
    ctx.reporter.progress('recipe', message, elapsed() / budget, true);
  };

  // 1. Range test, retried within the budget (more steps, a wider or lower range) while it gives no headline.
  stepBar('Step 1/5: LR range test', RANGE_TEST_BAR * budget);
  let t = elapsed();
  // The recipe retries itself, within its budget (below): find-lr's own retry stays off here, and
  // find-lr's short 1cycle trials run once a test gives an LR (below, if the budget has room).
  const trialSteps = OPTIONS.lrTrials.default;
  let rangeTest: FindLrResult = await findLr({ ...common, kind: 'find-lr', ...rangeBatch, rangeRetries: 0, rangeTests: 1, lrTrials: 0 }, ctx);
  // The headline is the recommendation's LR (method.md §7 step 1): no second field.
  let range = headlineOf(rangeTest);
  let attempts = 1;
  let noRetry: string | null = null;
  while (range === null && !ctx.signal.aborted && attempts <= MAX_RANGE_RETRIES) {
    const plan = planRangeRetry(rangeTest, remaining(), MAX_RANGE_STEPS);
    if ('none' in plan) {
      noRetry = plan.none;
      break;
    }
    record({ name: 'range-test', status: 'done', seconds: elapsed() - t, evidence: rangeTest, message: `no usable LR (${rangeTest.reasons.range}); ${plan.why}` });
    stepBar(`Step 1/5: LR range test again (${plan.why})`, RANGE_TEST_BAR * budget);
    t = elapsed();
    rangeTest = await findLr({ ...common, kind: 'find-lr', ...rangeBatch, rangeRetries: 0, rangeTests: 1, lrTrials: 0, ...plan.settings }, ctx);
    range = headlineOf(rangeTest);
    attempts++;
  }
  const tests = attempts === 1 ? 'the range test' : `${attempts} range tests`;
  // find-lr's fallback where its range tests give no LR (a slow learner): runs 3x as long at a
  // 100th, a 30th and a 10th of where the test stopped, the best of which is the LR. The recipe gave
  // up instead (a slow LSTM: after 24 s of a 5-minute budget); on the advice bench's checkerboard MLP
  // the runs pick 0.245-0.82 and the recipe then recommends 0.272 (confirming run 94.8%). Without an
  // LR no later step can run, so they may take a larger share of what is left than the runs around one.
  // They run where there is validation data to judge them on and they fit that share.
  const slowPlan = async (): Promise<{ seeds: number; seconds: number; cost: Awaited<ReturnType<typeof measureStepCost>> } | null> => {
    // (Not for a model that fits its labels as built: its runs could only tie, and no LR is to find.)
    if (range !== null || ctx.signal.aborted || loaded.data.validation.count === 0 || constantLabels(loaded.baseline) || fitsAsBuilt(rangeTest.points, loaded.baseline, rangeTest.settings.signal)) return null;
    const stepCost = await measureStepCost(loaded, batchSize, choice.params, ctx.signal);
    const plan = trialPlan(SLOW_TRIAL_LENGTH * trialSteps, stepCost, SLOW_TRIALS_SHARE * remaining());
    return plan.seconds > SLOW_TRIALS_SHARE * remaining() || ctx.signal.aborted ? null : { ...plan, cost: stepCost };
  };
  const slow = await slowPlan();
  /** What the runs below the stop showed, where they named no LR either (withTrials' first warning says which whole runs to compare). */
  let slowNote = '';
  if (slow !== null) {
    record({ name: 'range-test', status: 'done', seconds: elapsed() - t, evidence: rangeTest, message: `no usable LR: ${rangeTest.reasons.range}; short 1cycle runs below where it stopped follow` });
    t = elapsed();
    wholeBar('Step 1/5: short 1cycle runs below where the range test stopped');
    // No further rounds: find-lr runs none without a headline either.
    const none = { allowed: () => false, bar: () => ({ from: Math.min(1, elapsed() / budget), width: 0 }) };
    rangeTest = await withTrials(rangeTest, trialSteps, { loaded, choice, hp: {}, seed: common.seed, seeds: slow.seeds }, ctx, { from: Math.min(1, elapsed() / budget), width: Math.min(1, slow.seconds / budget) }, none);
    range = headlineOf(rangeTest);
    // withTrials puts what its runs showed, and which whole runs to compare, first among the warnings.
    const said = rangeTest.warnings[0];
    slowNote = range === null && said !== undefined ? `; then ${said.charAt(0).toLowerCase()}${said.slice(1).replace(/\.$/, '')}` : '';
  }
  if (range === null || ctx.signal.aborted) {
    const message = slow !== null && range === null ? (ctx.signal.aborted ? 'short 1cycle runs below where it stopped: cut short by the cancel' : `short 1cycle runs below where it stopped named none: ${rangeTest.trials === undefined ? 'none ran whole' : listTrials(rangeTest.trials.runs)}`) : range === null ? `no usable LR: ${rangeTest.reasons.range}` : `LR ${formatLr(range.minLr)} – ${formatLr(range.maxLr)} (${range.reason})${attempts > 1 ? ` — found by range test ${attempts}` : ''}`;
    record({ name: 'range-test', status: 'done', seconds: elapsed() - t, evidence: rangeTest, message });
    if (ctx.signal.aborted) return finish(null, null);
    // The range test's reasons name find-lr's flags (--steps, --end-lr, --start-lr; the runs' --lr-trials), which the recipe does not take.
    // Named, not "those flags": a user read "(those flags are …)" at the end of a long message as not
    // covering the --steps it followed, and ran lrlab recipe --steps 2700.
    const named = [...new Set([...`${rangeTest.reasons.range}${slowNote}`.matchAll(/--(steps|end-lr|start-lr|lr-trials)\b/g)].map((m) => m[0]))];
    const flags = named.length === 0 ? '' : ` (${named.join(', ').replace(/, ([^,]*)$/, ' and $1')} ${named.length === 1 ? 'is an option' : 'are options'} of lrlab find-lr, not of the recipe: try ${named.length === 1 ? 'it' : 'them'} there on ${path.basename(request.model)}, then lrlab train --max-lr with the LR it finds)`;
    failure = `no usable LR after ${tests}: ${rangeTest.reasons.range}${noRetry === null ? '' : `; no retry: ${noRetry}`}${slowNote}${flags}${slowNote === '' ? '' : '.'}`;
    return finish(null, null);
  }
  let cost = slow?.cost ?? (await measureStepCost(loaded, batchSize, choice.params, ctx.signal));
  // find-lr's short 1cycle runs around the range test's LR (its default rule: bench/README.md,
  // "Advice quality"), so that the recipe's LR is chosen as find-lr's is — where they fit in a
  // share of the budget; else the range test's LR stands, and the step says so.
  // (The runs below where the tests stopped name their own source.)
  const found = attempts > 1 && slow === null ? ` — found by range test ${attempts}` : '';
  let trialNote = '';
  const { seeds, seconds: trialSeconds } = trialPlan(trialSteps, cost, TRIALS_SHARE * remaining());
  if (ctx.signal.aborted) {
    // recorded below, then finished
  } else if (slow !== null) {
    // The LR is already the best of short runs (those below where the test stopped): find-lr runs no others after them.
  } else if (loaded.data.validation.count > 0 && trialSeconds <= TRIALS_SHARE * remaining()) {
    wholeBar(`Step 1/5: short 1cycle runs around LR ${formatLr(range.maxLr)}`);
    // Where the runs learn nothing, find-lr runs them again 3x as long (and, where those learn nothing
    // either, 9x lower as long): here each only if it fits a fifth of the budget left when it would start.
    const longer = { allowed: () => LONGER_TRIALS * trialSeconds <= TRIALS_SHARE * remaining(), bar: () => ({ from: Math.min(1, elapsed() / budget), width: Math.min(1, (LONGER_TRIALS * trialSeconds) / budget) }) };
    const tested = range.maxLr;
    rangeTest = await withTrials(rangeTest, trialSteps, { loaded, choice, hp: {}, seed: common.seed, seeds }, ctx, { from: Math.min(1, elapsed() / budget), width: Math.min(1, trialSeconds / budget) }, longer);
    range = headlineOf(rangeTest) ?? range;
    const trials = rangeTest.trials;
    if (trials !== undefined && trials.picked === null && !ctx.signal.aborted) {
      // Each round by its length, and "9x lower" where the round before it sent it there.
      const rounds = [...(trials.earlier ?? []), { steps: trials.steps, runs: trials.runs }];
      const lowered = (k: number): string => (k > 0 && ['broke down', 'still learned nothing'].includes(trials.earlier![k - 1]!.outcome) ? ', 9x lower' : '');
      const listed = rounds.length === 1 ? listTrials(trials.runs) : rounds.map((r, k) => `${formatCount(r.steps, 'step')}${lowered(k)}: ${listTrials(r.runs)}`).join('; ');
      const why = trials.runs.every((r) => r.diverged) ? 'every one diverged' : trials.earlier?.at(-1)?.outcome === 'barely learned' ? 'the longer ones lost what the shorter ones barely learned' : 'none got clearly below the baseline';
      // find-lr's fallback below runs that broke down (core underBreakdown) moved the LR: said as such, since that run did get clearly below the baseline.
      trialNote = range.maxLr < tested
        ? `; short 1cycle runs around it (${listed}) named none, and those at it broke down — so the run below them that ended lowest, ${formatLr(range.maxLr)}, is the LR`
        : `; short 1cycle runs around it (${listed}) named none — ${why} — so the range test's LR stands`;
    }
  } else if (loaded.data.validation.count > 0) {
    // Under load the range test can use the whole budget: "of the — left" said nothing.
    const left = remaining();
    const share = left > 0 ? `more than ${Math.round(TRIALS_SHARE * 100)}% of the ${formatSeconds(left)} left` : `nothing of the ${formatSeconds(budget)} budget left after the range test`;
    trialNote = `; no short 1cycle runs around it (about ${formatSeconds(trialSeconds)}, ${share}: a larger --budget includes them)`;
  } else {
    trialNote = '; no short 1cycle runs around it (no validation data to judge them on)';
  }
  record({ name: 'range-test', status: 'done', seconds: elapsed() - t, evidence: rangeTest, message: `LR ${formatLr(range.minLr)} – ${formatLr(range.maxLr)} (${unconfirmedForRecipe(range.reason)})${found}${trialNote}` });
  if (ctx.signal.aborted) return finish(null, null);
  let maxLr = range.maxLr;
  let minLr = range.minLr;
  const sizes = [Math.max(1, Math.floor(batchSize / 2)), batchSize, batchSize * 2].filter((s, i, a) => a.indexOf(s) === i && s <= loaded.data.train.count);
  // The method's grid, and 0 as the control where it has none (small models: 1e-2, 1e-3, 1e-4), so
  // that "no weight decay" can win: a 3-class MLP's recipe chose 1e-4 at 0.0575 where its momentum
  // run without any had reached 0.040.
  const methodGrid = defaultWeightDecayGrid(loaded.parameterCount);
  const grid = methodGrid.includes(0) ? methodGrid : [...methodGrid, 0];
  const perEpochAt = (bs: number): number => Math.max(1, Math.floor(loaded.data.train.count / bs));
  const planNext = (todo: RecipePlanStepName[]): PlannedStep =>
    planRecipe({ remainingSeconds: remaining(), ...cost, stepsPerEpoch: perEpochAt(batchSize), todo, batchSizes: sizes.length, momentumRuns: MOMENTUM_RUNS, weightDecayRuns: grid.length, loadSeconds }).steps[0]!;

  // The plan up front, from the measured step time; reported beside the budget.
  // A --batch-size the user gave is theirs: the study does not replace it (a user's --batch-size 16 became 32
  // without a word). A training script's fit call's is a starting point, studied as the default is.
  const givenBatch = request.batchSize !== undefined;
  const upfront = planRecipe({ remainingSeconds: remaining(), ...cost, stepsPerEpoch: perEpochAt(batchSize), todo: givenBatch ? ['momentum', 'weight-decay', 'train'] : ['batch-size', 'momentum', 'weight-decay', 'train'], batchSizes: sizes.length, momentumRuns: MOMENTUM_RUNS, weightDecayRuns: grid.length, loadSeconds });
  estimate = elapsed() + upfront.estimatedSeconds;
  const describe = (p: PlannedStep): string => (p.skipped !== null ? `${p.name} skipped` : p.name === 'batch-size' ? `batch sizes ${sizes.join('/')} in ${formatSeconds(p.seconds)} (about ${formatSeconds(p.secondsPerSize)} of training each)` : p.name === 'train' ? `1cycle ${formatCount(p.epochs ?? 0, 'epoch')}` : `${p.name} ${p.steps} iterations per run`);
  ctx.reporter.log('info', `recipe plan (${(cost.stepSeconds * 1000).toFixed(1)} ms per step at batch ${batchSize}, ${formatSeconds(cost.evalSeconds)} per evaluation): ${upfront.steps.map(describe).join(', ')}; about ${formatSeconds(estimate)} of ${formatSeconds(budget)}.`);

  // 2. Batch size by wall time, when the budget allows a real run per size.
  if (ctx.signal.aborted) return finish(null, null);
  t = elapsed();
  let planned = planNext(['batch-size', 'momentum', 'weight-decay', 'train']);
  if (givenBatch) {
    record({ name: 'batch-size', status: 'skipped', seconds: 0, evidence: null, message: `skipped: ${flagOf('batchSize')} ${batchSize} was given, so batch size stays ${batchSize} (leave ${flagOf('batchSize')} out to compare sizes).` });
  } else if (planned.skipped !== null) {
    record({ name: 'batch-size', status: 'skipped', seconds: 0, evidence: null, message: `skipped: ${planned.skipped}; batch size stays ${batchSize}. Give a larger --budget to include it.` });
  } else {
    // The study's --budget is its whole wall time (each size's start-up and range test included).
    stepBar(`Step 2/5: batch sizes ${sizes.join(', ')} in ${formatSeconds(planned.seconds)}`, planned.seconds);
    const study: BatchSizeResult = await batchSizeStudy({ ...common, ...remote, kind: 'batch-size', sizes, budgetSeconds: planned.seconds }, ctx);
    const picked = study.best === null ? undefined : study.runs[study.best];
    // The sizes train at their range tests' LRs; where find-lr's short runs had moved the LR down from
    // there and every size's longer run still ended worse than those 100 steps, the sizes' LRs broke the
    // runs down and their ranking is of breakdowns (a user's 100-class model: 3.4–9.02 at 0.126–0.147,
    // against 0.563 after the short runs' 100 steps at 0.0318; it picked the least bad and said nothing).
    // The short run find-lr chose (`trials.picked` is its LR, not an index).
    const shortRun = rangeTest.trials?.runs.find((r) => r.maxLr === rangeTest.trials?.picked) ?? null;
    const brokeDown = picked !== undefined && shortRun !== null && endedWorseThanShortRun(picked.finalValLoss, shortRun.earlyValLoss);
    const best = brokeDown ? undefined : picked;
    let lrNote = '';
    if (best !== undefined && best.maxLr !== null && best.batchSize !== batchSize) {
      // A new size moves the LR (larger batches allow larger LRs): by the ratio of the two sizes'
      // range tests in the study where the short runs chose the LR (that keeps their correction of
      // the range test), else to the new size's own range test.
      const same = study.runs.find((r) => r.batchSize === batchSize);
      const moved = lrForBatchSize(maxLr, (rangeTest.trials?.picked ?? null) !== null, same?.maxLr ?? null, best.maxLr, { from: batchSize, to: best.batchSize });
      const { ratio, bounded } = moved;
      const from = maxLr;
      maxLr = moved.maxLr;
      minLr = maxLr / 10;
      const measured = ratio === null ? `batch ${best.batchSize}'s range test (${formatLr(best.maxLr)})` : `batch ${best.batchSize}'s range test over batch ${batchSize}'s (× ${ratio.toPrecision(2)})`;
      lrNote =
        bounded !== null
          ? bounded === 1
            ? `; LR ${formatLr(maxLr)}, as before: ${measured} would move it the other way, and a ${best.batchSize > batchSize ? 'larger batch does not lower' : 'smaller batch does not raise'} the LR`
            : `; LR ${formatLr(maxLr)}: ${formatLr(from)} × ${bounded.toPrecision(2)} — ${measured} moved it further than the batch sizes' ratio, the most the linear scaling rule allows`
          : ratio === null
            ? `; LR ${formatLr(maxLr)}: batch ${best.batchSize}'s range test`
            : `; LR ${formatLr(maxLr)}: the short runs' ${formatLr(range.maxLr)} × ${ratio.toPrecision(2)}, batch ${best.batchSize}'s range test over batch ${batchSize}'s`;
      batchSize = best.batchSize;
    }
    if (!ctx.signal.aborted && batchSize !== sizes[1]) cost = await measureStepCost(loaded, batchSize, choice.params, ctx.signal);
    if (best === undefined) {
      // No size gave a result (each range test found no usable LR, or none trained): the study ran, but decided nothing.
      const reasons = [...new Set(study.runs.map((r) => r.reason).filter((r): r is string => r !== null))];
      // One size trained: it compared nothing (the study's own reason names --sizes, which the recipe does not take).
      const trained = study.runs.filter((r) => r.status === 'ok');
      const lrs = trained.map((r) => r.maxLr).filter((lr): lr is number => lr !== null);
      const what = ctx.signal.aborted
        ? 'cancelled during the study: its sizes did not train for equal times, so none is picked'
        : brokeDown && picked !== undefined && shortRun !== null
          ? `every size ended worse than find-lr's short runs of ${formatCount(rangeTest.trials!.steps, 'step')} at ${formatLr(shortRun.maxLr)} (the best size, batch ${picked.batchSize}: validation loss ${formatLoss(picked.finalValLoss)} against ${formatLoss(shortRun.earlyValLoss)}), at its range test's LR${lrs.length > 0 ? ` (${formatLr(Math.min(...lrs))}${Math.min(...lrs) === Math.max(...lrs) ? '' : ` – ${formatLr(Math.max(...lrs))}`})` : ''}: over their longer runs the sizes got worse than those short runs (overfitting, or LRs too high for runs that long: the notes say more), so their ranking says nothing about batch size`
        : trained.length === 1
          ? `only batch ${trained[0]!.batchSize} trained, so nothing was compared${reasons.length === 0 ? '' : ` (the others: ${reasons.join('; ')})`}`
          : `no size gave a result${reasons.length === 0 ? '' : ` (${reasons.join('; ')})`}`;
      record({ name: 'batch-size', status: 'skipped', seconds: elapsed() - t, evidence: study, message: `${what}; batch size stays ${batchSize}.` });
    } else {
      // "batch 128: ends as low as batch 32 (…) and is larger; LR 11.8: …" — not "batch 128: batch 128 ends … larger.; LR".
      const why = study.reason.replace(new RegExp(`^batch ${batchSize} `), '').replace(/\.$/, '');
      record({ name: 'batch-size', status: 'done', seconds: elapsed() - t, evidence: study, message: `batch ${batchSize}: ${why}${lrNote}.` });
    }
  }

  // 3. Momentum by short runs.
  if (ctx.signal.aborted) return finish(null, null);
  t = elapsed();
  // Without momentum (plain SGD compiled with momentum 0, Adagrad, ...) there is none to tune: it stays as compiled.
  const fixed = choice.params.momentum;
  let momentum: { max: number; min: number } = choice.cyclesMomentum ? CYCLICAL_MOMENTUM : { max: fixed, min: fixed };
  let momentumStudied = false;
  planned = planNext(['momentum', 'weight-decay', 'train']);
  if (!choice.cyclesMomentum) {
    record({ name: 'momentum', status: 'skipped', seconds: 0, evidence: null, message: `skipped: ${noCycleReason(choice.report)}; momentum stays ${fixed}. ${giveMomentum(choice.report.name, choice.report.momentum === null)} to tune one.` });
  } else if (planned.skipped !== null) {
    record({ name: 'momentum', status: 'skipped', seconds: 0, evidence: null, message: `skipped: ${planned.skipped}; keeping cyclical ${CYCLICAL_MOMENTUM.max}→${CYCLICAL_MOMENTUM.min} (Smith's default with 1cycle).` });
  } else {
    const n = planned.steps!;
    stepBar(`Step 3/5: momentum short runs (${n} iterations each)`, planned.seconds);
    const study: MomentumResult = await momentumStudy({ ...common, ...remote, kind: 'momentum', maxLr, minLr, batchSize, steps: n }, ctx);
    const best = study.best === null ? undefined : study.runs[study.best];
    if (best !== undefined) momentum = typeof best.momentum === 'number' ? { max: best.momentum, min: best.momentum } : best.momentum;
    momentumStudied = true;
    record({ name: 'momentum', status: n < MAX_SHORT_RUN_STEPS ? 'shortened' : 'done', seconds: elapsed() - t, evidence: study, message: study.reason });
  }

  // 4. Weight decay by short runs.
  if (ctx.signal.aborted) return finish(null, null);
  t = elapsed();
  let weightDecay = 0;
  planned = planNext(['weight-decay', 'train']);
  if (planned.skipped !== null) {
    record({ name: 'weight-decay', status: 'skipped', seconds: 0, evidence: null, message: `skipped: ${planned.skipped}; no weight decay.` });
  } else {
    const n = planned.steps!;
    stepBar(`Step 4/5: weight decay short runs (${grid.map(formatWeightDecay).join(', ')}; ${n} iterations each)`, planned.seconds);
    // At the momentum the confirming run will use: a constant the momentum study chose (it ran its
    // weight-decay runs under the default cycle 0.95→0.85 while recommending 0.9).
    const constant = momentumStudied && momentum.max === momentum.min ? { constantMomentum: momentum.max } : {};
    const study: WeightDecayResult = await weightDecayStudy({ ...common, ...remote, kind: 'weight-decay', maxLr, minLr, batchSize, steps: n, values: grid, ...constant }, ctx);
    const best = study.best === null ? undefined : study.runs[study.best];
    if (best !== undefined) weightDecay = best.weightDecay;
    record({ name: 'weight-decay', status: n < MAX_SHORT_RUN_STEPS ? 'shortened' : 'done', seconds: elapsed() - t, evidence: study, message: study.reason });
  }

  // 5. The confirming 1cycle run with everything chosen, in what is left of the budget.
  if (ctx.signal.aborted) return finish(null, null);
  t = elapsed();
  // Measured again right before: the machine's load may have changed since the plan was made.
  cost = await measureStepCost(loaded, batchSize, choice.params, ctx.signal);
  const trainPlan = planNext(['train']);
  const epochs = trainPlan.epochs!;
  // Where the budget binds, the cycle follows the clock: it fills the time left and ends there
  // (annihilation included) even when the step time just measured was off — a pause or a load that
  // came or went would otherwise leave the budget unused, or cut the cycle before its end. Where the
  // epoch cap binds, the run is the reproducible one: that many epochs, step by step.
  const clocked = epochs < MAX_RECIPE_EPOCHS;
  const trainFor = Math.max(1, remaining());
  stepBar(`Step 5/5: 1cycle for ${clocked ? `the ${formatSeconds(trainFor)} left (about ${formatCount(epochs, 'epoch')})` : formatCount(epochs, 'epoch')}`, clocked ? trainFor : trainPlan.seconds);
  // At the digits the recommendation prints, so that its `lrlab train` line repeats the run it
  // names: one at 0.058667 ended at 9.24 where the printed 0.0587 gave 8.86 (same seed).
  maxLr = printedLr(maxLr);
  minLr = printedLr(minLr);
  /** The confirming run at `at`; `fixedEpochs`: a cycle of that many epochs instead, never on the clock (the epochs the recipe recommends, checked). */
  const confirmAt = (at: { maxLr: number; minLr: number }, seconds = trainFor, fixedEpochs?: number): Promise<TrainResult> => {
    const onClock = clocked && fixedEpochs === undefined;
    return train({
      ...common,
      kind: 'train',
      batchSize,
      policy: 'smith',
      schedule: { maxLr: at.maxLr, minLr: at.minLr, ...(momentumStudied ? { maxMomentum: momentum.max, baseMomentum: momentum.min } : {}), ...(onClock ? { totalSteps: TIME_CLOCK_RESOLUTION } : {}) },
      epochs: fixedEpochs ?? (clocked ? MAX_RECIPE_EPOCHS : epochs),
      weightDecay,
      // Its last evaluation comes after the budget's end: kept out of it (measured just above).
      budgetSeconds: onClock ? Math.max(1, seconds - cost.evalSeconds) : seconds,
      ...(onClock ? { scheduleClock: 'time' as const } : {}),
    }, ctx);
  };
  const first: TrainResult = await confirmAt({ maxLr, minLr });
  const firstEnd = runEnd(first);
  const cancelledFirst = ctx.signal.aborted;
  // Cut, it still broke down where train says so (its `unstable` stands at a cut: Ctrl-C is often
  // pressed because the loss exploded); the recommendation then comes down as for a whole run that did.
  const brokeBeforeCut = cancelledFirst && first.diagnosis.verdict === 'unstable';
  const judgedFirst = judgedRun(first, cancelledFirst);
  // A confirming run that broke down at its max LR (diverged, unstable, blew up, collapsed) does not
  // confirm it. (A user's recipe confirmed a slow-starting model at momentum 0.97 and max LR 1.28
  // over 100 epochs, blew up, and still recommended 1.28.) Where the epoch cap bound the run and the
  // budget has its length left, the same run 3x lower decides (core keepAfterLowerRun); otherwise the
  // recommendation comes down 3x and says that nothing ran there.
  const lowerAt = { maxLr: printedLr(maxLr / LOWER_AFTER_BREAKDOWN), minLr: printedLr(minLr / LOWER_AFTER_BREAKDOWN) };
  // Its length: the first run's pace over the planned epochs (one stopped by a NaN/Inf ran fewer), with the plan's margin.
  const lowerSeconds = (PLAN_MARGIN * first.seconds * epochs) / Math.max(1, first.history.length);
  const compare = firstEnd.breakdown !== null && !cancelledFirst && !clocked && remaining() >= lowerSeconds;
  let confirm = first;
  let lower: TrainResult | null = null;
  let lowerEnd: ReturnType<typeof runEnd> | null = null;
  let kept: ReturnType<typeof keepAfterLowerRun> | null = null;
  if (compare) {
    stepBar(`Step 5/5: the run at max LR ${formatLr(maxLr)} broke down; the same ${formatCount(epochs, 'epoch')} at ${formatLr(lowerAt.maxLr)}`, lowerSeconds);
    // Within what is left of the budget; cut short by it, it is no whole run to compare.
    lower = await confirmAt(lowerAt, Math.max(1, remaining()));
    if (!ctx.signal.aborted && lower.history.length >= epochs) {
      lowerEnd = runEnd(lower);
      kept = keepAfterLowerRun(firstEnd, lowerEnd);
      if (kept.keep === 'low') confirm = lower;
    }
  }
  const cancelled = ctx.signal.aborted;
  // The step's run (its evidence) cut short: cancelled, or stopped by a NaN/Inf loss (train's warning), or fewer epochs than planned.
  const cut = cancelledFirst || first.warnings.some((w) => w.startsWith(STOPPED_WARNING)) || (!clocked && first.history.length < epochs);
  // A clocked run stops mid-epoch: its length in epochs is a fraction, and only whole ones are recommended.
  const { text: length } = runLength(first.history, clocked);
  // The lower run's verdict alone (its reason is in `compared`, and the recipe's verdict is the kept run's).
  const comparison = lower === null ? '' : ` The same run at ${formatLr(lowerAt.maxLr)}: ${kept !== null ? (lower.diagnosis.verdict ?? 'no verdict') : cancelled ? 'cancelled' : `stopped by the budget after ${formatCount(lower.history.length, 'epoch')}`}.`;
  const verdictOf = kept === null ? '' : ` Kept ${formatLr(kept.keep === 'high' ? maxLr : lowerAt.maxLr)}: ${sentence(kept.reason)}`;
  record({ name: 'train', status: cut ? 'shortened' : 'done', seconds: elapsed() - t, evidence: first, ...(lower === null ? {} : { compared: lower }), message: `${length}${clocked ? ` in ${formatSeconds(elapsed() - t)}` : ''}: ${lower === null ? judgedFirst : sentence(judgedFirst)}${comparison}${verdictOf}` });
  // A confirming run that learned nothing confirms nothing: no recommendation is read from it (on random
  // labels a recipe recommended weight decay 1e-2 and "38 epochs" from noise, and exited 0) — decided
  // here, before any further run. Not where its own verdict says it is learning, slowly (validation
  // falling every epoch, or accuracy above chance: "train longer or higher"), nor without a baseline
  // to have stayed at.
  if (!cancelledFirst && confirm.diagnosis.verdict === 'not-learning' && confirm.baseline !== null && slowLearning(confirm.history, confirm.baseline) === null) {
    failure = `the confirming 1cycle run (max LR ${formatLr(confirm.schedule.maxLr)}, ${runLength(confirm.history, clocked).text}) learned nothing: its validation loss stayed at the baseline, so no LR, weight decay or length it and the studies measured is a recommendation. Its verdict says what to try; check the data and labels first.`;
    return finish(null, confirm);
  }
  const outcome = confirmedOutcome({ at: { maxLr, minLr }, lowerAt, firstBreakdown: cancelledFirst && !brokeBeforeCut ? null : firstEnd.breakdown, lowerBreakdown: lowerEnd?.breakdown ?? null, lower: lower === null ? 'none' : kept !== null ? 'finished' : cancelled ? 'cancelled' : 'cut', kept, clocked });
  // Cancelled during the run 3x lower, the first run still finished: its verdict and length stand.
  let advice = confirmingRunEpochs({ history: confirm.history, baseline: loaded.baseline, planned: epochs, clocked, cancelled: cancelledFirst, brokeDown: outcome.brokeDown, stillFalling: !cancelledFirst && endedStillFalling(confirm.diagnosis) });
  // Fewer epochs than the confirming run's: a cycle fitted to them is another schedule than that run's
  // first epochs (it anneals sooner), so it runs once, as the line the recipe prints would, where the
  // budget has its time. Where it ends materially worse than the long run did, the long run's length stands:
  // a user's 8 epochs (best at epoch 8 of 100) ended at 0.662, the 100-epoch run at 0.541.
  const longEnd = confirm.history.at(-1)?.valLoss ?? null;
  // What a material change of validation loss is, against the confirming run's reference (the shorter cycle's check, the study's note).
  const material = MATERIAL_FRACTION_OF_BASELINE * referenceLoss(confirm.history, loaded.baseline);
  const longEpochs = Math.floor(runLength(confirm.history, clocked).measured + 1e-9);
  let shorterWorse = false;
  const shortSeconds = (PLAN_MARGIN * confirm.seconds * advice.epochs) / Math.max(1, confirm.history.length);
  if (!cancelled && outcome.brokeDown === null && longEnd !== null && Number.isFinite(longEnd) && advice.epochs < longEpochs && remaining() >= shortSeconds) {
    stepBar(`Step 5/5: the recommended ${formatCount(advice.epochs, 'epoch')} as one cycle of their own, at max LR ${formatLr(outcome.lr.maxLr)}`, shortSeconds);
    const fresh = await confirmAt(outcome.lr, Math.max(1, remaining()), advice.epochs);
    const shortEnd = fresh.history.at(-1)?.valLoss ?? null;
    const whole = !ctx.signal.aborted && fresh.history.length >= advice.epochs && shortEnd !== null;
    if (whole) {
      // Where that cycle's own verdict is overfitting: its lowest epoch, which the epochs line names.
      // Where it is unstable: its lowest epoch too, and the long run's length stands.
      const unstable = fresh.diagnosis.verdict === 'unstable';
      const bottom = fresh.diagnosis.verdict === 'overfitting' || unstable ? lowestEpoch(fresh.history) : null;
      const base = validationBaseline(loaded.baseline);
      const checked = afterShorterCycle(
        advice,
        { epochs: longEpochs, end: longEnd },
        { end: shortEnd, stillFalling: endedStillFalling(fresh.diagnosis), bottom, unstable },
        { material, converged: base === null ? null : CONVERGED_FRACTION_OF_BASELINE * base },
      );
      shorterWorse = checked.epochs !== advice.epochs;
      advice = checked;
      // Its run is the evidence of the epochs line: kept on the confirming step, as `compared` is.
      const at = steps.findIndex((step) => step.name === 'train');
      if (at >= 0) steps[at] = { ...steps[at]!, checked: fresh, seconds: elapsed() - t };
    }
  }
  if (outcome.warning !== null) warnings.unshift(outcome.warning);
  // A clocked cycle that an evaluation or a stall stopped short of its end: said beside the verdict it qualifies.
  if (!cancelled) warnings.push(...confirm.warnings.filter((w) => w.startsWith(CYCLE_CUT_WARNING)));
  // The batch-size study's run at this batch size, where it trained: what the two notes below weigh the confirming run against.
  const studied = steps.find((step) => step.name === 'batch-size')?.evidence;
  const studyRun = studied?.kind === 'batch-size' ? studied.runs.find((r) => r.batchSize === batchSize && r.status === 'ok') : undefined;
  const studyEnd = studyRun?.curve.at(-1);
  const study = studyRun === undefined || studyEnd === undefined || studyRun.finalValLoss === null ? null : { batchSize, epochs: studyEnd.epoch, seconds: studyEnd.seconds, end: studyRun.finalValLoss, maxLr: studyRun.maxLr };
  // That run far below where the confirming run ended: more epochs help.
  if (!cancelled && outcome.brokeDown === null && longEnd !== null) {
    const note = moreEpochsNote(study, { epochs: confirm.history.length, end: longEnd }, material);
    if (note !== null) warnings.push(note);
  }
  // That run, at its range test's lower LR, ended below the confirming run in no more epochs: that LR is
  // recommended (core studyLrBeatConfirming; the lower run 3x down decides instead where one ran).
  let lr = outcome.lr;
  if (!cancelled && outcome.brokeDown === null && lower === null && longEnd !== null) {
    const better = studyLrBeatConfirming(study, { epochs: runLength(confirm.history, clocked).measured, end: longEnd, maxLr: confirm.schedule.maxLr ?? outcome.lr.maxLr, overfit: confirm.diagnosis.verdict === 'overfitting' }, material);
    if (better !== null && study?.maxLr !== undefined && study.maxLr !== null) {
      lr = { maxLr: printedLr(study.maxLr), minLr: printedLr(study.maxLr / 10) };
      warnings.unshift(better);
    }
  }
  if (!cancelled && confirm.diagnosis.verdict === 'overfitting') {
    warnings.push(shorterWorse ? `The confirming run overfit, and a cycle as short as its best epoch ended worse: keep its ${formatCount(advice.epochs, 'epoch')} and add regularization (weight decay, dropout), or more data.` : `The confirming run overfit: the recommendation trains ${formatCount(advice.epochs, 'epoch')} (the 1cycle schedule then fits that length), or add regularization.`);
  }
  // Kept after the comparison its verdict's own advice asks for ("lower it ... and compare"): said beside it.
  const judged: TrainResult = kept?.keep === 'high' ? { ...confirm, diagnosis: { ...confirm.diagnosis, reason: `${confirm.diagnosis.reason} The recipe compared: the same run at ${formatLr(lowerAt.maxLr)} ended worse (${kept.reason}), so ${formatLr(maxLr)} stands.` } } : confirm;
  return finish({ lr, momentum, weightDecay, batchSize, epochs: advice.epochs, epochsReason: advice.reason, schedule: 'smith' }, cancelledFirst && !brokeBeforeCut ? null : judged);

  /** The epoch of a run's lowest validation loss, and that loss (`null` without a finite one). */
  function lowestEpoch(history: TrainResult['history']): { epoch: number; loss: number } | null {
    const losses = history.map((h) => (h.valLoss !== null && Number.isFinite(h.valLoss) ? h.valLoss : Number.POSITIVE_INFINITY));
    const i = argMin(losses);
    return Number.isFinite(losses[i]) ? { epoch: history[i]!.epoch, loss: losses[i]! } : null;
  }

  /** How a confirming run ended, and how its own course broke down (`null`: it held). */
  function runEnd(run: TrainResult): ConfirmingRunEnd & { readonly breakdown: string | null } {
    const stoppedNonFinite = run.warnings.some((w) => w.startsWith(STOPPED_WARNING));
    const last = run.history.at(-1);
    const breakdown = stoppedNonFinite ? 'it diverged (a NaN/Inf training loss)' : breakdownOf(run.history, loaded.baseline);
    const valLoss = stoppedNonFinite || last === undefined || last.valLoss === null || !Number.isFinite(last.valLoss) ? null : last.valLoss;
    return { maxLr: run.schedule.maxLr ?? Number.NaN, valLoss, valAccuracy: last?.valAccuracy ?? null, brokeDown: breakdown !== null, breakdown };
  }

  function finish(recommendation: Recommendation | null, confirm: TrainResult | null): RecipeResult {
    if (ctx.signal.aborted) {
      // The steps before: a skipped one did not finish (it read "2 finished" beside a skipped batch-size step).
      const before = steps.slice(0, -1);
      // Numbered as the progress lines number them (a retried range test is one step, two rows).
      const reached = RECIPE_STEP_NUMBER[steps.at(-1)?.name ?? 'range-test'];
      const finished = new Set(before.filter((step) => step.status !== 'skipped').map((step) => step.name)).size;
      const skippedSteps = new Set(before.filter((step) => step.status === 'skipped').map((step) => step.name)).size;
      warnings.push(cancelledDuring === null ? `Cancelled after ${reached} of 5 steps.` : `Cancelled during step ${RECIPE_STEP_NUMBER[cancelledDuring]} of 5 (${cancelledDuring}): ${finished} finished${skippedSteps === 0 ? '' : `, ${skippedSteps} skipped`}.`);
    }
    if (elapsed() > budget * 1.1) warnings.push(`Took ${formatSeconds(elapsed())} of a ${formatSeconds(budget)} budget.`);
    return {
      kind: 'recipe',
      model: loaded.file,
      backend: loaded.backend.name,
      seconds: elapsed(),
      budgetSeconds: budget,
      estimatedSeconds: Math.round(estimate),
      steps,
      recommendation,
      failure: recommendation === null && !ctx.signal.aborted ? (failure ?? 'the recipe stopped before a recommendation') : null,
      diagnosis: confirm?.diagnosis ?? null,
      optimizer: choice.report,
      warnings,
      baseline: loaded.baseline,
    };
  }
}

/** Text ending as a sentence does, once. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * A confirming run's verdict for its step line. Cancelled, the 1cycle schedule never reached its
 * end: its loss curve is not the cycle's, so it gives no verdict, as the result's diagnosis (null)
 * does — unless it broke down before the cut (`unstable`, which train keeps at a cut, and a NaN/Inf
 * stop): that run did break down, and says so.
 */
function judgedRun(run: TrainResult, cancelled: boolean): string {
  if (cancelled && run.diagnosis.verdict === 'unstable') return `cancelled before the 1cycle schedule ended, after it broke down: unstable — ${run.diagnosis.reason}`;
  return cancelled ? 'cancelled before the 1cycle schedule ended: no verdict on an unfinished cycle' : `${run.diagnosis.verdict ?? 'no verdict'} — ${run.diagnosis.reason}`;
}

/**
 * What the recipe recommends after its confirming run (`at`) and, where it broke down and time
 * allowed, the same run 3x lower (`lowerAt`, `kept`: keepAfterLowerRun's pick, `null` where it did
 * not finish or run). Where the run held, its LR; broken down with nothing run lower (cancelled, or
 * no time), 3x lower, unconfirmed; the lower run kept, its LR where it held, and where it broke down
 * too, 3x lower again, unconfirmed; the first run kept (it ended clearly better), its LR. `brokeDown`:
 * why the kept run's curve says nothing about the length (core `confirmingRunEpochs`); `warning`: the
 * first warning, where there is one. LRs at the digits printed (`printedLr`).
 */
function confirmedOutcome(c: {
  readonly at: { readonly maxLr: number; readonly minLr: number };
  readonly lowerAt: { readonly maxLr: number; readonly minLr: number };
  /** How the first run broke down; `null` where it held or was cancelled. */
  readonly firstBreakdown: string | null;
  readonly lowerBreakdown: string | null;
  /** The run 3x lower: none ran, it finished, it was cancelled, or the budget cut it short. */
  readonly lower: 'none' | 'finished' | 'cancelled' | 'cut';
  readonly kept: ReturnType<typeof keepAfterLowerRun> | null;
  readonly clocked: boolean;
}): { lr: { maxLr: number; minLr: number }; brokeDown: string | null; warning: string | null } {
  const { at, lowerAt, firstBreakdown, kept } = c;
  const lowerBrokeDown = kept?.keep === 'low' && c.lowerBreakdown !== null;
  const stands = lrAfterConfirmingRun(kept?.keep === 'low' ? lowerAt : at, (firstBreakdown !== null && kept === null) || lowerBrokeDown);
  const lr = { maxLr: printedLr(stands.maxLr), minLr: printedLr(stands.minLr) };
  if (firstBreakdown === null) return { lr, brokeDown: null, warning: null };
  const [high, low, to] = [formatLr(at.maxLr), formatLr(lowerAt.maxLr), formatLr(lr.maxLr)];
  const first = `The confirming 1cycle run at max LR ${high} broke down: ${firstBreakdown}`;
  const unconfirmed = 'which no run of this recipe has confirmed';
  if (kept === null) {
    const why =
      c.lower === 'cancelled'
        ? 'the run there was cancelled'
        : c.lower === 'cut'
          ? 'the run there did not finish within the budget'
          : c.clocked
            ? `the budget bound this run, leaving none for a second: the recipe compares one 3x lower where the budget fits two runs of ${MAX_RECIPE_EPOCHS} epochs`
            : 'the budget has no time left for a run there: a larger --budget runs it and keeps the better one';
    return {
      lr,
      brokeDown: `the confirming run broke down at max LR ${high}, so its curve says nothing about the length at a lower one`,
      warning: `${first} (step 5 has its verdict). The recommendation lowers the max LR ${LOWER_AFTER_BREAKDOWN}x, to ${to}, ${unconfirmed} (${why}): train with it once (the line below) before a long run.`,
    };
  }
  if (kept.keep === 'high') {
    return {
      lr,
      brokeDown: `the run kept, at max LR ${high}, broke down before it ended better, so its curve says nothing about a length that holds`,
      warning: `${first}, yet ended clearly better than the same run at ${low} (${kept.reason}), so the recommendation keeps ${high}. Its run was not smooth: if a longer one at it breaks down for good, ${c.lowerBreakdown === null ? `use ${low}` : `go lower than ${low}, which broke down too (lrlab find-lr)`}.`,
    };
  }
  const keptLow = `${first}. The same run at ${low} is kept (${kept.reason})`;
  if (!lowerBrokeDown) return { lr, brokeDown: null, warning: `${keptLow}, so the recommendation is ${to}, where the run held.` };
  return {
    lr,
    brokeDown: `the confirming runs at max LR ${high} and ${low} broke down, so their curves say nothing about the length at a lower one`,
    warning: `${keptLow} but broke down too: ${c.lowerBreakdown}. The recommendation lowers the max LR ${LOWER_AFTER_BREAKDOWN}x again, to ${to}, ${unconfirmed}: train with it once (the line below) before a long run.`,
  };
}

/**
 * A study whose candidates all ended above the baseline (core `allAboveBaseline`), or all lost what
 * they had learned (`EVERY_SIZE_LOST`), or a batch-size study on workers that overran its share
 * (`OVER_BUDGET_NOTE`: the later steps found no time left): that warning is the recipe's too, named by the step's number
 * (`RECIPE_STEP_NUMBER`). A user's recipe read "see the warning" in its batch-size step, with the warning only inside the
 * step's evidence.
 */
export function failureWarnings(step: RecipeStep): string[] {
  const n = RECIPE_STEP_NUMBER[step.name];
  // A batch-size study whose every size lost what it had learned ranked that, not the sizes: a recipe
  // passed such a pick on with no warning of its own.
  // Trials on unlike workers or backends (scale-out) too: a user's recipe chose momentum and weight decay
  // from mixed-backend trials and ranked batch sizes by unlike workers' times, saying so only in the steps.
  return (step.evidence?.warnings ?? []).filter((w) => w.includes(LEAST_BAD_OF_FAILURES) || w.startsWith(EVERY_SIZE_LOST) || (step.name === 'batch-size' && w.startsWith(OVER_BUDGET_NOTE)) || isPoolWarning(w)).map((w) => `Step ${n} (${step.name}): ${w}`);
}

/**
 * How to give a run without momentum one, in its optimizer's terms (an RMSprop user was told to
 * compile tf.train.momentum, which would have swapped the optimizer).
 */
function giveMomentum(name: string, none: boolean): string {
  if (none) return `Pass ${flagOf('optimizer')} sgd, nesterov or adam`;
  const compile = name === 'rmsprop' ? 'tf.train.rmsprop(lr, 0.9, 0.9)' : name === 'sgd' ? 'tf.train.momentum(lr, 0.9)' : null;
  return `Pass ${flagOf('momentum')} 0.9${compile === null ? '' : `, or compile it with one (${compile}),`}`;
}
