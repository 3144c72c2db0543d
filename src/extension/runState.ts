/**
 * The state a run that ended with a result is shown and kept in. A range test says it was cancelled
 * (`stopReason`); the other experiments' results do not, so the run's own cancellation counts too: a
 * cancelled recipe read "done" in the panel, the side view and its file, above "Cancelled after 2 of
 * 5 steps." No `vscode` here: the unit tests run it.
 */
import type { AnyResult } from '../protocol/results';

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
