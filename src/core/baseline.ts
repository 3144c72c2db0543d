/**
 * The baseline of a task: the loss of a model that learned nothing (method.md, "Know the
 * baseline"). Such a model can still learn the best *constant* prediction — the class
 * frequencies, or the mean — so the baseline is the loss of that constant:
 * - softmax cross-entropy (one-hot or class indices): the entropy of the class frequencies,
 *   `−Σ p_c ln p_c` (ln C for C balanced classes) — `kind: 'chance'`;
 * - sigmoid / binary cross-entropy: the binary entropy of each output's label mean, averaged
 *   over outputs — `kind: 'chance'`;
 * - mean squared error: the label variance (predicting the mean), averaged over outputs;
 *   mean absolute error: the mean absolute deviation from the median (the constant that
 *   minimises it) — `kind: 'mean'`;
 * - Huber (`tf.losses.huberLoss` as a function: δ 1) and log-cosh (`'logcosh'`): the loss of the best
 *   constant per output, found by minimising the convex loss over the constant — `kind: 'mean'`,
 *   `constant: 'fitted'`;
 * - hinge and squared hinge (tfjs-layers': `max(0, 1 − y·ŷ)`, labels −1/1, or 0/1 taken as they
 *   are): the loss of the best constant margin per output, found by minimising the convex loss
 *   over the constant (1 − |p₊ − p₋| and 1 − (p₊ − p₋)² for −1/1 labels) — `kind: 'chance'`;
 * - tf.losses' ops given as functions: `softmaxCrossEntropy` (logits) as categorical, `sigmoidCrossEntropy`
 *   (logits) and `logLoss` as binary, `absoluteDifference` as MAE, `meanSquaredError` as MSE;
 * - mean absolute percentage error: the median of the labels weighted by 1 / |y| — `kind: 'mean'`;
 * - Kullback-Leibler divergence (`'kld'`): that of the label means as the prediction — `kind: 'chance'`;
 * - any other loss (categorical hinge, custom functions, ...): no baseline, with the reason. Poisson
 *   (`c − y·ln c`, best at the label mean) and cosine proximity (−|mean of the unit labels|) have a best
 *   constant, but its loss is below 0 wherever the labels are large or aligned, and the verdicts' bands
 *   are fractions of a baseline above 0.
 * The validation baseline is the loss of the *training* split's constant on the validation
 * labels: what a model that only learned the training prior scores there.
 *
 * Pure arithmetic on label arrays: the engine reads the labels and calls this.
 */
import type { Baseline } from '../protocol/results';
import { describeBaseline } from '../protocol/baselineText';
import { formatCount, formatNumber } from '../protocol/format';
import type { OptionNaming } from '../protocol/optionNaming';
import { ownValue } from '../protocol/own';

/** The name of a loss function without a name of its own (an arrow, or one named after the `loss` key it is given as). */
export const CUSTOM_LOSS = 'custom loss';

export { describeBaseline };

/**
 * tfjs clips predicted probabilities to [ε, 1 − ε] with ε = 1e-7 in its cross-entropies; a class
 * absent from the training split thus costs −ln ε ≈ 16.1 on validation, as it would in tfjs.
 */
export const PROBABILITY_EPSILON = 1e-7;

export type BaselineLoss = 'categorical' | 'sparse' | 'binary' | 'kld' | 'mse' | 'mae' | 'mape' | 'huber' | 'logcosh' | 'hinge' | 'squaredHinge';

/** Labels as a row-major `[rows, width]` matrix (class indices: width 1). */
export interface LabelMatrix {
  readonly values: ArrayLike<number>;
  readonly rows: number;
  readonly width: number;
}

export interface BaselineOutcome {
  readonly baseline: Baseline | null;
  /** How it was computed, or why there is none (for warnings and reasons). */
  readonly reason: string;
  /** A regression's best constant, one per label column (`kind: 'mean'`), which the engine checks the loss function against. */
  readonly constants?: readonly number[];
}

function key(name: string): string {
  return name.toLowerCase().replace(/[_\s-]/g, '');
}

const LOSS_KINDS: Readonly<Record<string, BaselineLoss>> = {
  categoricalcrossentropy: 'categorical',
  sparsecategoricalcrossentropy: 'sparse',
  binarycrossentropy: 'binary',
  meansquarederror: 'mse',
  mse: 'mse',
  meanabsoluteerror: 'mae',
  mae: 'mae',
  meanabsolutepercentageerror: 'mape',
  mape: 'mape',
  logcosh: 'logcosh',
  hinge: 'hinge',
  squaredhinge: 'squaredHinge',
  // tfjs-layers' 'kullbackLeiblerDivergence' ('kld'): Σ y·ln(y/p) per row, both clipped to [ε, 1].
  kullbackleiblerdivergence: 'kld',
  kld: 'kld',
  // tf.losses' ops given as functions: the same constant optimum (the logits losses' best constant
  // logits give the class frequencies).
  softmaxcrossentropy: 'categorical',
  sigmoidcrossentropy: 'binary',
  logloss: 'binary',
  absolutedifference: 'mae',
  // tf.losses.huberLoss given as the loss function is called with (labels, predictions): δ = 1. A user's
  // own function named so (\`const huber = (y, p) => tf.losses.huberLoss(y, p)\`) is taken at its name:
  // the engine checks that it scores the best constant as Huber does (engine/baseline.ts).
  huberloss: 'huber',
  huber: 'huber',
};

/** tf.losses.huberLoss's default δ: quadratic within it, linear beyond. */
const HUBER_DELTA = 1;

/** Which baseline a loss (by its tfjs name) has; `null` when it has none we know. */
export function baselineLossOf(lossName: string): BaselineLoss | null {
  return ownValue(LOSS_KINDS, key(lossName)) ?? null;
}

function clipProbability(p: number): number {
  return Math.min(1 - PROBABILITY_EPSILON, Math.max(PROBABILITY_EPSILON, p));
}

/** Mean of each column. */
function columnMeans(labels: LabelMatrix): number[] {
  const means = new Array<number>(labels.width).fill(0);
  for (let r = 0; r < labels.rows; r++) for (let c = 0; c < labels.width; c++) means[c]! += labels.values[r * labels.width + c]!;
  return means.map((s) => s / Math.max(1, labels.rows));
}

/** Class frequencies from class indices `0..classes-1` (a width-1 matrix). */
function classFrequencies(labels: LabelMatrix, classes: number): number[] {
  const counts = new Array<number>(Math.max(1, classes)).fill(0);
  for (let r = 0; r < labels.rows; r++) {
    const c = Math.round(labels.values[r * labels.width]!);
    if (c >= 0 && c < counts.length) counts[c]! += 1;
  }
  return counts.map((n) => n / Math.max(1, labels.rows));
}

/** tfjs's epsilon under the percentage error's |y| (tfjs-layers: `maximum(abs(yTrue), epsilon())`). */
const MAPE_EPSILON = 1e-7;

/**
 * The best constant under the mean absolute percentage error, per column: the median of the labels
 * weighted by 1 / |y| (each label's error counts relative to its own size).
 */
