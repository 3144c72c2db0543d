/** What `activate` returns: a small read-only view for tests and other extensions. */
import type { RunSnapshot } from '../protocol/webviewMessages';

export interface LrLabApi {
  /** Every run of this window (history included), oldest first. */
  runs(): readonly RunSnapshot[];
  /** Live engine process ids (empty when nothing runs). */
  enginePids(): readonly number[];
}
