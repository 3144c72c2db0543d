/**
 * The hyper-parameters of each optimizer LR Lab drives, and what each runs with when neither a
 * flag, a setting nor the user's `model.compile` says (the option table's "else" for `momentum`,
 * `beta2` and `epsilon`; the engine's fallback in `src/engine/optimizerChoice.ts`).
 */
import type { OptimizerName } from './results';
import { OPTIMIZER_NAMES } from './results';

/** An optimizer's hyper-parameters; `null`: not one of this optimizer's. */
export interface OptimizerHyperParameters {
  /** SGD/Nesterov/RMSprop momentum, Adam/AdamW/Adamax beta1. */
  readonly momentum: number | null;
  readonly beta2: number | null;
  readonly epsilon: number | null;
  /** RMSprop's decay, Adadelta's rho. */
  readonly rho: number | null;
  readonly centered: boolean | null;
  readonly initialAccumulatorValue: number | null;
  /** Adamax's LR decay per iteration (tfjs's `decay`). */
  readonly decay: number | null;
}

const NO_HYPER: OptimizerHyperParameters = { momentum: null, beta2: null, epsilon: null, rho: null, centered: null, initialAccumulatorValue: null, decay: null };
const ADAM: OptimizerHyperParameters = { ...NO_HYPER, momentum: 0.9, beta2: 0.999, epsilon: 1e-8 };
/** tfjs's epsilon where its optimizers take the backend's (cpu, wasm and tensorflow: 1e-7). */
const TFJS_EPSILON = 1e-7;

/**
 * What an optimizer runs with when neither a flag, a setting nor the model's compile says: SGD
 * momentum 0.9 (Smith's range-test default), Adam's PyTorch defaults, and tfjs's own defaults for
 * the optimizers only tfjs has (`tf.train.rmsprop(lr)` has momentum 0).
 */
export const OPTIMIZER_DEFAULTS: Readonly<Record<OptimizerName, OptimizerHyperParameters>> = {
  sgd: { ...NO_HYPER, momentum: 0.9 },
  nesterov: { ...NO_HYPER, momentum: 0.9 },
  adam: ADAM,
  adamw: ADAM,
  adamax: { ...NO_HYPER, momentum: 0.9, beta2: 0.999, epsilon: TFJS_EPSILON, decay: 0 },
  rmsprop: { ...NO_HYPER, momentum: 0, rho: 0.9, epsilon: TFJS_EPSILON, centered: false },
  adagrad: { ...NO_HYPER, epsilon: TFJS_EPSILON, initialAccumulatorValue: 0.1 },
  adadelta: { ...NO_HYPER, rho: 0.95, epsilon: TFJS_EPSILON },
};

/** "sgd, nesterov 0.9; rmsprop 0" — an optimizer default in words, for the help and the settings. */
export function perOptimizer(key: 'momentum' | 'beta2' | 'epsilon'): string {
  const groups = new Map<string, OptimizerName[]>();
  for (const name of OPTIMIZER_NAMES) {
    const value = OPTIMIZER_DEFAULTS[name][key];
    if (value !== null) groups.set(String(value), [...(groups.get(String(value)) ?? []), name]);
  }
  return [...groups].map(([value, names]) => `${value} (${names.join(', ')})`).join(', ');
}
