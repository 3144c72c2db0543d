/** `lrlab train <model> --policy smith --max-lr 0.1 --epochs 5 [--save dir [--force]] [--json]`. */
import path from 'node:path';
import type { TrainRequest } from '../../protocol/requests';
import type { TrainResult } from '../../protocol/results';
import { SCHEDULE_POLICIES } from '../../protocol/results';
import type { CliIo } from './io';
import { booleanFlag, choiceFlag, integerFlag, numberFlag, parseFlags, stringFlag } from './args';
import { COMMON_FLAGS, optionalNumber, commonRequestFields, runInterruptible } from './findLrCommand';
import { SCHEDULE_FLAGS, scheduleOptionsFromArgs } from './scheduleCommand';
import { formatLr } from './terminal';
import { formatMetric, metricColumns } from '../../protocol/metricColumns';
import { describeBaseline } from '../../protocol/baselineText';
import { train } from '../experiments/train';

export const TRAIN_HELP = `Usage: lrlab train <model> [--policy smith|onecycle|fastai|triangular|triangular2|exp_range|constant] [schedule options] [--epochs 5] [--json]

Trains a fresh model from createModel with the schedule (LR and cyclical momentum every batch),
reports train/validation loss and the model's own metrics per epoch, the baseline (the loss of
a model that learned nothing) and a verdict: not-learning, underfitting, overfitting or good.
  --max-lr X, --min-lr X, ...   the options of lrlab schedule (see lrlab schedule --help);
                                the schedule's length defaults to epochs × batches per epoch
  --epochs N (5)   --batch-size N (64)   --weight-decay W (alias --wd)   --dropout P
  --momentum M     constant momentum when the policy does not cycle it (0.9)
  --val-samples N  validation samples per epoch (all)
  --save DIR       save the trained model (model.json + weights.bin); --force to overwrite`;

export async function runTrainCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { json: _json, help: _help, steps: _steps, momentum: _momentum, ...scheduleFlags } = SCHEDULE_FLAGS;
  const args = parseFlags(argv, {
    ...COMMON_FLAGS,
    ...scheduleFlags,
    policy: { type: 'string' },
    epochs: { type: 'string' },
    momentum: { type: 'string' },
    'weight-decay': { type: 'string' },
    wd: { type: 'string' },
    dropout: { type: 'string' },
    'val-samples': { type: 'string' },
    save: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (booleanFlag(args, 'help') === true) {
    io.out(TRAIN_HELP);
    return 0;
  }
  const request: Record<string, unknown> = { kind: 'train', ...commonRequestFields(args, 'train') };
  const policy = choiceFlag(args, 'policy', SCHEDULE_POLICIES);
  if (policy !== undefined) request['policy'] = policy;
  request['schedule'] = scheduleOptionsFromArgs(args);
  optionalNumber(request, 'epochs', integerFlag(args, 'epochs'));
  optionalNumber(request, 'momentum', numberFlag(args, 'momentum'));
  optionalNumber(request, 'weightDecay', numberFlag(args, 'weight-decay') ?? numberFlag(args, 'wd'));
  optionalNumber(request, 'dropout', numberFlag(args, 'dropout'));
  optionalNumber(request, 'valSamples', integerFlag(args, 'val-samples'));
  const save = stringFlag(args, 'save');
  if (save !== undefined) request['save'] = path.resolve(save);
  if (booleanFlag(args, 'force') === true) request['force'] = true;
  const result = await runInterruptible(io, 'train', (ctx) => train(request as unknown as TrainRequest, ctx));
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderTrain(result));
  return 0;
}

export function renderTrain(result: TrainResult): string {
  const lines = [`Training: ${path.basename(result.model)} — ${result.policy}, ${result.history.length} epochs, ${result.seconds.toFixed(1)} s on ${result.backend}`];
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
