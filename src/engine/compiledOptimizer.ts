/**
 * The optimizer of the user's `model.compile`, read from the model through tfjs's public
 * `model.optimizer`, `getClassName()` and `getConfig()`, so every experiment trains with what the
 * user trains with: its kind, learning rate, momentum (Adam/Adamax: beta1), beta2, epsilon, the
 * Nesterov flag, and RMSprop/Adagrad/Adadelta/Adamax's own hyper-parameters. String optimizers
 * (`compile({ optimizer: 'adam' })`) are tfjs optimizers with tfjs's defaults by then.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { OptimizerName } from '../protocol/results';

/** An optimizer LR Lab drives, with what the user's compile set. `null`: not a hyper-parameter of this optimizer. */
export interface CompiledOptimizer {
  readonly name: OptimizerName;
  /** tfjs's class name, e.g. 'Momentum'. */
  readonly className: string;
  readonly learningRate: number | null;
  /** SGD/RMSprop momentum (plain SGD: 0), Adam/Adamax beta1; `null` for Adagrad and Adadelta. */
  readonly momentum: number | null;
  readonly beta2: number | null;
  readonly epsilon: number | null;
  /** RMSprop's decay, Adadelta's rho. */
  readonly rho: number | null;
  readonly centered: boolean | null;
  readonly initialAccumulatorValue: number | null;
  /** Adamax's LR decay per iteration. */
  readonly decay: number | null;
}

/** A compiled optimizer LR Lab cannot drive (a custom class). */
export interface UnsupportedOptimizer {
  readonly name: null;
  readonly className: string;
}

const NONE = { learningRate: null, momentum: null, beta2: null, epsilon: null, rho: null, centered: null, initialAccumulatorValue: null, decay: null } as const;

/**
 * The compiled optimizer as a note names it: `tf.train.momentum(0.001, 0.9)` is LR Lab's sgd (or
 * nesterov) with that momentum, and a user's model compiled so read "compiles sgd with LR 0.001" —
 * the plain SGD they did not write (trial S).
 */
export function compiledOptimizerLabel(compiled: CompiledOptimizer): string {
  return compiled.className === 'Momentum' && compiled.momentum !== null ? `${compiled.name} (momentum ${compiled.momentum})` : compiled.name;
}

/** The optimizer of the model's `compile`; `null` when the model is not compiled. */
export function resolveCompiledOptimizer(model: tfjs.LayersModel): CompiledOptimizer | UnsupportedOptimizer | null {
  // tfjs types `optimizer` as always set; it is undefined until compile.
  const optimizer: tfjs.Optimizer | undefined = model.optimizer;
  if (optimizer === undefined || optimizer === null) return null;
  const className = optimizer.getClassName();
  const config = optimizer.getConfig();
  const num = (key: string): number | null => {
    const v = config[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const common = { ...NONE, className, learningRate: num('learningRate') };
  switch (className) {
    case 'SGD':
      return { ...common, name: 'sgd', momentum: 0 };
    case 'Momentum':
      return { ...common, name: config['useNesterov'] === true ? 'nesterov' : 'sgd', momentum: num('momentum') };
    case 'Adam':
      return { ...common, name: 'adam', momentum: num('beta1'), beta2: num('beta2'), epsilon: num('epsilon') };
    case 'Adamax':
      return { ...common, name: 'adamax', momentum: num('beta1'), beta2: num('beta2'), epsilon: num('epsilon'), decay: num('decay') };
    case 'RMSProp':
      return { ...common, name: 'rmsprop', momentum: num('momentum'), rho: num('decay'), epsilon: num('epsilon'), centered: config['centered'] === true };
    case 'Adagrad':
      return { ...common, name: 'adagrad', initialAccumulatorValue: num('initialAccumulatorValue') };
    case 'Adadelta':
      return { ...common, name: 'adadelta', rho: num('rho'), epsilon: num('epsilon') };
    default:
      return { name: null, className };
  }
}
