/** `lrlab batch-size <model> --sizes 32,64,128,256 --budget 60s [--target-acc 0.97 | --target-loss 0.1]`. */
import path from 'node:path';
import type { BatchSizeRequest } from '../../protocol/requests';
import type { BatchSizeResult } from '../../protocol/results';
import { OptionError } from '../../protocol/errors';
import type { CliIo } from './io';
import { booleanFlag, flagSpec, parseFlags, readOption, readOptions } from './args';
import { commonFieldsFromFlags, runInterruptible } from './common';
import { commandHelp } from './help';
import { batchSizeStudy } from '../experiments/batchSize';
import { describeOptimizer, formatLr } from '../../protocol/format';

export const BATCH_SIZE_HELP = commandHelp(
  'Usage: lrlab batch-size <model> --budget 60s [--sizes 32,64,128,256] [--target-acc 0.97 | --target-loss L] [--json]',
  `Compares batch sizes at equal wall-clock time, not equal epochs (method §6): each size gets its
own range test (its own max LR) and then a 1cycle run of --budget (per size). Reports validation
loss/accuracy against time, the time to reach the target, and the recommendation. Each size
runs in its own engine process; one that runs out of memory is skipped with the reason.`,
  [{ title: 'Options:', command: 'batch-size' }],
);

export async function runBatchSizeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, flagSpec('batch-size'));
  if (booleanFlag(args, 'help') === true) {
    io.out(BATCH_SIZE_HELP);
    return 0;
  }
  const budgetSeconds = readOption(args, 'budgetSeconds');
  if (budgetSeconds === undefined) throw new OptionError('budgetSeconds', '--budget is required: the wall time each batch size gets, e.g. --budget 60s.');
  const request: BatchSizeRequest = { kind: 'batch-size', ...commonFieldsFromFlags(args, 'batch-size'), budgetSeconds, ...readOptions(args, ['sizes', 'targetAccuracy', 'targetLoss', 'rangeSteps']) };
  if (request.targetAccuracy !== undefined && request.targetLoss !== undefined) throw new OptionError('targetAccuracy', 'Give --target-acc or --target-loss, not both.');
  const result = await runInterruptible(io, 'batch-size', (ctx) => batchSizeStudy(request, ctx));
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderBatchSize(result));
  return 0;
}

export function renderBatchSize(result: BatchSizeResult): string {
  const lines = [`Batch size study: ${path.basename(result.model)} — ${result.budgetSeconds} s per size, ${result.seconds.toFixed(1)} s in all on ${result.backend}`];
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer));
  lines.push(`  ${'batch'.padStart(6)} ${'max LR'.padStart(9)} ${'steps/s'.padStart(8)} ${'epochs'.padStart(7)} ${'val loss'.padStart(9)} ${'val acc'.padStart(8)} ${'to target'.padStart(10)}`);
  result.runs.forEach((r, i) => {
    if (r.status !== 'ok') {
      lines.push(`  ${String(r.batchSize).padStart(6)}  ${r.status}: ${r.reason ?? ''}`);
      return;
    }
    lines.push(`${i === result.best ? '*' : ' '} ${String(r.batchSize).padStart(6)} ${formatLr(r.maxLr).padStart(9)} ${(r.stepsPerSecond === null ? '—' : r.stepsPerSecond.toFixed(0)).padStart(8)} ${String(r.curve.at(-1)?.epoch ?? 0).padStart(7)} ${(r.finalValLoss?.toPrecision(4) ?? '—').padStart(9)} ${(r.finalValAccuracy === null ? '—' : `${(r.finalValAccuracy * 100).toFixed(1)}%`).padStart(8)} ${(r.timeToTarget === null ? '—' : `${r.timeToTarget.toFixed(1)} s`).padStart(10)}`);
  });
  lines.push('', `best: ${result.reason}`);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}
