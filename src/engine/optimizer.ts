/**
 * The engine's own optimizer. tfjs 4.22's optimizers cannot do what the method needs:
 * `MomentumOptimizer.setMomentum()` has no effect (the update uses a scalar built once), Adam's
 * `learningRate`/`beta1` are protected, and weight decay exists only as read-only loss
 * regularizers. Here learning rate, momentum (Adam/Adamax: beta1) and weight decay can change
 * every step, in PyTorch's conventions so that values carry over from PyTorch and the peers:
 *
 * - sgd / nesterov: `g' = g + wd*w; buf = m*buf + g'; w -= lr*buf` (nesterov: `w -= lr*(g' + m*buf)`).
 *   This is also what tfjs' MomentumOptimizer does, so an LR found here is the LR the inserted
 *   tfjs callback drives. (Caffe folds LR into the velocity and differs when LR moves.)
 * - adam: L2 `g' = g + wd*w`, then Adam with PyTorch's defaults (beta2 0.999, eps 1e-8).
 * - adamw: decoupled `w *= 1 - lr*wd`, then Adam on the raw gradient.
 *
 * The optimizers only tfjs has follow tfjs's own update exactly (tested against it), so an LR
 * found here is the LR of the user's `tf.train.*` optimizer, quirks included:
 * - rmsprop: `ms = rho*ms + (1-rho)*g²; mom = m*mom + lr*g/√(ms + eps); w -= mom` (LR folded into
 *   the momentum buffer, as tfjs does); centered: `mg = rho*mg + (1-rho)*g`, and the root is
 *   `√(ms - (mg² + eps))` — tfjs subtracts eps there.
 * - adagrad: `acc += g²` (starting at `initialAccumulatorValue`); `w -= lr*g/√(acc + eps)`.
 * - adadelta: `accG' = rho*accG + (1-rho)*g²; u = √(accU + eps)/√(accG + eps)*g` with the previous
 *   `accG` (as tfjs); `accU = rho*accU + (1-rho)*u²; w -= lr*u`.
 * - adamax: `m = b1*m + (1-b1)*g; u = max(b2*u, |g|); w -= lr/(1 + decay*t)/(1 - Πb1)*m/(u + eps)`.
 * Weight decay is L2 (`g' = g + wd*w`) for every optimizer but adamw, on kernels only unless
 * `decayAll` is set (method.md §5).
 *
 * State lives in tf.Variables updated with `assign` inside `tidy`, so the tensor count is flat
 * across steps. On wasm with LR Lab's FMA module, SGD, Nesterov, Adam and AdamW run each
 * parameter's whole update as one kernel (wasmKernels/optimizerUpdate.ts) with the same values to
 * the bit; everywhere else, and for the other optimizers, the tfjs ops below run.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { OptimizerName } from '../protocol/results';
import type { Tf } from './tfjs';
import { ADAM_UPDATE_KERNEL, SGD_UPDATE_KERNEL } from './wasmKernels/optimizerUpdate';

export interface OptimizerSettings {
  readonly name: OptimizerName;
  readonly lr: number;
  /** SGD/RMSprop momentum, or Adam/Adamax's beta1 (ignored by adagrad and adadelta). */
  readonly momentum: number;
  readonly weightDecay: number;
  /** Adam/Adamax's beta2 (0.999). */
  readonly beta2?: number;
  /** Added for stability (Adam 1e-8 as PyTorch; the tfjs-only optimizers tfjs's 1e-7). */
  readonly epsilon?: number;
  /** RMSprop's decay, Adadelta's rho (0.9 / 0.95). */
  readonly rho?: number;
  /** RMSprop: normalize by the centered second moment. */
  readonly centered?: boolean;
  /** Adagrad's starting accumulator (0.1). */
  readonly initialAccumulatorValue?: number;
  /** Adamax's LR decay per iteration (tfjs's `decay`, 0). */
  readonly decay?: number;
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

/** How many state tensors per parameter each optimizer keeps. */
const STATE: Readonly<Record<OptimizerName, number>> = { sgd: 1, nesterov: 1, adam: 2, adamw: 2, adamax: 2, rmsprop: 2, adagrad: 1, adadelta: 2 };

