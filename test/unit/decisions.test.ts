import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCURACY_LEAD, accuracyLeadText, ACCURACY_LEAD_LOSS_RATIO, BARELY_LEARNED, BROKE_DOWN, CHILD_RUN_SECONDS, EDGE_BACK_OFF, LOSS_FLOOR, LOWER_AFTER_BREAKDOWN, MAX_RECIPE_EPOCHS, MAX_SHORT_RUN_STEPS, MIN_SHORT_RUN_STEPS, PLAN_MARGIN, TRIAL_TIE, allAboveBaseline, backOffFromEdge, barelyLearned, bestBatchSize, bestShortRun, bestTrial, brokeDown, defaultWeightDecayGrid, formatWeightDecay, lossFloor, lrAfterConfirmingRun, lrForBatchSize, meanOverSeeds, medianStepSeconds, planRecipe, refineWeightDecay, someAboveBaseline, targetReached, nextTrialRound, splitSeeds, leastBadOfFailures, learnedAtEverySeed, stepDownFromSplit, SPLIT_STEP_DOWN, SPLIT_LEARNED, keepAfterLowerRun, LOSS_TIE, UNDER_BREAKDOWN, underBreakdown, belowDivergence, endedWorseThanShortRun, STUDY_BROKE_DOWN } from '../../src/core/decisions';
import type { BatchSizeFacts, RecipePlanInput } from '../../src/core/decisions';

test('WD grid by model size (method.md §5)', () => {
  assert.deepEqual(defaultWeightDecayGrid(50_000), [1e-2, 1e-3, 1e-4]);
  assert.deepEqual(defaultWeightDecayGrid(2_000_000), [1e-4, 1e-5, 1e-6, 0]);
});

test('momentum: lowest early validation loss; cyclical wins a tie; diverged runs never win', () => {
  const clear = bestShortRun([{ label: '0.99', earlyValLoss: 0.3, diverged: true }, { label: '0.9', earlyValLoss: 0.6, diverged: false }, { label: '0.95', earlyValLoss: 0.5, diverged: false }]);
  assert.equal(clear.best, 2);
  assert.equal(clear.tie, false);
  const tie = bestShortRun([{ label: '0.95', earlyValLoss: 0.5, diverged: false }, { label: '0.95→0.85', earlyValLoss: 0.51, diverged: false, cyclical: true }]);
  assert.equal(tie.best, 1);
  assert.match(tie.reason, /as low as the best constant momentum .*, and a cycled momentum allows larger LRs; its early validation loss \([\d.e-]+\)/);
  assert.equal(bestShortRun([{ label: 'x', earlyValLoss: null, diverged: true }]).best, null);
});

test('find-lr trials: the lowest early validation loss among those that learned; trials at the baseline are no candidates, and when none learned there is no pick', () => {
  const run = (label: string, earlyValLoss: number | null, diverged = false) => ({ label, earlyValLoss, diverged });
  // ln 2 = 0.693: a binary task's chance level. 0.70 and 0.69 are at it (within 5%); 0.60 learned.
  const one = bestTrial([run('0.1', 0.69), run('0.3', 0.6), run('0.9', 0.7)], 0.693);
  assert.equal(one.best, 1);
  assert.match(one.reason, /^0\.3: lowest early validation loss \(0\.6\)\. At or above the baseline \(learned nothing yet, not candidates\): 0\.1, 0\.9\.$/);
  // All three at chance: their order is noise, no pick — not the 'lowest' 0.65 or 0.66 (both within 5% of 0.693).
  const none = bestTrial([run('1.56', 0.66), run('4.67', 0.7338), run('15.6', 0.697)], 0.693);
  assert.equal(none.best, null);
  assert.match(none.reason, /^no short run got clearly below the validation baseline \(0\.693; clearly below means under 0\.658\)/);
  // The edge: 0.658 is 5% below 0.693 to the third digit; 0.65 learned.
  assert.equal(bestTrial([run('1.56', 0.65), run('4.67', 0.7338)], 0.693).best, 0);
  // Learned everywhere: the studies' rule exactly (indices and reason).
  const all = [run('a', 0.3), run('b', 0.2), run('c', 0.25, true)];
  assert.deepEqual(bestTrial(all, 2.3), bestShortRun(all));
  // No baseline (a custom loss): every finished trial counts.
  assert.equal(bestTrial([run('a', 0.69), run('b', 0.68)], null).best, 1);
  // Every trial diverged: no pick, the studies' reason.
  assert.equal(bestTrial([run('a', null, true), run('b', null, true)], 0.693).best, null);
  // A baseline that says nothing (zero: a perfectly predictable target; NaN, negative) guards nothing.
  for (const b of [0, Number.NaN, -1]) assert.equal(bestTrial([run('a', 0.69), run('b', 0.68)], b).best, 1, `baseline ${b}`);
  // A non-finite loss is no candidate, whatever the baseline.
  assert.equal(bestTrial([run('a', Number.NaN), run('b', 0.3)], 0.693).best, 1);
  // Far above the baseline is no candidate either (it learned nothing, or worse).
  const above = bestTrial([run('a', 5.2), run('b', 0.3)], 0.693);
  assert.equal(above.best, 1);
  assert.match(above.reason, /At or above the baseline \(learned nothing yet, not candidates\): a\.$/);
});

