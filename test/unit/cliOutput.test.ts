/** CLI output snapshots: the human formats of numbers (durations, counts, losses, LRs) in the result tables. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchSizeResult, RecipeResult, SweepResult, TrainResult } from '../../src/protocol/results';
import { renderTrain } from '../../src/engine/cli/trainCommand';
import { renderBatchSize } from '../../src/engine/cli/batchSizeCommand';
import { renderRecipe, trainCommandLine } from '../../src/engine/cli/recipeCommand';
import { momentumOfRuns, renderSweep } from '../../src/engine/cli/sweepCommand';
import { formatError } from '../../src/protocol/errors';
import { columnRanges, sketch } from '../../src/engine/cli/terminal';

const train: TrainResult = {
  kind: 'train', model: '/tmp/models/mpg.cjs', backend: 'wasm', seconds: 125.3, policy: 'smith', schedule: { maxLr: 0.01 },
  history: [
    { epoch: 1, trainLoss: 2.3456, valLoss: 0.05, valAccuracy: 0.5, metrics: {}, valMetrics: {}, lr: 0.00123, momentum: 0.9, seconds: 8.44477500725 },
    { epoch: 2, trainLoss: 0.000001377, valLoss: 0.0123, valAccuracy: 0.9734, metrics: {}, valMetrics: {}, lr: 0.0000950, momentum: 0.85, seconds: 65 },
  ],
  diagnosis: { verdict: null, reason: 'too short' }, savedTo: null, warnings: [], baseline: null,
};
const batch: BatchSizeResult = {
  kind: 'batch-size', model: '/tmp/models/mpg.cjs', backend: 'wasm', seconds: 61.2, budgetSeconds: 60, target: null, best: 0, reason: 'batch 32 wins.', warnings: [], baseline: null,
  runs: [
    { batchSize: 32, status: 'ok', reason: null, maxLr: 0.0123, stepsPerSecond: 41.7, curve: [{ seconds: 12.34, epoch: 3, valLoss: 0.000001377, valAccuracy: 0.97 }], timeToTarget: 8.44477500725, finalValLoss: 0.000001377, finalValAccuracy: 0.97 },
    { batchSize: 64, status: 'ok', reason: null, maxLr: 0.0246, stepsPerSecond: 30, curve: [{ seconds: 12.1, epoch: 5, valLoss: 9.268e-7, valAccuracy: 0.96 }], timeToTarget: null, finalValLoss: 9.268e-7, finalValAccuracy: 0.96 },
    { batchSize: 100000, status: 'skipped', reason: 'larger than the training data (800 samples)', maxLr: null, stepsPerSecond: null, curve: [], timeToTarget: null, finalValLoss: null, finalValAccuracy: null },
  ],
};
const sweep: SweepResult = {
  kind: 'sweep', model: '/tmp/m.js', backend: 'wasm', seconds: 3.21, best: 0, reason: 'r', warnings: [], curves: [
    { label: 'wd 1e-4', minSmoothedLoss: 0.000001377, lrAtMinLoss: 0.01, stableRange: null, divergedAt: null } as never,
  ],
} as never;
const recipe = (model = '/tmp/models/mpg.cjs'): RecipeResult => ({
  kind: 'recipe', model, backend: 'wasm', seconds: 125.3, budgetSeconds: 600, estimatedSeconds: 540, diagnosis: null, warnings: [], failure: null, baseline: null,
  steps: [
    { name: 'range-test', status: 'done', message: 'max LR 0.0123', seconds: 8.44477500725, evidence: null },
    { name: 'momentum', status: 'skipped', message: 'skipped', seconds: 0, evidence: null },
  ],
  recommendation: { lr: { maxLr: 0.0123456, minLr: 0.00123456 }, momentum: { max: 0.95, min: 0.85 }, weightDecay: 0.000316227766, batchSize: 64, epochs: 7, epochsReason: 'validation loss was still improving', schedule: 'smith' },
});

test('train: durations as 8.4 s / 1 min 5 s, counts with plurals, one loss form per column', () => {
  assert.deepEqual(renderTrain(train).split('\n').slice(0, 4), [
    'Training: mpg.cjs — smith, 2 epochs, 2 min 5 s on wasm',
    '  epoch train loss  val loss  val acc        LR momentum      time',
    '      1       2.35      0.05    50.0%   0.00123      0.9     8.4 s',
    '      2    1.38e-6    0.0123    97.3%    9.5e-5     0.85 1 min 5 s',
  ]);
  // A run that stopped before the epochs asked for (diverged, cancelled) says how many of them ran.
  assert.equal(renderTrain(train, { epochs: 5 }).split('\n')[0], 'Training: mpg.cjs — smith, 2 of 5 epochs, 2 min 5 s on wasm');
  assert.equal(renderTrain(train, { epochs: 2 }).split('\n')[0], 'Training: mpg.cjs — smith, 2 epochs, 2 min 5 s on wasm');
  // The compiled momentum is where the cycle starts, not what every step used: the header says the schedule cycles it.
  const optimizer = { name: 'sgd', lr: null, momentum: 0.9, beta2: null, epsilon: null, rho: null, centered: null, initialAccumulatorValue: null, decay: null, sources: { optimizer: 'model.compile', momentum: 'model.compile' } } as never;
  assert.equal(renderTrain({ ...train, optimizer }).split('\n')[1], 'optimizer sgd (model.compile), lr from the schedule, momentum 0.9 (model.compile); the smith schedule cycles momentum between 0.85 and 0.95 instead (the momentum column)');
  // The cycle's bounds as given (the epoch ends do not reach them; 100 steps reach 0.851), and the run's settings after.
  const cycle = { ...train, optimizer, schedule: { maxLr: 0.01, totalSteps: 100, maxMomentum: 0.97, baseMomentum: 0.85 }, settings: { batchSize: 128, epochs: 6, weightDecay: 1e-3, dropout: null, seed: 1 } };
  assert.deepEqual(renderTrain(cycle).split('\n').slice(1, 3), [
    'optimizer sgd (model.compile), lr from the schedule, momentum 0.9 (model.compile); the smith schedule cycles momentum between 0.85 and 0.97 instead (the momentum column)',
    'batch size 128, weight decay 1e-3, seed 1',
  ]);
  assert.equal(renderTrain({ ...cycle, settings: { batchSize: 32, epochs: 2, weightDecay: 0, dropout: 0.3, seed: null } }).split('\n')[2], 'batch size 32, weight decay 0, dropout 0.3, unseeded');
  const held = { ...train, optimizer, history: train.history.map((h) => ({ ...h, momentum: 0.9 })) };
  assert.equal(renderTrain(held).split('\n')[1], 'optimizer sgd (model.compile), lr from the schedule, momentum 0.9 (model.compile)');
  // --max-momentum 0.95 --base-momentum 0.95: the schedule holds another constant, and the header says which ran.
  const other = { ...train, optimizer, schedule: { ...train.schedule, baseMomentum: 0.95, maxMomentum: 0.95 }, history: train.history.map((h) => ({ ...h, momentum: 0.95 })) };
  assert.equal(renderTrain(other).split('\n')[1], 'optimizer sgd (model.compile), lr from the schedule, momentum 0.9 (model.compile); the schedule holds momentum at 0.95 instead (the momentum column)');
  // One epoch of a cycle (0.95 → 0.85 → 0.95) looks constant at its end: the schedule says it cycled, so no "holds".
  const oneEpoch = { ...train, optimizer, schedule: { ...train.schedule, baseMomentum: 0.85, maxMomentum: 0.95 }, history: [{ ...train.history[0]!, momentum: 0.95 }] };
  assert.doesNotMatch(renderTrain(oneEpoch).split('\n')[1]!, /holds/);
  // A constant LR names the flag it was given as: --max-lr or --lr (with --max-lr it printed "lr 0.05" and no source).
  const constant = { ...train, policy: 'constant', history: train.history.map((h) => ({ ...h, momentum: 0.9 })), optimizer: { ...(optimizer as object), lr: 0.05, sources: { optimizer: 'model.compile', momentum: 'model.compile', lr: 'flag' } } } as never;
  assert.equal(renderTrain({ ...(constant as object), schedule: { maxLr: 0.05 } } as never).split('\n')[1], 'optimizer sgd (model.compile), lr 0.05 (--max-lr), momentum 0.9 (model.compile)');
  assert.equal(renderTrain({ ...(constant as object), schedule: { lr: 0.05 } } as never).split('\n')[1], 'optimizer sgd (model.compile), lr 0.05 (--lr), momentum 0.9 (model.compile)');
});

test('batch-size: the budget as a total, "1 min 1 s", no 0.000001377 next to 9.268e-7', () => {
  assert.deepEqual(renderBatchSize(batch).split('\n').slice(0, 5), [
    'Batch size study: mpg.cjs — 3 batch sizes in 1 min 1 s of a 1 min budget on wasm',
    '   batch    max LR  steps/s   trained  epochs  val loss  val acc  to target',
    '*     32    0.0123       42      12 s       3   1.38e-6    97.0%      8.4 s',
    '      64    0.0246       30      12 s       5   9.27e-7    96.0%          —',
    '  100000  skipped: larger than the training data (800 samples)',
  ]);
});

test('sweep: "1 range test", not "1 range tests"', () => {
  assert.match(renderSweep(sweep), /^Regularization sweep: m\.js — 1 range test, 3\.2 s on wasm$/m);
});

test('sweep: curves at momenta of their own name them on the optimizer line, not the compiled one that did not run', () => {
  const report = { name: 'sgd', lr: null, momentum: 0.9, beta2: null, epsilon: null, rho: null, centered: null, initialAccumulatorValue: null, decay: null, sources: { optimizer: 'model.compile', momentum: 'model.compile' } } as never;
  const curve = (momentum: number): never => ({ label: `momentum ${momentum}`, momentum, minSmoothedLoss: 0.3, lrAtMinLoss: 0.1, stableRange: null, divergedAt: null, recommended: null, noHeadline: 'n' }) as never;
  const text = renderSweep({ ...sweep, optimizer: report, curves: [curve(0.8), curve(0.95)] });
  assert.equal(text.split('\n')[1], 'optimizer sgd (model.compile), lr from the schedule, momentum per curve (0.8, 0.95)');
  // Curves at the compiled momentum: its value and source, as before.
  assert.equal(renderSweep({ ...sweep, optimizer: report, curves: [{ ...(curve(0.8) as object), momentum: null } as never] }).split('\n')[1], 'optimizer sgd (model.compile), lr from the schedule, momentum 0.9 (model.compile)');
});

test('short-run studies: the optimizer line names the momentum the runs used', () => {
  const rec = (momentum: number): never => ({ step: 0, lr: 0.1, momentum, trainLoss: 1, valLoss: 1, valAccuracy: null, seconds: 1 }) as never;
  const wd = (momenta: number[]): never => ({ kind: 'weight-decay', optimizer: { momentum: 0.9 }, runs: [{ records: momenta.map(rec) }] }) as never;
  assert.equal(momentumOfRuns(wd([0.95, 0.88, 0.86])), "cycled 0.95 → 0.85 (1cycle's)");
  assert.equal(momentumOfRuns(wd([0.9, 0.9])), undefined, 'the compiled one: its value and source, as the line says');
  assert.equal(momentumOfRuns(wd([0.8, 0.8])), "0.8 (the runs' own)");
  assert.equal(momentumOfRuns({ kind: 'momentum', runs: [] } as never), 'per run (the labels below)');
});

test('sweep: a curve without a max LR ("—") says why, one line per reason with its curves', () => {
  const none = (label: string, noHeadline: string): never => ({ label, minSmoothedLoss: 0.62, lrAtMinLoss: 0.1, stableRange: null, divergedAt: null, recommended: null, noHeadline }) as never;
  const text = renderSweep({ ...sweep, curves: [
    { label: 'wd 0', minSmoothedLoss: 0.3, lrAtMinLoss: 0.1, stableRange: null, divergedAt: null, recommended: { maxLr: 0.1, minLr: 0.01, reason: 'r' }, noHeadline: null } as never,
    none('dropout 0.3', 'nothing learned yet: the loss never got clearly below the chance level 0.693'),
    none('dropout 0.5', 'nothing learned yet: the loss never got clearly below the chance level 0.693'),
  ] });
  assert.match(text, /\n {2}no max LR for dropout 0\.3; dropout 0\.5: nothing learned yet: the loss never got clearly below the chance level 0\.693\n/);
  assert.doesNotMatch(text, /no max LR for wd 0/);
});

test('recipe: step times formatted, and the train command last, alone on its line, numbers formatted', () => {
  const text = renderRecipe(recipe(), { model: 'models/mpg.cjs', flags: ['--backend cpu'] });
  const lines = text.split('\n');
  assert.equal(lines[0], 'Recipe: mpg.cjs — 2 min 5 s of a 10 min budget (plan: 9 min) on wasm');
  assert.equal(lines[1], '  range-test    done          8.4 s  max LR 0.0123');
  assert.match(text, /^ {2}weight decay {2}3\.2e-4$/m);
  // The momentum step was skipped: its value is the default the step line names, not a finding.
  assert.match(text, /^ {2}momentum {6}0\.95 → 0\.85 \(cyclical\) \(not studied: its step was skipped\)$/m);
  // A study that ran and whose ranking said nothing (every batch size broke down) is not "skipped" in the line.
  const ran = recipe();
  const discarded = renderRecipe({ ...ran, steps: [...ran.steps, { name: 'batch-size', status: 'skipped', message: 'every size ended worse than …', seconds: 29, evidence: {} as never }] }, { model: 'models/mpg.cjs', flags: [] });
  // Named by the step's number as its progress line says it (2), not its row (3: a retried range test adds a row).
  assert.match(discarded, /^ {2}batch size {4}64 \(not chosen by its study: it ran, but its ranking said nothing; step 2 says why\)$/m);
  // A weight-decay study that ran whole and chose none (its short runs learned nothing): the value is not a
  // finding either (a user's recipe printed "weight decay  0" bare beside that step).
  const none = renderRecipe({ ...ran, recommendation: { ...ran.recommendation!, weightDecay: 0 }, steps: [...ran.steps, { name: 'weight-decay', status: 'done', message: 'no short run got clearly below …', seconds: 2, evidence: { kind: 'weight-decay', best: null } as never }] }, { model: 'models/mpg.cjs', flags: [] });
  assert.match(none, /^ {2}weight decay {2}0 \(not chosen by its study: it ran, but its ranking said nothing; step 4 says why\)$/m);
  assert.match(text, /^ {2}weight decay {2}3\.2e-4$/m, 'a study without a row, or with a pick, adds nothing');
  assert.equal(lines.at(-1), 'lrlab train models/mpg.cjs --backend cpu --policy smith --max-lr 0.0123 --min-lr 0.00123 --weight-decay 3.2e-4 --batch-size 64 --epochs 7');
});

test('recipe: a path with a space is quoted for the shell; without the typed path, the absolute one', () => {
  assert.match(trainCommandLine(recipe(), { model: 'my models/mpg.cjs', flags: [] }) ?? '', /^lrlab train 'my models\/mpg\.cjs' --policy/);
  assert.match(trainCommandLine(recipe('/abs/m.js')) ?? '', /^lrlab train \/abs\/m\.js --policy/);
});

test('train: a regression shows its own metrics by name (mae, val mae) and no empty accuracy column', () => {
  const regression: TrainResult = {
    ...train,
    history: train.history.map((h) => ({ ...h, valAccuracy: null, metrics: { mae: 2.5 }, valMetrics: { mae: 0.000012345 } })),
  };
  assert.deepEqual(renderTrain(regression).split('\n').slice(1, 3), [
    '  epoch train loss  val loss      mae  val mae        LR momentum      time',
    '      1       2.35      0.05      2.5  1.23e-5   0.00123      0.9     8.4 s',
  ]);
});

test('train text: a model with batch normalization gets one line saying its statistics were re-estimated; one without gets none', () => {
  assert.doesNotMatch(renderTrain(train), /batch normalization/);
  const text = renderTrain({ ...train, normStats: { layers: 2, samples: 1024 } });
  assert.match(text, /\n {2}batch normalization: the moving mean and variance of 2 layers re-estimated from 1,?024 training samples before each validation \(their moving averages lag the weights\)\n/);
});

test('one error line: the message ends its sentence before the fix, also after a closing parenthesis', () => {
  const data = (message: string, fix: string | null): Parameters<typeof formatError>[0] => ({ code: 'data', message, fix, file: '/w/model.ts', line: 12, option: null });
  assert.equal(formatError(data("createModel() threw: Cannot read properties of undefined (reading 'model')", 'Fix createModel in the model file.')), "/w/model.ts:12: createModel() threw: Cannot read properties of undefined (reading 'model'). Fix createModel in the model file.");
  assert.equal(formatError(data('The split is empty (see the README.)', 'Give data.')), '/w/model.ts:12: The split is empty (see the README.) Give data.');
  assert.equal(formatError(data('No fix known (yet)', null)), '/w/model.ts:12: No fix known (yet)');
  assert.equal(formatError(data('Bad label:', 'Fix it.')), '/w/model.ts:12: Bad label: Fix it.');
  // Text from files and user code: terminal escapes (a CSV cell that cleared the screen when echoed) shown, not sent; one line; a 100 KB message cut.
  assert.equal(formatError(data("Row 6 is '\u001b[2J\u001b[31mHACKED\u001b[0m\u0000', not a number", 'Fix\nit.')), "/w/model.ts:12: Row 6 is '\\x1b[2J\\x1b[31mHACKED\\x1b[0m\\x00', not a number. Fix it.");
  assert.equal(formatError({ ...data('x', null), file: '/w/\u001b]0;title\u0007.ts' }), '/w/\\x1b]0;title\\x07.ts:12: x');
  const long = formatError(data('y'.repeat(100_000), null));
  assert.equal(long, `/w/model.ts:12: ${'y'.repeat(2000)}… (98,000 more characters)`);
});

test('sketch: a flat series is labelled with its value (asciichart labelled a constant LR of 0.1 "0"); a varying one keeps its range', () => {
  const flat = sketch([0.1, 0.1, 0.1, 0.1]);
  assert.equal(flat, '      0.1 ┼─── ');
  const rising = sketch([0.01, 0.1, 1]);
  assert.match(rising, /^ +1 ┼/);
  assert.match(rising, / +0\.01 ┼/);
});

test('sketch of more values than columns: a column spans every value it stands for, so fast cycles are drawn as the band they fill, not as an alias; a smooth series as one line', () => {
  // 1,000 steps of a triangular cycle 14 steps long, between 0.25 and 1: every 60th value drew 12 cycles of uneven height.
  const triangle = Array.from({ length: 1000 }, (_, i) => 0.25 + 0.75 * (1 - Math.abs(((i % 14) - 7) / 7)));
  const { low, high } = columnRanges(triangle, 60);
  assert.equal(low.length, 60);
  assert.ok(low.every((v) => Math.abs(v - 0.25) < 1e-12) && high.every((v) => Math.abs(v - 1) < 1e-12), `${Math.max(...low)} ${Math.min(...high)}`);
  const drawn = sketch(triangle).split('\n');
  // The top and bottom rows are each one edge of the band, across the whole width.
  assert.match(drawn[0]!, /^ +1 ┼─{59} ?$/);
  assert.match(drawn.at(-1)!, /^ +0\.25 ┼─{59} ?$/);
  // A smooth 1cycle-like ramp over 1,000 steps: one line, as before (no band of width zero drawn twice).
  const ramp = Array.from({ length: 1000 }, (_, i) => 0.1 + 0.9 * Math.sin((Math.PI * i) / 999));
  assert.equal(sketch(ramp), sketch(Array.from({ length: 60 }, (_, i) => ramp[Math.round((i * 999) / 59)]!)));
});
