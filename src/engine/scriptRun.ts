/**
 * The engine's side of running a training script (scriptWorker.ts runs it): bundle the file,
 * start the worker, wait for the capture of its first `fit`/`fitDataset` call, and end the worker
 * whatever happens — capture, error, the script ending without a call, `--fit-timeout`, cancel.
 * The script's own console output goes to stderr (never to `--json` stdout).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LrLabError, OptionError, flagOf } from '../protocol/errors';
import { formatSeconds } from '../protocol/format';
import { STILL_WAITING } from '../protocol/progress';
import { bundle } from './bundler';
import { engineLauncher } from './engineLauncher';
import { checkSourceFile } from './modelFile';
import { MAX_DATASET_SAMPLES, readingDatasetText } from './data';
import { growingNotices } from './userCode';
import { placeInScript } from './userFrames';
import type { ScriptCapture, WorkerMessage } from './scriptCapture';
import type { ScriptWorkerData } from './scriptWorker';

/** How long a script may take to reach its first fit call (`--fit-timeout`), seconds. */
export const DEFAULT_FIT_TIMEOUT_SECONDS = 120;

export interface ScriptRunOptions {
  readonly seed: number | null;
  readonly fitTimeout?: number | undefined;
  /** The backend the worker computes the script's own tensors with. */
  readonly backend: 'wasm' | 'cpu';
  readonly signal: AbortSignal;
  /** The script's own arguments: process.argv after the script, as under `node script.js …`. */
  readonly args?: readonly string[] | undefined;
  /** `--fit-line`: the line of the call to capture (the calls before it run); absent: the first call. */
  readonly fitLine?: number | undefined;
  /**
   * Told, as progress, what a long capture waits on: the script still on its way to its fit call
   * (from `WAIT_NOTICES.firstMs`, at doubling gaps, as `awaitUserCode` tells of a slow loadData), and
   * how far reading the call's dataset into memory has got. A script that slept 12 s before its fit
   * call, or fitDataset on an endless dataset (read for a minute up to the cap), said nothing meanwhile.
   */
  readonly notice?: ((text: string) => void) | undefined;
  /** Notice timing (tests); `WAIT_NOTICES` by default. */
  readonly notices?: { readonly firstMs: number; readonly maxGapMs: number } | undefined;
}

/**
 * The worker runs this very file's bundle (dist/engine.js, whose main.ts starts scriptWorker.ts
 * in a worker); from sources (tests under tsx) it loads scriptWorker.ts through tsx.
 */
function startWorker(data: ScriptWorkerData): Worker {
  // stdin: what the script reads from process.stdin is fed by `feedStdin` (without it the worker's stdin
  // never delivered nor ended: a script reading a piped answer stopped with "an unsettled top-level await").
  const options = { workerData: data, stdout: true, stderr: true, stdin: true } as const;
  if (__filename.endsWith('.ts')) {
    const tsx = require.resolve(['tsx', 'cjs'].join('/'));
    const entry = path.join(__dirname, 'scriptWorker.ts');
    const code = `require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)}).runScriptWorker(require('node:worker_threads').workerData);`;
    return new Worker(code, { ...options, eval: true });
  }
  // Through the launcher where it is there: the worker compiles the bundle from its code cache too.
  const launcher = engineLauncher(__filename);
  if (launcher === null) return new Worker(__filename, options);
  return new Worker(`require(${JSON.stringify(launcher)}).loadEngine(${JSON.stringify(__filename)});`, { ...options, eval: true });
}

export function checkFitTimeout(value: number | undefined): number {
  const seconds = value ?? DEFAULT_FIT_TIMEOUT_SECONDS;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new OptionError('fitTimeout', `${flagOf('fitTimeout')} must be a positive number of seconds, got ${String(value)}.`);
  return seconds;
}

