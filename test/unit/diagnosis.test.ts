/** The verdict decision table (src/core/diagnosis.ts) on constructed histories with known answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONVERGED_FRACTION_OF_BASELINE, MIN_EPOCHS, PINNED, breakdownOf, diagnose, endedStillFalling, lowerAdvice, quotedPeak, slowLearning } from '../../src/core/diagnosis';
import { FEWEST_JUDGED, afterShorterCycle, confirmingRunEpochs, epochsMeasured, moreEpochsNote, recommendedEpochs, recommendedWholeEpochs, studyLrBeatConfirming } from '../../src/core/epochs';
import type { Baseline, EpochRecord } from '../../src/protocol/results';

/** A history from validation losses; training loss 10% below unless given. */
function history(val: readonly (number | null)[], train?: readonly (number | null)[], accuracy?: readonly (number | null)[]): EpochRecord[] {
  return val.map((v, i) => ({
    epoch: i + 1,
    trainLoss: train === undefined ? (v === null ? null : v * 0.9) : train[i]!,
    valLoss: v,
    valAccuracy: accuracy?.[i] ?? null,
    metrics: {},
    valMetrics: {},
    lr: 0.1,
    momentum: 0.9,
    seconds: i,
  }));
}

const LN2: Baseline = { loss: Math.log(2), valLoss: Math.log(2), kind: 'chance' };
const TEN_CLASSES: Baseline = { loss: Math.log(10), valLoss: Math.log(10), kind: 'chance' };
const LN3: Baseline = { loss: Math.log(3), valLoss: Math.log(3), kind: 'chance' };
const VARIANCE_57: Baseline = { loss: 55, valLoss: 57, kind: 'mean' };

test('a curve at chance: validation loss stays at ln 2 → not-learning, even though it is flat', () => {
  const d = diagnose(history([0.694, 0.693, 0.6932, 0.6931, 0.6931]), LN2);
  assert.equal(d.verdict, 'not-learning');
  assert.match(d.reason, /^Validation loss stayed at the baseline over 5 epochs \(0\.694 → 0\.693, lowest 0\.693; baseline: the chance level 0\.693 = ln 2\): the model learned nothing/);
  // Random labels: the training loss falls (memorizing), validation does not.
  const memorizing = diagnose(history([0.70, 0.71, 0.73, 0.76], [0.69, 0.6, 0.45, 0.3]), LN2);
  assert.equal(memorizing.verdict, 'not-learning');
  // Ending 9.6% above the baseline is not "at" it, nor "stayed at" it: the text says how far above.
  assert.match(memorizing.reason, /^Validation loss never got clearly below the baseline over 4 epochs and ended above it \(0\.7 → 0\.76, 9\.6% above it at the end, lowest 0\.7;/);
  assert.match(memorizing.reason, /training loss fell to 0\.3: what it fits in the training set does not carry over — it memorizes labels with no pattern, or the validation data follow another rule or distribution\)/);
  assert.doesNotMatch(memorizing.reason, /predicts a constant|constant prediction would/);
  // Both losses at their baselines: a constant prediction, which a model that cannot learn and one
  // that collapsed at once (too high a max LR) both end in; the reason names both and how to tell.
  const constant = diagnose(history([0.694, 0.693, 0.6932, 0.6931, 0.6931], [0.72, 0.694, 0.693, 0.6931, 0.6931]), LN2);
  assert.equal(constant.verdict, 'not-learning');
  assert.match(constant.reason, /Its training loss is at its baseline too \(0\.693\): it fits the training set no better than a constant prediction would — either it cannot learn this in 5 epochs at this LR, or it learned in the first steps and collapsed .* Train again at a max LR 3–10x lower to tell, and at one 3–10x higher \(a max LR far too low leaves a model as still as a collapse does\): keep whichever learns; if neither does, check the data and labels/);
  // A slow starter learns at a higher LR or with more epochs, not at a lower one (a recurrent net at chance for 5 epochs at 3x lower, 85% at 3x higher).
  assert.match(constant.reason, /a slow starter \(a recurrent net on a long-range dependency, at chance for epochs before it learns\) may need more epochs instead\.$/);
});

test('both losses at their baselines but validation accuracy clearly above chance: not-learning, but no "constant prediction" — it has begun to learn; at chance accuracy it still reads constant', () => {
  // A user's LSTM on a long-range dependency at max LR 0.01: 65% against 50% after 10 epochs, losses near ln 2.
  const CHANCE_600: Baseline = { ...LN2, accuracy: 0.5, valSamples: 600 };
  const val = [0.693, 0.694, 0.69, 0.692, 0.688, 0.685, 0.687, 0.679, 0.672, 0.666];
  const train = [0.694, 0.693, 0.693, 0.692, 0.691, 0.69, 0.689, 0.687, 0.685, 0.682];
  const begun = diagnose(history(val, train, [0.5, 0.5, 0.52, 0.51, 0.55, 0.57, 0.56, 0.6, 0.63, 0.65]), CHANCE_600);
  assert.equal(begun.verdict, 'not-learning');
  assert.match(begun.reason, /: the model learned little so far\. Its validation accuracy, 65\.0%, is clearly above the 50\.0% of always predicting the most frequent class, so it does not predict a constant: it has begun to learn, slowly \(training loss 0\.682, still at its baseline too\)\. Train for more epochs, and compare a max LR 3x higher and 3x lower over them;/);
  assert.doesNotMatch(begun.reason, /predicts a constant|constant prediction would|learned nothing/);
  // The same losses at 53% (within the noise of 600 samples at 50%): a constant prediction, as before.
  const chance = diagnose(history(val, train, [0.5, 0.5, 0.52, 0.51, 0.5, 0.51, 0.5, 0.52, 0.51, 0.53]), CHANCE_600);
  assert.match(chance.reason, /learned nothing that generalizes\. Its training loss is at its baseline too/);
  // slowLearning says which of these is learning (the recipe keeps its recommendation there, and refuses one only where nothing was learned).
  assert.equal(slowLearning(history(val, train, [0.5, 0.5, 0.52, 0.51, 0.55, 0.57, 0.56, 0.6, 0.63, 0.65]), CHANCE_600), 'begun');
  assert.equal(slowLearning(history(val, train, [0.5, 0.5, 0.52, 0.51, 0.5, 0.51, 0.5, 0.52, 0.51, 0.53]), CHANCE_600), null);
  assert.equal(slowLearning(history([0.673, 0.66, 0.65, 0.636], [0.66, 0.655, 0.652, 0.65]), { loss: 0.646, valLoss: 0.646, kind: 'chance' }), 'creeping');
  // Falling back to chance from above is no learning: a logistic unit on concentric circles, 0.712 → 0.6929 against ln 2.
  const back = history([0.7121, 0.7012, 0.6968, 0.6946, 0.6929], [0.705, 0.699, 0.696, 0.694, 0.6932]);
  assert.equal(slowLearning(back, LN2), null);
  assert.doesNotMatch(diagnose(back, LN2).reason, /learning, slowly|fell in every epoch/);
  assert.equal(slowLearning(history(val, train), null), null, 'no baseline: nothing to have stayed at');
});

test('no loss baseline but a chance accuracy: ending at chance → not-learning from accuracy (learned and fell back: a collapse); ending clearly above → the usual rules', () => {
  const chance = { accuracy: 1 / 6, valSamples: 1000 };
  const flat = history([2.19, 1.82, 1.82, 1.8, 1.8]);
  const atChance = diagnose(history([2.19, 1.82, 1.82, 1.8, 1.8], undefined, [0.164, 0.174, 0.164, 0.157, 0.168]), null, null, chance);
  assert.equal(atChance.verdict, 'not-learning');
  assert.match(atChance.reason, /^Validation accuracy stayed at chance over 5 epochs \(16\.4% → 16\.8%, highest 17\.4%; always predicting the most frequent class scores 16\.7% on the 1000 validation samples\)/);
  assert.match(atChance.reason, /Train again at a max LR 3–10x lower and at one 3–10x higher to see which way it learns/);
  // Without the chance accuracy the loss rules judge: "good" here.
  assert.equal(diagnose(flat, null).verdict, 'good');
  // One epoch clearly above chance (35% against 16.7% on 1,000 samples), then back at chance: it learned and lost it.
  const fellBack = diagnose(history([2.19, 1.82, 1.82, 1.8, 1.8], undefined, [0.164, 0.35, 0.164, 0.157, 0.168]), null, null, chance);
  assert.equal(fellBack.verdict, 'not-learning');
  assert.match(fellBack.reason, /^Validation accuracy ended at chance \(16\.8%; always predicting the most frequent class scores 16\.7% on the 1000 validation samples\) after reaching 35\.0% at epoch 2 \(LR 0\.1\): the model learned, then lost it — a collapse .* Train again at a max LR 3–10x lower\.$/);
  // Ending clearly above chance: the loss rules judge ("good" here).
  assert.equal(diagnose(history([2.19, 1.82, 1.82, 1.8, 1.8], undefined, [0.164, 0.35, 0.4, 0.42, 0.43]), null, null, chance).verdict, 'good');
  // A breakdown its own course shows stays unstable, whatever the accuracy (rule 1, before the chance rule).
  const blew = diagnose(history([2.19, 1.9, 9.5, 12, 1.8], [2.1, 1.8, 9, 11, 1.7], [0.164, 0.17, 0.16, 0.165, 0.168]).map((h, i) => ({ ...h, lr: [0.5, 1, 2, 1, 0.01][i]! })), null, null, chance);
  assert.equal(blew.verdict, 'unstable', blew.reason);
  // A baseline of its own decides as before: the chance accuracy is only for losses without one.
  assert.doesNotMatch(diagnose(flat, TEN_CLASSES, null, chance).reason, /stayed at chance/);
});

