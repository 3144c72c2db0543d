/**
 * `lrlab find-lr <model> [options] [--json] [--plot out.png|out.html]`: the LR range test on the
 * user's own model. Progress bar on stderr when it is a terminal; Ctrl-C stops within one batch
 * and still prints what was measured.
 */
import path from 'node:path';
import type { FindLrRequest } from '../../protocol/requests';
import { BACKEND_CHOICES, OPTIMIZER_NAMES } from '../../protocol/results';
import { OptionError } from '../../protocol/errors';
import type { CliIo } from './io';
import type { FlagSpec, ParsedArgs } from './args';
import { booleanFlag, choiceFlag, integerFlag, numberFlag, parseFlags, stringFlag } from './args';
import { formatLr, sketch } from './terminal';
import { findLr } from '../experiments/findLr';
import { cliReporter } from './progressBar';
import { writePlot } from '../plot';
import type { Reporter } from '../reporter';
import type { FindLrResult } from '../../protocol/results';
import { describeBaseline } from '../../protocol/baselineText';

/** Flags every model command takes. */
export const COMMON_FLAGS: FlagSpec = {
  data: { type: 'string' },
  label: { type: 'string' },
  workspace: { type: 'string' },
  backend: { type: 'string' },
  seed: { type: 'string' },
  optimizer: { type: 'string' },
  'batch-size': { type: 'string' },
  'validation-split': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** The range-test flags (find-lr and sweep). */
export const RANGE_FLAGS: FlagSpec = {
  'start-lr': { type: 'string' },
  'end-lr': { type: 'string' },
  steps: { type: 'string' },
  sweep: { type: 'string' },
  signal: { type: 'string' },
  smoothing: { type: 'string' },
  diverge: { type: 'string' },
  'val-samples': { type: 'string' },
};

export const FIND_LR_FLAGS: FlagSpec = {
  ...COMMON_FLAGS,
  ...RANGE_FLAGS,
  momentum: { type: 'string' },
  'weight-decay': { type: 'string' },
  wd: { type: 'string' },
  dropout: { type: 'string' },
  plot: { type: 'string' },
};

export const FIND_LR_HELP = `Usage: lrlab find-lr <model.ts|model.js|model.json> [options] [--json] [--plot out.png|out.html]

Runs Smith's LR range test on your model: trains from fresh weights while the LR grows every
batch, records the loss, stops when it diverges, and suggests learning rates with reasons.
Your model file is never changed.
  --start-lr X        first LR (1e-7)              --end-lr X        last LR (10)
  --steps N           iterations (100)             --sweep exp|linear (exp)
  --signal train|val  batch loss, or validation loss on a fixed subset (train)
  --smoothing B       EMA beta (0.98)              --diverge K       stop at K x best loss (4)
  --optimizer sgd|nesterov|adam|adamw (your model.compile's, else sgd)
  --momentum M        SGD momentum / Adam beta1 (0.9)
  --weight-decay W    (alias --wd) PyTorch-style weight decay on kernels (0)
  --batch-size N      (64)                         --dropout P       passed to createModel
  --validation-split F  held out when loadData() has no validation split (0.2)
  --data file.csv --label column   for a tfjs model.json
  --backend auto|tensorflow|wasm|cpu (auto)        --seed N          repeatable runs
  --json              one JSON document on stdout  --plot F          write a .png or .html plot`;

export function optionalNumber(target: Record<string, unknown>, key: string, value: number | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** The model source and the common options of a model command, as request fields. */
export function commonRequestFields(args: ParsedArgs, command: string): Record<string, unknown> {
  const [model, ...extra] = args.positionals;
  if (model === undefined) throw new OptionError('model', `lrlab ${command} needs a model file: a .ts/.js file exporting createModel and loadData, or a tfjs model.json with --data and --label.`);
  if (extra.length > 0) throw new OptionError('model', `Unexpected argument '${extra[0] ?? ''}': give one model file.`);
  const request: Record<string, unknown> = { model: path.resolve(model) };
  const data = stringFlag(args, 'data');
  if (data !== undefined) request['data'] = path.resolve(data);
  const label = stringFlag(args, 'label');
  if (label !== undefined) request['label'] = label;
  const workspace = stringFlag(args, 'workspace');
  if (workspace !== undefined) request['workspace'] = path.resolve(workspace);
  const backend = choiceFlag(args, 'backend', BACKEND_CHOICES);
  if (backend !== undefined) request['backend'] = backend;
  const optimizer = choiceFlag(args, 'optimizer', OPTIMIZER_NAMES);
  if (optimizer !== undefined) request['optimizer'] = optimizer;
  optionalNumber(request, 'seed', integerFlag(args, 'seed'));
  optionalNumber(request, 'batchSize', integerFlag(args, 'batch-size'));
  optionalNumber(request, 'validationSplit', numberFlag(args, 'validation-split'));
  return request;
}

/** The range-test options (find-lr and sweep), as request fields. */
export function rangeRequestFields(args: ParsedArgs, request: Record<string, unknown>): void {
  const sweep = choiceFlag(args, 'sweep', ['exp', 'linear'] as const);
  if (sweep !== undefined) request['sweep'] = sweep;
  const signal = choiceFlag(args, 'signal', ['train', 'val'] as const);
  if (signal !== undefined) request['signal'] = signal;
  optionalNumber(request, 'startLr', numberFlag(args, 'start-lr'));
  optionalNumber(request, 'endLr', numberFlag(args, 'end-lr'));
  optionalNumber(request, 'steps', integerFlag(args, 'steps'));
  optionalNumber(request, 'smoothing', numberFlag(args, 'smoothing'));
  optionalNumber(request, 'diverge', numberFlag(args, 'diverge'));
  optionalNumber(request, 'valSamples', integerFlag(args, 'val-samples'));
}

export function findLrRequestFromArgs(args: ParsedArgs): FindLrRequest {
  const request = { kind: 'find-lr', ...commonRequestFields(args, 'find-lr') };
  rangeRequestFields(args, request);
  optionalNumber(request, 'momentum', numberFlag(args, 'momentum'));
  optionalNumber(request, 'weightDecay', numberFlag(args, 'weight-decay') ?? numberFlag(args, 'wd'));
  optionalNumber(request, 'dropout', numberFlag(args, 'dropout'));
  return request as unknown as FindLrRequest;
}

export async function runFindLrCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, FIND_LR_FLAGS);
  if (booleanFlag(args, 'help') === true) {
    io.out(FIND_LR_HELP);
    return 0;
  }
  const request = findLrRequestFromArgs(args);
  const plot = stringFlag(args, 'plot');
  if (plot !== undefined && !/\.(png|html?)$/i.test(plot)) throw new OptionError('plot', `--plot must end in .png or .html, got '${plot}'.`);

  const result = await runInterruptible(io, 'find-lr', (ctx) => findLr(request, ctx));
  if (plot !== undefined) writePlot(path.resolve(plot), result);
  if (booleanFlag(args, 'json') === true) io.out(JSON.stringify(result));
  else io.out(renderFindLr(result, plot));
  return result.stopReason === 'cancelled' ? 130 : 0;
}

