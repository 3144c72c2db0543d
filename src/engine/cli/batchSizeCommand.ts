/** `lrlab batch-size <model> --sizes 32,64,128,256 --budget 60s [--target-acc 0.97 | --target-loss 0.1]`. */
import path from 'node:path';
import type { BatchSizeRequest } from '../../protocol/requests';
import type { BatchSizeResult } from '../../protocol/results';
import { OptionError } from '../../protocol/errors';
import type { CliIo } from './io';
import { REMOTE_FLAGS, REMOTE_HELP, remoteRequestFields } from './remoteFlag';
import { booleanFlag, durationFlag, integerFlag, numberFlag, numberListFlag, parseFlags } from './args';
import { COMMON_FLAGS, commonRequestFields, optionalNumber, runInterruptible } from './findLrCommand';
import { batchSizeStudy } from '../experiments/batchSize';
import { formatLr } from './terminal';
import { describePlacement } from '../../protocol/placement';

export const BATCH_SIZE_HELP = `Usage: lrlab batch-size <model> --budget 60s [--sizes 32,64,128,256] [--target-acc 0.97 | --target-loss L] [--json]

Compares batch sizes at equal wall-clock time, not equal epochs (method §6): each size gets its
own range test (its own max LR) and then a 1cycle run of --budget (per size). Reports validation
loss/accuracy against time, the time to reach the target, and the recommendation. Each size
runs in its own engine process; one that runs out of memory is skipped with the reason.
${REMOTE_HELP}
                      (wall times compare fairly only on identical workers)`;

export async function runBatchSizeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { 'batch-size': _unused, ...common } = COMMON_FLAGS;
  const args = parseFlags(argv, { ...common, sizes: { type: 'string' }, budget: { type: 'string' }, 'target-acc': { type: 'string' }, 'target-loss': { type: 'string' }, 'range-steps': { type: 'string' }, ...REMOTE_FLAGS });
  if (booleanFlag(args, 'help') === true) {
    io.out(BATCH_SIZE_HELP);
    return 0;
  }
  const budget = durationFlag(args, 'budget');
  if (budget === undefined) throw new OptionError('budget', '--budget is required: the wall time each batch size gets, e.g. --budget 60s.');
  const request: Record<string, unknown> = { kind: 'batch-size', ...commonRequestFields(args, 'batch-size'), budgetSeconds: budget };
  await remoteRequestFields(args, request);
  const sizes = numberListFlag(args, 'sizes');
  if (sizes !== undefined) request['sizes'] = sizes;
  optionalNumber(request, 'targetAccuracy', numberFlag(args, 'target-acc'));
  optionalNumber(request, 'targetLoss', numberFlag(args, 'target-loss'));
  optionalNumber(request, 'rangeSteps', integerFlag(args, 'range-steps'));
  if (request['targetAccuracy'] !== undefined && request['targetLoss'] !== undefined) throw new OptionError('targetAcc', 'Give --target-acc or --target-loss, not both.');
  const result = await runInterruptible(io, 'batch-size', (ctx) => batchSizeStudy(request as unknown as BatchSizeRequest, ctx));
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderBatchSize(result));
  return 0;
}

export function renderBatchSize(result: BatchSizeResult): string {
  const lines = [`Batch size study: ${path.basename(result.model)} — ${result.budgetSeconds} s per size, ${result.seconds.toFixed(1)} s in all on ${result.backend}`];
  lines.push(`  ${'batch'.padStart(6)} ${'max LR'.padStart(9)} ${'steps/s'.padStart(8)} ${'epochs'.padStart(7)} ${'val loss'.padStart(9)} ${'val acc'.padStart(8)} ${'to target'.padStart(10)}`);
  result.runs.forEach((r, i) => {
    if (r.status !== 'ok') {
      lines.push(`  ${String(r.batchSize).padStart(6)}  ${r.status}: ${r.reason ?? ''}`);
      return;
    }
    lines.push(`${i === result.best ? '*' : ' '} ${String(r.batchSize).padStart(6)} ${formatLr(r.maxLr).padStart(9)} ${(r.stepsPerSecond === null ? '—' : r.stepsPerSecond.toFixed(0)).padStart(8)} ${String(r.curve.at(-1)?.epoch ?? 0).padStart(7)} ${(r.finalValLoss?.toPrecision(4) ?? '—').padStart(9)} ${(r.finalValAccuracy === null ? '—' : `${(r.finalValAccuracy * 100).toFixed(1)}%`).padStart(8)} ${(r.timeToTarget === null ? '—' : `${r.timeToTarget.toFixed(1)} s`).padStart(10)}`);
  });
  lines.push('', `best: ${result.reason}`);
  const placed = describePlacement(result.workers, result.runs.map((r) => ({ ...r, label: `batch ${r.batchSize}` })));
  if (placed !== null) lines.push(placed);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}
