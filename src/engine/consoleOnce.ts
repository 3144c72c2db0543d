/**
 * tfjs advice printed on the console ("Orthogonal initializer is being called on a matrix with more
 * than 2000 (3072) elements: Slowness may result.") comes again each time a model is built — at
 * least twice per run (the probe model, then each run's). The CLI prints each such message once.
 */
import { format } from 'node:util';

/** A console method that writes each distinct message once through `write`, then drops repeats. */
export function onceEach(write: (text: string) => void): (...args: unknown[]) => void {
  const seen = new Set<string>();
  return (...args: unknown[]): void => {
    const text = format(...args);
    if (seen.has(text)) return;
    seen.add(text);
    write(text);
  };
}
