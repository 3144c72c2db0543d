/**
 * Reads the labels of the prepared splits and hands them to core's baseline maths
 * (`src/core/baseline.ts`): once per loaded model, so every result of the process reports the
 * same baseline.
 */
import type { Baseline } from '../protocol/results';
import type * as tfjs from '@tensorflow/tfjs';
import type { BaselineLoss, ChanceAccuracy, ConstantOutputs, LabelMatrix, NarrowValidation, OffCentreLabels, OffPrior, RareInValidation, UnevenScales } from '../core/baseline';
import { baselineLossOf, chanceWithoutBaseline, computeBaseline, constantOutputs, hingeZeroOneLabels, narrowValidation, rareInValidation, offCentreLabels, offPrior, regressionConstantLoss, unevenOutputScales } from '../core/baseline';
import type { LossFn, Split } from './trainer';
import type { Tf } from './tfjs';
import { FLOAT32_MAX, readTensor } from './readTensor';
import { mulberry32 } from '../core/random';
import { firstRows } from './batches';
import { formatLoss } from '../protocol/format';
import type { OffScaleInputs } from '../core/inputScale';
import { offScaleInputs } from '../core/inputScale';

/**
 * The labels as a matrix for `loss`: one-hot rows of the last axis (categorical), one index per
 * row (sparse), every label element its own column (binary, MSE, MAE, hinge: their constant optimum is
 * per element, and tfjs averages the loss over elements).
 */
