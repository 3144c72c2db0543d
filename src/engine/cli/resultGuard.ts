/**
 * `dist/resultGuard.js`: stdout is only the result, even against what user code writes to file
 * descriptor 1 itself. The CLI points `console.log` and `process.stdout.write` at stderr, but a
 * model file or script that writes to the descriptor directly — `fs.writeSync(1, …)`, as pino-style
 * loggers do, or a child process started with `stdio: 'inherit'` — put its lines in front of the
 * `--json` document, and a JavaScript process cannot point its descriptor 1 elsewhere (no `dup2`).
 *
 * So where a command runs user code with `--json` and stdout is not a terminal (a pipe or a file: what
 * a program reads), `bin/lrlab` starts the CLI as a child whose descriptor 1 is this process's stderr; the
 * child writes its result to descriptor 3 (a socket to this process, `LRLAB_RESULT_FD`), and this
 * process copies it to its own stdout, then exits as the child did (its code, or its signal).
 *
 * The child leads a process group of its own, so each signal reaches it once, from here: Ctrl-C on
 * a terminal reaches this process (the terminal's foreground group) and is passed on, as are SIGTERM
 * and SIGHUP — in one group, a terminal's Ctrl-C would have reached the child twice, and a second
 * Ctrl-C quits at once. The child also ends when this process is gone: EOF on descriptor 3 is a
 * cancel, as SIGTERM is, and a watchdog kills its group even while user code blocks its event loop
 * (`watchdog.ts`). A child of another group that reads a terminal would stop (SIGTTIN), so a terminal
 * stdin is not passed on.
 *
 * Node built-ins only: this runs before the engine bundle, which it exists to keep out of the way.
 */