function weightedMedians(labels: LabelMatrix): number[] {
  const out: number[] = [];
  for (let c = 0; c < labels.width; c++) {
    const column = Array.from({ length: labels.rows }, (_, r) => labels.values[r * labels.width + c]!).sort((a, b) => a - b);
    const weights = column.map((y) => 1 / Math.max(Math.abs(y), MAPE_EPSILON));
    const half = weights.reduce((a, w) => a + w, 0) / 2;
    let sum = 0;
    let at = column.length === 0 ? 0 : column[column.length - 1]!;
    for (let i = 0; i < column.length; i++) {
      sum += weights[i]!;
      if (sum >= half) {
        at = column[i]!;
        break;
      }
    }
    out.push(at);
  }
  return out;
}

function columnMedians(labels: LabelMatrix): number[] {
  const out: number[] = [];
  for (let c = 0; c < labels.width; c++) {
    const column = Float64Array.from({ length: labels.rows }, (_, r) => labels.values[r * labels.width + c]!).sort();
    const m = column.length >> 1;
    out.push(column.length === 0 ? 0 : column.length % 2 === 1 ? column[m]! : (column[m - 1]! + column[m]!) / 2);
  }
  return out;
}

/**
 * The best constant distribution under KL divergence: the labels' mean distribution (the mean of
 * each column, over their sum: a softmax output's constant is a distribution).
 */
function meanDistribution(labels: LabelMatrix): number[] {
  const means = columnMeans(labels);
  const total = means.reduce((a, m) => a + m, 0);
  return total > 0 ? means.map((m) => m / total) : means;
}

/** tfjs-layers' KL divergence of each label row against the constant `q`, both clipped to [ε, 1], averaged over rows. */
function klDivergence(labels: LabelMatrix, q: readonly number[]): number {
  const clip = (x: number): number => Math.min(1, Math.max(PROBABILITY_EPSILON, x));
  let sum = 0;
  for (let r = 0; r < labels.rows; r++) {
    for (let c = 0; c < labels.width; c++) {
      const y = clip(labels.values[r * labels.width + c]!);
      sum += y * Math.log(y / clip(q[c]!));
    }
  }
  return sum / Math.max(1, labels.rows);
}

/**
 * The labels' own entropy under a cross-entropy: the loss of predicting each label exactly, the lowest
 * any model reaches. 0 for one-hot rows and 0/1 labels; soft labels (label smoothing, a teacher's
 * probabilities) leave more (a user's soft targets: 1.01, where "80.5% of the baseline" read as barely
 * learned). Per row (categorical) or per label (binary), averaged.
 */
function labelEntropy(loss: 'categorical' | 'binary', labels: LabelMatrix): number {
  const plogp = (p: number): number => (p > 0 ? p * Math.log(clipProbability(p)) : 0);
  let sum = 0;
  for (let i = 0; i < labels.rows * labels.width; i++) {
    const y = labels.values[i]!;
    sum -= loss === 'categorical' ? plogp(y) : plogp(y) + plogp(1 - y);
  }
  return sum / Math.max(1, loss === 'categorical' ? labels.rows : labels.rows * labels.width);
}

/** A label floor under this share of the baseline is rounding (tfjs's clipping of one-hot labels), not soft labels. */
const FLOOR_SHARE = 0.01;

/** Cross-entropy of label distribution `p` against the constant prediction `q`. */
function crossEntropy(p: readonly number[], q: readonly number[]): number {
  let sum = 0;
  for (let c = 0; c < p.length; c++) if (p[c]! > 0) sum -= p[c]! * Math.log(clipProbability(q[c]!));
  return sum;
}

/** Mean over outputs of the binary cross-entropy of label means `p` against constants `q`. */
function binaryCrossEntropy(p: readonly number[], q: readonly number[]): number {
  let sum = 0;
  for (let c = 0; c < p.length; c++) {
    const qc = clipProbability(q[c]!);
    sum -= p[c]! * Math.log(qc) + (1 - p[c]!) * Math.log(1 - qc);
  }
  return sum / Math.max(1, p.length);
}

/** Mean over outputs of the mean of `f(label, constant)`. */
function meanOver(labels: LabelMatrix, constants: readonly number[], f: (y: number, c: number) => number): number {
  let sum = 0;
  for (let r = 0; r < labels.rows; r++) for (let c = 0; c < labels.width; c++) sum += f(labels.values[r * labels.width + c]!, constants[c]!);
  return sum / Math.max(1, labels.rows * labels.width);
}

/** A hinge loss of one label against a constant margin `c` (tfjs-layers' `hinge` / `squaredHinge`). */
function hingeOf(loss: 'hinge' | 'squaredHinge', y: number, c: number): number {
  const m = Math.max(0, 1 - y * c);
  return loss === 'hinge' ? m : m * m;
}

/** Huber (δ 1) or log-cosh of one error. */
function robustOf(loss: 'huber' | 'logcosh', d: number): number {
  const a = Math.abs(d);
  if (loss === 'huber') return a <= HUBER_DELTA ? 0.5 * a * a : HUBER_DELTA * (a - 0.5 * HUBER_DELTA);
  // log cosh d = |d| + log(1 + e^(−2|d|)) − log 2, without overflow for large |d|.
  return a + Math.log1p(Math.exp(-2 * a)) - Math.LN2;
}

/** The minimum of a function convex on [lo, hi], by golden-section search (to 1e-12 of the interval). */
function convexMinimum(f: (k: number) => number, lo: number, hi: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  const width = hi - lo;
  for (let i = 0; i < 80 && hi - lo > 1e-12 * width; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (f(a) <= f(b)) hi = b;
    else lo = a;
  }
  return (lo + hi) / 2;
}

/** Column `c`'s sum of `loss(label, k)`. */
function columnSum(labels: LabelMatrix, c: number, loss: (y: number) => number): number {
  let sum = 0;
  for (let r = 0; r < labels.rows; r++) sum += loss(labels.values[r * labels.width + c]!);
  return sum;
}

/**
 * Per column, the constant margin that minimises a hinge loss: the loss is convex in it, so a
 * golden-section search over [−B, B] finds it, B = the largest 1/|y| (past every kink; 1 for −1/1
 * labels).
 */
function hingeConstants(loss: 'hinge' | 'squaredHinge', labels: LabelMatrix): number[] {
  const out: number[] = [];
  for (let c = 0; c < labels.width; c++) {
    let bound = 1;
    for (let r = 0; r < labels.rows; r++) {
      const y = Math.abs(labels.values[r * labels.width + c]!);
      if (y > 0) bound = Math.max(bound, 1 / y);
    }
    out.push(bound > 0 ? convexMinimum((k) => columnSum(labels, c, (y) => hingeOf(loss, y, k)), -bound, bound) : 0);
  }
  return out;
}

/** Huber (δ 1) or log-cosh's derivative in the error: clipped to ±δ, or tanh. Increasing, so its sum over a column has one root in the constant. */
function robustSlope(loss: 'huber' | 'logcosh', d: number): number {
  return loss === 'huber' ? Math.max(-HUBER_DELTA, Math.min(HUBER_DELTA, d)) : Math.tanh(d);
}

/** The constant's search reads at most this many label values per column (evenly spaced rows): a 60,000×784 autoencoder's labels are 47 M. */
const ROBUST_SEARCH_ROWS = 4096;

/**
 * Per column, the constant that minimises Huber or log-cosh loss: where the sum of the loss's slope
 * over the column's labels crosses 0 (the loss is convex; the constant lies between the smallest and
 * largest label), by bisection to 1e-9 of that span, on at most ROBUST_SEARCH_ROWS rows.
 */
