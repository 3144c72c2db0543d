/** `lrlab sweep <model> --wd 1e-2,1e-3,1e-4,0 [--dropout 0,0.2] [--momentum 0.9,0.95,0.99]`. */
import path from 'node:path';
import type { MomentumRequest, SweepRequest, WeightDecayRequest } from '../../protocol/requests';
import type { MomentumResult, SweepResult, WeightDecayResult } from '../../protocol/results';
import type { OptionName } from '../../protocol/options';
import { optionsOf } from '../../protocol/options';
import type { CliIo } from './io';
import type { ParsedArgs } from './args';
import { booleanFlag, flagSpec, parseFlags, readOption, readOptions } from './args';
import { commonFieldsFromFlags, ifGiven, runInterruptible } from './common';
import { RANGE_OPTIONS } from './findLrCommand';
import { commandHelp } from './help';
import type { RunContext } from '../experiments/runContext';
import { OptionError } from '../../protocol/errors';
import { flagFor } from '../../protocol/options';
import { momentumStudy, weightDecayStudy } from '../experiments/shortRuns';
import { describeOptimizer, formatCount, formatLosses, formatLr, formatSeconds } from '../../protocol/format';
import { sweep } from '../experiments/sweep';

/** Options of the short-run mode already listed, with the same text, among the range-test options. */
const SHARED_WITH_SWEEP: readonly OptionName[] = optionsOf('sweep').filter((n) => n !== 'steps' && n !== 'momentumList' && n !== 'valSamples');

export const SWEEP_HELP = commandHelp(
  'Usage: lrlab sweep <model> [--wd 1e-2,1e-3,1e-4] [--dropout 0,0.2] [--momentum 0.9,0.95] [range-test options] [--json]',
  `One LR range test per combination (same seed and data order), overlaid; picks the best balance
of regularization: the lowest loss over the widest stable LR range (Smith, method §5).`,
  [
    { title: 'Options (range-test options as for lrlab find-lr):', command: 'sweep' },
    { title: `Short-run mode (--short-runs --max-lr X [--min-lr X/10] [--steps 300]): instead of range tests,
short 1cycle runs at the LR you found, judged on early validation loss (method §4–5):`, command: 'short-runs', except: SHARED_WITH_SWEEP },
  ],
);

export async function runSweepCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, flagSpec('sweep', 'short-runs'), 'sweep');
  if (booleanFlag(args, 'help') === true) {
    io.out(SWEEP_HELP);
    return 0;
  }
  // --refine alone would be silently ignored: refused, naming what it needs.
  if (readOption(args, 'refine') === true && (readOption(args, 'shortRuns') !== true || readOption(args, 'wdList') === undefined)) {
    throw new OptionError('refine', `${flagFor('refine')} refines a weight-decay study of short runs; without ${flagFor('shortRuns')} ${flagFor('wdList')} it would be ignored.`, `Add ${flagFor('shortRuns')} ${flagFor('wdList')} <values>, or drop ${flagFor('refine')}.`);
  }
  if (readOption(args, 'shortRuns') === true) return runShortRuns(args, io);
  const request: SweepRequest = {
    kind: 'sweep',
    ...commonFieldsFromFlags(args, 'sweep'),
    ...readOptions(args, RANGE_OPTIONS),
    ...ifGiven('wd', readOption(args, 'wdList')),
    ...ifGiven('dropout', readOption(args, 'dropoutList')),
    ...ifGiven('momentum', readOption(args, 'momentumList')),
  };
  const result = await runInterruptible(io, 'sweep', (ctx) => sweep(request, ctx));
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderSweep(result));
  return 0;
}

async function runShortRuns(args: ParsedArgs, io: CliIo): Promise<number> {
  const momentum = readOption(args, 'momentumList');
  const wd = readOption(args, 'wdList');
  const common = { ...commonFieldsFromFlags(args, 'sweep'), ...readOptions(args, ['maxLr', 'minLr', 'steps', 'valSamples']) };
  let run: (ctx: RunContext) => Promise<MomentumResult | WeightDecayResult>;
  if (momentum !== undefined && wd === undefined) {
    const request: MomentumRequest = { kind: 'momentum', ...common, values: momentum };
    run = (ctx) => momentumStudy(request, ctx);
  } else if (wd !== undefined && momentum === undefined) {
    const request: WeightDecayRequest = { kind: 'weight-decay', ...common, values: wd, ...readOptions(args, ['refine']) };
    run = (ctx) => weightDecayStudy(request, ctx);
  } else {
    throw new OptionError('shortRuns', '--short-runs compares one thing at a time: give either --momentum values or --wd values.');
  }
  const result = await runInterruptible(io, 'short-runs', run);
  if (booleanFlag(args, 'json') === true) {
    io.out(JSON.stringify(result));
    return 0;
  }
  const lines = [`${result.kind === 'momentum' ? 'Momentum' : 'Weight decay'} study: ${path.basename(result.model)} — ${formatCount(result.runs.length, 'short run')}, ${formatSeconds(result.seconds)} on ${result.backend}`];
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer));
  const losses = formatLosses(result.runs.map((r) => r.earlyValLoss));
  result.runs.forEach((r, i) => lines.push(`${i === result.best ? '*' : ' '} ${r.label.padEnd(22)} early validation loss ${r.earlyValLoss === null && r.diverged ? 'diverged' : losses[i]!}`));
  lines.push('', `best: ${result.reason}`);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  io.out(lines.join('\n'));
  return 0;
}

export function renderSweep(result: SweepResult): string {
  const lines = [`Regularization sweep: ${path.basename(result.model)} — ${formatCount(result.curves.length, 'range test')}, ${formatSeconds(result.seconds)} on ${result.backend}`];
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer));
  lines.push(`  ${'curve'.padEnd(28)} ${'min loss'.padStart(9)} ${'at LR'.padStart(9)} ${'stable range'.padStart(20)} ${'diverged'.padStart(9)}`);
  const losses = formatLosses(result.curves.map((c) => c.minSmoothedLoss));
  result.curves.forEach((c, i) => {
    const range = c.stableRange === null ? '—' : `${formatLr(c.stableRange.minLr)}–${formatLr(c.stableRange.maxLr)}`;
    lines.push(`${i === result.best ? '*' : ' '} ${c.label.padEnd(28)} ${losses[i]!.padStart(9)} ${formatLr(c.lrAtMinLoss).padStart(9)} ${range.padStart(20)} ${formatLr(c.divergedAt).padStart(9)}`);
  });
  lines.push('', `best: ${result.reason}`);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}
