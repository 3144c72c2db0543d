/**
 * What comes back through Redis, checked before it is used: whoever can write to that Redis can
 * write a job's return value (or an event that claims one), so a trial's result is parsed against
 * the shape its kind returns locally (`TrialValues`, with the result schemas' rules: finite
 * numbers in range, text without control characters, bounded lists) and the worker that sent it
 * against `WorkerInfo`. `parse` gives a fresh copy built only from the named fields.
 */
import type { Schema } from '../../protocol/schema';
import { array, nullable, number, object, oneOf } from '../../protocol/schema';
import { batchSizeResultSchema, rangePointsSchema, shortRunSchema, streamPointSchema, workerInfoSchema } from '../../protocol/resultSchema';
import type { WorkerInfo } from '../../protocol/results';
import type { RangeCurve } from '../experiments/findLr';
import type { TrialKind, TrialValues } from '../experiments/trials';

/** `RangeCurve.points` is a mutable list (the result schemas' lists are read-only). */
const curvePoints: Schema<RangeCurve['points']> = { parse: (value, at) => [...rangePointsSchema.parse(value, at)], absent: 'refuse' };

const rangeCurveSchema = object<RangeCurve>({
  points: curvePoints,
  stopReason: oneOf(['completed', 'diverged', 'non-finite', 'cancelled'] as const),
  divergedAt: nullable(number({ exclusiveMin: 0 })),
  seconds: number({ min: 0 }),
  streamed: array(streamPointSchema, { max: 1_000_000 }),
});

const valueSchemas: { readonly [K in TrialKind]: Schema<TrialValues[K]> } = {
  'range-test': rangeCurveSchema,
  'short-run': shortRunSchema,
  'batch-size': batchSizeResultSchema,
};

/** A completed job's return value (`TrialJobResult`) for a trial of `kind`; throws a `SchemaError` naming the first field at fault. */
export function parseTrialResult<K extends TrialKind>(kind: K, raw: unknown): { readonly value: TrialValues[K]; readonly worker: WorkerInfo } {
  const result = object<{ value: TrialValues[K]; worker: WorkerInfo }>({ value: valueSchemas[kind], worker: workerInfoSchema });
  return result.parse(raw, 'result');
}