function robustConstants(loss: 'huber' | 'logcosh', labels: LabelMatrix): number[] {
  const out: number[] = [];
  const stride = Math.max(1, Math.floor(labels.rows / ROBUST_SEARCH_ROWS));
  for (let c = 0; c < labels.width; c++) {
    const column: number[] = [];
    for (let r = 0; r < labels.rows; r += stride) column.push(labels.values[r * labels.width + c]!);
    let [lo, hi] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (const y of column) [lo, hi] = [Math.min(lo, y), Math.max(hi, y)];
    if (!(hi > lo)) {
      out.push(Number.isFinite(lo) ? lo : 0);
      continue;
    }
    const span = hi - lo;
    // The sum of slopes falls as the constant rises: positive below the optimum, negative above it.
    for (let i = 0; i < 64 && hi - lo > 1e-9 * span; i++) {
      const mid = (lo + hi) / 2;
      let sum = 0;
      for (const y of column) sum += robustSlope(loss, y - mid);
      if (sum > 0) lo = mid;
      else hi = mid;
    }
    out.push((lo + hi) / 2);
  }
  return out;
}

/** The constant a model that learned nothing predicts, fitted on `labels`. */
function bestConstant(loss: BaselineLoss, labels: LabelMatrix, classes: number): number[] {
  switch (loss) {
    case 'sparse':
      return classFrequencies(labels, classes);
    case 'mae':
      return columnMedians(labels);
    case 'mape':
      return weightedMedians(labels);
    case 'huber':
    case 'logcosh':
      return robustConstants(loss, labels);
    case 'hinge':
    case 'squaredHinge':
      return hingeConstants(loss, labels);
    case 'kld':
      return meanDistribution(labels);
    default:
      return columnMeans(labels);
  }
}

/** The loss of predicting `constant` for every sample of `labels`. */
function constantLoss(loss: BaselineLoss, labels: LabelMatrix, constant: readonly number[], classes: number): number {
  switch (loss) {
    case 'categorical':
      return crossEntropy(columnMeans(labels), constant);
    case 'sparse':
      return crossEntropy(classFrequencies(labels, classes), constant);
    case 'binary':
      return binaryCrossEntropy(columnMeans(labels), constant);
    case 'kld':
      return klDivergence(labels, constant);
    case 'mse':
      return meanOver(labels, constant, (y, c) => (y - c) * (y - c));
    case 'mae':
      return meanOver(labels, constant, (y, c) => Math.abs(y - c));
    case 'mape':
      return meanOver(labels, constant, (y, c) => (100 * Math.abs(y - c)) / Math.max(Math.abs(y), MAPE_EPSILON));
    case 'huber':
    case 'logcosh':
      return meanOver(labels, constant, (y, c) => robustOf(loss, y - c));
    case 'hinge':
    case 'squaredHinge':
      return meanOver(labels, constant, (y, c) => hingeOf(loss, y, c));
  }
}

/**
 * A classifier's chance accuracy on `validation`: the best any constant prediction scores there — its
 * most frequent class (one-hot rows and class indices), each output's more frequent side (sigmoid and
 * hinge outputs, scored per label as tfjs's accuracies do). Not the training split's majority scored
 * on validation: where the splits' majorities differ, a model that always predicts the validation
 * majority would read as above chance. `null` for regressions.
 */
function chanceAccuracy(loss: BaselineLoss, lossName: string, validation: LabelMatrix, classes: number): number | null {
  const largest = (xs: readonly number[]): number => xs.reduce((a, x) => (x > a ? x : a), 0);
  if (loss === 'categorical' || loss === 'sparse') {
    if (loss === 'sparse') return largest(classFrequencies(validation, classes));
    // Each one-hot row's class as narrowValidation reads it (its largest column).
    const counts = new Array<number>(validation.width).fill(0);
    for (const c of rowClasses('categorical', validation)!) counts[c]! += 1;
    return largest(counts) / Math.max(1, validation.rows);
  }
  if (loss === 'binary' || loss === 'hinge' || loss === 'squaredHinge') {
    // tfjs's binaryAccuracy reads a sigmoid's label as positive above 0.5; a hinge's label, and the label
    // of tf.losses.sigmoidCrossEntropy (logits), count as positive above 0, as LR Lab's accuracy of those
    // models reads them (engine/metrics.ts signAccuracy): a soft label of 0.3 is positive there.
    const at = loss === 'binary' && key(lossName) !== 'sigmoidcrossentropy' ? 0.5 : 0;
    let right = 0;
    for (let c = 0; c < validation.width; c++) {
      let up = 0;
      for (let r = 0; r < validation.rows; r++) if (validation.values[r * validation.width + c]! > at) up++;
      right += Math.max(up, validation.rows - up);
    }
    return right / Math.max(1, validation.rows * validation.width);
  }
  return null;
}

/**
 * Which class each row is, for a classifier with one label per row: its index (sparse), its one-hot
 * row's largest column (categorical), its side of 0.5 (one binary output). `null` for other losses and
 * for several binary outputs (multi-label: each its own class pair).
 */
function rowClasses(loss: BaselineLoss, labels: LabelMatrix): number[] | null {
  const out: number[] = [];
  if (loss === 'sparse') {
    for (let r = 0; r < labels.rows; r++) out.push(Math.round(labels.values[r * labels.width]!));
  } else if (loss === 'categorical') {
    for (let r = 0; r < labels.rows; r++) {
      let best = 0;
      for (let c = 1; c < labels.width; c++) if (labels.values[r * labels.width + c]! > labels.values[r * labels.width + best]!) best = c;
      out.push(best);
    }
  } else if (loss === 'binary' && labels.width === 1) {
    for (let r = 0; r < labels.rows; r++) out.push(labels.values[r]! > 0.5 ? 1 : 0);
  } else {
    return null;
  }
  return out;
}

/** Each row's class in both splits (`rowClasses`), for the checks of what a validation split holds; `null` where they do not apply or a split is empty. */
function splitClasses(lossName: string, train: LabelMatrix, validation: LabelMatrix): { readonly loss: BaselineLoss; readonly trained: number[]; readonly validated: number[] } | null {
  const loss = baselineLossOf(lossName);
  if (loss === null || validation.rows === 0 || train.rows === 0) return null;
  const trained = rowClasses(loss, train);
  const validated = rowClasses(loss, validation);
  return trained === null || validated === null ? null : { loss, trained, validated };
}

/** How often a random validation split may miss the classes it misses for `narrowValidation` to stay quiet. */
const NARROW_CHANCE = 1e-3;

/** A validation split that holds far fewer of the training split's classes than a random one would. */
export interface NarrowValidation {
  /** The classes the training split has. */
  readonly trainClasses: number;
  /** The training split's classes the validation split holds (ascending). */
  readonly validationClasses: readonly number[];
  /** Classes of the validation split that the training split lacks (ascending): no run can learn them. */
  readonly unseen: readonly number[];
  /** How many classes a random split of as many rows, drawn from the training split's frequencies, would hold on average. */
  readonly expected: number;
  /** The training split's share of samples in classes the validation split lacks. */
  readonly missingShare: number;
  readonly validationRows: number;
  /** One binary output: its classes are the labels 0 and 1. */
  readonly binary: boolean;
}

/**
 * A classifier's validation split that holds at most half the classes a random split of its size would
 * (Σ over the training split's classes of 1 − (1 − f)^rows): samples sorted by class, split after. fit's
 * validationSplit takes the last share of the samples unshuffled, as tfjs does, so a training script with
 * its data grouped by label validated on one class: its accuracy read 100%, the chance level there, and
 * the advice and verdicts read a loss that says nothing of the other classes. Only where a random split
 * would miss those classes rarely (NARROW_CHANCE). `null` where it does not apply (a regression, several
 * binary outputs, one training class, no validation rows) or is not narrow.
 */
