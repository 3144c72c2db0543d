/**
 * `lrlab worker --redis <url> [--concurrency N] [--backend …]`: runs trials from the queue until
 * stopped. With `--concurrency N` it starts N worker processes (a trial seeds the process's
 * random generator, so two trials never share a process), each with its share of the CPUs as
 * wasm threads, and forwards Ctrl-C to them.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import { OptionError } from '../../protocol/errors';
import { OPTIONS } from '../../protocol/options';
import { checkNumberOption } from '../../protocol/optionRules';
import { probeRedis } from '../distributed/connection';
import type { BackendChoice } from '../../protocol/results';
import { engineArgs } from '../childRun';
import type { RedisUrl } from '../distributed/redisUrl';
import { REDIS_URL_ENV, parseRedisUrl, unauthenticatedRemote } from '../distributed/redisUrl';
import type { StopMode } from '../distributed/worker';
import { TrialWorker } from '../distributed/worker';
import type { CliIo } from './io';
import { booleanFlag, flagSpec, parseFlags, readOption } from './args';
import { commandHelp } from './help';
import { exitForSignal } from './ownExit';

export const WORKER_HELP = commandHelp(
  'Usage: lrlab worker --redis <url> [--concurrency N] [--backend auto|tensorflow|wasm|cpu]',
  `Runs the trials that 'lrlab sweep|batch-size|recipe --redis <url>' (or the editor, with the
lrlab.redisUrl setting) queue on Redis, until stopped. Ctrl-C stops after the current trial;
Ctrl-C again hands it back to the queue for another worker. ${REDIS_URL_ENV} can carry the URL
instead of --redis (it keeps a password out of the process list). Data that loadData() reads from
disk must exist at the same path as on the machine that starts the run; npm packages with native
code must be installed where the model's path finds them.`,
  [{ title: 'Options:', command: 'worker' }],
);

export async function runWorkerCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, flagSpec('worker'), 'worker');
  if (booleanFlag(args, 'help') === true) {
    io.out(WORKER_HELP);
    return 0;
  }
  const flag = readOption(args, 'redis');
  const raw = flag ?? process.env[REDIS_URL_ENV];
  if (raw === undefined || raw.trim() === '') throw new OptionError('redis', `lrlab worker needs --redis <url> (or ${REDIS_URL_ENV}): the Redis that runs put their trials on.`, 'For a Redis on this machine: lrlab worker --redis redis://127.0.0.1:6379.');
  const url = parseRedisUrl(raw, flag === undefined ? REDIS_URL_ENV : '--redis');
  const refused = unauthenticatedRemote(url);
  if (refused !== null) throw new OptionError('redis', refused);
  // Its range too (readOption checks the form only): `--concurrency 1000` started 1,000 processes, and 0 or -5 ran one.
  const concurrency = checkNumberOption('concurrency', readOption(args, 'concurrency') ?? OPTIONS.concurrency.default);
  const backend = readOption(args, 'backend') ?? OPTIONS.backend.default;
  if (concurrency > 1) {
    // One unreachable Redis is one error, before any worker process starts (each printed its own).
    await probeRedis(url);
    return supervise(url, concurrency, backend, io);
  }
  return runOne(url, backend, io);
}

/** Signals the supervisor passes on to its worker processes. */
const SIGNALS_TO_FORWARD = ['SIGINT', 'SIGTERM'] as const;

async function runOne(url: RedisUrl, backend: BackendChoice, io: CliIo): Promise<number> {
  // The handlers go in before the worker starts: a Ctrl-C that lands while it connects, or just as it
  // says it takes trials, stops it like any other (Node's default would kill it with exit 130).
  let worker: TrialWorker | null = null;
  let pending: StopMode | null = null;
  let interrupts = 0;
  const stop = (mode: StopMode): void => {
    if (worker !== null) void worker.stop(mode);
    else if (pending !== 'hand-back') pending = mode;
  };
  const onSigint = (): void => {
    interrupts++;
    if (worker === null) {
      if (interrupts > 1) exitForSignal(130); // still starting: no trial to hand back
      io.err(`lrlab worker ${os.hostname()}:${process.pid}: stopping as soon as it has started (Ctrl-C again to quit now)…`);
    } else if (interrupts === 1) io.err(`lrlab worker ${worker.info.id}: stopping after the current trial (Ctrl-C again to hand it back to the queue now)…`);
    stop(interrupts === 1 ? 'finish' : 'hand-back');
  };
  const onSigterm = (): void => {
    if (worker === null) {
      // Still starting: no trial to hand back. Said, and as LR Lab's own exit (it read "the model file … called process.exit(143)").
      io.err(`lrlab worker ${os.hostname()}:${process.pid}: stopped (SIGTERM) before it took a trial.`);
      exitForSignal(143);
    }
    io.err(`lrlab worker ${worker.info.id}: stopping (SIGTERM): its trial, if any, goes back to the queue.`);
    stop('hand-back');
  };
  // Started by a supervisor: when it goes away, so does this worker (handing its trial back).
  const onDisconnect = (): void => stop('hand-back');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('disconnect', onDisconnect);
  try {
    const started = await TrialWorker.start(url, backend, (line) => io.err(line));
    worker = started;
    if (pending !== null) void started.stop(pending);
    return await started.exited;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('disconnect', onDisconnect);
  }
}

