/**
 * What every model command of the CLI shares: the common flags (model source, backend, seed,
 * optimizer, batch size, output), turning them into request fields, and running an experiment
 * with a progress bar and Ctrl-C handling.
 */
import path from 'node:path';
import { BACKEND_CHOICES, OPTIMIZER_NAMES } from '../../protocol/results';
import { OptionError } from '../../protocol/errors';
import type { CliIo } from './io';
import type { FlagSpec, ParsedArgs } from './args';
import { choiceFlag, integerFlag, numberFlag, stringFlag } from './args';
import { cliReporter } from './progressBar';
import type { Reporter } from '../reporter';

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