export function narrowValidation(lossName: string, train: LabelMatrix, validation: LabelMatrix): NarrowValidation | null {
  const split = splitClasses(lossName, train, validation);
  if (split === null) return null;
  const { loss, trained, validated } = split;
  const counts = new Map<number, number>();
  for (const c of trained) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size < 2) return null;
  const held = new Set(validated.filter((c) => counts.has(c)));
  const unseen = [...new Set(validated.filter((c) => !counts.has(c)))].sort((a, b) => a - b);
  let expected = 0;
  let missing = 0;
  for (const [c, n] of counts) {
    const f = n / trained.length;
    expected += 1 - Math.pow(1 - f, validated.length);
    if (!held.has(c)) missing += f;
  }
  // Half of what a random split would hold, or fewer (a hair's tolerance: two labels expected read 1.9999999);
  // and missing what it misses by chance only rarely: (1 − that share)^rows below NARROW_CHANCE (five
  // validation samples of two even labels are one label 6% of the time).
  if (held.size > expected / 2 + 1e-6 || Math.pow(1 - missing, validated.length) >= NARROW_CHANCE) return null;
  return { trainClasses: counts.size, validationClasses: [...held].sort((a, b) => a - b), unseen, expected, missingShare: missing, validationRows: validated.length, binary: loss === 'binary' };
}

/** Classes named one by one in the warning; past this, how many. */
const NARROW_LISTED = 5;

/** A class with fewer validation samples than this moves the validation loss by one or two of them (`rareInValidation`). */
export const FEW_OF_A_CLASS = 10;
/** Classes up to which one rare class weighs on the whole validation loss (among more, each class's share of it is small anyway). */
const RARE_CLASSES_MAX = 10;

/** The validation split's rarest class of a classifier, where it holds fewer than FEW_OF_A_CLASS samples of it. */
export interface RareInValidation {
  readonly cls: number;
  readonly count: number;
  readonly validationRows: number;
  readonly binary: boolean;
}

/**
 * A class the training split has that the validation split holds fewer than FEW_OF_A_CLASS samples
 * of (the rarest one), and under half an even share, on a classifier of at most RARE_CLASSES_MAX
 * classes: the validation loss, which every verdict, epoch count and short-run ranking reads, then
 * moves with one or two of those samples' confidence. A 99:1 task's 200 validation samples held 2 positives, and "overfitting: rose 145.7%"
 * was 0.017, one sample's worth. `null` otherwise. (Where `narrowValidation` finds the split narrow, its
 * warning says more: the caller asks this one only where it does not.)
 */
export function rareInValidation(lossName: string, train: LabelMatrix, validation: LabelMatrix): RareInValidation | null {
  const split = splitClasses(lossName, train, validation);
  if (split === null) return null;
  const { loss, trained, validated } = split;
  const classes = new Set(trained);
  if (classes.size < 2 || classes.size > RARE_CLASSES_MAX) return null;
  const counts = new Map<number, number>([...classes].map((c) => [c, 0]));
  for (const c of validated) if (counts.has(c)) counts.set(c, counts.get(c)! + 1);
  let rarest: [number, number] | null = null;
  for (const [c, n] of counts) if (rarest === null || n < rarest[1]) rarest = [c, n];
  // Few of it, and few against the others (under half an even share): a balanced split of few samples is
  // the few-samples warning's, not this one's.
  if (rarest === null || rarest[1] >= FEW_OF_A_CLASS || rarest[1] === 0 || rarest[1] >= validated.length / (2 * classes.size)) return null;
  return { cls: rarest[0], count: rarest[1], validationRows: validated.length, binary: loss === 'binary' };
}

/**
 * How to hold out more validation samples, in its reader's terms: the share LR Lab holds out where it
 * held one out, else the validation data the caller gave (`validationGiven`). A loadData that returned
 * its own validation split was told "--validation-split", which it ignores.
 */
export function moreValidation(naming: OptionNaming, validationGiven: boolean): string {
  if (naming === 'flag') return validationGiven ? 'a larger validation split from loadData' : 'a larger --validation-split, or return a validation split from loadData()';
  return validationGiven ? 'more validationData' : 'a larger validationSplit, or validationData';
}

/** The warning for a class the validation split holds few samples of. */
export function describeRareInValidation(r: RareInValidation, naming: OptionNaming, validationGiven: boolean): string {
  const what = r.binary ? `label ${r.cls}` : `class ${r.cls}`;
  const more = moreValidation(naming, validationGiven);
  return `The validation split holds ${formatCount(r.count, 'sample')} of ${what} (of ${r.validationRows}): the validation loss, which every verdict, epoch count and short-run ranking reads, moves with those few samples' confidence, so a rise or a fall of one of them can decide a verdict. Hold out more of ${what} (${more}; at least ${FEW_OF_A_CLASS}, e.g. by splitting each class in the same share).`;
}

/** The warning for a validation split narrow in classes: what it does to every judgement, and what to change (as its reader names it). */
export function describeNarrowValidation(n: NarrowValidation, naming: OptionNaming): string {
  const word = n.binary ? 'label' : 'class';
  const plural = n.binary ? 'labels' : 'classes';
  const list = (xs: readonly number[]): string => (xs.length <= NARROW_LISTED ? xs.join(', ') : `${xs.slice(0, NARROW_LISTED).join(', ')} and ${xs.length - NARROW_LISTED} more`);
  const k = n.validationClasses.length;
  const holds = k === 0 ? 'none' : k === 1 ? `one ${word} only (${word} ${list(n.validationClasses)})` : `${k} ${plural} (${list(n.validationClasses)})`;
  const unseen = n.unseen.length === 0 ? '' : `, and ${n.unseen.length === 1 ? `${word} ${n.unseen[0]!}` : `${plural} ${list(n.unseen)}`} that it lacks`;
  const share = `${Math.round(100 * n.missingShare)}%`;
  const fix =
    naming === 'flag'
      ? `The samples look sorted by ${word}, and the validation split a share of them taken in that order (fit's validationSplit takes the last share, unshuffled, as tfjs does). Shuffle the samples (xs and ys together) before they are split, or give validation data drawn from every ${word}.`
      : `The samples look sorted by ${word}: shuffle them (xs and ys together) before splitting off validationData, or leave validationData out to have findLr hold out a random share (validationSplit).`;
  return `The validation split holds ${holds} of the ${n.trainClasses} ${plural} the training split has${unseen}, where a random split of its ${n.validationRows} samples would hold about ${formatNumber(Number(n.expected.toPrecision(2)))} of them: its loss and accuracy, which every verdict, epoch count and short-run ranking reads, say nothing of the ${plural} it lacks (${share} of the training samples). ${fix}`;
}

/**
 * A hinge loss given labels of 0 and 1: tfjs's `hinge` and `squaredHinge` read a label as the sign
 * of the class (−1 or +1) and, unlike Keras, do not map 0/1 labels to it. A label of 0 then costs
 * max(0, 1 − 0·p) = 1 whatever the model predicts: those samples teach nothing, and no LR learns
 * them (a user's 0/1 task read "run more --steps … check the data and labels", accuracy far below
 * chance). The share of zero labels, or `null` where the labels are not 0/1 with a 0 among them.
 */
