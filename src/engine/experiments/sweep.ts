/**
 * Regularization sweep (method.md §5): one LR range test per weight decay / dropout / momentum
 * combination, same seed and data order for every curve, overlaid; the best balance is the
 * lowest loss over the widest stable LR range (`bestBalance` in core).
 */
import path from 'node:path';
import type { FindLrRequest, SweepRequest } from '../../protocol/requests';
import type { SweepCurve, SweepResult } from '../../protocol/results';
import { OptionError, flagOf } from '../../protocol/errors';
import { OPTIONS } from '../../protocol/options';
import { formatCount, formatLoss, formatLr } from '../../protocol/format';
import { describeBaseline } from '../../protocol/baselineText';
import { baselineLevel } from '../../core/baseline';
import { NEAR_BASELINE_FRACTION } from '../../core/lossScale';
import { suggest } from '../../core/suggestions';
import { summarizeCurve } from '../../core/sweepCurve';
import { MIN_POINTS, curveShape, fittedCurve } from '../../core/curveShape';
import { LEARNED_BELOW_BASELINE, blockingReason } from '../../core/hints';
import { recommend } from '../../core/headline';
import { LARGE_MODEL_WD_GRID, SMALL_MODEL_PARAMETERS, SMALL_MODEL_WD_GRID, bestBalance, defaultWeightDecayGrid, formatWeightDecay } from '../../core/decisions';
import { sweepDivergence } from '../../protocol/rangeView';
import { dataOnWorkers, loadForRun, whyDropoutIgnored } from '../session';
import type { RunContext } from './runContext';
import { fitBatchSize } from './runContext';
import { chooseOptimizer } from '../optimizerChoice';
import { resolveFindLrSettings } from './findLr';
import { completed, runTrials, sourceOf, trialsBackend } from './trials';
import { isTrainingScript, withScriptDefaults } from '../scriptModel';
import { dropoutNeedsCreateModel } from '../capturedModel';

/** More curves than this is a typo, not a sweep (each is a full range test). */
export const MAX_SWEEP_CURVES = 48;

function checkList(name: string, values: readonly number[] | undefined, ok: (v: number) => boolean, rule: string): void {
  for (const v of values ?? []) {
    if (!Number.isFinite(v) || !ok(v)) throw new OptionError(name, `${flagOf(name)} values must be ${rule}, got ${String(v)}.`);
  }
}

function label(wd: number, dropout: number | null, momentum: number | null): string {
  return [`wd ${formatWeightDecay(wd)}`, dropout === null ? '' : `dropout ${dropout}`, momentum === null ? '' : `momentum ${momentum}`].filter((p) => p !== '').join(', ');
}

