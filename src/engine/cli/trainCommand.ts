/** `lrlab train <model> --policy smith --max-lr 0.1 --epochs 5 [--save dir [--force]] [--json]`. */
import path from 'node:path';
import type { TrainRequest } from '../../protocol/requests';
import type { TrainResult } from '../../protocol/results';
import { SCHEDULE_POLICIES } from '../../protocol/results';
import type { CliIo } from './io';
import { booleanFlag, flagSpec, parseFlags, readOptions } from './args';
import { commonFieldsFromFlags, runInterruptible } from './common';
import { commandHelp } from './help';
import { scheduleOptionsFromArgs } from './scheduleCommand';
import { describeOptimizer, formatLr } from '../../protocol/format';
import { formatMetric, metricColumns } from '../../protocol/metricColumns';
import { describeBaseline } from '../../protocol/baselineText';
import { train } from '../experiments/train';

export const TRAIN_HELP = commandHelp(
  `Usage: lrlab train <model> [--policy ${SCHEDULE_POLICIES.join('|')}] [schedule options] [--epochs 5] [--json]`,
  `Trains a fresh model from createModel with the schedule (LR and cyclical momentum every batch),
reports train/validation loss and the model's own metrics per epoch, the baseline (the loss of
a model that learned nothing) and a verdict: not-learning, underfitting, overfitting or good.
The schedule's length defaults to epochs × batches per epoch.`,
  [{ title: 'Options:', command: 'train' }],
);

export async function runTrainCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, flagSpec('train'));
  if (booleanFlag(args, 'help') === true) {
    io.out(TRAIN_HELP);
    return 0;
  }
  const request: TrainRequest = {
    kind: 'train',
    ...commonFieldsFromFlags(args, 'train'),
    ...readOptions(args, ['policy', 'epochs', 'momentum', 'weightDecay', 'dropout', 'valSamples', 'save', 'force']),
    schedule: scheduleOptionsFromArgs(args),
  };
  const result = await runInterruptible(io, 'train', (ctx) => train(request, ctx));
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderTrain(result));
  return 0;
}

export function renderTrain(result: TrainResult): string {
  const lines = [`Training: ${path.basename(result.model)} — ${result.policy}, ${result.history.length} epochs, ${result.seconds.toFixed(1)} s on ${result.backend}`];
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer));
  // The model's own metrics by its names (`mae`, `val mae`); no accuracy column for a regression.
  const columns = metricColumns(result.history);
  const width = (title: string): number => Math.max(8, title.length);
  lines.push(`  ${'epoch'.padStart(5)} ${'train loss'.padStart(10)} ${'val loss'.padStart(9)} ${columns.map((c) => c.title.padStart(width(c.title))).join(' ')}${columns.length > 0 ? ' ' : ''}${'LR'.padStart(9)} ${'momentum'.padStart(8)} ${'time'.padStart(7)}`);
  for (const h of result.history) {
    const cells = columns.map((c) => formatMetric(c.name, c.value(h)).padStart(width(c.title))).join(' ');
    lines.push(`  ${String(h.epoch).padStart(5)} ${(h.trainLoss?.toPrecision(4) ?? '—').padStart(10)} ${(h.valLoss?.toPrecision(4) ?? '—').padStart(9)} ${cells}${columns.length > 0 ? ' ' : ''}${formatLr(h.lr).padStart(9)} ${(h.momentum?.toFixed(3) ?? '—').padStart(8)} ${`${h.seconds.toFixed(1)}s`.padStart(7)}`);
  }
  const b = result.baseline;
  if (b !== null) lines.push(`  baseline: ${describeBaseline(b)}${b.valLoss === null || b.valLoss.toPrecision(3) === b.loss.toPrecision(3) ? '' : ` (validation ${b.valLoss.toPrecision(3)})`} — the loss of a model that learned nothing`);
  lines.push('', `verdict: ${result.diagnosis.verdict ?? 'none'} — ${result.diagnosis.reason}`);
  if (result.savedTo !== null) lines.push(`saved: ${result.savedTo}`);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}