export function hingeZeroOneLabels(lossName: string, train: LabelMatrix): { readonly zeros: number; readonly labels: number } | null {
  const loss = baselineLossOf(lossName);
  if (loss !== 'hinge' && loss !== 'squaredHinge') return null;
  let zeros = 0;
  const n = train.rows * train.width;
  for (let i = 0; i < n; i++) {
    const y = train.values[i]!;
    if (y === 0) zeros++;
    else if (y !== 1) return null;
  }
  return zeros === 0 ? null : { zeros, labels: n };
}

export function describeHingeZeroOne(lossName: string, z: { readonly zeros: number; readonly labels: number }): string {
  return `The labels are 0 and 1, but tfjs's ${lossName} loss reads a label as −1 or +1 and does not convert 0/1 labels as Keras does: each label 0 (${formatCount(z.zeros, 'label')} of ${z.labels}) costs 1 whatever the model predicts, so those samples teach it nothing and no learning rate fixes that. Map the labels to −1/+1 (ys.mul(2).sub(1)), or use 'binaryCrossentropy' with a sigmoid output.`;
}

/** A model's outputs whose training labels are one value each (of several outputs), with that value. */
export interface ConstantOutputs {
  /** 0-based outputs, ascending, and the value each one's labels hold. */
  readonly outputs: readonly { readonly output: number; readonly value: number }[];
  readonly width: number;
}

/**
 * Of several sigmoid, hinge or regression outputs, those whose every training label is the same (a
 * multi-label task's label never present in the training split): the model learns to predict that
 * constant there, whatever the validation labels hold, and nothing in a run says so (a user's fourth
 * label, 0 in all 400 training rows, had 2% positives in validation). `null` where there are none, or
 * every output is constant (`constantLabels` says that).
 */
export function constantOutputs(lossName: string, train: LabelMatrix): ConstantOutputs | null {
  const loss = baselineLossOf(lossName);
  // Up to CONSTANT_OUTPUTS_MAX outputs: an autoencoder's image has pixels that are 0 in every training
  // image (a digit's corners), which it should predict as 0.
  if (loss === null || loss === 'categorical' || loss === 'sparse' || loss === 'kld' || train.width < 2 || train.width > CONSTANT_OUTPUTS_MAX || train.rows < 2) return null;
  const outputs: { output: number; value: number }[] = [];
  for (let c = 0; c < train.width; c++) {
    const first = train.values[c]!;
    let same = true;
    for (let r = 1; r < train.rows && same; r++) same = train.values[r * train.width + c] === first;
    if (same) outputs.push({ output: c, value: first });
  }
  return outputs.length === 0 || outputs.length === train.width ? null : { outputs, width: train.width };
}

/** Outputs up to which a constant one is said (`constantOutputs`): labels and targets, not an image's pixels. */
const CONSTANT_OUTPUTS_MAX = 64;

/** Outputs named one by one in the constant-outputs warning; past this, how many more. */
const CONSTANT_LISTED = 5;

export function describeConstantOutputs(c: ConstantOutputs): string {
  const listed = c.outputs.slice(0, CONSTANT_LISTED).map((o) => `output ${o.output + 1} (all ${formatNumber(o.value)})`).join(', ');
  const more = c.outputs.length > CONSTANT_LISTED ? ` and ${c.outputs.length - CONSTANT_LISTED} more` : '';
  const which = c.outputs.length === 1 ? 'One output has' : `${c.outputs.length} of the ${c.width} outputs have`;
  return `${which} the same training label in every row: ${listed}${more}. The model can only learn to predict that value there, whatever its validation labels hold, and the loss and accuracy average it in. Check those labels (a label missing from the training split?), or drop the output.`;
}

/** A classifier's chance accuracy on its validation labels, where its loss has no baseline. */
export interface ChanceAccuracy {
  /** The best validation accuracy of a constant prediction (chanceAccuracy). */
  readonly accuracy: number;
  readonly valSamples: number;
}

/**
 * The chance accuracy of a classifier whose loss LR Lab has no baseline for (a custom loss function,
 * e.g. `tf.losses.softmaxCrossEntropy` with label smoothing), read as its `accuracy` metric reads the
 * outputs: `binary` for one output unit, else `categorical` (one-hot rows). `null` without labels.
 */
export function chanceWithoutBaseline(kind: 'categorical' | 'binary', validation: LabelMatrix, classes: number): ChanceAccuracy | null {
  if (validation.rows === 0) return null;
  const accuracy = chanceAccuracy(kind, '', validation, classes);
  return accuracy === null ? null : { accuracy, valSamples: validation.rows };
}

/** A regression loss's value for predicting `constants` (one per label column) on `labels`; `null` for other losses. */
export function regressionConstantLoss(lossName: string, labels: LabelMatrix, constants: readonly number[]): number | null {
  const loss = baselineLossOf(lossName);
  return loss === 'mse' || loss === 'mae' || loss === 'mape' || loss === 'huber' || loss === 'logcosh' ? constantLoss(loss, labels, constants, 1) : null;
}

/**
 * The baseline of a task from its labels. `classes` is the number of output units (the class
 * count for class indices). `null` with the reason for losses without a known constant optimum
 * and for empty labels.
 */
export function computeBaseline(lossName: string, train: LabelMatrix, validation: LabelMatrix | null, classes: number): BaselineOutcome {
  const loss = baselineLossOf(lossName);
  if (loss === null) {
    const which = lossName === CUSTOM_LOSS ? 'a custom loss function' : `the loss '${lossName}'`;
    return { baseline: null, reason: `no baseline for ${which}: LR Lab knows the best constant prediction only for cross-entropy, Kullback-Leibler divergence, mean squared, mean absolute and mean absolute percentage error, Huber (tf.losses.huberLoss as it is, δ 1), log-cosh and hinge` };
  }
  if (train.rows === 0) return { baseline: null, reason: 'no baseline: the training split has no labels' };
  const constant = bestConstant(loss, train, classes);
  const trainLoss = constantLoss(loss, train, constant, classes);
  const valLoss = validation === null || validation.rows === 0 ? null : constantLoss(loss, validation, constant, classes);
  const kind = loss === 'mse' || loss === 'mae' || loss === 'mape' || loss === 'huber' || loss === 'logcosh' ? 'mean' : 'chance';
  const finite = (x: number | null): x is number => x !== null && Number.isFinite(x);
  if (!finite(trainLoss)) return { baseline: null, reason: 'no baseline: the labels give a non-finite constant loss' };
  const chance = validation === null || validation.rows === 0 ? null : chanceAccuracy(loss, lossName, validation, classes);
  // Sigmoid and hinge outputs are scored each on its own (chanceAccuracy): several are several labels per sample.
  const perOutput = loss === 'binary' || loss === 'hinge' || loss === 'squaredHinge';
  // Soft labels under a cross-entropy: the lowest loss any model reaches is their entropy, not 0.
  const entropy = loss === 'categorical' || loss === 'binary' ? labelEntropy(loss, train) : 0;
  const floor = entropy > FLOOR_SHARE * trainLoss ? { loss: entropy, valLoss: validation === null || validation.rows === 0 ? null : labelEntropy(loss as 'categorical' | 'binary', validation) } : null;
  const baseline: Baseline = {
    loss: trainLoss,
    valLoss: finite(valLoss) ? valLoss : null,
    kind,
    ...(floor === null ? {} : { floor }),
    ...(loss === 'mae' ? { constant: 'median' as const } : loss === 'huber' || loss === 'logcosh' || loss === 'mape' ? { constant: 'fitted' as const } : {}),
    ...(chance === null || validation === null ? {} : { accuracy: chance, valSamples: validation.rows, ...(perOutput && validation.width > 1 ? { outputs: validation.width } : {}) }),
  };
  return { baseline, reason: describeBaseline(baseline), ...(kind === 'mean' ? { constants: constant } : {}) };
}

