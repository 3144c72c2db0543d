/** `lrlab train <model> --policy smith --max-lr 0.1 --epochs 5 [--save dir [--force]] [--json]`. */
import path from 'node:path';
import type { TrainRequest } from '../../protocol/requests';
import type { EpochRecord, TrainResult, TrainSettings } from '../../protocol/results';
import { momentumBounds } from '../../core/schedules';
import { formatWeightDecay } from '../../core/decisions';
import type { StreamPoint } from '../../protocol/progress';
import { SCHEDULE_POLICIES } from '../../protocol/results';
import type { CliIo } from './io';
import { booleanFlag, flagSpec, parseFlags, readOption, readOptions } from './args';
import { OPTIONS } from '../../protocol/options';
import { OptionError } from '../../protocol/errors';
import { COMMON_OPTIONS, commonFieldsFromFlags, givenFlags, requireModelFile, runInterruptible, shellWord } from './common';
import { commandHelp } from './help';
import { scheduleOptionsFromArgs } from './scheduleCommand';
import { describeNormStats, describeOptimizer, formatCount, formatLoss, formatLosses, formatLr, formatMomentum, formatSeconds, modelName, momentumWord } from '../../protocol/format';
import type { MetricColumn } from '../../protocol/metricColumns';
import { formatMetric, metricColumns } from '../../protocol/metricColumns';
import { describeBaseline } from '../../protocol/baselineText';
import { checkTrainRequest, train } from '../experiments/train';
import { OutputFailure } from '../outputs';

export const TRAIN_HELP = commandHelp(
  `Usage: lrlab train <model> [--policy ${SCHEDULE_POLICIES.join('|')}] [schedule options] [--epochs 5] [--json]`,
  `Trains a fresh model from createModel with the schedule (LR and cyclical momentum every batch),
reports train/validation loss and the model's own metrics per epoch, the baseline (the loss of
a model that learned nothing) and a verdict: not-learning, unstable (the max LR is too high), underfitting, overfitting or good.
The schedule's length defaults to epochs × batches per epoch.`,
  [{ title: 'Options:', command: 'train' }],
);

export async function runTrainCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, flagSpec('train'), 'train');
  if (booleanFlag(args, 'help') === true) {
    io.out(TRAIN_HELP);
    return 0;
  }
  const request: TrainRequest = {
    kind: 'train',
    ...commonFieldsFromFlags(args, 'train'),
    ...readOptions(args, ['policy', 'epochs', 'momentum', 'weightDecay', 'dropout', 'valSamples', 'save', 'force']),
    schedule: scheduleOptionsFromArgs(args, readOption(args, 'policy') ?? OPTIONS.policy.default),
  };
  // Before the model loads (its loadData can take a while): the one schedule value with no default
  // (the constant policy's --lr falls back to model.compile's LR).
  const policy = request.policy ?? OPTIONS.policy.default;
  // A missing model file first: "--max-lr is required … find it with lrlab find-lr /no/such.mjs" sent users on.
  const file = args.positionals[0];
  if (file !== undefined) requireModelFile(path.resolve(file));
  // Then the values given: the find-lr command below repeats them, and `--batch-size 0` there failed in turn.
  checkTrainRequest(request);
  if (policy !== 'constant' && request.schedule?.maxLr === undefined) {
    // The same model, data and fit call: the options every command shares, as typed (a script's
    // --fit-line among them), and a script's arguments (a user's hint after `--fit-line 21` dropped it,
    // and find-lr would have tuned the warm-up fit at line 12).
    const same = [...givenFlags(args, COMMON_OPTIONS), ...(args.rest === undefined || args.rest.length === 0 ? [] : ['--', ...args.rest.map(shellWord)])];
    const target = [file === undefined ? '<model>' : shellWord(file), ...same].join(' ');
    throw new OptionError('maxLr', `--max-lr is required for --policy ${policy}: find it with lrlab find-lr ${target} (the recommended max LR), or run lrlab recipe for the whole recipe.`);
  }
  let shown = 0;
  let columns: MetricColumn[] = [];
  // Each epoch's row on stderr as it completes (the header first): the table as it goes. The
  // model names the same metrics every epoch, so the first epoch decides the columns.
  const onPoints = (series: string, points: readonly StreamPoint[], say: (line: string) => void): void => {
    if (series !== 'train') return;
    for (const p of points) {
      const record: EpochRecord = { epoch: p.step, trainLoss: p.loss, valLoss: p.valLoss, valAccuracy: p.valAccuracy, metrics: p.metrics ?? {}, valMetrics: p.valMetrics ?? {}, lr: p.lr, momentum: p.momentum, seconds: p.seconds };
      if (shown++ === 0) {
        columns = metricColumns([record]);
        say(epochHeader(columns));
      }
      say(epochRow(record, columns));
    }
  };
  let result: TrainResult;
  let failure: OutputFailure | null = null;
  try {
    result = await runInterruptible(io, 'train', (ctx) => train(request, ctx), { onPoints, fractionLines: false });
  } catch (error) {
    // Trained, but --save failed: print the result anyway, then the error (exit non-zero).
    if (!(error instanceof OutputFailure) || error.result.kind !== 'train') throw error;
    result = error.result;
    failure = error;
  }
  // On a terminal that shows both streams, the rows are on screen already.
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderTrain(result, { rows: io.sameTerminal !== true || shown === 0, ...(request.epochs === undefined ? {} : { epochs: request.epochs }) }));
  if (failure !== null) throw failure;
  return 0;
}

