/**
 * Where the trials of a scaled-out study ran, in words, for the CLI and the panel alike:
 * "Ran on 2 workers: gpu-box:4121 (tensorflow, 8 threads; EPYC 7B13, 64 cores, 256 GB): wd 1e-2,
 * wd 0; laptop:977 (wasm, 4 threads; …): wd 1e-3." `null` for a local run.
 */
import type { AnyResult, TrialPlacement, WorkerInfo } from './results';
import { formatCount } from './format';

/** One worker as its kind: backend and threads, then the hardware that sets its wall times. */
export function describeWorkerKind(w: WorkerInfo): string {
  return `${w.backend}, ${formatCount(w.threads, 'thread')}; ${w.cpu}, ${formatCount(w.cores, 'core')}, ${w.memoryGb} GB`;
}

export function describePlacement(workers: readonly WorkerInfo[] | undefined, trials: readonly (TrialPlacement & { readonly label: string })[]): string | null {
  if (workers === undefined || workers.length === 0) return null;
  const parts = workers.map((w) => {
    const ran = trials.filter((t) => t.worker === w.id).map((t) => t.label);
    return `${w.id} (${describeWorkerKind(w)})${ran.length === 0 ? '' : `: ${ran.join(', ')}`}`;
  });
  return `Ran on ${formatCount(workers.length, 'worker')}: ${parts.join('; ')}.`;
}

/** Where the trials of a result ran (sweep, short runs, batch sizes), in words; `null` for other results (or none) and local runs. */
export function placementOf(result: AnyResult | null): string | null {
  switch (result?.kind) {
    case 'sweep':
      return describePlacement(result.workers, result.curves);
    case 'momentum':
    case 'weight-decay':
      return describePlacement(result.workers, result.runs);
    case 'batch-size':
      return describePlacement(result.workers, result.runs.map((r) => ({ ...r, label: `batch ${r.batchSize}` })));
    default:
      return null;
  }
}