/**
 * Every training label the same: the constant prediction is perfect. Its loss is 0, or for the
 * cross-entropies the clipping's floor (a one-class binary task: −log(1 − 1e-7) ≈ 1e-7).
 */
export function constantLabels(baseline: Baseline | null): boolean {
  if (baseline === null) return false;
  return baseline.kind === 'chance' ? baseline.loss < 10 * PROBABILITY_EPSILON : !(baseline.loss > 0);
}

/** The baseline level a loss signal is compared with: the validation one for validation losses. */
export function baselineLevel(baseline: Baseline | null, signal: 'train' | 'val'): number | null {
  if (baseline === null) return null;
  return signal === 'val' ? (baseline.valLoss ?? baseline.loss) : baseline.loss;
}

/**
 * Labels "off centre": a regression whose fresh model's mean outputs, as constant predictions, cost
 * more than this many times the baseline (the loss of predicting the labels' mean, or median). Every
 * run then first spends its steps moving the outputs to the labels, and the range test and short
 * runs read that offset as much as the task. Under squared error 10x is a centre 3σ away from where
 * the outputs start; under absolute error √10 is the same 3 spreads (the mean absolute deviation).
 */
export const OFF_CENTRE_RATIO = { mse: 10, mae: Math.sqrt(10) } as const;
/** Where the labels' own centre is this many spreads from 0, the advice is to standardize them (else: the inputs, the output layer). */
const LABELS_OFF_ZERO_SPREADS = 3;

export interface OffCentreLabels {
  readonly loss: 'mse' | 'mae';
  /** The model's own loss where it is not `loss` but read as it (Huber and log-cosh: absolute error that far out); absent otherwise. */
  readonly via?: 'huber' | 'logcosh';
  /** The fresh model's loss on the rows it predicted, over the baseline. */
  readonly ratio: number;
  /** The output (0-based column) furthest off, for the description; `null` for a model with one output. */
  readonly output: number | null;
  /** That output's labels' mean (squared error) or median (absolute error). */
  readonly centre: number;
  /** Their σ (squared error) or mean absolute deviation from the median (absolute error). */
  readonly spread: number;
  /** The fresh model's mean prediction for that output. */
  readonly predicted: number;
  /** How much its predictions vary across samples: their σ (squared error) or mean absolute deviation (absolute error). */
  readonly predictedSpread: number;
  /** Every output's centre, where the outputs' centres differ by more than the named output's spread (one bias value would leave some far off); absent otherwise. */
  readonly centres?: readonly number[];
}

/**
 * Whether a regression's labels sit far from where the fresh model's outputs start: `predictions`
 * are its outputs on the first `predictions.rows` training rows, as the first training steps compute
 * them (same width as the labels). Their loss against those rows' labels over the baseline, with the
 * column furthest off, when above OFF_CENTRE_RATIO; else `null` (and for losses other than squared
 * and absolute error, or labels that never vary). Off by their centre (outputs near 0, labels around
 * 300) or by their scale (labels with σ 0.003, outputs varying by 0.4): the description says which.
 */
export function offCentreLabels(lossName: string, train: LabelMatrix, predictions: LabelMatrix): OffCentreLabels | null {
  const named = baselineLossOf(lossName);
  // Huber and log-cosh are absolute error far from the labels (linear beyond δ), which is what a start far off is.
  const loss = named === 'huber' || named === 'logcosh' ? 'mae' : named;
  const k = predictions.rows;
  if ((loss !== 'mse' && loss !== 'mae') || train.rows === 0 || k === 0 || k > train.rows || predictions.width !== train.width) return null;
  for (let i = 0; i < k * train.width; i++) if (!Number.isFinite(predictions.values[i]!)) return null;
  const centres = bestConstant(loss, train, 1);
  const baseline = constantLoss(loss, train, centres, 1);
  const f = loss === 'mse' ? (y: number, x: number): number => (y - x) * (y - x) : (y: number, x: number): number => Math.abs(y - x);
  const w = train.width;
  /** Column `c`'s mean of f over the predicted rows: against the predictions, or against `constant`. */
  const columnLoss = (c: number, constant: number | null): number => {
    let sum = 0;
    for (let r = 0; r < k; r++) sum += f(train.values[r * w + c]!, constant ?? predictions.values[r * w + c]!);
    return sum / k;
  };
  let start = 0;
  for (let c = 0; c < w; c++) start += columnLoss(c, null) / w;
  if (!(baseline > 0) || !Number.isFinite(start) || !(start > OFF_CENTRE_RATIO[loss] * baseline)) return null;
  // The column that adds the most to the excess, described by its own centre and spread.
  let worst = 0;
  let most = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < w; c++) {
    const excess = columnLoss(c, null) - columnLoss(c, centres[c]!);
    if (excess > most) [worst, most] = [c, excess];
  }
  const labels = Float64Array.from({ length: train.rows }, (_, r) => train.values[r * w + worst]!);
  const spreadLoss = meanOver({ values: labels, rows: train.rows, width: 1 }, [centres[worst]!], f);
  const outputs = Float64Array.from({ length: k }, (_, r) => predictions.values[r * w + worst]!);
  const predicted = outputs.reduce((a, x) => a + x, 0) / k;
  const outputsLoss = meanOver({ values: outputs, rows: k, width: 1 }, [predicted], f);
  const root = (x: number): number => (loss === 'mse' ? Math.sqrt(x) : x);
  const via = named === 'huber' || named === 'logcosh' ? { via: named } : {};
  const spread = root(spreadLoss);
  const apart = w > 1 && Math.max(...centres) - Math.min(...centres) > spread;
  return { loss, ...via, ratio: start / baseline, output: w > 1 ? worst : null, centre: centres[worst]!, spread, predicted, predictedSpread: root(outputsLoss), ...(apart ? { centres } : {}) };
}

/**
 * Outputs whose labels' spreads (σ under squared error; mean absolute deviation under absolute error,
 * Huber and log-cosh) differ by this factor or more: under squared error the smaller one's error is
 * then under 1% of the loss, and every reading of the loss is the larger one's.
 */
export const UNEVEN_SCALE_RATIO = 10;

export interface UnevenScales {
  readonly loss: 'mse' | 'mae';
  /** Each output's labels' spread (σ, or mean absolute deviation), by output (0-based). */
  readonly spreads: readonly number[];
  /** The output with the largest spread, and its share of the loss of predicting each output's centre. */
  readonly largest: number;
  readonly share: number;
}

/**
 * Whether a regression's outputs have labels on very different scales (UNEVEN_SCALE_RATIO between the
 * largest and smallest spread): one loss over all of them is then almost all the largest's. A user's
 * three targets at scales 0.01, 1 and 1000 ended "good — converged" with the first output's error 13x
 * its variance (worse than predicting its mean). `null` for one output, other losses, or labels that
 * never vary.
 */
