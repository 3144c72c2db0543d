/**
 * `lrlab find-lr <model> [options] [--json] [--plot out.png|out.html]`: the LR range test on the
 * user's own model. Progress bar on stderr when it is a terminal; Ctrl-C stops within one batch
 * and still prints what was measured.
 */
import path from 'node:path';
import type { FindLrRequest } from '../../protocol/requests';
import { OptionError } from '../../protocol/errors';
import { forceWithoutOutput } from '../../protocol/optionRules';
import type { CliIo } from './io';
import type { ParsedArgs } from './args';
import { booleanFlag, flagSpec, parseFlags, readOption, readOptions } from './args';
import { commonFieldsFromFlags, runInterruptible } from './common';
import { commandHelp } from './help';
import { plot } from 'asciichart';
import type { MarkerName, RangeMarker } from '../../protocol/rangeView';
import { cancelledAfterText, distinctTickLabels, markerCurve, rangeMarkers, recommendedOf, shownStop } from '../../protocol/rangeView';
import { sampleEvenly } from './terminal';
import { findLr } from '../experiments/findLr';
import { blowUpEdge } from '../../core/headline';
import { plotContent } from '../plot';
import { Outputs, inputFilesOf, writeOutputs } from '../outputs';
import type { FindLrResult } from '../../protocol/results';
import { describeBaseline } from '../../protocol/baselineText';
import { describeOptimizer, formatCount, formatLr, formatSeconds, modelName } from '../../protocol/format';
import { lossAxisRange } from '../../protocol/lossAxis';

/** The range-test options (find-lr and sweep). */
export const RANGE_OPTIONS = ['startLr', 'endLr', 'steps', 'sweep', 'signal', 'smoothing', 'diverge', 'valSamples'] as const;

export const FIND_LR_HELP = commandHelp(
  'Usage: lrlab find-lr <model.ts|train.ts|model.json> [options] [--json] [--plot out.png|out.html]',
  `Runs Smith's LR range test on your model: trains from its starting weights (createModel's, or a
model.json's saved ones) while the LR grows every
batch, records the loss, stops when it diverges, and suggests learning rates with reasons.
Your model file is never changed. A training script (no createModel/loadData exports) runs up
to its first model.fit/fitDataset call, whose model, data and batch size are used. A tfjs
model.json takes --data file.csv --label column.`,
  [{ title: 'Options:', command: 'find-lr' }],
);

export function findLrRequestFromArgs(args: ParsedArgs): FindLrRequest {
  return {
    kind: 'find-lr',
    ...commonFieldsFromFlags(args, 'find-lr'),
    ...readOptions(args, [...RANGE_OPTIONS, 'momentum', 'weightDecay', 'dropout', 'rangeRetries', 'rangeTests', 'lrTrials', 'trialSeeds']),
  };
}

export async function runFindLrCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, flagSpec('find-lr'), 'find-lr');
  if (booleanFlag(args, 'help') === true) {
    io.out(FIND_LR_HELP);
    return 0;
  }
  const request = findLrRequestFromArgs(args);
  const plotArg = readOption(args, 'plot');
  // As plotContent reads it (path.extname): a name that is only `.png` has no extension, and was refused only after the whole run.
  if (plotArg !== undefined && !/^\.(png|html?)$/i.test(path.extname(plotArg))) throw new OptionError('plot', `--plot must end in .png or .html, got '${plotArg}'.`);

  if (booleanFlag(args, 'force') === true && plotArg === undefined) throw forceWithoutOutput('plot');
  const json = booleanFlag(args, 'json') === true;
  // The plot path is checked and locked before the run; the result is printed even if writing it fails.
  // Resolved once, now: the user's code runs in the model's folder (session.ts).
  const plotFile = plotArg === undefined ? null : path.resolve(plotArg);
  const outputs = plotFile === null ? null : Outputs.reserve({ option: 'plot', files: [plotFile], force: booleanFlag(args, 'force') === true, inputs: inputFilesOf(request) });
  try {
    const result = await runInterruptible(io, 'find-lr', (ctx) => findLr(request, ctx));
    const failure = outputs === null || plotFile === null ? null : writeOutputs(outputs, () => new Map([[plotFile, plotContent(plotFile, result)]]));
    io.out(json ? JSON.stringify(result) : renderFindLr(result, failure === null ? plotArg : undefined));
    if (failure !== null) throw failure;
    return result.stopReason === 'cancelled' ? 130 : 0;
  } finally {
    outputs?.release();
  }
}

