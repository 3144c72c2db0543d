/**
 * One of find-lr's short runs for the advice bench, the way the product makes it: `lrlab sweep
 * --short-runs` (1cycle at `maxLr`, min max/10, no weight decay, the compiled optimizer) on a task's
 * model file, in its own process with one wasm thread, read as find-lr reads it (early validation
 * loss, and the accuracy at the same checkpoints where the model has one).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { AdviceTask } from './adviceTasks';
import { earlyValAccuracy } from '../src/engine/experiments/shortRun';
import type { ShortRun } from '../src/protocol/results';

const ROOT = path.join(__dirname, '..');

export interface TrialRecord {
  readonly lr: number;
  readonly earlyValLoss: number | null;
  readonly diverged: boolean;
  /** Mean validation accuracy at the checkpoints `earlyValLoss` averages (absent for a regression, and in runs made before 2026-12-01 19:35). */
  readonly earlyValAccuracy?: number;
}

export function shortRunAt(task: AdviceTask, lr: number, steps: number, seed: number): TrialRecord {
  const argv = ['sweep', '--short-runs', path.join(ROOT, task.file), '--wd', '0', '--max-lr', String(lr), '--steps', String(steps), '--seed', String(seed), '--json', ...task.trainFlags];
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'lrlab'), ...argv], { encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LRLAB_WASM_THREADS: '1' } });
  try {
    const run = (JSON.parse(r.stdout) as { runs: ShortRun[] }).runs[0]!;
    const accuracy = earlyValAccuracy(run);
    return { lr, earlyValLoss: run.earlyValLoss, diverged: run.diverged, ...(accuracy === null ? {} : { earlyValAccuracy: accuracy }) };
  } catch {
    throw new Error(`lrlab ${argv.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  }
}