export async function sweep(request: SweepRequest, ctx: RunContext): Promise<SweepResult> {
  checkList('wd', request.wd, (v) => v >= 0 && v < 1, 'in [0, 1)');
  checkList('dropout', request.dropout, (v) => v >= 0 && v < 1, 'in [0, 1)');
  checkList('momentum', request.momentum, (v) => v >= 0 && v < 1, 'in [0, 1)');
  const { wd: _wd, dropout: _dropout, momentum: _momentum, kind: _kind, ...rest } = request;
  const base: FindLrRequest = { ...rest, kind: 'find-lr' };
  resolveFindLrSettings(base, null);
  // A script's model is fixed: refused before the script runs (it ran, for seconds and with its side effects, first).
  if (request.dropout !== undefined && isTrainingScript(path.resolve(request.model))) throw dropoutNeedsCreateModel(path.resolve(request.model), true);
  const loaded = await loadForRun(base, ctx);
  const warnings: string[] = [...loaded.warnings];
  // Momentum alone (`--momentum 0.9,0.95`): one range test per momentum, at weight decay 0 — not
  // times the weight-decay grid, which would read momentum's effects as regularization's.
  const momentumOnly = request.wd === undefined && request.dropout === undefined && request.momentum !== undefined;
  const wds = request.wd ?? (momentumOnly ? [0] : defaultWeightDecayGrid(loaded.parameterCount));
  if (request.wd === undefined && !momentumOnly) warnings.push(`Weight decay grid ${wds.join(', ')} chosen for a model of ${loaded.parameterCount} parameters (under ${SMALL_MODEL_PARAMETERS.toLocaleString('en-US')}: ${SMALL_MODEL_WD_GRID.map(formatWeightDecay).join(', ')}; larger models, which need less: ${LARGE_MODEL_WD_GRID.map(formatWeightDecay).join(', ')}).`);
  let dropouts: readonly (number | null)[] = request.dropout ?? [null];
  if (request.dropout !== undefined && !loaded.usesDropout) {
    const why = whyDropoutIgnored(loaded.file, false);
    // Asked for dropout alone: a weight-decay sweep in its place would answer another question.
    if (request.wd === undefined && request.momentum === undefined) {
      throw new OptionError('dropout', `${flagOf('dropout')} cannot be swept: ${why}, so every curve would be the same.`, 'Export createModel(hp) that builds the model with tf.layers.dropout({ rate: hp.dropout }) (README: "lrlab find-lr"), or sweep --wd instead.');
    }
    warnings.push(`${why.replace(/^a /, 'A ')}, so dropout values were not swept (their curves would be identical). ${loaded.file.toLowerCase().endsWith('.json') ? 'To compare them, write a model file whose createModel(hp) builds the model with tf.layers.dropout({ rate: hp.dropout }) (it may load this model.json\'s weights).' : 'Read hp.dropout in createModel to compare them.'}`);
    dropouts = [null];
  }
  if (request.dropout !== undefined && dropouts.length > 1 && (request.signal ?? OPTIONS.signal.default) === 'train') {
    warnings.push(`Dropout curves on the training loss (--signal train) are measured with dropout on: a curve with more dropout sits higher by its noise as well as by its regularization. --signal val reads the validation loss, dropout off, for the comparison Smith makes.`);
  }
  const momenta: readonly (number | null)[] = request.momentum ?? [null];
  if (momenta.length > 1 && !momentumOnly) {
    warnings.push('Range tests per momentum show how momentum moves the usable LR range; they do not find the best momentum (Smith: such a test finds no optimum). For that: lrlab sweep --short-runs --momentum 0.99,0.97,0.95,0.9 --max-lr <the LR you found>.');
  }
  const combos = wds.flatMap((wd) => dropouts.flatMap((dropout) => momenta.map((momentum) => ({ wd, dropout, momentum }))));
  if (combos.length > MAX_SWEEP_CURVES) throw new OptionError('wd', `The sweep would run ${combos.length} range tests; the limit is ${MAX_SWEEP_CURVES}.`, 'Give fewer values.');

  const started = performance.now();
  const choice = chooseOptimizer(base, loaded.compiledOptimizer, loaded.file);
  if (request.momentum !== undefined && choice.report.momentum === null) throw new OptionError('momentum', `${flagOf('momentum')} values do not apply to ${choice.report.name}: it has no momentum.`);
  warnings.push(...choice.warnings);
  const baseSettings = resolveFindLrSettings(withScriptDefaults({ ...base, seed: request.seed ?? 0 }, loaded), choice);
  const batchSize = fitBatchSize(baseSettings.batchSize, request.batchSize !== undefined, loaded.data.train.count, warnings);
  const trials = combos.map((combo) => ({
    kind: 'range-test' as const,
    label: label(combo.wd, combo.dropout, combo.momentum),
    settings: { ...baseSettings, batchSize, weightDecay: combo.wd, momentum: combo.momentum ?? baseSettings.momentum },
    dropout: combo.dropout,
    valSamples: request.valSamples,
    optimizer: choice.params,
  }));
  const done = await runTrials({ source: sourceOf(base), trials, redis: request.redis, phase: 'sweep', describe: (t, i, n) => `curve ${i + 1}/${n}: ${t.label}`, ...dataOnWorkers(request.redis, loaded) }, ctx);
  warnings.push(...done.warnings);
  const shapes: { startLoss: number | null; levelNoise: number | null }[] = [];
  /** Per curve: whether its own reason is "nothing learned yet" (the hints' rule), for the summary to agree with it. */
  const learnedNothing: boolean[] = [];
  const headlineOf = (points: SweepCurve['points'], facts: Parameters<typeof suggest>[1]): Pick<SweepCurve, 'suggestions' | 'recommended' | 'noHeadline'> => {
    const s = suggest(points, facts);
    // The curve alone, as find-lr's range-test headline (none where it never got clearly below the baseline).
    const recommended = recommend(points, loaded.loss.name, facts);
    // Where there is none, why: a user's sweep showed "—" in the max LR column and nothing else.
    return { suggestions: s.suggestions, recommended, noHeadline: recommended === null ? s.reasons.range : null };
  };
  // A curve the cancel cut is no range test: left out, said so (a user's cut curve was ranked, starred
  // "too little regularization" and told to run more --steps).
  const ran = completed(done);
  const cutCurve = ran.find((o) => o.value.stopReason === 'cancelled');
  const curves: SweepCurve[] = ran.filter((o) => o !== cutCurve).map(({ index, value: curve, placement }) => {
    const combo = combos[index]!;
    const { startLoss, levelNoise, ...summary } = summarizeCurve(curve.points);
    shapes.push({ startLoss, levelNoise });
    const facts = { baseline: loaded.baseline, stopReason: curve.stopReason, divergedAt: curve.divergedAt, settings: trials[index]!.settings, trainSamples: loaded.data.train.count };
    const shape = curveShape(curve.points);
    learnedNothing.push(shape !== null && blockingReason(shape, facts)?.case === 'not-learned');
    return {
      label: trials[index]!.label,
      weightDecay: combo.wd,
      dropout: combo.dropout,
      momentum: combo.momentum,
      points: curve.points,
      divergedAt: curve.divergedAt,
      ...summary,
      ...headlineOf(curve.points, facts),
      fitted: fittedCurve(shape),
      ...placement,
    };
  });
  // Differences that matter are judged against the baseline loss (chance, or the mean's), else each curve's starting loss.
  const balance = bestBalance(
    curves.map((c, i) => ({ label: c.label, minLoss: c.minSmoothedLoss, lrAtMinLoss: c.lrAtMinLoss, stableRange: c.stableRange, stableDecades: c.stableDecades, divergedAt: sweepDivergence(c), weightDecay: c.weightDecay, dropout: c.dropout, momentum: c.momentum, ...shapes[i] })),
    loaded.baseline?.loss ?? null,
    { trainSignal: (request.signal ?? OPTIONS.signal.default) === 'train' },
  );
  // Momentum alone: the curves show how momentum moves the usable LR range; they rank no momentum
  // (method.md §4; the note says what does), so none is starred — it printed "best: momentum 0.8"
  // beside the note that range tests do not find the best momentum.
  const rankless = momentumOnly && momenta.length > 1;
  // Curves that all stayed at the baseline learned nothing: their order is noise (a user's slow LSTM
  // had all four at 1.1 = chance, and one was starred "the least regularization").
  const signal = (request.signal ?? OPTIONS.signal.default) === 'val' ? 'val' : 'train';
  const level = baselineLevel(loaded.baseline, signal);
  const read = curves.filter((c) => c.minSmoothedLoss !== null);
  // By the curves' own rule too: each one's reason said "nothing learned yet … clearly below means
  // under 1810" while the summary, reading its lowest smoothed loss against 5%, said "under 1910".
  const noneLearned = level !== null && level > 0 && read.length > 0 && curves.every((c, i) => c.minSmoothedLoss === null || !(c.minSmoothedLoss < (1 - NEAR_BASELINE_FRACTION) * level) || learnedNothing[i] === true);
  // A cancel that came after the last curve's last step cut nothing: the sweep ranks as usual.
  const cancelled = ctx.signal.aborted && (cutCurve !== undefined || curves.length < combos.length);
  // One curve compares nothing (`--wd 1e-3` printed "best: wd 1e-3 …").
  const alone = !cancelled && combos.length === 1 && curves.length === 1;
  const best = rankless || noneLearned || cancelled || alone ? null : balance.best;
  // No curve to read because each is too short to have a shape, not because the losses were not finite.
  const tooShort = balance.best === null && curves.length > 0 && curves.every((c) => c.minSmoothedLoss === null && c.points.length > 0 && c.points.length < 3 * MIN_POINTS && Number.isFinite(c.points[0]!.loss));
  // Part of a comparison names no best, as the short runs, find-lr's trials and the batch-size study.
  const reason = cancelled
    ? `cancelled: ${curves.length} of ${formatCount(combos.length, 'curve')} ran whole, and no best is named from part of a comparison.`
    : noneLearned
    ? `No curve got clearly below the baseline (${describeBaseline(loaded.baseline!, signal)}; clearly below means under ${formatLoss((1 - LEARNED_BELOW_BASELINE) * level)}, by more than the batches' scatter): in ${formatCount(baseSettings.steps, 'step')} none learned anything yet, so their order is noise and they cannot rank the regularization. A slow starter learns over more steps (--steps ${baseSettings.steps * 3}); or find the LR first (lrlab find-lr, which runs a longer test when the first learned nothing) and compare with short runs at it (lrlab sweep --short-runs --max-lr <that LR>).`
    : tooShort
    ? `No curve has enough points to read (${formatCount(baseSettings.steps, 'step')} each; the loss was finite): raise --steps (the default is ${OPTIONS.steps.default}).`
    : rankless
      ? `Not ranked: range tests per momentum show where each one's usable LR range ends (the stable ranges and blow-up LRs above), not which momentum trains best; compare them with lrlab sweep --short-runs --momentum ${momenta.filter((m): m is number => m !== null).join(',')} --max-lr <the LR you found>.`
      : alone
        ? `One curve (${curves[0]!.label}): nothing was compared. Give two or more values (e.g. --wd 1e-2,1e-3,1e-4) to rank them; for this setting's LR, its max LR is above (lrlab find-lr gives the whole answer).`
        : balance.reason;
  if (cancelled) {
    const cutLr = cutCurve?.value.points.at(-1)?.lr;
    warnings.push(cutCurve === undefined ? `Cancelled after ${curves.length} of ${formatCount(combos.length, 'curve')}.` : `Cancelled during curve ${ran.length} of ${combos.length} (${trials[cutCurve.index]!.label}${cutLr === undefined ? '' : `, at LR ${formatLr(cutLr)}`}): left out; ${curves.length} ran whole.`);
  }
  return {
    kind: 'sweep',
    model: loaded.file,
    backend: trialsBackend(done.workers, loaded.backend.name),
    seconds: (performance.now() - started) / 1000,
    settings: { ...baseSettings, batchSize },
    curves,
    best,
    reason,
    optimizer: choice.report,
    warnings,
    ...(done.workers.length === 0 ? {} : { workers: done.workers }),
    baseline: loaded.baseline,
  };
}
