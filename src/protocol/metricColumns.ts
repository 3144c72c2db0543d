/**
 * Which metric columns a training table shows, and how a metric value reads — one rule for the
 * CLI (`lrlab train`) and the panel. Columns are the model's own metrics, by its names (`mae`,
 * `val mae`); the legacy `val acc` column (accuracy read off the loss) only when the model names
 * no accuracy of its own and there is one: a regression model gets no empty accuracy column.
 */
import type { EpochRecord } from './results';
import { formatNumber, formatPercent } from './format';

export interface MetricColumn {
  readonly title: string;
  readonly value: (record: EpochRecord) => number | null;
  readonly name: string;
}

/** Metrics reported as a share of samples, printed as percentages. */
export function isRateMetric(name: string): boolean {
  return /acc|precision|recall/i.test(name);
}

/** `98.8%` for accuracy-like metrics, LR Lab's number form otherwise (`0.0123`, `57.2`), `—` when missing. */
export function formatMetric(name: string, value: number | null | undefined): string {
  return isRateMetric(name) ? formatPercent(value) : formatNumber(value);
}

/** The model's metric names in the order they first appear (older records have none). */
export function metricNames(history: readonly EpochRecord[]): string[] {
  const names: string[] = [];
  for (const h of history) {
    for (const name of [...Object.keys(h.metrics ?? {}), ...Object.keys(h.valMetrics ?? {})]) {
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

export function metricColumns(history: readonly EpochRecord[]): MetricColumn[] {
  const names = metricNames(history);
  const columns: MetricColumn[] = [];
  for (const name of names) {
    if (history.some((h) => (h.metrics as EpochRecord['metrics'] | undefined)?.[name] !== undefined)) columns.push({ title: name, name, value: (h) => (h.metrics as EpochRecord['metrics'] | undefined)?.[name] ?? null });
    columns.push({ title: `val ${name}`, name, value: (h) => (h.valMetrics as EpochRecord['valMetrics'] | undefined)?.[name] ?? null });
  }
  if (!names.some(isRateMetric) && history.some((h) => h.valAccuracy !== null)) columns.push({ title: 'val acc', name: 'accuracy', value: (h) => h.valAccuracy });
  return columns;
}
