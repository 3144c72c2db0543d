/**
 * How an engine process that ended before answering is reported (the editor's engine host and
 * the batch-size study's child engines share it).
 *
 * A SIGKILL is not always memory: the kernel's out-of-memory killer sends it, and so does a
 * user's `kill -9`, a job scheduler or a container runtime. The caller counts the kernel's OOM
 * kills (Linux `/proc/vmstat` `oom_kill`, memory cgroups included) before and after the run:
 * a rise is evidence of the OOM killer, no rise says it was not; without the counter both
 * causes are named.
 */
import { LrLabError } from './errors';

export interface EngineExit {
  readonly code: number | null;
  readonly signal: string | null;
}

const OOM_TEXT = /out of memory|heap limit|Aborted\(OOM\)|allocation failed/i;

/** V8's own line where the JavaScript heap ran out ("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"). */
const V8_FATAL = /FATAL ERROR: .*/;

/** Where the engine was when it ended, for what to do: the user call under way (`loadData()`), and the words for options (`--batch-size` or `lrlab.batchSize`). */
export interface CrashContext {
  readonly during?: string | null;
  readonly naming?: 'flag' | 'setting';
}

/** `oomKills`: how many processes the kernel's OOM killer ended during the run, or null when unknown. */
export function engineCrashError(what: string, exit: EngineExit, stderr: readonly string[], oomKills: number | null, context: CrashContext = {}): LrLabError {
  const how = exit.signal !== null ? `was killed (${exit.signal})` : `exited with code ${String(exit.code)}`;
  // Where V8 says the heap ran out, that line, not the native stack it prints after it (a user read
  // "12: 0x12a1ae3 [/usr/bin/node] | … v8::internal::Runtime_NewArray(…)").
  const fatal = stderr.map((l) => V8_FATAL.exec(l)?.[0]).find((l) => l !== undefined);
  const tail = fatal ?? stderr.slice(-5).join(' | ');
  const said = `${what} ${how} before finishing${tail === '' ? '' : `: ${tail}`}`;
  const batchSize = context.naming === 'setting' ? 'lrlab.batchSize' : '--batch-size';
  // In the user's own loading code, before any training: the batch size has nothing to do with it.
  const inUserCode = context.during !== undefined && context.during !== null;
  const smaller = `use a smaller ${batchSize} or model`;
  // The exit rides along as the cause: a worker hands a trial whose engine was killed back to the queue (engineKilledBy).
  const cause: EngineExit = { code: exit.code, signal: exit.signal };
  if (OOM_TEXT.test(stderr.join('\n'))) return new LrLabError('out-of-memory', `${said}.`, { fix: inUserCode ? `It ran out of memory while ${context.during} ran, before any training: load less data for tuning (a subset of it), or less at once.` : `It ran out of memory: ${smaller}.`, cause });
  if (exit.signal === 'SIGKILL') {
    if (oomKills !== null && oomKills > 0) return new LrLabError('out-of-memory', `${said}.`, { fix: `The system's out-of-memory killer ended it (the kernel counted ${oomKills} OOM kill${oomKills === 1 ? '' : 's'} during the run): ${smaller}.`, cause });
    if (oomKills === 0) return new LrLabError('internal', `${said}.`, { fix: 'Not for lack of memory (the kernel counted no out-of-memory kill): another process killed it (kill -9, a job scheduler); run again.', cause });
    return new LrLabError('internal', `${said}.`, { fix: `Either the system ran out of memory (then ${smaller}) or another process killed it (kill -9, a job scheduler); run again.`, cause });
  }
  return new LrLabError('internal', `${said}.`, { fix: 'See the LR Lab output channel for its log; the next run starts a fresh engine.', cause });
}

/** The signal that killed the engine an `engineCrashError` reports, or null (another error, or an engine that exited by itself). */
export function engineKilledBy(error: unknown): string | null {
  if (!(error instanceof LrLabError)) return null;
  const cause = error.cause as Partial<EngineExit> | undefined;
  return typeof cause === 'object' && cause !== null && typeof cause.signal === 'string' ? cause.signal : null;
}

/** The kernel's OOM-kill count from the text of `/proc/vmstat`, or null when it has none. */
export function oomKillCount(vmstat: string): number | null {
  const match = /^oom_kill (\d+)$/m.exec(vmstat);
  return match === null ? null : Number(match[1]);
}
