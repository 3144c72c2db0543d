/**
 * The engine's own optimizer. tfjs 4.22's optimizers cannot do what the method needs:
 * `MomentumOptimizer.setMomentum()` has no effect (the update uses a scalar built once), Adam's
 * `learningRate`/`beta1` are protected, and weight decay exists only as read-only loss
 * regularizers. Here learning rate, momentum (Adam: beta1) and weight decay can change every
 * step, in PyTorch's conventions so that values carry over from PyTorch and the peers:
 *
 * - sgd / nesterov: `g' = g + wd*w; buf = m*buf + g'; w -= lr*buf` (nesterov: `w -= lr*(g' + m*buf)`).
 *   This is also what tfjs' MomentumOptimizer does, so an LR found here is the LR the inserted
 *   tfjs callback drives. (Caffe folds LR into the velocity and differs when LR moves.)
 * - adam: L2 `g' = g + wd*w`, then Adam with PyTorch's defaults (beta2 0.999, eps 1e-8).
 * - adamw: decoupled `w *= 1 - lr*wd`, then Adam on the raw gradient.
 * Weight decay applies to kernels only unless `decayAll` is set (method.md §5).
 *
 * State lives in tf.Variables updated with `assign` inside `tidy`, so the tensor count is flat
 * across steps.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { OptimizerName } from '../protocol/results';
import type { Tf } from './tfjs';

export interface OptimizerSettings {
  readonly name: OptimizerName;
  readonly lr: number;
  /** SGD momentum, or Adam's beta1. */
  readonly momentum: number;
  readonly weightDecay: number;
  /** Adam's beta2 (PyTorch default 0.999). */
  readonly beta2?: number;
  /** Adam's epsilon (PyTorch default 1e-8; tfjs uses 1e-7). */
  readonly epsilon?: number;
}

export interface TrainableVariable {
  readonly variable: tfjs.Variable;
  /** Whether weight decay applies (kernels and embeddings, not biases or batch-norm parameters). */
  readonly decay: boolean;
}

/** Kernels and embeddings decay; biases, batch-norm gamma/beta and anything else do not. */
export function decaysByDefault(name: string): boolean {
  const leaf = name.split('/').pop() ?? name;
  return /kernel|embeddings/i.test(leaf) && !/bias/i.test(leaf);
}

export class EngineOptimizer {
  private lr: number;
  private momentum: number;
  private weightDecay: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  /** SGD velocity, or Adam's first moment. */
  private readonly first: tfjs.Variable[];
  /** Adam's second moment. */
  private readonly second: tfjs.Variable[];
  /** Product of the beta1 values used so far (bias correction that stays right when beta1 cycles). */
  private beta1Product = 1;
  private beta2Product = 1;
  private steps = 0;

  constructor(
    private readonly tf: Tf,
    private readonly params: readonly TrainableVariable[],
    private readonly name: OptimizerName,
    settings: Omit<OptimizerSettings, 'name'>,
  ) {
    this.lr = settings.lr;
    this.momentum = settings.momentum;
    this.weightDecay = settings.weightDecay;
    this.beta2 = settings.beta2 ?? 0.999;
    this.epsilon = settings.epsilon ?? 1e-8;
    const adam = name === 'adam' || name === 'adamw';
    // tidy disposes the zeros each variable was copied from (variables survive tidy).
    const zeros = (): tfjs.Variable[] => tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p.variable), false)));
    this.first = zeros();
    this.second = adam ? zeros() : [];
  }

  setLr(lr: number): void {
    this.lr = lr;
  }

  setMomentum(momentum: number): void {
    this.momentum = momentum;
  }

  setWeightDecay(weightDecay: number): void {
    this.weightDecay = weightDecay;
  }

  get stepCount(): number {
    return this.steps;
  }

  /** Applies one update from gradients given in the order of `params`. Does not dispose `grads`. */
  step(grads: readonly tfjs.Tensor[]): void {
    const tf = this.tf;
    this.steps++;
    const adam = this.name === 'adam' || this.name === 'adamw';
    if (adam) {
      this.beta1Product *= this.momentum;
      this.beta2Product *= this.beta2;
    }
    tf.tidy(() => {
      const lr = tf.scalar(this.lr);
      const m = tf.scalar(this.momentum);
      const wd = tf.scalar(this.weightDecay);
      for (let i = 0; i < this.params.length; i++) {
        const { variable, decay } = this.params[i]!;
        let g = grads[i]!;
        const useDecay = decay && this.weightDecay !== 0;
        if (this.name === 'adamw') {
          if (useDecay) variable.assign(tf.mul(variable, tf.sub(1, tf.mul(lr, wd))));
        } else if (useDecay) {
          g = tf.add(g, tf.mul(wd, variable));
        }
        if (adam) {
          const first = this.first[i]!;
          const second = this.second[i]!;
          first.assign(tf.add(tf.mul(m, first), tf.mul(tf.sub(1, m), g)));
          second.assign(tf.add(tf.mul(this.beta2, second), tf.mul(1 - this.beta2, tf.square(g))));
          const mHat = tf.div(first, 1 - this.beta1Product);
          const vHat = tf.div(second, 1 - this.beta2Product);
          variable.assign(tf.sub(variable, tf.mul(lr, tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)))));
        } else {
          const buf = this.first[i]!;
          buf.assign(tf.add(tf.mul(m, buf), g));
          const update = this.name === 'nesterov' ? tf.add(g, tf.mul(m, buf)) : buf;
          variable.assign(tf.sub(variable, tf.mul(lr, update)));
        }
      }
    });
  }

  dispose(): void {
    for (const v of [...this.first, ...this.second]) v.dispose();
  }
}
