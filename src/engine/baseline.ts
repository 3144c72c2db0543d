/**
 * Reads the labels of the prepared splits and hands them to core's baseline maths
 * (`src/core/baseline.ts`): once per loaded model, so every result of the process reports the
 * same baseline.
 */
import type { Baseline } from '../protocol/results';
import type { BaselineLoss, LabelMatrix } from '../core/baseline';
import { baselineLossOf, computeBaseline } from '../core/baseline';
import type { Split } from './trainer';

/**
 * The labels as a matrix for `loss`: one-hot rows of the last axis (categorical), one index per
 * row (sparse), every label element its own column (binary, MSE, MAE, hinge: their constant optimum is
 * per element, and tfjs averages the loss over elements).
 */
function labelMatrix(split: Split, loss: BaselineLoss | null): LabelMatrix {
  const values = split.ys.dataSync();
  const size = values.length;
  const rows = Math.max(1, split.count);
  if (loss === 'categorical') {
    const width = split.ys.shape.at(-1) ?? 1;
    return { values, rows: Math.floor(size / width), width };
  }
  if (loss === 'sparse') return { values, rows: size, width: 1 };
  return { values, rows, width: Math.floor(size / rows) };
}

export interface TaskBaseline {
  readonly baseline: Baseline | null;
  /** How it was computed, or why there is none. */
  readonly reason: string;
}

export function taskBaseline(lossName: string, data: { readonly train: Split; readonly validation: Split }, outputUnits: number): TaskBaseline {
  const loss = baselineLossOf(lossName);
  if (loss === null) return computeBaseline(lossName, { values: [], rows: 0, width: 1 }, null, outputUnits);
  return computeBaseline(lossName, labelMatrix(data.train, loss), data.validation.count > 0 ? labelMatrix(data.validation, loss) : null, outputUnits);
}