test('never down to the baseline: "never got down to", not "stayed at"; still falling fast from far above says so instead of calling it a constant', () => {
  // Labels on a tiny scale (baseline 8.06e-6) and outputs that start far out: 0.037 → 2.23e-5, halving each epoch.
  const TINY: Baseline = { loss: 8.06e-6, valLoss: 8.06e-6, kind: 'mean' };
  const falling = diagnose(history([0.037, 0.0021, 1.8e-4, 4.6e-5, 2.23e-5], [0.04, 0.003, 2e-4, 5e-5, 2.5e-5]), TINY);
  assert.equal(falling.verdict, 'not-learning');
  assert.match(falling.reason, /^Validation loss never got down to the baseline over 5 epochs \(0\.037 → 2\.23e-5, lowest 2\.23e-5, 2\.77x the baseline; baseline: the loss of predicting the mean, 8\.06e-6\): the model learned nothing that generalizes\. It was still falling 51\.5% in the last epoch: it predicts worse than the labels' mean, on its way down — train longer, or bring the labels and the model's outputs to the same scale \(standardize the labels, or start the output layer's bias at their mean\)\.$/);
  // Far above and flat: no "still falling"; a classifier says the chance level.
  const flat = diagnose(history([1.2, 1.19, 1.2, 1.19]), LN2);
  assert.match(flat.reason, /^Validation loss never got down to the baseline over 4 epochs .*1\.72x the baseline/);
  assert.doesNotMatch(flat.reason, /still falling/);
  const chance = diagnose(history([3, 2, 1.5, 1.2]), LN2);
  assert.match(chance.reason, /still falling 20\.0% in the last epoch: it predicts worse than the chance level/);
});

test('a regression that predicts the mean (MSE ≈ label variance) → not-learning, not "good"', () => {
  const d = diagnose(history([90, 60, 57.5, 57.2, 57.1, 57.1], [120, 70, 56, 55.2, 55.1, 55]), VARIANCE_57);
  assert.equal(d.verdict, 'not-learning');
  assert.match(d.reason, /baseline: the loss of predicting the mean, 57/);
  // Without a baseline the same history reads as "good" (it fell, then flattened): the baseline is what decides.
  assert.equal(diagnose(history([90, 60, 57.5, 57.2, 57.1, 57.1], [120, 70, 56, 55.2, 55.1, 55])).verdict, 'good');
});

test('learned, then collapsed to the constant prediction (both losses back at the baseline) → unstable', () => {
  const d = diagnose(history([36, 41, 41, 40, 39.9], [39, 56, 40, 36, 35.9]), { loss: 35.6, valLoss: 39.9, kind: 'mean' });
  assert.equal(d.verdict, 'unstable');
  assert.match(d.reason, /^Collapsed: validation loss reached 36 at epoch 1 but both losses ended at the baseline/);
});

test('a converged run near zero loss → good; 3e-5 → 5e-5 is not overfitting, 7e-4 still falling is not underfitting', () => {
  const rising = diagnose(history([0.05, 1e-3, 1e-4, 3e-5, 4e-5, 5e-5], [0.2, 2e-3, 2e-4, 5e-5, 3e-5, 2e-5]), LN2);
  assert.equal(rising.verdict, 'good');
  assert.match(rising.reason, /^Converged: validation loss 5e-5 is under 1\.0% of the baseline/);
  const falling = diagnose(history([0.3, 0.02, 3e-3, 1.5e-3, 1e-3, 7e-4]), TEN_CLASSES);
  assert.equal(falling.verdict, 'good');
  // 100% accuracy converges when the loss is far below the baseline, even while it still halves.
  const perfect = diagnose(history([0.3, 0.02, 3e-3, 1.5e-3, 1e-3, 7e-4], undefined, [0.9, 1, 1, 1, 1, 1]), TEN_CLASSES);
  assert.equal(perfect.verdict, 'good');
  assert.match(perfect.reason, /^Converged: 100% validation accuracy, validation loss 7e-4 \(epoch 6; baseline: the chance level 2\.3 = ln 10\)/);
  // 100% accuracy with the loss still a third of ln 3 and falling 20% per epoch: underfitting (a too-small LR stopped early).
  const early = diagnose(history([0.9, 0.65, 0.5, 0.4, 0.33], undefined, [0.8, 1, 1, 1, 1]), { loss: Math.log(3), valLoss: Math.log(3), kind: 'chance' });
  assert.equal(early.verdict, 'underfitting', early.reason);
  assert.match(early.reason, /validation accuracy is already 100%, the predictions are still firming up/);
  // Accuracy named by the model's metrics counts too.
  const named = history([0.3, 0.2, 0.25, 0.3], [0.3, 0.1, 0.1, 0.1]).map((h) => ({ ...h, valMetrics: { acc: 1 } }));
  assert.equal(diagnose(named, LN2).verdict, 'good');
  assert.ok(CONVERGED_FRACTION_OF_BASELINE < 0.05);
  // Far below the baseline but still falling materially (a regression's MSE against a variance of 4.5): underfitting.
  const regression = diagnose(history([1.7, 0.15, 0.051, 0.035, 0.02, 0.015]), { loss: 4.7, valLoss: 4.47, kind: 'mean' });
  assert.equal(regression.verdict, 'underfitting');
  assert.match(regression.reason, /^Validation loss is still falling/);
});

test('training and validation loss both rise → unstable (too high an LR), never overfitting', () => {
  const d = diagnose(history([20, 12, 10, 11, 14, 18], [30, 14, 11, 12, 15, 19]), VARIANCE_57);
  assert.equal(d.verdict, 'unstable');
  assert.match(d.reason, /^Unstable: the training loss rose from 11 \(epoch 3\) to 19.*That is a too-high LR, not overfitting: lower the maximum LR — train again 3x lower \(max LR [\d.e-]+\) and compare where the runs end\.$/);
  // The same at the baseline: nothing learned either.
  const atBaseline = diagnose(history([50, 40, 56, 58], [50, 40, 56, 58]), VARIANCE_57);
  assert.equal(atBaseline.verdict, 'unstable');
  assert.match(atBaseline.reason, /^Unstable: .*ended at 58, at the baseline/);
  // Far above it: worse than the baseline, not "at" it.
  const above = diagnose(history([50, 40, 56, 300], [50, 40, 56, 300]), VARIANCE_57);
  assert.equal(above.verdict, 'unstable');
  assert.match(above.reason, /^Unstable: .*ended at 300, worse than the baseline \(epoch/);
});

test('a training loss near zero that wanders up at the end by less than 2% of the baseline is not "unstable" (a 3-class model at 100% accuracy read "lower the maximum LR" and the recipe cut it 3x)', () => {
  // A user's recipe run: 100 epochs of 5 batches, training loss 0.019 at its lowest and 0.036 at the end (1.5% of ln 3),
  // validation loss 0.016–0.02 at the end.
  const val = Array.from({ length: 100 }, (_, i) => Math.max(0.016, 1.1 * Math.exp(-i / 8)));
  const train = Array.from({ length: 100 }, (_, i) => (i === 99 ? 0.036 : i === 80 ? 0.019 : Math.max(0.025, 1.1 * Math.exp(-i / 8))));
  const d = diagnose(history(val, train), LN3);
  assert.doesNotMatch(d.reason, /^Unstable/, d.reason);
  assert.equal(d.verdict, 'good', d.reason);
  // The same shape with a rise worth over 2% of the baseline is still unstable.
  const risen = train.map((t, i) => (i === 99 ? 0.019 + 0.03 * Math.log(3) : t));
  assert.match(diagnose(history(val, risen), LN3).reason, /^Unstable: the training loss rose from 0\.019 \(epoch 81\)/);
});

test('a training loss near zero that ticks up at the end (dropout) while validation rose far more → overfitting, not "unstable"', () => {
  // The recipe's 100-epoch run of a Fashion-MNIST MLP with dropout: validation best 0.485 at epoch 7, 0.844 at the end;
  // training loss 0.0193 at epoch 98, 0.022 at 100 (+14%, 0.3% of the validation loss).
  const val = Array.from({ length: 100 }, (_, i) => (i < 6 ? 1.2 - 0.1 * i : 0.485 + (0.359 * (i - 6)) / 93));
  const train = Array.from({ length: 100 }, (_, i) => (i === 99 ? 0.022 : i === 98 ? 0.0193 : Math.max(0.0195, 1.1 * Math.exp(-i / 12))));
  const d = diagnose(history(val, train), TEN_CLASSES);
  assert.equal(d.verdict, 'overfitting', d.reason);
  assert.match(d.reason, /^Validation loss bottomed at epoch 7 \(0\.485\) and rose 74\.0% since/);
  // The same tick with validation flat at its best: not unstable either (the rise is 0.3% of the validation loss).
  assert.doesNotMatch(diagnose(history(val.map((v, i) => (i < 6 ? v : 0.485)), train), TEN_CLASSES).reason, /^Unstable/);
  // A rise comparable to validation's is still instability (the cases above: 11 → 19 against 18).
  assert.match(diagnose(history([1.0, 0.6, 0.45, 0.4, 0.45], [0.9, 0.5, 0.3, 0.2, 0.3]), LN2).reason, /^Unstable: the training loss rose from 0\.2/);
});

test('a converged classifier whose validation loss rises by under 1% of the baseline while its accuracy holds → good, naming the rise and the epoch that was lowest; a rise past 1% of it, or one that costs accuracy, stays overfitting', () => {
  // A user's GRU on noise-free labels: 0.009 → 0.015 against ln 3 (0.5% of it) at 99.4% throughout read "overfitting: more regularization".
  const val = [0.05, 0.02, 0.009, 0.011, 0.015];
  const train = [0.06, 0.02, 0.008, 0.004, 0.002];
  const held = diagnose(history(val, train, [0.98, 0.992, 0.994, 0.994, 0.994]), LN3);
  assert.equal(held.verdict, 'good', held.reason);
  assert.match(held.reason, /^Validation loss bottomed at epoch 3 \(0\.009\) and rose 66\.7% since \(to 0\.015; baseline: the chance level 1\.1 = ln 3\), under 1\.0% of the baseline, while validation accuracy held \(99\.4% → 99\.4%\): converged, .*the lowest validation loss came at epoch 3/);
  // Accuracy fell: the rise cost something the user sees.
  const lost = diagnose(history(val, train, [0.98, 0.992, 0.994, 0.993, 0.99]), LN3);
  assert.equal(lost.verdict, 'overfitting', lost.reason);
  // A rise of 2% of the baseline, accuracy held: material.
  const larger = diagnose(history([0.05, 0.02, 0.009, 0.02, 0.031], train, [0.98, 0.992, 0.994, 0.994, 0.994]), LN3);
  assert.equal(larger.verdict, 'overfitting', larger.reason);
  // Without an accuracy (a regression), the rule is as before.
  assert.equal(diagnose(history(val, train), LN3).verdict, 'overfitting');
  // Down by up to 2 of the validation samples still held, where their number is known: 99.4% → 99.2% on 1,000 (by 0.4 points, 4 samples, it did not).
  const ofThousand: Baseline = { ...LN3, accuracy: 0.34, valSamples: 1000 };
  const twoSamples = diagnose(history(val, train, [0.98, 0.992, 0.994, 0.993, 0.992]), ofThousand);
  assert.equal(twoSamples.verdict, 'good', twoSamples.reason);
  assert.match(twoSamples.reason, /while validation accuracy held \(99\.4% → 99\.2%, within 2 of its 1000 samples\): converged/);
  assert.equal(diagnose(history(val, train, [0.98, 0.992, 0.994, 0.993, 0.99]), ofThousand).verdict, 'overfitting');
});

test('validation loss rising materially while training loss keeps falling → overfitting, with the numbers', () => {
  const d = diagnose(history([1.0, 0.6, 0.45, 0.4, 0.42, 0.46, 0.5], [0.9, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08]), LN2);
  assert.equal(d.verdict, 'overfitting');
  assert.match(d.reason, /^Validation loss bottomed at epoch 4 \(0\.4\) and rose 25\.0% since \(to 0\.5; baseline: the chance level 0\.693 = ln 2\) while the training loss kept falling \(0\.25 → 0\.08, 84\.0% below validation\)/);
  // Past the baseline: says so.
  const past = diagnose(history([0.6, 0.45, 0.6, 0.9, 1.4], [0.6, 0.4, 0.2, 0.05, 0.01]), LN2);
  assert.equal(past.verdict, 'overfitting');
  assert.match(past.reason, /to 1\.4, above the baseline/);
  // Rising validation loss with a flat training loss: not overfitting either.
  const flatTrain = diagnose(history([1.0, 0.5, 0.4, 0.45, 0.5], [0.9, 0.45, 0.35, 0.35, 0.35]), LN2);
  assert.equal(flatTrain.verdict, 'unstable');
  assert.match(flatTrain.reason, /did not fall: the LR is too high to settle, not overfitting/);
});

test('a small rise counts as overfitting only with training loss well below validation loss', () => {
  const val = [1.0, 0.5, 0.35, 0.3, 0.302, 0.305, 0.309];
  assert.equal(diagnose(history(val, val.map((v) => v * 0.95)), TEN_CLASSES).verdict, 'good');
  const d = diagnose(history(val, val.map((v, i) => v * (0.6 - i * 0.02))), TEN_CLASSES);
  assert.equal(d.verdict, 'overfitting');
  assert.match(d.reason, /rose 3\.0% since/);
});

test('both losses still falling materially → underfitting; immaterial falls are flat', () => {
  // MNIST-like: 0.10 → 0.08 over the last two epochs against ln 10: material.
  const d = diagnose(history([2.0, 0.5, 0.2, 0.13, 0.1, 0.08]), TEN_CLASSES);
  assert.equal(d.verdict, 'underfitting');
  assert.match(d.reason, /^Validation loss is still falling 19\.2% per epoch over the last 2 epochs \(0\.13 → 0\.08; baseline: the chance level 2\.3 = ln 10\); training loss too \(0\.117 → 0\.072\)\. Train longer/);
  assert.match(d.reason, /less regularization or a larger model\. \(If validation turns up in a longer run, the longer run overfits: keep this length\.\)$/);
  // A higher LR is no first cure: at find-lr's headline, 3x higher broke down on three fresh models.
  assert.doesNotMatch(d.reason, /raise the LR/);
  assert.match(d.reason, /Train longer \(more epochs\)\. A higher max LR is the riskier cure: .* compare a run at 3x higher side by side before taking it\./);
  // Still falling, but the training loss 4x below validation (a 12-epoch run after the recipe's
  // epochs): train longer, and not "less regularization or a larger model", which widens the gap.
  const val = [2.0, 1.2, 0.9, 0.75, 0.66, 0.6, 0.56, 0.53, 0.5, 0.48, 0.46, 0.44];
  const gapped = diagnose(history(val, val.map((v, i) => v / (1 + i * 0.3))), TEN_CLASSES);
  assert.equal(gapped.verdict, 'underfitting', gapped.reason);
  assert.match(gapped.reason, /Train longer: validation still improves\. But the training loss is 76\.7% below validation .* keep the regularization and the model's size; if validation turns up .* add regularization/);
  assert.doesNotMatch(gapped.reason, /less regularization|larger model/);
  // The same shape far down (under 1% of ln 10 apart): 37% is no wide gap there (0.0099 against 0.0158 beside
  // a baseline of 1.61 read "fits the training set much better than it generalizes").
  const tiny = diagnose(history(val.map((v) => v / 16), val.map((v, i) => v / 16 / (1 + i * 0.3))), TEN_CLASSES);
  assert.equal(tiny.verdict, 'underfitting', tiny.reason);
  assert.doesNotMatch(tiny.reason, /much better than it generalizes/);
  // The trend starts from the median of three epochs, against one spike; where that is another epoch's
  // value the message says so (a user's 5 epochs read "over the last 2 epochs (0.0716 → 0.0532)", 0.0716 being epoch 2's).
  const median = diagnose(history([0.0899, 0.0716, 0.0812, 0.0637, 0.0532]), LN2);
  assert.match(median.reason, /still falling 12\.8% per epoch over the last 2 epochs \(0\.0716, the median of epochs 2–4, → 0\.0532;/);
  // A fall that stopped in the last epoch, as 1cycle's LR annealed (a user's 95/5 classifier; longer runs
  // ended worse): flat, not "train longer". A steep trend with one flat last epoch stays underfitting.
  const BINARY_5: Baseline = { loss: 0.199, valLoss: 0.199, kind: 'chance' };
  const annealed = diagnose(history([0.125, 0.124, 0.118, 0.1097, 0.1095], [0.13, 0.12, 0.11, 0.1, 0.095]), BINARY_5);
  assert.equal(annealed.verdict, 'good', annealed.reason);
  assert.match(annealed.reason, /^Validation loss is flat at the end \(0\.11\d*: its last epoch fell 0\.2%, after 3\.6% per epoch over the last 2 epochs as the LR annealed/);
  const steep = diagnose(history([2.0, 0.5, 0.2, 0.13, 0.1, 0.1]), TEN_CLASSES);
  assert.equal(steep.verdict, 'underfitting', steep.reason);
  // Flat, but the training loss far below validation, still well up from zero (a 512×512 MLP on 200
  // samples: 0.336 against 0.642): good at this length, and the gap said.
  const LN_2: Baseline = { loss: Math.log(2), valLoss: Math.log(2), kind: 'chance' };
  const gap = diagnose(history([0.68, 0.65, 0.641, 0.6415, 0.642], [0.7, 0.6, 0.45, 0.38, 0.336]), LN_2);
  assert.equal(gap.verdict, 'good', gap.reason);
  assert.match(gap.reason, /in balance at this length\. But the training loss is 47\.7% below validation \(0\.336\): the model fits its training set much better than it generalizes — more epochs will overfit/);
  // The same at 1cycle's end, its LR annealed to near zero: flat because the LR stopped, so nothing said of more epochs
  // (an Adam MLP flat at 0.183 after 10 epochs read "more epochs will overfit"; 25 reached 0.108).
  const cycled = diagnose(withLrs([0.68, 0.65, 0.641, 0.6415, 0.642], [0.7, 0.6, 0.45, 0.38, 0.336], [0.05, 0.1, 0.05, 0.01, 1e-6]), LN_2);
  assert.equal(cycled.verdict, 'good', cycled.reason);
  assert.match(cycled.reason, /generalizes — a longer cycle may still gain \(the end is flat because the LR came down to near zero; compare one side by side\), but more regularization/);
  assert.doesNotMatch(cycled.reason, /more epochs will overfit/);
  // Still falling only as 1cycle annealed, the training loss over half below validation (a user's
  // 10-class RMSprop MLP at 8 epochs; 10, 12 and 16 ended worse): not "underfitting: train longer".
  const TEN: Baseline = { loss: Math.log(10), valLoss: Math.log(10), kind: 'chance' };
  const oneCycleLrs = [0.0528, 0.127, 0.132, 0.11, 0.0756, 0.0385, 0.0104, 5.44e-7];
  const memorizing = diagnose(withLrs([0.751, 0.822, 0.962, 1.01, 0.763, 0.67, 0.611, 0.605], [0.846, 0.822, 1.03, 0.825, 0.657, 0.436, 0.251, 0.151], oneCycleLrs), TEN);
  assert.equal(memorizing.verdict, 'good', memorizing.reason);
  assert.match(memorizing.reason, /^Validation loss fell to the end \(0\.67 → 0\.605 over the last 2 epochs; .*\) as the schedule brought the LR down to near zero: that fall is the anneal, not a sign that more epochs help\. The training loss is 75\.0% below validation \(0\.151\): .* a longer cycle is as likely to overfit/);
  assert.doesNotMatch(memorizing.reason, /Train longer/);
  // The same with the training loss 30% below (a regression that gained at twice the epochs), or with the LR still up: train longer stands.
  const closer = diagnose(withLrs([0.751, 0.822, 0.962, 1.01, 0.763, 0.67, 0.611, 0.605], [0.846, 0.822, 1.03, 0.825, 0.657, 0.5, 0.45, 0.42], oneCycleLrs), TEN);
  assert.equal(closer.verdict, 'underfitting', closer.reason);
  const constant = diagnose(withLrs([0.751, 0.822, 0.962, 1.01, 0.763, 0.67, 0.611, 0.605], [0.846, 0.822, 1.03, 0.825, 0.657, 0.436, 0.251, 0.151], oneCycleLrs.map(() => 0.05)), TEN);
  assert.equal(constant.verdict, 'underfitting', constant.reason);
  // Flat at the end → good.
  const flat = diagnose(history([1.0, 0.5, 0.35, 0.31, 0.302, 0.3, 0.301, 0.2995]), TEN_CLASSES);
  assert.equal(flat.verdict, 'good');
  assert.match(flat.reason, /^Validation loss is flat at the end \(0\.299: 0\.2% per epoch over the last 2 epochs/);
  // One spike where the last quarter starts (epoch 15 of 20) is not a trend: flat, not "still falling".
  const TINY: Baseline = { loss: 8e-6, valLoss: 8e-6, kind: 'mean' };
  const spiked = [4e-6, 3e-6, 2.4e-6, 2e-6, 1.7e-6, 1.5e-6, 1.35e-6, 1.25e-6, 1.15e-6, 1.08e-6, 1.03e-6, 1e-6, 9.8e-7, 9.6e-7, 1.22e-5, 9.47e-7, 9.45e-7, 9.43e-7, 9.42e-7, 9.41e-7];
  const spike = diagnose(history(spiked), TINY);
  assert.notEqual(spike.verdict, 'underfitting', spike.reason);
  assert.doesNotMatch(spike.reason, /still falling/);
});

test('without a baseline (custom loss): changes are measured against the first epoch; "neither improved" is not-learning', () => {
  const d = diagnose(history([2.3, 2.31, 2.29, 2.3, 2.3], [2.3, 2.3, 2.3, 2.29, 2.3]));
  assert.equal(d.verdict, 'not-learning');
  assert.match(d.reason, /^Neither training nor validation loss improved over 5 epochs \(validation 2\.3 → 2\.3\)/);
  // A rise near zero relative to the first epoch's loss is immaterial here too.
  assert.notEqual(diagnose(history([0.5, 1e-3, 1e-4, 3e-5, 5e-5], [0.9, 2e-3, 2e-4, 5e-5, 3e-5])).verdict, 'overfitting');
});

test('too short → no verdict, with a reason; not finite → unstable (diverged)', () => {
  const short = diagnose(history([1, 0.5]));
  assert.equal(short.verdict, null);
  assert.match(short.reason, new RegExp(`^Too few epochs with a finite validation loss \\(2, need ${MIN_EPOCHS}\\)`));
  assert.equal(diagnose([]).verdict, null);
  const nan = diagnose(history([1, 0.5, 0.4, null, 0.3]));
  assert.equal(nan.verdict, 'unstable');
  assert.match(nan.reason, /^Validation loss became NaN\/Inf at epoch 4: training diverged/);
  const inf = diagnose(history([1, 0.5, 0.4, 0.35, 0.3], [1, 0.5, Number.POSITIVE_INFINITY, 0.3, 0.2]));
  assert.equal(inf.verdict, 'unstable');
  assert.match(inf.reason, /training loss became NaN\/Inf at epoch 3/);
  // NaN/Inf after finite epochs is a divergence however few finite ones came before: 20 epochs whose
  // third reached training loss 2.3e29 read "too few epochs with a finite validation loss: train for more epochs".
  const blown = diagnose(history([0.15, 0.18, ...Array<null>(18).fill(null)], [0.2, 0.14, 2.26e29, 8.6e28, ...Array<null>(16).fill(null)]));
  assert.equal(blown.verdict, 'unstable');
  assert.match(blown.reason, /^Validation loss became NaN\/Inf at epoch 3: training diverged\. Lower the maximum LR: train again 3x lower \(max LR 0\.0333\) and compare where the runs end\.$/);
  assert.match(diagnose(history([1, null, 0.5])).reason, /^Validation loss became NaN\/Inf at epoch 2/);
  // Never a finite one (no epoch evaluated finitely): too few to judge, not a divergence seen.
  assert.match(diagnose(history([null, null])).reason, /^Too few epochs .*\(0, need 3\)/);
});

test('recommended epochs: where validation stopped improving materially, never more than measured', () => {
  // Solved in 2 of 20 epochs: later epochs move 1e-4 → 3e-5 against ln 2.
  const solved = recommendedEpochs(history([0.05, 1e-4, ...Array.from({ length: 18 }, (_, i) => 1e-4 - i * 4e-6)]), LN2);
  assert.equal(solved.epochs, 2);
  assert.match(solved.reason, /^validation loss reached within 6\.93e-4 of its best \(3\.2e-5 at epoch 20\) by epoch 2 of 20; later epochs gained nothing material$/);
  // Overfitting: the best epoch.
  assert.equal(recommendedEpochs(history([1.0, 0.6, 0.45, 0.4, 0.42, 0.46, 0.5]), LN2).epochs, 4);
  // Still improving at the end: the run's length, and it says more may help.
  const still = recommendedEpochs(history([2.0, 0.5, 0.2, 0.13, 0.1, 0.08]), TEN_CLASSES);
  assert.equal(still.epochs, 6);
  assert.match(still.reason, /^validation loss reached its best at the last epoch measured \([^)]*\), no earlier epoch within a material distance of it: train at least this long; a longer cycle than the budget allowed may gain more/);
  assert.equal(recommendedEpochs([], LN2).epochs, 1);
});

test('a time-driven run stops mid-epoch: its length is measured in epochs from the durations, and only whole epochs are recommended, never fewer than it measured where its best was at its end', () => {
  // Epochs of 2 s each, the last 0.8 s long: 3.4 epochs.
  const timed = (val: number[], last: number): EpochRecord[] => history(val).map((h, i, all) => ({ ...h, seconds: i < all.length - 1 ? 2 * (i + 1) : 2 * (all.length - 1) + last }));
  assert.ok(Math.abs(epochsMeasured(timed([1, 0.5, 0.3, 0.2], 0.8)) - 3.4) < 1e-9);
  assert.equal(epochsMeasured(timed([1, 0.5, 0.3, 0.2], 2.5)), 4, 'a share above one is one');
  assert.equal(epochsMeasured(history([0.5])), 1, 'one epoch alone counts as one');
  assert.equal(epochsMeasured([]), 0);
  // Still improving at the partial last epoch: "at least this long" counts it whole (3 of 3.4 read
  // "train at least this long" and recommended less than the run measured), and the reason says so.
  const still = recommendedWholeEpochs(timed([2.0, 0.5, 0.2, 0.1], 0.8), TEN_CLASSES, 3.4);
  assert.equal(still.epochs, 4);
  assert.match(still.reason, /reached its best at the last epoch measured .*train at least this long.*\(the run's last epoch was partial: its cycle ended at the budget after 3\.4 epochs, so 4 whole epochs at least\)$/);
  // The best earlier: unchanged; a whole last epoch: unchanged; never below one.
  assert.equal(recommendedWholeEpochs(timed([1.0, 0.4, 0.45, 0.5], 0.8), LN2, 3.4).epochs, 2);
  assert.equal(recommendedWholeEpochs(history([2.0, 0.5, 0.2, 0.1]), TEN_CLASSES, 4).epochs, 4);
  assert.equal(recommendedWholeEpochs(history([0.5]), LN2, 0.4).epochs, 1);
});

const BROKE_AT_129 = 'the confirming run broke down at max LR 1.29, so its curve says nothing about the length at a lower one';

test('the recipe\'s epochs after its confirming run: cancelled, the plan; broken down on the clock, the whole epochs that fitted, never the plan\'s estimate above them', () => {
  const timed = (val: number[], last: number): EpochRecord[] => history(val).map((h, i, all) => ({ ...h, seconds: i < all.length - 1 ? 2 * (i + 1) : 2 * (all.length - 1) + last }));
  const base = { baseline: TEN_CLASSES, cancelled: false, brokeDown: null };
  // CI: the plan said 38 from a step time measured before the run; 37 fitted (the last one partial here: 36).
  const fitted = Array.from({ length: 37 }, (_, i) => 2 - i * 0.01);
  const broke = confirmingRunEpochs({ ...base, history: timed(fitted, 0.8), planned: 38, clocked: true, brokeDown: BROKE_AT_129 });
  assert.equal(broke.epochs, 36);
  assert.match(broke.reason, /^the confirming run broke down at max LR 1\.29, so its curve says nothing about the length at a lower one: the 36 whole epochs that fitted this budget in it$/);
  assert.equal(confirmingRunEpochs({ ...base, history: timed(fitted, 2), planned: 38, clocked: true, brokeDown: BROKE_AT_129 }).epochs, 37);
  // Fewer planned than fitted: still the fitted ones — the run measured the budget.
  assert.equal(confirmingRunEpochs({ ...base, history: timed(fitted, 2), planned: 20, clocked: true, brokeDown: BROKE_AT_129 }).epochs, 37);
  // Not clocked (the epoch cap bound): the plan's length, as before.
  const capped = confirmingRunEpochs({ ...base, history: history([2, 1, 0.5]), planned: 3, clocked: false, brokeDown: BROKE_AT_129 });
  assert.equal(capped.epochs, 3);
  assert.match(capped.reason, /: the plan's length for this budget$/);
  // Cancelled: the plan's length, whatever ran.
  const cancelled = confirmingRunEpochs({ ...base, history: timed([2, 1], 0.5), planned: 12, clocked: true, cancelled: true });
  assert.equal(cancelled.epochs, 12);
  assert.match(cancelled.reason, /^the confirming run was cancelled after 1\.3 epochs, before its schedule ended/);
  // A run that stood: where validation stopped improving, in whole epochs measured.
  assert.equal(confirmingRunEpochs({ ...base, history: timed([2.0, 0.5, 0.2, 0.1], 0.8), planned: 9, clocked: true }).epochs, 4, 'its best at its partial last epoch: 3.4 epochs at least');
  assert.equal(confirmingRunEpochs({ ...base, history: history([1.0, 0.6, 0.45, 0.4, 0.42, 0.46, 0.5]), baseline: LN2, planned: 7, clocked: false }).epochs, 4);
  // Best at epoch 2 of a run of 100 (its LR still rising): 3, the fewest a verdict judges, and said why.
  const early = confirmingRunEpochs({ ...base, history: history([0.68, 0.629, 0.64, 0.66, ...Array.from({ length: 96 }, () => 0.7)]), baseline: LN2, planned: 100, clocked: false });
  assert.equal(early.epochs, FEWEST_JUDGED);
  assert.match(early.reason, /by epoch 2 of 100; .*; 3 epochs, not 2: the fewest whose run a verdict can judge, and a cycle of 2 epochs is another schedule than the first 2 epochs of a longer one — confirm it with lrlab train$/);
  assert.equal(FEWEST_JUDGED, MIN_EPOCHS);
  // A run of 2 epochs measured only those.
  assert.equal(confirmingRunEpochs({ ...base, history: history([0.6, 0.5]), baseline: LN2, planned: 2, clocked: false }).epochs, 2);
  // Never below one.
  assert.equal(confirmingRunEpochs({ ...base, history: [], planned: 0, clocked: true, cancelled: true }).epochs, 1);
  // The verdict says validation was still falling at the end: the run's whole length, never "later epochs
  // gained nothing material" (a 2 s MNIST recipe: best 0.201 at the 0.1-epoch partial 4th, 0.203 at epoch 3).
  const cut = timed([0.331, 0.236, 0.203, 0.201], 0.2);
  assert.match(confirmingRunEpochs({ ...base, history: cut, planned: 4, clocked: true }).reason, /later epochs gained nothing material/);
  const falling = confirmingRunEpochs({ ...base, history: cut, planned: 4, clocked: true, stillFalling: true });
  assert.equal(falling.epochs, 4, 'at least the 3.1 epochs it ran: 4 whole');
  assert.equal(falling.reason, 'validation loss was still falling at the end of the run (3.1 epochs; the verdict: underfitting): train at least this long; more epochs than the budget allowed may help');
  // Not clocked: the whole run, however close an earlier epoch came.
  const ran = confirmingRunEpochs({ ...base, history: history([1.0, 0.5, 0.4, 0.399, 0.398]), planned: 5, clocked: false, stillFalling: true });
  assert.deepEqual([ran.epochs, ran.reason], [5, 'validation loss was still falling at the end of the run (5 epochs; the verdict: underfitting): train at least this long; more epochs may help']);
});

test('endedStillFalling: the "train longer" underfitting verdict, not the other underfitting ones', () => {
  const falling = diagnose(history([2.0, 1.2, 0.8, 0.55, 0.4]), TEN_CLASSES);
  assert.equal(falling.verdict, 'underfitting');
  assert.equal(endedStillFalling(falling), true);
  // A user's GRU at max LR 5 (find-lr: 0.08–0.25): validation swung to 4x the baseline and ended in its
  // band by chance, training above its own baseline all run — unstable, not "stayed at the baseline:
  // check the data and labels".
  const GRU: Baseline = { loss: 0.692, valLoss: 0.6919, kind: 'chance' };
  const gruVal = [1.1733, 2.7129, 0.972, 1.0836, 1.2866, 0.7219];
  const gruTrain = [1.2663, 1.5681, 1.704, 1.6154, 1.3023, 0.9459];
  const gru = diagnose(withLrs(gruVal, gruTrain, [2.09, 3.77, 4.55, 2.86, 1.18, 0.0005]), GRU);
  assert.equal(gru.verdict, 'unstable', gru.reason);
  assert.match(gru.reason, /^Unstable: validation loss never got clearly below the baseline over 6 epochs \(1\.17, 2\.71, 0\.972, 1\.08, 1\.29, 0\.722; baseline: the chance level 0\.692\): it swung to 2\.71 \(epoch 2, LR 3\.77\), 3\.92x the baseline, and the training loss stayed above its own baseline all run \(0\.946–1\.7 against 0\.692\): training never predicted better than the chance level\. The maximum LR is too high for this model: train again 3x lower/);
  assert.equal(breakdownOf(withLrs(gruVal, gruTrain, [2.09, 3.77, 4.55, 2.86, 1.18, 0.0005]), GRU), 'unstable: its training loss stayed above the baseline while validation swung');
  // Its training loss at its baseline instead (a model that cannot learn, validation noisy): still not-learning.
  assert.equal(diagnose(withLrs(gruVal, gruVal.map(() => 0.6925), [2.09, 3.77, 4.55, 2.86, 1.18, 0.0005]), GRU).verdict, 'not-learning');
  assert.equal(endedStillFalling({ verdict: 'underfitting', reason: 'Validation loss flattened only as the LR came down: ...' }), false);
  assert.equal(endedStillFalling({ verdict: 'good', reason: 'Validation loss is still falling (never this verdict)' }), false);
});

/** A history with its LRs (1cycle's), from a real `lrlab train --json` run. */
function withLrs(val: readonly number[], train: readonly number[], lrs: readonly number[]): EpochRecord[] {
  return history(val, train).map((h, i) => ({ ...h, lr: lrs[i]! }));
}

test('a training loss that rises only in 1cycle\'s annihilation (LR a tenth of the peak or lower) is noise, not a too-high LR: a small-data run at its best read "unstable: lower the max LR"', () => {
  // A user's 150-sample, 2-batch-per-epoch MLP at max LR 6.62e-4 for 30 epochs: training loss 0.209 at epoch 28,
  // 0.233 at 30 while the LR went 1.5e-5 → 2.65e-9; validation flat at 0.463, the best of its grid.
  const val = Array.from({ length: 30 }, (_, i) => Math.max(0.463, 1.1 * Math.exp(-i / 4)));
  const train = Array.from({ length: 30 }, (_, i) => (i === 29 ? 0.233 : i === 28 ? 0.221 : i === 27 ? 0.209 : Math.max(0.215, 1.1 * Math.exp(-i / 4))));
  const peak = 6.62e-4;
  const lrs = Array.from({ length: 30 }, (_, i) => (i < 13 ? peak * (0.1 + (0.9 * (i + 1)) / 13) : i < 27 ? peak * (1 - (0.9 * (i - 12)) / 14) : [1.5e-5, 3.7e-6, 2.65e-9][i - 27]!));
  const d = diagnose(withLrs(val, train, lrs), LN3, peak);
  assert.notEqual(d.verdict, 'unstable', d.reason);
  // The same rise while the LR is still a tenth of the peak or more is the LR's.
  const late = lrs.map((lr, i) => (i >= 27 ? peak / 5 : lr));
  assert.match(diagnose(withLrs(val, train, late), LN3, peak).reason, /^Unstable: the training loss rose from 0\.209 \(epoch 28\)/);
});

test('unstable mid-run: a validation loss that gave back half its progress at the peak LR and came down as the LR fell is a too-high LR, not "train longer or raise the LR"', () => {
  const THREE: Baseline = { loss: 1.0986, valLoss: 1.0986, kind: 'chance' };
  // A 3-class MLP with 1cycle at max LR 3 (0.3 ends at 0.03): from lrlab train --json.
  const val = [0.2905, 0.5031, 0.6954, 0.389, 0.5182, 0.3718, 0.4953, 0.3511, 0.2812, 0.2038];
  const train = [0.4132, 0.3818, 0.4287, 0.4385, 0.4629, 0.4952, 0.4338, 0.394, 0.2859, 0.2366];
  const lrs = [0.8882, 1.4895, 2.0908, 2.6922, 2.7065, 2.1052, 1.5039, 0.9026, 0.3013, 0.0003];
  const d = diagnose(withLrs(val, train, lrs), THREE);
  assert.equal(d.verdict, 'unstable', d.reason);
  assert.match(d.reason, /^Unstable mid-run: validation loss climbed from 0\.29 \(epoch 1\) to 0\.695 \(epoch 3, LR 2\.09\), back over 50\.1% of what it had gained, and came down only as the LR fell \(0\.204 at epoch 10; .*The maximum LR is past what the model tolerates: train again 3x lower \(max LR 0\.902\) and compare where the runs end\.$/);
  // Not back to find-lr: a user whose run at find-lr's own headline broke down was sent there and got the same LR again.
  assert.doesNotMatch(d.reason, /raise the LR|run lrlab find-lr/);
  // The run's own peak where train knows it (each record keeps its epoch's last LR, under the peak).
  assert.match(diagnose(withLrs(val, train, lrs), THREE, 3).reason, /train again 3x lower \(max LR 1\) and compare where the runs end\.$/);
  // A climb past where it started says so (it read "back over 5251.1% of what it had gained").
  const past = diagnose(withLrs([0.9, 1.05, 3.2, 3.5, 1.0, 0.8, 0.7], [1.0, 1.1, 3.0, 3.4, 1.2, 0.9, 0.8], [1, 2, 3, 3, 2, 1, 0]), THREE);
  assert.match(past.reason, /^Unstable mid-run: validation loss climbed from 0\.9 \(epoch 1\) to 3\.5 \(epoch 4, LR 3\), giving back all it had gained and more, and came down only as the LR fell/);
  // The same climb in a run that ended converged (under 1% of the baseline: a user's LSTM at 100% and 1.3e-4): good, the climb told.
  const LN2: Baseline = { loss: Math.log(2), valLoss: Math.log(2), kind: 'chance' };
  const converged = diagnose(withLrs([0.3, 0.05, 0.6, 0.829, 0.2, 0.01, 0.0005, 0.00013], [0.4, 0.1, 0.5, 0.8, 0.3, 0.02, 0.001, 0.0002], [0.02, 0.06, 0.09, 0.09, 0.06, 0.03, 0.01, 0.0001]), LN2);
  assert.equal(converged.verdict, 'good', converged.reason);
  assert.match(converged.reason, /^Converged: validation loss 1\.3e-4 at epoch 8 is under 1\.0% of the baseline .*, though unstable mid-run: validation loss climbed from 0\.05 \(epoch 2\) to 0\.829 \(epoch 4, LR 0\.09\), and came down as the LR fell\. A lower maximum LR/);
  // The same run at 0.3 wobbles by a few percent of its progress: still judged by its trend.
  const calm = [0.2765, 0.1106, 0.0787, 0.0647, 0.0545, 0.0492, 0.0557, 0.0501, 0.0737, 0.0482, 0.0576, 0.0359, 0.0324, 0.03, 0.03];
  const calmTrain = [0.5974, 0.1829, 0.0993, 0.0813, 0.0769, 0.0644, 0.063, 0.0602, 0.063, 0.0623, 0.0558, 0.0429, 0.0408, 0.038, 0.0329];
  assert.match(diagnose(history(calm, calmTrain), THREE).reason, /^Validation loss is still falling/);
  // Validation climbing while training loss falls is not instability (overfitting's shape, with the annealing's dip at the end).
  const overfit = [1.0, 0.6, 0.5, 0.7, 0.8, 0.9, 0.75, 0.6];
  assert.doesNotMatch(diagnose(history(overfit, [1.0, 0.6, 0.45, 0.35, 0.3, 0.25, 0.2, 0.15]), THREE).reason, /^Unstable mid-run/);
  // A climb from epoch 1, whose mean training loss holds the untrained start: the training loss rose
  // between later epochs (a user's 10-class model at 3x its headline read "good: in balance"; 3x lower reached 1.25).
  const TEN_IMBALANCED: Baseline = { loss: 1.73, valLoss: 1.79, kind: 'chance' };
  const sparseLrs = [0.27, 0.74, 0.98, 0.93, 0.8, 0.6, 0.38, 0.18, 0.049, 3.9e-6];
  const fromFirst = diagnose(withLrs([1.46, 1.6, 1.54, 1.48, 1.55, 1.56, 1.56, 1.5, 1.42, 1.42], [1.61, 1.44, 1.53, 1.54, 1.51, 1.49, 1.41, 1.34, 1.21, 1.11], sparseLrs), TEN_IMBALANCED);
  assert.equal(fromFirst.verdict, 'unstable', fromFirst.reason);
  assert.match(fromFirst.reason, /^Unstable mid-run: validation loss climbed from 1\.46 \(epoch 1\) to 1\.6 \(epoch 2, LR 0\.74\), back over 42\.4% of what it had gained/);
  // Fivefold at the peak LR, though a tenth of the progress from a baseline far above (a user's 50-class
  // model at 3x its headline read "underfitting: train longer"; its headline ended at 0.023): unstable.
  const FIFTY: Baseline = { loss: 3.897, valLoss: 3.941, kind: 'chance' };
  const fiftyLrs = [0.113, 0.319, 0.423, 0.402, 0.343, 0.259, 0.164, 0.0796, 0.0209, 1.69e-6];
  const fiftyVal = [0.1958, 0.08279, 0.4255, 0.4093, 0.2521, 0.1077, 0.07046, 0.06062, 0.05882, 0.05924];
  const fiftyTrain = [2.164, 0.09179, 0.1534, 0.4408, 0.2745, 0.1154, 0.04431, 4.677e-4, 1.496e-3, 8.371e-4];
  const fivefold = diagnose(withLrs(fiftyVal, fiftyTrain, fiftyLrs), FIFTY, 0.423);
  assert.equal(fivefold.verdict, 'unstable', fivefold.reason);
  assert.match(fivefold.reason, /^Unstable mid-run: validation loss climbed from 0\.0828 \(epoch 2\) to 0\.425 \(epoch 3, LR 0\.423\), 5\.14x, and came down only as the LR fell \(0\.0592 at epoch 10; .*train again 3x lower \(max LR 0\.141\)/);
  // Only where it lasted (a single epoch's spike is noise at this scale) and recovered far below it: good, the climb told.
  const spike = [...fiftyVal];
  spike[3] = 0.2;
  assert.notEqual(diagnose(withLrs(spike, fiftyTrain, fiftyLrs), FIFTY, 0.423).verdict, 'unstable');
  const recovered = fiftyVal.map((v, i) => (i >= 6 ? v / 4 : v));
  const kept = diagnose(withLrs(recovered, fiftyTrain, fiftyLrs), FIFTY, 0.423);
  assert.equal(kept.verdict, 'good', kept.reason);
  assert.match(kept.reason, /^Converged: .*, though unstable mid-run: validation loss climbed from 0\.0828 \(epoch 2\) to 0\.425/);
  // The same climb with the training loss falling at every later epoch: overfitting's shape, not instability.
  const fellThrough = diagnose(withLrs([1.46, 1.6, 1.54, 1.48, 1.55, 1.56, 1.56, 1.5, 1.42, 1.42], [1.61, 1.44, 1.4, 1.36, 1.32, 1.28, 1.24, 1.2, 1.15, 1.11], sparseLrs), TEN_IMBALANCED);
  assert.doesNotMatch(fellThrough.reason, /^Unstable mid-run/, fellThrough.reason);
});

test('at 10x the LR a model tolerates: a validation loss past the baseline at the peak LR, or a training loss that climbed and never got below its own, is unstable — not "train longer", not "learned nothing"', () => {
  // A user's CNN at max LR 8.9 (find-lr: 0.89), from lrlab train --json: validation 0.65 → 0.95
  // (past ln 2) at the peak LR, back to 0.46 as the LR fell, while the epoch-mean training loss fell.
  const TWO: Baseline = { loss: 0.6929, valLoss: 0.6939, kind: 'chance' };
  const cnn = diagnose(withLrs([0.6504, 0.8573, 0.9545, 0.5496, 0.4576], [0.7715, 0.6883, 0.6292, 0.6556, 0.3647], [4.13, 7.77, 6.39, 2.75, 0.00089]), TWO);
  assert.equal(cnn.verdict, 'unstable');
  assert.match(cnn.reason, /^Unstable mid-run: validation loss climbed from 0\.65 \(epoch 1\) to 0\.955 \(epoch 3, LR 6\.39\), giving back all it had gained and more, and came down only as the LR fell .*The maximum LR is past what the model tolerates: train again 3x lower/);
  assert.doesNotMatch(cnn.reason, /Train longer|higher max LR/);
  assert.equal(breakdownOf(withLrs([0.6504, 0.8573, 0.9545, 0.5496, 0.4576], [0.7715, 0.6883, 0.6292, 0.6556, 0.3647], [4.13, 7.77, 6.39, 2.75, 0.00089]), TWO), 'unstable mid-run: its validation loss climbed back, and came down only as the LR fell');
  // A user's sparse 4-class model at max LR 39.4 (find-lr: 3.94): validation never near ln 4, the
  // training loss climbing 4.23 → 6.4 and never below ln 4 either, while accuracy rose to 74%.
  const FOUR: Baseline = { loss: 1.3862, valLoss: 1.3876, kind: 'chance' };
  const sparseVal = [6.1034, 6.2495, 6.0249, 4.6, 3.9736];
  const sparseTrain = [4.2326, 6.1237, 6.1793, 6.4036, 4.492];
  const sparse = withLrs(sparseVal, sparseTrain, [18.8, 34.8, 28.0, 12.0, 0.0039]).map((h, i) => ({ ...h, valAccuracy: [0.62, 0.6, 0.613, 0.7, 0.743][i]! }));
  const d = diagnose(sparse, FOUR);
  assert.equal(d.verdict, 'unstable', d.reason);
  assert.match(d.reason, /^Unstable: validation loss never got down to the baseline over 5 epochs \(6\.1 → 3\.97, lowest 3\.97, 2\.86x the baseline; .*\), and the training loss climbed from 4\.23 \(epoch 1\) to 6\.4 \(epoch 4, LR 12\) and stayed above its own baseline all run \(lowest 4\.23 against 1\.39\): training made the predictions worse than the chance level \(validation accuracy 74\.3%: .*\)\. The maximum LR is too high for this model: train again 3x lower \(max LR 11\.6\) and compare where the runs end\.$/);
  assert.doesNotMatch(d.reason, /learned nothing|train longer|see the warnings/);
  assert.equal(breakdownOf(sparse, FOUR), 'unstable: its training loss climbed mid-run, above the baseline');
  // A user's 95/5 classifier at 3x its headline: training 0.206 → 0.336, back below its baseline 0.205
  // only as the LR fell, validation above its baseline all run — unstable, not "memorizes labels".
  const IMBALANCED: Baseline = { loss: 0.2053, valLoss: 0.2333, kind: 'chance' };
  const imbalanced = withLrs([0.314, 0.3251, 0.3096, 0.298, 0.2803], [0.2056, 0.2859, 0.3363, 0.2324, 0.1817], [0.52, 0.656, 0.422, 0.13, 2.8e-6]);
  const back = diagnose(imbalanced, IMBALANCED);
  assert.equal(back.verdict, 'unstable', back.reason);
  assert.match(back.reason, /, and the training loss climbed from 0\.206 \(epoch 1\) to 0\.336 \(epoch 3, LR 0\.422\) and got back below its own baseline \(0\.205\) only as the LR fell \(0\.182 at the end\): training made the predictions worse than the chance level.* The maximum LR is too high for this model: train again 3x lower/);
  assert.doesNotMatch(back.reason, /memorizes|learned nothing/);
  // The same losses at a constant LR: no "as the LR fell" — the usual rules.
  assert.notEqual(diagnose(withLrs([0.314, 0.3251, 0.3096, 0.298, 0.2803], [0.2056, 0.2859, 0.3363, 0.2324, 0.1817], [0.5, 0.5, 0.5, 0.5, 0.5]), IMBALANCED).verdict, 'unstable');
  // Never back below its baseline after the climb: no "got back below" (only the first epoch sat inside the band).
  assert.doesNotMatch(diagnose(withLrs([0.314, 0.3251, 0.3096, 0.298, 0.2803], [0.2056, 0.2859, 0.3363, 0.3, 0.29], [0.52, 0.656, 0.422, 0.13, 2.8e-6]), IMBALANCED).reason, /got back below its own baseline/);
  // Clearly below its baseline before the climb (it had learned, then climbed): not this rule either.
  assert.doesNotMatch(diagnose(withLrs([0.314, 0.3251, 0.3096, 0.298, 0.2803], [0.15, 0.2859, 0.3363, 0.2324, 0.1817], [0.52, 0.656, 0.422, 0.13, 2.8e-6]), IMBALANCED).reason, /got back below its own baseline/);
  // A slow starter whose first epochs sat inside the baseline's band: its climb is from noise, not a gain — still falling, not unstable (a review's case).
  const slow = diagnose(withLrs([0.68, 0.75, 0.76, 0.5, 0.3, 0.2], [0.69, 0.69, 0.68, 0.55, 0.35, 0.22], [1, 2, 3, 2, 1, 0.01]), TWO);
  assert.doesNotMatch(slow.reason, /^Unstable/, slow.reason);
  assert.equal(breakdownOf(withLrs([0.68, 0.75, 0.76, 0.5, 0.3, 0.2], [0.69, 0.69, 0.68, 0.55, 0.35, 0.22], [1, 2, 3, 2, 1, 0.01]), TWO), null);
  // Past the baseline at a constant LR: not "came down only as the LR fell".
  const flatLr = diagnose(withLrs([0.6504, 0.8573, 0.9545, 0.5496, 0.4576], [0.7715, 0.6883, 0.6292, 0.6556, 0.3647], [0.1, 0.1, 0.1, 0.1, 0.1]), TWO);
  assert.doesNotMatch(flatLr.reason, /^Unstable mid-run/, flatLr.reason);
  // Outputs that start far from the labels fall all run, training loss too: still "on its way down", not unstable.
  const descending = diagnose(history([6.1, 5.0, 4.1, 3.5, 3.0], [6.5, 5.5, 4.5, 3.8, 3.2]), FOUR);
  assert.doesNotMatch(descending.reason, /^Unstable/);
});

test('a climb mid-run whose epoch-mean training loss did not rise: back at the baseline (collapsed to a constant prediction), or several times its low within two epochs, is unstable — not "train longer"', () => {
  // A user's RMSprop regression at 0.26 (lrlab train --json): validation 0.0586 → 0.336 at the peak LR while the
  // epoch-mean training loss fell (0.317 → 0.2), back down to the lower LRs' floor only as the LR fell; it read
  // "underfitting: train longer … compare a run at 3x higher".
  const MEAN: Baseline = { loss: 0.9723, valLoss: 1.1387, kind: 'mean' };
  const val = [0.1528, 0.3218, 0.2831, 0.0586, 0.3364, 0.2728, 0.0642, 0.0339, 0.0267, 0.0264];
  const train = [0.1895, 0.2284, 0.2772, 0.317, 0.2005, 0.1159, 0.0753, 0.0468, 0.0317, 0.028];
  const lrs = [0.0704, 0.1964, 0.26, 0.2471, 0.2111, 0.1589, 0.1011, 0.0489, 0.0129, 1.04e-6];
  const jumped = diagnose(withLrs(val, train, lrs), MEAN);
  assert.equal(jumped.verdict, 'unstable', jumped.reason);
  assert.match(jumped.reason, /^Unstable mid-run: validation loss climbed from 0\.0586 \(epoch 4\) to 0\.336 \(epoch 5, LR 0\.211\)/);
  // The same jump at a constant LR did not come down "as the LR fell": not this rule.
  assert.doesNotMatch(diagnose(withLrs(val, train, lrs.map(() => 0.1)), MEAN).reason, /^Unstable mid-run/);
  // Validation back at the baseline from a real gain, the training loss's epoch mean not up (epoch 1's mean holds the untrained start).
  const collapsed = diagnose(withLrs([0.404, 0.675, 0.692, 0.444, 0.3, 0.2, 0.12, 0.0862], [0.685, 0.6, 0.69, 0.6, 0.4, 0.25, 0.15, 0.1], [0.04, 0.1, 0.117, 0.1, 0.07, 0.04, 0.01, 1e-6]), LN2);
  assert.equal(collapsed.verdict, 'unstable', collapsed.reason);
  assert.match(collapsed.reason, /^Unstable mid-run: validation loss climbed from 0\.404 \(epoch 1\) to 0\.692 \(epoch 3, LR 0\.117\)/);
  // A user's LSTM regression at max LR 0.54: at the baseline at both ends, 12x it at the peak LR between; it read
  // "learned nothing … train again 3–10x lower, and at one 3–10x higher".
  const REG: Baseline = { loss: 0.04118, valLoss: 0.04518, kind: 'mean' };
  const blown = diagnose(
    withLrs([0.0745, 0.1356, 0.5446, 0.4816, 0.4391, 0.0867, 0.208, 0.0661, 0.0451, 0.0452], [0.1871, 0.1036, 0.1358, 0.2643, 0.296, 0.2158, 0.124, 0.0825, 0.0521, 0.0419], [0.16, 0.268, 0.376, 0.484, 0.487, 0.379, 0.271, 0.163, 0.054, 5.4e-5]),
    REG,
  );
  assert.equal(blown.verdict, 'unstable', blown.reason);
  assert.match(blown.reason, /^Unstable mid-run: validation loss climbed from 0\.0745 \(epoch 1\) to 0\.545 \(epoch 3, LR 0\.376\), 7\.31x, and came down only as the LR fell \(0\.0452 at epoch 10; .*train again 3x lower/);
  assert.doesNotMatch(blown.reason, /3–10x higher/);
  // A slow climb of a few percent a step (overfitting's) with the training loss falling stays what it was.
  const slowClimb = diagnose(withLrs([0.5, 0.3, 0.2, 0.22, 0.25, 0.28, 0.3, 0.31], [0.6, 0.3, 0.18, 0.15, 0.12, 0.1, 0.08, 0.07], [0.05, 0.1, 0.1, 0.08, 0.06, 0.04, 0.02, 1e-6]), LN2);
  assert.notEqual(slowClimb.verdict, 'unstable', slowClimb.reason);
});

test('a blow-up from the first epoch with no progress to weigh it against (no baseline, or above it from the start) is unstable, not "train longer"', () => {
  // A user's pinball-loss model (no baseline) at 10x its LR: 12-fold up at the peak LR, back down as it fell.
  const rows = [[0.3747, 0.3359, 1.89], [1.666, 1.225, 5.21], [2.4, 2.806, 6.89], [4.467, 2.703, 6.55], [2.044, 3.284, 5.59], [1.876, 3.365, 4.21], [2.358, 1.611, 2.68], [0.7927, 1.252, 1.3], [0.2671, 0.4776, 0.341], [0.2304, 0.2665, 0.0000276]] as const;
  const blown = diagnose(withLrs(rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])), null);
  assert.equal(blown.verdict, 'unstable');
  assert.equal(blown.reason, 'Unstable mid-run: validation loss climbed from 0.375 (epoch 1) to 4.47 (epoch 4, LR 6.55), 11.9x, and came down only as the LR fell (0.23 at epoch 10). The maximum LR is past what the model tolerates: train again 3x lower (max LR 2.3) and compare where the runs end.');
  // The same climb at a constant LR did not come down "as the LR fell": not this rule.
  assert.notEqual(diagnose(withLrs(rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map(() => 5)), null).reason.slice(0, 20), blown.reason.slice(0, 20));
  // Under three times the lowest (a 2.5-fold wobble), or one epoch up only: not a blow-up by three times —
  // above a baseline from the first epoch. Without one, a climb of 0.56 on a first epoch's 0.375 at the
  // peak LR with the training loss up 10-fold is one by its size against the first epoch (CLIMB_OF_FIRST_EPOCH, since 2026-12-06).
  const wobble = rows.map((r, i) => (i >= 1 && i <= 6 ? Math.min(r[0], 2.5 * 0.3747) : r[0]));
  const ABOVE: Baseline = { loss: 0.3, valLoss: 0.3, kind: 'mean', constant: 'median' };
  assert.doesNotMatch(diagnose(withLrs(wobble, rows.map((r) => r[1]), rows.map((r) => r[2])), ABOVE).reason, /^Unstable mid-run: .*x, and came down/);
  assert.match(diagnose(withLrs(wobble, rows.map((r) => r[1]), rows.map((r) => r[2])), null).reason, /^Unstable mid-run: validation loss climbed from 0\.375 \(epoch 1\) to 0\.937 \(epoch 2, LR 5\.21\), 2\.5x, and came down only as the LR fell/);
  const once = rows.map((r, i) => (i === 3 ? r[0] : i >= 1 && i <= 6 ? 0.36 : r[0]));
  assert.doesNotMatch(diagnose(withLrs(once, rows.map((r) => r[1]), rows.map((r) => r[2])), null).reason, /^Unstable mid-run/);
  // A later wobble that 1b weighs (and finds too small) does not hide the blow-up from the first epoch.
  const wobbled = diagnose(withLrs([0.375, 1.67, 2.4, 4.47, 0.1, 0.105, 0.11, 0.09, 0.08, 0.07], [0.336, 1.2, 2.8, 2.7, 0.12, 0.125, 0.13, 0.1, 0.09, 0.085], [1, 3, 5, 5, 4, 3, 2, 1, 0.5, 0.001]), null);
  assert.match(wobbled.reason, /^Unstable mid-run: validation loss climbed from 0\.375 \(epoch 1\) to 4\.47 \(epoch 4, LR 5\), 11\.9x/);
  // A 3-fold climb from a low far below the baseline (5% of the progress here, which 1b finds too small to
  // weigh) that lasted two epochs at the peak LR, the training loss with it, and ended above that low: a
  // breakdown all the same (a user's 50-class model that did so at 3x its headline ended 2.7x worse than it).
  const LN2: Baseline = { loss: 0.693, valLoss: 0.693, kind: 'chance' };
  const small = diagnose(withLrs([0.2, 0.012, 0.04, 0.045, 0.03, 0.02, 0.016, 0.015], [0.25, 0.01, 0.03, 0.035, 0.02, 0.012, 0.008, 0.006], [1, 3, 5, 5, 4, 2, 1, 0.001]), LN2);
  assert.match(small.reason, /^Unstable mid-run: validation loss climbed from 0\.012 \(epoch 2\) to 0\.045 \(epoch 4, LR 5\), 3\.75x/);
  // Away from the peak LR (the climb while the LR was already falling) it is not this rule's.
  const offPeak = diagnose(withLrs([0.2, 0.012, 0.04, 0.045, 0.03, 0.02, 0.016, 0.015], [0.25, 0.01, 0.03, 0.035, 0.02, 0.012, 0.008, 0.006], [5, 3, 1, 1, 0.8, 0.5, 0.2, 0.001]), LN2);
  assert.doesNotMatch(offPeak.reason, /^Unstable mid-run: validation loss climbed from 0\.012/);
  // An MAE model that started above its baseline (1.04) and ended just under it: the same.
  const MAE: Baseline = { loss: 1.03, valLoss: 1.04, kind: 'mean', constant: 'median' };
  const mae = diagnose(withLrs([1.2, 5.76, 6.02, 7.01, 5.1, 3.2, 2.1, 1.3, 1.0, 0.986], [1.3, 4.9, 6.4, 6.8, 5.5, 3.9, 2.4, 1.4, 1.05, 0.99], [0.6, 1.6, 2.07, 1.97, 1.7, 1.28, 0.81, 0.39, 0.1, 0.00001]), MAE);
  assert.equal(mae.verdict, 'unstable');
  assert.match(mae.reason, /^Unstable mid-run: validation loss climbed from 1\.2 \(epoch 1\) to 7\.01 \(epoch 4, LR 1\.97\), 5\.84x, and came down only as the LR fell \(0\.986 at epoch 10; baseline: /);
});

test('far above the baseline: a loss that blew up mid-run names the LR; one that fell a long way is on its way down, not "check the data"', () => {
  const MEAN: Baseline = { loss: 61.8, valLoss: 55.5, kind: 'mean' };
  // Labels around 300, outputs near 0: 1cycle at max LR 30 climbs 600-fold at the peak.
  const blown = diagnose(withLrs([25811.9, 68726.8, 11664170.9, 15518944.6, 6404323.8, 695461.1, 274676.3, 254140.9, 252961.9, 252658.3], [64098.9, 49195.6, 2069915.4, 27943228.3, 20343334.3, 10769371.7, 281329.0, 4758.5, 884.6, 413.2], [10, 17, 23, 27, 27, 21, 15, 9, 3, 0.003]), MEAN);
  assert.equal(blown.verdict, 'unstable');
  assert.match(blown.reason, /It climbed from 2\.58e4 to 1\.55e7 \(epoch 4, LR 27\) before coming back down: the maximum LR is too high for this model — train again 3x lower \(max LR 9\) and compare where the runs end\./);
  assert.doesNotMatch(blown.reason, /Check the data/);
  // At max LR 0.01 it falls 45-fold, the last epoch only 1.5% at 1cycle's end.
  const falling = diagnose(history([88973.7, 86147.5, 76672.6, 53199.8, 21255.4, 6537.8, 2915.7, 2165.9, 1993.6, 1964.8], [89478.3, 87855.4, 82418.2, 66758.1, 37185.0, 12657.1, 4295.8, 2411.4, 1995.7, 1901.0]), MEAN);
  assert.equal(falling.verdict, 'not-learning');
  assert.match(falling.reason, /It fell from 8\.9e4 to 1960 over the run and still predicts worse than the labels' mean: on its way down from far above — bring the labels and the model's outputs to the same scale/);
});

test('never clearly below the baseline: a loss that fell in every epoch is a slow learner (a higher max LR), one pinned above the baseline a too-high one', () => {
  // A user's multi-label CNN at a thirtieth of its best max LR: 0.673 → 0.636 epoch by epoch against 0.646 (3-10x lower did worse).
  const MULTI: Baseline = { loss: 0.6463, valLoss: 0.6456, kind: 'chance' };
  const val = [0.6734, 0.657, 0.6519, 0.6474, 0.6436, 0.64, 0.6375, 0.6363];
  const train = [0.6834, 0.6634, 0.6548, 0.6501, 0.6463, 0.6427, 0.639, 0.6369];
  const slow = diagnose(history(val, train), MULTI);
  assert.equal(slow.verdict, 'not-learning');
  assert.match(slow.reason, /: the model learned little so far\. .*but its validation loss fell in every epoch \(0\.673 → 0\.636\), which a model that collapsed does not: it is learning, slowly\. Train again at a max LR 3–10x higher/);
  // Not "learned nothing" beside "it is learning" (a user's conv1d read both).
  assert.doesNotMatch(slow.reason, /3–10x lower|learned nothing/);
  // Its accuracy, where clearly above chance, is said with it (a user's conv1d at 61.3% against 51.5% on 400 samples).
  const CHANCE_400: Baseline = { ...MULTI, accuracy: 0.515, valSamples: 400 };
  const accurate = diagnose(history(val, train, val.map((_, i) => 0.5 + 0.015 * i)), CHANCE_400);
  assert.match(accurate.reason, /fell in every epoch \(0\.673 → 0\.636\) and its validation accuracy, 60\.5%, is clearly above the 51\.5% of always predicting the most frequent class, which a model that collapsed does not/);
  // One epoch that did not fall, or a fall within half the band: the collapse-or-cannot-learn advice stands.
  const bumped = [...val];
  bumped[4] = 0.6480;
  assert.match(diagnose(history(bumped, train), MULTI).reason, /Train again at a max LR 3–10x lower to tell/);
  const small = [0.66, 0.655, 0.652, 0.65, 0.648, 0.647, 0.646, 0.645];
  assert.match(diagnose(history(small, small), MULTI).reason, /Train again at a max LR 3–10x lower to tell/);
  // Down to the baseline from above, not below it: a model that cannot learn (pure-noise targets) ends that way too.
  const toBaseline = val.map((v) => v + 0.0113);
  assert.match(diagnose(history(toBaseline, train), MULTI).reason, /Train again at a max LR 3–10x lower to tell/);
  // A user's autoencoder at 10x its best max LR: 0.1155, then 0.1139 for 7 epochs against the mean's 0.086.
  const MSE: Baseline = { loss: 0.0863, valLoss: 0.086, kind: 'mean' };
  const pinnedVal = [0.1155, 0.1139, 0.1139, 0.1139, 0.1139, 0.1139, 0.1139, 0.1139];
  const pinned = diagnose(history(pinnedVal, [0.1209, 0.1155, 0.1156, 0.1155, 0.1153, 0.1153, 0.1152, 0.1154]), MSE);
  assert.equal(pinned.verdict, 'not-learning');
  assert.match(pinned.reason, /From epoch 2 on it did not move \(within 0\.5% of 0\.114\), worse than the labels' mean: pinned, as saturated outputs or dead units leave a model at a max LR too high for it\. Train again at a max LR 3–10x lower/);
  assert.equal(PINNED, 0.005);
  // Worse than a constant from its first epoch and worse still at the end, the training loss far above its
  // own baseline all run: a user's Adam at a constant LR 0.5 (find-lr: 4.2x its recommendation) read "check the data and labels".
  const worsened = diagnose(history([7.006, 7.18, 7.934], [8.492, 6.816, 7.236]), LN3);
  assert.equal(worsened.verdict, 'not-learning');
  assert.match(worsened.reason, /It was worse than the chance level from the first epoch and ended worse still, and the training loss stayed above its own baseline all run \(6\.82–8\.49 against 1\.1\): training made the predictions worse than a constant, as a max LR too high for the model does from its first steps\. Train again at a max LR 3–10x lower/);
  assert.doesNotMatch(worsened.reason, /Check the data and labels, the LR/);
  // Ending lower than it started, it is not said to have got worse.
  assert.doesNotMatch(diagnose(history([7.934, 7.18, 7.006], [8.492, 6.816, 7.236]), LN3).reason, /ended worse still/);
  // Falling in every epoch, however little, is no pin (a too-low LR moves it that way).
  const creepingAbove = pinnedVal.map((v, i) => v - i * 1e-5);
  assert.doesNotMatch(diagnose(history(creepingAbove, creepingAbove), MSE).reason, /pinned/);
});

test('flat with the training loss as high as validation, far from zero: good, and the max LR then capacity are what to check', () => {
  const THREE: Baseline = { loss: 1.0904, valLoss: 1.0902, kind: 'chance' };
  // A linear model on a nonlinear 3-class task (an MLP reaches 0.03 there).
  const val = [0.4613, 0.4345, 0.4333, 0.4376, 0.432, 0.4333, 0.4348, 0.4392, 0.4325, 0.4348, 0.4353, 0.4346, 0.4312, 0.4316, 0.4318];
  const train = [0.6624, 0.4404, 0.4315, 0.4322, 0.4289, 0.4278, 0.4296, 0.4274, 0.4272, 0.4285, 0.4272, 0.4313, 0.4282, 0.427, 0.4258];
  const d = diagnose(history(val, train), THREE);
  assert.equal(d.verdict, 'good');
  // The max LR first: a flat end at 1cycle's annealing is also where a too-low max LR leaves a model.
  assert.match(d.reason, /in balance\. The training loss is as high \(0\.426\): the model fits its training set no better than it generalizes, so if this loss is not good enough it underfits — check the max LR first \(this run's was 0\.1; lrlab find-lr says what the model tolerates\), then capacity \(a larger model, less regularization\)\.$/);
  // With a gap (training loss well below validation) or near zero, no such hint.
  assert.doesNotMatch(diagnose(history(val, val.map((v) => v * 0.7)), THREE).reason, /underfits|check the max LR/);
  // Between the two (12% below), still far from zero: the max LR first too (a user's regression at a tenth
  // of its headline, flat at 1.37 against 0.40 there, its training loss 10% below, read only "in balance").
  assert.match(diagnose(history(val, val.map((v) => v * 0.88)), THREE).reason, /in balance\. The training loss is close to it \(0\.38, 12\.0% below\), and validation is still 39\.6% of the baseline: if this loss is not good enough, check the max LR first \(this run's was 0\.1; lrlab find-lr says what the model tolerates\), then capacity/);
  // The run's peak LR where the trainer gives it: each record keeps its epoch's last LR, under 1cycle's
  // peak (a user's --max-lr 0.519 run read "this run's was 0.46").
  const peaked = history(val, train).map((h, i) => ({ ...h, lr: 0.46 - i * 0.03 }));
  assert.match(diagnose(peaked, THREE, 0.519).reason, /check the max LR first \(this run's was 0\.519; /);
  assert.match(diagnose(peaked, THREE).reason, /check the max LR first \(this run's was 0\.46; /);
  // Soft labels whose own entropy is about where the run ended: at the floor, nothing is left to fit (a user's soft targets
  // at 1.01 read "if this loss is not good enough it underfits … then capacity").
  const soft: Baseline = { ...THREE, floor: { loss: 0.42, valLoss: 0.428 } };
  const atFloor = diagnose(history(val, train), soft);
  assert.equal(atFloor.verdict, 'good');
  assert.match(atFloor.reason, /in balance\. The training loss is at the labels' floor, 0\.42 \(validation 0\.428\): their own entropy, the lowest any model scores on soft labels, so nothing is left to fit\.$/);
  // A floor well below where it ended: the hint stands.
  assert.match(diagnose(history(val, train), { ...THREE, floor: { loss: 0.2, valLoss: 0.2 } }).reason, /if this loss is not good enough it underfits/);
});

test('constant labels (a baseline of 0): no verdict, saying why (a loss of 0 read "not learning", one above it "—x the baseline")', () => {
  const ZERO: Baseline = { loss: 0, valLoss: 0, kind: 'mean' };
  // One class only: the cross-entropies' clipping leaves ~1e-7 (it read "1.5e5x the baseline … see the warnings", with none).
  const ONE_CLASS: Baseline = { loss: 1.0000000494736474e-7, valLoss: 1.0000000494736474e-7, kind: 'chance' };
  for (const [val, base] of [[[16.5, 3.2, 0.4, 0.01], ZERO], [[0, 0, 0, 0], ZERO], [[0.02, 0.015, 0.015, 0.015], ONE_CLASS]] as const) {
    const d = diagnose(history(val), base);
    assert.equal(d.verdict, null);
    assert.equal(d.reason, 'Every training label is the same (the baseline loss is 0): there is nothing to learn, so no verdict. Check the labels the data gives.');
  }
});

test("a rise off a lucky low with the training loss far above validation is not overfitting; overfitting's advice does not say to raise the LR", () => {
  const FOUR: Baseline = { loss: 1.3859, valLoss: 1.3865, kind: 'chance' };
  // A 6-layer MLP with batch norm, 40 epochs of 1cycle (a user's trial): validation bounces around a low of
  // 0.177 at epoch 34 while its accuracy climbs to its best; training loss (training mode) 0.29.
  const val = [0.5999, 0.3791, 0.4883, 0.4373, 0.3831, 0.4695, 0.392, 0.332, 0.4559, 0.427, 0.2783, 0.368, 0.3001, 0.4259, 0.3277, 0.3442, 0.3118, 0.3426, 0.3277, 0.3916, 0.3536, 0.2837, 0.3225, 0.2252, 0.2825, 0.2476, 0.2493, 0.2825, 0.2595, 0.2336, 0.2351, 0.2145, 0.2075, 0.177, 0.2189, 0.1886, 0.1948, 0.1827, 0.1871, 0.1873];
  const train = [0.9548, 0.608, 0.5245, 0.5022, 0.5324, 0.5197, 0.5141, 0.5094, 0.4999, 0.5124, 0.4983, 0.471, 0.4467, 0.4525, 0.443, 0.4392, 0.4213, 0.4141, 0.4084, 0.3921, 0.4609, 0.4137, 0.3845, 0.3879, 0.3733, 0.3989, 0.3802, 0.3678, 0.3823, 0.3395, 0.3451, 0.3427, 0.3407, 0.3039, 0.3302, 0.3112, 0.3098, 0.3028, 0.3166, 0.2936];
  const bn = diagnose(history(val, train), FOUR);
  assert.notEqual(bn.verdict, 'overfitting', bn.reason);
  assert.doesNotMatch(bn.reason, /bottomed at epoch 34/);
  // The same validation curve with a training loss below it is overfitting, and the advice no longer
  // says "a larger LR" (raising it made every such run a user checked worse).
  const fit = diagnose(history(val, val.map((_, i) => 0.5 * Math.exp(-i / 15))), FOUR);
  assert.equal(fit.verdict, 'overfitting');
  assert.match(fit.reason, /More regularization \(weight decay, dropout, a smaller batch\), fewer epochs, or a lower max LR \(on small or noisy data, long runs at a high one fit the noise\)\.$/);
});

test('both losses back at the baseline, training a little under it at a too-high LR: collapsed, not overfitting', () => {
  const PRIOR: Baseline = { loss: 0.2029, valLoss: 0.2029, kind: 'chance' };
  // A 95/5 sigmoid classifier at max LR 2.07 for 5 epochs: the majority class (94.85%) every epoch.
  const d = diagnose(history([0.1682, 0.1801, 0.1956, 0.2016, 0.206], [0.2138, 0.2051, 0.1967, 0.1893, 0.19]), PRIOR);
  assert.equal(d.verdict, 'unstable');
  assert.match(d.reason, /^Collapsed: validation loss reached 0\.168 at epoch 1 but both losses ended at the baseline/);
  // Training loss clearly below its baseline (fit, not collapsed): overfitting.
  assert.equal(diagnose(history([0.1682, 0.1801, 0.1956, 0.2016, 0.206], [0.2138, 0.17, 0.15, 0.13, 0.12]), PRIOR).verdict, 'overfitting');
});

test('breakdownOf: the runs whose own course says the max LR was too high, in a few words; none for runs that held', () => {
  const THREE: Baseline = { loss: 1.0986, valLoss: 1.0986, kind: 'chance' };
  const PRIOR: Baseline = { loss: 0.2029, valLoss: 0.2029, kind: 'chance' };
  const midRun = withLrs([0.2905, 0.5031, 0.6954, 0.389, 0.5182, 0.3718, 0.4953, 0.3511, 0.2812, 0.2038], [0.4132, 0.3818, 0.4287, 0.4385, 0.4629, 0.4952, 0.4338, 0.394, 0.2859, 0.2366], [0.8882, 1.4895, 2.0908, 2.6922, 2.7065, 2.1052, 1.5039, 0.9026, 0.3013, 0.0003]);
  assert.equal(breakdownOf(midRun, THREE), 'unstable mid-run: its validation loss climbed back, and came down only as the LR fell');
  assert.equal(breakdownOf(history([0.15, 0.18, null, null], [0.2, 0.14, 2.3e29, 8.6e28]), THREE), 'it diverged (a NaN/Inf validation loss)');
  assert.equal(breakdownOf(history([1, 0.8, 0.7], [1, 0.8, Number.NaN]), THREE), 'it diverged (a NaN/Inf training loss)');
  assert.equal(breakdownOf(history([0.1682, 0.1801, 0.1956, 0.2016, 0.206], [0.2138, 0.2051, 0.1967, 0.1893, 0.19]), PRIOR), 'it collapsed to a constant prediction');
  assert.equal(breakdownOf(history([1.0, 0.6, 0.5, 0.45, 0.42], [1.0, 0.5, 0.3, 0.5, 0.8]), THREE), 'unstable: its training loss rose at the end');
  // Runs that held: still falling, overfitting, flat — and a majority-class run that never left the baseline (not an LR verdict).
  assert.equal(breakdownOf(history([1.0, 0.7, 0.5, 0.35, 0.25]), THREE), null);
  assert.equal(breakdownOf(history([1.0, 0.6, 0.45, 0.4, 0.42, 0.46, 0.5], [1.0, 0.5, 0.35, 0.25, 0.2, 0.15, 0.1]), THREE), null);
  assert.equal(breakdownOf(history([0.3, 0.2, 0.2, 0.2, 0.2], [0.3, 0.19, 0.19, 0.19, 0.19]), THREE), null);
});

test('a one-epoch spike that came straight back decides no verdict, but the verdict says it was seen', () => {
  // A user's batch-norm CNN at 3x its headline (5 classes, epoch 5 of 10 at the peak LR): training
  // loss falling throughout, validation 0.314 → 0.803 → 0.294, ending at its lowest.
  const val = [0.6315, 0.3024, 0.4362, 0.3136, 0.8031, 0.2939, 0.31, 0.3, 0.292, 0.29];
  const train = [1.2837, 0.448, 0.3022, 0.3022, 0.2931, 0.2312, 0.1613, 0.1384, 0.1175, 0.0852];
  const FIVE: Baseline = { loss: Math.log(5), valLoss: Math.log(5), kind: 'chance' };
  const records = history(val, train).map((r, i) => ({ ...r, lr: [0.095, 0.16, 0.22, 0.29, 0.29, 0.23, 0.16, 0.097, 0.032, 3.2e-5][i]! }));
  const d = diagnose(records, FIVE);
  assert.equal(d.verdict, 'good');
  assert.match(d.reason, / Validation loss spiked for one epoch \(0\.314 → 0\.803 at epoch 5, LR 0\.29, back to 0\.294 the next\): this run recovered, but its maximum LR is near the edge of what the model tolerates — at another seed a run may not come back\.$/);
  // A spike far below the run's peak LR says only that the run recovered.
  const lowSpike = diagnose(records.map((r, i) => (i === 4 ? { ...r, lr: 0.05 } : r)), FIVE);
  assert.match(lowSpike.reason, /at epoch 5, LR 0\.05, back to 0\.294 the next\): this run recovered; at another seed a run may not\.$/);
  // The same run without the spike (epoch 5 at 0.31): the verdict and its reason are as before, with no note.
  const calm = diagnose(records.map((r, i) => (i === 4 ? { ...r, valLoss: 0.31 } : r)), FIVE);
  assert.equal(calm.verdict, 'good');
  assert.doesNotMatch(calm.reason, /spiked/);
  assert.equal(d.reason.startsWith(calm.reason.slice(0, 40)), true);
  // Not over twice both neighbours (0.314 → 0.6 → 0.294): no note.
  assert.doesNotMatch(diagnose(records.map((r, i) => (i === 4 ? { ...r, valLoss: 0.6 } : r)), FIVE).reason, /spiked/);
  // A spike far below the baseline is immaterial: 9.6e-7 → 1.22e-5 → 9.5e-7 against ln 10.
  const tiny = diagnose(history([0.5, 0.01, 1e-4, 9.6e-7, 1.22e-5, 9.5e-7, 9.4e-7, 9.4e-7]), TEN_CLASSES);
  assert.equal(tiny.verdict, 'good');
  assert.doesNotMatch(tiny.reason, /spiked/);
  // A run that learned nothing, or broke down, gets no note: its verdict says what matters.
  assert.doesNotMatch(diagnose(history([0.69, 0.7, 1.6, 0.7, 0.69]), LN2).reason, /spiked for one epoch/);
});

test('a steep fall that made no new low in its last two epochs is over: good, not "train longer"', () => {
  // A user's 5-class spiral under RMSprop, 1cycle at find-lr's 0.0537 for 15 epochs (99.9% accuracy at the end); 30 epochs ended worse (0.0107).
  const rows: [number, number, number][] = [[0.9148, 1.17, 0.508], [0.5145, 0.6963, 0.837], [0.6097, 0.6052, 0.767], [0.274, 0.6286, 0.949], [0.3838, 0.3856, 0.852], [0.6389, 0.2542, 0.858], [0.2065, 0.2124, 0.941], [0.1801, 0.1651, 0.942], [0.07175, 0.09265, 0.971], [0.01585, 0.05713, 0.995], [0.02204, 0.02699, 0.992], [0.00708, 0.01682, 0.998], [0.005994, 0.01331, 0.999], [0.006537, 0.009804, 0.999], [0.006234, 0.009275, 0.999]];
  const FIVE: Baseline = { loss: Math.log(5), valLoss: Math.log(5), kind: 'chance' };
  const spiral = history(rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]));
  const d = diagnose(spiral, FIVE);
  assert.equal(d.verdict, 'good', d.reason);
  assert.match(d.reason, /^Validation loss is flat at the end \(0\.00623: no new low in its last two epochs, after 15\.2% per epoch over the last 4 epochs as the LR annealed/);
  // The same run whose last epoch is a new low (0.0055) is still falling: underfitting, as before.
  const falling = diagnose(spiral.map((r, i) => (i === 14 ? { ...r, valLoss: 0.0055 } : r)), FIVE);
  assert.equal(falling.verdict, 'underfitting', falling.reason);
  // A new low of under 1% in the last two epochs is no fall either: a user's 1-D CNN at 1cycle's end
  // (0.1283 → 0.1288 → 0.1273, after 0.179, 0.132, 0.159 at higher LRs) read "still falling 5.0% per epoch".
  const conv = [1.0464, 0.5512, 0.2404, 0.3598, 0.2116, 0.2188, 0.1416, 0.2004, 0.2405, 0.1789, 0.1322, 0.1588, 0.1283, 0.1288, 0.1273];
  const convTrain = [1.3013, 0.6294, 0.3267, 0.2623, 0.2211, 0.2419, 0.203, 0.1792, 0.1472, 0.1499, 0.1273, 0.1152, 0.1105, 0.0981, 0.0945];
  const flatEnd = diagnose(history(conv, convTrain), { loss: Math.log(4), valLoss: Math.log(4), kind: 'chance' });
  assert.equal(flatEnd.verdict, 'good', flatEnd.reason);
  assert.match(flatEnd.reason, /^Validation loss is flat at the end \(0\.127: its last two epochs gained only 0\.8%, after 5\.0% per epoch over the last 4 epochs as the LR annealed/);
  // 1.2% in the last two: still falling.
  assert.equal(diagnose(history([...conv.slice(0, 14), 0.1267], convTrain), { loss: Math.log(4), valLoss: Math.log(4), kind: 'chance' }).verdict, 'underfitting');
  // One flat last epoch after a new low stays noise on a steep trend: 0.30, 0.25, 0.20, 0.21.
  assert.equal(diagnose(history([0.6, 0.45, 0.35, 0.3, 0.25, 0.2, 0.21], [0.6, 0.45, 0.35, 0.3, 0.25, 0.2, 0.19]), TEN_CLASSES).verdict, 'underfitting');
});

test('a validation loss clearly below the baseline with accuracy not clearly above always predicting the majority class: the verdict says what it learned is in its probabilities', () => {
  // A user's 95/5 classifier with a weak signal: 0.168 against 0.196, 95.2% against 95.1% (2,000 validation samples).
  const IMBALANCED: Baseline = { loss: 0.1896, valLoss: 0.1956, kind: 'chance', accuracy: 0.951, valSamples: 2000 };
  const val = [0.172, 0.167, 0.171, 0.169, 0.178, 0.17, 0.17, 0.167, 0.168, 0.168];
  const train = [0.18, 0.163, 0.164, 0.16, 0.156, 0.157, 0.156, 0.152, 0.151, 0.149];
  const accuracy = [0.951, 0.951, 0.951, 0.951, 0.951, 0.952, 0.951, 0.952, 0.953, 0.952];
  const lrs = [0.05, 0.14, 0.18, 0.17, 0.15, 0.11, 0.07, 0.034, 0.0089, 7.2e-7];
  const run = withLrs(val, train, lrs).map((h, i) => ({ ...h, valAccuracy: accuracy[i]! }));
  const d = diagnose(run, IMBALANCED);
  assert.equal(d.verdict, 'good', d.reason);
  assert.match(d.reason, / Its validation loss is clearly below the baseline \(0\.168 against 0\.196\), but its validation accuracy, 95\.2%, is not clearly above the 95\.1% of always predicting the most frequent class: what it learned shows in its loss, and accuracy cannot tell it from that constant prediction on these samples, whatever it predicts for the rarer classes\. Judge it by a metric that counts them \(precision and recall, or AUC\), not by accuracy\.$/);
  // Not a claim about its predictions, which LR Lab did not count (a user's 5%-positive model said "seldom or never predicted" predicted 36 positives, recall 59%).
  assert.doesNotMatch(d.reason, /seldom or never predicted/);
  // Accuracy clearly above (98%: the rare class found), or a loss at the baseline (the not-learning rules' case): no such note.
  assert.doesNotMatch(diagnose(run.map((h) => ({ ...h, valAccuracy: 0.98 })), IMBALANCED).reason, /not clearly above the/);
  assert.doesNotMatch(diagnose(withLrs(val.map((v) => v + 0.026), train, lrs).map((h) => ({ ...h, valAccuracy: 0.951 })), IMBALANCED).reason, /Its validation loss is clearly below the baseline/);
});

test('a multi-label classifier: its accuracy is a share of samples × outputs decisions, so the margin above chance is read on those, and the words speak of each output\'s label', () => {
  // A user's 4 sigmoid labels (prevalence 0.5, 0.2, 0.05, 0.02) on 100 validation samples: 94.8% against 84.3%.
  const MULTI: Baseline = { loss: 0.381, valLoss: 0.341, kind: 'chance', accuracy: 0.843, valSamples: 100, outputs: 4 };
  const val = [0.3, 0.25, 0.21, 0.19, 0.18];
  const train = [0.31, 0.25, 0.2, 0.18, 0.17];
  const run = history(val, train).map((h, i) => ({ ...h, valAccuracy: [0.86, 0.9, 0.93, 0.945, 0.948][i]! }));
  // 400 decisions: 3 standard errors are 5.5 points; 10.5 above is clearly above: no note.
  assert.doesNotMatch(diagnose(run, MULTI).reason, /not clearly above/);
  // Read on the 100 samples alone (3 SE = 10.9 points) it was not: "the rarer classes are seldom or never predicted".
  const { outputs: _outputs, ...perSample } = MULTI;
  assert.match(diagnose(run, perSample).reason, /is not clearly above the 84\.3% of always predicting the most frequent class/);
  // Not clearly above on 400 decisions either (87%): said of each output's label.
  const close = run.map((h) => ({ ...h, valAccuracy: 0.87 }));
  assert.match(diagnose(close, MULTI).reason, /is not clearly above the 84\.3% of always predicting each output's more frequent label: what it learned shows in its loss, and accuracy cannot tell it from that constant prediction on these samples, whatever it predicts for the rarer labels\./);
});

test('validation rose off its low while the training loss climbed past its own baseline and came back only as the LR fell: unstable, not "overfitting while the training loss kept falling"', () => {
  // A user's 2048-unit MLP on 200 samples at 3x its headline (lrlab train --json, seed 2).
  const TWO: Baseline = { loss: 0.679, valLoss: 0.709, kind: 'chance' };
  const val = [0.676, 0.662, 0.632, 1.11, 1.68, 0.991, 1.06, 1.54, 1.31, 1.72, 1.69, 1.82, 1.86, 1.7, 2.03, 1.98, 1.91, 1.91, 1.92, 1.92];
  const train = [0.697, 0.632, 0.556, 0.559, 0.916, 1.09, 0.77, 0.774, 0.673, 0.604, 0.877, 0.829, 0.576, 0.4, 0.313, 0.307, 0.151, 0.136, 0.155, 0.147];
  const lrs = [0.2, 0.63, 1.3, 2.0, 2.5, 2.72, 2.7, 2.6, 2.4, 2.2, 2.0, 1.7, 1.4, 1.1, 0.77, 0.51, 0.3, 0.13, 0.034, 0.000011];
  const d = diagnose(withLrs(val, train, lrs), TWO);
  assert.equal(d.verdict, 'unstable', d.reason);
  assert.match(d.reason, /^Validation loss bottomed at epoch 3 \(0\.632\) and rose .*, and the training loss climbed above its own baseline on the way \(0\.556 at epoch 3 → 1\.09 at epoch 6, LR 2\.72, against 0\.679\) and came back down only as the LR fell \(0\.147 at the end\): the max LR broke training\. Train again 3x lower/);
  assert.doesNotMatch(d.reason, /kept falling/);
  // The training loss under its baseline all the way: overfitting, as before.
  assert.equal(diagnose(withLrs(val, train.map((t) => Math.min(t, 0.6)), lrs), TWO).verdict, 'overfitting');
});

test('a mid-run climb the run recovered from, ending under a third of the low it climbed from: good, at the edge — not "unstable: train again 3x lower"', () => {
  // A user's 8-layer tanh MLP at its headline (seed 2): 3x lower ended at 0.0884, this run at 0.0235.
  const THREE_CLASSES: Baseline = { loss: Math.log(3), valLoss: Math.log(3), kind: 'chance' };
  const val = [0.934, 0.782, 0.616, 0.41, 0.141, 0.543, 0.343, 0.145, 0.58, 0.323, 0.103, 0.0375, 0.0493, 0.0375, 0.0253, 0.0235];
  const train = [1.05, 0.763, 0.651, 0.566, 0.297, 0.493, 0.363, 0.215, 0.157, 0.207, 0.118, 0.0632, 0.0491, 0.0441, 0.0259, 0.0212];
  const lrs = [0.0087, 0.026, 0.046, 0.061, 0.0658, 0.064, 0.06, 0.053, 0.045, 0.037, 0.027, 0.019, 0.011, 0.005, 0.0013, 2.6e-7];
  const d = diagnose(withLrs(val, train, lrs), THREE_CLASSES);
  assert.equal(d.verdict, 'good', d.reason);
  assert.match(d.reason, /^Validation loss ended at 0\.0235 \(epoch 16; .*\), far below where it stood before it climbed mid-run \(validation loss climbed from 0\.141 \(epoch 5\) to 0\.543 \(epoch 6, LR 0\.064\)\): the run recovered as the LR fell and ended lower than it had been\. At this max LR it is at the edge of what the model tolerates: a run 3x lower \(max LR 0\.0219\) takes less risk — compare where the two end before choosing\./);
  // Ending above a third of that low: unstable, as before.
  const notBack = diagnose(withLrs([...val.slice(0, 13), 0.09, 0.08, 0.07], train, lrs), THREE_CLASSES);
  assert.equal(notBack.verdict, 'unstable', notBack.reason);
});

test('validation labels that spread far more than the training labels (extreme values in validation only): no verdict, saying why and what fell — not "not-learning: check the data"', () => {
  // A user's MSE regression with 5% of its validation labels off by ±20: 26.6 against 0.86; the same model without them reached 0.016.
  const SPREAD: Baseline = { loss: 0.862, valLoss: 26.57, kind: 'mean' };
  const val = [26.0, 25.8, 25.8, 25.8, 25.8, 25.8, 25.8, 25.9, 25.8, 25.8];
  const train = [0.656, 0.229, 0.106, 0.0873, 0.0835, 0.0819, 0.0762, 0.077, 0.0759, 0.0735];
  const d = diagnose(history(val, train), SPREAD);
  assert.equal(d.verdict, null, d.reason);
  assert.match(d.reason, /^The validation labels spread far more than the training labels \(the loss of predicting a constant is 26\.6 on validation, 0\.862 on training\), so a few extreme validation labels make up nearly all of its loss.* Validation fell 0\.77 \(26 → 25\.8, lowest 25\.8\), about what the training labels' whole spread allows; the training loss fell to 0\.0735\. Judge the run on a validation set drawn like the training data, or with a loss less swayed by outliers/);
  // The training loss at its own baseline too: nothing learned anywhere, the not-learning rules stand.
  assert.equal(diagnose(history(val, train.map(() => 0.86)), SPREAD).verdict, 'not-learning');
  // Splits 2x apart: judged as before.
  assert.equal(diagnose(history(val.map((v) => v / 15), train), { ...SPREAD, valLoss: 1.724 }).verdict, 'not-learning');
});

test('validation accuracy clearly above chance is learning, whatever the loss: not "learned nothing", and the reason says why', () => {
  // A user's wide MLP on 300 noisy samples, the recipe's command at seed 2 (1,000 clean validation samples, 51.9% chance).
  const rows: [number, number, number][] = [[0.6772, 0.7017, 0.568], [0.7707, 0.5153, 0.61], [0.7428, 0.2977, 0.666], [0.7546, 0.1585, 0.654]];
  const withChance: Baseline = { loss: 0.6928, valLoss: 0.6925, kind: 'chance', accuracy: 0.519, valSamples: 1000 };
  const run = history(rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]));
  const d = diagnose(run, withChance);
  assert.equal(d.verdict, 'overfitting', d.reason);
  assert.match(d.reason, / Its validation loss never got clearly below the baseline, but its validation accuracy, 65\.4%, is clearly above the 51\.9% of always predicting the most frequent class: it learned what generalizes, and confident mistakes keep its loss up\.$/);
  // Without the chance accuracy (files before format 15), or on 60 samples (3 standard errors: 19 points), it learned nothing, as before.
  const { accuracy: _a, valSamples: _n, ...without } = withChance;
  assert.equal(diagnose(run, without).verdict, 'not-learning');
  assert.equal(diagnose(run, { ...withChance, valSamples: 60 }).verdict, 'not-learning');
  // Near chance accuracy (54% against 51.9%, margin 4.7 points on 1,000): learned nothing.
  assert.equal(diagnose(history(rows.map((r) => r[0]), rows.map((r) => r[1]), [0.52, 0.53, 0.54, 0.54]), withChance).verdict, 'not-learning');
  // The training loss at its own baseline too: the losses show nothing learned, whatever a few points
  // of accuracy say — its rules stand (and a run 4x above the baseline stays "pinned", never "good").
  assert.equal(diagnose(history([0.69, 0.688, 0.687, 0.686], [0.69, 0.689, 0.688, 0.687], [0.55, 0.6, 0.62, 0.63]), withChance).verdict, 'not-learning');
  const pinned = diagnose(history([3.1, 3, 3, 3, 3, 3], [3.1, 3, 3, 3, 3, 3], [0.6, 0.6, 0.6, 0.6, 0.6, 0.6]), withChance);
  assert.equal(pinned.verdict, 'not-learning', pinned.reason);
  assert.match(pinned.reason, /pinned/);
});

test('flat only because the LR came down: a run that did much of its learning after the peak LR, as high as validation, is underfitting, with the higher LR to compare', () => {
  const FIVE: Baseline = { loss: Math.log(5), valLoss: Math.log(5), kind: 'chance' };
  const records = (rows: readonly (readonly [number, number, number | null, number])[]): EpochRecord[] =>
    rows.map(([valLoss, trainLoss, valAccuracy, lr], i) => ({ epoch: i + 1, trainLoss, valLoss, valAccuracy, metrics: {}, valMetrics: {}, lr, momentum: 0.9, seconds: i }));
  // A user's 5-class spiral under Adam at 3e-4 (1cycle, 15 epochs): 47.6% accuracy, where 0.12 reached 100%; it read "good: in balance".
  const slow = records([[1.657, 1.666, 0.148, 4.46e-5], [1.619, 1.643, 0.194, 1.3e-4], [1.542, 1.585, 0.417, 2.27e-4], [1.427, 1.487, 0.46, 2.91e-4], [1.289, 1.356, 0.447, 2.98e-4], [1.169, 1.22, 0.455, 2.85e-4], [1.09, 1.121, 0.458, 2.6e-4], [1.044, 1.059, 0.462, 2.25e-4], [1.016, 1.02, 0.462, 1.83e-4], [0.998, 0.9985, 0.466, 1.39e-4], [0.9859, 0.9823, 0.473, 9.52e-5], [0.9791, 0.9723, 0.473, 5.65e-5], [0.9756, 0.9681, 0.476, 2.61e-5], [0.9742, 0.9647, 0.475, 6.67e-6], [0.9741, 0.964, 0.476, 1.2e-9]]);
  const d = diagnose(slow, FIVE, 3e-4);
  assert.equal(d.verdict, 'underfitting', d.reason);
  assert.match(d.reason, /^Validation loss flattened only as the LR came down: 46\.1% of its fall came after the peak LR \(epoch 5, LR 2\.98e-4: 1\.29 by then, 0\.974 at the end; baseline: the chance level 1\.61 = ln 5\), and the training loss is as high \(0\.964\): the model was still learning when the schedule lowered the LR\. A higher max LR first \(this run's was 3e-4: compare a run 3x higher, 9e-4, side by side\), then more epochs\.$/);
  // A forecaster at its best max LR (MAE against the median): its fall came before the peak; flat, in balance.
  const MEDIAN: Baseline = { loss: 1.3909, valLoss: 1.3862, kind: 'mean', constant: 'median' };
  const best = records([[1.553, 2.084, null, 0.00223], [0.5156, 0.9728, null, 0.00649], [0.3682, 0.4384, null, 0.0114], [0.3774, 0.4657, null, 0.0146], [0.4426, 0.3986, null, 0.0149], [0.3309, 0.4462, null, 0.0143], [0.3804, 0.3707, null, 0.013], [0.3504, 0.3507, null, 0.0113], [0.3084, 0.3504, null, 0.00917], [0.3093, 0.3312, null, 0.00694], [0.3005, 0.3493, null, 0.00476], [0.3023, 0.3232, null, 0.00282], [0.292, 0.3145, null, 0.0013], [0.2953, 0.3142, null, 3.33e-4], [0.2915, 0.3135, null, 6e-8]]);
  assert.equal(diagnose(best, MEDIAN).verdict, 'good');
  // The same slow run at a constant LR (no peak to come down from), or a schedule that starts at its peak: flat, as before.
  assert.equal(diagnose(slow.map((r) => ({ ...r, lr: 3e-4 })), FIVE).verdict, 'good');
  assert.equal(diagnose(slow.map((r, i) => ({ ...r, lr: 3e-4 * (1 - i / 15) })), FIVE).verdict, 'good');
  // Not 1cycle's shape: triangular cycles (each cycle is more training) or a warm-up then step decay (a loss falls sharply after each drop).
  const cyclic = [0.05, 0.1, 0.05, 0.001, 0.05, 0.1, 0.05, 0.001, 0.05, 0.1, 0.05, 0.001];
  const steady = [1.2, 1.1, 1.0, 0.9, 0.85, 0.8, 0.76, 0.72, 0.7, 0.69, 0.69, 0.69];
  assert.equal(diagnose(records(steady.map((v, i) => [v, v, 0.4, cyclic[i]!] as const)), FIVE).verdict, 'good');
  const stepped = [0.05, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001];
  const falling = [1.5, 1.4, 1.3, 1.25, 1.2, 1.0, 0.9, 0.85, 0.8, 0.8];
  assert.equal(diagnose(records(falling.map((v, i) => [v, v, 0.4, stepped[i]!] as const)), FIVE).verdict, 'good');
});

test('flat from the start, or climbing on the way up to the peak LR: not "underfitting: a higher max LR first" — a fall too small to matter is in balance, a climb as the LR rose is unstable', () => {
  const records = (rows: readonly (readonly [number, number, number | null, number])[]): EpochRecord[] =>
    rows.map(([valLoss, trainLoss, valAccuracy, lr], i) => ({ epoch: i + 1, trainLoss, valLoss, valAccuracy, metrics: {}, valMetrics: {}, lr, momentum: 0.9, seconds: i }));
  // A user trial's soft-label classifier at 0.222 (lrlab train --json): 99.8% accuracy, its loss at the
  // targets' own entropy; 1.49 by the peak, 1.47 at the end read "100% of its fall came after the peak
  // LR … compare a run 3x higher, 0.666", where the model collapses to 22.6%.
  const SOFT: Baseline = { loss: 1.6083, valLoss: 1.6075, kind: 'chance', accuracy: 0.308, valSamples: 500 };
  const soft = records([[1.487, 1.507, 0.832, 0.0601], [1.489, 1.484, 0.818, 0.168], [1.503, 1.494, 0.752, 0.222], [1.492, 1.508, 0.848, 0.211], [1.476, 1.484, 0.912, 0.18], [1.473, 1.473, 0.952, 0.136], [1.472, 1.473, 0.982, 0.0863], [1.472, 1.472, 0.992, 0.0418], [1.472, 1.472, 0.998, 0.011], [1.472, 1.472, 0.998, 8.88e-7]]);
  const flat = diagnose(soft, SOFT, 0.222);
  assert.equal(flat.verdict, 'good', flat.reason);
  assert.match(flat.reason, /^Validation loss is flat at the end \(1\.47: /);
  // The same run with a fall after the peak that matters (1.49 → 1.2, 19%) is the slow learner it was.
  const later = [1.4, 1.3, 1.22, 1.2, 1.2];
  const fell = diagnose(soft.map((r, i) => (i >= 5 ? { ...r, valLoss: later[i - 5]!, trainLoss: later[i - 5]! + 0.01 } : r)), SOFT, 0.222);
  assert.equal(fell.verdict, 'underfitting', fell.reason);
  assert.match(fell.reason, /^Validation loss flattened only as the LR came down/);
  // A regression at 9x its best max LR (MAE against the median; the training labels hold outliers): 2.34 →
  // 3.22 as the LR rose, down only as it fell, 1.89 at the end (0.30 at its best LR, 0.129). It read
  // "underfitting … compare a run 3x higher, 3.48" (unstable there).
  const MEDIAN: Baseline = { loss: 6.369, valLoss: 3.0411, kind: 'mean', constant: 'median' };
  const climbed = records([[2.338, 5.445, null, 0.314], [3.223, 5.858, null, 0.876], [2.341, 6.127, null, 1.16], [2.101, 5.949, null, 1.1], [2.491, 6.048, null, 0.942], [2.211, 5.912, null, 0.709], [2.296, 5.55, null, 0.451], [1.907, 5.452, null, 0.218], [1.91, 5.355, null, 0.0574], [1.894, 5.328, null, 4.64e-6]]);
  const d = diagnose(climbed, MEDIAN, 1.16);
  assert.equal(d.verdict, 'unstable', d.reason);
  // (Its one epoch up gave back all the run had gained, at the peak LR: the mid-run climb's words since 2026-12-05.)
  assert.match(d.reason, /^Unstable mid-run: validation loss climbed from 2\.34 \(epoch 1\) to 3\.22 \(epoch 2, LR 0\.876\), giving back all it had gained and more, and came down only as the LR fell \(1\.89 at epoch 10; baseline: the loss of predicting the median, 3\.04\)\. The maximum LR is past what the model tolerates: train again 3x lower \(max LR 0\.387\)/);
  assert.doesNotMatch(d.reason, /higher/);
});

test('a loss that goes below zero (Poisson): shares are of the run\'s range, not of a value near zero, and the reason says so', () => {
  const records = (rows: readonly (readonly [number, number, number])[]): EpochRecord[] =>
    rows.map(([valLoss, trainLoss, lr], i) => ({ epoch: i + 1, trainLoss, valLoss, valAccuracy: null, metrics: {}, valMetrics: {}, lr, momentum: 0.9, seconds: i }));
  // A user trial's conv1d under Poisson loss, 3 epochs of Smith's 1cycle: it read "still falling 2908.4% per epoch".
  const d = diagnose(records([[-0.0157, 0.652, 0.168], [-0.666, 0.211, 0.135], [-0.932, -0.417, 2.3e-5]]), null, 0.23);
  assert.equal(d.verdict, 'underfitting', d.reason);
  // (Shares of the run's range: from the first epoch's training loss, 0.652, to −0.932 — the validation range alone, 0.916, until 2026-12-06.)
  assert.match(d.reason, /^Validation loss is still falling 28\.9% per epoch over the last 2 epochs \(-0\.0157 → -0\.932\)/);
  assert.match(d.reason, / \(Its shares are of the run's range, 1\.58: from its highest loss — validation, or the first epoch's training loss — down to its lowest; the loss goes to zero or below, where a share of its value means nothing\.\) This loss has no baseline \(see the warnings\), so the verdict reads the curve's shape alone: it cannot tell a model that learned from one that predicts a constant\. Compare its validation loss with what predicting the labels' mean scores under this loss\.$/);
  // With a baseline (or a chance accuracy standing in for one), no such note.
  assert.doesNotMatch(diagnose(records([[1.9843, 2.652, 0.168], [1.334, 2.211, 0.135], [1.068, 1.583, 2.3e-5]]), { loss: 3, valLoss: 3, kind: 'mean' }, 0.23).reason, /curve's shape alone/);
  // The same model at 9x that LR (1cycle, 10 epochs, dropout 0.6): from −1.06 at epoch 1 to −0.5 as the LR rose, and there
  // to the end, its training loss above validation; it read "good: in balance" (MAE 1.76, no better than a constant; 0.60 at 0.0637).
  const stayed = diagnose(records([[-1.06, -0.0388, 0.154], [-0.503, 0.126, 0.432], [-0.577, -0.0131, 0.573], [-0.517, 0.0493, 0.545], [-0.529, -0.203, 0.465], [-0.536, -0.124, 0.35], [-0.473, -0.213, 0.223], [-0.53, -0.214, 0.108], [-0.528, -0.218, 0.0284], [-0.529, -0.22, 2.29e-6]]), null, 0.573);
  assert.equal(stayed.verdict, 'unstable', stayed.reason);
  assert.match(stayed.reason, /^Validation loss bottomed at epoch 1 \(-1\.06\) and rose 52\.0% since \(to -0\.529\) and stayed up, with the training loss above it \(-0\.22: dropout or noise in training, not a model fitting its training set by heart\): the run got worse as it trained and did not recover, which a too-high LR does: train again 3x lower \(max LR 0\.191\)/);
  // Above zero throughout: shares of the value, and no such note.
  const plus = diagnose(records([[1.9843, 2.652, 0.168], [1.334, 2.211, 0.135], [1.068, 1.583, 2.3e-5]]), null, 0.23);
  assert.doesNotMatch(plus.reason, /range over the run/);
});

test('afterShorterCycle: the recommended epochs, run as a cycle of their own, stand where they end no materially worse than the long run; else the long run\'s length', () => {
  const advice = { epochs: 8, reason: 'validation loss reached its best, 0.442 by epoch 8 of 100; later epochs gained nothing material' };
  // A user's small-data MLP: 8 epochs as one cycle ended at 0.662, the 100-epoch run at 0.541.
  const worse = afterShorterCycle(advice, { epochs: 100, end: 0.541 }, { end: 0.662 }, { material: 0.011 });
  assert.equal(worse.epochs, 100);
  assert.match(worse.reason, /; but 8 epochs as a cycle of their own ended at validation loss 0\.662, worse than the 100-epoch run's 0\.541: that run's length$/);
  const held = afterShorterCycle(advice, { epochs: 100, end: 0.541 }, { end: 0.55 }, { material: 0.011 });
  assert.equal(held.epochs, 8);
  assert.match(held.reason, /; run as a cycle of their own, they ended at validation loss 0\.55 \(the 100-epoch run: 0\.541, within what two runs differ by from their seeds alone\)$/);
  // A user's dropout/L2 model: 3 epochs as one cycle ended at 0.3148, 100 epochs at 0.3119 (1% apart, under
  // the seeds' own spread: 0.3148 and 0.3091 at two seeds), past the 0.00179 a material gain is: 3 epochs stand, not 33x the compute.
  const noise = afterShorterCycle({ epochs: 3, reason: 'r' }, { epochs: 100, end: 0.3119 }, { end: 0.3148 }, { material: 0.00179 });
  assert.equal(noise.epochs, 3);
  const better = afterShorterCycle({ epochs: 3, reason: 'r' }, { epochs: 100, end: 0.3119 }, { end: 0.3 }, { material: 0.00179 });
  assert.equal(better.reason, 'r; run as a cycle of their own, they ended at validation loss 0.3 (the 100-epoch run: 0.312)');
  assert.equal(afterShorterCycle({ epochs: 3, reason: 'r' }, { epochs: 100, end: 0.3119 }, { end: 0.3195 }, { material: 0.00179 }).epochs, 100, '2.4% worse: past the spread');
  assert.equal(afterShorterCycle(advice, { epochs: 100, end: 0.541 }, { end: Number.NaN }, { material: 0.011 }).epochs, 100, 'a non-finite end is no confirmation');
  // A user's recipe: 10 epochs (best at epoch 10 of 100) as one cycle ended at 0.546, still falling — the
  // pasted lrlab train line then read "underfitting: train longer" against the recipe's line. Said.
  const falling = afterShorterCycle({ epochs: 10, reason: 'r' }, { epochs: 100, end: 0.69 }, { end: 0.546, stillFalling: true }, { material: 0.011 });
  assert.equal(falling.epochs, 10);
  assert.equal(falling.reason, "r; run as a cycle of their own, they ended at validation loss 0.546 (the 100-epoch run: 0.69); that cycle's validation loss was still falling at its end (lrlab train calls it underfitting): 20 epochs may end lower — compare the two");
  assert.equal(afterShorterCycle({ epochs: 10, reason: 'r' }, { epochs: 100, end: 0.69 }, { end: 0.546 }, { material: 0.011 }).reason, 'r; run as a cycle of their own, they ended at validation loss 0.546 (the 100-epoch run: 0.69)');
  // A user's recipe: 24 epochs (best at 24 of 100) as one cycle bottomed at epoch 17 and read "overfitting"
  // under the pasted lrlab train line, beside the recipe's "good". Said, with the cycle's own lowest.
  // A user's recipe: 91 epochs (of 100) as one cycle bottomed at epoch 65 and read "unstable: train again 3x
  // lower" under the pasted line, beside the recipe's "good" (the 100-epoch run's verdict). Not a confirmation.
  const unstable = afterShorterCycle({ epochs: 91, reason: 'r' }, { epochs: 100, end: 0.258 }, { end: 0.257, bottom: { epoch: 65, loss: 0.245 }, unstable: true }, { material: 0.0069 });
  assert.equal(unstable.epochs, 100);
  assert.equal(unstable.reason, 'r; but 91 epochs as a cycle of their own bottomed at epoch 65 (0.245) and ended at validation loss 0.257, a run lrlab train calls unstable (the LR too high to settle): the 100-epoch run\'s length');
  const overfit = afterShorterCycle({ epochs: 24, reason: 'r' }, { epochs: 100, end: 0.199 }, { end: 0.132, bottom: { epoch: 17, loss: 0.115 } }, { material: 0.0011 });
  assert.equal(overfit.epochs, 24);
  assert.equal(overfit.reason, "r; run as a cycle of their own, they ended at validation loss 0.132 (the 100-epoch run: 0.199); that cycle's validation loss bottomed at epoch 17 (0.115) and rose after it (lrlab train calls it overfitting: regularization, or fewer epochs still)");
  // A user's LSTM at 100% accuracy: 19 epochs as one cycle ended at 0.00264, the 100-epoch run at 1.11e-4, against ln 3
  // (1.08): past the material band (0.00108), but both under 1% of the baseline, converged alike. 19 stand, not 5x the compute.
  const converged = afterShorterCycle({ epochs: 19, reason: 'r' }, { epochs: 100, end: 1.11e-4 }, { end: 0.00264 }, { material: 0.00108, converged: 0.0108 });
  assert.equal(converged.epochs, 19);
  assert.equal(converged.reason, 'r; run as a cycle of their own, they ended at validation loss 0.00264 (the 100-epoch run: 1.11e-4, both under 0.0108: converged alike)');
  assert.equal(afterShorterCycle({ epochs: 19, reason: 'r' }, { epochs: 100, end: 1.11e-4 }, { end: 0.00264 }, { material: 0.00108 }).epochs, 100, 'without the band: materially worse');
  assert.equal(afterShorterCycle({ epochs: 19, reason: 'r' }, { epochs: 100, end: 1.11e-4 }, { end: 0.02 }, { material: 0.00108, converged: 0.0108 }).epochs, 100, 'one of them above it: compared as before');
});

test('a training loss that rises only as the LR falls, while validation ends at its lowest, is the training-mode noise of batch norm and dropout — not "unstable: lower the max LR"; risen through the peak LR, it still is', () => {
  // A user's batch-norm MLP at max LR 0.0058 (lrlab train --json): 98.3% and its lowest validation loss at the end, as
  // good as runs 3x and 9x higher; the training loss went 0.442 → 0.523 → 0.488 over the last epochs.
  const FIVE: Baseline = { loss: 1.6091, valLoss: 1.6104, kind: 'chance' };
  const val = [0.7334, 0.4884, 0.3851, 0.4245, 0.3367, 0.2512, 0.2687, 0.261, 0.2209, 0.2307, 0.2175, 0.1821, 0.1645, 0.1672, 0.1672];
  const train = [1.1561, 0.786, 0.6829, 0.6582, 0.6625, 0.6057, 0.6323, 0.6431, 0.5806, 0.5849, 0.516, 0.4425, 0.4567, 0.5234, 0.488];
  const lrs = [0.00134, 0.00211, 0.00289, 0.00366, 0.00444, 0.00521, 0.00561, 0.00484, 0.00407, 0.00329, 0.00252, 0.00174, 0.00097, 0.00039, 5.8e-7];
  const bn = diagnose(withLrs(val, train, lrs), FIVE, 0.0058);
  assert.notEqual(bn.verdict, 'unstable', bn.reason);
  // The same rise with validation up from its lowest too: unstable, as before.
  const worse = diagnose(withLrs([...val.slice(0, 13), 0.2, 0.22], train, lrs), FIVE, 0.0058);
  assert.equal(worse.verdict, 'unstable', worse.reason);
  // Risen from before the peak LR, through it: the LR's doing, unstable.
  const through = diagnose(withLrs(val, [1.1561, 0.786, 0.6829, 0.5, 0.55, 0.6, 0.65, 0.7, 0.72, 0.74, 0.75, 0.76, 0.77, 0.78, 0.78], lrs), FIVE, 0.0058);
  assert.equal(through.verdict, 'unstable', through.reason);
});

test('a validation rise with the training loss ending no lower than validation is not overfitting: worse on both (an Adam LSTM learned at epoch 14, jumped above ln 2 and ended at 0.595 / 0.590)', () => {
  const val = [0.695, 0.698, 0.695, 0.697, 0.692, 0.697, 0.701, 0.694, 0.697, 0.702, 0.694, 0.695, 0.699, 0.425, 0.606, 0.591, 0.585, 0.597, 0.581, 0.584, 0.589, 0.593, 0.59, 0.59, 0.59];
  const train = [0.695, 0.693, 0.693, 0.694, 0.695, 0.694, 0.693, 0.694, 0.693, 0.693, 0.694, 0.693, 0.692, 0.676, 0.726, 0.599, 0.591, 0.593, 0.592, 0.592, 0.596, 0.596, 0.596, 0.595, 0.595];
  const lrs = val.map((_, i) => 0.032 * Math.sin((Math.PI * (i + 1)) / 26));
  const runs = history(val, train).map((h, i) => ({ ...h, lr: lrs[i]! }));
  const d = diagnose(runs, { ...LN2, valLoss: 0.697, accuracy: 0.552, valSamples: 500 }, 0.032);
  assert.equal(d.verdict, 'unstable', d.reason);
  assert.match(d.reason, /^Validation loss bottomed at epoch 14 \(0\.425\) and rose 38\.\d% since .* while the training loss ended no lower than it \(0\.595 against 0\.59\), so the model got worse on what it trained on too: the LR is too high to settle, not overfitting/);
  // The same rise with the training loss well below validation stays overfitting.
  const fits = diagnose(history(val, train.map((t, i) => (i >= 15 ? 0.3 - i * 0.005 : t))).map((h, i) => ({ ...h, lr: lrs[i]! })), { ...LN2, valLoss: 0.697, accuracy: 0.552, valSamples: 500 }, 0.032);
  assert.equal(fits.verdict, 'overfitting', fits.reason);
});

test('a small validation rise while the training loss kept falling and 1cycle annealed to zero is the last epochs gaining nothing, not "unstable: 3x lower" (a user\'s 3-epoch run at the headline; 3x lower ended worse)', () => {
  const LN3: Baseline = { loss: 1.0983, valLoss: 1.099, kind: 'chance', accuracy: 0.3375, valSamples: 400 };
  const lrs = [0.0474, 0.0364, 6.33e-6];
  const run = (val: number[], train: number[], at = lrs): EpochRecord[] => history(val, train, [0.915, 0.9275, 0.9175]).map((h, i) => ({ ...h, lr: at[i]! }));
  const d = diagnose(run([0.2415, 0.20559, 0.2164], [0.6693, 0.2922, 0.2665]), LN3, 0.0633);
  assert.equal(d.verdict, 'good', d.reason);
  assert.match(d.reason, /^Validation loss bottomed at epoch 2 \(0\.206\) and rose 5\.3% since .*, while the training loss kept falling \(0\.292 → 0\.267, still above validation\) and the LR annealed to 6\.33e-6: not a too-high LR, .* the epochs after 2 gained nothing on validation\. If longer runs widen the rise, that is overfitting/);
  // Not annealed (the LR still at its peak): unstable, as before.
  assert.equal(diagnose(run([0.2415, 0.20559, 0.2164], [0.6693, 0.2922, 0.2665], [0.0474, 0.0633, 0.0633]), LN3, 0.0633).verdict, 'unstable');
  // A large rise (30%): unstable, as before.
  assert.equal(diagnose(run([0.2415, 0.20559, 0.268], [0.6693, 0.2922, 0.28]), LN3, 0.0633).verdict, 'unstable');
});

test('a loss flat at the peak LR that falls only once the LR is low is not "still learning at the peak": no higher max LR (soft labels at 0.561 read "compare 1.68", where 1.68 read "3x lower" and was worse)', () => {
  const val = [1.177, 1.211, 1.135, 1.138, 1.152, 1.137, 1.16, 1.1, 1.082, 1.076];
  const train = [1.267, 1.192, 1.177, 1.14, 1.133, 1.133, 1.111, 1.077, 1.04, 1.01];
  const lrs = [0.1527, 0.4241, 0.561, 0.5332, 0.4554, 0.3429, 0.2181, 0.1056, 0.0278, 0];
  const d = diagnose(history(val, train).map((h, i) => ({ ...h, lr: lrs[i]! })), { loss: 1.6085, valLoss: 1.6102, kind: 'chance', accuracy: 0.2067, valSamples: 600 }, 0.561);
  assert.notEqual(d.verdict, 'underfitting', d.reason);
  assert.doesNotMatch(d.reason, /higher max LR/);
  // The same run falling while the LR was still high after the peak still reads underfitting.
  const falling = [1.177, 1.211, 1.135, 1.1, 1.07, 1.04, 1.01, 0.98, 0.96, 0.95];
  const slow = diagnose(history(falling, falling.map((v) => v * 0.95)).map((h, i) => ({ ...h, lr: lrs[i]! })), { loss: 1.6085, valLoss: 1.6102, kind: 'chance', accuracy: 0.2067, valSamples: 600 }, 0.561);
  assert.equal(slow.verdict, 'underfitting', slow.reason);
});

test('a classifier above chance whose training loss is only a few percent under its baseline has begun to learn, slowly — not "good: in balance" (an 8-layer tanh MLP read good at 5.2% under ln 2 and "learned little" at 4.8%)', () => {
  const val = [0.682, 0.667, 0.678, 0.673, 0.674, 0.669, 0.666, 0.667, 0.669, 0.667];
  const train = [0.674, 0.669, 0.663, 0.665, 0.664, 0.664, 0.659, 0.66, 0.659, 0.657];
  const accuracy = [0.618, 0.62, 0.568, 0.583, 0.617, 0.615, 0.613, 0.62, 0.617, 0.615];
  const d = diagnose(history(val, train, accuracy), { ...LN2, accuracy: 0.5, valSamples: 600 });
  assert.equal(d.verdict, 'not-learning', d.reason);
  assert.match(d.reason, /the model learned little so far\. Its validation accuracy, 61\.5%, is clearly above the 50\.0% of always predicting the most frequent class, so it does not predict a constant: it has begun to learn, slowly/);
  assert.doesNotMatch(d.reason, /memorizes/);
  // Fitting the training set (its loss well under the baseline) while validation accuracy is above chance: learned, despite the loss.
  const fits = diagnose(history(val, train.map((t) => t * 0.8), accuracy), { ...LN2, accuracy: 0.5, valSamples: 600 });
  assert.notEqual(fits.verdict, 'not-learning', fits.reason);
});

test('a large penalty of the model\'s own regularizers is named in the verdict (its largest share, where it was): in balance near chance, and a collapse; not for a small one, nor in overfitting', () => {
  const LN4: Baseline = { loss: Math.log(4), valLoss: Math.log(4), kind: 'chance' };
  const penalized = (records: EpochRecord[], penalties: readonly number[]): EpochRecord[] => records.map((r, i) => ({ ...r, trainPenalty: penalties[i]! }));
  // L2 0.05 on a 4-class model: both losses flat at 95% of ln 4, the penalty half the data loss.
  const flat = penalized(history([1.36, 1.32, 1.31, 1.31, 1.31], [1.37, 1.33, 1.31, 1.31, 1.31]), [0.9, 0.75, 0.7, 0.68, 0.67]);
  const balanced = diagnose(flat, LN4);
  assert.equal(balanced.verdict, 'good');
  assert.match(balanced.reason, /The model's own regularizers \(kernelRegularizer and the like\) added 0\.9 to the loss it minimized in epoch 1, 66% of its training loss \(1\.37; the losses here are without it\): a penalty that large holds the weights near zero — where the model underfits or collapses, lower it before the LR\.$/);
  // Learned, then both losses back at the baseline; the penalty was large before (small after: the weights are near zero).
  const collapse = penalized(history([1.2, 1.1, 1.15, 1.386, 1.386, 1.386], [1.25, 1.1, 1.12, 1.386, 1.386, 1.386]), [0.5, 0.6, 0.4, 0.01, 0.005, 0.002]);
  const collapsed = diagnose(collapse, LN4);
  assert.equal(collapsed.verdict, 'unstable');
  assert.match(collapsed.reason, /^Unstable: the training loss rose .* added 0\.6 to the loss it minimized in epoch 2, 55% of its training loss/);
  // A NaN is no penalty's doing.
  assert.doesNotMatch(diagnose(penalized(history([1.2, 1.1, null, null, null], [1.25, 1.1, Number.NaN, null, null]), [0.5, 0.6, 0.6, 0.6, 0.6]), LN4).reason, /regularizers/);
  // Small: a tenth of the data loss is not named.
  assert.doesNotMatch(diagnose(penalized(history([1.36, 1.32, 1.31, 1.31, 1.31], [1.37, 1.33, 1.31, 1.31, 1.31]), [0.13, 0.13, 0.13, 0.13, 0.13]), LN4).reason, /regularizers/);
  // Overfitting: a larger penalty is what it would want, not "lower it".
  const over = penalized(history([0.9, 0.7, 0.75, 0.85, 0.95], [0.85, 0.5, 0.3, 0.2, 0.1]), [0.3, 0.3, 0.3, 0.3, 0.3]);
  const overfit = diagnose(over, LN4);
  assert.equal(overfit.verdict, 'overfitting');
  assert.doesNotMatch(overfit.reason, /regularizers/);
  // Absent (older files, models without regularizers): nothing said.
  assert.doesNotMatch(diagnose(history([1.36, 1.32, 1.31, 1.31, 1.31], [1.37, 1.33, 1.31, 1.31, 1.31]), LN4).reason, /regularizers/);
});

test('training and validation baselines far apart (heavy-tailed labels): the train/validation gap compares each loss to its own split\'s baseline', () => {
  // An MAE model: the training split's baseline 3.23, validation's 4.31; both losses flat at 87% and 77% of their own.
  const SPLITS: Baseline = { loss: 3.23, valLoss: 4.31, kind: 'mean', constant: 'median' };
  const flat = diagnose(history([3.45, 3.33, 3.318, 3.316, 3.316, 3.316], [2.95, 2.85, 2.82, 2.81, 2.81, 2.81]), SPLITS);
  assert.equal(flat.verdict, 'good', flat.reason);
  assert.doesNotMatch(flat.reason, /below validation|overfit/, 'its training loss is no better against its own baseline');
  // Far apart against their own baselines too: the gap is said, with what it is taken against.
  const apart = diagnose(history([3.45, 3.33, 3.318, 3.316, 3.316, 3.316], [2.4, 1.8, 1.3, 1.0, 0.9, 0.8]), SPLITS);
  assert.match(apart.reason, /below validation(?: \(0\.8\))? \(each against its own split's baseline: training 3\.23, validation 4\.31\)/);
});

test('one epoch at the peak LR that gives back over half of what the run gained is a climb, not a spike of noise: "unstable", not "good"', () => {
  // A user's sparse 8-class model at 3x its headline (lrlab train --json, seed 1): 0.519 → 1.63 for one epoch
  // at the peak LR, ending at 0.475 — twice the headline's 0.244 at the same epochs — and it read "good".
  const EIGHT: Baseline = { loss: 2.0782, valLoss: 2.0826, kind: 'chance' };
  const val = [0.5189, 1.6348, 0.812, 0.6687, 0.4806, 0.4752];
  const train = [0.6637, 1.0111, 0.8828, 0.5136, 0.2539, 0.1437];
  const lrs = [3.32, 5.57, 4.55, 2.59, 0.747, 2.24e-5];
  const d = diagnose(withLrs(val, train, lrs), EIGHT, 5.6);
  assert.equal(d.verdict, 'unstable', d.reason);
  assert.match(d.reason, /^Unstable mid-run: validation loss climbed from 0\.519 \(epoch 1\) to 1\.63 \(epoch 2, LR 5\.57\), back over 71\.4% of what it had gained, and came down only as the LR fell .*train again 3x lower \(max LR 1\.87\)/);
  // Far below the peak LR, one such epoch is not the LR's (an overfitting run's blip, back to a new low after).
  const late = diagnose(withLrs(val, train, [0.3, 0.5, 5.57, 4, 2, 1e-5]), EIGHT, 5.6);
  assert.doesNotMatch(late.reason, /^Unstable mid-run/, late.reason);
});

test('a regression far above its baseline whose training loss bumped up one epoch on a long way down is not "unstable: train 3x lower"', () => {
  // A user's labels at scale 1e-3 (σ 7e-4), Adam at max LR 0.153: validation 3.03e-3 → 7.71e-7 (4,000x), the
  // training loss up at epoch 2 only; it read "unstable … train again 3x lower", where 3x lower ended 4x worse at two seeds.
  const TINY_LABELS: Baseline = { loss: 4.896e-7, valLoss: 4.791e-7, kind: 'mean' };
  const val = [3.033e-3, 5.217e-4, 1.888e-5, 3.244e-6, 9.366e-7, 9.052e-7, 8.591e-7, 7.709e-7];
  const train = [2.643e-3, 4.023e-3, 1.096e-4, 1.082e-5, 4.237e-6, 1.214e-6, 9.107e-7, 7.943e-7];
  const lrs = [0.0591, 0.143, 0.149, 0.124, 0.0851, 0.0433, 0.0117, 6.12e-7];
  const d = diagnose(withLrs(val, train, lrs), TINY_LABELS, 0.153);
  assert.notEqual(d.verdict, 'unstable', d.reason);
  assert.match(d.reason, /bring the labels and the model's outputs to the same scale/);
  assert.doesNotMatch(d.reason, /3x lower/);
});

test('no baseline (MAPE, a custom loss): a climb at the peak LR by over half the first epoch\'s loss, the training loss up too, that fell only as the LR came down is unstable, not "train longer"', () => {
  // A user trial's MAPE regression at max LR 0.431 (10x its headline), 5 epochs of 1cycle: it read "underfitting … Train
  // longer"; 15 epochs there ended at 7.01 (unstable), the headline 0.0431 at 3.8.
  const val = [11.0247, 19.8662, 11.3924, 7.3892, 5.1299];
  const train = [12.5881, 13.2521, 11.8977, 9.2386, 6.011];
  const lrs = [0.3241, 0.4097, 0.2635, 0.0811, 1.72e-6];
  const d = diagnose(withLrs(val, train, lrs), null, 0.431);
  assert.equal(d.verdict, 'unstable', d.reason);
  assert.equal(d.reason, 'Unstable mid-run: validation loss climbed from 11 (epoch 1) to 19.9 (epoch 2, LR 0.41), 1.8x, and came down only as the LR fell (5.13 at epoch 5). The maximum LR is past what the model tolerates: train again 3x lower (max LR 0.144) and compare where the runs end.');
  assert.equal(breakdownOf(withLrs(val, train, lrs), null), 'unstable mid-run: its validation loss climbed back, and came down only as the LR fell');
  // Noisy but healthy: a climb under half the first epoch's loss (11 → 15.5 against 12.6), the training loss
  // falling through it, or the climb far below the peak LR — none of them is this rule's.
  const small = diagnose(withLrs([11.0247, 15.5, 11.3924, 7.3892, 5.1299], train, lrs), null, 0.431);
  assert.doesNotMatch(small.reason, /^Unstable/);
  const trainFell = diagnose(withLrs(val, [12.5881, 11.9, 11.5, 9.2386, 6.011], lrs), null, 0.431);
  assert.doesNotMatch(trainFell.reason, /^Unstable/);
  const lowLr = diagnose(withLrs(val, train, [0.1, 0.1, 0.4097, 0.2, 1e-6]), null, 0.431);
  assert.doesNotMatch(lowLr.reason, /^Unstable/);
  // The same climb with the LR held (a constant schedule): not "came down only as the LR fell".
  assert.doesNotMatch(diagnose(withLrs(val, train, lrs.map(() => 0.4)), null, 0.4).reason, /came down only as the LR fell/);
  // A loss below zero: measured on the run's range, so a climb of a third of it at the peak LR is no blow-up, and one of the whole is.
  const neg = diagnose(withLrs([-0.8, -0.75, -0.85, -0.88, -0.9], [-0.6, -0.78, -0.86, -0.9, -0.92], lrs), null, 0.431);
  assert.doesNotMatch(neg.reason, /^Unstable/);
  const negBlown = diagnose(withLrs([-0.8, -0.2, -0.7, -0.85, -0.9], [-0.6, -0.5, -0.75, -0.88, -0.92], lrs), null, 0.431);
  assert.match(negBlown.reason, /^Unstable mid-run: validation loss climbed from -0\.8 \(epoch 1\) to -0\.2 \(epoch 2, LR 0\.41\), up 0\.6, and came down only as the LR fell/);
});

test('a loss that goes below zero (cosine proximity): a rise, a fall and a train/validation gap are shares of the run\'s range, not of the loss, and decide no verdict on their own', () => {
  // A user trial's direction regression under cosineProximity (best −1), 1cycle at max LR 0.726, 5 epochs: it read
  // "overfitting — rose 8.1% … fewer epochs, or a lower max LR" for −0.8565 → −0.8547; 15 epochs at that LR reached −0.873.
  const val = [-0.8341, -0.8455, -0.8532, -0.85649, -0.85469];
  const train = [-0.7624, -0.8581, -0.8678, -0.8755, -0.878];
  const lrs = [0.546, 0.69, 0.444, 0.1367, 2.9e-6];
  const d = diagnose(withLrs(val, train, lrs), null, 0.726);
  assert.equal(d.verdict, 'good', d.reason);
  assert.match(d.reason, /^Validation loss is flat at the end \(-0\.855: 0\.6% per epoch over the last 2 epochs, 1\.6% above its minimum -0\.856\)/);
  assert.match(d.reason, /\(Its shares are of the run's range, 0\.116: from its highest loss — validation, or the first epoch's training loss — down to its lowest; /);
  assert.doesNotMatch(d.reason, /fewer epochs|lower max LR/);
  // At 10x that LR, training loss −0.883 against validation −0.851 read "220.6% below validation"; −0.845 → −0.847 "still falling 3.2% per epoch".
  const wide = diagnose(withLrs([-0.836, -0.8442, -0.8489, -0.8504, -0.8506], [-0.806, -0.8622, -0.8726, -0.8783, -0.883], [5.26, 6.65, 4.28, 1.32, 2.8e-5]), null, 7);
  assert.doesNotMatch(wide.reason, /\d{3}\.\d%/);
  assert.notEqual(wide.verdict, 'underfitting', wide.reason);
  const slow = diagnose(withLrs([-0.8251, -0.8423, -0.8455, -0.8462, -0.8469], [-0.6664, -0.8551, -0.8591, -0.8626, -0.8643], [0.0602, 0.076, 0.0489, 0.0151, 3.2e-7]), null, 0.08);
  assert.notEqual(slow.verdict, 'underfitting', slow.reason);
  // Still clearly falling on that scale (a tenth of the range in each of the last epochs): underfitting, as for a positive loss.
  const falling = diagnose(withLrs([-0.5, -0.6, -0.7, -0.8, -0.9], [-0.45, -0.62, -0.72, -0.82, -0.92], [0.1, 0.1, 0.1, 0.1, 0.1]), null, 0.1);
  assert.equal(falling.verdict, 'underfitting', falling.reason);
  // A rise of a fifth of the range while the training loss fell: overfitting still.
  const over = diagnose(withLrs([-0.5, -0.7, -0.9, -0.85, -0.8], [-0.45, -0.72, -0.92, -0.95, -0.97], [0.1, 0.1, 0.1, 0.1, 0.1]), null, 0.1);
  assert.equal(over.verdict, 'overfitting', over.reason);
  assert.match(over.reason, /rose 19\.2% since/);
});

test('a run far above the baseline mid-run that came back to it only as the LR fell: unstable (too high), not "stayed at the baseline … check the data"', () => {
  // A user's GRU (binary, 600 samples) at 3x its headline, RMSprop, 12 epochs.
  const val = [1.392, 2.199, 4.169, 3.209, 2.448, 5.517, 2.462, 2.938, 2.036, 0.963, 0.7, 0.694];
  const train = [1.566, 1.313, 1.895, 3.112, 4.458, 4.454, 4.745, 3.66, 2.252, 1.301, 0.785, 0.641];
  const lrs = [0.905, 1.529, 2.153, 2.777, 3.401, 3.375, 2.75, 2.126, 1.502, 0.878, 0.312, 3.7e-5];
  const base: Baseline = { loss: 0.6929, valLoss: 0.6948, kind: 'chance' };
  const d = diagnose(withLrs(val, train, lrs), base, 3.7);
  assert.equal(d.verdict, 'unstable');
  assert.match(d.reason, /^Validation loss never got clearly below the baseline over 12 epochs \(1\.39 → 0\.694, lowest 0\.694; baseline: the chance level 0\.695\): the model learned nothing that generalizes\. It climbed from 1\.39 to 5\.52 \(epoch 6, LR 3\.38\) before coming back down: the maximum LR is too high for this model — train again 3x lower \(max LR 1\.23\)/);
  assert.doesNotMatch(d.reason, /stayed at the baseline|Check the data/);
  // One epoch up there, between epochs in the band, is no blow-up: the old reading stands.
  const spike = [1.392, 0.7, 0.71, 0.69, 0.7, 5.517, 0.7, 0.7, 0.697, 0.696, 0.695, 0.694];
  assert.equal(diagnose(withLrs(spike, train.map(() => 0.693), lrs), base, 3.7).verdict, 'not-learning');
});

test('training loss above its baseline mid-run, validation never below its own until the LR fell: unstable, not "underfitting: train longer"; recovered far below, good at the edge', () => {
  // A user's XOR-like binary classifier (6 inputs, tanh, SGD momentum 0) at 3x its headline, 5 epochs.
  const lrs = [3.121, 5.806, 4.709, 2.025, 6.6e-4];
  const base: Baseline = { loss: 0.6928, valLoss: 0.6916, kind: 'chance' };
  const d = diagnose(withLrs([0.758, 1.107, 1.005, 0.712, 0.583], [0.731, 0.735, 1.244, 0.754, 0.56], lrs), base, 6.6);
  assert.equal(d.verdict, 'unstable');
  assert.match(d.reason, /^Unstable mid-run: the training loss climbed from 0\.731 \(epoch 1\) to 1\.24 \(epoch 3, LR 4\.71\), above its own baseline \(0\.693\), while validation loss was never clearly below its baseline \(lowest 0\.758 by then\), and came down only as the LR fell \(0\.583 at epoch 5; baseline: the chance level 0\.692\)\. The maximum LR is past what the model tolerates: train again 3x lower \(max LR 2\.2\)/);
  // The same climb, ending far below where it stood (the GRU at its headline: 0.0804 after 0.878): good, at the edge.
  const recovered = diagnose(withLrs([0.878, 1.2, 1.1, 0.3, 0.0804], [0.795, 0.9, 1.76, 0.4, 0.0927], lrs), base, 6.6);
  assert.equal(recovered.verdict, 'good');
  assert.match(recovered.reason, /far below where it stood before it climbed mid-run \(the training loss climbed from 0\.795/);
  // A training loss that only wobbles near its baseline (a slow starter) is no climb: still falling, underfitting.
  const wobble = diagnose(withLrs([0.7, 0.705, 0.69, 0.62, 0.55], [0.71, 0.7, 0.72, 0.66, 0.58], lrs), base, 6.6);
  assert.equal(wobble.verdict, 'underfitting');
});

test('the training loss below its baseline in the first epoch, then far above it at the peak LR, validation at its baseline then twice it: unstable, not "underfitting: train longer"', () => {
  // A user's 4-output multi-label model at 3x its headline (trial N): ended at 0.571 where the headline reached 0.330.
  const lrs = [0.052, 0.1461, 0.1938, 0.1842, 0.1573, 0.1185, 0.0753, 0.0365, 0.0096, 0];
  const base: Baseline = { loss: 0.6318, valLoss: 0.6233, kind: 'chance' };
  const val = [0.6335, 1.1014, 1.2012, 1.2465, 0.8297, 0.9217, 0.6617, 0.5842, 0.5724, 0.5705];
  const train = [0.5839, 0.6987, 1.0908, 1.0612, 1.064, 0.8723, 0.7146, 0.614, 0.5711, 0.562];
  const d = diagnose(withLrs(val, train, lrs), base, 0.1938);
  assert.equal(d.verdict, 'unstable');
  assert.match(d.reason, /^Unstable mid-run: the training loss climbed from 0\.584 \(epoch 1\) to 1\.09 \(epoch 3, LR 0\.194\), above its own baseline \(0\.632\), while validation loss was never clearly below its baseline \(lowest 0\.633 by then\), and came down only as the LR fell/);
  assert.doesNotMatch(d.reason, /Train longer/);
});

test('a validation climb at the peak LR with the training loss above validation is no overfitting: unstable mid-run, not "underfitting: train longer"; the training loss below it there keeps the old reading', () => {
  // A user's GRU at 3x its headline, 5 epochs (trial N): ended at 0.608, where the headline reached 0.41.
  const lrs = [0.165, 0.211, 0.1357, 0.0418, 0];
  const base: Baseline = { loss: 1.0936, valLoss: 1.0943, kind: 'chance' };
  const val = [0.5982, 0.771, 0.7333, 0.6146, 0.6084];
  const d = diagnose(withLrs(val, [0.8899, 0.8398, 0.7998, 0.6791, 0.6155], lrs), base, 0.222);
  assert.equal(d.verdict, 'unstable');
  assert.match(d.reason, /^Unstable mid-run: validation loss climbed from 0\.598 \(epoch 1\) to 0\.771 \(epoch 2, LR 0\.211\), back over 34\.\d% of what it had gained, and came down only as the LR fell \(0\.608 at epoch 5; baseline: the chance level 1\.09\)/);
  // The same validation losses with the training loss below them and falling: not this rule's.
  assert.notEqual(diagnose(withLrs(val, [0.55, 0.5, 0.45, 0.4, 0.38], lrs), base, 0.222).verdict, 'unstable');
});

test('neither loss moved over the run, below the baseline from a random start: not-learning with "10x higher", not "good: in balance"; flat far below the baseline stays good', () => {
  // A user's 3-class MLP at max LR 1e-5 (1.5 reached 0.062): the same losses at every epoch.
  const base: Baseline = { loss: 1.0974, valLoss: 1.1038, kind: 'chance' };
  const lrs = [4.78e-6, 8.84e-6, 7.11e-6, 3.05e-6, 1e-9];
  const still = diagnose(withLrs([1.0404, 1.0404, 1.0404, 1.0405, 1.0404], [1.0462, 1.0462, 1.0461, 1.0462, 1.0462], lrs), base, 1e-5);
  assert.equal(still.verdict, 'not-learning');
  assert.match(still.reason, /^Neither loss moved by 2\.0% of the baseline over 5 epochs \(validation 1\.04 → 1\.04, training 1\.05 → 1\.05; baseline: the chance level 1\.1\): at this max LR \(1e-5\) the weights barely changed\. Train again at a max LR 10x higher or more/);
  // Converged in its first epoch, far below the baseline: flat is good.
  assert.equal(diagnose(withLrs([0.2, 0.2, 0.2, 0.2, 0.2], [0.21, 0.2, 0.2, 0.2, 0.2], lrs), base, 1e-5).verdict, 'good');
});

test('a too-low max LR near the baseline: most of a small fall after the peak, 2.9% of the baseline, reads underfitting "a higher max LR first", not good', () => {
  // The same MLP at max LR 0.01.
  const base: Baseline = { loss: 1.0974, valLoss: 1.1038, kind: 'chance' };
  const lrs = [4.78e-3, 8.84e-3, 7.11e-3, 3.05e-3, 1e-6];
  const d = diagnose(withLrs([1.0339, 1.0188, 1.0001, 0.9898, 0.9873], [1.0441, 1.0343, 1.0174, 1.0031, 0.9968], lrs), base, 0.01);
  assert.equal(d.verdict, 'underfitting');
  assert.match(d.reason, /^Validation loss flattened only as the LR came down: 67\.6% of its fall came after the peak LR .* A higher max LR first \(this run's was 0\.01: compare a run 3x higher, 0\.03, side by side\)/);
});

test('validation rising without settling under 1cycle: "lower the max LR", without "or anneal it (1cycle)" (it was annealed); under a constant LR the cure stays', () => {
  const val = [0.5, 0.35, 0.3, 0.36, 0.42, 0.47];
  const train = [0.52, 0.42, 0.41, 0.41, 0.41, 0.41];
  const annealed = diagnose(withLrs(val, train, [0.1, 0.3, 0.25, 0.15, 0.05, 1e-5]), LN2, 0.3);
  const constant = diagnose(history(val, train), LN2, 0.1);
  for (const d of [annealed, constant]) assert.equal(d.verdict, 'unstable', d.reason);
  assert.doesNotMatch(annealed.reason, /anneal it/);
  assert.match(constant.reason, /, or anneal it \(1cycle\)\.$/);
  // A 1cycle run cancelled before its anneal: the rest of its cycle was the anneal (trial Z #6 read "or anneal it (1cycle)").
  const cut = diagnose(withLrs(val, train, [0.1, 0.3, 0.25, 0.2, 0.15, 0.12]), LN2, 0.3, null, true);
  assert.equal(cut.verdict, 'unstable', cut.reason);
  assert.doesNotMatch(cut.reason, /anneal it/);
  assert.match(diagnose(withLrs(val, train, [0.1, 0.3, 0.25, 0.2, 0.15, 0.12]), LN2, 0.3).reason, /, or anneal it \(1cycle\)\.$/);
});

test('the new rules leave healthy runs alone: flat after converging in a long first epoch, a slow starter wobbling near chance, a noise floor falling a little all run', () => {
  // A noisy tabular task flat at 0.45 against ln 2 from its first epoch: converged, not "did not move".
  const flat = diagnose(withLrs([0.452, 0.449, 0.448, 0.447, 0.447], [0.454, 0.449, 0.448, 0.447, 0.447], [0.05, 0.1, 0.07, 0.03, 1e-6]), LN2, 0.1);
  assert.notEqual(flat.verdict, 'not-learning', flat.reason);
  // A GRU at chance for epochs, its training loss a little above ln 2 at the peak LR, then learning: no climb that broke it.
  const lrs = [0.15, 0.42, 0.56, 0.53, 0.46, 0.34, 0.22, 0.11, 0.03, 1e-5];
  const slow = diagnose(withLrs([0.694, 0.697, 0.72, 0.74, 0.7, 0.66, 0.5, 0.38, 0.31, 0.3], [0.7, 0.705, 0.748, 0.775, 0.74, 0.69, 0.55, 0.4, 0.32, 0.3], lrs), LN2, 0.56);
  assert.notEqual(slow.verdict, 'unstable', slow.reason);
  // 30% label noise at its best LR: 0.020 of fall by the peak, 0.025 after — no sign of a too-low LR.
  const noisy = diagnose(withLrs([0.66, 0.65, 0.64, 0.632, 0.626, 0.622, 0.619, 0.617, 0.616, 0.615], [0.662, 0.652, 0.642, 0.634, 0.628, 0.624, 0.621, 0.619, 0.618, 0.617], lrs), LN2, 0.56);
  assert.equal(noisy.verdict, 'good', noisy.reason);
});

test('quotedPeak: the verdict quotes --max-lr where the steps reached it (a time-clocked cycle samples its peak coarsely), else the highest LR used', () => {
  assert.equal(quotedPeak(0.518, 0.519), 0.519);
  // A budget-bound recipe's run at max LR 1.31 peaked at 1.24 among its steps: "3x lower (max LR 0.413)" read beside the recipe's 0.437.
  assert.equal(quotedPeak(1.24, 1.31), 1.31);
  assert.equal(lowerAdvice(quotedPeak(1.24, 1.31)), 'train again 3x lower (max LR 0.437) and compare where the runs end');
  // Cut on its way up: where it got to.
  assert.equal(quotedPeak(0.5, 1.31), 0.5);
  assert.equal(quotedPeak(0.5, undefined), 0.5);
  assert.equal(quotedPeak(Number.NEGATIVE_INFINITY, 1), null);
});

test("moreEpochsNote: the batch-size study's run at the recommended size, far below where the confirming run ended, says more epochs help (a price regression: 2,456 epochs reached 529, the recommended 81 ended at 8,950 with nothing said)", () => {
  const study = { batchSize: 64, epochs: 2456.4, seconds: 9.6, end: 529, maxLr: 1.05 };
  assert.equal(
    moreEpochsNote(study, { epochs: 100, end: 8880 }, 23),
    "The batch-size study's run at batch 64 (max LR 1.05) trained about 2460 epochs in its 9.6 s and ended at validation loss 529, far below the confirming run's 8880 after 100 epochs: this model gains from far more epochs than the recipe recommends. Compare the line below with --epochs 2460.",
  );
  // Not far below (within half), not more epochs, or not material: nothing to say.
  assert.equal(moreEpochsNote({ ...study, end: 5000 }, { epochs: 100, end: 8880 }, 23), null);
  assert.equal(moreEpochsNote({ ...study, epochs: 80 }, { epochs: 100, end: 8880 }, 23), null);
  assert.equal(moreEpochsNote({ ...study, end: 0.001 }, { epochs: 100, end: 0.003 }, 0.0069), null);
  assert.equal(moreEpochsNote(null, { epochs: 100, end: 8880 }, 23), null);
});

test("studyLrBeatConfirming: the batch-size study's run at the recommended size and a lower LR, ending below the confirming run in no more epochs, is the LR recommended (a Fashion-MNIST CNN: 0.164 from the short runs ended 6.3 epochs at 0.408, the study's 1 epoch at 0.048 at 0.36)", () => {
  const study = { batchSize: 32, epochs: 1, end: 0.36, maxLr: 0.048 };
  const confirm = { epochs: 6.3, end: 0.408, maxLr: 0.164, overfit: false };
  assert.equal(
    studyLrBeatConfirming(study, confirm, 0.023),
    "The batch-size study's run at batch 32 and max LR 0.048 ended at validation loss 0.36 after 1 epoch, below the confirming run's 0.408 after 6.3 epochs at max LR 0.164: the lower LR trained better in no more epochs, so it is the recommended one (the confirming run's came from the short runs; its length still comes from that run — confirm both with the line below).",
  );
  // Within the material band, more epochs than the confirming run, not a lower LR, an overfit confirming run, no study run: nothing changes.
  assert.equal(studyLrBeatConfirming({ ...study, end: 0.4 }, confirm, 0.023), null);
  assert.equal(studyLrBeatConfirming({ ...study, epochs: 8 }, confirm, 0.023), null);
  assert.equal(studyLrBeatConfirming({ ...study, maxLr: 0.15 }, confirm, 0.023), null);
  assert.equal(studyLrBeatConfirming(study, { ...confirm, overfit: true }, 0.023), null);
  assert.equal(studyLrBeatConfirming(null, confirm, 0.023), null);
  assert.equal(studyLrBeatConfirming({ ...study, maxLr: null }, confirm, 0.023), null);
});

test('learned only in the anneal (1e): validation at the baseline while the LR was high, clearly below it only as it annealed, is unstable (3x lower); a slow creep down at a low LR is not', () => {
  // A user's SimpleRNN at 3x its headline (lrlab train --json, seed 1): ln 2 for 12 of 15 epochs, then 0.654 (62%),
  // where the headline reached 98%. It read "good: in balance".
  const rows: [number, number, number, number][] = [[0.7139, 0.7238, 0.4675, 0.002374], [0.6933, 0.6981, 0.505, 0.006997], [0.6955, 0.6968, 0.495, 0.01232], [0.6985, 0.6955, 0.495, 0.01582], [0.6968, 0.7084, 0.495, 0.01621], [0.6932, 0.6958, 0.525, 0.01549], [0.6935, 0.6951, 0.5225, 0.01412], [0.6986, 0.6932, 0.495, 0.01223], [0.6972, 0.6938, 0.4875, 0.009964], [0.7005, 0.6949, 0.495, 0.007541], [0.6973, 0.692, 0.4825, 0.005173], [0.695, 0.6901, 0.51, 0.003069], [0.6838, 0.6846, 0.5575, 0.001416], [0.6589, 0.6613, 0.6225, 0.0003621], [0.654, 0.6533, 0.6225, 6.52e-8]];
  const pinned = withLrs(rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[3])).map((h, i) => ({ ...h, valAccuracy: rows[i]![2] }));
  const chance = { loss: 0.6927, valLoss: 0.6939, kind: 'chance', accuracy: 0.505, valSamples: 400 } as const;
  const judged = diagnose(pinned, chance, 0.0163);
  assert.equal(judged.verdict, 'unstable');
  assert.equal(judged.reason, 'Validation loss stayed at the baseline while the LR was high (0.693 to 0.714 through epoch 11; baseline: the chance level 0.694) and got clearly below it only as the LR annealed (0.659 at epoch 14, LR 3.62e-4; 0.654 at the end): at the max LR the model did not learn, and what it learned came in the last epochs. Train again 3x lower (max LR 0.00543) and compare where the runs end.');
  // A wide MLP at a third of its best LR, creeping down every epoch (0.701 → 0.659 by the anneal), clearly below only at
  // epoch 18: learning slowly at a low LR, where 3x lower would be worse. Not 1e.
  const creep = [0.7013, 0.7005, 0.6981, 0.694, 0.6891, 0.6841, 0.6793, 0.6754, 0.6721, 0.6691, 0.6664, 0.664, 0.6624, 0.6609, 0.6594, 0.6584, 0.6578, 0.6574, 0.6573, 0.6573];
  const creepTrain = [0.6955, 0.6928, 0.6983, 0.6788, 0.6852, 0.67, 0.6583, 0.6524, 0.6494, 0.6395, 0.6232, 0.6144, 0.6232, 0.6083, 0.6074, 0.606, 0.6029, 0.6052, 0.5983, 0.5954];
  const creepLrs = [1.116e-4, 3.405e-4, 6.821e-4, 1.037e-3, 1.302e-3, 1.4e-3, 1.382e-3, 1.331e-3, 1.247e-3, 1.136e-3, 1.004e-3, 8.558e-4, 7e-4, 5.442e-4, 3.963e-4, 2.636e-4, 1.527e-4, 6.933e-5, 1.756e-5, 5.6e-9];
  const slow = diagnose(withLrs(creep, creepTrain, creepLrs), { loss: 0.6928, valLoss: 0.6925, kind: 'chance' }, 0.0014);
  assert.notEqual(slow.verdict, 'unstable', slow.reason);
  assert.doesNotMatch(slow.reason, /only as the LR annealed/);
});

test('at both baselines, a model that learned while the LR was low and lost it as the LR rose is told 3–10x lower only, not "and at one 3–10x higher"', () => {
  // A user's 30%-noise classifier at 10x its batch-8 headline (lrlab train --json, seed 1): training 1.29 at epoch 1, 1.40–1.45 from epoch 2.
  const val = [1.392, 1.431, 1.447, 1.503, 1.373, 1.416, 1.444, 1.37, 1.374, 1.369];
  const train = [1.291, 1.452, 1.434, 1.449, 1.441, 1.416, 1.428, 1.404, 1.396, 1.371];
  const lrs = [0.118, 0.323, 0.425, 0.404, 0.345, 0.26, 0.165, 0.08, 0.021, 1.7e-6];
  const chance = { loss: 1.368, valLoss: 1.3686, kind: 'chance', accuracy: 0.31, valSamples: 400 } as const;
  const judged = diagnose(withLrs(val, train, lrs), chance, 0.425);
  assert.equal(judged.verdict, 'not-learning');
  assert.match(judged.reason, /but it was clearly below it at epoch 1 \(1\.29, LR 0\.118\) and above it from epoch 2 \(1\.45, LR 0\.323\): the model learned while the LR was low and lost it as the LR rose, the collapse a max LR too high for whole runs gives\. Train again 3x lower \(max LR 0\.142\)/);
  assert.doesNotMatch(judged.reason, /3–10x higher/);
  // Never below its baseline early: both directions, as before.
  const still = diagnose(withLrs(val, train.map((t) => Math.max(t, 1.36)), lrs), chance, 0.425);
  assert.match(still.reason, /and at one 3–10x higher/);
});