/** Letters under the terminal sketch: the headline is `R`, alternatives their initial. */
const MARKER_LETTER: Readonly<Record<MarkerName, string>> = { recommended: 'R', valley: 'v', steep: 's', minimum: 'm' };

/**
 * The row of marker letters under the sketch's columns (`lrs`: each column's LR): every marker's
 * letters at its nearest column — those of markers at one LR together (`vs`: valley = steep), the
 * headline's first. Letters that find their column taken go to the next free ones to its right, so
 * none is hidden: steep at 0.0453 and minimum at 0.0423 shared a column and the row showed only `s`.
 */
export function markerRow(markers: readonly RangeMarker[], lrs: readonly number[]): string[] {
  const at = (lr: number): number => lrs.reduce((best, l, k) => (Math.abs(Math.log(l / lr)) < Math.abs(Math.log(lrs[best]! / lr)) ? k : best), 0);
  const row = Array.from({ length: lrs.length }, () => ' ');
  const place = (column: number, letters: readonly string[]): void => {
    let k = column;
    for (const letter of letters) {
      while (k < row.length && row[k] !== ' ') k++;
      if (k >= row.length) return;
      row[k++] = letter;
    }
  };
  // The headline's letters first (`R` keeps its own column), then the others left to right.
  const lettersOf = (m: RangeMarker): string[] => m.names.map((n) => MARKER_LETTER[n]);
  const headline = markers.filter((m) => m.headline);
  for (const m of headline) place(at(m.lr), lettersOf(m));
  const byColumn = new Map<number, string[]>();
  for (const m of markers.filter((x) => !x.headline).sort((a, b) => a.lr - b.lr)) byColumn.set(at(m.lr), [...(byColumn.get(at(m.lr)) ?? []), ...lettersOf(m)]);
  for (const column of [...byColumn.keys()].sort((a, b) => a - b)) place(column, byColumn.get(column)!);
  return row;
}

/**
 * The fitted (lag-free) curve the advice is read from, with a marker row under it (`R` the
 * headline; coinciding markers' letters side by side, the headline's first: `markerRow`) and loss labels
 * that never repeat. The blow-up at the end is clipped so the part that matters fills it.
 */
export function sketchRangeTest(result: FindLrResult, width = 60, height = 10): string[] {
  const curve = markerCurve(result);
  const finite = curve.filter((p) => Number.isFinite(p.loss));
  if (finite.length < 2) return ['(not enough points to draw)'];
  const sampled = sampleEvenly(finite, width);
  // Clip the final blow-up so the part that matters fills the sketch (the same axis as the plots).
  const lossAxis = lossAxisRange(sampled.map((p) => p.loss))!;
  const values = sampled.map((p) => Math.min(p.loss, lossAxis.max));
  const low = Math.min(...values);
  const max = Math.max(...values);
  const range = max - low;
  const ratio = range !== 0 ? height / range : 1;
  const rows = Math.abs(Math.round(max * ratio) - Math.round(low * ratio));
  const labels = distinctTickLabels(Array.from({ length: rows + 1 }, (_, k) => (rows > 0 ? max - (k * range) / rows : low))).map((l) => l.padStart(9));
  const chart = plot(values, { height, format: (_v, k) => labels[k] ?? '' });
  const marks = markerRow(rangeMarkers(result), sampled.map((p) => p.lr));
  // The two ends' labels, at least a space apart however few points the test had.
  const left = formatLr(sampled[0]!.lr);
  const axis = left.padEnd(Math.max(values.length - 2, left.length + 1)) + formatLr(sampled.at(-1)!.lr);
  return [chart, `${' '.repeat(10)}${marks.join('').trimEnd()}`, `${' '.repeat(10)}${axis}`];
}

