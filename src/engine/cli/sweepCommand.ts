/** `lrlab sweep <model> --wd 1e-2,1e-3,1e-4,0 [--dropout 0,0.2] [--momentum 0.9,0.95,0.99]`. */
import type { MomentumRequest, SweepRequest, WeightDecayRequest } from '../../protocol/requests';
import type { MomentumResult, SweepResult, WeightDecayResult } from '../../protocol/results';
import type { OptionName } from '../../protocol/options';
import { CYCLICAL_MOMENTUM, OPTIONS, optionsOf } from '../../protocol/options';
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
import { describeOptimizer, formatCount, formatLosses, formatLr, formatMomentum, formatSeconds, modelName } from '../../protocol/format';
import { noHeadlineLines, sweepDivergence } from '../../protocol/rangeView';
import { sweep } from '../experiments/sweep';
import { placementOf } from '../../protocol/placement';
import { remoteFieldsFromFlags } from './remoteFlag';

/** Options of the short-run mode already listed, with the same text, among the range-test options. */
const SHARED_WITH_SWEEP: readonly OptionName[] = optionsOf('sweep').filter((n) => n !== 'steps' && n !== 'momentumList' && n !== 'valSamples');

export const SWEEP_HELP = commandHelp(
  'Usage: lrlab sweep <model> [--wd 1e-2,1e-3,1e-4] [--dropout 0,0.2] [--momentum 0.9,0.95] [range-test options] [--json]',
  `One LR range test per combination (same seed and data order), overlaid; picks the best balance
of regularization: the lowest loss over the widest stable LR range (Smith's rule).`,
  [
    { title: 'Options (range-test options as for lrlab find-lr):', command: 'sweep' },
    { title: `Short-run mode (--short-runs --max-lr X [--min-lr X/10] [--steps 300]): instead of range tests,
short 1cycle runs at the LR you found, judged on early validation loss:`, command: 'short-runs', except: SHARED_WITH_SWEEP },
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
  // The short runs' LRs: a sweep of range tests reads none (`sweep m.ts --max-lr 0.1 --wd …` ran range tests, silently).
  for (const name of ['maxLr', 'minLr'] as const) {
    if (readOption(args, name) !== undefined) throw new OptionError(name, `${flagFor(name)} is the LR of the short runs (${flagFor('shortRuns')}); a sweep of range tests sweeps the LR itself and would ignore it.`, `Add ${flagFor('shortRuns')} to compare short 1cycle runs at that LR, or drop ${flagFor(name)}.`);
  }
  const common = commonFieldsFromFlags(args, 'sweep');
  const request: SweepRequest = {
    kind: 'sweep',
    ...common,
    ...readOptions(args, RANGE_OPTIONS),
    ...ifGiven('wd', readOption(args, 'wdList')),
    ...ifGiven('dropout', readOption(args, 'dropoutList')),
    ...ifGiven('momentum', readOption(args, 'momentumList')),
    // Last: every other flag is checked before Redis is asked.
    ...(await remoteFieldsFromFlags(args, common.model)),
  };
  const result = await runInterruptible(io, 'sweep', (ctx) => sweep(request, ctx));
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderSweep(result));
  return 0;
}

/** Options of the range tests' sweep that short runs do not read (their LR is --max-lr's 1cycle). */
const RANGE_SWEEP_ONLY: readonly OptionName[] = optionsOf('sweep').filter((n) => n !== 'shortRuns' && !optionsOf('short-runs').includes(n));

