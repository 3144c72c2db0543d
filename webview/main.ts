/**
 * Webview entry: draws results sent by the extension host. Sees only `src/protocol`.
 * (The chart panel itself is built by the extension issue; this entry already proves the
 * bundle, its tsconfig and the protocol boundary.)
 */
import type { AnyResult } from '../src/protocol/results';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

function describe(result: AnyResult): string {
  return `${result.kind} on ${result.model} (${result.backend})`;
}

const api = acquireVsCodeApi();
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (typeof data === 'object' && data !== null && 'kind' in data) {
    const root = document.getElementById('root');
    if (root !== null) root.textContent = describe(data as AnyResult);
  }
});
api.postMessage({ type: 'ready' });
