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
  // A worker none of whose trials is in the result (killed or stopped, its trial run again elsewhere;
  // or cancelled) is named apart: "Ran on" listed it beside those that did.
  const ranSome = workers.filter((w) => trials.some((t) => t.worker === w.id));
  if (ranSome.length === 0) return null;
  const none = workers.filter((w) => !ranSome.includes(w));
  const parts = ranSome.map((w) => `${w.id} (${describeWorkerKind(w)}): ${trials.filter((t) => t.worker === w.id).map((t) => t.label).join(', ')}`);
  const also = none.length === 0 ? '' : ` Also took trials whose results are not in this one (run again elsewhere, or cancelled): ${none.map((w) => w.id).join(', ')}.`;
  return `Ran on ${formatCount(ranSome.length, 'worker')}: ${parts.join('; ')}.${also}`;
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
