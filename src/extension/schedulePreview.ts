/**
 * What "LR Lab: Preview 1cycle schedule" writes to the output channel: the schedule the Insert lens puts
 * in for the model's latest range test or recipe (`found`, from fileSchedules), else Smith's defaults.
 * No `vscode` here, so the lines are unit-tested.
 */
import { scheduleSteps, smith } from '../core/schedules';
import { formatLr } from '../protocol/format';
import { CYCLICAL_MOMENTUM } from '../protocol/options';

export interface PreviewFound {
  readonly maxLr: number;
  readonly minLr: number;
  readonly momentum: { readonly max: number; readonly min: number };
  /** Why the lens inserts the LR only (the optimizer keeps its momentum), as its title says it. */
  readonly fixedMomentum?: string;
}

/**
 * The heading and about 20 rows of the schedule at `maxLr` (as typed) over `total` steps. Its min LR is the
 * found one while the max LR is the found one, else max/10; its momentum the one the lens inserts for that
 * run — a recipe's constant 0.9 previewed as 0.95 → 0.85 beside a lens inserting 0.9 → 0.9 — or none where
 * the lens inserts the LR only. Throws an LrLabError naming a bad value.
 */
export function schedulePreview(found: PreviewFound | null, maxLr: string, total: number): string[] {
  const minLr = found !== null && String(found.maxLr) === maxLr ? found.minLr : Number(maxLr) / 10;
  const momentum = found?.momentum ?? CYCLICAL_MOMENTUM;
  const fixed = found?.fixedMomentum ?? null;
  const schedule = smith({ maxLr: Number(maxLr), minLr, totalSteps: Math.round(total), maxMomentum: momentum.max, baseMomentum: momentum.min });
  const rows = scheduleSteps(schedule, schedule.totalSteps ?? 0);
  const every = Math.max(1, Math.floor(rows.length / 20));
  const momentumText = fixed !== null ? `LR only: ${fixed}` : momentum.max === momentum.min ? `momentum ${momentum.max}, constant` : `momentum ${momentum.max} → ${momentum.min} → ${momentum.max}`;
  return [
    `1cycle as the Insert lens puts it in (lrlab schedule smith: LR ${formatLr(minLr)} → ${maxLr} → ${formatLr(minLr)} over 90% of the steps, then down to ${formatLr(minLr / 1000)}; ${momentumText}), ${rows.length} steps:`,
    ...rows.filter((r) => r.step % every === 0 || r.step === rows.length - 1).map((row) => `  step ${row.step}: lr ${formatLr(row.lr)}${fixed !== null ? '' : `, momentum ${row.momentum?.toFixed(3) ?? '—'}`}`),
  ];
}