export function renderFindLr(result: FindLrResult, plotFile: string | undefined): string {
  const headline = recommendedOf(result);
  const lines = [
    headline === null
      ? `No recommended LR: ${result.reasons.range}`
      : `Recommended max LR ${formatLr(headline.maxLr)} (min ${formatLr(headline.minLr)}): ${headline.reason}`,
    `LR range test: ${modelName(result.model)} — ${formatCount(result.points.length, 'step')}, ${formatLr(result.settings.startLr)} → ${formatLr(result.points.at(-1)?.lr ?? null)}, ${formatSeconds(result.rangeTests?.find((t) => t.shown)?.seconds ?? result.seconds)} on ${result.backend}${(result.backendThreads ?? 1) > 1 ? ` (${result.backendThreads} threads)` : ''}`,
  ];
  if (result.backendNote !== null) lines.push(`note: ${result.backendNote}`);
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer));
  lines.push(`stopped: ${describeStop(result)}`);
  if (result.baseline !== null) lines.push(`baseline: ${describeBaseline(result.baseline)} (the loss of a model that learned nothing)`);
  lines.push('fitted loss, the curve the advice is read from (left: low LR, right: high LR; R = recommended, v/s/m = valley/steep/minimum; letters side by side mark about one LR):');
  lines.push(...sketchRangeTest(result));
  lines.push('');
  const reasons = new Set(Object.values(result.reasons));
  if (headline === null && result.range === null && Object.values(result.suggestions).every((v) => v === null) && reasons.size === 1) {
    // One reason for no LR at all (a flat curve, nothing learned yet, ...): the first line said it.
    lines.push('alternatives: none (same reason)');
  } else {
    lines.push('alternatives (other rules, for comparison):');
    // A reason the rule above gave word for word (a curve that blocks every rule) reads once.
    let previous = '';
    const reason = (text: string): string => {
      const shown = text !== '' && text === previous ? '(as above)' : text;
      previous = text;
      return shown;
    };
    for (const name of ['valley', 'steep', 'minimum'] as const) {
      lines.push(`  ${name.padEnd(13)} ${formatLr(result.suggestions[name]).padStart(9)}   ${reason(result.reasons[name])}`);
    }
    // One column for the four rules' values: the range's label is the widest (its value may be wider).
    const range = result.range === null ? '—' : `${formatLr(result.range.minLr)} – ${formatLr(result.range.maxLr)}`;
    lines.push(`  Smith's range ${range.padStart(9)}   ${reason(result.reasons.range)}`);
  }
  if (headline !== null) {
    lines.push('');
    lines.push(`1cycle: lrlab schedule smith --max-lr ${formatLr(headline.maxLr)} --min-lr ${formatLr(headline.minLr)} --total-steps <batches × epochs>`);
  }
  // The backend's note is also a warning (the studies print warnings only): said once, above.
  for (const w of result.warnings) if (w !== result.backendNote) lines.push(`warning: ${w}`);
  if (plotFile !== undefined) lines.push(`plot: ${plotFile}`);
  return lines.join('\n');
}

function describeStop(result: FindLrResult): string {
  // The curve shown ended by itself before a later test or the short runs were cancelled: its own stop, then the cancel.
  const stop = shownStop(result);
  if (stop.cancelledIn !== null) {
    const { rangeTests: _tests, ...own } = result;
    return `${describeStop({ ...own, stopReason: stop.stopReason, divergedAt: stop.divergedAt })}; ${cancelledAfterText(stop.cancelledIn)}`;
  }
  switch (result.stopReason) {
    case 'completed': {
      // Past its bottom the loss climbed back above its start (the headline's blow-up edge) without
      // meeting the divergence rule: the edge is found; a higher --end-lr would show nothing new.
      const edge = blowUpEdge(result.points);
      if (edge !== null) return `reached --end-lr; the loss climbed back above its start at LR ${formatLr(edge)}, short of the divergence rule`;
      // Without a usable LR the reasons say what to change; "raise --end-lr" here could contradict them.
      return recommendedOf(result) === null ? 'reached --end-lr without diverging' : 'reached --end-lr without diverging (raise --end-lr to see where it blows up)';
    }
    case 'diverged':
      return `loss diverged at LR ${formatLr(result.divergedAt)}`;
    case 'non-finite':
      return `loss became NaN/Inf at LR ${formatLr(result.divergedAt)}`;
    case 'cancelled':
      return 'cancelled; suggestions use the points measured so far';
  }
}
