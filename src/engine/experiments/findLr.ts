/**
 * The LR range test on the user's model (method.md §1). Each test builds a fresh model with
 * `createModel`, so the user's model and weights are never touched; the optimizer state lives
 * and dies with the test.
 */
import path from 'node:path';
import type { FindLrRequest } from '../../protocol/requests';
import type { Baseline, FindLrResult, FindLrSettings, LrRecommendation, LrTrialRound, LrTrials, RangePoint, RangeStopReason, RangeTestSummary, TrialRoundOutcome, TrialRun, TrialSeedRun } from '../../protocol/results';
import type { StreamPoint } from '../../protocol/progress';
import { constantLabels } from '../../core/baseline';
import { CROSS_ENTROPY_CAP, RangeTestTracker, checkSweepOptions, sweepLr } from '../../core/rangeTest';
import { CLEARLY_FALLING_PER_DECADE, curveShape, fittedCurve } from '../../core/curveShape';
import { suggest } from '../../core/suggestions';
import { blowUpEdge, blowUpLr, bottomIndex, medianPick, recommend } from '../../core/headline';
import { useBatchStatistics } from '../normStats';
import { fitText } from '../../protocol/resultSchema';
import { accuracyLeadText, BARELY_LEARNED, BROKE_DOWN, LONGER_TRIALS, LOWER_TRIALS, TRIAL_TIE, backOffFromEdge, barelyLearned, belowDivergence, bestTrial, brokeDown, learnedAtEverySeed, meanOverSeeds, nextTrialRound, splitSeeds, SPLIT_STEP_DOWN, stepDownFromSplit, underBreakdown } from '../../core/decisions';
import { sameFile } from '../userFrames';
import { clearlyAboveChance, clearlyAboveChanceAccuracy, constantPredictionText } from '../../core/diagnosis';
import { planRangeRetry } from '../../core/rangeRetry';
import { MAX_RANGE_STEPS } from '../../core/rangeTest';
import type { OptionName, OptionSource } from '../../protocol/options';
import { OPTIONS } from '../../protocol/options';
import { checkGivenNumbers, checkLrTrials, checkNumberOption } from '../../protocol/optionRules';
import type { OptionNaming } from '../../protocol/optionNaming';
import { optionGiven, optionName, wholeRunsAt } from '../../protocol/optionNaming';
import { OPTIMIZER_DEFAULTS } from '../../protocol/optimizerDefaults';
import { formatCount, formatLoss, formatLr, formatPercent, formatSeconds, listTrials, printedLr } from '../../protocol/format';
import type { OptimizerChoice } from '../optimizerChoice';
import { chooseOptimizer } from '../optimizerChoice';
import { compiledOptimizerLabel } from '../compiledOptimizer';
import { isNearBaseline } from '../../core/lossScale';
import { CHECK_THE_DATA, FIT_AT_START, NO_FACTS, blockingReason, fitsAsBuilt, rangeHints } from '../../core/hints';
import { BatchSampler } from '../../core/random';
import type { RunContext } from './runContext';
import { fitBatchSize } from './runContext';
import { throwIfAborted } from '../errorMapping';
import type { LoadedModel } from '../session';
import { backendLabel } from '../tfjs';
import { dropoutIgnored, loadForRun } from '../session';
import { withScriptDefaults } from '../scriptModel';
import { seedProcess } from '../seed';
import { Trainer } from '../trainer';
import { EventLoopPacer } from './loop';
import { earlyValAccuracy, shortRun } from './shortRun';

/** The range-test settings a request may give, and whose sources the result reports. */
const SETTING_NAMES = ['startLr', 'endLr', 'steps', 'sweep', 'signal', 'smoothing', 'diverge', 'weightDecay', 'batchSize', 'seed'] as const;

/**
 * Applies defaults and checks every option. Called before anything is loaded (`choice` null: the
 * optimizer is not known yet) and again with the optimizer chosen from the model's compile.
 */
export function resolveFindLrSettings(request: FindLrRequest, choice: OptimizerChoice | null): FindLrSettings {
  const optimizer = choice?.report.name ?? request.optimizer ?? 'sgd';
  const sources: Partial<Record<OptionName, OptionSource>> = {};
  for (const name of SETTING_NAMES) sources[name] = request[name] === undefined ? 'default' : (request.sources?.[name] ?? 'flag');
  sources.optimizer = choice?.report.sources.optimizer ?? (request.optimizer === undefined ? 'default' : (request.sources?.optimizer ?? 'flag'));
  sources.momentum = choice?.report.sources.momentum ?? (request.momentum === undefined ? 'default' : (request.sources?.momentum ?? 'flag'));
  const settings: FindLrSettings = {
    startLr: request.startLr ?? OPTIONS.startLr.default,
    endLr: request.endLr ?? OPTIONS.endLr.default,
    steps: request.steps ?? OPTIONS.steps.default,
    sweep: request.sweep ?? OPTIONS.sweep.default,
    signal: request.signal ?? OPTIONS.signal.default,
    smoothing: request.smoothing ?? OPTIONS.smoothing.default,
    diverge: request.diverge ?? OPTIONS.diverge.default,
    optimizer,
    momentum: choice?.params.momentum ?? request.momentum ?? OPTIMIZER_DEFAULTS[optimizer].momentum ?? 0,
    weightDecay: request.weightDecay ?? OPTIONS.weightDecay.default,
    batchSize: request.batchSize ?? OPTIONS.batchSize.default,
    seed: request.seed ?? null,
    sources,
  };
  checkSweepOptions(settings);
  for (const name of ['smoothing', 'diverge', 'momentum', 'weightDecay', 'batchSize'] as const) checkNumberOption(name, settings[name]);
  if (settings.seed !== null) checkNumberOption('seed', settings.seed);
  checkGivenNumbers(request, ['dropout', 'valSamples', 'rangeRetries', 'rangeTests', 'trialSeeds']);
  if (request.lrTrials !== undefined) checkLrTrials(request.lrTrials);
  return settings;
}

export interface RangeCurve {
  readonly points: RangePoint[];
  readonly stopReason: RangeStopReason;
  readonly divergedAt: number | null;
  readonly seconds: number;
  /** What was streamed for it (to stream it again: `findLr` shows the median test's curve last). */
  readonly streamed: readonly StreamPoint[];
}

/** One range test: fresh model, LR sweep, smoothing and divergence stop; streams its points. */
export async function rangeTestCurve(
  loaded: LoadedModel,
  settings: FindLrSettings,
  hp: { dropout?: number },
  ctx: RunContext,
  series: string,
  options: { readonly valSamples?: number | undefined; readonly optimizer?: OptimizerChoice['params'] } = {},
): Promise<RangeCurve> {
  const valSamples = options.valSamples ?? OPTIONS.valSamples.default;
  const shuffle = seedProcess(settings.seed);
  const started = performance.now();
  const model = await loaded.buildModel(hp);
  const trainer = new Trainer(loaded.tf, model, loaded.loss.fn, loaded.accuracy, {
    optimizer: { ...options.optimizer, name: settings.optimizer, lr: settings.startLr, momentum: settings.momentum, weightDecay: settings.weightDecay },
  });
  // tfjs clips the probabilities of every cross-entropy loss at 1e-7: its ceiling is the cap.
  const lossCap = loaded.loss.name.toLowerCase().includes('crossentropy') ? CROSS_ENTROPY_CAP : null;
  const tracker = new RangeTestTracker({ smoothing: settings.smoothing, diverge: settings.diverge, lossCap });
  const sampler = new BatchSampler(loaded.data.train.count, Math.min(settings.batchSize, loaded.data.train.count), shuffle);
  let stopReason: RangeStopReason = 'completed';
  let divergedAt: number | null = null;
  const pacer = new EventLoopPacer();
  const streamed: StreamPoint[] = [];
  // --signal val on a batch-norm model: the moving averages (momentum 0.99) would lag the swept
  // weights by ~100 steps, i.e. by decades of LR; at momentum 0 they are each step's own batch
  // statistics, which the validation pass then uses (training itself never reads them).
  const restoreNorms = settings.signal === 'val' ? useBatchStatistics(model) : (): void => undefined;
  try {
    for (let i = 0; i < settings.steps; i++) {
      if (ctx.signal.aborted) {
        stopReason = 'cancelled';
        break;
      }
      const lr = sweepLr(settings, i);
      trainer.optimizer.setLr(lr);
      let loss = trainer.stepOn(loaded.data.train, sampler.next());
      if (settings.signal === 'val' && Number.isFinite(loss)) {
        loss = trainer.evaluate(loaded.data.validation, valSamples).loss;
      }
      const { point, stop } = tracker.push(lr, loss);
      const sent: StreamPoint = {
        step: i,
        lr,
        momentum: settings.momentum,
        loss: point.loss,
        smoothed: point.smoothed,
        valLoss: settings.signal === 'val' ? point.loss : null,
        valAccuracy: null,
        seconds: (performance.now() - started) / 1000,
      };
      streamed.push(sent);
      ctx.reporter.point(series, sent);
      ctx.reporter.progress('range-test', () => `step ${i + 1}/${settings.steps}, LR ${formatLr(lr)}, loss ${point.smoothed === null ? 'NaN' : formatLoss(point.smoothed)}`, (i + 1) / settings.steps);
      if (stop !== null) {
        stopReason = stop;
        divergedAt = tracker.divergedAt ?? lr;
        break;
      }
      if (pacer.due) await pacer.yield();
    }
  } finally {
    restoreNorms();
    trainer.dispose();
    loaded.disposeModel(model);
  }
  ctx.reporter.flush();
  const seconds = (performance.now() - started) / 1000;
  ctx.reporter.log('info', `${series === 'main' ? 'range test' : series}: ${formatCount(tracker.points.length, 'step')} in ${formatSeconds(seconds)}, ${stopReason}${divergedAt === null ? '' : ` at LR ${formatLr(divergedAt)}`}`);
  return { points: tracker.points, stopReason, divergedAt, seconds, streamed };
}

