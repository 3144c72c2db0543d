/**
 * What every model command of the CLI shares: the model source and common options as request
 * fields, and running an experiment with a progress bar and Ctrl-C handling.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CommonRunOptions } from '../../protocol/requests';
import type { CommandName } from '../../protocol/options';
import { OptionError } from '../../protocol/errors';
import type { CliIo } from './io';
import type { OptionName } from '../../protocol/options';
import { flagFor, flagsOf } from '../../protocol/options';
import type { ParsedArgs } from './args';
import { readOptions } from './args';
import { MODEL_ARGUMENT_FORMS, modelFileNotFound } from '../modelFile';
import type { CliReporterOptions } from './progressBar';
import { cliReporter } from './progressBar';
import type { Reporter } from '../reporter';

/** The options every model command takes besides the model file (`commonFieldsFromFlags` reads them). */
export const COMMON_OPTIONS = ['data', 'label', 'workspace', 'backend', 'seed', 'optimizer', 'beta2', 'epsilon', 'batchSize', 'validationSplit', 'fitTimeout', 'fitLine'] as const satisfies readonly OptionName[];

/** The model file (the one positional argument) and the options every model command takes, as request fields. */
export function commonFieldsFromFlags(args: ParsedArgs, command: CommandName): Omit<CommonRunOptions, 'momentum' | 'weightDecay' | 'dropout' | 'sources'> {
  const [model, ...extra] = args.positionals;
  // An empty argument ("" from an unset shell variable) resolved to the current folder and read "…/main is not a JS/TS model file".
  if (model === undefined || model.trim() === '') throw new OptionError('model', `lrlab ${command} needs a model file${model === undefined ? '' : ' (the one given is an empty string)'}: ${MODEL_ARGUMENT_FORMS}.`);
  if (extra.length > 0) throw new OptionError('model', `Unexpected argument '${extra[0] ?? ''}': give one model file.`);
  return { model: path.resolve(model), ...readOptions(args, COMMON_OPTIONS), ...(args.rest === undefined ? {} : { scriptArgs: args.rest }) };
}

/**
 * A model file that does not exist, said before what else the command lacks (train's --max-lr, the
 * studies' --budget): "--budget is required" first sent users back one error at a time.
 */
export function requireModelFile(absolute: string): void {
  if (!existsSync(absolute)) throw modelFileNotFound(absolute);
}

/** A word for a POSIX shell: as it is when it is safe there, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * Options of `names` the user gave on this command line, as they typed the values (paths too, so a
 * printed command runs from the same folder), under each option's flag, ready to paste.
 */
export function givenFlags(args: ParsedArgs, names: readonly OptionName[]): string[] {
  const words: string[] = [];
  for (const name of names) {
    const flag = flagsOf(name).find((f) => args.values[f] !== undefined);
    const raw = flag === undefined ? undefined : args.values[flag];
    if (raw === undefined || raw === false) continue;
    words.push(raw === true ? flagFor(name) : `${flagFor(name)} ${shellWord(raw)}`);
  }
  return words;
}

/** `{ [key]: value }` when the value was given, else `{}`: an optional request field under exactOptionalPropertyTypes. */
export function ifGiven<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  const out: { [P in K]?: V } = {};
  if (value !== undefined) out[key] = value;
  return out;
}

/** Whether a Ctrl-C stopped a run of this command: it then exits 130 like any interrupted program (`runCli`). */
let interrupted = false;

export function takeInterrupted(): boolean {
  const was = interrupted;
  interrupted = false;
  return was;
}

/**
 * Runs an experiment with the CLI's reporter; the first Ctrl-C stops after the current batch
 * (the experiment still returns what it measured, and the command exits 130), a second quits at
 * once. While the user's own code runs there is no listener (userCode.ts): Ctrl-C ends the
 * process at once even if that code blocks the event loop.
 */
export async function runInterruptible<T>(io: CliIo, runId: string, work: (ctx: { reporter: Reporter; signal: AbortSignal }) => Promise<T>, options: CliReporterOptions = {}): Promise<T> {
  endReporting();
  const controller = new AbortController();
  // "After this batch" once training has streamed a point; before (a training script still on its way
  // to fit, data loading), there is no batch to finish.
  let training = false;
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    io.err(`\nlrlab: stopping${training ? ' after this batch' : ''} (Ctrl-C again to quit now)…`);
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const { reporter, done } = cliReporter(io, runId, {
    ...options,
    onPoints: (series, points, say) => {
      training = true;
      options.onPoints?.(series, points, say);
    },
  });
  try {
    return await work({ reporter, signal: controller.signal });
  } finally {
    done();
    process.off('SIGINT', onSigint);
    holdWhileReporting(io);
  }
}

/** Takes off the Ctrl-C handler of `holdWhileReporting`, if one is on. */
let releaseHold: (() => void) | null = null;

/**
 * After a run, until its command has printed and written what it ran (`endReporting`, which `runCli`
 * calls): a first Ctrl-C is noted (the command then exits 130) and the result still comes out; a
 * second quits at once. With no listener, a Ctrl-C while find-lr drew its --plot killed the process
 * and the finished run's result was never printed (its plot's lock file left behind).
 */
function holdWhileReporting(io: CliIo): void {
  if (releaseHold !== null) return;
  let pressed = false;
  const onSigint = (): void => {
    if (pressed) process.exit(130);
    pressed = true;
    interrupted = true;
    io.err('\nlrlab: the run has ended; writing its result first (Ctrl-C again to quit now)…');
  };
  process.on('SIGINT', onSigint);
  releaseHold = () => process.off('SIGINT', onSigint);
}

/** The command has reported: Ctrl-C is the process's own again (`holdWhileReporting`). */
export function endReporting(): void {
  releaseHold?.();
  releaseHold = null;
}
