/**
 * The CLI's reporter, everything on stderr (stdout stays the result). On a terminal: a progress
 * bar (cli-progress), with each completed epoch / size / step printed above it as it completes.
 * Without a terminal (CI, pipes): the same completion lines, each phase change, and at most one
 * line per tenth of a phase's progress, so a log shows the run moving without a bar's redraws.
 */
import type * as CliProgress from 'cli-progress';
import type { SingleBar } from 'cli-progress';
import type { CliIo } from './io';
import { Reporter } from '../reporter';
import type { StreamPoint } from '../../protocol/progress';
import { WAITING_PHASE } from '../../protocol/progress';
import { printable } from '../../protocol/errors';

export interface CliReporterOptions {
  /** Points the command shows as they arrive (train: its epoch rows), by series. */
  readonly onPoints?: (series: string, points: readonly StreamPoint[], say: (line: string) => void) => void;
  /** Whether a pipe gets a line per tenth of a phase's progress (off where every unit is printed anyway). */
  readonly fractionLines?: boolean;
}

/** Progress lines without a terminal: one per this share of a phase. */
const LINE_FRACTION = 0.1;

/**
 * Without a terminal, a progress line at least this often while a phase runs (`LRLAB_QUIET_LINE_MS`:
 * tests): a 1-epoch `train` on 60,000 images printed its header, then nothing for minutes until the
 * epoch's row, and a recipe's confirming run one line in two minutes.
 */
function quietLineMs(): number {
  const given = Number(process.env['LRLAB_QUIET_LINE_MS']);
  return Number.isFinite(given) && given > 0 ? given : 15_000;
}

let lastMessage: string | null = null;
/** The last progress message of this process's CLI run ("Running loadData()"): what a run that never finished was doing. */
export function lastProgressMessage(): string | null {
  return lastMessage;
}

export function cliReporter(io: CliIo, runId: string, options: CliReporterOptions = {}): { reporter: Reporter; done: () => void } {
  let bar: SingleBar | null = null;
  let lastPhase = '';
  let nextFraction = LINE_FRACTION;
  const quietMs = quietLineMs();
  let saidAt = performance.now();
  /** One line on stderr; above the bar on a terminal (cleared, written, redrawn). */
  const say = (line: string): void => {
    if (bar !== null) process.stderr.write('\r\x1b[2K');
    saidAt = performance.now();
    io.err(line);
    if (bar !== null) bar.render();
  };
  const reporter = new Reporter(runId, {
    progress: (given) => {
      // File names and labels from the user's files: a name holding a newline and an escape sequence was written raw.
      const p = { ...given, message: printable(given.message) };
      // "Still waiting for loadData()…": a line each, on a terminal too; the run is still in the phase it was.
      if (p.phase === WAITING_PHASE) {
        say(`lrlab: ${p.message}.`);
        return;
      }
      lastMessage = p.message;
      if (p.phase !== lastPhase) {
        lastPhase = p.phase;
        nextFraction = LINE_FRACTION;
        if (bar !== null) {
          bar.stop();
          bar = null;
        }
        if (!io.interactive) say(`lrlab: ${p.message}`);
      } else if (!io.interactive && options.fractionLines !== false && p.fraction !== null && p.fraction >= nextFraction && p.fraction < 1) {
        say(`lrlab: ${Math.floor(p.fraction * 100)}% ${p.message}`);
        nextFraction = (Math.floor(p.fraction / LINE_FRACTION) + 1) * LINE_FRACTION;
      } else if (!io.interactive && performance.now() - saidAt >= quietMs) {
        // The message alone: a recipe's studies fill the run's bar early, and its later steps' lines all read "97%".
        say(`lrlab: ${p.message}`);
      }
      if (io.interactive && p.fraction !== null) {
        if (bar === null) {
          // Required here, on a terminal only: every engine start loaded it at the bundle's top level (3 ms of a cached start's main thread).
          const { SingleBar: Bar, Presets } = require('cli-progress') as typeof CliProgress;
          bar = new Bar({ format: '{phase} [{bar}] {percentage}% | {message}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
          bar.start(1000, 0, { phase: p.phase, message: p.message });
        }
        bar.update(Math.round(p.fraction * 1000), { phase: p.phase, message: p.message });
      }
    },
    append: (a) => options.onPoints?.(a.series, a.points, say),
    log: (level, raw) => {
      const message = raw.split('\n').map(printable).join('\n');
      // info: what just completed (a size, a step, a range test); debug and trace only for developers.
      if (level === 'warn' || level === 'error' || level === 'info') say(`lrlab: ${message}`);
      else if (process.env['LRLAB_DEBUG'] !== undefined) say(`lrlab: ${message}`);
    },
  });
  return {
    reporter,
    done: () => {
      reporter.flush();
      if (bar !== null) bar.stop();
    },
  };
}
