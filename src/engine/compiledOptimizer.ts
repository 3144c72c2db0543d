/**
 * The optimizer of the user's `model.compile`, read from the model (tfjs's optimizer classes and
 * their `getConfig()`), so every experiment can use what the user trains with.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { OptimizerName } from '../protocol/results';

export interface CompiledOptimizer {
  readonly name: OptimizerName;
  /** tfjs's class name, e.g. 'Momentum'. */
  readonly className: string;
  readonly learningRate: number | null;
  /** SGD momentum (Adam: beta1); 0 for plain SGD. */
  readonly momentum: number | null;
}

/** The optimizer of the model's `compile`, in LR Lab's names; `null` when none or one LR Lab does not drive. */
export function resolveCompiledOptimizer(model: tfjs.LayersModel): CompiledOptimizer | null {
  const optimizer = (model as unknown as { optimizer?: unknown }).optimizer as
    | { getClassName?: () => string; learningRate?: unknown; momentum?: unknown; useNesterov?: unknown; beta1?: unknown }
    | undefined;
  const className = typeof optimizer?.getClassName === 'function' ? optimizer.getClassName() : null;
  if (optimizer === undefined || className === null) return null;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const learningRate = num(optimizer.learningRate);
  switch (className) {
    case 'SGD':
      return { name: 'sgd', className, learningRate, momentum: 0 };
    case 'Momentum':
      return { name: optimizer.useNesterov === true ? 'nesterov' : 'sgd', className, learningRate, momentum: num(optimizer.momentum) };
    case 'Adam':
    case 'Adamax':
      return { name: 'adam', className, learningRate, momentum: num(optimizer.beta1) };
    default:
      return null;
  }
}

/** Just the name of {@link resolveCompiledOptimizer}: 'momentum' is 'sgd' (or 'nesterov') with its momentum. */
export function resolveOptimizerName(model: tfjs.LayersModel): OptimizerName | null {
  return resolveCompiledOptimizer(model)?.name ?? null;
}
