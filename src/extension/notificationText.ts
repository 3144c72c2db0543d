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