/** A metric column's width: its title, at least as wide as `97.3%`'s column. */
function metricWidth(column: MetricColumn): number {
  return Math.max(8, column.title.length);
}

/**
 * The table's header for these metric columns: the model's own metrics by its names (`mae`,
 * `val mae`), between the losses and the LR; a regression gets no empty accuracy column.
 */
export function epochHeader(columns: readonly MetricColumn[]): string {
  const metrics = columns.map((c) => ` ${c.title.padStart(metricWidth(c))}`).join('');
  return `  ${'epoch'.padStart(5)} ${'train loss'.padStart(10)} ${'val loss'.padStart(9)}${metrics} ${'LR'.padStart(9)} ${'momentum'.padStart(8)} ${'time'.padStart(9)}`;
}

/** One epoch row of the table (losses as given, or each in its own form when printed alone). */
export function epochRow(h: EpochRecord, columns: readonly MetricColumn[], losses: readonly [string, string] = [formatLoss(h.trainLoss), formatLoss(h.valLoss)]): string {
  const metrics = columns.map((c) => ` ${formatMetric(c.name, c.value(h)).padStart(metricWidth(c))}`).join('');
  return `  ${String(h.epoch).padStart(5)} ${losses[0].padStart(10)} ${losses[1].padStart(9)}${metrics} ${formatLr(h.lr).padStart(9)} ${formatMomentum(h.momentum).padStart(8)} ${formatSeconds(h.seconds).padStart(9)}`;
}

/** The momentum the run's schedule cycles between (its options, else its policy's defaults); `null` where they cannot be read. */
function cycleBounds(result: TrainResult): [number, number] | null {
  try {
    const bounds = momentumBounds(result.policy, result.schedule);
    return bounds === null || !(bounds.max > bounds.base) ? null : [bounds.base, bounds.max];
  } catch {
    return null;
  }
}

/** The run's own settings, one line: batch size, weight decay, the dropout passed, the seed. */
export function describeTrainSettings(s: TrainSettings): string {
  return [`batch size ${s.batchSize}`, `weight decay ${formatWeightDecay(s.weightDecay)}`, ...(s.dropout === null ? [] : [`dropout ${s.dropout}`]), s.seed === null ? 'unseeded' : `seed ${s.seed}`].join(', ');
}