/**
 * Words for a curve that ended badly or reads ambiguously, so the result says what happened and
 * what to try: the hints' decision table (`src/core/hints.ts`; the blocking ones are the
 * suggestions' reasons already), and a curve still clearly falling at --end-lr. Options are named
 * as `naming` says (the CLI's `--end-lr`, the library's `endLr`).
 */
export function curveWarnings(curve: RangeCurve, settings: FindLrSettings, baseline: Baseline | null = null, naming: OptionNaming = 'flag', trainSamples?: number): string[] {
  const shape = curveShape(curve.points);
  const hints = rangeHints({ shape, recorded: curve.points.length, finite: curve.points.filter((p) => p.loss !== null).length, stopReason: curve.stopReason, divergedAt: curve.divergedAt, settings, baseline, trainSamples }, naming);
  const warnings = hints.filter((h) => !h.blocking || h.case === 'nan-at-start').map((h) => h.message);
  if (curve.stopReason === 'completed') {
    // Only a curve still clearly falling at the end is a problem; one that flattened or turned
    // up without reaching k × best is fine (the EMA's lag would say "falling" too often: use the centred curve).
    const last = shape?.slopes.at(-1);
    // Falling at the end *from its lowest*: a tail that blew up past the start and then dipped (an
    // Adam LSTM back above its start at 1.56, fitted 2.04 → 1.77 by 10 against a start of 1.1) has
    // its bottom long behind it, and a higher --end-lr shows only more of the blow-up.
    // The blow-up edge counts too: the result says "climbs back above its start at 3.27" from it, and a
    // user's easy 3-class task, whose fitted tail stayed just under its start, read both that and
    // "still falling at --end-lr: raise --end-lr" from the noisy tail's last dip.
    const climbedPastStart = shape !== null && (shape.curve.slice(shape.minIndex).some((level) => level > shape.start) || blowUpEdge(curve.points) !== null);
    // Nor where it ends well above its lowest (by a quarter of its fall): an Adam autoencoder bottomed
    // out at 0.075 by LR 0.07, rose to 0.12 and read "still falling" from its tail's 0.12 → 0.11.
    const endedAboveBottom = shape !== null && shape.curve.at(-1)! - shape.curve[shape.minIndex]! > 0.25 * shape.drop;
    if (shape !== null && !shape.flat && !climbedPastStart && !endedAboveBottom && last !== undefined && last <= -CLEARLY_FALLING_PER_DECADE * shape.drop && !hints.some((h) => h.blocking)) {
      const endLr = optionName('endLr', naming);
      warnings.push(`The loss was still falling at ${endLr}: the suggestions may be too low; raise ${endLr}.`);
    }
  }
  return warnings;
}

/** `fitCall.text` where the script's line is a valid result field (not over FIT_TEXT_MAX, no control characters). */
function fitCallText(line: string | undefined): { text?: string } {
  if (line === undefined || line === '') return {};
  try {
    return { text: fitText.parse(line, 'fitCall.text') };
  } catch {
    return {};
  }
}

/** The range test on `request.model`, or on `preloaded` (the library's `findLr(model, data)`). */
export async function findLr(request: FindLrRequest, ctx: RunContext, preloaded?: LoadedModel): Promise<FindLrResult> {
  resolveFindLrSettings(request, null); // fail on bad options before loading anything
  throwIfAborted(ctx.signal);
  const loaded = preloaded ?? (await loadForRun(request, ctx));
  request = withScriptDefaults(request, loaded);
  const naming = ctx.naming ?? 'flag';
  const warnings: string[] = [];
  if (request.dropout !== undefined && !loaded.usesDropout && loaded.script === undefined) warnings.push(dropoutIgnored(loaded.file, request.dropout));
  // It sizes the validation readings of a range test on the validation loss only (the short runs validate on all).
  if (request.valSamples !== undefined && (request.signal ?? OPTIONS.signal.default) !== 'val') {
    warnings.push(`${optionName('valSamples', naming)} ${request.valSamples} is not used: it sets how many validation samples each point of a range test on the validation loss reads (${optionName('signal', naming)} val), and this test reads the training loss. Leave it out, or add ${optionName('signal', naming)} val.`);
  }
  // It sets how many seeds each short run has; with none to run it changed nothing, without a word.
  if (request.trialSeeds !== undefined && request.lrTrials === 0) {
    warnings.push(`${optionName('trialSeeds', naming)} ${request.trialSeeds} is not used: ${optionName('lrTrials', naming)} 0 runs no short runs for it to repeat. Leave it out, or give ${optionName('lrTrials', naming)} a number of steps.`);
  }
  const choice = chooseOptimizer(request, loaded.compiledOptimizer, loaded.file, naming);
  const resolved = resolveFindLrSettings(request, choice);
  const settings = { ...resolved, batchSize: fitBatchSize(resolved.batchSize, request.batchSize !== undefined, loaded.data.train.count, warnings, naming) };
  ctx.reporter.progress('range-test', `LR range test on ${backendLabel(loaded.backend)}`, 0, true);
  const hp = request.dropout === undefined ? {} : { dropout: request.dropout };
  // A script's fit call, where it is in the script itself (not in a module it imports): the editor's insert lens goes by it.
  const at = loaded.script?.at;
  const fitCall = loaded.script !== undefined && at !== null && at !== undefined && sameFile(at.file, loaded.file) ? { line: at.line, method: loaded.script.method, ...fitCallText(loaded.script.lineText) } : null;
  const testOnce = async (tested: FindLrSettings): Promise<{ result: FindLrResult; streamed: readonly StreamPoint[] }> => {
    const curve = await rangeTestCurve(loaded, tested, hp, ctx, 'main', { valSamples: request.valSamples, optimizer: choice.params });
    const facts = { baseline: loaded.baseline, stopReason: curve.stopReason, divergedAt: curve.divergedAt, settings: tested, inputsOffScale: loaded.inputsOffScale, trainSamples: loaded.data.train.count };
    const s = suggest(curve.points, facts, naming);
    // The headline reads the curve alone: where the loss bottoms out is where 1cycle trains best
    // even when the loss had not yet got clearly below the baseline (measured: bench/adviceQuality.ts,
    // withholding it there, or retrying first, cost up to 25 accuracy points). The baseline's word
    // stays, as a warning beside it.
    const read = recommend(curve.points, loaded.loss.name, NO_FACTS, naming);
    const shape = curveShape(curve.points);
    const caution = read !== null && shape !== null && blockingReason(shape, facts, naming) !== null ? [`${CURVE_ALONE}${s.reasons.range}.`] : [];
    const recommended = read === null ? null : { ...read, learned: caution.length === 0 };
    const result: FindLrResult = {
      kind: 'find-lr',
      model: loaded.file,
      backend: loaded.backend.name,
      backendNote: loaded.backend.note,
      backendThreads: loaded.backend.threads,
      seconds: curve.seconds,
      settings: tested,
      points: curve.points,
      divergedAt: curve.divergedAt,
      stopReason: curve.stopReason,
      recommended,
      fitted: fittedCurve(shape),
      suggestions: s.suggestions,
      range: s.range,
      reasons: s.reasons,
      optimizer: choice.report,
      warnings: [...loaded.warnings, ...choice.warnings, ...warnings, ...caution, ...curveWarnings(curve, tested, loaded.baseline, naming, loaded.data.train.count)],
      baseline: loaded.baseline,
      ...(fitCall === null ? {} : { fitCall }),
    };
    return { result, streamed: curve.streamed };
  };
  const retries = request.rangeRetries ?? OPTIONS.rangeRetries.default; // checked by resolveFindLrSettings
  /** One range test with `seed`, and the tests it runs again while it gives no headline. */
  const withRetries = async (seed: number | null, label: string): Promise<{ result: FindLrResult; streamed: readonly StreamPoint[] }> => {
    let run = await testOnce({ ...settings, seed });
    const before: string[] = [];
    let seconds = run.result.seconds;
    for (let attempt = 1; attempt <= retries && run.result.recommended === null && run.result.stopReason !== 'cancelled' && !ctx.signal.aborted; attempt++) {
      const plan = planRangeRetry(run.result, Number.POSITIVE_INFINITY, MAX_RANGE_STEPS, naming);
      if ('none' in plan) break;
      const s = run.result.settings;
      before.push(`${label}${attempt === 1 ? '' : ` (again, ${attempt})`} (${formatCount(s.steps, 'step')}, LR ${formatLr(s.startLr)} – ${formatLr(s.endLr)}) gave no recommended LR: ${plan.why} (${label === 'Range test 1' ? `range test ${attempt + 1}` : 'retried'}; ${optionGiven('rangeRetries', 0, naming)} to stop after the first).`);
      ctx.reporter.log('info', `no recommended LR from ${label.toLowerCase()}${attempt === 1 ? '' : ` (again, ${attempt})`}: ${plan.why}`);
      ctx.reporter.progress('range-test', `Range test again: ${plan.why}`, 0, true);
      ctx.reporter.restart('main');
      run = await testOnce({ ...settings, seed, ...plan.settings });
      seconds += run.result.seconds;
    }
    if (before.length === 0) return run;
    // What the retry found, beside why it ran: three "gave no recommended LR … retrying" warnings read as
    // if no test had found one, beside "the headline is the median of the other 2".
    const found = run.result.recommended;
    const outcome = run.result.stopReason === 'cancelled' || ctx.signal.aborted ? 'the retry was cancelled' : found === null ? 'the retry gave none either' : `the retry gave ${formatLr(found.maxLr)}`;
    before[before.length - 1] = `${before[before.length - 1]!.slice(0, -1)}: ${outcome}.`;
    return { ...run, result: { ...run.result, seconds, warnings: [...before, ...run.result.warnings] } };
  };
  const count = request.rangeTests ?? OPTIONS.rangeTests.default; // checked by resolveFindLrSettings
  const trialSteps = request.lrTrials ?? OPTIONS.lrTrials.default;
  // The range tests fill the progress bar, or its first half when short runs follow.
  const testsShare = trialSteps > 0 ? 0.5 : 1;
  const runs: { result: FindLrResult; streamed: readonly StreamPoint[] }[] = [];
  try {
    for (let k = 0; k < count; k++) {
      if (k > 0 && (ctx.signal.aborted || runs.some((r) => r.result.stopReason === 'cancelled'))) break;
      // One progress bar for the whole run: test k fills its k-th share of it.
      ctx.reporter.share((k / count) * testsShare, testsShare / count);
      if (k > 0) {
        const what = `range test ${k + 1} of ${count} (${settings.seed === null ? 'unseeded' : `seed ${settings.seed + k}`})`;
        ctx.reporter.log('info', `${what}: the recommended LR is the median of ${count} tests (--range-tests 1: one test)`);
        ctx.reporter.progress('range-test', `R${what.slice(1)}`, 0, true);
        ctx.reporter.restart('main');
      }
      runs.push(await withRetries(settings.seed === null ? null : settings.seed + k, count === 1 ? 'Range test 1' : `Range test ${k + 1} of ${count}`));
    }
  } finally {
    ctx.reporter.share(0, 1);
  }
  const median = medianOfTests(runs, count, ctx);
  // Every training label the same: a constant fits them perfectly, so no LR is better than another
  // (a user's zeros got "recommended max LR 10" from short runs that all ended at 0).
  if (constantLabels(loaded.baseline)) return withoutAdvice(median, CONSTANT_LABELS_REASON);
  if (trialSteps === 0 || median.stopReason === 'cancelled' || ctx.signal.aborted) return withCompiledLrNote(printedHeadline(unconfirmed(median)), loaded, choice, naming);
  return withCompiledLrNote(printedHeadline(await withTrials(median, trialSteps, { loaded, choice, hp, seed: settings.seed, seeds: request.trialSeeds ?? OPTIONS.trialSeeds.default }, ctx)), loaded, choice, naming);
}

