/**
 * Reads results written by an older LR Lab as the current shapes (`RESULT_FORMAT_VERSION`).
 * Version 1 → 2: no `baseline` (→ `null`), epoch rows without `metrics`/`valMetrics` (→ `{}`),
 * recipes without `failure` (→ `null`) or `recommendation.epochsReason`. Nothing is invented:
 * what an old run did not measure stays empty.
 */
import type { AnyResult, EpochRecord } from './results';
import type { RunSnapshot } from './webviewMessages';

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function upgradeHistory(history: unknown): unknown {
  if (!Array.isArray(history)) return history;
  return history.map((h: unknown) => (isObject(h) ? { metrics: {}, valMetrics: {}, ...h } : h) as EpochRecord);
}

/** One result of format 1 as format 2 (results already at 2 come back unchanged). */
export function upgradeResult(result: unknown): unknown {
  if (!isObject(result) || typeof result['kind'] !== 'string') return result;
  const out: Loose = { baseline: null, ...result };
  if (result['kind'] === 'train') out['history'] = upgradeHistory(result['history']);
  if (result['kind'] === 'recipe') {
    out['failure'] ??= null;
    const recommendation = result['recommendation'];
    if (isObject(recommendation)) out['recommendation'] = { epochsReason: "the confirming run's length", ...recommendation };
    const steps = result['steps'];
    if (Array.isArray(steps)) out['steps'] = steps.map((s: unknown) => (isObject(s) ? { ...s, evidence: upgradeResult(s['evidence']) } : s));
  }
  return out;
}

/**
 * A run from a history file of any format, in the current shapes. Format 2 was written
 * for a while without `baseline` and epoch `metrics` (the optimizer report came first), so the
 * gaps are filled at any version; a field a file has is never replaced.
 */
export function upgradeRun(run: RunSnapshot): RunSnapshot {
  if (run.result === null) return run;
  return { ...run, result: upgradeResult(run.result) as AnyResult };
}