/** The script's process.chdir, done here for its worker (scriptWorker.ts chdirThroughEngine): 1 done, 2 failed. */
function changeFolder(dir: string, done: SharedArrayBuffer): void {
  const flag = new Int32Array(done);
  let ok = false;
  try {
    process.chdir(dir);
    ok = true;
  } catch {
    // the worker says it failed, in Node's words
  }
  Atomics.store(flag, 0, ok ? 1 : 2);
  Atomics.notify(flag, 0);
}

/** Runs `file` up to its first fit call and returns what the call held. */
/** Everything piped to this process's stdin, read once (every capture of a run gets all of it), or null before any script asked. */
let stdinRead: Promise<Buffer> | null = null;

/** Code that reads what is piped to it (the script's bundle, or its file for a child engine). */
const READS_STDIN = /\bprocess\.stdin\b/;

/**
 * Gives the worker's process.stdin what `node script.js` would get: where the script's code reads
 * process.stdin and this process's stdin is no terminal (a pipe, a file, /dev/null), all of it and
 * then its end; else an immediate end (a terminal's typing cannot reach a run in the background).
 * Returns whether the script reads process.stdin.
 */
function feedStdin(worker: Worker, code: string): boolean {
  worker.stdin?.on('error', () => undefined); // the worker may be gone before its input is
  const reads = READS_STDIN.test(code);
  if (!reads || process.stdin.isTTY === true) {
    worker.stdin?.end();
    return reads;
  }
  void readStdin().then((data) => worker.stdin?.end(data));
  return reads;
}

function readStdin(): Promise<Buffer> {
  stdinRead ??= new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    const done = (): void => {
      process.stdin.pause();
      resolve(Buffer.concat(chunks));
    };
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.once('end', done);
    process.stdin.once('error', done);
  });
  process.stdin.resume();
  return stdinRead;
}

/**
 * What a child engine that runs `model` (a batch size of the study) gets on its stdin, as the
 * script would under node: all that was piped to this process — read already where a capture of
 * this run read it (the recipe's range test), else read now where the script's file reads
 * process.stdin. Null where there is none to give (a terminal, or a file that does not read it):
 * the child's stdin is then empty. Each size's engine ran the script with an empty stdin, so a
 * script that reads its data or a y/N answer from a pipe failed at the study's first size.
 */
export function stdinForChild(model: string): Promise<Buffer> | null {
  if (stdinRead !== null) return readStdin();
  if (process.stdin.isTTY === true) return null;
  let text: string;
  try {
    text = readFileSync(model, 'utf8');
  } catch {
    return null;
  }
  return READS_STDIN.test(text) ? readStdin() : null;
}

