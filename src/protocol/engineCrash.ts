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

/** `oomKills`: how many processes the kernel's OOM killer ended during the run, or null when unknown. */
export function engineCrashError(what: string, exit: EngineExit, stderr: readonly string[], oomKills: number | null): LrLabError {
  const how = exit.signal !== null ? `was killed (${exit.signal})` : `exited with code ${String(exit.code)}`;
  const tail = stderr.slice(-5).join(' | ');
  const said = `${what} ${how} before finishing${tail === '' ? '' : `: ${tail}`}`;
  const smaller = 'use a smaller --batch-size or model';
  if (OOM_TEXT.test(stderr.join('\n'))) return new LrLabError('out-of-memory', `${said}.`, { fix: `It ran out of memory: ${smaller}.` });
  if (exit.signal === 'SIGKILL') {
    if (oomKills !== null && oomKills > 0) return new LrLabError('out-of-memory', `${said}.`, { fix: `The system's out-of-memory killer ended it (the kernel counted ${oomKills} OOM kill${oomKills === 1 ? '' : 's'} during the run): ${smaller}.` });
    if (oomKills === 0) return new LrLabError('internal', `${said}.`, { fix: 'Not for lack of memory (the kernel counted no out-of-memory kill): another process killed it (kill -9, a job scheduler); run again.' });
    return new LrLabError('internal', `${said}.`, { fix: `Either the system ran out of memory (then ${smaller}) or another process killed it (kill -9, a job scheduler); run again.` });
  }
  return new LrLabError('internal', `${said}.`, { fix: 'See the LR Lab output channel for its log; the next run starts a fresh engine.' });
}

/** The kernel's OOM-kill count from the text of `/proc/vmstat`, or null when it has none. */
export function oomKillCount(vmstat: string): number | null {
  const match = /^oom_kill (\d+)$/m.exec(vmstat);
  return match === null ? null : Number(match[1]);
}