/**
 * The headline as it is printed (3 significant digits), `minLr` a tenth of that: the JSON and the
 * library's result gave `minLr: 0.013800000000000002` beside `maxLr: 0.138`, and without short runs
 * `maxLr: 0.9426684551178853`, where the CLI, the panel and the inserted code say 0.943. Each range test's
 * headline (`rangeTests[].maxLr`) the same.
 */
function printedHeadline(result: FindLrResult): FindLrResult {
  const r = result.recommended;
  if (r === null) return result;
  const maxLr = printedLr(r.maxLr);
  const rangeTests = result.rangeTests?.map((t) => (t.maxLr === null ? t : { ...t, maxLr: printedLr(t.maxLr) }));
  return { ...result, recommended: { ...r, maxLr, minLr: printedLr(maxLr / 10) }, ...(rangeTests === undefined ? {} : { rangeTests }) };
}

/** The compiled LR this many times below the headline (or more) is named: a user trains as compiled unless told. */
export const COMPILED_FAR_BELOW = 30;
/** ... or this many times above it: past where the range test's loss bottomed out or short runs did best. */
export const COMPILED_ABOVE = 3;

/**
 * Whether a headline says enough to weigh the compiled LR against: not where nothing confirmed it
 * (`learned` false), a cancel cut its test short, or short runs ran and none was picked (every one
 * broke down) — a user's headline "2.3 … not confirmed" beside "even 0.0851 is too high" read
 * "compiles adamax with LR 0.002, 1,150x below … train at the recommended LR rather than the compiled one".
 */
export function headlineToWeigh(result: Pick<FindLrResult, 'recommended' | 'trials'>): boolean {
  return result.recommended !== null && result.recommended.learned && result.recommended.cut !== true && (result.trials === undefined || result.trials.picked !== null);
}

/**
 * Where the model compiles the optimizer the run used with an LR far from the headline, a warning
 * that says so: the range test sweeps the LR, so the compiled one never shows. A user's model compiled
 * Adam at 1e-5 and got "Recommended max LR 0.0213" with nothing said of its own 1e-5, which trained
 * as it was would barely have moved.
 */
function withCompiledLrNote(result: FindLrResult, loaded: LoadedModel, choice: OptimizerChoice, naming: OptionNaming): FindLrResult {
  const compiled = loaded.compiledOptimizer;
  const headline = result.recommended?.maxLr;
  // Not where the outputs start far from the labels: the headline then is the LR that moves them there
  // fastest as much as the task's (a user's house prices at 3.5e5 read "compiles adam with LR 0.01, 592x
  // below the recommended max LR 5.92 … compile with a higher LR"; standardized, the headline was 0.156).
  if (headline === undefined || !headlineToWeigh(result) || compiled === null || compiled.name !== choice.report.name || loaded.outputsOffStart) return result;
  const lr = compiled.learningRate;
  if (lr === null || !Number.isFinite(lr) || lr <= 0) return result;
  const factor = headline / lr;
  const times = (x: number): string => `${x >= 100 ? Math.round(x).toLocaleString('en') : x.toPrecision(2)}x`;
  const note =
    factor >= COMPILED_FAR_BELOW
      ? `${path.basename(loaded.file)} compiles ${compiledOptimizerLabel(compiled)} with LR ${formatLr(lr)}, ${times(factor)} below the recommended max LR ${formatLr(headline)}: trained as compiled, it runs at that LR, which the range test puts far below where this model learns fastest. Train with 1cycle at the recommended LR rather than the compiled one, or compile with a higher LR.`
      : factor <= 1 / COMPILED_ABOVE
        ? aboveNote(`${path.basename(loaded.file)} compiles ${compiledOptimizerLabel(compiled)} with LR ${formatLr(lr)}, ${times(1 / factor)} above the recommended max LR ${formatLr(headline)}`, lr, headline, result.trials?.around ?? null, naming, result.trials !== undefined)
        : null;
  return note === null ? result : { ...result, warnings: [...result.warnings, note] };
}

/**
 * The compiled LR far above the headline. Where it is no higher than the range tests' own headline
 * (`around`), the short runs brought the headline down, and the range test does not say the compiled LR
 * is past the edge: a user's 512-512 MLP on 200 rows compiled Adam at 1e-3 and read "past where the
 * range test's loss did best, where it may not settle" with the tests' loss lowest near 0.0087 — and
 * 1e-3 beat the headline 3.2e-4 by 2.5–5.3 points at three seeds over 10 epochs.
 */
export function aboveNote(compiled: string, lr: number, headline: number, around: number | null, naming: OptionNaming, shortRuns = true): string {
  if (around !== null && lr <= around) {
    return `${compiled}, which short 1cycle runs chose over higher LRs (the range tests alone read ${formatLr(around)}): trained as compiled, it runs at an LR those runs ranked lower, though within what the range tests tolerate. Compare where the two end (${wholeRunsAt([formatLr(headline), formatLr(lr)], naming)}) before choosing.`;
  }
  // Without short runs (--lr-trials 0) only the range tests found it: it read "the range tests and short runs".
  return `${compiled}: trained as compiled, it runs at that LR, past what the range tests${shortRuns ? ' and short runs' : ''} found to train best, where it may not settle or may diverge. Train with 1cycle at the recommended LR rather than the compiled one, or compile with a lower LR.`;
}

/**
 * A headline nothing confirmed says so first, in its reason: two users' trials (labels their inputs
 * cannot predict, a linear model on XOR) read "Recommended max LR 0.898 …: where the loss bottoms
 * out" as the first line, with "nothing learned yet" only among the warnings below, and the library's
 * `recommended` looked like any other. It stays (withholding it cost slow learners up to 25 points on
 * the advice bench, `testOnce` above); `learned: false` marks it for code.
 */
function unconfirmed(result: FindLrResult): FindLrResult {
  const r = result.recommended;
  // The short runs' own mark (a loss with no baseline, judged by accuracy) says it already.
  if (r === null || r.learned || r.reason.startsWith(UNCONFIRMED_AT_CHANCE)) return result;
  const runs = result.trials !== undefined && result.trials.runs.length > 0 ? ' and no short 1cycle run' : '';
  return { ...result, recommended: { ...r, reason: `${UNCONFIRMED}${runs} got clearly below the baseline, so this is where the loss curve bottoms out, not an LR seen to train ${UNCONFIRMED_END}${withoutUnconfirmed(r.reason)}` } };
}

/** How `unconfirmed`'s words begin and end, so that they are never added twice (`withoutUnconfirmed`). */
const UNCONFIRMED = 'unconfirmed — nothing was seen to learn: no range test';
const UNCONFIRMED_END = '(the warnings say what to compare); ';
/**
 * An `unconfirmed` reason as the recipe says it: it shows none of find-lr's warnings, and its confirming
 * run is the comparison they name (a recipe's range-test line read "(the warnings say what to compare)"
 * above no warning, and a confirming run at 100% accuracy).
 */
export function unconfirmedForRecipe(reason: string): string {
  return reason.replace(UNCONFIRMED_END, '(the confirming run, step 5, shows whether it trains); ');
}

/** How the short runs' mark begins where their accuracy, standing in for a baseline, stayed at chance. */
const UNCONFIRMED_AT_CHANCE = "unconfirmed — no short run's validation accuracy";

/**
 * A reason without `unconfirmed`'s words: the recipe runs the short runs on find-lr's result after
 * it was marked, and a pick they confirmed read "the best of short 1cycle runs … 0.0792 → 0.085
 * (97.5%) …; the range test: unconfirmed — nothing was seen to learn" (`withTrials` marks again after).
 */
function withoutUnconfirmed(reason: string): string {
  if (!reason.startsWith(UNCONFIRMED)) return reason;
  const at = reason.indexOf(UNCONFIRMED_END);
  return at < 0 ? reason : reason.slice(at + UNCONFIRMED_END.length);
}

/**
 * The range tests' recommendation where none of the short runs (`runs`, every round's) learned: it
 * stands, and its reason says first that they did not confirm it.
 */
