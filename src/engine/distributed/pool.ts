/**
 * Who the workers are: each one's id, backend and hardware (sent with every trial it starts and
 * returns), and the warnings a result needs when its trials ran on unlike workers.
 */
import os from 'node:os';
import type { BackendReport, WorkerInfo } from '../../protocol/results';
import { version } from '../version';
import { describeWorkerKind } from '../../protocol/placement';

export function describeThisWorker(backend: BackendReport): WorkerInfo {
  const cpus = os.cpus();
  return {
    id: `${os.hostname()}:${process.pid}`,
    backend: backend.name,
    threads: backend.threads,
    cpu: (cpus[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim(),
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    version,
  };
}

/** What makes wall times comparable: backend, threads and hardware. */
const kindOf = describeWorkerKind;

export function describeWorker(w: WorkerInfo): string {
  return `${w.id}: ${kindOf(w)}`;
}

const UNLIKE_WORKERS = 'The batch sizes ran on unlike workers';
const MIXED_BACKENDS = 'The trials ran on different backends';

/** Whether a result's warning is one of `poolWarnings` (the recipe says its studies' too). */
export function isPoolWarning(warning: string): boolean {
  return warning.startsWith(UNLIKE_WORKERS) || warning.startsWith(MIXED_BACKENDS) || / runs LR Lab \S+(; [^:]+)?, this run \S+: /.test(warning) || OTHER_DATA.test(warning);
}

/** The start of `otherDataWarning` (a recipe says it as its own, as the rest above). */
const OTHER_DATA = /^Worker \S+ loaded other data than this machine: /;

/** A worker that loaded other data than the run's machine (submit.ts compares them): how they differ (`sizes`), and its trials. */
export function otherDataWarning(worker: string, sizes: string, trials: readonly string[]): string {
  return `Worker ${worker} loaded other data than this machine: ${sizes}. Its trials (${trials.join(', ')}) trained on its data, while the baseline and this run's comparisons are this machine's. Make every worker read the same files (a shared or synced folder still syncing, an older copy), then run again.`;
}

/**
 * Warnings for a result whose trials ran on `workers`: curves from different backends may differ
 * in their last digits; wall-time comparisons (the batch-size study) are fair only on identical
 * machines.
 */
export function poolWarnings(workers: readonly WorkerInfo[], comparesWallTime: boolean): string[] {
  // Another LR Lab version computes its trials with its own code: a worker left at an older release gave
  // other curves than the same command run here, with no word (a reliability trial).
  const others = workers.filter((w) => w.version !== version);
  const versions = others.length === 0 ? [] : [`${others.map((w) => `${w.id} runs LR Lab ${w.version}`).join('; ')}, this run ${version}: ${others.length === 1 ? 'its trials are' : 'their trials are'} computed by other code and may not match the others or a local run. Run the same LR Lab version on every worker.`];
  const kinds = new Map<string, string[]>();
  for (const w of workers) kinds.set(kindOf(w), [...(kinds.get(kindOf(w)) ?? []), w.id]);
  if (kinds.size <= 1) return versions;
  const list = [...kinds.entries()].map(([kind, ids]) => `${ids.join(', ')}: ${kind}`).join('; ');
  const backends = new Set(workers.map((w) => w.backend));
  const warnings: string[] = [...versions];
  if (comparesWallTime) {
    warnings.push(`${UNLIKE_WORKERS} (${list}): their wall-time comparison is not fair. Run the study on identical workers (start one kind of worker only) for a ranking by time.`);
  } else if (backends.size > 1) {
    warnings.push(`${MIXED_BACKENDS} (${list}): curves from different backends may differ slightly; compare within one backend.`);
  }
  return warnings;
}
