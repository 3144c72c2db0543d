/** A run's end as its notification says it: without vscode, so that it is unit-tested. */

/** The most a notification's text runs to when its first sentence is longer. */
const NOTIFICATION_CHARS = 220;

/**
 * A notification's length: the first sentence, or its first `NOTIFICATION_CHARS` characters at a word
 * boundary (the panel holds the whole reasoning, which the notification repeated paragraph-long).
 */
export function brief(text: string): string {
  const sentence = /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
  if (sentence.length <= NOTIFICATION_CHARS) return sentence.length < text.length ? `${sentence} (more in the panel)` : sentence;
  const cut = sentence.slice(0, NOTIFICATION_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), NOTIFICATION_CHARS / 2))}… (more in the panel)`;
}

/** A run file the history could not read: the folder it is in, and the line that says which file and why. */
export interface SkippedRunFile {
  readonly folder: string;
  readonly line: string;
}

/**
 * Run files the history skipped, as one notification: how many, where, and the first one's reason (every
 * line is in the output channel). They were said only there, and a teammate's damaged or newer-format run
 * file just went missing from the Runs view (trial Z #10).
 */
export function skippedFilesText(skipped: readonly SkippedRunFile[]): string {
  const folders = [...new Set(skipped.map((s) => s.folder))];
  const first = skipped[0];
  const what = skipped.length === 1 ? 'A saved run file' : `${skipped.length} saved run files`;
  const where = folders.length === 1 ? ` in ${folders[0] ?? ''}` : ` in ${folders.length} history folders`;
  const why = first === undefined ? '' : `: ${first.line}${skipped.length > 1 ? ' (the others in the output)' : ''}`;
  return `${what}${where} could not be read and ${skipped.length === 1 ? 'is' : 'are'} not listed in the Runs view${why}.`;
}

/**
 * A run the history could not save: it stays in this window only (trial Z #9: said only in the output
 * channel, and the run was gone after a reload without a word).
 */
export function unsavedRunText(label: string, folder: string, why: string): string {
  return `The run on ${label} could not be saved to ${folder} (${why.replace(/[.\s]+$/, '')}): it is listed in this window only, and gone after a reload. Export it (Export chart) to keep it.`;
}
