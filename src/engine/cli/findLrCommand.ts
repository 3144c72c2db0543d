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
import { plot } from 'asciichart';
import { formatLr } from '../../protocol/format';
import type { MarkerName } from '../../protocol/rangeView';
import { distinctTickLabels, markerCurve, rangeMarkers, recommendedOf } from '../../protocol/rangeView';
import { sampleEvenly } from './terminal';
import { findLr } from '../experiments/findLr';
import { cliReporter } from './progressBar';
import { writePlot } from '../plot';
import type { Reporter } from '../reporter';
import type { FindLrResult } from '../../protocol/results';

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

/** Letters under the terminal sketch: the headline is `R`, alternatives their initial. */
const MARKER_LETTER: Readonly<Record<MarkerName, string>> = { recommended: 'R', valley: 'v', steep: 's', minimum: 'm' };

/**
 * The fitted (lag-free) curve the advice is read from, with a marker row under it (`R` the
 * headline; coinciding markers share one column, the headline's letter wins) and loss labels
 * that never repeat. The blow-up at the end is clipped so the part that matters fills it.
 */
export function sketchRangeTest(result: FindLrResult, width = 60, height = 10): string[] {
  const curve = markerCurve(result);
  const finite = curve.filter((p) => Number.isFinite(p.loss));
  if (finite.length < 2) return ['(not enough points to draw)'];
  const sampled = sampleEvenly(finite, width);
  const low = Math.min(...sampled.map((p) => p.loss));
  const top = low + Math.max(1e-12, sampled[0]!.loss - low) * 1.6;
  const values = sampled.map((p) => Math.min(p.loss, top));
  const max = Math.max(...values);
  const range = max - low;
  const ratio = range !== 0 ? height / range : 1;
  const rows = Math.abs(Math.round(max * ratio) - Math.round(low * ratio));
  const labels = distinctTickLabels(Array.from({ length: rows + 1 }, (_, k) => (rows > 0 ? max - (k * range) / rows : low))).map((l) => l.padStart(9));
  const chart = plot(values, { height, format: (_v, k) => labels[k] ?? '' });
  const marks = Array.from({ length: values.length }, () => ' ');
  for (const m of rangeMarkers(result)) {
    let at = 0;
    sampled.forEach((p, k) => {
      if (Math.abs(Math.log(p.lr / m.lr)) < Math.abs(Math.log(sampled[at]!.lr / m.lr))) at = k;
    });
    if (marks[at] === ' ' || m.headline) marks[at] = MARKER_LETTER[m.names[0]!];
  }
  const axis = `${formatLr(sampled[0]!.lr)}`.padEnd(values.length - 2) + formatLr(sampled.at(-1)!.lr);
  return [chart, `${' '.repeat(10)}${marks.join('').trimEnd()}`, `${' '.repeat(10)}${axis}`];
}

export function renderFindLr(result: FindLrResult, plotFile: string | undefined): string {
  const headline = recommendedOf(result);
  const lines = [
    headline === null
      ? `No recommended LR: ${result.reasons.range}`
      : `Recommended max LR ${formatLr(headline.maxLr)} (min ${formatLr(headline.minLr)}): ${headline.reason}`,
    `LR range test: ${path.basename(result.model)} — ${result.points.length} steps, ${formatLr(result.settings.startLr)} → ${formatLr(result.points.at(-1)?.lr ?? null)}, ${result.seconds.toFixed(1)} s on ${result.backend}${(result.backendThreads ?? 1) > 1 ? ` (${result.backendThreads} threads)` : ''}`,
  ];
  if (result.backendNote !== null) lines.push(`note: ${result.backendNote}`);
  lines.push(`stopped: ${describeStop(result)}`);
  lines.push('fitted loss, the curve the advice is read from (left: low LR, right: high LR; R = recommended, v/s/m = valley/steep/minimum):');
  lines.push(...sketchRangeTest(result));
  lines.push('');
  lines.push('alternatives (other rules, for comparison):');
  for (const name of ['valley', 'steep', 'minimum'] as const) {
    lines.push(`  ${name.padEnd(8)} ${formatLr(result.suggestions[name]).padStart(9)}   ${result.reasons[name]}`);
  }
  const range = result.range === null ? '—' : `${formatLr(result.range.minLr)} – ${formatLr(result.range.maxLr)}`;
  lines.push(`  Smith's range ${range}   ${result.reasons.range}`);
  if (headline !== null) {
    lines.push('');
    lines.push(`1cycle: lrlab schedule smith --max-lr ${formatLr(headline.maxLr)} --min-lr ${formatLr(headline.minLr)} --total-steps <batches × epochs>`);
  }
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  if (plotFile !== undefined) lines.push(`plot: ${plotFile}`);
  return lines.join('\n');
}

function describeStop(result: FindLrResult): string {
  switch (result.stopReason) {
    case 'completed':
      return 'reached --end-lr without diverging (raise --end-lr to see where it blows up)';
    case 'diverged':
      return `loss diverged at LR ${formatLr(result.divergedAt)}`;
    case 'non-finite':
      return `loss became NaN/Inf at LR ${formatLr(result.divergedAt)}`;
    case 'cancelled':
      return 'cancelled; suggestions use the points measured so far';
  }
}
