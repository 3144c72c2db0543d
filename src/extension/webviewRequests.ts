/**
 * Requests from the extension to a webview that expect an answer (today: the chart as a PNG).
 * Every request gets an answer: the webview's (which may be "none"), or `null` at once when the
 * message could not be delivered (a hidden or closed webview), or `null` after `timeoutMs` when
 * nothing came back (a webview still loading, or one that lost the message). Nobody waits forever.
 */

/** How long the extension waits for a webview's answer. Drawing a PNG takes milliseconds. */
export const WEBVIEW_ANSWER_TIMEOUT_MS = 5000;

export class WebviewRequests<T> {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: T | null) => void>();

  constructor(private readonly timeoutMs: number = WEBVIEW_ANSWER_TIMEOUT_MS) {}

  /** Sends one request (`send` posts it with its id and says whether it was delivered). */
  ask(send: (requestId: number) => PromiseLike<boolean>): Promise<T | null> {
    const requestId = this.nextId++;
    return new Promise<T | null>((resolve) => {
      const timer = setTimeout(() => this.answer(requestId, null), this.timeoutMs);
      this.waiting.set(requestId, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      send(requestId).then(
        (delivered) => {
          if (!delivered) this.answer(requestId, null);
        },
        () => this.answer(requestId, null),
      );
    });
  }

  /** The webview's answer to `requestId` (`null`: it has none); late or unknown answers are ignored. */
  answer(requestId: number, answer: T | null): void {
    const resolve = this.waiting.get(requestId);
    if (resolve === undefined) return;
    this.waiting.delete(requestId);
    resolve(answer);
  }

  /** The webview is gone: every open request is answered `null`. */
  dispose(): void {
    for (const requestId of [...this.waiting.keys()]) this.answer(requestId, null);
  }
}
