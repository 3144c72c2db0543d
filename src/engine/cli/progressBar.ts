/**
 * The CLI's reporter: a progress bar on stderr when it is a terminal (cli-progress), otherwise
 * phase changes only, as plain lines, so logs stay readable in CI and pipes.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { CliIo } from './io';
import { Reporter } from '../reporter';

export function cliReporter(io: CliIo, runId: string): { reporter: Reporter; done: () => void } {
  let bar: SingleBar | null = null;
  let lastPhase = '';
  const reporter = new Reporter(runId, {
    progress: (p) => {
      if (p.phase !== lastPhase) {
        lastPhase = p.phase;
        if (bar !== null) {
          bar.stop();
          bar = null;
        }
        if (!io.interactive) io.err(`lrlab: ${p.message}`);
      }
      if (io.interactive && p.fraction !== null) {
        if (bar === null) {
          bar = new SingleBar({ format: '{phase} [{bar}] {percentage}% | {message}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
          bar.start(1000, 0, { phase: p.phase, message: p.message });
        }
        bar.update(Math.round(p.fraction * 1000), { phase: p.phase, message: p.message });
      }
    },
    append: () => undefined,
    log: (level, message) => {
      if (level === 'warn' || level === 'error') io.err(`lrlab: ${message}`);
      else if (process.env['LRLAB_DEBUG'] !== undefined) io.err(`lrlab: ${message}`);
    },
  });
  return {
    reporter,
    done: () => {
      if (bar !== null) bar.stop();
    },
  };
}