export function unevenOutputScales(lossName: string, train: LabelMatrix): UnevenScales | null {
  const named = baselineLossOf(lossName);
  const loss = named === 'huber' || named === 'logcosh' ? 'mae' : named;
  if ((loss !== 'mse' && loss !== 'mae') || train.width < 2 || train.rows < 2) return null;
  const centres = bestConstant(loss, train, 1);
  const f = loss === 'mse' ? (y: number, c: number): number => (y - c) * (y - c) : (y: number, c: number): number => Math.abs(y - c);
  const losses = centres.map((c, k) => {
    let sum = 0;
    for (let r = 0; r < train.rows; r++) sum += f(train.values[r * train.width + k]!, c);
    return sum / train.rows;
  });
  const spreads = losses.map((l) => (loss === 'mse' ? Math.sqrt(l) : l));
  const varying = spreads.filter((x) => x > 0 && Number.isFinite(x));
  if (varying.length < 2) return null;
  if (Math.max(...varying) < UNEVEN_SCALE_RATIO * Math.min(...varying)) return null;
  const largest = spreads.indexOf(Math.max(...varying));
  const total = losses.reduce((a, l) => a + l, 0);
  const share = total > 0 ? losses[largest]! / total : 1;
  // Only where one output is most of the loss: 784 pixel outputs, their spreads 0 to 0.41, read "the
  // loss is 0.2% output 44's, so the range test … read that output almost alone".
  return share < UNEVEN_DOMINANT_SHARE ? null : { loss, spreads, largest, share };
}

/** The share of the loss (of predicting each output's centre) the largest output must hold for `unevenOutputScales`. */
export const UNEVEN_DOMINANT_SHARE = 0.5;

/** Outputs named one by one in the warning; past this, the largest, then the smallest, and how many more. */
const UNEVEN_LISTED = 6;

/** The warning for outputs on very different scales: what the loss then reads, and what to change. */
export function describeUnevenScales(u: UnevenScales): string {
  const what = u.loss === 'mse' ? 'σ' : 'mean absolute deviation';
  const named = (k: number): string => `output ${k + 1} ${what} ${formatNumber(Number(u.spreads[k]!.toPrecision(2)))}`;
  const byOutput = u.spreads.map((_, k) => k);
  let list: string;
  if (u.spreads.length <= UNEVEN_LISTED) list = byOutput.map(named).join(', ');
  else {
    // The largest, then the smallest that still vary (a constant output is no scale), in output order within each.
    const smallest = byOutput.filter((k) => k !== u.largest && u.spreads[k]! > 0).sort((a, b) => u.spreads[a]! - u.spreads[b]!).slice(0, UNEVEN_LISTED - 1);
    list = `${named(u.largest)}; smallest: ${smallest.map(named).join(', ')}; and ${u.spreads.length - 1 - smallest.length} more outputs`;
  }
  const share = u.share >= 0.999 ? 'over 99.9%' : `${(100 * u.share).toFixed(1)}%`;
  return `The outputs' labels are on very different scales (${list}): the loss is ${share} output ${u.largest + 1}'s, so the range test, the short runs and the verdicts read that output almost alone, and the others can stay badly fit unnoticed. Standardize each output's labels (subtract its ${u.loss === 'mse' ? 'mean' : 'median'} and divide by its ${what}; undo it on predictions), or weight the outputs in a loss of your own.`;
}

/** Outputs' bias values as a list to paste, or their range where there are too many to list (an image autoencoder's 784). */
const LISTED_BIASES = 12;
function biasValues(centres: readonly number[]): string {
  if (centres.length <= LISTED_BIASES) return `[${centres.map((c) => formatNumber(c)).join(', ')}]`;
  return `${centres.length} values from ${formatNumber(Math.min(...centres))} to ${formatNumber(Math.max(...centres))}`;
}

/** The warning for labels off centre or off scale: what it does to every run, and what to change. */
export function describeOffCentre(o: OffCentreLabels): string {
  const which = o.output === null ? 'the labels' : `the labels of output ${o.output + 1}`;
  const centre = formatNumber(o.centre);
  const spread = formatNumber(o.spread);
  const ratio = formatNumber(Number(o.ratio.toPrecision(2)));
  // Huber and log-cosh are read as absolute error (what they are that far out): the ratio is that one's, not the model's own loss over its baseline.
  const times =
    o.via === undefined
      ? `${ratio}x the baseline (the loss of predicting the labels' ${o.loss === 'mse' ? 'mean' : 'median'})`
      : `${ratio}x the absolute error of predicting the labels' median (${o.via === 'huber' ? 'Huber' : 'log-cosh'} loss is absolute error that far from the labels)`;
  const divide = `divide by ${spread === '0' ? 'their scale' : spread}`;
  if (Math.abs(o.centre - o.predicted) < o.predictedSpread) {
    // Off by scale: the outputs vary far more than the labels do.
    const labels = o.loss === 'mse' ? `${which} have σ ${spread} (around ${centre})` : `${which} have a mean absolute deviation of ${spread} (around ${centre})`;
    return `The freshly built model's outputs start far from the labels: they vary by ${formatNumber(o.predictedSpread)} across samples where ${labels}, so its predictions cost ${times}. Every run spends its first steps shrinking them rather than learning the task: a training run loses epochs to it, and a range test or a short run reads that fall as much as the task. Standardize the labels (subtract ${centre} and ${divide}, then undo it on predictions), or scale down the output layer's initial weights (where the inputs are far from scale 1, standardize them too: they make the outputs vary).`;
  }
  const labels = o.loss === 'mse' ? `${which} average ${centre} (σ ${spread})` : `${which} have a median of ${centre} (mean absolute deviation ${spread})`;
  const what = `The freshly built model's outputs start far from the labels: it predicts ${formatNumber(o.predicted)} on average where ${labels}, so its predictions cost ${times}. Every run spends its first steps moving the outputs there rather than learning the task: a training run loses epochs to it, and a range test or a short run reads that offset as much as the task.`;
  // The inputs are the suspect only where the labels sit near 0 and the outputs start further out than
  // they are; outputs near 0 and labels off it (1.23 with σ 0.46, predicted -0.25) want the labels' fix.
  const labelsNearZero = o.spread > 0 ? Math.abs(o.centre) <= LABELS_OFF_ZERO_SPREADS * o.spread : o.centre === 0;
  const offZero = !labelsNearZero || Math.abs(o.predicted) <= Math.abs(o.centre);
  const fix = offZero
    ? o.centres !== undefined
      ? ` Standardize each output's labels (subtract its ${o.loss === 'mse' ? 'mean' : 'median'} and divide by its ${o.loss === 'mse' ? 'σ' : 'spread'}, then undo it on predictions), or start the output layer's bias at each output's own ${o.loss === 'mse' ? 'mean' : 'median'}: ${biasValues(o.centres)} (one biasInitializer value cannot: after building the model, const out = model.layers[model.layers.length - 1]; out.setWeights([out.getWeights()[0], tf.tensor1d([…])])).`
      : ` Standardize the labels (subtract ${centre} and ${divide}, then undo it on predictions), or start the output layer's bias at ${centre} (biasInitializer: tf.initializers.constant({ value: ${centre} })).`
    : ` The outputs start further from 0 than the labels sit (${formatNumber(o.predicted)} against ${centre}), so it is the outputs that are far out: standardize the inputs (features on scales far from 1 make the first layers' outputs large), or check the output layer's initialization.`;
  return what + fix;
}