export function renderTrain(result: TrainResult, options: { rows?: boolean; epochs?: number } = {}): string {
  // A run that stopped early (diverged, cancelled) says how many of the epochs asked for it ran.
  const ran = options.epochs !== undefined && result.history.length < options.epochs ? `${result.history.length} of ${formatCount(options.epochs, 'epoch')}` : formatCount(result.history.length, 'epoch');
  const lines = [`Training: ${modelName(result.model)} — ${result.policy}, ${ran}, ${formatSeconds(result.seconds)} on ${result.backend}`];
  if (result.optimizer !== undefined) {
    // The compiled momentum is where a cycling schedule starts from, not what every step used: say so
    // (the header read "momentum 0.9 (model.compile)" above a column going 0.93 → 0.86 → 0.95).
    const momenta = result.history.map((h) => h.momentum).filter((m): m is number => m !== null);
    const cycled = result.optimizer.momentum !== null && momenta.length > 1 && Math.max(...momenta) - Math.min(...momenta) > 1e-6;
    const what = momentumWord(result.optimizer.name);
    // A schedule that holds momentum at another constant (--max-momentum = --base-momentum) used that one,
    // not the compiled value the header names (it read "momentum 0.9 (model.compile)" above a column of 0.95).
    // Read from the schedule, not the epoch-end momenta (one epoch, or cycles that end with the epochs, look constant there).
    const { baseMomentum, maxMomentum } = result.schedule;
    const held = result.optimizer.momentum !== null && baseMomentum !== undefined && baseMomentum === maxMomentum && Math.abs(baseMomentum - result.optimizer.momentum) > 1e-6 ? baseMomentum : null;
    // The cycle's own bounds (the epoch ends do not reach them): "cycles momentum" alone left the 0.95 → 0.85 the flags asked for unsaid.
    const bounds = cycled ? cycleBounds(result) : null;
    const between = bounds === null ? '' : ` between ${formatMomentum(bounds[0])} and ${formatMomentum(bounds[1])} instead`;
    const note = held !== null ? `; the schedule holds ${what} at ${formatMomentum(held)} instead (the momentum column)` : cycled ? `; the ${result.policy} schedule cycles ${what}${between} (the momentum column)` : '';
    // A constant LR given as --max-lr is named by that flag (the schedule keeps which one was given).
    const lrOption = result.policy === 'constant' && result.schedule.lr === undefined && result.schedule.maxLr !== undefined ? 'maxLr' : 'lr';
    lines.push(`${describeOptimizer(result.optimizer, undefined, lrOption)}${note}`);
  }
  if (result.settings !== undefined) lines.push(describeTrainSettings(result.settings));
  if (options.rows !== false) {
    // One form per column: plain, or exponent for all when one value needs it.
    const train = formatLosses(result.history.map((h) => h.trainLoss));
    const val = formatLosses(result.history.map((h) => h.valLoss));
    const columns = metricColumns(result.history);
    lines.push(epochHeader(columns));
    result.history.forEach((h, i) => lines.push(epochRow(h, columns, [train[i]!, val[i]!])));
  }
  const b = result.baseline;
  if (b !== null) lines.push(`  baseline: ${describeBaseline(b)}${b.valLoss === null || formatLoss(b.valLoss) === formatLoss(b.loss) ? '' : ` (validation ${formatLoss(b.valLoss)})`} — the loss of a model that learned nothing`);
  if (result.normStats !== undefined) lines.push(`  ${describeNormStats(result.normStats)}`);
  // The training loss is the data loss; tfjs's own logs add the penalty to it: said where it differs.
  const lastPenalty = result.history.at(-1)?.trainPenalty;
  if (typeof lastPenalty === 'number') lines.push(`  train loss: the data loss, as val loss is; the model's own regularizers added ${formatLoss(lastPenalty)} to what the optimizer minimized in the last epoch`);
  lines.push('', `verdict: ${result.diagnosis.verdict ?? 'none'} — ${result.diagnosis.reason}`);
  if (result.savedTo !== null) lines.push(`saved: ${result.savedTo}`);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}