async function runShortRuns(args: ParsedArgs, io: CliIo): Promise<number> {
  // Given with --short-runs, they were taken and ignored: `--short-runs --wd 1e-3,1e-4 --dropout 0,0.2`
  // compared weight decays alone, and `--short-runs --dropout 0,0.2` asked for --momentum or --wd values.
  for (const name of RANGE_SWEEP_ONLY) {
    if (readOption(args, name) === undefined) continue;
    const flag = flagFor(name);
    throw name === 'dropoutList'
      ? new OptionError(name, `${flag} compares dropouts by range tests, one per value (lrlab sweep without ${flagFor('shortRuns')}); short runs compare ${flagFor('momentumList')} or ${flagFor('wdList')} values and would ignore it.`, `Drop ${flagFor('shortRuns')} to compare the dropouts, or drop ${flag}.`)
      : new OptionError(name, `${flag} is an option of the range tests (lrlab sweep without ${flagFor('shortRuns')}); short runs train with 1cycle at ${flagFor('maxLr')} and would ignore it.`, `Drop ${flag}, or ${flagFor('shortRuns')}.`);
  }
  const momentum = readOption(args, 'momentumList');
  const wd = readOption(args, 'wdList');
  const model = commonFieldsFromFlags(args, 'sweep');
  const common = { ...model, ...readOptions(args, ['maxLr', 'minLr', 'steps', 'valSamples']), ...(await remoteFieldsFromFlags(args, model.model)) };
  let run: (ctx: RunContext) => Promise<MomentumResult | WeightDecayResult>;
  if (momentum !== undefined && wd === undefined) {
    const request: MomentumRequest = { kind: 'momentum', ...common, values: momentum };
    run = (ctx) => momentumStudy(request, ctx);
  } else if (wd !== undefined && momentum === undefined) {
    const request: WeightDecayRequest = { kind: 'weight-decay', ...common, values: wd, ...readOptions(args, ['refine']) };
    run = (ctx) => weightDecayStudy(request, ctx);
  } else if (momentum !== undefined) {
    throw new OptionError('shortRuns', '--short-runs compares one thing at a time: give --momentum values or --wd values, not both.');
  } else {
    // Its help lists the momentum study's default values, which a bare --short-runs did not take: say what to give.
    const momenta = (OPTIONS.momentumList.byCommand['short-runs'].default ?? []).join(',');
    throw new OptionError('shortRuns', `--short-runs needs the values to compare: --momentum ${momenta} (constant momenta against cyclical ${CYCLICAL_MOMENTUM.max}→${CYCLICAL_MOMENTUM.min}, the momentum study's default) or --wd values (e.g. --wd 1e-2,1e-3,1e-4), one of the two.`);
  }
  const result = await runInterruptible(io, 'short-runs', run);
  if (booleanFlag(args, 'json') === true) {
    io.out(JSON.stringify(result));
    return 0;
  }
  const lines = [`${result.kind === 'momentum' ? 'Momentum' : 'Weight decay'} study: ${modelName(result.model)} — ${formatCount(result.runs.length, 'short run')}, ${formatSeconds(result.seconds)} on ${result.backend}`];
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer, momentumOfRuns(result)));
  const losses = formatLosses(result.runs.map((r) => r.earlyValLoss));
  result.runs.forEach((r, i) => lines.push(`${i === result.best ? '*' : ' '} ${r.label.padEnd(22)} early validation loss ${r.earlyValLoss === null && r.diverged ? 'diverged' : losses[i]!}`));
  lines.push('', `best: ${result.reason}`);
  const placed = placementOf(result);
  if (placed !== null) lines.push(placed);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  io.out(lines.join('\n'));
  return 0;
}

/**
 * The momentum a short-run study's runs used, where it is not the compiled one the optimizer line
 * would name: one per run (the momentum study), or the 1cycle's (0.95 → 0.85) they cycled.
 */
export function momentumOfRuns(result: MomentumResult | WeightDecayResult): string | undefined {
  if (result.kind === 'momentum') return 'per run (the labels below)';
  const used = result.runs.flatMap((r) => r.records.map((x) => x.momentum)).filter((m): m is number => m !== null);
  if (used.length === 0) return undefined;
  const [low, high] = [Math.min(...used), Math.max(...used)];
  // Cycled: under the 1cycle LR, between its bounds (the evaluations' records do not reach the low one).
  if (high > low) return `cycled ${CYCLICAL_MOMENTUM.max} → ${CYCLICAL_MOMENTUM.min} (1cycle's)`;
  return low === result.optimizer?.momentum ? undefined : `${formatMomentum(low)} (the runs' own)`;
}

export function renderSweep(result: SweepResult): string {
  // Momentum alone is no regularization sweep: one range test per momentum, unranked.
  const momentumOnly = result.curves.length > 1 && result.curves.some((c) => c.momentum !== null) && result.curves.every((c) => c.weightDecay === result.curves[0]!.weightDecay && c.dropout === result.curves[0]!.dropout);
  const lines = [`${momentumOnly ? 'Range tests per momentum' : 'Regularization sweep'}: ${modelName(result.model)} — ${formatCount(result.curves.length, 'range test')}, ${formatSeconds(result.seconds)} on ${result.backend}`];
  // Curves at momenta of their own: the compiled one did not run (it read "momentum 0.9 (model.compile)" beside curves at 0.8 and 0.95).
  const momenta = [...new Set(result.curves.map((c) => c.momentum).filter((m): m is number => m !== null))];
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer, momenta.length === 0 ? undefined : `per curve (${momenta.join(', ')})`));
  lines.push(`  ${'curve'.padEnd(28)} ${'min loss'.padStart(9)} ${'at LR'.padStart(9)} ${'stable range'.padStart(20)} ${'above start'.padStart(11)} ${'max LR'.padStart(9)}`);
  const losses = formatLosses(result.curves.map((c) => c.minSmoothedLoss));
  result.curves.forEach((c, i) => {
    const range = c.stableRange === null ? '—' : `${formatLr(c.stableRange.minLr)}–${formatLr(c.stableRange.maxLr)}`;
    lines.push(`${i === result.best ? '*' : ' '} ${c.label.padEnd(28)} ${losses[i]!.padStart(9)} ${formatLr(c.lrAtMinLoss).padStart(9)} ${range.padStart(20)} ${formatLr(sweepDivergence(c)).padStart(11)} ${formatLr(c.recommended?.maxLr ?? null).padStart(9)}`);
  });
  lines.push('  (read on the fitted loss, like the headline; above start: the LR where the raw loss first climbed back above its start, before a test stops as diverged (the LR a note names); max LR: the curve\'s own headline)');
  for (const line of noHeadlineLines(result.curves)) lines.push(`  ${line}`);
  lines.push('', `${momentumOnly && result.best === null ? 'momentum' : 'best'}: ${result.reason}`);
  const placed = placementOf(result);
  if (placed !== null) lines.push(placed);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