export function notConfirmedByRuns(recommended: LrRecommendation, runs: readonly { readonly maxLr: number; readonly earlyValLoss?: number | null }[], baseline: number | null = null): LrRecommendation {
  if (runs.length === 0) return recommended;
  const lrs = runs.map((r) => r.maxLr);
  // Where one did get clearly below (runs that barely learned, then longer ones that lost it), not "none of them
  // got clearly below": a user's 100-step run at 0.0807 read 1.13 against 1.37, under the 1.3 the warning calls clearly below.
  const below = baseline === null || !(baseline > 0) ? [] : runs.filter((r) => typeof r.earlyValLoss === 'number' && Number.isFinite(r.earlyValLoss) && !isNearBaseline(r.earlyValLoss, baseline));
  const lowest = below.length === 0 ? null : below.reduce((a, b) => (b.earlyValLoss! < a.earlyValLoss! ? b : a));
  const why = lowest === null ? 'none of them got clearly below the baseline' : 'none learned clearly enough to rank LRs by';
  const ran = `${formatCount(runs.length, 'short 1cycle run')} at ${formatLr(Math.min(...lrs))}–${formatLr(Math.max(...lrs))}${lowest === null ? '' : `, the lowest ending at ${formatLoss(lowest.earlyValLoss)} (at ${formatLr(lowest.maxLr)}) against the validation baseline ${formatLoss(baseline)}`}`;
  return { ...recommended, reason: `not confirmed by the short runs — ${why} (${ran}; the warnings say what to compare over whole epochs); ${recommended.reason}` };
}

/**
 * Where a range test's loss climbed back above its start past its bottom: its blow-up edge; on a
 * curve too noisy to read (`flat`) whose end is clearly above its start (by twice its batch-to-batch
 * scatter), the LR from which its fitted loss stayed above its start to the end — that curve did
 * show where the LR became too high (the first crossing can be the scatter's). `null` elsewhere.
 */
export function riseEdge(points: readonly RangePoint[]): number | null {
  // One fit of the curve for both readings (`blowUpEdge` is this first branch).
  const shape = curveShape(points);
  if (shape === null) return null;
  if (!shape.flat) return blowUpLr(shape, bottomIndex(shape));
  if (!(shape.curve.at(-1)! > shape.start + 2 * shape.noise)) return null;
  let i = shape.curve.length - 1;
  while (i > shape.minIndex && shape.curve[i - 1]! > shape.start) i--;
  return i > shape.minIndex ? shape.lrs[i]! : null;
}

/** Candidates per trial set: a third of, at and three times the headline (else below where the test stopped). */
const TRIAL_FACTORS = [1 / 3, 1, 3] as const;
/**
 * Where the range tests gave no headline (a slow learner: nothing learned in their 100 + 300 steps),
 * candidates at a hundredth, a thirtieth and a tenth of where the shown test stopped...
 */
const STOP_FACTORS = [1 / 100, 1 / 30, 1 / 10] as const;
/** ...in runs this many times longer than --lr-trials: such a model shows little in 100 steps. */
export const SLOW_TRIAL_LENGTH = 3;
/** Starts the caution of a headline read from a range curve that never got clearly below the baseline. */
const CURVE_ALONE = 'The recommended LR is read from the curve alone: ';
/** How the warning goes where some range tests gave no headline: "1 of 3 range tests gave no recommended LR; the headline is …". */
const HEADLINE_OF_OTHERS = ' gave no recommended LR; the headline is ';

/**
 * `--lr-trials N`: short 1cycle runs of N steps (the compiled optimizer, momentum cycled where it
 * can be, the run's weight decay, seed and batch size) at a third of, at and at three times the
 * range tests' headline — where they gave none, runs of 3N steps at a hundredth, a thirtieth and a
 * tenth of where the shown test stopped — each at `run.seeds` consecutive seeds (`--trial-seeds`),
 * judged on their mean early validation loss (method §4–5); the best is the headline. On the advice bench (bench/README.md, "short 1cycle trials") 100-step trials cut
 * the median regret over 25 tasks from 0.91 to 0.37 points: the range test reads slow learners too
 * low. Without a headline, 100-step runs at a 30th–3rd of the stop picked 1.56 on a checkerboard
 * MLP whose best 1cycle LR was 0.42 (regret 28.8 points); 300-step runs a decade lower pick 0.467
 * (0.56 points) — what the "learns slowly" warning told users to try by hand. Around a headline, a
 * round whose runs all broke down is followed once by one 9x lower, and one whose runs all learned
 * nothing, or whose pick barely learned, by the same LRs 3x as long (`trials.earlier` keeps them); a pick
 * whose seeds split steps down to the run below where every seed learned (below the lowest, one more
 * run decides: core `stepDownFromSplit`); a pick at the shown test's blow-up edge is backed off half
 * a step (core `backOffFromEdge`).
 */
export async function withTrials(...args: Parameters<typeof trialsAround>): Promise<FindLrResult> {
  // Marked once the runs are in (find-lr's and the recipe's alike): unconfirmed only where no run got clearly below the baseline either.
  return unconfirmed(await trialsAround(...args));
}

