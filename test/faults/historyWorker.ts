/**
 * A stand-in for one extension host writing run history: the real `RunHistory`, in its own
 * process, so two of them (two windows on one workspace) or a killed one can be tested.
 * Bundled by esbuild and forked by concurrency.test.ts; not a test itself.
 *
 *   churn  <folder> <worker> <count>  save, list and delete runs; print a JSON summary
 *   hammer <folder> <chars>           save one run over and over (each save about <chars>
 *                                     bytes, version n = 1, 2, …); print `saved <n>` after each
 */
import { RunHistory } from '../../src/extension/history';
import type { RunSnapshot } from '../../src/protocol/webviewMessages';

/**
 * A run of about `chars` bytes whose content proves itself whole: `marker` as its model and at
 * both ends of its label, and the label names how many points the run has (the bulk of the file:
 * run files are checked on load, so the bulk is points, not an over-long label).
 */
export function markedRun(runId: string, marker: string, chars: number): RunSnapshot {
  const points = Math.max(1, Math.round(chars / 120));
  const series = Array.from({ length: points }, (_, i) => ({ step: i, lr: 1e-7 * 1.0001 ** i, momentum: 0.9, loss: 2 - i / points, smoothed: 2 - i / points, valLoss: null, valAccuracy: null, seconds: i / 10 }));
  return {
    runId, kind: 'find-lr', model: marker, label: `${marker}|${points}|${marker}`, startedAt: '2026-11-28T10:00:00.000Z', state: 'done',
    settings: {}, series: { main: series }, progress: null, result: null, chosenRange: null, error: null,
  };
}

/** The marker of a whole run, or null when the run is not whole (torn, or two writers mixed). */
export function wholeMarker(run: RunSnapshot): string | null {
  const marker = run.model;
  const parts = run.label.split('|');
  return parts.length === 3 && parts[0] === marker && parts[2] === marker && run.series['main']?.length === Number(parts[1]) ? marker : null;
}

async function churn(folder: string, worker: string, count: number): Promise<void> {
  const history = new RunHistory(folder);
  const kept = new Set<string>();
  const removed: string[] = [];
  const anomalies: string[] = [];
  let sharedMarker = '';
  let loads = 0;
  for (let i = 0; i < count; i++) {
    const id = `${worker}-${i}`;
    await history.save(markedRun(id, id, 2000 + (i % 7) * 3000));
    kept.add(id);
    if (i % 3 === 0) {
      // The run both windows have open (from the shared history): each saves its own version.
      sharedMarker = `${worker}-shared-${i}`;
      await history.save(markedRun('shared', sharedMarker, 20_000));
    }
    if (i % 5 === 4) {
      const victim = `${worker}-${i - 2}`;
      await history.remove(markedRun(victim, victim, 0));
      kept.delete(victim);
      removed.push(victim);
    }
    if (i % 4 === 0) {
      // Listing while the other window saves and deletes: nothing torn, nothing reported broken.
      const { runs, skipped } = await new RunHistory(folder).load();
      loads++;
      for (const line of skipped) anomalies.push(`skipped ${line}`);
      for (const run of runs) if (wholeMarker(run) === null) anomalies.push(`torn ${run.runId}`);
      for (const own of kept) if (!runs.some((r) => r.runId === own)) anomalies.push(`own run ${own} missing from a listing`);
    }
  }
  process.stdout.write(`${JSON.stringify({ worker, kept: [...kept], removed, sharedMarker, loads, anomalies })}\n`);
}

async function hammer(folder: string, chars: number): Promise<void> {
  const history = new RunHistory(folder);
  for (let n = 1; ; n++) {
    await history.save(markedRun('victim', `v${n}`, chars));
    process.stdout.write(`saved ${n}\n`);
  }
}

if (require.main === module) {
  const [mode, folder, arg, count] = process.argv.slice(2);
  if (folder === undefined || arg === undefined) throw new Error('usage: churn <folder> <worker> <count> | hammer <folder> <chars>');
  if (mode === 'churn') void churn(folder, arg, Number(count));
  else if (mode === 'hammer') void hammer(folder, Number(arg));
}
