/**
 * `lrlab find-lr <model> [options] [--json] [--plot out.png|out.html]`: the LR range test on the
 * user's own model. Progress bar on stderr when it is a terminal; Ctrl-C stops within one batch
 * and still prints what was measured.
 */
import path from 'node:path';
import type { FindLrRequest } from '../../protocol/requests';
import { OptionError } from '../../protocol/errors';
import type { CliIo } from './io';
import type { ParsedArgs } from './args';
import { booleanFlag, flagSpec, parseFlags, readOption, readOptions } from './args';
import { commonFieldsFromFlags, runInterruptible } from './common';
import { commandHelp } from './help';
import { sketch } from './terminal';
import { findLr } from '../experiments/findLr';
import { writePlot } from '../plot';
import type { FindLrResult } from '../../protocol/results';
import { describeBaseline } from '../../protocol/baselineText';
import { describeOptimizer, formatCount, formatLr, formatSeconds, lossFormat } from '../../protocol/format';
import { lossAxisRange } from '../../protocol/lossAxis';

/** The range-test options (find-lr and sweep). */
export const RANGE_OPTIONS = ['startLr', 'endLr', 'steps', 'sweep', 'signal', 'smoothing', 'diverge', 'valSamples'] as const;

export const FIND_LR_HELP = commandHelp(
  'Usage: lrlab find-lr <model.ts|train.ts|model.json> [options] [--json] [--plot out.png|out.html]',
  `Runs Smith's LR range test on your model: trains from fresh weights while the LR grows every
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
    ...readOptions(args, [...RANGE_OPTIONS, 'momentum', 'weightDecay', 'dropout']),
  };
}

export async function runFindLrCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, flagSpec('find-lr'), 'find-lr');
  if (booleanFlag(args, 'help') === true) {
    io.out(FIND_LR_HELP);
    return 0;
  }
  const request = findLrRequestFromArgs(args);
  const plot = readOption(args, 'plot');
  if (plot !== undefined && !/\.(png|html?)$/i.test(plot)) throw new OptionError('plot', `--plot must end in .png or .html, got '${plot}'.`);

  const result = await runInterruptible(io, 'find-lr', (ctx) => findLr(request, ctx));
  if (plot !== undefined) writePlot(path.resolve(plot), result);
  if (booleanFlag(args, 'json') === true) io.out(JSON.stringify(result));
  else io.out(renderFindLr(result, plot));
  return result.stopReason === 'cancelled' ? 130 : 0;
}

export function renderFindLr(result: FindLrResult, plot: string | undefined): string {
  const smoothed = result.points.map((p) => p.smoothed ?? Number.NaN);
  // Clip the final blow-up so the part that matters fills the sketch (the same axis as the plots).
  const axis = lossAxisRange(result.points.map((p) => p.smoothed));
  const clipped = axis === null ? smoothed : smoothed.map((v) => Math.min(v, axis.max));
  const lines = [
    `LR range test: ${path.basename(result.model)} — ${formatCount(result.points.length, 'step')}, ${formatLr(result.settings.startLr)} → ${formatLr(result.points.at(-1)?.lr ?? null)}, ${formatSeconds(result.seconds)} on ${result.backend}${(result.backendThreads ?? 1) > 1 ? ` (${result.backendThreads} threads)` : ''}`,
  ];
  if (result.backendNote !== null) lines.push(`note: ${result.backendNote}`);
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer));
  lines.push(`stopped: ${describeStop(result)}`);
  if (result.baseline !== null) lines.push(`baseline: ${describeBaseline(result.baseline)} (the loss of a model that learned nothing)`);
  lines.push('smoothed loss (left: low LR, right: high LR):');
  const finite = clipped.filter((v) => Number.isFinite(v));
  // One form for the axis: its ends and its smallest step decide (`lossFormat`).
  const [low, high] = [Math.min(...finite), Math.max(...finite)];
  lines.push(sketch(clipped, { height: 10, format: lossFormat([low, high, low === 0 ? (high - low) / 10 : low]) }));
  lines.push('');
  const reasons = new Set(Object.values(result.reasons));
  if (result.range === null && Object.values(result.suggestions).every((v) => v === null) && reasons.size === 1) {
    // One reason for no suggestion at all (a flat curve, nothing learned yet, ...): said once.
    lines.push(`suggestions: none — ${result.reasons.range}`);
  } else {
    lines.push('suggestions:');
    for (const name of ['valley', 'steep', 'minimum'] as const) {
      lines.push(`  ${name.padEnd(8)} ${formatLr(result.suggestions[name]).padStart(9)}   ${result.reasons[name]}`);
    }
    const range = result.range === null ? '—' : `${formatLr(result.range.minLr)} – ${formatLr(result.range.maxLr)}`;
    lines.push(`  range    ${range.padStart(9)}   ${result.reasons.range}`);
  }
  if (result.range !== null) {
    lines.push('');
    lines.push(`1cycle: lrlab schedule smith --max-lr ${formatLr(result.range.maxLr)} --min-lr ${formatLr(result.range.minLr)} --total-steps <batches × epochs>`);
  }
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  if (plot !== undefined) lines.push(`plot: ${plot}`);
  return lines.join('\n');
}

function describeStop(result: FindLrResult): string {
  switch (result.stopReason) {
    case 'completed':
      // Without a usable LR the reasons say what to change; "raise --end-lr" here could contradict them.
      return result.range === null ? 'reached --end-lr without diverging' : 'reached --end-lr without diverging (raise --end-lr to see where it blows up)';
    case 'diverged':
      return `loss diverged at LR ${formatLr(result.divergedAt)}`;
    case 'non-finite':
      return `loss became NaN/Inf at LR ${formatLr(result.divergedAt)}`;
    case 'cancelled':
      return 'cancelled; suggestions use the points measured so far';
  }
}
