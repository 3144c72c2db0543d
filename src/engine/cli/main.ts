/**
 * `lrlab`: the command-line face of the engine. Each command parses its flags, runs the same
 * engine code the extension uses, and prints one result (human text, or one JSON document on
 * `--json`). Failures print one line on stderr and exit non-zero: 2 for bad options, 1 else.
 */
import { LrLabError, formatError, printable } from '../../protocol/errors';
import { toLrLabError } from '../errorMapping';
import type { CliIo } from './io';
import { processIo } from './io';
import { endReporting, takeInterrupted } from './common';
import { runScheduleCommand } from './scheduleCommand';
import { runFindLrCommand } from './findLrCommand';
import { runSweepCommand } from './sweepCommand';
import { runTrainCommand } from './trainCommand';
import { runBatchSizeCommand } from './batchSizeCommand';
import { runRecipeCommand } from './recipeCommand';
import { version } from '../version';
import type * as WorkerCommand from './workerCommand';
import { closest } from '../../protocol/didYouMean';
import { lookAlikeFlag, lookAlikeText } from './args';
import { ownValue } from '../../protocol/own';

export const CLI_HELP = `lrlab ${version} — Leslie Smith's disciplined hyper-parameter recipe for TensorFlow.js models

Usage: lrlab <command> [options]

Commands:
  find-lr <model>     LR range test on your model file, training script (run up to its
                      model.fit call) or tfjs model.json + CSV
  sweep <model>       range tests per weight decay / dropout / momentum, best balance
  train <model>       train with a schedule (1cycle, ...), per-epoch history and verdict
  batch-size <model>  batch sizes compared at equal wall-clock time
  recipe <model>      Smith's recipe end to end within --budget, with a recommendation
  worker --redis URL  run trials that sweep/batch-size/recipe --redis URL queue on Redis
  schedule <policy>   preview a LR/momentum schedule (onecycle, smith, fastai, triangular,
                      triangular2, exp_range, constant)
  help [command]      this list, or a command's options
  version             print the version

Every command: --json prints one JSON document on stdout, progress goes to stderr; errors exit
non-zero with one line. Run 'lrlab help <command>' (or 'lrlab <command> --help') for its options.`;

type Command = (argv: readonly string[], io: CliIo) => number | Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  schedule: runScheduleCommand,
  'find-lr': runFindLrCommand,
  sweep: runSweepCommand,
  train: runTrainCommand,
  'batch-size': runBatchSizeCommand,
  recipe: runRecipeCommand,
  // Loaded on first use, like the submitting side (BullMQ and ioredis).
  worker: (argv, io) => (require('./workerCommand') as typeof WorkerCommand).runWorkerCommand(argv, io),
};

/** "unknown command 'x'", with the closest command when it looks like a typo. */
function unknownCommand(name: string, io: CliIo): number {
  const dashed = lookAlikeFlag(name);
  if (dashed !== undefined) {
    io.err(`lrlab: ${lookAlikeText(name, dashed)}.`);
    return 2;
  }
  const guess = closest(name, Object.keys(COMMANDS));
  io.err(`lrlab: unknown command '${name}'.${guess === undefined ? '' : ` Did you mean \`${guess}\`?`} Commands: ${Object.keys(COMMANDS).join(', ')}. Run 'lrlab help' for the list.`);
  return 2;
}

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    // `--json` is every command's flag, not a help topic ("unknown command '--json'"); help is text either way.
    const topic = rest.find((word) => word !== '--json');
    // `lrlab help find-lr` is `lrlab find-lr --help`: that command's options from the option table.
    if (topic === 'help' || topic === 'version') {
      // Listed in the help as commands; `lrlab help help` read "unknown command".
      io.out(topic === 'help' ? CLI_HELP : 'lrlab version [--json]: prints the version (with --json, as {"name":"lrlab","version":…}).');
      return 0;
    }
    if (topic !== undefined) return ownValue(COMMANDS, topic) === undefined ? unknownCommand(topic, io) : runCli([topic, '--help'], io);
    io.out(CLI_HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === 'version' || name === '--version') {
    // "Every command: --json prints one JSON document on stdout": the version too (it printed a bare 0.1.0).
    io.out(rest.includes('--json') ? JSON.stringify({ name: 'lrlab', version }) : version);
    return 0;
  }
  const command = ownValue(COMMANDS, name);
  if (command === undefined) return unknownCommand(name, io);
  takeInterrupted();
  try {
    const code = await command(rest, io);
    // A Ctrl-C that came while the result was written synchronously (a --plot drawn) is heard now, not dropped.
    await new Promise((resolve) => setImmediate(resolve));
    // Stopped by Ctrl-C (the partial result was printed): 130, whichever command it was.
    return takeInterrupted() && code === 0 ? 130 : code;
  } catch (error) {
    return reportError(error, io);
  } finally {
    endReporting();
  }
}

/** One line for the user; the stack only when LRLAB_DEBUG is set. */
export function reportError(thrown: unknown, io: CliIo): number {
  const error = thrown instanceof LrLabError ? thrown : toLrLabError(thrown);
  if (error.code !== 'internal' || thrown instanceof LrLabError) {
    io.err(`lrlab: ${formatError(error.toData())}`);
    if (process.env['LRLAB_DEBUG'] !== undefined && error.stack !== undefined) io.err(error.stack);
    return error.code === 'bad-option' ? 2 : error.code === 'cancelled' ? 130 : 1;
  }
  io.err(`lrlab: internal error: ${printable(error.message)} (set LRLAB_DEBUG=1 for details, and please report it)`);
  if (process.env['LRLAB_DEBUG'] !== undefined && thrown instanceof Error && thrown.stack !== undefined) io.err(thrown.stack);
  return 1;
}
