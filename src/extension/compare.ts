/**
 * "Compare selected" in the side view: two runs of one kind overlaid in the panel. Pure (no vscode),
 * so that it is unit-tested.
 */
import type { RunSnapshot } from '../protocol/webviewMessages';

/**
 * Why two runs cannot be overlaid, or `null`: a batch-size study (validation loss against wall time)
 * beside a range test (training loss against LR) drew under the study's axes, and the study's own
 * series came out empty.
 */
export function compareRefusal(a: RunSnapshot, b: RunSnapshot): string | null {
  if (a.kind === b.kind) return null;
  return `Compare overlays two runs of one kind: ${a.label} is a ${a.kind} run and ${b.label} a ${b.kind} run. Select two range tests, two batch-size studies, or the like.`;
}

/** Two runs overlaid: each run's main curve (a range test), else each of its series under the run's name; no suggestions. */
export function compareSnapshot(a: RunSnapshot, b: RunSnapshot): RunSnapshot {
  const name = (r: RunSnapshot): string => `${r.label} ${r.startedAt.slice(5, 16).replace('T', ' ')}`;
  const seriesOf = (r: RunSnapshot): Record<string, RunSnapshot['series'][string]> => {
    const main = r.series['main'];
    if (main !== undefined) return { [name(r)]: main };
    return Object.fromEntries(Object.entries(r.series).map(([series, points]) => [`${name(r)} · ${series}`, points]));
  };
  return {
    runId: `compare-${a.runId.slice(0, 8)}-${b.runId.slice(0, 8)}`,
    kind: a.kind,
    model: a.model,
    label: `${a.label} vs ${b.label}`,
    startedAt: new Date().toISOString(),
    state: 'done',
    settings: {},
    series: { ...seriesOf(a), ...seriesOf(b) },
    progress: null,
    result: null,
    chosenRange: null,
    error: null,
  };
}