import { spawn } from 'node:child_process';
import { fstatSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import tty from 'node:tty';

/** Set for the child: the descriptor its result goes to. */
export const RESULT_FD_ENV = 'LRLAB_RESULT_FD';
export const RESULT_FD = 3;
/** How long the result may still arrive after the child exited without ending its side. */
const LATE_RESULT_MS = 1000;

/** The commands that run user code (model files, scripts): the others write nothing of the user's. */
const USER_CODE_COMMANDS: ReadonlySet<string> = new Set(['find-lr', 'sweep', 'train', 'batch-size', 'recipe']);

/** Whether `lrlab <argv>` runs its CLI in a child (see the file comment). `LRLAB_RESULT_GUARD=off` never. */
export function needsGuard(argv: readonly string[], env: NodeJS.ProcessEnv, stdoutIsTerminal: boolean): boolean {
  if (env[RESULT_FD_ENV] !== undefined || env['LRLAB_RESULT_GUARD'] === 'off') return false;
  if (!USER_CODE_COMMANDS.has(argv[0] ?? '') || argv.includes('--help') || argv.includes('-h')) return false;
  // A program parses `--json`; human text in a pipe reads the same with a line of the user's in it. The
  // second process costs a Node start (0.1–0.2 s on a 2-CPU machine), so only where a document is promised.
  return argv.includes('--json') && !stdoutIsTerminal;
}

/**
 * Whether `fd` is a regular file. Node writes a file stdout with one `fs.writeSync` per chunk and
 * drops what a short write left (`ulimit -f`: a `--json` result cut at 20,480 bytes, exit 0), so a
 * file is written by `writeWhole`.
 */
export function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/** Writes all of `data` to `fd`, going on after short writes; throws where the descriptor takes no more (EFBIG, ENOSPC). */
export function writeWhole(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (let at = 0; at < bytes.length; ) {
    const wrote = writeSync(fd, bytes, at, bytes.length - at);
    // A file at its size limit writes nothing more (SIGXFSZ is ignored by Node): say it as the system would.
    if (wrote <= 0) throw Object.assign(new Error(`EFBIG: file too large, write (${bytes.length - at} bytes not written)`), { code: 'EFBIG' });
    at += wrote;
  }
}

function isTerminal(fd: number): boolean {
  try {
    fstatSync(fd);
  } catch {
    return true; // no such descriptor (`>&-`): nothing to guard, and the CLI says it could not write
  }
  return tty.isatty(fd);
}

/**
 * Runs the CLI (`cli`: bin/lrlab) in a guarded child where `needsGuard` says so; returns false
 * where it does not (the caller runs the CLI in this process, as before).
 */
export function runGuarded(cli: string): boolean {
  const argv = process.argv.slice(2);
  if (!needsGuard(argv, process.env, isTerminal(1))) return false;
  const child = spawn(process.execPath, [...process.execArgv, cli, ...argv], {
    stdio: [isTerminal(0) ? 'ignore' : 'inherit', 2, 'inherit', 'pipe'],
    env: { ...process.env, [RESULT_FD_ENV]: String(RESULT_FD) },
    detached: true,
  });
  // The signals passed on: the child ended by another one was killed from outside (see below).
  const forwarded = new Set<NodeJS.Signals>();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      forwarded.add(signal);
      child.kill(signal);
    });
  }
  // Ctrl-Z stops the terminal's foreground group, which the child (detached) is not in: it trained on
  // while its parent stood. So the child's group is stopped too, then this process as asked; `fg`
  // (SIGCONT here) goes on to the child's group.
  const toChildGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // gone already
    }
  };
  process.on('SIGTSTP', () => {
    toChildGroup('SIGSTOP');
    process.kill(process.pid, 'SIGSTOP');
  });
  process.on('SIGCONT', () => toChildGroup('SIGCONT'));
  child.on('error', (error) => {
    writeSync(2, `lrlab: could not start the CLI's process (${process.execPath}): ${error.message}\n`);
    process.exit(1);
  });
  // A closed pipe is the reader's choice (`lrlab … | head -1`); any other failure loses the result.
  // Either way the rest is read and dropped: a child whose result no longer fits the socket's buffer
  // waited for it for ever (`find-lr --steps 5000 --json | head -c 10` hung).
  let failed: NodeJS.ErrnoException | null = null;
  const result = child.stdio[RESULT_FD] as Readable;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') failed ??= error;
    result.unpipe(process.stdout);
    result.resume();
  });
  if (isRegularFile(1)) {
    // A file: every byte written, or the failure said (writeWhole).
    result.on('data', (chunk: Buffer) => {
      if (failed !== null) return;
      try {
        writeWhole(1, chunk);
      } catch (error) {
        failed = error as NodeJS.ErrnoException;
      }
    });
  } else {
    result.pipe(process.stdout, { end: false });
  }
  // The child ends its side when the result is whole (a shutdown: EOF here even where a process it
  // started holds a copy of the descriptor); a child that died without doing so gets a moment for
  // what it wrote to arrive.
  const copied = new Promise<void>((resolve) => {
    result.once('end', resolve);
    result.once('close', resolve);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const settled = exited.then(async (exit) => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([copied, new Promise<void>((resolve) => (timer = setTimeout(resolve, LATE_RESULT_MS)))]);
    clearTimeout(timer);
    result.unpipe(process.stdout);
    result.destroy();
    return exit;
  });
  void settled.then(({ code, signal }) => {
    // Everything the child wrote has been handed to stdout; wait until stdout has taken it.
    process.stdout.write('', () => {
      if (failed !== null && code === 0) {
        writeSync(2, `lrlab: could not write the result to stdout: ${failed.message.split('\n')[0] ?? ''}\n`);
        process.exit(1);
      }
      if (signal !== null) {
        // Killed by what nobody here sent (the out-of-memory killer's SIGKILL): exit 137 said nothing.
        if (!forwarded.has(signal)) writeSync(2, `${killedLine(signal)}\n`);
        process.removeAllListeners(signal);
        process.kill(process.pid, signal);
        return;
      }
      process.exit(code ?? 1);
    });
  });
  return true;
}

/** The line for a run whose process a signal LR Lab did not pass on ended: what sends it, and that there is no result. */
export function killedLine(signal: NodeJS.Signals): string {
  const why = signal === 'SIGKILL'
    ? ' (the system\'s out-of-memory killer sends it, as does kill -9: if memory ran out, try a smaller --batch-size or less data)'
    : signal === 'SIGSEGV' || signal === 'SIGBUS' || signal === 'SIGABRT' || signal === 'SIGILL'
      ? ' (a crash in native code: a native module the model file loads, or Node itself)'
      : '';
  return `lrlab: the run's process was killed by ${signal}${why}; there is no result.`;
}
