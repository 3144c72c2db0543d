/** `lrlab batch-size <model> --sizes 32,64,128,256 --budget 60s [--target-acc 0.97 | --target-loss 0.1]`. */
import type { BatchSizeRequest } from '../../protocol/requests';
import type { BatchSizeResult } from '../../protocol/results';
import { OptionError } from '../../protocol/errors';
import type { CliIo } from './io';
import { booleanFlag, flagSpec, parseFlags, readOption, readOptions } from './args';
import { commonFieldsFromFlags, requireModelFile, runInterruptible } from './common';
import { commandHelp } from './help';
import { batchSizeStudy } from '../experiments/batchSize';
import { placementOf } from '../../protocol/placement';
import { remoteFieldsFromFlags } from './remoteFlag';
import { describeOptimizer, formatCount, formatLosses, formatLr, formatPercent, formatSeconds, modelName } from '../../protocol/format';

export const BATCH_SIZE_HELP = commandHelp(
  'Usage: lrlab batch-size <model> --budget 60s [--sizes 32,64,128,256] [--target-acc 0.97 | --target-loss L] [--json]',
  `Compares batch sizes at equal wall-clock time, not equal epochs (Smith): each size gets its
own range test (its own max LR) and then a 1cycle run. Reports validation loss/accuracy against
time, the time to reach the target, and the recommendation. Each size runs in its own engine
process; one that runs out of memory is skipped with the reason.

--budget is the whole study's wall time, from start to result. The sizes run one after another;
before each, the time left is shared equally among the sizes still to run. A size's engine
start-up, data loading and range test come out of its share and it trains for the rest, never
longer than the first size trained, so every size trains for the same time. Example: 4 sizes,
--budget 4m, about 10 s of start-up and range test each: each size trains about 50 s.
With --redis, sizes run in parallel and each gets an equal share of the whole budget.`,
  [{ title: 'Options:', command: 'batch-size' }],
);

export async function runBatchSizeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, flagSpec('batch-size'), 'batch-size');
  if (booleanFlag(args, 'help') === true) {
    io.out(BATCH_SIZE_HELP);
    return 0;
  }
  // The model and the values given first, as train does (then what is missing).
  const common = commonFieldsFromFlags(args, 'batch-size');
  const study = readOptions(args, ['sizes', 'targetAccuracy', 'targetLoss', 'rangeSteps', 'startLr', 'endLr']);
  if (study.targetAccuracy !== undefined && study.targetLoss !== undefined) throw new OptionError('targetAccuracy', 'Give --target-acc or --target-loss, not both.');
  requireModelFile(common.model);
  const budgetSeconds = readOption(args, 'budgetSeconds');
  if (budgetSeconds === undefined) throw new OptionError('budgetSeconds', '--budget is required: the wall time of the whole study, e.g. --budget 5m.');
  const request: BatchSizeRequest = { kind: 'batch-size', ...common, budgetSeconds, ...study, ...(await remoteFieldsFromFlags(args, common.model)) };
  const result = await runInterruptible(io, 'batch-size', (ctx) => batchSizeStudy(request, ctx, io.startedAt));
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderBatchSize(result));
  // No size ran (each skipped or failed; the table and reason say why): a failure to scripts and CI, as the recipe's.
  const cancelled = result.warnings.some((w) => w.startsWith('Cancelled after'));
  if (!cancelled && result.runs.length > 0 && !result.runs.some((r) => r.status === 'ok')) {
    io.err(`lrlab: batch-size: ${result.reason}`);
    return 1;
  }
  return 0;
}

export function renderBatchSize(result: BatchSizeResult): string {
  const sizes = formatCount(result.runs.length, 'batch size');
  const lines = [`Batch size study: ${modelName(result.model)} — ${sizes} in ${formatSeconds(result.seconds)} of a ${formatSeconds(result.budgetSeconds)} budget on ${result.backend}`];
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer));
  lines.push(`  ${'batch'.padStart(6)} ${'max LR'.padStart(9)} ${'steps/s'.padStart(8)} ${'trained'.padStart(9)} ${'epochs'.padStart(7)} ${'val loss'.padStart(9)} ${'val acc'.padStart(8)} ${'to target'.padStart(10)}`);
  const losses = formatLosses(result.runs.map((r) => r.finalValLoss));
  result.runs.forEach((r, i) => {
    if (r.status !== 'ok') {
      lines.push(`  ${String(r.batchSize).padStart(6)}  ${r.status}: ${r.reason ?? ''}`);
      return;
    }
    const trained = r.curve.at(-1)?.seconds ?? null;
    lines.push(`${i === result.best ? '*' : ' '} ${String(r.batchSize).padStart(6)} ${formatLr(r.maxLr).padStart(9)} ${(r.stepsPerSecond === null ? '—' : r.stepsPerSecond.toFixed(0)).padStart(8)} ${formatSeconds(trained).padStart(9)} ${String(r.curve.at(-1)?.epoch ?? 0).padStart(7)} ${losses[i]!.padStart(9)} ${formatPercent(r.finalValAccuracy).padStart(8)} ${formatSeconds(r.timeToTarget).padStart(10)}`);
  });
  lines.push('', `best: ${result.reason}`);
  const placed = placementOf(result);
  if (placed !== null) lines.push(placed);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}