export async function captureScript(file: string, options: ScriptRunOptions): Promise<ScriptCapture> {
  const seconds = checkFitTimeout(options.fitTimeout);
  const absolute = checkSourceFile(file);
  const name = path.basename(absolute);
  const built = await bundle(absolute, { topLevelAwait: true, signal: options.signal });
  const fitLine = options.fitLine ?? null;
  // The script's process.chdir changes the engine's folder (changeFolder): put back after the capture, so
  // that a process capturing again (a scale-out worker's next trial) starts where it did.
  const folder = process.cwd();
  const worker = startWorker({ lrlab: 'script-capture', file: absolute, bundle: built, seed: options.seed, backend: options.backend, args: options.args ?? [], fitLine });
  /** The calls before the --fit-line one, which ran (`file:line`, once each). */
  const ran = new Set<string>();
  let customLoop: { readonly file: string; readonly line: number | null; readonly via: 'trainOnBatch' | 'minimize' } | null = null;
  /** Whether the script's top-level code finished (its 'ended' message). */
  let finished = false;
  /** The script's output so far ends within a line. */
  let openLine = false;
  let exitCalled: { readonly code: number; readonly at: { readonly file: string; readonly line: number } | null } | null = null;
  /** With --fit-line: that the script never reached it, and which calls it made instead. */
  const notReached = (): string => `a fit call at line ${fitLine} (or a call on the way to one)${ran.size === 0 ? '' : `; the fit calls it made, at ${[...ran].join(', ')}, ran as in the script`}`;
  const pickAnother = `Give ${flagOf('fitLine')} the line of the fit or fitDataset call to take, or leave it out to take the first call the script makes.`;
  // The script's writes come as 'output' messages (scriptWorker.ts forwardOutput); the streams are
  // kept apart from stdout all the same, so nothing the worker prints can reach --json's stdout.
  worker.stdout.pipe(process.stderr, { end: false });
  worker.stderr.pipe(process.stderr, { end: false });
  const readsStdin = feedStdin(worker, built.code);
  // Said where the script waits on input LR Lab cannot give it: a terminal's, or what was never piped.
  const stdinNote = readsStdin ? ` It reads process.stdin: LR Lab passes on what is piped to lrlab (echo answer | lrlab …), ${process.stdin.isTTY === true ? 'not what is typed at a terminal' : 'and it ends where the pipe ends'}.` : '';
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const goal = fitLine === null ? 'its model.fit or fitDataset call' : `its fit call at line ${fitLine}`;
  const { notice } = options;
  const stopNotices = notice === undefined ? () => undefined : growingNotices((so) => notice(`${STILL_WAITING} ${name} to reach ${goal}: ${so} so far (LR Lab stops waiting at ${formatSeconds(seconds)}: ${flagOf('fitTimeout')})`), options.notices);
  try {
    return await new Promise<ScriptCapture>((resolve, reject) => {
      timer = setTimeout(() => {
        reject(new LrLabError('model-file', `${name} did not ${fitLine === null ? 'call model.fit or model.fitDataset' : `reach ${notReached()}`} within ${seconds} s.`, {
          file: absolute,
          fix: `Make sure the script reaches its fit call (LR Lab runs it up to there), or allow more time, e.g. ${flagOf('fitTimeout')} 5m.${fitLine === null ? '' : ` ${pickAnother}`}${stdinNote}`,
        }));
      }, seconds * 1000);
      onAbort = () => reject(new LrLabError('cancelled', 'The run was cancelled.'));
      if (options.signal.aborted) onAbort();
      options.signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'output') {
          process.stderr.write(message.text);
          if (message.text !== '') openLine = !/[\n\r]$/.test(message.text);
        }
        else if (message.type === 'fit-run') ran.add(message.at === null ? `model.${message.method}` : placeInScript(absolute, message.at));
        else if (message.type === 'custom-loop') customLoop ??= { ...(message.at ?? { file: absolute, line: null }), via: message.via ?? 'minimize' };
        else if (message.type === 'chdir') changeFolder(message.dir, message.done);
        else if (message.type === 'reading') {
          // At the call now: reading its dataset is what takes the time, up to its cap in samples
          // (--fit-timeout is the way to the call: a long read ended "did not call model.fit within 120 s").
          stopNotices();
          clearTimeout(timer);
          if (message.samples > 0) notice?.(readingDatasetText(`${message.what} dataset of the fitDataset call`, message.samples, message.seconds, MAX_DATASET_SAMPLES));
        }
        else if (message.type === 'captured') resolve(message.capture);
        else if (message.type === 'ended') finished = true;
        else if (message.type === 'exit-called') exitCalled = message;
        else reject(LrLabError.fromData(message.error));
      });
      worker.on('error', (error) => reject(new LrLabError('model-file', `${name} failed before calling model.fit: ${error.message.split('\n')[0] ?? ''}`, { file: absolute, cause: error })));
      worker.on('exit', (code) => {
        if (exitCalled !== null) {
          const where = exitCalled.at === null ? '' : ` at ${placeInScript(absolute, exitCalled.at)}`;
          const goal = fitLine === null ? 'model.fit or model.fitDataset' : `its fit call at line ${fitLine}`;
          reject(new LrLabError('model-file', `${name} called process.exit(${exitCalled.code})${where} before calling ${goal}, which ended it there.`, {
            file: absolute,
            ...(exitCalled.at !== null && exitCalled.at.file === absolute ? { line: exitCalled.at.line } : {}),
            fix: `LR Lab runs a training script up to its first model.fit/fitDataset call: make sure the script reaches it without exiting (what made it exit: arguments it needs go after -- (lrlab find-lr script.js -- --data train.csv), a prompt's answer is piped: echo y | lrlab …).${stdinNote}`,
          }));
          return;
        }
        // Out of work while its top-level code still awaited (Node: an unsettled top-level await) is no end:
        // a user's `await new Promise(() => {})` before its fit read "ran to the end without calling model.fit".
        if (code === 0 && !finished && fitLine === null && customLoop === null) {
          reject(new LrLabError('model-file', `${name} stopped before calling model.fit or model.fitDataset: its top-level code was still waiting on an await that nothing was left to settle (Node calls it an unsettled top-level await).`, {
            file: absolute,
            fix: `Make sure what the script awaits on its way to the fit call resolves (a promise something resolves, an event that comes); LR Lab runs a training script up to its first model.fit/fitDataset call.${stdinNote}`,
          }));
          return;
        }
        const ended = code === 0 ? 'ran to the end' : `exited with code ${code}`;
        if (fitLine !== null && (ran.size > 0 || code === 0)) {
          reject(new LrLabError('model-file', `${name} ${ended} without reaching ${notReached()}.`, { file: absolute, line: fitLine, fix: pickAnother }));
          return;
        }
        if (customLoop !== null) {
          // The error's own file:line names a call in the script; one in a module it imports is named here.
          const where = customLoop.line === null || customLoop.file === absolute ? '' : ` (${placeInScript(absolute, { file: customLoop.file, line: customLoop.line })})`;
          reject(new LrLabError('model-file', `${name} ${ended} without calling model.fit or model.fitDataset: it trains in a loop of its own, with ${customLoop.via === 'trainOnBatch' ? 'model.trainOnBatch' : 'optimizer.minimize'}${where}, and LR Lab runs its experiments through model.fit.`, {
            file: absolute,
            ...(customLoop.line === null || customLoop.file !== absolute ? {} : { line: customLoop.line }),
            fix: 'Export createModel (the model, compiled with its loss and optimizer) and loadData (its data) from a model file and run LR Lab on that; the LR it recommends then goes into your loop (the library\'s schedules.onecycle gives the LR for each step).',
          }));
          return;
        }
        reject(new LrLabError('model-file', `${name} ${ended} without calling model.fit or model.fitDataset.`, {
          file: absolute,
          fix: `LR Lab runs a training script up to its first model.fit/fitDataset call: make sure the script calls it (on a compiled tf.LayersModel)${code === 0 ? '' : '; a script that needs arguments gets them after -- (lrlab find-lr script.js -- --data train.csv)'}, or export createModel and loadData instead.`,
        }));
      });
    });
  } finally {
    // The script's last line ended without a newline (a prompt, `Start training? [y/N] `): LR Lab's next
    // line starts on its own (its error read "Start training? [y/N] lrlab: …").
    if (openLine) process.stderr.write('\n');
    clearTimeout(timer);
    stopNotices();
    if (onAbort !== undefined) options.signal.removeEventListener('abort', onAbort);
    worker.stdout.unpipe(process.stderr);
    worker.stderr.unpipe(process.stderr);
    // A pipe still open does not keep this process up once the capture is done (reading resumes if another capture asks).
    if (readsStdin && stdinRead !== null) process.stdin.pause();
    await worker.terminate();
    if (process.cwd() !== folder) {
      try {
        process.chdir(folder);
      } catch {
        // the folder is gone: stay where the script went
      }
    }
  }
}