/** A worker process killed by a signal the supervisor did not forward (SIGKILL, the OOM killer) is started again, this many times per slot. */
const MAX_RESTARTS = 3;

async function supervise(url: RedisUrl, concurrency: number, backend: BackendChoice, io: CliIo): Promise<number> {
  const threads = process.env['LRLAB_WASM_THREADS'] ?? String(Math.max(1, Math.floor(os.cpus().length / 2 / concurrency)));
  const start = (): ChildProcess =>
    spawn(process.execPath, [...engineArgs(), 'worker', '--concurrency', '1', '--backend', backend], {
      // The URL travels in the environment, not the command line (a password would show in ps).
      env: { ...process.env, LRLAB_ENGINE: 'cli', [REDIS_URL_ENV]: url.raw, LRLAB_WASM_THREADS: threads },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Its own process group: a terminal's Ctrl-C reaches the supervisor only, which forwards it once.
      detached: true,
    });
  const children: ChildProcess[] = Array.from({ length: concurrency }, start);
  const forwarding = forwardSignals(children);
  io.err(`lrlab worker: ${concurrency} worker processes (pids ${children.map((c) => c.pid).join(', ')}), ${threads} wasm thread${threads === '1' ? '' : 's'} each`);
  const running = (): number => children.filter((c) => c.exitCode === null && c.signalCode === null).length;
  /**
   * One slot's worker processes until one ends for good, said as it happens: a worker process that
   * died (a user's `kill -9` of one of two) left the supervisor at half its capacity, and when the
   * second died it exited 137 with nothing printed. One killed by a signal not forwarded is started
   * again (up to MAX_RESTARTS); one that exits (Redis gone, a fault it reported) is not.
   */
  const slot = async (k: number): Promise<number> => {
    for (let restarts = 0; ; restarts++) {
      const child = children[k]!;
      const code = await new Promise<number>((resolve) => {
        child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128 + (os.constants.signals[signal] ?? 0))));
        child.once('error', (error) => {
          io.err(`lrlab worker: a worker process did not start: ${error.message}`);
          resolve(1);
        });
      });
      if (forwarding.stopping() || code === 0) return code;
      const killed = child.signalCode !== null;
      const how = killed ? `was killed (${child.signalCode})` : `exited with code ${code}`;
      if (killed && restarts < MAX_RESTARTS) {
        const next = start();
        children[k] = next;
        io.err(`lrlab worker: worker process ${child.pid} ${how}; started another (pid ${next.pid}), ${running()} of ${concurrency} running`);
        continue;
      }
      io.err(`lrlab worker: worker process ${child.pid} ${how}${killed ? `, its ${MAX_RESTARTS} restarts spent` : ''}; ${running()} of ${concurrency} still running`);
      return code;
    }
  };
  try {
    const codes = await Promise.all(children.map((_, k) => slot(k)));
    return Math.max(0, ...codes);
  } finally {
    forwarding.stop();
  }
}

/** Forwards Ctrl-C / SIGTERM from the supervisor to its worker processes while they run (`children` as they are then: restarted ones too). */
function forwardSignals(children: readonly ChildProcess[]): { readonly stop: () => void; readonly stopping: () => boolean } {
  let forwarded = false;
  const handlers = SIGNALS_TO_FORWARD.map((signal) => {
    const handler = (): void => {
      forwarded = true;
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    stop: () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
    stopping: () => forwarded,
  };
}