export class EngineOptimizer {
  private lr: number;
  private momentum: number;
  private weightDecay: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly rho: number;
  private readonly centered: boolean;
  private readonly decay: number;
  /** Per parameter: SGD velocity / Adam's first moment / RMSprop's momentum / Adagrad's and Adadelta's accumulated squares; then the second moment / infinity norm / mean square / accumulated updates; RMSprop centered: the mean gradient. */
  private readonly state: tfjs.Variable[][];
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
    this.epsilon = settings.epsilon ?? (name === 'adam' || name === 'adamw' ? 1e-8 : 1e-7);
    this.rho = settings.rho ?? (name === 'adadelta' ? 0.95 : 0.9);
    this.centered = settings.centered ?? false;
    this.decay = settings.decay ?? 0;
    const count = STATE[name] + (name === 'rmsprop' && this.centered ? 1 : 0);
    const initial = name === 'adagrad' ? (settings.initialAccumulatorValue ?? 0.1) : 0;
    // tidy disposes the tensors each variable was copied from (variables survive tidy).
    this.state = tf.tidy(() => params.map((p) => Array.from({ length: count }, (_, k) => tf.variable(k === 0 && initial !== 0 ? tf.fill(p.variable.shape, initial) : tf.zerosLike(p.variable), false))));
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
    const name = this.name;
    const iteration = this.steps;
    this.steps++;
    if (name === 'adam' || name === 'adamw' || name === 'adamax') {
      this.beta1Product *= this.momentum;
      this.beta2Product *= this.beta2;
    }
    const backend = tf.getBackend();
    const fusedSgd = (name === 'sgd' || name === 'nesterov') && tf.getKernel(SGD_UPDATE_KERNEL, backend) !== undefined;
    const fusedAdam = (name === 'adam' || name === 'adamw') && tf.getKernel(ADAM_UPDATE_KERNEL, backend) !== undefined;
    tf.tidy(() => {
      const lr = tf.scalar(this.lr);
      const m = tf.scalar(this.momentum);
      const wd = tf.scalar(this.weightDecay);
      for (let i = 0; i < this.params.length; i++) {
        const { variable, decay } = this.params[i]!;
        const [first, second, third] = this.state[i]!;
        let g = grads[i]!;
        const useDecay = decay && this.weightDecay !== 0;
        if ((fusedSgd || fusedAdam) && variable.dtype === 'float32' && g.dtype === 'float32') {
          // The whole update, decay included, in one kernel: the same values to the bit (optimizerUpdate.ts).
          if (fusedSgd) {
            const attrs = { lr: this.lr, momentum: this.momentum, weightDecay: this.weightDecay, decay: useDecay, nesterov: name === 'nesterov' };
            const [w, v] = tf.engine().runKernel<tfjs.Tensor[]>(SGD_UPDATE_KERNEL, { w: variable, v: first!, g }, attrs);
            first!.assign(v!);
            variable.assign(w!);
          } else {
            // The constants as the tfjs ops below hold them: float32 scalars of these doubles.
            const attrs = {
              lr: this.lr, beta1: this.momentum, oneMinusBeta1: Math.fround(1 - Math.fround(this.momentum)), beta2: this.beta2, oneMinusBeta2: 1 - this.beta2,
              correction1: 1 - this.beta1Product, correction2: 1 - this.beta2Product, epsilon: this.epsilon,
              decay: useDecay ? (name === 'adamw' ? 2 : 1) : 0, weightDecay: this.weightDecay,
            };
            const [w, m1, v2] = tf.engine().runKernel<tfjs.Tensor[]>(ADAM_UPDATE_KERNEL, { w: variable, m: first!, v: second!, g }, attrs);
            first!.assign(m1!);
            second!.assign(v2!);
            variable.assign(w!);
          }
          continue;
        }
        if (name === 'adamw') {
          if (useDecay) variable.assign(tf.mul(variable, tf.sub(1, tf.mul(lr, wd))));
        } else if (useDecay) {
          g = tf.add(g, tf.mul(wd, variable));
        }
        switch (name) {
          case 'sgd':
          case 'nesterov': {
            first!.assign(tf.add(tf.mul(m, first!), g));
            const update = name === 'nesterov' ? tf.add(g, tf.mul(m, first!)) : first!;
            variable.assign(tf.sub(variable, tf.mul(lr, update)));
            break;
          }
          case 'adam':
          case 'adamw': {
            first!.assign(tf.add(tf.mul(m, first!), tf.mul(tf.sub(1, m), g)));
            second!.assign(tf.add(tf.mul(this.beta2, second!), tf.mul(1 - this.beta2, tf.square(g))));
            const mHat = tf.div(first!, 1 - this.beta1Product);
            const vHat = tf.div(second!, 1 - this.beta2Product);
            variable.assign(tf.sub(variable, tf.mul(lr, tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)))));
            break;
          }
          case 'adamax': {
            first!.assign(tf.add(tf.mul(m, first!), tf.mul(tf.sub(1, m), g)));
            second!.assign(tf.maximum(tf.mul(this.beta2, second!), tf.abs(g)));
            const step = tf.div(tf.div(lr, 1 + this.decay * iteration), 1 - this.beta1Product);
            variable.assign(tf.sub(variable, tf.mul(step, tf.div(first!, tf.add(second!, this.epsilon)))));
            break;
          }
          case 'rmsprop': {
            second!.assign(tf.add(tf.mul(this.rho, second!), tf.mul(1 - this.rho, tf.square(g))));
            let denominator: tfjs.Tensor;
            if (this.centered) {
              third!.assign(tf.add(tf.mul(this.rho, third!), tf.mul(1 - this.rho, g)));
              denominator = tf.sqrt(tf.sub(second!, tf.add(tf.square(third!), this.epsilon)));
            } else {
              denominator = tf.sqrt(tf.add(second!, this.epsilon));
            }
            first!.assign(tf.add(tf.mul(m, first!), tf.div(tf.mul(g, lr), denominator)));
            variable.assign(tf.sub(variable, first!));
            break;
          }
          case 'adagrad': {
            first!.assign(tf.add(first!, tf.square(g)));
            variable.assign(tf.sub(variable, tf.mul(lr, tf.div(g, tf.sqrt(tf.add(first!, this.epsilon))))));
            break;
          }
          case 'adadelta': {
            const update = tf.mul(tf.div(tf.sqrt(tf.add(second!, this.epsilon)), tf.sqrt(tf.add(first!, this.epsilon))), g);
            first!.assign(tf.add(tf.mul(this.rho, first!), tf.mul(1 - this.rho, tf.square(g))));
            second!.assign(tf.add(tf.mul(this.rho, second!), tf.mul(1 - this.rho, tf.square(update))));
            variable.assign(tf.sub(variable, tf.mul(lr, update)));
            break;
          }
        }
      }
    });
  }

  dispose(): void {
    for (const v of this.state.flat()) v.dispose();
  }
}