/**
 * Runs an experiment with the CLI's reporter; the first Ctrl-C stops after the current batch
 * (the experiment still returns what it measured), a second quits at once.
 */
export async function runInterruptible<T>(io: CliIo, runId: string, work: (ctx: { reporter: Reporter; signal: AbortSignal }) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    io.err('\nlrlab: stopping after this batch (Ctrl-C again to quit now)…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const { reporter, done } = cliReporter(io, runId);
  try {
    return await work({ reporter, signal: controller.signal });
  } finally {
    done();
    process.off('SIGINT', onSigint);
  }
}

export function renderFindLr(result: FindLrResult, plot: string | undefined): string {
  const smoothed = result.points.map((p) => p.smoothed ?? Number.NaN);
  // Clip the final blow-up so the part that matters fills the sketch.
  const finite = smoothed.filter((v) => Number.isFinite(v));
  const low = Math.min(...finite);
  const top = low + ((finite[0] ?? low) - low) * 1.6;
  const clipped = finite.length > 0 && top > low ? smoothed.map((v) => Math.min(v, top)) : smoothed;
  const lines = [
    `LR range test: ${path.basename(result.model)} — ${result.points.length} steps, ${formatLr(result.settings.startLr)} → ${formatLr(result.points.at(-1)?.lr ?? null)}, ${result.seconds.toFixed(1)} s on ${result.backend}${(result.backendThreads ?? 1) > 1 ? ` (${result.backendThreads} threads)` : ''}`,
  ];
  if (result.backendNote !== null) lines.push(`note: ${result.backendNote}`);
  lines.push(`stopped: ${describeStop(result)}`);
  if (result.baseline !== null) lines.push(`baseline: ${describeBaseline(result.baseline)} (the loss of a model that learned nothing)`);
  lines.push('smoothed loss (left: low LR, right: high LR):');
  lines.push(sketch(clipped, { height: 10, format: (v) => v.toPrecision(3) }));
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
