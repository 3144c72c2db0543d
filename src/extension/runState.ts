/**
 * The state a run that ended with a result is shown and kept in. A range test says it was cancelled
 * (`stopReason`); the other experiments' results do not, so the run's own cancellation counts too: a
 * cancelled recipe read "done" in the panel, the side view and its file, above "Cancelled after 2 of
 * 5 steps." No `vscode` here: the unit tests run it.
 */
import type { AnyResult } from '../protocol/results';
import type { RunSnapshot } from '../protocol/webviewMessages';

export function finishedState(result: AnyResult, cancelled: boolean): 'done' | 'cancelled' {
  return cancelled || ('stopReason' in result && result.stopReason === 'cancelled') ? 'cancelled' : 'done';
}

/** The one line a notification says of a cancelled recipe without a recommendation (its warning), else `null`. */
export function recipeCancelledText(result: AnyResult): string | null {
  if (result.kind !== 'recipe' || result.recommendation !== null) return null;
  // "Cancelled after 2 of 5 steps." or "Cancelled during step 3 of 5 (momentum): 2 finished." (recipe.ts).
  const said = result.warnings.find((w) => /^Cancelled (after|during step) \d+ of \d+ /.test(w));
  return said === undefined ? null : said.replace(/\.$/, '').replace(/^Cancelled/, 'cancelled');
}

/** What an interrupted run says: LR Lab's window went away while it ran, with what it had streamed. */
export const INTERRUPTED = "Interrupted: LR Lab's window was reloaded or closed while this run went on, so it never finished; the points are those it had streamed by then.";

/**
 * A run that comes back from elsewhere — a panel's saved state after a window reload, a run file a
 * teammate committed — cannot be running: no engine of this window runs it. Shown as it says, it read
 * "Running loadData()" with a Cancel that did nothing, and the Runs view drew it as the live run for
 * the rest of the session (trial Z). It is a cancelled run that says why.
 */
export function asRestored(run: RunSnapshot): RunSnapshot {
  return run.state === 'running' ? { ...run, state: 'cancelled', progress: null, error: run.error ?? INTERRUPTED } : run;
}
