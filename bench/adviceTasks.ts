/**
 * The advice-quality suite (bench/adviceQuality.ts): which tasks, how long each trains, which
 * are held out from tuning, and the explicit flags some need.
 *
 * Held out (chosen before any rule was tuned, 2026-11-30): `fashion-cnn`, `sequence-gru`,
 * `spiral-sgd0`. One of each family the tuning tasks do not pin down exactly: a CNN on a harder
 * real image set (its sibling `mnist-cnn` is in tuning), a recurrent sequence model (no sibling:
 * a real out-of-distribution check), and a plain-SGD (momentum 0) compiled model on a 2-D
 * geometric task (its optimizer differs from every tuning task's). The tuning tasks keep both
 * regressions (the rule must handle MSE scales) and the Adam model.
 */
export type TaskKind = 'classification' | 'regression';

export interface AdviceTask {
  readonly id: string;
  /** Model file, relative to the repository root. */
  readonly file: string;
  readonly kind: TaskKind;
  /** Classes (chance accuracy = 1/classes) for a classifier. */
  readonly classes?: number;
  /** Fixed training length of every oracle run. */
  readonly epochs: number;
  readonly heldOut: boolean;
  /** Extra flags for `lrlab find-lr` and `lrlab train` (the compiled optimizer's settings, until they are read automatically). */
  readonly findLrFlags: readonly string[];
  readonly trainFlags: readonly string[];
  readonly description: string;
}

export const ADVICE_TASKS: readonly AdviceTask[] = [
  { id: 'mnist-mlp', file: 'bench/tasks/mnistMlp.ts', kind: 'classification', classes: 10, epochs: 3, heldOut: false, findLrFlags: [], trainFlags: [], description: 'MNIST, MLP 784-128-10, 4k/2k' },
  { id: 'mnist-cnn', file: 'bench/tasks/mnistCnn.ts', kind: 'classification', classes: 10, epochs: 3, heldOut: false, findLrFlags: [], trainFlags: [], description: 'MNIST, CNN c8-c16, 3k/2k' },
  { id: 'tabular-class', file: 'bench/tasks/tabularClass.ts', kind: 'classification', classes: 4, epochs: 4, heldOut: false, findLrFlags: [], trainFlags: [], description: 'teacher-labelled tabular, MLP 20-64-64-4, 6k/2k' },
  { id: 'tabular-reg', file: 'bench/tasks/tabularRegression.ts', kind: 'regression', epochs: 5, heldOut: false, findLrFlags: [], trainFlags: [], description: "Friedman #1 regression (MSE), MLP 10-64-64-1, 6k/2k" },
  { id: 'least-squares', file: 'bench/tasks/leastSquares.ts', kind: 'regression', epochs: 3, heldOut: false, findLrFlags: [], trainFlags: [], description: 'linear least squares, cond. 100, 4k/2k' },
  { id: 'fashion-adam', file: 'bench/tasks/fashionAdam.ts', kind: 'classification', classes: 10, epochs: 3, heldOut: false, findLrFlags: ['--optimizer', 'adam'], trainFlags: ['--optimizer', 'adam'], description: 'Fashion-MNIST, MLP 784-128-64-10, Adam-compiled, 6k/2k' },
  { id: 'fashion-cnn', file: 'bench/tasks/fashionCnn.ts', kind: 'classification', classes: 10, epochs: 3, heldOut: true, findLrFlags: [], trainFlags: [], description: 'Fashion-MNIST, CNN c8-c16, 3k/2k' },
  { id: 'sequence-gru', file: 'bench/tasks/sequenceGru.ts', kind: 'classification', classes: 3, epochs: 3, heldOut: true, findLrFlags: [], trainFlags: [], description: 'token counting (length 12), embedding + GRU 16, 2k/1k' },
  { id: 'spiral-sgd0', file: 'bench/tasks/spiralSgd.ts', kind: 'classification', classes: 2, epochs: 5, heldOut: true, findLrFlags: ['--momentum', '0'], trainFlags: ['--no-cycle-momentum', '--momentum', '0'], description: 'two spirals, MLP 2-64-64-2 tanh, plain SGD-compiled, 4k/2k' },
];
