/** `lrlab sweep <model> --wd 1e-2,1e-3,1e-4,0 [--dropout 0,0.2] [--momentum 0.9,0.95,0.99]`. */
import path from 'node:path';
import type { SweepRequest } from '../../protocol/requests';
import type { MomentumResult, SweepResult, WeightDecayResult } from '../../protocol/results';
import type { CliIo } from './io';
import { REMOTE_FLAGS, REMOTE_HELP, remoteRequestFields } from './remoteFlag';
import type { ParsedArgs } from './args';
import { booleanFlag, integerFlag, numberFlag, numberListFlag, parseFlags } from './args';
import { COMMON_FLAGS, RANGE_FLAGS, commonRequestFields, optionalNumber, rangeRequestFields, runInterruptible } from './findLrCommand';
import type { MomentumRequest, WeightDecayRequest } from '../../protocol/requests';
import { OptionError } from '../../protocol/errors';
import { momentumStudy, weightDecayStudy } from '../experiments/shortRuns';
import { formatLr } from './terminal';
import { sweep } from '../experiments/sweep';
import { describePlacement } from '../../protocol/placement';

export const SWEEP_HELP = `Usage: lrlab sweep <model> [--wd 1e-2,1e-3,1e-4] [--dropout 0,0.2] [--momentum 0.9,0.95] [range-test options] [--json]

One LR range test per combination (same seed and data order), overlaid; picks the best balance
of regularization: the lowest loss over the widest stable LR range (Smith, method §5).
Without --wd: 1e-2,1e-3,1e-4 for small models, 1e-4,1e-5,1e-6,0 for large ones.
Range-test options as for lrlab find-lr (--steps, --start-lr, --end-lr, --batch-size, ...).
--momentum values as range tests show how momentum moves the usable LR range; they do not pick a
momentum (method §4): for that, use the short-run mode.

Short-run mode (--short-runs --max-lr X [--min-lr X/10] [--steps 300]): instead of range tests,
short 1cycle runs at the LR you found, judged on early validation loss (method §4–5):
  --momentum 0.99,0.97,0.95,0.9   constant momentum values against cyclical 0.95→0.85
  --wd 1e-2,1e-3,1e-4 [--refine]  weight decay; --refine bisects the exponent around the best
Either mode:
${REMOTE_HELP}`;

export async function runSweepCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, { ...COMMON_FLAGS, ...RANGE_FLAGS, ...REMOTE_FLAGS, wd: { type: 'string' }, dropout: { type: 'string' }, momentum: { type: 'string' }, 'short-runs': { type: 'boolean' }, 'max-lr': { type: 'string' }, 'min-lr': { type: 'string' }, refine: { type: 'boolean' } });
  if (booleanFlag(args, 'help') === true) {
    io.out(SWEEP_HELP);
    return 0;
  }
  if (booleanFlag(args, 'short-runs') === true) return runShortRuns(args, io);
  const request: Record<string, unknown> = { kind: 'sweep', ...commonRequestFields(args, 'sweep') };
  rangeRequestFields(args, request);
  await remoteRequestFields(args, request);
  for (const key of ['wd', 'dropout', 'momentum'] as const) {
    const list = numberListFlag(args, key);
    if (list !== undefined) request[key] = list;
  }
  const result = await runInterruptible(io, 'sweep', (ctx) => sweep(request as unknown as SweepRequest, ctx));
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderSweep(result));
  return 0;
}

async function runShortRuns(args: ParsedArgs, io: CliIo): Promise<number> {
  const momentum = numberListFlag(args, 'momentum');
  const wd = numberListFlag(args, 'wd');
  if ((momentum === undefined) === (wd === undefined)) {
    throw new OptionError('shortRuns', '--short-runs compares one thing at a time: give either --momentum values or --wd values.');
  }
  const request: Record<string, unknown> = { kind: momentum !== undefined ? 'momentum' : 'weight-decay', ...commonRequestFields(args, 'sweep'), values: momentum ?? wd };
  await remoteRequestFields(args, request);
  optionalNumber(request, 'maxLr', numberFlag(args, 'max-lr'));
  optionalNumber(request, 'minLr', numberFlag(args, 'min-lr'));
  optionalNumber(request, 'steps', integerFlag(args, 'steps'));
  optionalNumber(request, 'valSamples', integerFlag(args, 'val-samples'));
  if (booleanFlag(args, 'refine') === true) request['refine'] = true;
  const result = await runInterruptible<MomentumResult | WeightDecayResult>(io, 'short-runs', (ctx) => (momentum !== undefined ? momentumStudy(request as unknown as MomentumRequest, ctx) : weightDecayStudy(request as unknown as WeightDecayRequest, ctx)));
  if (booleanFlag(args, 'json') === true) {
    io.out(JSON.stringify(result));
    return 0;
  }
  const lines = [`${result.kind === 'momentum' ? 'Momentum' : 'Weight decay'} study: ${path.basename(result.model)} — ${result.runs.length} short runs, ${result.seconds.toFixed(1)} s on ${result.backend}`];
  result.runs.forEach((r, i) => lines.push(`${i === result.best ? '*' : ' '} ${r.label.padEnd(22)} early validation loss ${r.earlyValLoss?.toPrecision(4) ?? (r.diverged ? 'diverged' : '—')}`));
  lines.push('', `best: ${result.reason}`);
  const placed = describePlacement(result.workers, result.runs);
  if (placed !== null) lines.push(placed);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  io.out(lines.join('\n'));
  return 0;
}

export function renderSweep(result: SweepResult): string {
  const lines = [`Regularization sweep: ${path.basename(result.model)} — ${result.curves.length} range tests, ${result.seconds.toFixed(1)} s on ${result.backend}`];
  lines.push(`  ${'curve'.padEnd(28)} ${'min loss'.padStart(9)} ${'at LR'.padStart(9)} ${'stable range'.padStart(20)} ${'diverged'.padStart(9)}`);
  result.curves.forEach((c, i) => {
    const range = c.stableRange === null ? '—' : `${formatLr(c.stableRange.minLr)}–${formatLr(c.stableRange.maxLr)}`;
    lines.push(`${i === result.best ? '*' : ' '} ${c.label.padEnd(28)} ${(c.minSmoothedLoss?.toPrecision(4) ?? '—').padStart(9)} ${formatLr(c.lrAtMinLoss).padStart(9)} ${range.padStart(20)} ${formatLr(c.divergedAt).padStart(9)}`);
  });
  lines.push('', `best: ${result.reason}`);
  const placed = describePlacement(result.workers, result.curves);
  if (placed !== null) lines.push(placed);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}