test('find-lr trials: a higher LR within 2% of the lowest early validation loss is the pick (as good at this length; the largest LR that trains as well); 2.1% is not', () => {
  const run = (label: string, earlyValLoss: number | null, diverged = false) => ({ label, earlyValLoss, diverged });
  assert.equal(TRIAL_TIE, 0.02);
  // The batch-16 regression of the advice bench: 0.590, 0.598 (1.3% higher), 0.612 (3.6%): the middle run.
  const mid = bestTrial([run('0.00756', 0.5903), run('0.0227', 0.5982), run('0.068', 0.6116)], 1.0);
  assert.equal(mid.best, 1);
  assert.equal(mid.tie, true);
  assert.match(mid.reason, /^0\.0227: the highest LR within 2% of the lowest early validation loss \(0\.598 against 0\.00756's 0\.59\)/);
  // Both higher runs within 2%: the highest.
  assert.equal(bestTrial([run('a', 0.5), run('b', 0.505), run('c', 0.509)], 2.3).best, 2);
  // Just outside the band: the lowest stands.
  assert.equal(bestTrial([run('a', 0.5), run('b', 0.5105)], 2.3).best, 0);
  // Only upward: a lower LR within 2% of a higher winner does not move the pick down.
  assert.equal(bestTrial([run('a', 0.505), run('b', 0.5), run('c', 0.9)], 2.3).best, 1);
  // A diverged run or one at the baseline is never the tie's pick, wherever its number sits.
  assert.equal(bestTrial([run('a', 0.6), run('b', 0.605, true)], 2.3).best, 0);
  assert.equal(bestTrial([run('a', 0.66), run('b', 0.665)], 0.693).best, null);
  assert.equal(bestTrial([run('a', 0.5), run('b', 0.505)], 0.53).best, 0, 'b (0.505) is within 5% of the baseline 0.53 (0.5035): learned nothing; a (0.5) learned');
  // Losses near zero compare on LOSS_FLOOR: 1e-5 and 9e-6 are both a perfect fit, the higher LR wins.
  assert.equal(bestTrial([run('a', 9e-6), run('b', 1e-5)], 0.693).best, 1);
});

test('find-lr trials: a run over 1 point more accurate than the loss rule\'s pick overrides it, either way in LR; 1 point or less, a run that is no candidate, or one whose loss is over 1.5x the pick\'s, does not', () => {
  const run = (label: string, earlyValLoss: number | null, earlyValAccuracy: number | null, diverged = false) => ({ label, earlyValLoss, earlyValAccuracy, diverged });
  assert.equal(ACCURACY_LEAD, 0.01);
  // The Adam GRU of the advice bench: 0.0214 has the lowest loss, 0.0714 2.1 points more right.
  const gru = bestTrial([run('0.0214', 0.6072, 0.6071), run('0.0714', 0.6258, 0.6286), run('0.214', 0.696, 0.5)], 0.693);
  assert.equal(gru.best, 1);
  assert.equal(gru.byLoss, 0);
  assert.equal(gru.tie, false);
  assert.match(gru.reason, /^0\.0714: validation accuracy 62\.9% against 60\.7% at 0\.0214, the loss rule's pick \(the lowest early validation loss; early validation loss 0\.626 against 0\.607\)/);
  // Downward too: the lower LR more accurate by 1.5 points.
  assert.equal(bestTrial([run('a', 0.41, 0.905), run('b', 0.4, 0.89)], 2.3).best, 0);
  // A lead of exactly a point, or less: the loss rule's pick stands and says nothing of accuracy.
  const close = bestTrial([run('a', 0.41, 0.9), run('b', 0.4, 0.89)], 2.3);
  assert.equal(close.best, 1);
  assert.equal(close.byLoss, undefined);
  assert.doesNotMatch(close.reason, /accuracy/);
  // On 60 validation samples a lead of one sample (1.7 points) is no lead: more than one is needed, and the reason says so.
  const oneOf60 = [run('a', 0.41, 55 / 60), run('b', 0.4, 54 / 60)];
  assert.equal(bestTrial(oneOf60, 2.3).best, 0, 'over a point without the count');
  assert.equal(bestTrial(oneOf60, 2.3, 60).best, 1);
  const twoOf60 = bestTrial([run('a', 0.41, 56 / 60), run('b', 0.4, 54 / 60)], 2.3, 60);
  assert.equal(twoOf60.best, 0);
  // Over three quarters of a standard error of 90% on 60 samples (2.9 points): the bar, said with its count.
  assert.match(twoOf60.reason, /: over 2\.9 points \(0\.75 standard errors of 90\.0% on 60 validation samples\) more of the labels right is the better run/);
  // Near 100%, where a standard error is under a sample, one sample is the bar.
  assert.equal(accuracyLeadText(60, 59 / 60), 'over one validation sample (1.7% of 60)');
  assert.equal(accuracyLeadText(undefined, 0.9), 'over 1 point');
  // On a thousand, a point still rules (ten samples) where it is over 0.75 standard errors (0.74 points at 89%)...
  assert.equal(bestTrial([run('a', 0.41, 0.905), run('b', 0.4, 0.89)], 2.3, 1000).best, 0);
  // ...but not a point on 400 samples at 78.6% (0.75 standard errors are 1.54 points): a user's GRU moved
  // from 0.0246 to 0.222 on 79.7% against 78.6%, and whole runs at 0.222 broke down at 3 seeds of 4.
  const gru400 = [run('0.0246', 0.432, 0.786), run('0.0739', 0.452, 0.788), run('0.222', 0.451, 0.7965)];
  assert.equal(bestTrial(gru400, 1.094).best, 2, 'over a point without the count');
  assert.equal(bestTrial(gru400, 1.094, 400).best, 0);
  assert.equal(bestTrial([run('0.0246', 0.432, 0.786), run('0.222', 0.451, 0.802)], 1.094, 400).best, 1, '1.6 points: over the bar');
  // Against the tie's pick, not the lowest loss: b won the 2% tie at 90%; a (the lowest) at 90.5% does not lead it by a point...
  assert.equal(bestTrial([run('a', 0.5, 0.905), run('b', 0.505, 0.9)], 2.3).best, 1);
  // ...and at 91.5% it does (against the lowest loss, its own, it would lead by nothing); the reason names the tie.
  const overTie = bestTrial([run('a', 0.5, 0.915), run('b', 0.505, 0.9)], 2.3);
  assert.equal(overTie.best, 0);
  assert.equal(overTie.byLoss, 1);
  assert.equal(overTie.lowest, undefined);
  assert.match(overTie.reason, /^a: validation accuracy 91\.5% against 90\.0% at b, the loss rule's pick \(within 2% of the lowest early validation loss \(a's\) at a higher LR; early validation loss 0\.5 against 0\.505\)/);
  // No candidates beyond the loss rule's: a diverged run, one at the baseline, one without accuracy.
  assert.equal(bestTrial([run('a', 0.5, 0.8), run('b', null, 0.95, true)], 2.3).best, 0);
  assert.equal(bestTrial([run('a', 0.5, 0.8), run('b', 0.69, 0.9)], 0.693).best, 0);
  assert.equal(bestTrial([run('a', 0.5, 0.8), run('b', 0.6, null)], 2.3).best, 0);
  // The pick without an accuracy (a regression, a custom loss): the loss rule alone.
  assert.equal(bestTrial([run('a', 0.5, null), run('b', 0.6, 0.99)], 2.3).best, 0);
  // Runs that all learned nothing: still none, whatever their accuracy.
  assert.equal(bestTrial([run('a', 0.69, 0.52), run('b', 0.688, 0.6)], 0.693).best, null);
  // A lead from a run whose loss is over 1.5x the loss rule's pick's does not move it (a user's MLP:
  // 1.27 at 2.66x the loss and 1.3 points, five of 400 samples, went unstable in whole runs).
  assert.equal(ACCURACY_LEAD_LOSS_RATIO, 1.5);
  const user = bestTrial([run('0.141', 0.0608, 0.97), run('0.423', 0.14, 0.975), run('1.27', 0.162, 0.983)], Math.log(4));
  assert.equal(user.best, 0);
  assert.equal(user.byLoss, undefined);
  assert.doesNotMatch(user.reason, /accuracy/);
  // At the bound exactly it still counts; just above, not.
  assert.equal(bestTrial([run('a', 0.4, 0.8), run('b', 0.6, 0.85)], 2.3).best, 1);
  assert.equal(bestTrial([run('a', 0.4, 0.8), run('b', 0.6001, 0.85)], 2.3).best, 0);
  // The next most accurate run within the bound leads instead.
  assert.equal(bestTrial([run('a', 0.4, 0.8), run('b', 0.5, 0.83), run('c', 0.9, 0.9)], 2.3).best, 1);
});

test('a pick barely learned above 80% of the baseline; without a usable baseline, never', () => {
  assert.equal(BARELY_LEARNED, 0.8);
  assert.equal(barelyLearned(0.607, 0.693), true);
  assert.equal(barelyLearned(0.55, 0.693), false);
  assert.equal(barelyLearned(0.8, 1), false, 'at the share exactly: not above it');
  for (const b of [null, 0, -1]) assert.equal(barelyLearned(0.9, b), false);
  assert.equal(barelyLearned(null, 0.693), false);
  // Soft labels' floor (their entropy, 1.059): a user's runs at 1.06 against 1.32 were "80.5% of the baseline" — at the floor.
  assert.equal(barelyLearned(1.06, 1.32), true);
  assert.equal(barelyLearned(1.06, 1.32, 1.059), false);
  assert.equal(barelyLearned(1.3, 1.32, 1.059), true, '92% of the way from the floor up to the baseline');
  assert.equal(barelyLearned(1.06, 1.32, 1.4), false, 'a floor above the baseline: never');
  // nextTrialRound passes it on: no 3x longer round for a pick at the floor.
  const atFloor = [{ earlyValLoss: 1.1, diverged: false }, { earlyValLoss: 1.06, diverged: false }, { earlyValLoss: 1.2, diverged: false }];
  assert.equal(nextTrialRound(atFloor, [], 1.32, 2, undefined), 'barely learned');
  assert.equal(nextTrialRound(atFloor, [], 1.32, 2, undefined, 1.059), null);
});

test('find-lr trials at the blow-up edge: a pick within sqrt(3) of the edge is backed off to the geometric middle of it and the next lower run; elsewhere, no back-off', () => {
  assert.equal(EDGE_BACK_OFF, Math.sqrt(3));
  // The customLayer case: runs 0.251, 0.752, 2.26 around 0.752, edge 2.26 (the headline was capped 3x below it).
  assert.equal(backOffFromEdge(2.26, 0.752, 2.26), 1.3);
  // Anywhere within the factor: 0.2 against an edge of 0.34 (0.2 x 1.732 = 0.346 >= 0.34).
  assert.equal(backOffFromEdge(0.2, 0.0667, 0.34), Number(Math.sqrt(0.2 * 0.0667).toPrecision(3)));
  // Further below the edge, or no edge, or no lower run (the pick is the lowest): the pick stands.
  assert.equal(backOffFromEdge(0.2, 0.0667, 0.36), null);
  assert.equal(backOffFromEdge(2.26, 0.752, null), null);
  assert.equal(backOffFromEdge(2.26, null, 2.26), null);
  assert.equal(backOffFromEdge(2.26, 3, 2.26), null, 'a "lower" run that is not lower');
});

test('recipe: a new batch size moves a trial-chosen LR by the ratio of the two sizes\' range tests, else to the new size\'s own — never further than the batch sizes\' ratio', () => {
  const up = { from: 64, to: 128 };
  // Trials chose 0.431 at batch 64; the study's range tests read 1.2 at 64 and 2.4 at 128: twice as high.
  assert.deepEqual(lrForBatchSize(0.431, true, 1.2, 2.4, up), { maxLr: 0.862, ratio: 2, bounded: null });
  // The range test chose it (no trials), or the same size gave no LR in the study: the new size's own.
  assert.deepEqual(lrForBatchSize(2, false, 1.2, 2.4, up), { maxLr: 2.4, ratio: null, bounded: null });
  assert.deepEqual(lrForBatchSize(2, true, null, 2.4, up), { maxLr: 2.4, ratio: null, bounded: null });
  assert.deepEqual(lrForBatchSize(2, true, 0, 2.4, up), { maxLr: 2.4, ratio: null, bounded: null });
  // A user's Adam regression: 64 → 128 with range tests 12x apart took 0.255 to 3.1; twice is the most.
  assert.deepEqual(lrForBatchSize(0.255, true, 0.25, 3, up), { maxLr: 0.51, ratio: 12, bounded: 2 });
  assert.deepEqual(lrForBatchSize(0.431, false, 1.2, 2.4, up), { maxLr: 0.862, ratio: null, bounded: 2 });
  // A larger batch never lowers it, a smaller one never raises it, and a smaller one lowers it by its ratio at most.
  assert.deepEqual(lrForBatchSize(0.4, true, 1, 0.5, up), { maxLr: 0.4, ratio: 0.5, bounded: 1 });
  assert.deepEqual(lrForBatchSize(0.4, true, 1, 2, { from: 128, to: 32 }), { maxLr: 0.4, ratio: 2, bounded: 1 });
  assert.deepEqual(lrForBatchSize(0.4, true, 1, 0.05, { from: 128, to: 32 }), { maxLr: 0.1, ratio: 0.05, bounded: 0.25 });
  assert.deepEqual(lrForBatchSize(0.4, true, 1, 0.5, { from: 128, to: 32 }), { maxLr: 0.2, ratio: 0.5, bounded: null });
});

test('momentum: of constant momenta as good at this length, the lowest (the smallest effective steps); a clearly lower loss still wins', () => {
  const run = (momentum: number, earlyValLoss: number) => ({ label: `momentum ${momentum}`, earlyValLoss, diverged: false, momentum });
  // The decision bench's MNIST MLP: 0.95 at 0.2674, 0.9 at 0.2696 (whole runs: 91.1% against 91.6%).
  const mnist = bestShortRun([run(0.99, 4.596), run(0.95, 0.2674), run(0.9, 0.2696), { label: 'cyclical', earlyValLoss: 0.2869, diverged: false, cyclical: true, momentum: null }]);
  assert.equal(mnist.best, 2);
  assert.equal(mnist.tie, true);
  assert.match(mnist.reason, /^momentum 0\.9: as low as momentum 0\.95 \(0\.267\) at this length, with smaller steps \(a higher momentum's larger effective steps can fail over whole runs\); its early validation loss \(0\.27\)\.$/);
  // 0.99 and 0.97 tied: 0.97 (a recipe that took 0.99 blew up in its confirming run).
  assert.equal(bestShortRun([run(0.99, 0.189), run(0.97, 0.1895), run(0.95, 0.25)]).best, 1);
  // Outside the tie band the lowest loss wins, whatever its momentum.
  assert.equal(bestShortRun([run(0.99, 0.189), run(0.9, 0.25)]).best, 0);
});

test('short runs: ties within 3% are named; the cyclical pick names the constant it ties', () => {
  const wd = bestShortRun([{ label: 'wd 1e-2', earlyValLoss: 0.349, diverged: false }, { label: 'wd 1e-4', earlyValLoss: 0.2623, diverged: false }, { label: 'wd 3.2e-4', earlyValLoss: 0.2612, diverged: false }]);
  assert.equal(wd.best, 2);
  assert.equal(wd.tie, true);
  assert.match(wd.reason, /^wd 3.2e-4: lowest early validation loss \(0.261\); within 3%, as good at this length: wd 1e-4 \(0.262\)\.$/);
  const m = bestShortRun([{ label: '0.9', earlyValLoss: 0.40, diverged: false }, { label: '0.95', earlyValLoss: 0.405, diverged: false }, { label: 'cyc', earlyValLoss: 0.41, diverged: false, cyclical: true }]);
  assert.equal(m.best, 2);
  assert.match(m.reason, /as low as the best constant momentum \(0.9, 0.4\).*also within 3% of 0.9, as good at this length: 0.95 \(0.405\)/);
});

test('short runs that all stayed at the baseline name no best (random labels: "wd 1e-2: lowest (1.38)" against ln 4 = 1.39); one clearly below is picked, or clearly below on the way; far above is left to the failure notes', () => {
  const ln4 = Math.log(4);
  const run = (label: string, earlyValLoss: number): { label: string; earlyValLoss: number; diverged: boolean } => ({ label, earlyValLoss, diverged: false });
  const noise = bestShortRun([run('wd 1e-2', 1.38), run('wd 1e-3', 1.4), run('wd 1e-4', 1.4), run('wd 0', 1.41)], ln4);
  assert.equal(noise.best, null);
  assert.equal(noise.reason, 'no short run got clearly below the validation baseline (1.39; clearly below means under 1.32): at this length they learned nothing, and their order is noise');
  // Without a baseline (a custom loss) nothing is "at" it: the lowest is picked as before.
  assert.equal(bestShortRun([run('wd 1e-2', 1.38), run('wd 1e-3', 1.4)]).best, 0);
  // One clearly below: it is the pick.
  assert.equal(bestShortRun([run('wd 1e-2', 1.1), run('wd 1e-3', 1.4)], ln4).best, 0);
  // All far above (broke down): still ranked, for leastBadOfFailures to qualify.
  assert.equal(bestShortRun([run('wd 1e-2', 3.1), run('wd 1e-3', 2.9)], ln4).best, 1);
  // Some at it and the rest far above: none learned either (a recipe's momentum 0.99 ended at 1.6, the others at 1.4).
  assert.equal(bestShortRun([run('momentum 0.99', 1.6), run('momentum 0.9', 1.4)], ln4).best, null);
  // Clearly below on the way, then back (overfit): they learned, and the end ranks them. A user's weight-decay
  // runs on 120 samples fell to 0.555 against 0.695 and read "learned nothing, and their order is noise".
  const curve = (...losses: number[]): { valLoss: number }[] => losses.map((valLoss) => ({ valLoss }));
  const overfit = bestShortRun([
    { ...run('wd 1e-2', 0.691), records: curve(0.681, 0.604, 0.555, 0.572, 0.611, 0.648, 0.672, 0.687, 0.692, 0.694) },
    { ...run('wd 1e-3', 0.795), records: curve(0.681, 0.602, 0.559, 0.598, 0.661, 0.722, 0.762, 0.787, 0.798, 0.801) },
    { ...run('wd 0', 0.811), records: curve(0.681, 0.602, 0.559, 0.601, 0.668, 0.732, 0.775, 0.802, 0.814, 0.817) },
  ], 0.695);
  assert.equal(overfit.best, 0);
  assert.equal(overfit.reason, 'wd 1e-2: lowest early validation loss (0.691).');
  // One evaluation below it is no proof (noise on a small validation set): still nothing learned.
  assert.equal(bestShortRun([{ ...run('wd 1e-2', 1.38), records: curve(1.39, 1.3, 1.39, 1.38) }, { ...run('wd 0', 1.41), records: curve(1.4, 1.41) }], ln4).best, null);
});

test('batch size: losses under 0.1% of the baseline apart are a tie, as in the short-run studies (a user\'s sizes at 2.75e-6 to 1.83e-5 against 4.79 named one "the lowest")', () => {
  const size = (batchSize: number, finalValLoss: number): BatchSizeFacts => ({ batchSize, ok: true, timeToTarget: null, finalValLoss, finalValAccuracy: null });
  const converged = bestBatchSize([size(32, 5.85e-6), size(64, 1.83e-5), size(128, 7.74e-6), size(256, 2.75e-6)], false, null, undefined, 4.79);
  assert.equal(converged.best, 3);
  assert.equal(converged.tie, true);
  // It said "the lowest" alone: the sizes as low are named.
  assert.equal(converged.reason, 'batch 256 ends the equal-time budget with the lowest validation loss (2.75e-6); batch 32 (5.85e-6), batch 64 (1.83e-5), batch 128 (7.74e-6) as low, and it is the largest.');
  // Twice as high, yet under 0.1% of the baseline above: as good, and the larger size is the pick, saying why.
  const larger = bestBatchSize([size(32, 0.002), size(64, 0.004)], false, null, undefined, 4.79);
  assert.equal(larger.best, 1);
  assert.equal(larger.reason, 'batch 64 ends as low as batch 32 (0.004 vs 0.002: under 0.00479 apart, 0.1% of the baseline) and is larger.');
  const above = bestBatchSize([size(32, 0.002), size(64, 0.004), size(16, 0.003)], false, null, undefined, 4.79);
  assert.equal(above.best, 1);
  // Without a baseline, as before: the lowest.
  assert.equal(bestBatchSize([size(32, 0.002), size(64, 0.004)], false).best, 0);
});

test('batch size: the first to reach the target wins; without one, the lowest final loss, the larger size on a tie', () => {
  const run = (batchSize: number, timeToTarget: number | null, finalValLoss: number | null, ok = true): BatchSizeFacts => ({ batchSize, ok, timeToTarget, finalValLoss });
  const target = bestBatchSize([run(32, 9.0, 0.20), run(64, 5.5, 0.21), run(128, null, 0.25), run(256, 2.0, 0.3, false)], true);
  assert.equal(target.best, 1);
  assert.match(target.reason, /batch 64 reaches the target first, in 5.5 s/);
  const none = bestBatchSize([run(32, null, 0.25), run(64, null, 0.20)], true);
  assert.equal(none.best, 1);
  assert.match(none.reason, /^no size reached the target; batch 64 ends the equal-time budget with the lowest validation loss/);
  const tie = bestBatchSize([run(64, null, 0.200), run(128, null, 0.205), run(256, null, 0.30)], false);
  assert.equal(tie.best, 1);
  assert.equal(tie.tie, true);
  assert.match(tie.reason, /batch 128 ends as low as batch 64 .* and is larger/);
  assert.equal(none.tie, false);
  assert.equal(bestBatchSize([run(64, null, null, false)], false).best, null);
  assert.equal(bestBatchSize([run(64, null, Number.NaN)], false).best, null);
  // As find-lr's trials: a size over a point more accurate, at a loss within 1.5x of the lowest, is the pick.
  const accurate = (batchSize: number, finalValLoss: number, finalValAccuracy: number): BatchSizeFacts => ({ batchSize, ok: true, timeToTarget: null, finalValLoss, finalValAccuracy });
  const lead = bestBatchSize([accurate(32, 0.30, 0.910), accurate(128, 0.35, 0.925), accurate(512, 0.50, 0.95)], false);
  assert.equal(lead.best, 1, lead.reason);
  assert.equal(lead.reason, "batch 128 ends the equal-time budget more accurate than batch 32, the loss rule's pick (the lowest validation loss): 92.5% vs 91.0%, at a loss within 1.5x (0.35 vs 0.3).");
  // On the validation samples, as find-lr's trials: a lead of 1.5 points clears 0.75 standard errors of 91% on 400 (1.07 points), not on 100 (2.15).
  assert.equal(bestBatchSize([accurate(32, 0.30, 0.910), accurate(128, 0.35, 0.925)], false, null, 400).best, 1);
  assert.equal(bestBatchSize([accurate(32, 0.30, 0.910), accurate(128, 0.35, 0.925)], false, null, 100).best, 0);
  // Sizes that trained unequal times (the budget's start-ups and range tests took unequal shares): the
  // ranking stands, but is not said as the equal-time budget's (a user's study starred one beside the warning).
  const unequal = bestBatchSize([accurate(32, 0.30, 0.910), accurate(128, 0.34, 0.912)], false, { min: 3.1, max: 8.2 });
  assert.equal(unequal.best, 0);
  assert.equal(unequal.reason, 'batch 32 ends its share of the budget (the sizes trained unequal times, 3.1 s to 8.2 s) with the lowest validation loss (0.3).');
  assert.match(bestBatchSize([accurate(32, 0.30, 0.910), accurate(128, 0.34, 0.912)], false, { min: 7.1, max: 8.2 }).reason, /ends the equal-time budget/);
  // Over a tie the loss rule's pick is the larger size; a lead of exactly a point does not pass.
  const overTie = bestBatchSize([accurate(16, 0.4, 0.92), accurate(32, 0.300, 0.90), accurate(64, 0.305, 0.88)], false);
  assert.equal(overTie.reason, "batch 16 ends the equal-time budget more accurate than batch 64, the loss rule's pick (as low as batch 32's and larger): 92.0% vs 88.0%, at a loss within 1.5x (0.4 vs 0.305).");
  assert.equal(bestBatchSize([accurate(32, 0.30, 0.09), accurate(128, 0.31, 0.10)], false).best, 0);
  // Within a point, or at a loss beyond the bound: the loss decides.
  assert.equal(bestBatchSize([accurate(32, 0.30, 0.910), accurate(128, 0.35, 0.915)], false).best, 0);
  assert.equal(bestBatchSize([accurate(32, 0.30, 0.910), accurate(128, 0.46, 0.95)], false).best, 0);
  assert.ok(ACCURACY_LEAD === 0.01 && ACCURACY_LEAD_LOSS_RATIO === 1.5);
});

test('batch size: a target counts where it holds to the end; sizes whose validation passes cannot order them tie, the larger wins', () => {
  const passes = (seconds: readonly number[], meets: readonly boolean[]) => seconds.map((s, i) => ({ seconds: s, meets: meets[i]! }));
  // Met at 2 s, lost at 4 s (a 300-sample validation set's wobble), held from 6 s: reached at 6 s.
  assert.deepEqual(targetReached(passes([2, 4, 6, 8], [true, false, true, true])), { seconds: 6, notYetAt: 4 });
  assert.deepEqual(targetReached(passes([2, 4], [true, true])), { seconds: 2, notYetAt: 0 });
  // Met mid-run and not at the end: not reached.
  assert.equal(targetReached(passes([2, 4, 6], [false, true, false])), null);
  assert.equal(targetReached([]), null);
  const run = (batchSize: number, timeToTarget: number, notYetAt: number): BatchSizeFacts => ({ batchSize, ok: true, timeToTarget, notYetAt, finalValLoss: 0.2 });
  // 512's first pass (8 s) held the target; 32 was not there at 5 s and was at 6 s: 512 may have got
  // there before 6 s, the passes cannot tell, and it is larger.
  const tied = bestBatchSize([run(32, 6, 5), run(512, 8, 0), run(128, 9, 7)], true);
  assert.equal(tied.best, 1);
  assert.equal(tied.tie, true);
  assert.match(tied.reason, /^batch 512 reaches the target in 8 s, as soon as batch 32 \(6 s\) as far as its validation passes tell \(its first one already held it\), and is larger\.$/);
  // 128's pass before (7 s) came after 32 reached it (6 s): 32 was first.
  const first = bestBatchSize([run(32, 6, 5), run(128, 9, 7)], true);
  assert.equal(first.best, 0);
  assert.equal(first.tie, false);
  assert.match(first.reason, /^batch 32 reaches the target first, in 6 s\.$/);
  const later = bestBatchSize([run(32, 6, 5), run(128, 7, 4)], true);
  assert.equal(later.best, 1);
  assert.match(later.reason, /\(the one before, at 4 s, had not\), and is larger/);
});

test('weight decay refinement bisects the exponent toward the neighbours, half a decade past an end, nothing for 0', () => {
  assert.deepEqual(refineWeightDecay([1e-2, 1e-3, 1e-4], 1e-3), [3.2e-3, 3.2e-4]);
  assert.deepEqual(refineWeightDecay([1e-2, 1e-3, 1e-4], 1e-4), [3.2e-4, 3.2e-5]);
  assert.deepEqual(refineWeightDecay([1e-2, 1e-3, 1e-4], 1e-2), [3.2e-2, 3.2e-3]);
  assert.deepEqual(refineWeightDecay([1e-4, 1e-5, 1e-6, 0], 1e-6), [3.2e-6, 3.2e-7]);
  assert.deepEqual(refineWeightDecay([1e-4, 1e-5, 0], 0), []);
  assert.deepEqual(refineWeightDecay([1e-2, 3.2e-3, 1e-3], 3.2e-3), [5.7e-3, 1.8e-3], 'a second refinement halves again');
  assert.deepEqual(refineWeightDecay([0.5], 0.5), [0.16], 'never 1 or more');
  assert.equal(formatWeightDecay(3.1622776e-4), '3.2e-4');
  assert.equal(formatWeightDecay(1e-2), '1e-2');
  assert.equal(formatWeightDecay(0), '0');
});

test('step time: the median ignores the warm-up of the first steps', () => {
  const points = [{ step: 0, seconds: 2.5 }, ...Array.from({ length: 40 }, (_, i) => ({ step: i + 1, seconds: 2.5 + 0.02 * (i + 1) }))];
  assert.ok(Math.abs(medianStepSeconds([{ step: 0, seconds: 0 }, ...points])! - 0.02) < 1e-9);
  assert.equal(medianStepSeconds([{ step: 0, seconds: 1 }, { step: 1, seconds: 2 }]), null);
  assert.ok(Math.abs(medianStepSeconds([{ step: 9, seconds: 1 }, { step: 19, seconds: 2 }, { step: 29, seconds: 3 }])! - 0.1) < 1e-12);
});

const planInput = (over: Partial<RecipePlanInput>): RecipePlanInput => ({ remainingSeconds: 600, stepSeconds: 0.02, evalSeconds: 0, stepsPerEpoch: 125, todo: ['batch-size', 'momentum', 'weight-decay', 'train'], batchSizes: 3, momentumRuns: 5, weightDecayRuns: 3, ...over });

test('recipe plan: shares of the budget, never over it, short runs capped with their time left to training', () => {
  const plan = planRecipe(planInput({ stepsPerEpoch: 250, evalSeconds: 0.1 }));
  assert.deepEqual(plan.steps.map((s) => [s.name, s.skipped]), [['batch-size', null], ['momentum', null], ['weight-decay', null], ['train', null]]);
  assert.ok(plan.estimatedSeconds <= 600 + 1e-9, `${plan.estimatedSeconds}`);
  assert.equal(plan.steps[0]!.seconds, 150);
  assert.equal(plan.steps[0]!.secondsPerSize, 50 - CHILD_RUN_SECONDS);
  // 90 s for 5 runs would allow (90/(5·1.1) - 10·0.1)/0.02 = 768 iterations each: capped at 300.
  assert.equal(plan.steps[1]!.steps, MAX_SHORT_RUN_STEPS);
  assert.ok(Math.abs(plan.steps[1]!.seconds - 5 * (300 * 0.02 + 10 * 0.1) * PLAN_MARGIN) < 1e-9);
  // Training gets 600 - 150 - 38.5 - 23.1 = 388.4 s at (250·0.02 + 0.1)·1.1 = 5.61 s per epoch.
  assert.equal(plan.steps[3]!.epochs, 69);
  assert.ok(Math.abs(plan.estimatedSeconds - plan.steps.reduce((s, x) => s + x.seconds, 0)) < 1e-9);
});

test('recipe plan: a short budget skips the batch-size study first and gives its share to the others', () => {
  const plan = planRecipe(planInput({ remainingSeconds: 60 }));
  assert.match(plan.steps[0]!.skipped ?? '', /its share of the budget \(15 s\) is too short to give 3 sizes a real run/);
  // A share just under the need reads as under it, not "30 s … (needs 30 s)" (rounded down).
  const near = planRecipe(planInput({ remainingSeconds: 119 })).steps[0]!.skipped ?? '';
  assert.match(near, /its share of the budget \(29 s\) is too short to give 3 sizes a real run \(needs 30 s\)/);
  assert.equal(plan.steps[1]!.skipped, null);
  // Momentum now gets 0.15/0.75 of 60 s = 12 s: 12 / (5 · 1.1) / 0.02 = 109 steps.
  assert.equal(plan.steps[1]!.steps, 109);
  assert.ok(plan.estimatedSeconds <= 60);
});

test("recipe plan: a slow loadData counts in each batch size's start (its engine loads the data again): a study whose sizes could not get past it is skipped, saying so, and its time goes to the other steps", () => {
  // A 25 s loadData under --budget 3m: the sizes were given 12 s each, and each one "ran out before its range test began".
  const fast = planRecipe(planInput({ remainingSeconds: 150 }));
  assert.equal(fast.steps[0]!.skipped, null);
  const slow = planRecipe(planInput({ remainingSeconds: 150, loadSeconds: 25 }));
  assert.match(slow.steps[0]!.skipped ?? '', /too short to give 3 sizes a real run \(needs [^;]+; each size's engine loads the data again \(25 s here\)\)$/);
  assert.ok(slow.steps[3]!.epochs! > fast.steps[3]!.epochs!, 'the confirming run gets its share');
  // A load within what a size's start already counts changes nothing.
  assert.deepEqual(planRecipe(planInput({ remainingSeconds: 150, loadSeconds: 1.5 })), fast);
  // Where the study runs, each size's training time is what is left after its start.
  const roomy = planRecipe(planInput({ remainingSeconds: 900, loadSeconds: 25 })).steps[0]!;
  assert.ok(roomy.skipped === null && Math.abs(roomy.secondsPerSize! - (roomy.seconds / 3 - 27)) < 1e-9, JSON.stringify(roomy));
});

test('recipe plan: short runs that cannot reach the minimum are skipped; training always runs, capped in epochs', () => {
  const tight = planRecipe(planInput({ remainingSeconds: 5, stepSeconds: 0.05 }));
  assert.deepEqual(tight.steps.map((s) => s.skipped === null), [false, false, false, true]);
  assert.match(tight.steps[1]!.skipped ?? '', new RegExp(`need ${MIN_SHORT_RUN_STEPS}`));
  assert.equal(tight.steps[3]!.epochs, 1, 'at least one epoch; the engine stops it at the budget');
  const tiny = planRecipe(planInput({ remainingSeconds: 600, stepSeconds: 0.001, stepsPerEpoch: 7, todo: ['train'] }));
  assert.equal(tiny.steps[0]!.epochs, MAX_RECIPE_EPOCHS);
  assert.equal(planRecipe(planInput({ remainingSeconds: -3, todo: ['momentum', 'train'] })).steps[0]!.skipped !== null, true);
});

test('recipe plan: a batch-size study too long for its share runs on the time the capped steps leave unused, at the least that gives each size a real run', () => {
  // A small model: 1 ms steps, 7 per epoch. 100 s: the study's share (25 s) is under the 30 s it
  // needs, the short runs stop at 300 steps and the confirming run at 100 epochs, leaving most of it.
  const small = planRecipe(planInput({ remainingSeconds: 100, stepSeconds: 0.001, stepsPerEpoch: 7 }));
  assert.equal(small.steps[0]!.skipped, null);
  assert.equal(small.steps[0]!.seconds, 30);
  assert.equal(small.steps[0]!.secondsPerSize, 10 - CHILD_RUN_SECONDS);
  assert.equal(small.steps[3]!.epochs, MAX_RECIPE_EPOCHS);
  assert.ok(small.estimatedSeconds <= 100, `${small.estimatedSeconds}`);
  // Four sizes need 4 · (6 + 3) = 36 s; 35 s of spare is not enough: skipped, saying so.
  const four = planRecipe(planInput({ remainingSeconds: 37, stepSeconds: 0.001, stepsPerEpoch: 7, batchSizes: 4 }));
  assert.match(four.steps[0]!.skipped ?? '', /too short to give 4 sizes a real run \(needs 36 s\)/);
  // A model whose confirming run takes the whole budget leaves nothing: still skipped.
  assert.notEqual(planRecipe(planInput({ remainingSeconds: 100 })).steps[0]!.skipped, null);
});

test('lossFloor: below a baseline of 1 the tie floor scales with it, so losses on a tiny scale are compared, not tied', () => {
  assert.equal(lossFloor(null), LOSS_FLOOR);
  assert.equal(lossFloor(2.3), LOSS_FLOOR);
  assert.equal(lossFloor(0.5), 0.5 * LOSS_FLOOR);
  assert.equal(lossFloor(0), LOSS_FLOOR);
  // Labels with σ 0.003 (baseline 8.06e-6): runs 10% apart are not "within 2%".
  const run = (label: string, earlyValLoss: number): { label: string; earlyValLoss: number; diverged: boolean; earlyValAccuracy: null } => ({ label, earlyValLoss, diverged: false, earlyValAccuracy: null });
  const tiny = [run('1.31', 4.1e-6), run('3.94', 2.95e-6), run('11.8', 3.24e-6)];
  assert.equal(bestTrial(tiny, 8.06e-6).best, 1);
  // Without a baseline the absolute floor still ties them (the old behaviour, kept where nothing tells the scale).
  assert.equal(bestTrial(tiny, null).best, 2);
  // A constant momentum 4x lower than the cyclical run's is not "as low" at that scale.
  const momenta = [{ label: 'momentum 0.97', earlyValLoss: 9.3e-7, diverged: false }, { label: 'momentum 0.99', earlyValLoss: 2.11e-5, diverged: false }, { label: 'cyclical', earlyValLoss: 4.04e-6, diverged: false, cyclical: true }];
  assert.equal(bestShortRun(momenta, 8.06e-6).best, 0);
  assert.equal(bestShortRun(momenta).best, 2);
});

test('brokeDown: every run diverged, or ended above 1.5x the baseline and above where the model started; one run that learned keeps the round', () => {
  assert.equal(BROKE_DOWN, 1.5);
  const run = (earlyValLoss: number | null, diverged = false): { earlyValLoss: number | null; diverged: boolean } => ({ earlyValLoss, diverged });
  // Chance level 0.693 (balanced binary, where the model also starts): 3.5-7.4x it is broken down, with or without the start.
  const broken = [run(2.4), run(5.1), run(null, true)];
  assert.equal(brokeDown(broken, 0.693), true);
  assert.equal(brokeDown(broken, 0.693, 0.7), true);
  // One run at 1.2x the baseline keeps the round; so does one at the baseline's 1.5x exactly.
  assert.equal(brokeDown([run(0.83), run(5.1)], 0.693), false);
  assert.equal(brokeDown([run(1.5 * 0.693), run(5.1)], 0.693), false);
  // A regression starting at 9e4 against a baseline of 211: runs at 5e3-3.6e4 fell, far above the baseline: not broken down (with the start).
  const falling = [run(36515), run(5909), run(5155)];
  assert.equal(brokeDown(falling, 211), true);
  assert.equal(brokeDown(falling, 211, 90008), false);
  // ... one that ended above where it started did break down.
  assert.equal(brokeDown([run(95000), run(120000)], 211, 90008), true);
  // Every run diverged: broken down, baseline or none; no baseline and a run with a loss: not.
  assert.equal(brokeDown([run(null, true), run(null, true)], null), true);
  assert.equal(brokeDown([run(null, true), run(9)], null), false);
  // Nothing ran, or a run cut short (no loss): not.
  assert.equal(brokeDown([], 0.693), false);
  assert.equal(brokeDown([run(null), run(5.1)], 0.693), false);
});

test('nextTrialRound: broke down (first round only) → 9x lower; nothing learned → 3x as long, and nothing again → 9x lower; a pick that barely learned → 3x as long where no round ran longer yet; each once, in that order', () => {
  const run = (earlyValLoss: number | null, diverged = false): { earlyValLoss: number | null; diverged: boolean } => ({ earlyValLoss, diverged });
  const chance = 0.693;
  const broken = [run(2.4), run(5.1), run(null, true)];
  const nothing = [run(0.69), run(0.688), run(0.7)];
  const barely = [run(0.62), run(0.607), run(0.64)]; // the pick (0.607) is 88% of ln 2
  const learned = [run(0.35), run(0.3), run(0.5)];
  assert.equal(nextTrialRound(broken, [], chance, 0.7), 'broke down');
  assert.equal(nextTrialRound(nothing, [], chance, 0.7), 'learned nothing');
  assert.equal(nextTrialRound(barely, [], chance, 0.7), 'barely learned');
  assert.equal(nextTrialRound(learned, [], chance, 0.7), null);
  // After the 9x lower round: it may learn nothing or barely learn, and run 3x as long; it is not lowered twice.
  assert.equal(nextTrialRound(broken, ['broke down'], chance, 0.7), null);
  assert.equal(nextTrialRound(nothing, ['broke down'], chance, 0.7), 'learned nothing');
  assert.equal(nextTrialRound(barely, ['broke down'], chance, 0.7), 'barely learned');
  // Runs 3x as long that learned nothing either: 9x lower (at that length), once; whatever else they show, they decide.
  assert.equal(nextTrialRound(nothing, ['learned nothing'], chance, 0.7), 'still learned nothing');
  for (const runs of [broken, barely, learned, [run(null, true), run(null, true)]]) assert.equal(nextTrialRound(runs, ['learned nothing'], chance, 0.7), null, JSON.stringify(runs));
  // A third round after a longer or a lowered one, or a fourth, never runs, whatever they show.
  for (const before of [['barely learned'], ['broke down', 'learned nothing'], ['broke down', 'barely learned'], ['learned nothing', 'still learned nothing']] as const) {
    for (const runs of [broken, nothing, barely, learned]) assert.equal(nextTrialRound(runs, before, chance, 0.7), null, `${before.join(', ')}: ${JSON.stringify(runs)}`);
  }
  // Every run diverged (no loss): broken down at first, then nothing more (not "learned nothing").
  const diverged = [run(null, true), run(null, true)];
  assert.equal(nextTrialRound(diverged, [], chance, 0.7), 'broke down');
  assert.equal(nextTrialRound(diverged, ['broke down'], chance, 0.7), null);
  // Without a baseline nothing is "near" it or "barely" learned: every finished run counts and decides.
  assert.equal(nextTrialRound(barely, [], null, null), null);
  // A regression's runs far above its baseline but far below where it started fell: 3x as long, not 9x lower.
  const falling = [run(36515), run(5909), run(5155)];
  assert.equal(nextTrialRound(falling, [], 211, 90008), 'learned nothing');
  // It judges find-lr's own pick, with the same validation count: on 60 samples b's one-sample lead
  // does not move the pick from a (70% of the baseline), so no longer round for b's barely-learned loss.
  const onSixty = [{ earlyValLoss: 1.4, earlyValAccuracy: 54 / 60, diverged: false }, { earlyValLoss: 1.75, earlyValAccuracy: 55 / 60, diverged: false }];
  assert.equal(nextTrialRound(onSixty, [], 2, 2.3), 'barely learned', 'without the count, b is the pick');
  assert.equal(nextTrialRound(onSixty, [], 2, 2.3, 60), null);
});

test('meanOverSeeds: a candidate at several seeds is their mean loss and accuracy; diverged where any seed diverged; no loss where a seed has none; no accuracy unless every seed has one', () => {
  const run = (earlyValLoss: number | null, earlyValAccuracy: number | null, diverged = false): { earlyValLoss: number | null; earlyValAccuracy: number | null; diverged: boolean } => ({ earlyValLoss, earlyValAccuracy, diverged });
  assert.deepEqual(meanOverSeeds([run(0.4, 0.9), run(0.6, 0.8)]), { earlyValLoss: 0.5, earlyValAccuracy: 0.8500000000000001, diverged: false });
  assert.deepEqual(meanOverSeeds([run(0.4, 0.9)]), run(0.4, 0.9));
  // One seed of two diverged: the candidate is out, whatever the other reached.
  assert.deepEqual(meanOverSeeds([run(0.1, 0.99), run(null, null, true)]), run(null, null, true));
  // A regression (no accuracy) and a seed without one: no accuracy.
  assert.deepEqual(meanOverSeeds([run(0.2, null), run(0.4, null)]), { earlyValLoss: 0.30000000000000004, earlyValAccuracy: null, diverged: false });
  assert.deepEqual(meanOverSeeds([run(0.2, 0.5), run(0.4, null)]).earlyValAccuracy, null);
  // A seed cut short (no loss, not diverged): no loss.
  assert.deepEqual(meanOverSeeds([run(0.2, 0.5), run(null, null)]), run(null, null));
  assert.deepEqual(meanOverSeeds([]), run(null, null));
  // Two seeds that rank the LRs differently: their mean decides (bestTrial on the means).
  const seed1 = [run(0.50, 0.80), run(0.48, 0.81)];
  const seed2 = [run(0.47, 0.82), run(0.55, 0.78)];
  const means = seed1.map((r, i) => ({ label: String(i), ...meanOverSeeds([r, seed2[i]!]) }));
  assert.equal(bestTrial(means, 2.3).best, 0);
});

test('a study whose every candidate ended above the baseline says the pick is the least bad of failures, and which ones learned on the way', () => {
  // Three batch sizes of an overfitting MLP: 3.59, 3.94, 3.71 against a chance level of 1.41, each at ~1.15 mid-run.
  const sizes = allAboveBaseline([{ label: 'batch 16', final: 3.59, lowest: 1.15 }, { label: 'batch 64', final: 3.94, lowest: 1.16 }, { label: 'batch 256', final: 3.71, lowest: 1.5 }], 1.41, 'size');
  assert.match(sizes ?? '', /^Every size ended above the baseline \(1\.41; batch 16 3\.59, batch 64 3\.94, batch 256 3\.71\): none predicts better than knowing nothing, so the pick is the least bad of failures\. On the way, batch 16 was at 1\.15, batch 64 was at 1\.16: they learned, then got worse/);
  // One candidate below it (or within 5% above it): nothing to say; no baseline: nothing to judge by.
  assert.equal(allAboveBaseline([{ label: 'wd 0', final: 7.33 }, { label: 'wd 1e-3', final: 0.6 }], 0.692, 'run'), null);
  assert.equal(allAboveBaseline([{ label: 'wd 0', final: 0.72 }], 0.692, 'run'), null);
  assert.equal(allAboveBaseline([{ label: 'wd 0', final: 7.33 }], null, 'run'), null);
  assert.match(allAboveBaseline([{ label: 'momentum 0.9', final: 7.33 }, { label: 'momentum 0.95', final: null }], 0.692, 'run') ?? '', /^Every run ended above the baseline \(0\.692; momentum 0\.9 7\.33\)/);
});

test('a study where some runs ended above the baseline names them as broken down; near-zero losses apart by less than a material change tie, and the cyclical run keeps its tie', () => {
  // A user's momentum study (CNN, ln 2): 0.99 stuck at 8.22; the rest at ~0, all at 100% accuracy.
  const runs = [
    { label: 'momentum 0.99', earlyValLoss: 8.22, diverged: false, momentum: 0.99 },
    { label: 'momentum 0.95', earlyValLoss: 1.96e-7, diverged: false, momentum: 0.95 },
    { label: 'momentum 0.9', earlyValLoss: 1.63e-4, diverged: false, momentum: 0.9 },
    { label: 'cyclical 0.95→0.85', earlyValLoss: 4.91e-5, diverged: false, cyclical: true, momentum: null },
  ];
  const pick = bestShortRun(runs, Math.log(2));
  assert.equal(pick.best, 3, pick.reason);
  assert.match(pick.reason, /^cyclical 0\.95→0\.85: as low as the best constant momentum \(momentum 0\.95, 1\.96e-7\)/);
  assert.match(pick.reason, /as good at this length: momentum 0\.9 \(1\.63e-4\)/);
  // A material difference still ranks (0.1% of ln 2 is 6.9e-4).
  assert.equal(bestShortRun([runs[1]!, { ...runs[3]!, earlyValLoss: 2e-3 }], Math.log(2)).best, 0);
  assert.equal(someAboveBaseline(runs.map((r) => ({ label: r.label, final: r.earlyValLoss })), 0.693), 'momentum 0.99 (8.22) ended above the baseline (0.693): worse than knowing nothing — with its setting it broke down.');
  // The pick is not named (a tie can pick a run just past the band), and the tie text says which band tied them.
  assert.equal(someAboveBaseline([{ label: 'momentum 0.85', final: 0.735 }, { label: 'momentum 0.9', final: 0.72 }], 0.694, 0), null);
  const bands = bestShortRun([runs[1]!, { ...runs[2]!, earlyValLoss: 6e-4 }, runs[3]!], Math.log(2));
  assert.match(bands.reason, /; also within 3% or 6\.93e-4 \(0\.1% of the baseline, an immaterial difference\) of momentum 0\.95, as good at this length: momentum 0\.9 \(6e-4\)\.$/);
  // None above, or all above (allAboveBaseline's case), or no baseline: nothing.
  assert.equal(someAboveBaseline([{ label: 'a', final: 0.2 }, { label: 'b', final: 0.71 }], 0.693), null);
  // Above on validation, far below on training: overfit, not broken down (120 samples, a 512-wide net at a gentle LR).
  assert.equal(
    someAboveBaseline([{ label: 'wd 1e-1', final: 1.21, trained: 0.9 }, { label: 'wd 1e-4', final: 1.65, trained: 0.05 }, { label: 'wd 0', final: 1.66, trained: 2.1 }], 1.4),
    'wd 0 (1.66) ended above the baseline (1.4): worse than knowing nothing — with its setting it broke down. wd 1e-4 (1.65; training 0.05) ended above the baseline (1.4) on validation while far below it on training: it overfit, which more regularization (weight decay, dropout) or fewer steps fixes.',
  );
  assert.equal(someAboveBaseline([{ label: 'a', final: 2 }, { label: 'b', final: 3 }], 0.693), null);
  assert.equal(someAboveBaseline([{ label: 'a', final: 2 }, { label: 'b', final: 0.1 }], null), null);
});

test('the recipe\'s LR after its confirming run: kept where the run held, lowered 3x (both ends) where it broke down at its max LR', () => {
  assert.deepEqual(lrAfterConfirmingRun({ maxLr: 1.28, minLr: 0.128 }, false), { maxLr: 1.28, minLr: 0.128, lowered: false });
  const lowered = lrAfterConfirmingRun({ maxLr: 1.2, minLr: 0.12 }, true);
  assert.equal(LOWER_AFTER_BREAKDOWN, 3);
  assert.ok(lowered.lowered && Math.abs(lowered.maxLr - 0.4) < 1e-12 && Math.abs(lowered.minLr - 0.04) < 1e-12, JSON.stringify(lowered));
});

test('keepAfterLowerRun: after a confirming run that broke down, the same run 3x lower is kept unless the first ended clearly better — by over a point of accuracy (at no more than 1.5x the loss), else by over LOSS_TIE of loss; ties and non-finite ends go lower', () => {
  const broke = (valLoss: number | null, valAccuracy: number | null = null) => ({ maxLr: 0.121, valLoss, valAccuracy, brokeDown: true });
  const held = (valLoss: number | null, valAccuracy: number | null = null) => ({ maxLr: 0.0403, valLoss, valAccuracy, brokeDown: false });
  // A user's noisy Adam regression: a spike mid-run, ended at its lowest; 3x lower 9% worse over 4 seeds.
  const spiky = keepAfterLowerRun(broke(8.98), held(9.44));
  assert.equal(spiky.keep, 'high');
  assert.equal(spiky.reason, 'validation loss 8.98 at 0.121 against 9.44 at 0.0403: 4.9% lower');
  // A CNN at 10x its LR came back down to twice the loss of a run 3x lower.
  const cnn = keepAfterLowerRun(broke(0.8), held(0.4));
  assert.deepEqual(cnn, { keep: 'low', reason: 'validation loss 0.8 at 0.121 against 0.4 at 0.0403: 100.0% higher' });
  // Within the tie band (LOSS_TIE): the lower LR, whose run held.
  assert.equal(LOSS_TIE, 0.03);
  const tie = keepAfterLowerRun(broke(0.98), held(1));
  assert.equal(tie.keep, 'low');
  assert.match(tie.reason, /: within 3%, and the lower LR is the safer one$/);
  assert.equal(keepAfterLowerRun(broke(0.969), held(1)).keep, 'high');
  // Accuracy where both report one: over a point ahead keeps the max LR, at up to 1.5x the loss.
  assert.equal(keepAfterLowerRun(broke(0.4, 0.93), held(0.3, 0.915)).keep, 'high');
  const costly = keepAfterLowerRun(broke(0.5, 0.93), held(0.3, 0.915));
  assert.equal(costly.keep, 'low');
  assert.equal(costly.reason, 'validation accuracy 93.0% at 0.121 against 91.5% at 0.0403, but validation loss 0.5 at 0.121 against 0.3 at 0.0403: over 1.5x, a lead too costly to trust, and the lower LR is the safer one');
  assert.equal(keepAfterLowerRun(broke(0.2, 0.92), held(0.3, 0.91)).keep, 'low', 'exactly a point is no lead');
  assert.equal(keepAfterLowerRun(broke(0.2, 0.9), held(0.3, 0.95)).reason, 'validation accuracy 90.0% at 0.121 against 95.0% at 0.0403: 5.0 points worse');
  assert.match(keepAfterLowerRun(broke(0.2, 0.955), held(0.3, 0.95)).reason, /: within 1 point, and the lower LR is the safer one$/);
  // Non-finite ends: the finite one; neither, the lower.
  assert.equal(keepAfterLowerRun(broke(null), held(0.3)).keep, 'low');
  assert.equal(keepAfterLowerRun(broke(0.3), held(null)).keep, 'high');
  assert.deepEqual(keepAfterLowerRun(broke(null), { ...broke(null), maxLr: 0.0403 }), { keep: 'low', reason: 'neither run ended with a finite validation loss' });
  // A negative loss (cosine proximity): lower is better, the band relative to its size.
  assert.equal(keepAfterLowerRun(broke(-0.88), held(-0.9)).keep, 'low');
  assert.match(keepAfterLowerRun(broke(-0.88), held(-0.9)).reason, /: within 3%, and the lower LR is the safer one$/);
  assert.equal(keepAfterLowerRun(broke(-0.95), held(-0.9)).keep, 'high');
  assert.equal(keepAfterLowerRun(broke(0.1, 0.95), held(-0.2, 0.9)).keep, 'high', 'no loss bound against a non-positive loss');
  // Both broke down: still the better end, and the reason says so.
  assert.match(keepAfterLowerRun(broke(0.5), { ...broke(0.9), maxLr: 0.0403 }).reason, /; both broke down$/);
});

test('splitSeeds: a run whose seeds disagree on whether it learned at all (one near the baseline, one clearly below), and only then', () => {
  const ln2 = Math.log(2);
  // A user's slow-starting LSTM at 0.0889: seed 1 at chance, seed 2 at 3.7e-6.
  const lstm = [{ seed: 1, earlyValLoss: 0.691, diverged: false }, { seed: 2, earlyValLoss: 3.7e-6, diverged: false }];
  assert.deepEqual(splitSeeds(lstm, ln2), { nothing: [{ seed: 1, loss: 0.691 }], learned: [{ seed: 2, loss: 3.7e-6 }] });
  // Both learned, both at chance, one diverged, one seed, no baseline: no split.
  assert.equal(splitSeeds([{ seed: 1, earlyValLoss: 0.4, diverged: false }, { seed: 2, earlyValLoss: 0.05, diverged: false }], ln2), null);
  assert.equal(splitSeeds([{ seed: 1, earlyValLoss: 0.69, diverged: false }, { seed: 2, earlyValLoss: 0.7, diverged: false }], ln2), null);
  assert.equal(splitSeeds([{ seed: 1, earlyValLoss: 0.69, diverged: false }, { seed: 2, earlyValLoss: null, diverged: true }], ln2), null);
  assert.equal(splitSeeds([{ seed: 1, earlyValLoss: 0.69, diverged: false }], ln2), null);
  assert.equal(splitSeeds(undefined, ln2), null);
  assert.equal(splitSeeds(lstm, null), null);
  // "Near" is NEAR_BASELINE_FRACTION: 0.66 is 95.2% of ln 2 (learned nothing), 0.65 is 93.8% (learned).
  assert.notEqual(splitSeeds([{ seed: 1, earlyValLoss: 0.66, diverged: false }, { seed: 2, earlyValLoss: 0.3, diverged: false }], ln2), null);
  assert.equal(splitSeeds([{ seed: 1, earlyValLoss: 0.65, diverged: false }, { seed: 2, earlyValLoss: 0.3, diverged: false }], ln2), null);
  // Seeds on either side of that edge are no split: "learned" is below SPLIT_LEARNED (90%) of the baseline.
  // A user's tabular model: 0.333 and 0.332 against 0.351 (whole runs learned at both seeds).
  assert.equal(SPLIT_LEARNED, 0.9);
  assert.equal(splitSeeds([{ seed: 1, earlyValLoss: 0.332, diverged: false }, { seed: 2, earlyValLoss: 0.3335, diverged: false }], 0.351), null);
  assert.equal(splitSeeds([{ seed: 1, earlyValLoss: 0.66, diverged: false }, { seed: 2, earlyValLoss: 0.63, diverged: false }], ln2), null);
  assert.notEqual(splitSeeds([{ seed: 1, earlyValLoss: 0.66, diverged: false }, { seed: 2, earlyValLoss: 0.62, diverged: false }], ln2), null);
});

test('stepDownFromSplit: a coin-toss pick steps down to the run below where it learned at every seed, asks for one more run below the lowest, and otherwise stands', () => {
  const mean = 2.97;
  const run = (lr: number, ...losses: (number | null)[]): { maxLr: number; earlyValLoss: number | null; diverged: boolean; bySeed: { seed: number; earlyValLoss: number | null; diverged: boolean }[] } => ({
    maxLr: lr,
    earlyValLoss: losses.some((l) => l === null) ? null : losses.reduce<number>((a, l) => a + l!, 0) / losses.length,
    diverged: losses.some((l) => l === null),
    bySeed: losses.map((l, i) => ({ seed: i + 1, earlyValLoss: l, diverged: l === null })),
  });
  // The advice bench's blob-count-reg: the lowest of three splits (0.86 learned, 2.97 the mean's loss): one more run below decides.
  const blob = [run(0.0752, 0.86, 2.97), run(0.226, 2.99, 3.04), run(0.677, 3.0, 2.99)];
  assert.equal(stepDownFromSplit(blob, 0, mean), 'below');
  // A split pick with a run below that learned at both seeds: that run.
  assert.equal(stepDownFromSplit([run(0.0251, 0.73, 0.85), ...blob], 1, mean), 0);
  // The run below split too (a GRU's 0.089 under its 0.267), learned nothing, or diverged at a seed: the pick stands.
  const ln2 = Math.log(2);
  assert.equal(stepDownFromSplit([run(0.0297, 0.599, 0.598), run(0.089, 0.369, 0.598), run(0.267, 0.442, 0.604)], 2, ln2), null);
  assert.equal(stepDownFromSplit([run(0.0297, 0.69, 0.69), run(0.089, 0.3, 0.69)], 1, ln2), null);
  assert.equal(stepDownFromSplit([run(0.0297, 0.3, null), run(0.089, 0.3, 0.69)], 1, ln2), null);
  // Seeds that agree (both learned), one seed, no baseline: no step down.
  assert.equal(stepDownFromSplit([run(0.0251, 0.73, 0.85), run(0.0752, 0.86, 0.9)], 1, mean), null);
  assert.equal(stepDownFromSplit([{ earlyValLoss: 0.86, diverged: false }], 0, mean), null);
  assert.equal(stepDownFromSplit(blob, 0, null), null);
  assert.equal(SPLIT_STEP_DOWN, 3);
});

test('learnedAtEverySeed: every seed finished clearly below the baseline (a run without seeds: itself)', () => {
  const seeds = (...losses: (number | null)[]): { seed: number; earlyValLoss: number | null; diverged: boolean }[] => losses.map((l, i) => ({ seed: i + 1, earlyValLoss: l, diverged: l === null }));
  assert.equal(learnedAtEverySeed({ earlyValLoss: 0.79, diverged: false, bySeed: seeds(0.73, 0.85) }, 2.97), true);
  assert.equal(learnedAtEverySeed({ earlyValLoss: 1.92, diverged: false, bySeed: seeds(0.86, 2.97) }, 2.97), false);
  assert.equal(learnedAtEverySeed({ earlyValLoss: null, diverged: true, bySeed: seeds(0.86, null) }, 2.97), false);
  assert.equal(learnedAtEverySeed({ earlyValLoss: 0.5, diverged: false }, 2.97), true);
  assert.equal(learnedAtEverySeed({ earlyValLoss: 2.9, diverged: false }, 2.97), false);
  // No baseline (a custom loss): every finished seed counts.
  assert.equal(learnedAtEverySeed({ earlyValLoss: 2.9, diverged: false, bySeed: seeds(2.9, 2.9) }, null), true);
});

test('a pick among candidates that all ended above the baseline says it is the least bad of failures, in its own reason', () => {
  assert.equal(leastBadOfFailures('cyclical 0.95→0.85: lowest early validation loss (3.02).', 0.709, 'run'), 'cyclical 0.95→0.85: lowest early validation loss (3.02) — the least bad of runs that all ended above the baseline (0.709): none learned what generalizes; see the warning.');
  assert.match(leastBadOfFailures('batch 25 ends the equal-time budget with the lowest validation loss (2.95)', 0.709, 'size'), /\(2\.95\) — the least bad of sizes that all ended above the baseline \(0\.709\)/);
});

test('underBreakdown: where runs at and around the headline broke down and no later round named an LR, the lowest-ending run below them, clearly under the baseline', () => {
  const run = (maxLr: number, earlyValLoss: number | null, diverged = false) => ({ maxLr, earlyValLoss, diverged });
  // A user's wide MLP on 300 noisy samples (baseline ln 2): 0.144–1.29 broke down, 9x lower barely learned, 3x as long lost it.
  const broke = { outcome: 'broke down' as const, runs: [run(0.144, 1.3), run(0.431, 4.23), run(1.29, 7.47)] };
  const barely = { outcome: 'barely learned' as const, runs: [run(0.016, 0.651), run(0.0479, 0.863), run(0.143, 1.29)] };
  const lost = { outcome: null, runs: [run(0.016, 0.822), run(0.0479, 1.05), run(0.143, 1.39)] };
  assert.equal(underBreakdown([broke, barely, lost], 0.431, Math.LN2)?.maxLr, 0.016);
  // The latest round with a run clearly under the baseline decides (runs of other lengths are not compared).
  const later = { outcome: null, runs: [run(0.016, 0.64), run(0.0479, 0.6), run(0.143, 0.62)] };
  assert.equal(underBreakdown([broke, barely, later], 0.431, Math.LN2)?.maxLr, 0.0479);
  // 0.143 is 0.144 printed again: not "below" what broke down, however low it ended.
  assert.ok(0.143 >= UNDER_BREAKDOWN * 0.144);
  assert.equal(underBreakdown([broke, { outcome: null, runs: [run(0.016, 0.69), run(0.143, 0.2)] }], 0.431, Math.LN2), null);
  // Within the near-baseline band (0.66 of ln 2 = 0.693 is not clearly below), or diverged: none.
  assert.equal(underBreakdown([broke, { outcome: null, runs: [run(0.016, 0.67), run(0.0479, null, true)] }], 0.431, Math.LN2), null);
  // A last round that broke down too: its LRs (0.016 and up) are no candidates, so the 100-step 0.016 is not either.
  const lastBroke = { outcome: 'broke down' as const, runs: [run(0.016, 1.2), run(0.0479, 1.5), run(0.143, 2)] };
  assert.equal(underBreakdown([broke, barely, lastBroke], 0.431, Math.LN2), null);
  // No round broke down, no baseline, or a headline already under where they broke down: none.
  assert.equal(underBreakdown([barely, lost], 0.431, Math.LN2), null);
  assert.equal(underBreakdown([broke, barely, lost], 0.431, null), null);
  assert.equal(underBreakdown([broke, barely, lost], 0.1, Math.LN2), null);
});

test('belowDivergence: where no short run learned, the headline stays under every LR a short run diverged at (a regression read 0.0156; its run there diverged, whole runs went to NaN)', () => {
  const run = (maxLr: number, diverged: boolean): { maxLr: number; diverged: boolean } => ({ maxLr, diverged });
  // The trial: 100 steps at 0.00521 / 0.0156 (diverged at seed 1) / 0.0469 (diverged), then 300 steps.
  const rounds = [run(0.00521, false), run(0.0156, true), run(0.0469, true), run(0.00521, false), run(0.0156, false), run(0.0469, true), run(5.79e-4, false), run(0.00173, false)];
  assert.deepEqual(belowDivergence(0.0156, rounds), { maxLr: 0.00521, divergedAt: 0.0156, ran: true });
  // A headline under every divergence stands; so does one where nothing diverged.
  assert.equal(belowDivergence(0.00521, rounds), null);
  assert.equal(belowDivergence(0.1, [run(0.033, false), run(0.1, false), run(0.3, false)]), null);
  // One LR printed twice (0.0155 against 0.0156) is the same LR: under UNDER_BREAKDOWN of it.
  assert.equal(belowDivergence(0.0155, rounds)?.maxLr, 0.00521);
  // Every run at or below the headline diverged: a third of the lowest.
  const all = belowDivergence(0.3, [run(0.1, true), run(0.3, true), run(0.9, true)]);
  assert.ok(all !== null && Math.abs(all.maxLr - 0.1 / 3) < 1e-12 && !all.ran, JSON.stringify(all));
});

test('endedWorseThanShortRun: the batch-size study is read only where its best size ended within 1.5x of find-lr\'s short run at its pick', () => {
  // A user's 100-class model: its best size ended at 3.8 (at its range test's LR, 0.126–0.147), the short run at 0.0318 at 0.563 after 100 steps.
  assert.equal(endedWorseThanShortRun(3.8, 0.563), true);
  assert.equal(endedWorseThanShortRun(0.8, 0.563), false, 'within 1.5x: longer runs may end a little worse by noise');
  assert.equal(endedWorseThanShortRun(STUDY_BROKE_DOWN * 0.563 + 1e-9, 0.563), true);
  // Nothing to compare: no short run, a size that did not finish, a loss at or below zero.
  assert.equal(endedWorseThanShortRun(3.8, null), false);
  assert.equal(endedWorseThanShortRun(null, 0.563), false);
  assert.equal(endedWorseThanShortRun(-0.2, -0.8), false);
  // A size that ended non-finite is not read here: the study marks such a size itself.
  assert.equal(endedWorseThanShortRun(Number.NaN, 0.563), false);
});