async function trialsAround(
  result: FindLrResult,
  steps: number,
  run: { loaded: LoadedModel; choice: OptimizerChoice; hp: { dropout?: number }; seed: number | null; seeds: number },
  ctx: RunContext,
  bar: { from: number; width: number } = { from: 0.5, width: 0.5 },
  // The runs 3x as long where the first round learned nothing: whether they may run (the recipe's
  // budget), and the part of the bar they fill (find-lr's is full after the first round).
  longer: { readonly allowed: () => boolean; readonly bar: () => { from: number; width: number } } = { allowed: () => true, bar: () => ({ from: bar.from + bar.width, width: 0 }) },
): Promise<FindLrResult> {
  const { loaded, choice } = run;
  const naming = ctx.naming ?? 'flag';
  const lrTrials = optionName('lrTrials', naming);
  // One range test (the recipe's, --range-tests 1) or several (find-lr's median of three).
  const tests = result.rangeTests === undefined ? 'the range test' : 'the range tests';
  const testsOwn = result.rangeTests === undefined ? "the range test's" : "the range tests'";
  const around = result.recommended?.maxLr ?? null;
  // Where it stopped: where it diverged, else where its loss climbed back above its start, else its
  // end. An Adam MAE model whose noisy curve bottomed out near 0.02 and rose past its start by 1 ran
  // its runs at a 100th–10th of --end-lr 100 (1, 3.3, 10), all at the baseline: "no recommended LR".
  // Read only where there is no headline to place them by: `stop` is used nowhere else.
  const rise = around === null && result.divergedAt === null ? riseEdge(result.points) : null;
  const stop = result.divergedAt ?? rise ?? result.points.at(-1)?.lr ?? null;
  const base = around ?? stop;
  // NaN/Inf at the first step is the initial weights' loss (NAN_BEFORE_ANY_UPDATE): runs at any LR start from it too.
  const first = result.points[0];
  if (around === null && first !== undefined && !Number.isFinite(first.loss)) {
    return { ...result, warnings: [...result.warnings, `${lrTrials}: none ran — the loss was NaN/Inf at the first step, before any update, so a run at any LR starts there too.`] };
  }
  if (base === null) return { ...result, warnings: [...result.warnings, `${lrTrials}: no recommended LR and no range test to place the short runs by; none ran.`] };
  // A model that fits the labels as built has nothing to learn: short runs would all tie at its loss,
  // and the upward tie would name the highest LR tried (LR 100 for a user's already-perfect model).
  if (around === null && fitsAsBuilt(result.points, loaded.baseline, result.settings.signal)) {
    return { ...result, warnings: [...result.warnings, `${lrTrials}: none ran — the model as built already fits the labels (its first batches' loss is under ${FIT_AT_START * 100}% of the baseline), so short runs could only tie.`] };
  }
  if (loaded.data.validation.count === 0) {
    const give = naming === 'flag' ? 'give loadData a non-empty validation split' : `pass validationData, or a ${optionName('validationSplit', naming)} that holds samples out`;
    return { ...result, warnings: [...result.warnings, `The recommended LR is ${testsOwn} alone: there is no validation data to judge short 1cycle runs on (${lrTrials}), so none ran — ${give}.`] };
  }
  // A handful of validation samples rank the runs by their luck: one sample picked 0.733 where the split
  // of 20% picked 0.0807, and whole runs at 0.733 were unstable (a user trial).
  if (loaded.data.validation.count < MIN_TRIAL_VALIDATION) {
    const n = loaded.data.validation.count;
    const more = naming === 'flag' ? 'hold out more (a larger --validation-split, or more samples in loadData\'s validation split)' : `hold out more (a larger ${optionName('validationSplit', naming)}, or more validationData)`;
    return { ...result, warnings: [...result.warnings, `The recommended LR is ${testsOwn} alone: the validation split has ${formatCount(n, 'sample')}, too few to rank short 1cycle runs by (${lrTrials}: their order would be the luck of ${n === 1 ? 'one sample' : `${n} samples`}), so none ran — ${more}.`] };
  }
  // Each round's LRs as factors of `base`, printed (3 digits) from the exact product: 9x lower is
  // base × f / 9, not the printed 3.22 / 9 (0.358), so its top LR is the first round's lowest (0.357)
  // and that run is taken, not run again.
  const factors: readonly number[] = around !== null ? TRIAL_FACTORS : STOP_FACTORS;
  const lrs = factors.map((f) => printedLr(base * f));
  let divisor = 1;
  const s = result.settings;
  const momentum = choice.cyclesMomentum ? null : choice.params.momentum;
  const started = performance.now();
  // The studies' rule for short runs (core/decisions.ts): the lowest early validation loss, among
  // the runs that got clearly below the baseline (at chance level, their order is noise).
  const baseline = loaded.baseline === null ? null : (loaded.baseline.valLoss ?? loaded.baseline.loss);
  // Soft labels' own entropy: how far down a run can get (the short runs read validation loss).
  const labelFloor = loaded.baseline?.floor;
  const floor = labelFloor === undefined ? 0 : (labelFloor.valLoss ?? labelFloor.loss);
  // Each candidate at `seeds` consecutive seeds from the run's own (not the shown test's seed + k), judged on their mean.
  const seeds = Array.from({ length: run.seeds }, (_, k) => (run.seed ?? 0) + k);
  // Every finished run by LR, length and seed: a later round that asks for one again takes it (the 9x
  // lower round's top LR is the first round's lowest; a recipe ran 0.0041 at seeds 1 and 2 twice, to
  // the same losses, out of its budget).
  const finished = new Map<string, TrialSeedRun>();
  const runKey = (lr: number, length: number, seed: number): string => `${lr}|${length}|${seed}`;
  /** One round of runs at `at`, `length` steps each, filling `[from, from + width]` of the bar. */
  const round = async (at: readonly number[], length: number, from: number, width: number, name: string, each: string): Promise<TrialRun[]> => {
    const runs: TrialRun[] = [];
    const slots = at.length * seeds.length;
    ctx.reporter.log('info', `${name} of ${formatCount(length, 'step')} at ${at.map((lr) => formatLr(lr)).join(', ')}${seeds.length > 1 ? `, seeds ${seeds.join(', ')} each` : ''} (--lr-trials)`);
    try {
      for (const [k, lr] of at.entries()) {
        const bySeed: TrialSeedRun[] = [];
        for (const [j, seed] of seeds.entries()) {
          if (ctx.signal.aborted) break;
          const again = finished.get(runKey(lr, length, seed));
          if (again !== undefined) {
            ctx.reporter.log('info', `trial at ${formatLr(lr)}${seeds.length > 1 ? `, seed ${seed}` : ''}: ran in a round before, ${again.diverged ? 'diverged' : `early validation loss ${formatLoss(again.earlyValLoss)}`} (not run again)`);
            bySeed.push(again);
            if (again.diverged) break;
            continue;
          }
          const slot = k * seeds.length + j;
          ctx.reporter.share(from + (slot * width) / slots, width / slots);
          ctx.reporter.progress('short-run', `${each} ${k + 1} of ${at.length} at max LR ${formatLr(lr)}${seeds.length > 1 ? `, seed ${seed} (${j + 1} of ${seeds.length})` : ''}`, 0, true);
          // The range test's hyper-parameters.
          const spec = { label: `trial at ${formatLr(lr)}`, lr: { maxLr: lr, minLr: lr / 10 }, momentum, weightDecay: s.weightDecay, steps: length, batchSize: s.batchSize, seed, valSamples: loaded.data.validation.count };
          const trial = await shortRun(loaded, spec, choice.params, ctx, false, run.hp, 'judged');
          const whole = !ctx.signal.aborted;
          const seedRun: TrialSeedRun = { seed, earlyValLoss: trial.diverged || !whole ? null : trial.earlyValLoss, earlyValAccuracy: trial.diverged || !whole ? null : earlyValAccuracy(trial), diverged: trial.diverged };
          bySeed.push(seedRun);
          if (whole) finished.set(runKey(lr, length, seed), seedRun);
          if (trial.diverged) break; // diverged at one seed: the candidate is out (meanOverSeeds), whatever the others do
        }
        if (bySeed.length === 0) break;
        // A candidate whose seeds a cancel cut short has no loss.
        const cut = bySeed.length < seeds.length && !bySeed.some((r) => r.diverged);
        runs.push({ maxLr: lr, ...meanOverSeeds(bySeed), ...(cut ? { earlyValLoss: null, earlyValAccuracy: null } : {}), ...(seeds.length > 1 ? { bySeed } : {}) });
      }
    } finally {
      ctx.reporter.share(0, 1);
    }
    return runs;
  };
  // Where the model started (the shown test's first losses): a run that ended below it still learned, however far above the baseline (core brokeDown).
  const start = curveShape(result.points)?.start ?? null;
  const decide = (runs: readonly LrTrials['runs'][number][]): ReturnType<typeof bestTrial> => bestTrial(runs.map((r) => ({ label: formatLr(r.maxLr), earlyValLoss: r.earlyValLoss, earlyValAccuracy: r.earlyValAccuracy, diverged: r.diverged })), baseline, loaded.data.validation.count);
  let at = lrs;
  let runSteps = around !== null ? steps : steps * SLOW_TRIAL_LENGTH;
  let runs = await round(at, runSteps, bar.from, bar.width, 'short 1cycle runs', 'Short 1cycle run');
  let decision = decide(runs);
  const earlier: LrTrialRound[] = [];
  const whole = (): boolean => !ctx.signal.aborted && runs.length === at.length;
  // Around a headline, further rounds (core nextTrialRound), each once. Runs that all broke down
  // (diverged, or ended far above the loss of knowing nothing and above where they started) say the
  // headline is too high: the same factors 9x lower. On the advice bench an RMSprop conv1d + GRU's
  // range tests read 3.94; its runs at 1.31-11.8 ended at 4.9-9.8x the chance level, and 1cycle
  // learns the task perfectly from 0.003 to 0.56 (bench/README.md, "Round 11").
  // Runs that all finished at the baseline learned nothing yet: the same LRs 3x as long (what the
  // "learns slowly" advice asked users to do by hand). On the advice bench a ring-parity MLP's
  // 100-step runs all ended at chance and the headline stood at 0.89 (1cycle: 61-70% there, 79% at
  // 0.56); 300-step runs learned and picked 0.297 (bench/README.md). Without a headline the runs are
  // already 3x long; 9x cost a bidirectional GRU 29 s and learned nothing.
  // A pick that barely learned (its loss above 80% of the baseline's) says little about the runs'
  // order: where no round ran longer yet, the same LRs 3x as long — what the "barely learned"
  // warning asked users to do by hand. A deep tanh MLP under Adamax picked 0.0985 from 100-step runs
  // at 89% of ln 3 (1cycle over 5 epochs: 39% accuracy there, 91% at 0.0328); its 300-step runs
  // ended at 24% of ln 3 at 0.0328 and picked it. On the advice bench three tuning picks barely
  // learned in 100 steps and their 300-step runs picked the same LRs.
  // Runs 3x as long that learned nothing either say the LRs fail, not the length: the same factors 9x
  // lower at that length. On the advice bench a five-layer sigmoid MLP under Adam read 1.07 from its
  // range tests, learned nothing at 0.357-3.22 in 100 or 300 steps, and whole runs there collapse to
  // chance (1cycle: 70-72% from 0.0018 to 0.32): the lower runs pick 0.0397 (regret 21.8 -> 0.15
  // points); a count regression under momentum went from 23% over the best MSE to 0.9% (bench/README.md,
  // "After round 23").
  const next = (): TrialRoundOutcome | null => (around === null || !whole() ? null : nextTrialRound(runs, earlier.map((r) => r.outcome), baseline, start, loaded.data.validation.count, floor));
  for (let outcome = next(); outcome !== null && longer.allowed(); outcome = next()) {
    earlier.push({ steps: runSteps, runs, outcome });
    const part = longer.bar();
    if (outcome === 'broke down' || outcome === 'still learned nothing') {
      divisor *= LOWER_TRIALS;
      at = factors.map((f) => printedLr((base * f) / divisor));
      const what = outcome === 'broke down' ? 'the short runs broke down' : `the runs of ${formatCount(runSteps, 'step')} learned nothing either`;
      ctx.reporter.log('info', `${what} (${listTrials(runs)}): ${LOWER_TRIALS}x lower${outcome === 'broke down' ? '' : `, ${formatCount(runSteps, 'step')} each`}`);
      runs = await round(at, runSteps, part.from, part.width, 'lower 1cycle runs', `Lower 1cycle run (${outcome === 'broke down' ? 'the first ones broke down' : 'the longer ones learned nothing either'})`);
    } else {
      runSteps *= LONGER_TRIALS;
      const what = outcome === 'learned nothing' ? `the short runs of ${formatCount(earlier.at(-1)!.steps, 'step')} learned nothing` : `the best short run of ${formatCount(earlier.at(-1)!.steps, 'step')} barely learned`;
      ctx.reporter.log('info', `${what} (${listTrials(runs)}): the same LRs again, ${formatCount(runSteps, 'step')} each`);
      runs = await round(at, runSteps, part.from, part.width, 'longer 1cycle runs', `Longer 1cycle run (${formatCount(runSteps, 'step')}; the short ones ${outcome})`);
    }
    decision = decide(runs);
  }
  // The runs the decision's reason names (bestTrial's tie, or the loss rule's pick an accuracy lead overrode), before any run joins below them.
  const tieLowest = decision.lowest === undefined ? null : runs[decision.lowest]!;
  const lossPick = decision.byLoss === undefined ? null : runs[decision.byLoss]!;
  // A pick whose seeds split between learned nothing and learned is a coin toss over whole runs: the
  // run one candidate lower where every seed learned there; below the lowest run, one more run
  // decides (`stepDown`).
  const lowerRun = (lr: number): Promise<TrialRun[]> => {
    const part = longer.bar();
    return round([lr], runSteps, part.from, part.width, 'a lower 1cycle run', `Lower 1cycle run (the best one's seeds split)`);
  };
  const afterSplit = ctx.signal.aborted ? { runs, chosen: decision.best, stepped: null } : await stepDown(runs, decision.best, baseline, longer.allowed() ? lowerRun : null, ctx.signal);
  runs = afterSplit.runs;
  const { chosen, stepped } = afterSplit;
  const best = chosen === null ? null : runs[chosen]!;
  const cancelled = ctx.signal.aborted;
  const trials: LrTrials = { steps: runSteps, around, runs, seeds: run.seeds, picked: cancelled ? null : (best?.maxLr ?? null), seconds: (performance.now() - started) / 1000, ...(earlier.length === 0 ? {} : { earlier }) };
  const listed = listTrials(runs);
  // "Learned nothing" is the runs' validation loss; where their accuracy says they learned (a 64-sample
  // task's runs at 83.7% against 33.3% by chance, their loss above ln 3 from confident mistakes), the list says both.
  const nothingRuns = earlier.filter((r) => r.outcome === 'learned nothing' || r.outcome === 'still learned nothing').flatMap((r) => r.runs);
  const nothingAccuracy = Math.max(...nothingRuns.map((x) => x.earlyValAccuracy ?? Number.NEGATIVE_INFINITY));
  const byLossOnly = clearlyAboveChance(Number.isFinite(nothingAccuracy) ? nothingAccuracy : null, loaded.baseline)
    ? ` — nothing by their validation loss: their accuracy, up to ${formatPercent(nothingAccuracy)}, is clearly above the ${formatPercent(loaded.baseline!.accuracy)} of ${constantPredictionText(loaded.baseline)}, so confident mistakes kept their loss up`
    : '';
  /** The earlier rounds: "runs of 100 steps learned nothing (…), so the same LRs ran 3x as long". */
  const earlierNote = earlier
    .map((r) =>
      r.outcome === 'broke down'
        ? `runs of ${formatCount(r.steps, 'step')} broke down (${listTrials(r.runs)}: each diverged or ended above ${BROKE_DOWN}x the baseline and above where it started), so ${LOWER_TRIALS}x lower LRs ran`
        : r.outcome === 'barely learned'
          ? `runs of ${formatCount(r.steps, 'step')} barely learned (${listTrials(r.runs)}: the best ended above ${BARELY_LEARNED * 100}% of the baseline, where their order says little), so the same LRs ran ${LONGER_TRIALS}x as long`
          : r.outcome === 'still learned nothing'
            ? `runs of ${formatCount(r.steps, 'step')} learned nothing either (${listTrials(r.runs)}), so ${LOWER_TRIALS}x lower LRs ran as long`
            : `runs of ${formatCount(r.steps, 'step')} learned nothing (${listTrials(r.runs)}), so the same LRs ran ${LONGER_TRIALS}x as long`,
    )
    .join('; ') + (earlier.length === 0 ? '' : byLossOnly);
  if (cancelled) return { ...result, trials, stopReason: 'cancelled', warnings: [`Cancelled during the short runs (${listed}${earlierNote === '' ? '' : `; before them, ${earlierNote}`}): the recommended LR is ${testsOwn}.`, ...result.warnings] };
  // Runs at and around the headline broke down and no later round named an LR: not the headline they
  // broke down at, but the run below them that ended lowest under the baseline (core underBreakdown).
  // The last round counts as broken down where it did (its LRs are no candidates either).
  const under = best === null && around !== null ? underBreakdown([...earlier, { outcome: brokeDown(runs, baseline, start) ? 'broke down' : null, runs }], around, baseline) : null;
  const underLength = under === null ? 0 : ([...earlier, { steps: runSteps, runs }].find((r) => r.runs.includes(under))?.steps ?? runSteps);
  // Else the range tests' headline stands where no run learned, but not at or above an LR a short run diverged at (core belowDivergence).
  // Every round's runs: what diverged anywhere, and what confirmed nothing.
  const allRuns = [...earlier.flatMap((r) => r.runs), ...runs];
  const capped = best === null && under === null && around !== null ? belowDivergence(around, allRuns) : null;
  const still =
    under !== null
      ? `the recommended LR is ${formatLr(under.maxLr)}, not ${testsOwn} ${formatLr(around)}: the runs there broke down, and of the runs below them ${formatLr(under.maxLr)} ended lowest (${formatLoss(under.earlyValLoss)} after ${formatCount(underLength, 'step')}, against the validation baseline ${formatLoss(baseline)})`
      : around === null
        ? 'there is still no recommended LR'
        : capped !== null
          ? `the recommended LR is ${formatLr(capped.maxLr)}, not ${testsOwn} ${formatLr(around)}: a short run diverged at ${formatLr(capped.divergedAt)}, and ${formatLr(capped.maxLr)} is ${capped.ran ? 'the highest run below it that diverged at no seed' : 'a third of it'}`
          : `the recommended LR is ${testsOwn}`;
  const instead: Partial<FindLrResult> =
    capped !== null && result.recommended !== null
      ? { recommended: { ...result.recommended, maxLr: capped.maxLr, minLr: capped.maxLr / 10, reason: `below where a short 1cycle run diverged (${formatLr(capped.divergedAt)}${capped.divergedAt >= around! ? `, ${testsOwn} headline` : `, under ${testsOwn} ${formatLr(around)}`}): ${capped.ran ? 'the highest run below it that diverged at no seed' : 'a third of it'}; ${testsOwn} reading: ${result.recommended.reason}` } }
      : under === null && best === null && result.recommended !== null && result.recommended.learned
      ? {
          // The range tests saw learning (a dip, maybe late in a long sweep), and no short run confirmed it:
          // the reason says so first. An Adam LSTM's one headline of three, 0.0962 ("a stretch a whole cycle can
          // use"), learned nothing in nine short runs at 0.0036-0.289 nor in three whole runs; 0.0036 learned in two of three.
          recommended: notConfirmedByRuns(result.recommended, allRuns, baseline),
        }
      : under === null
      ? {}
      : {
          recommended: {
            maxLr: under.maxLr,
            minLr: under.maxLr / 10,
            reason: `the best of the short 1cycle runs below those that broke down — runs at ${testsOwn} ${formatLr(around)} and around it broke down (${listTrials((earlier.find((r) => r.outcome === 'broke down') ?? { runs }).runs)}), and of the runs below them ${formatLr(under.maxLr)} ended lowest (${formatLoss(under.earlyValLoss)} after ${formatCount(underLength, 'step')}, against the validation baseline ${formatLoss(baseline)}); barely learned, so compare a few max LRs over whole epochs before a long run (the warnings say which)`,
            learned: true,
          },
        };
  if (best === null && runs.every((r) => r.diverged)) return { ...result, ...instead, trials, warnings: [`Every short run diverged (${listed}${earlierNote === '' ? '' : `; ${earlierNote}`}): ${still}.`, ...result.warnings] };
  if (best === null) {
    // What to compare instead: where the range tests gave none, lower LRs than the runs tried (on the
    // advice bench the best 1cycle LR of such slow learners sat 20-110x below where the test stopped;
    // the runs tried 10-100x below).
    // Below any run that diverged.
    const diverged = Math.min(...allRuns.filter((r) => r.diverged).map((r) => r.maxLr));
    const low = at[0]!;
    // After runs 9x lower learned nothing either, from the lowest of them up to the headline that stands.
    const span = earlier.at(-1)?.outcome === 'still learned nothing' && around !== null ? [low, at.at(-1)!, around] : [low, low * 3, low * 9];
    // Where the range tests reached their end LR with the loss never back above its start (no
    // divergence, no rise) and learned nothing, the LR this model learns at may lie above it: runs at
    // and above it, not below (a user's --end-lr 1e-4 on a model that trains at 0.1-0.3 was told to
    // compare 3.3e-6, 1e-5 and 3.3e-5).
    // (Not on inputs far from scale 1: no LR makes up for them, and the warning says so first.)
    const goUp = around === null && result.divergedAt === null && rise === null && !allRuns.some((r) => r.diverged) && !loaded.inputsOffScale;
    const below = (around !== null ? span : goUp ? [base, base * 3, base * 10] : [base / 300, base / 100, base / 30]).filter((lr) => lr < diverged);
    const compare = (below.length > 0 ? below : [diverged / 30, diverged / 10]).map((lr) => formatLr(Number(lr.toPrecision(2))));
    const upward = goUp ? `${tests} reached ${formatLr(base)} with the loss never back above its start, so it may learn only higher: ${optionGiven('endLr', printedLr(base * 100), naming)}, or ` : '';
    const how = `${upward}compare a few max LRs over whole epochs (${wholeRunsAt(compare, naming)}: 1cycle, min = max/10), or try longer short runs (${around !== null ? optionGiven('lrTrials', runSteps * 3, naming) : `${optionGiven('lrTrials', steps * 3, naming)}: runs of ${steps * 3 * SLOW_TRIAL_LENGTH} steps where the range tests gave no LR`})`;
    const before = earlierNote === '' ? '' : ` (before them, ${earlierNote})`;
    // Every run broke down (diverged, or ended far above the baseline and above where it started):
    // not a slow learner — even the lowest LR tried is too high for the model as it is.
    if (brokeDown(runs, baseline, start)) {
      const lowest = Math.min(...runs.map((r) => r.maxLr));
      const lower = [lowest / 100, lowest / 30, lowest / 10].map((lr) => formatLr(Number(lr.toPrecision(2))));
      // Many epochs of a small training set: a validation loss that high is overfitting as much as a
      // too-high LR (a user's 240 noisy samples: 300 steps were 80 epochs; whole runs at the headline
      // overfit, and with weight decay trained to 'good', where this said "even 0.0972 is too high").
      const epochs = (runSteps * Math.min(result.settings.batchSize, loaded.data.train.count)) / Math.max(1, loaded.data.train.count);
      if (around !== null && runs.every((r) => !r.diverged) && epochs >= OVERFIT_EPOCHS) {
        return { ...result, ...instead, trials, warnings: [`Short 1cycle runs of ${formatCount(runSteps, 'step')} (${listed})${before}: every one ended above ${BROKE_DOWN}x the baseline — but on ${formatCount(loaded.data.train.count, 'training sample')}, ${formatCount(runSteps, 'step')} are ${Math.round(epochs)} epochs, where fitting the training set by heart drives a validation loss this high as surely as a too-high LR does; ${still}. Train at it with a verdict to tell (${wholeRunsAt([formatLr(under?.maxLr ?? around)], naming)}): 'overfitting' wants fewer epochs or more regularization${naming === 'flag' ? ' (lrlab sweep --wd)' : ' (weight decay)'}, 'unstable' a lower max LR.`, ...result.warnings] };
      }
      const scaleFirst = loaded.inputsOffScale ? ", and bring the inputs to scale 1 (a warning names them: features far from scale 1 make every LR too high)" : '';
      const warning = (outcome: string): string => `Short 1cycle runs of ${formatCount(runSteps, 'step')} (${listed})${before}: every one broke down (diverged, or ended above ${BROKE_DOWN}x the baseline and above where it started); ${outcome}. Even ${formatLr(lowest)} is too high for this model as it is: compare lower max LRs over whole epochs (${wholeRunsAt(lower, naming)}: 1cycle, min = max/10)${scaleFirst}.`;
      const standing = 'recommended' in instead ? instead.recommended : result.recommended;
      if (under !== null || standing === null || standing === undefined) return { ...result, ...instead, trials, warnings: [warning(still), ...result.warnings] };
      // Nothing learned anywhere, and every run broke down, down to the lowest tried (all of them below the
      // headline or at it): there is no recommendation to stand (a user's 0–255 int32 pixels read
      // "Recommended max LR 0.0123" above "0.0123 → 8.36 … broke down … Even 4.57e-4 is too high"; whole
      // runs at 0.0123 stayed at 8.36, 12x the baseline).
      const reason = `every short 1cycle run broke down, down to ${formatLr(lowest)}: no LR tried trains this model as it is (the warnings list the runs) — compare lower max LRs over whole epochs (${wholeRunsAt(lower, naming)})${scaleFirst}`;
      // What was said of the headline goes with it ("read from the curve alone", "the headline is the other one's").
      const ofHeadline = (w: string): boolean => w.replace(/^Range test \d+ of \d+: /, '').startsWith(CURVE_ALONE) || w.includes(HEADLINE_OF_OTHERS);
      return { ...result, ...instead, recommended: null, range: null, reasons: { ...result.reasons, range: reason }, trials, warnings: [warning('there is no recommended LR'), ...result.warnings.filter((w) => !ofHeadline(w))] };
    }
    // The shorter runs learned a little and the longer ones lost it (overfitting labels that hold little,
    // or an LR too high for longer runs): still longer runs would say no more; whole runs decide.
    if (earlier.at(-1)?.outcome === 'barely learned') {
      const candidates = at.filter((lr) => lr < diverged).map((lr) => formatLr(lr));
      return { ...result, ...instead, trials, warnings: [`Short 1cycle runs of ${formatCount(runSteps, 'step')} (${listed})${before}: ${decision.reason}; the longer runs lost what the shorter ones barely learned (labels that hold little their inputs can predict, overfitted, or LRs too high for longer runs), so ${still}. Check the labels, then compare a few max LRs over whole epochs: ${wholeRunsAt(candidates.length > 0 ? candidates : compare, naming)} (1cycle, min = max/10).`, ...result.warnings] };
    }
    // Inputs far from scale 1 first: no LR makes up for them (a user's feature at 1e6 under Adam was sent to compare LR 100–1000).
    // What the load measured first: no LR makes up for inputs far off scale, and outputs that start far
    // from the labels spend short runs' steps getting there (an offset regression's runs read "its
    // labels hold little its inputs can predict" beside the warning that gave the real cause).
    const why = loaded.inputsOffScale
      ? 'The inputs are far from scale 1 (a warning names them), which can keep a model at its baseline at every LR: standardize them first, then run find-lr again. Else this model learns slowly, or its labels hold little its inputs can predict (check them)'
      : loaded.outputsOffStart
        ? "The model's outputs start far from the labels (a warning says how far, and the fix), and short runs spend their steps getting there: fix that first, then run find-lr again. Else this model learns slowly, or its labels hold little its inputs can predict (check them)"
        : 'This model learns slowly, or its labels hold little its inputs can predict (check them)';
    return { ...result, ...instead, trials, warnings: [`Short 1cycle runs of ${formatCount(runSteps, 'step')} (${listed})${before}: ${decision.reason}; ${still}. ${why}: ${how}.`, ...result.warnings] };
  }
  const lowered = earlier.some((r) => r.outcome === 'broke down' || r.outcome === 'still learned nothing');
  const where = around === null ? `below where ${rise !== null ? "the range test's loss climbed back above its start" : 'the range test stopped'} (${formatLr(base)}): ${tests} gave none` : lowered ? `around ${formatLr(at[1])}, ${LOWER_TRIALS}x below ${testsOwn} ${formatLr(around)}` : `around ${testsOwn} ${formatLr(around)}`;
  // A run that won at the range test's blow-up edge: half a step lower (core backOffFromEdge).
  const edge = around !== null ? blowUpEdge(result.points) : null;
  const lower = chosen !== null && chosen > 0 ? runs[chosen - 1]!.maxLr : null;
  // A run stepped down to from a coin toss is not backed off as well: it is a whole step (3x) below the runs' best.
  const backedOff = stepped === null ? backOffFromEdge(best.maxLr, lower, edge) : null;
  const pick = backedOff ?? best.maxLr;
  // Why the run won, where the lowest loss did not: bestTrial's tie (a higher LR within TRIAL_TIE of
  // the lowest loss) or its accuracy lead: a run more accurate by the bar (core accuracyLeadBar) than the loss rule's pick won.
  const winner = stepped?.from ?? best;
  const why = tieLowest !== null
    ? `within ${TRIAL_TIE * 100}% of the lowest loss, ${formatLr(tieLowest.maxLr)}'s: as good at this length, at a higher LR`
    : lossPick !== null
      ? `validation accuracy ${formatPercent(winner.earlyValAccuracy)} against ${formatPercent(lossPick.earlyValAccuracy)} at ${formatLr(lossPick.maxLr)}, the loss rule's pick: ${accuracyLeadText(loaded.data.validation.count, lossPick.earlyValAccuracy)} more of the labels right`
      : null;
  const seedsText = (xs: readonly { seed: number; loss: number }[]): string => xs.map((x) => `${x.seed} (${formatLoss(x.loss)})`).join(', ');
  const splitText = (x: NonNullable<ReturnType<typeof splitSeeds>>): string => `seed${x.nothing.length > 1 ? 's' : ''} ${seedsText(x.nothing)} learned nothing (the validation baseline is ${formatLoss(baseline)}) where seed${x.learned.length > 1 ? 's' : ''} ${seedsText(x.learned)} learned`;
  const what = stepped !== null
    ? `one run below the best of short 1cycle runs of ${formatCount(runSteps, 'step')} ${where} (${formatLr(stepped.from.maxLr)}${why === null ? '' : `: ${why}`}), whose seeds split — ${splitText(stepped.seeds)}: whole runs there are a coin toss; ${formatLr(best.maxLr)} learned at every seed`
    : backedOff === null
    ? `the best of short 1cycle runs of ${formatCount(runSteps, 'step')} ${where}${why === null ? '' : ` (${formatLr(best.maxLr)}: ${why})`}`
    : `half a step below the best of short 1cycle runs of ${formatCount(runSteps, 'step')} ${where} (${formatLr(best.maxLr)}${why === null ? ',' : `: ${why};`} between it and ${formatLr(lower)}): it sits at ${result.rangeTests === undefined ? "the range test's" : "the shown range test's"} blow-up edge (the loss climbs back above its start at ${formatLr(edge)}), where whole runs can break down`;
  const reason = `${what} — early validation loss${run.seeds > 1 ? ` (mean of ${run.seeds} seeds)` : ''} ${listed}${earlierNote === '' ? '' : ` (${earlierNote})`}${around === null ? '' : `; ${tests}: ${withoutUnconfirmed(result.recommended!.reason)}`}`;
  // The pick learned (bestTrial takes no run near the baseline): the cautions that the headline was
  // read from a curve that never got clearly below the baseline, and to check the data, no longer
  // describe the recommendation. One line says what the curve missed and what the runs showed.
  const curveAlone = result.warnings.filter((w) => w.includes(CURVE_ALONE));
  const warnings = curveAlone.length === 0 ? result.warnings : [
    `${curveAlone.length === 1 && result.rangeTests === undefined ? 'The range test' : `${curveAlone.length} of ${formatCount(result.rangeTests?.length ?? 1, 'range test')}`} never got clearly below the baseline, but the short 1cycle runs learned (at ${formatLr(best.maxLr)}: validation loss ${formatLoss(best.earlyValLoss)}${baseline === null ? '' : ` against the validation baseline ${formatLoss(baseline)}`}): the recommended LR is the runs', not the curve's.`,
    ...result.warnings.filter((w) => !w.includes(CURVE_ALONE)),
  ];
  // A pick that barely got below the baseline: its runs' order says little (core BARELY_LEARNED).
  const weak = barelyLearned(best.earlyValLoss, baseline, floor)
    ? [`The short runs barely learned: the best ended at ${formatLoss(best.earlyValLoss)}${run.seeds > 1 ? ` (its ${run.seeds} seeds' mean)` : ''}, ${floor > 0 ? `${formatPercent((best.earlyValLoss! - floor) / (baseline! - floor))} of the way from the labels' floor ${formatLoss(floor)} (their own entropy) up to` : `${formatPercent(best.earlyValLoss! / baseline!)} of`} the validation baseline ${formatLoss(baseline)} — the model learns slowly, or the labels leave little to learn — so at ${formatCount(runSteps, 'step')} their order says little. Before a long run, compare a few max LRs over whole epochs: ${wholeRunsAt(runs.map((r) => formatLr(r.maxLr)), naming)}.`]
    : [];
  // A pick whose seeds split between nothing learned and learned: whole runs there are a coin toss.
  // (Where the run below learned at every seed, it is the pick instead: above.)
  const split = splitSeeds(best.bySeed, baseline);
  const lowerLr = lower ?? best.maxLr / SPLIT_STEP_DOWN;
  const coinToss = split === null
    ? []
    : [`The short runs' seeds disagree at ${formatLr(best.maxLr)}: ${splitText(split)} — whether a run there leaves the baseline is down to its start, so whole runs can stay at chance. Before a long run, compare it over whole epochs, at a few seeds, with a lower max LR: ${wholeRunsAt([formatLr(printedLr(lowerLr)), formatLr(pick)], naming)}.`];
  // The runs learned: the curve's "nothing learned yet" reasons no longer send the user to check the
  // data (a user's 1-D CNN read "also check the data and labels" under each alternative of a
  // recommendation its short runs had learned at).
  const reasons = Object.fromEntries(Object.entries(result.reasons).map(([k, v]) => [k, v.replace(CHECK_THE_DATA, '')])) as FindLrResult['reasons'];
  // A loss with no baseline (a custom function) whose runs' accuracy, which stands in for it as in
  // train's verdict, never got clearly above chance: the lowest loss of runs that learned nothing (a
  // focal loss on shuffled labels: 59.8% against the majority's 63%, recommended without a word).
  const chance = baseline === null ? (loaded.chance ?? null) : null;
  if (chance !== null && !runs.some((r) => clearlyAboveChanceAccuracy(r.earlyValAccuracy ?? null, chance))) {
    const atChance = `${UNCONFIRMED_AT_CHANCE.slice('unconfirmed — '.length)} got clearly above the ${formatPercent(chance.accuracy)} of always predicting the most frequent class (up to ${formatPercent(Math.max(...runs.map((r) => r.earlyValAccuracy ?? 0)))}), and the loss has no baseline to tell by`;
    return { ...result, reasons, trials, warnings: [`The short runs learned nothing that shows: ${atChance}. Check the data and the labels, then compare a few max LRs over whole epochs: ${wholeRunsAt(runs.map((r) => formatLr(r.maxLr)), naming)}.`, ...coinToss, ...warnings], recommended: { maxLr: pick, minLr: pick / 10, reason: `unconfirmed — ${atChance}, so this is the runs' lowest loss, not an LR seen to train; ${reason}`, learned: false } };
  }
  return { ...result, reasons, trials, warnings: [...coinToss, ...weak, ...warnings], recommended: { maxLr: pick, minLr: pick / 10, reason, learned: true } };
}

/**
 * find-lr's pick whose seeds split (core `stepDownFromSplit`): the run one candidate lower where
 * every seed learned there; below the lowest run, one more run (`lowerRun`, SPLIT_STEP_DOWN lower;
 * `null`: none may run, as the recipe's budget says) joins `runs` and is the pick if every seed
 * learned. Returns the runs (ascending LR), the pick's index in them, and the split stepped from.
 */
async function stepDown(
  runs: TrialRun[],
  chosen: number | null,
  baseline: number | null,
  lowerRun: ((lr: number) => Promise<TrialRun[]>) | null,
  signal: AbortSignal,
): Promise<{ runs: TrialRun[]; chosen: number | null; stepped: { from: TrialRun; seeds: NonNullable<ReturnType<typeof splitSeeds>> } | null }> {
  const down = chosen === null ? null : stepDownFromSplit(runs, chosen, baseline);
  if (chosen === null || down === null || (down === 'below' && lowerRun === null)) return { runs, chosen, stepped: null };
  const from = runs[chosen]!;
  const stepped = { from, seeds: splitSeeds(from.bySeed, baseline)! };
  if (down !== 'below') return { runs, chosen: down, stepped };
  const extra = await lowerRun!(printedLr(from.maxLr / SPLIT_STEP_DOWN));
  if (extra.length !== 1) return { runs, chosen, stepped: null };
  const learned = !signal.aborted && learnedAtEverySeed(extra[0]!, baseline);
  return { runs: [...extra, ...runs], chosen: learned ? 0 : chosen + 1, stepped: learned ? stepped : null };
}

/**
 * The headline of several range tests (different seeds: weights and batch order): the test whose
 * headline is the median is the result, its curve is what the panel shows last, and the others
 * are summarized in `rangeTests`. One range test's bottom scatters between seeds (a Fashion-MNIST
 * CNN's third seed bottomed 5x further right, past where 1cycle collapses); on the advice bench
 * the median of three cut the tuning tasks' median regret from 0.50 to 0.35 points and a
 * Fashion-MNIST CNN's from 8.1 to 1.0 (bench/README.md, round 5).
 */
function medianOfTests(runs: readonly { result: FindLrResult; streamed: readonly StreamPoint[] }[], asked: number, ctx: RunContext): FindLrResult {
  if (asked === 1) {
    // One test cut short says so as three do (the result read stopReason 'cancelled' and no warning).
    const only = runs[0]!.result;
    if (only.stopReason !== 'cancelled') return only;
    return { ...only, recommended: cutShort(only), warnings: [`Cancelled: the range test was cut short after ${formatCount(only.points.length, 'step')} of ${only.settings.steps}; ${only.recommended === null ? 'it gave no recommended LR' : 'the headline is read from the part that ran'}.`, ...only.warnings] };
  }
  // A test cut short by a cancel is no candidate while a whole one is (its partial curve can read a
  // headline that the rest of the test would have moved).
  const whole = runs.filter((r) => r.result.stopReason !== 'cancelled');
  const candidates = whole.length > 0 ? whole : runs;
  const pick = medianPick(candidates.map((r) => r.result.recommended?.maxLr ?? null));
  const chosen = pick < 0 ? candidates.at(-1)! : candidates[pick]!;
  if (chosen !== runs.at(-1)) {
    ctx.reporter.restart('main');
    for (const point of chosen.streamed) ctx.reporter.point('main', point);
    ctx.reporter.flush();
  }
  const label = (k: number): string => `Range test ${k + 1} of ${asked}`;
  const summaries = runs.map((r) => summaryOf(r.result, r === chosen));
  const seconds = runs.reduce((sum, r) => sum + r.result.seconds, 0);
  const result = chosen.result;
  const headlines = candidates.map((r) => (r.result.recommended === null ? 'none' : formatLr(r.result.recommended.maxLr))).join(', ');
  const shown = runs.indexOf(chosen);
  // Learned where any test got clearly below the baseline, whichever curve the median is read from.
  const learned = candidates.some((r) => r.result.recommended?.learned === true);
  // Of the tests that gave a headline: "(none, 0.0374, 0.299) → 0.0374" was called the median of 3.
  const gave = candidates.filter((r) => r.result.recommended !== null).length;
  const of = gave === candidates.length ? `the median of ${formatCount(candidates.length, 'range test')}` : `the median of the ${gave} of ${formatCount(candidates.length, 'range test')} that gave one`;
  const lower = gave % 2 === 0 ? ', the lower of the middle two' : '';
  const median = result.recommended === null ? null : { ...result.recommended, learned, reason: `${of} (${headlines}${lower}; the curve shown is test ${shown + 1}): ${result.recommended.reason}` };
  const recommended = whole.length === 0 ? cutShort({ ...result, recommended: median }) : median;
  const none = candidates.filter((r) => r.result.recommended === null).length;
  const missing = none === 0 || recommended === null ? [] : [`${none} of ${formatCount(candidates.length, 'range test')}${HEADLINE_OF_OTHERS}${candidates.length - none === 1 ? "the other one's" : `the median of the other ${candidates.length - none}`}.`];
  // Cancelled: a test was cut short, or the run stopped between tests. The run says so (the panel
  // and the CLI treat it as cancelled); the headline, from whole tests, stays.
  const cancelled = ctx.signal.aborted || whole.length < runs.length || runs.length < asked;
  // Where none gave a headline, the text says so (it read "the headline is read from the cut test" beside no recommendation).
  const from = whole.length === 0 ? 'the cut test' : whole.length === 1 ? 'that one' : 'those';
  const cut = cancelled ? [`Cancelled: ${whole.length} of ${asked} range tests ran whole; ${recommended === null ? `${from} gave no recommended LR` : `the headline is read from ${from}`}.`] : [];
  // What the other tests had to say (e.g. still falling at --end-lr, a second test run) that the shown one does not.
  const others = runs.flatMap((r, k) => (r === chosen ? [] : r.result.warnings.filter((w) => !result.warnings.includes(w) && !w.startsWith('Range test ')).map((w) => `${label(k)}: ${w}`)));
  // Each test's retries ("Range test 2 of 3 (…) gave no recommended LR: …; retried"), in the tests'
  // order (a user read 3, 1, 2: the shown test's came first).
  const retried = runs.flatMap((r) => r.result.warnings.filter((w) => w.startsWith('Range test ')));
  const own = result.warnings.filter((w) => !w.startsWith('Range test '));
  // The settings asked for: the run's --seed is the first test's (each test's own is in rangeTests); a user's `--seed 1` read `settings.seed: 3`, the shown curve's.
  const settings = { ...result.settings, seed: runs[0]!.result.settings.seed };
  return { ...result, settings, seconds, recommended, rangeTests: summaries, stopReason: cancelled ? 'cancelled' : result.stopReason, warnings: [...cut, ...missing, ...own, ...retried, ...others] };
}

/**
 * A headline read from a range test the cancel cut short: marked `cut`, and said first. A user's
 * cancel at step 1,317 of 3,000 read "recommended 2.9e-5 – 2.9e-4, where the loss bottoms out" (about
 * where it stopped), warned that the compiled 1e-3 was "3.4x above" it, and the Insert lens offered it;
 * the whole runs recommended 0.0554–0.156.
 */
function cutShort(result: FindLrResult): LrRecommendation | null {
  const r = result.recommended;
  if (r === null) return null;
  const stoppedAt = result.points.at(-1)?.lr;
  return { ...r, cut: true, reason: `read from a range test the cancel cut short${stoppedAt === undefined ? '' : ` at LR ${formatLr(stoppedAt)}`}, so the LRs above it were never tried (run it whole before using it): ${r.reason}` };
}

function summaryOf(result: FindLrResult, shown: boolean): RangeTestSummary {
  return { seed: result.settings.seed, maxLr: result.recommended?.maxLr ?? null, steps: result.points.length, stopReason: result.stopReason, divergedAt: result.divergedAt, seconds: result.seconds, shown };
}

/** Fewer validation samples than this rank no short runs (their order is those samples' luck): the range tests' headline stands. */
export const MIN_TRIAL_VALIDATION = 5;

/** Short runs this many epochs long (or more) that all end far above the baseline may have overfit rather than broken down. */
const OVERFIT_EPOCHS = 20;

/** The reason every rule gives where every training label is the same. */
const CONSTANT_LABELS_REASON = 'every training label is the same, so predicting it is perfect from the first step: there is nothing to learn and no learning rate to find (check the labels)';

/** A range test's result with no headline and no suggestions, each rule saying `reason`. */
function withoutAdvice(result: FindLrResult, reason: string): FindLrResult {
  // The caution beside a headline read from the curve alone goes with the headline.
  const warnings = result.warnings.filter((w) => !w.replace(/^Range test \d+ of \d+: /, '').startsWith(CURVE_ALONE));
  return { ...result, recommended: null, range: null, suggestions: { valley: null, steep: null, minimum: null }, reasons: { valley: reason, steep: reason, minimum: reason, range: reason }, warnings };
}