/**
 * Outputs "off the prior": a cross-entropy model whose fresh outputs, averaged over samples and
 * predicted as a constant, cost more than this many times the chance level (the loss of predicting
 * the class frequencies). A sigmoid output starts near 50% positive: on a 95/5 task that costs 3.5x
 * the chance level before anything is learned, every run first spends its steps moving the output
 * bias to the prior, and the range test reads that fall (down to the chance level) as much as the
 * task (a user's 95/5 classifier: "nothing learned yet", and a higher --end-lr gave a max LR whose
 * whole runs predicted the majority class). Balanced classes start at about 1x; 90/10 at 2.1x.
 */
export const OFF_PRIOR_RATIO = 2.5;

export interface OffPrior {
  readonly loss: 'binary' | 'categorical' | 'sparse';
  /** The fresh outputs' mean, as a constant prediction, over the chance level. */
  readonly ratio: number;
  /** Binary: the output (0-based) furthest off, `null` for one output; categorical: `null`. */
  readonly output: number | null;
  /** Binary: that output's share of positive labels; categorical: the class frequencies. */
  readonly frequencies: readonly number[];
  /** The fresh model's mean predicted probabilities, the same shape. */
  readonly predicted: readonly number[];
  /** Binary with several outputs: every output's share of positive labels (each output's bias is its own). */
  readonly outputs?: readonly number[];
}

/** The layers' cross-entropies take probabilities; tf.losses' logits ops (sigmoidCrossEntropy, softmaxCrossEntropy) do not. */
const PROBABILITY_LOSSES: ReadonlySet<string> = new Set(['binarycrossentropy', 'categoricalcrossentropy', 'sparsecategoricalcrossentropy']);

/**
 * Whether a cross-entropy model's fresh outputs start far from the labels' class balance:
 * `predictions` are its probabilities on the first rows of `train` (binary: the labels' width;
 * categorical and sparse: one column per class). `null` for other losses, for outputs that are not
 * probabilities, and for balances the outputs start near.
 */
export function offPrior(lossName: string, train: LabelMatrix, predictions: LabelMatrix, classes: number): OffPrior | null {
  const loss = baselineLossOf(lossName);
  if ((loss !== 'binary' && loss !== 'categorical' && loss !== 'sparse') || !PROBABILITY_LOSSES.has(key(lossName))) return null;
  if (train.rows === 0 || predictions.rows === 0) return null;
  const width = loss === 'sparse' ? classes : train.width;
  if (predictions.width !== width || width < 1) return null;
  for (let i = 0; i < predictions.rows * width; i++) {
    const q = predictions.values[i]!;
    if (!(q >= 0 && q <= 1)) return null;
  }
  const predicted = columnMeans(predictions);
  if (loss === 'binary') {
    const p = columnMeans(train);
    const chance = binaryCrossEntropy(p, p);
    const start = binaryCrossEntropy(p, predicted);
    if (!(chance > 10 * PROBABILITY_EPSILON) || !(start > OFF_PRIOR_RATIO * chance)) return null;
    // The output that adds the most to the excess.
    let worst = 0;
    let most = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < width; c++) {
      const excess = binaryCrossEntropy([p[c]!], [predicted[c]!]) - binaryCrossEntropy([p[c]!], [p[c]!]);
      if (excess > most) [worst, most] = [c, excess];
    }
    return { loss, ratio: start / chance, output: width > 1 ? worst : null, frequencies: [p[worst]!], predicted: [predicted[worst]!], ...(width > 1 ? { outputs: p } : {}) };
  }
  const p = loss === 'sparse' ? classFrequencies(train, classes) : columnMeans(train);
  const chance = crossEntropy(p, p);
  const start = crossEntropy(p, predicted);
  if (!(chance > 10 * PROBABILITY_EPSILON) || !(start > OFF_PRIOR_RATIO * chance)) return null;
  return { loss, ratio: start / chance, output: null, frequencies: p, predicted };
}

/** The warning for outputs off the class balance: what it does to every run, and the bias that fixes it. */
export function describeOffPrior(o: OffPrior, inputsOffScale = false): string {
  const percent = (x: number): string => `${Number((100 * x).toPrecision(2))}%`;
  const times = `${formatNumber(Number(o.ratio.toPrecision(2)))}x the chance level (the loss of predicting the class frequencies)`;
  const effect = 'Every run spends its first steps moving the outputs to the class balance rather than learning the task: a training run loses epochs to it, and a range test or a short run reads that fall, down to the chance level, as much as the task (a range test may show nothing learned past it).';
  const ln = (x: number): string => formatNumber(Number(Math.log(Math.max(PROBABILITY_EPSILON, x)).toPrecision(3)));
  if (o.loss === 'binary') {
    const p = o.frequencies[0]!;
    const logOdds = formatNumber(Number(Math.log(Math.max(PROBABILITY_EPSILON, p) / Math.max(PROBABILITY_EPSILON, 1 - p)).toPrecision(3)));
    if (o.output === null || o.outputs === undefined) {
      return `The freshly built model's outputs start far from the class balance: it predicts ${percent(o.predicted[0]!)} positive on average where ${percent(p)} of the labels are positive, so even that average costs ${times}. ${effect} ${inputsOffScale ? SCALE_FIRST : `Start the sigmoid output layer's bias at the labels' log-odds, ln(p/(1−p)) = ${logOdds} (biasInitializer: tf.initializers.constant({ value: ${logOdds} })).`}`;
    }
    // Several sigmoid outputs, each with its own share of positives: one bias each (a user's 5 labels at
    // 5.7–9.5% were given output 3's −2.25 for all five).
    const odds = (x: number): string => formatNumber(Number(Math.log(Math.max(PROBABILITY_EPSILON, x) / Math.max(PROBABILITY_EPSILON, 1 - x)).toPrecision(3)));
    const each = o.outputs.length <= 10
      ? `, [${o.outputs.map(odds).join(', ')}] (after building: the last layer's setWeights([its kernel, tf.tensor1d([${o.outputs.map(odds).join(', ')}])]))`
      : " (ln(p/(1−p)) of each output's share of positive labels)";
    return `The freshly built model's outputs start far from the class balance: output ${o.output + 1} predicts ${percent(o.predicted[0]!)} positive on average where ${percent(p)} of its labels are positive, and the outputs together cost ${times}. ${effect} ${inputsOffScale ? SCALE_FIRST : `Start each sigmoid output's bias at its own labels' log-odds${each}.`}`;
  }
  const listed = o.frequencies.length <= 10;
  const shares = listed ? ` (${o.predicted.map(percent).join(', ')})` : '';
  const frequencies = listed ? ` (${o.frequencies.map(percent).join(', ')})` : '';
  const values = listed
    ? `, [${o.frequencies.map(ln).join(', ')}] (after building: the last layer's setWeights([its kernel, tf.tensor1d([${o.frequencies.map(ln).join(', ')}])]))`
    : " (ln of each class's share of the labels)";
  return `The freshly built model's outputs start far from the class balance: its average prediction${shares} is far from the labels' class frequencies${frequencies} and costs ${times}. ${effect} ${inputsOffScale ? SCALE_FIRST : `Start the softmax output layer's bias at the log of the class frequencies${values}.`}`;
}

/** Where the inputs are far from scale 1, what moves the outputs is not their bias. */
const SCALE_FIRST = 'The inputs are far from scale 1 (the note on them): rescale them first — outputs driven by such inputs start saturated whatever the output layer\'s bias.';
