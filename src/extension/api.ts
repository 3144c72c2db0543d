/** What `activate` returns: a small read-only view for tests and other extensions. */
import type { RunSnapshot } from '../protocol/webviewMessages';

export interface LrLabApi {
  /** Every run of this window (history included), oldest first. */
  runs(): readonly RunSnapshot[];
  /** Live engine process ids (empty when nothing runs). */
  enginePids(): readonly number[];
  /** The chart as the LR Lab panel draws it now (a PNG data URL; what Export chart → PNG saves), or `null` when no panel can show one. */
  chartPng(): Promise<string | null>;
  /** The folders run history is kept in (one per workspace folder where `lrlab.shareHistory` is on). */
  historyFolders(): readonly string[];
}