function labelMatrix(split: Split, loss: BaselineLoss | null): LabelMatrix {
  const values = split.ys.dataSync();
  const size = values.length;
  const rows = Math.max(1, split.count);
  if (loss === 'categorical' || loss === 'kld') {
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

/**
 * The baseline from the labels. A regression loss given as a function (`lossFn`) is known by its name
 * only — a user's own `const huber = (y, p) => tf.losses.huberLoss(y, p)` is named 'huber' — so the
 * baseline stands only where that function, given the best constant, scores what the loss of its name
 * does (to 0.1%): a 'huber' with another δ gets none, and says why.
 */
export function taskBaseline(lossName: string, data: { readonly train: Split; readonly validation: Split }, outputUnits: number, tf?: Tf, lossFn?: LossFn): TaskBaseline {
  const loss = baselineLossOf(lossName);
  if (loss === null) return computeBaseline(lossName, { values: [], rows: 0, width: 1 }, null, outputUnits);
  const all = labelMatrix(data.train, loss);
  const outcome = computeBaseline(lossName, all, data.validation.count > 0 ? labelMatrix(data.validation, loss) : null, outputUnits);
  const constants = outcome.constants;
  if (outcome.baseline === null || constants === undefined || tf === undefined || lossFn === undefined || data.train.count === 0) return outcome;
  // On the first rows only (a label set of 60,000×784 would be copied three times over): the loss of
  // the same constant on those rows, by the name's formula, against the function's.
  const rows = Math.min(data.train.count, LOSS_CHECK_ROWS);
  const expected = regressionConstantLoss(lossName, { values: Array.prototype.slice.call(all.values, 0, rows * all.width) as number[], rows, width: all.width }, constants);
  if (expected === null || rows === 0) return outcome;
  let scored: number;
  try {
    scored = tf.tidy(() => {
      const ys = firstRows(tf, data.train.ys, rows);
      const constant = tf.reshape(tf.tile(tf.tensor2d([...constants], [1, constants.length], 'float32'), [rows, 1]), ys.shape);
      return lossFn(ys, constant).dataSync()[0]!;
    });
  } catch {
    return outcome;
  }
  if (Math.abs(scored - expected) <= LOSS_CHECK_TOLERANCE * Math.max(Math.abs(expected), 1e-6)) return outcome;
  // Past what float32 holds, tfjs's own formula overflows: the same loss, not another one (labels near
  // 1e25 read "it computes another loss than its name says (another δ, a weighting …?)").
  if (!Number.isFinite(scored) && Math.abs(expected) > FLOAT32_MAX / 16) {
    return {
      baseline: null,
      reason: `no baseline: the loss of the best constant prediction is ${formatLoss(expected)}, beyond what float32 (tfjs's number type) holds, so '${lossName}' reads ${String(scored)} on these labels — they are too large to train on as they are: scale them (divide by their spread) and undo it on predictions`,
    };
  }
  const gives = Number.isFinite(scored) ? `scores ${formatLoss(scored)} where that loss is ${formatLoss(expected)}` : `gives a non-finite loss (${String(scored)}) where that loss is ${formatLoss(expected)}`;
  return {
    baseline: null,
    reason: `no baseline: the loss function '${lossName}', given the best constant prediction under ${LOSS_TITLES[loss]}, ${gives}, so it computes another loss than its name says (another δ, a weighting, a different reduction?), whose best constant LR Lab does not know`,
  };
}

/**
 * A classifier's chance accuracy on the validation labels, read as its accuracy metric (`kind`) reads
 * the outputs — for a loss LR Lab has no baseline for (the caller decides when); `null` without a
 * validation split, or where the labels are not one value per output unit (class indices under several
 * units, which a categorical accuracy does not read).
 */
export function chanceOfLabels(validation: Split, outputUnits: number, kind: 'binary' | 'categorical'): ChanceAccuracy | null {
  if (validation.count === 0) return null;
  const labels = labelMatrix(validation, kind);
  if (labels.width !== outputUnits) return null;
  return chanceWithoutBaseline(kind, labels, outputUnits);
}

/**
 * The built-in loss a loss function of the user's computes, found by its values: where its name says
 * nothing LR Lab knows (`export const loss = (y, p) => tf.losses.huberLoss(y, p)`, an arrow around
 * softmaxCrossEntropy), it is scored on one random prediction of the labels' shape per domain (values
 * near the labels; probabilities; logits) beside each built-in of that domain; the one it matches to
 * 0.1% is its name, and its baseline is that loss's. Such a wrapper had no baseline ("no baseline for a
 * custom loss function: LR Lab knows … Huber"), and with none a mid-run blow-up read "underfitting".
 * The function runs at most three times here (a loss with side effects — one that counts its calls —
 * sees as few as can tell). `null`: it matches none (a loss of its own), or it failed on the probes.
 */
export function identifyLoss(tf: Tf, lossFn: LossFn, train: Split): string | null {
  if (train.count === 0) return null;
  const rows = Math.min(train.count, IDENTIFY_ROWS);
  const random = mulberry32(IDENTIFY_SEED);
  let found: string | null = null;
  try {
    tf.tidy(() => {
      const ys = tf.cast(firstRows(tf, train.ys, rows), 'float32');
      const values = Float32Array.from(ys.dataSync());
      const spread = Math.max(1e-3, Math.sqrt(values.reduce((a, v) => a + v * v, 0) / Math.max(1, values.length)));
      const normal = (scale: number): tfjs.Tensor => tf.tensor(Float32Array.from(values, () => scale * gaussian(random)), ys.shape, 'float32');
      const last = ys.shape.length - 1;
      type Score = (y: tfjs.Tensor, p: tfjs.Tensor) => tfjs.Tensor;
      const domains: readonly { readonly probe: () => tfjs.Tensor; readonly candidates: readonly (readonly [string, Score])[] }[] = [
        {
          probe: () => tf.add(ys, normal(spread)),
          candidates: [
            ['meanSquaredError', (y, p) => tf.losses.meanSquaredError(y, p)],
            ['meanAbsoluteError', (y, p) => tf.losses.absoluteDifference(y, p)],
            ['meanAbsolutePercentageError', (y, p) => tf.mean(tf.metrics.meanAbsolutePercentageError(y, p))],
            ['huberLoss', (y, p) => tf.losses.huberLoss(y, p)],
            ['logcosh', (y, p) => tf.mean(tf.log(tf.cosh(tf.sub(p, y))))],
          ],
        },
        {
          // A softmax over the last axis: probabilities for categorical and binary cross-entropy alike.
          probe: () => tf.softmax(normal(1), last),
          candidates: [
            ['categoricalCrossentropy', (y, p) => tf.mean(tf.metrics.categoricalCrossentropy(y, p))],
            ['binaryCrossentropy', (y, p) => tf.mean(tf.metrics.binaryCrossentropy(y, p))],
          ],
        },
        {
          probe: () => normal(1),
          candidates: [
            ['softmaxCrossEntropy', (y, p) => tf.losses.softmaxCrossEntropy(y, p)],
            ['sigmoidCrossEntropy', (y, p) => tf.losses.sigmoidCrossEntropy(y, p)],
          ],
        },
      ];
      const same = (a: number, b: number): boolean => Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= LOSS_CHECK_TOLERANCE * Math.max(Math.abs(b), 1e-6);
      for (const domain of domains) {
        const p = domain.probe();
        const theirs = tf.mean(lossFn(ys, p)).dataSync()[0]!;
        const match = domain.candidates.find(([, score]) => same(theirs, score(ys, p).dataSync()[0]!));
        if (match !== undefined) {
          found = match[0];
          return;
        }
      }
    });
  } catch {
    return null;
  }
  return found;
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Rows and seed of identifyLoss's probes. */
const IDENTIFY_ROWS = 256;
const IDENTIFY_SEED = 20261206;

/** How closely a regression loss function must score the best constant as the loss of its name does (float32 sums). */
const LOSS_CHECK_TOLERANCE = 1e-3;
/** The check reads this many training rows at most. */
const LOSS_CHECK_ROWS = 4096;

const LOSS_TITLES: Readonly<Record<BaselineLoss, string>> = {
  categorical: 'categorical cross-entropy',
  sparse: 'sparse categorical cross-entropy',
  binary: 'binary cross-entropy',
  kld: 'Kullback-Leibler divergence',
  mse: 'mean squared error',
  mae: 'mean absolute error',
  mape: 'mean absolute percentage error',
  huber: 'Huber loss (δ 1)',
  logcosh: 'log-cosh',
  hinge: 'hinge',
  squaredHinge: 'squared hinge',
};

/** Training rows the fresh model predicts to find where its outputs start (`outputsOffStart`). */
const OFF_CENTRE_ROWS = 256;

/**
 * The freshly built `model`'s outputs on the first training rows, as the first training step
 * computes them; `null` where they cannot be read (a stateful RNN, a model that fails to apply).
 */
function freshOutputs(tf: Tf, model: tfjs.LayersModel, train: Split): LabelMatrix | null {
  // A stateful RNN would carry this pass's state into training: left alone.
  if (train.count === 0 || model.stateful) return null;
  const rows = Math.min(train.count, OFF_CENTRE_ROWS);
  // In training mode, as the first step computes them (batch normalization on batch statistics: in
  // inference it would use its initial moving mean 0 and variance 1 and pass unscaled inputs
  // through) — without side effects: batch normalization's moving statistics are put back (this
  // may be the user's own model, through the library), and dropout draws from a generator of its
  // own, not from the run's seeded Math.random.
  const kept = model.nonTrainableWeights.map((w) => w.read().clone());
  const random = Math.random;
  let predicted: Float32Array;
  try {
    Math.random = mulberry32(0x9e3779b9);
    predicted = readTensor(tf, () => {
      const out = model.apply(firstRows(tf, train.xs, rows), { training: true }) as tfjs.Tensor | tfjs.Tensor[];
      const first = Array.isArray(out) ? out[0]! : out;
      return tf.reshape(first, [rows, -1]);
    }) as Float32Array;
  } catch {
    return null;
  } finally {
    Math.random = random;
    model.nonTrainableWeights.forEach((w, i) => w.write(kept[i]!));
    tf.dispose(kept);
  }
  return { values: predicted, rows, width: predicted.length / rows };
}

/**
 * Inputs far from scale 1 (core `offScaleInputs`) on the first training samples, per feature along
 * their last axis; `null` where they are within scale, are integers (token ids: indices, not
 * magnitudes), or feed an embedding.
 */
export function inputsOffScale(tf: Tf, model: tfjs.LayersModel, train: Split): OffScaleInputs | null {
  const xs = train.xs;
  if (train.count === 0 || xs.dtype !== 'float32' || xs.rank < 2) return null;
  if (model.layers.some((l) => l.getClassName() === 'Embedding')) return null;
  const samples = Math.min(train.count, OFF_CENTRE_ROWS);
  const width = xs.shape.at(-1) ?? 0;
  if (!(width > 0)) return null;
  const values = readTensor(tf, () => firstRows(tf, xs, samples)) as Float32Array;
  return offScaleInputs(values, values.length / width, width, samples);
}

/** What the labels alone say of a task (core's checks; `null` where one does not apply or finds nothing). */
export interface LabelChecks {
  /** A regression's outputs with labels on very different scales (core `unevenOutputScales`). */
  readonly uneven: UnevenScales | null;
  /** Of several outputs, those whose training labels are one value each (core `constantOutputs`). */
  readonly constant: ConstantOutputs | null;
  /** A hinge loss's labels given as 0 and 1 (core `hingeZeroOneLabels`). */
  readonly zeroOne: { readonly zeros: number; readonly labels: number } | null;
  /** A classifier's validation split holding far fewer classes than a random one would (core `narrowValidation`). */
  readonly narrow: NarrowValidation | null;
  /** A classifier's validation split holding few samples of one class (core `rareInValidation`). */
  readonly rare: RareInValidation | null;
}

/** Core's label checks on one loaded model's labels, each split read from its tensor once for all of them. */
export function labelChecks(lossName: string, data: { readonly train: Split; readonly validation: Split }): LabelChecks {
  const loss = baselineLossOf(lossName);
  if (loss === null || data.train.count === 0) return { uneven: null, constant: null, zeroOne: null, narrow: null, rare: null };
  const train = labelMatrix(data.train, loss);
  const validation = data.validation.count === 0 ? null : labelMatrix(data.validation, loss);
  const regression = loss === 'mse' || loss === 'mae' || loss === 'huber' || loss === 'logcosh';
  const narrow = validation === null ? null : narrowValidation(lossName, train, validation);
  return {
    uneven: regression ? unevenOutputScales(lossName, train) : null,
    constant: constantOutputs(lossName, train),
    zeroOne: loss === 'hinge' || loss === 'squaredHinge' ? hingeZeroOneLabels(lossName, train) : null,
    narrow,
    // A narrow split's warning says more of what it lacks.
    rare: validation === null || narrow !== null ? null : rareInValidation(lossName, train, validation),
  };
}

/**
 * Where the freshly built `model`'s outputs start far from what the labels ask: a regression's
 * labels off centre or off scale (core `offCentreLabels`), a cross-entropy model's outputs off the
 * class balance (core `offPrior`); read from its outputs on the first training rows. `null` for
 * other losses, or where the model's output does not line up with the labels (the run reports that).
 */
export function outputsOffStart(tf: Tf, model: tfjs.LayersModel, lossName: string, train: Split, outputUnits: number): { readonly offCentre: OffCentreLabels } | { readonly offPrior: OffPrior } | null {
  const loss = baselineLossOf(lossName);
  const regression = loss === 'mse' || loss === 'mae' || loss === 'huber' || loss === 'logcosh';
  if (!regression && loss !== 'binary' && loss !== 'categorical' && loss !== 'sparse') return null;
  const outputs = freshOutputs(tf, model, train);
  if (outputs === null) return null;
  if (regression) {
    const offCentre = offCentreLabels(lossName, labelMatrix(train, loss), outputs);
    return offCentre === null ? null : { offCentre };
  }
  const prior = offPrior(lossName, labelMatrix(train, loss), outputs, outputUnits);
  return prior === null ? null : { offPrior: prior };
}
