/**
 * The optimizer of the user's `model.compile` is read off real tfjs models (every tfjs optimizer,
 * instances and strings) and used by every experiment unless a flag or an explicitly set setting
 * overrides; the result says what ran and where each value came from. An optimizer LR Lab cannot
 * drive is refused, never swapped.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveCompiledOptimizer } from '../../src/engine/compiledOptimizer';
import { chooseOptimizer } from '../../src/engine/optimizerChoice';
import { aboveNote, findLr, headlineToWeigh } from '../../src/engine/experiments/findLr';
import { train } from '../../src/engine/experiments/train';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { loadTf } from '../../src/engine/tfjs';
import type { Tf } from '../../src/engine/tfjs';
import { LrLabError, OptionError } from '../../src/protocol/errors';
import type { FindLrResult, TrainResult } from '../../src/protocol/results';

const root = path.join(__dirname, '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-compiled-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let tf: Tf;
before(async () => {
  ({ tf } = await loadTf({ backend: 'wasm' }));
});

type Model = ReturnType<Tf['sequential']>;
function compiled(optimizer: Parameters<Model['compile']>[0]['optimizer']): Model {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  return model;
}
const NONE = { rho: null, centered: null, initialAccumulatorValue: null, decay: null, beta2: null, epsilon: null };

test('reads every tfjs optimizer off a compiled model: kind, LR, momentum/beta1, beta2, epsilon, Nesterov and the rest', () => {
  const uncompiled = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  assert.equal(resolveCompiledOptimizer(uncompiled), null);
  const cases: [Parameters<Model['compile']>[0]['optimizer'], object][] = [
    [tf.train.sgd(0.1), { ...NONE, name: 'sgd', className: 'SGD', learningRate: 0.1, momentum: 0 }],
    ['sgd', { ...NONE, name: 'sgd', className: 'SGD', learningRate: 0.01, momentum: 0 }],
    [tf.train.momentum(0.05, 0.9), { ...NONE, name: 'sgd', className: 'Momentum', learningRate: 0.05, momentum: 0.9 }],
    [tf.train.momentum(0.05, 0.8, true), { ...NONE, name: 'nesterov', className: 'Momentum', learningRate: 0.05, momentum: 0.8 }],
    [tf.train.adam(0.002, 0.8, 0.99, 1e-6), { ...NONE, name: 'adam', className: 'Adam', learningRate: 0.002, momentum: 0.8, beta2: 0.99, epsilon: 1e-6 }],
    ['adam', { ...NONE, name: 'adam', className: 'Adam', learningRate: 0.001, momentum: 0.9, beta2: 0.999, epsilon: 1e-7 }],
    [tf.train.adamax(0.002, 0.85, 0.99, undefined, 0.01), { ...NONE, name: 'adamax', className: 'Adamax', learningRate: 0.002, momentum: 0.85, beta2: 0.99, epsilon: 1e-7, decay: 0.01 }],
    [tf.train.rmsprop(0.01, 0.8, 0.5, 1e-6, true), { ...NONE, name: 'rmsprop', className: 'RMSProp', learningRate: 0.01, momentum: 0.5, rho: 0.8, epsilon: 1e-6, centered: true }],
    ['rmsprop', { ...NONE, name: 'rmsprop', className: 'RMSProp', learningRate: 0.001, momentum: 0, rho: 0.9, epsilon: 1e-7, centered: false }],
    [tf.train.adagrad(0.1, 0.2), { ...NONE, name: 'adagrad', className: 'Adagrad', learningRate: 0.1, momentum: null, initialAccumulatorValue: 0.2 }],
    [tf.train.adadelta(1, 0.9), { ...NONE, name: 'adadelta', className: 'Adadelta', learningRate: 1, momentum: null, rho: 0.9, epsilon: 1e-7 }],
  ];
  for (const [optimizer, want] of cases) {
    const model = compiled(optimizer);
    assert.deepEqual(resolveCompiledOptimizer(model), want, typeof optimizer === 'string' ? optimizer : optimizer.getClassName());
    model.dispose();
  }
});

test('choosing: a flag or a set setting wins, else model.compile, else the default; compiled values stay within their family', () => {
  const file = '/w/model.ts';
  const sgd = resolveCompiledOptimizer(compiled(tf.train.sgd(0.1)));
  const plain = chooseOptimizer({}, sgd, file);
  assert.equal(plain.report.name, 'sgd');
  assert.equal(plain.report.momentum, 0);
  assert.deepEqual(plain.report.sources, { optimizer: 'model.compile', momentum: 'model.compile' });
  assert.equal(plain.cyclesMomentum, false, 'plain SGD: no momentum to cycle');

  const flagged = chooseOptimizer({ momentum: 0.9 }, sgd, file);
  assert.equal(flagged.report.momentum, 0.9);
  assert.equal(flagged.report.sources.momentum, 'flag');
  const set = chooseOptimizer({ momentum: 0.8, sources: { momentum: 'setting' } }, sgd, file);
  assert.equal(set.report.sources.momentum, 'setting');

  const adamOverSgd = chooseOptimizer({ optimizer: 'adam' }, sgd, file);
  assert.deepEqual([adamOverSgd.report.momentum, adamOverSgd.report.beta2, adamOverSgd.report.epsilon], [0.9, 0.999, 1e-8], "SGD's momentum 0 is not Adam's beta1");
  assert.deepEqual(adamOverSgd.report.sources, { optimizer: 'flag', momentum: 'default', beta2: 'default', epsilon: 'default' });

  const adam = resolveCompiledOptimizer(compiled(tf.train.adam(0.002, 0.8, 0.99, 1e-6)));
  const adamw = chooseOptimizer({ optimizer: 'adamw', sources: { optimizer: 'setting' } }, adam, file);
  assert.deepEqual([adamw.report.name, adamw.report.momentum, adamw.report.beta2, adamw.report.epsilon], ['adamw', 0.8, 0.99, 1e-6], 'AdamW keeps the compiled Adam values');
  assert.equal(adamw.report.sources.optimizer, 'setting');
  assert.equal(adamw.report.sources.beta2, 'model.compile');

  const none = chooseOptimizer({}, null, file);
  assert.deepEqual([none.report.name, none.report.momentum, none.cyclesMomentum], ['sgd', 0.9, true]);
  assert.deepEqual(none.report.sources, { optimizer: 'default', momentum: 'default' });

  const rmsprop = chooseOptimizer({}, resolveCompiledOptimizer(compiled('rmsprop')), file);
  assert.deepEqual(rmsprop.params, { name: 'rmsprop', momentum: 0, epsilon: 1e-7, rho: 0.9, centered: false });
  assert.equal(rmsprop.cyclesMomentum, false);

  const adagrad = resolveCompiledOptimizer(compiled(tf.train.adagrad(0.1)));
  assert.throws(() => chooseOptimizer({ momentum: 0.9 }, adagrad, file), (e: unknown) => e instanceof OptionError && /--momentum does not apply to adagrad: it has no momentum/.test(e.message));
  const ignored = chooseOptimizer({ momentum: 0.9, sources: { momentum: 'setting' } }, adagrad, file);
  assert.equal(ignored.report.momentum, null);
  assert.match(ignored.warnings.join('\n'), /lrlab\.momentum \(0\.9\) is not used: adagrad has no momentum/);
});

test('an optimizer LR Lab cannot drive is refused with the file and the fix, unless one is chosen', () => {
  class Lion extends tf.Optimizer {
    static get className(): string {
      return 'Lion';
    }
    applyGradients(): void {}
    getConfig(): Record<string, never> {
      return {};
    }
  }
  const custom = resolveCompiledOptimizer(compiled(new Lion()));
  assert.deepEqual(custom, { name: null, className: 'Lion' });
  assert.throws(() => chooseOptimizer({}, custom, '/w/model.ts'), (e: unknown) => e instanceof LrLabError && e.file === '/w/model.ts' && /model\.ts compiles a Lion optimizer, which LR Lab cannot drive/.test(e.message) && /--optimizer/.test(e.fix ?? ''));
  assert.equal(chooseOptimizer({ optimizer: 'adam' }, custom, '/w/model.ts').report.name, 'adam');
});

test('a compiled value out of its range is the model\'s fault, named with its file, not a flag the user never gave (a model.json\'s momentum -0.5 read "--momentum must be in [0, 1)", exit 2)', () => {
  const negative = resolveCompiledOptimizer(compiled(tf.train.momentum(0.01, -0.5)));
  assert.throws(() => chooseOptimizer({}, negative, '/w/model.json'), (e: unknown) => {
    assert.ok(e instanceof LrLabError && !(e instanceof OptionError), String(e));
    assert.equal(e.code, 'model-build');
    assert.equal(e.file, '/w/model.json');
    assert.equal(e.message, 'model.json compiles its optimizer with momentum -0.5 (its trainingConfig.optimizer_config), which must be in [0, 1).');
    assert.match(e.fix ?? '', /give --momentum to run with another/);
    return true;
  });
  const adam = resolveCompiledOptimizer(compiled(tf.train.adam(0.01, 1.5)));
  assert.throws(() => chooseOptimizer({}, adam, '/w/model.ts', 'option'), (e: unknown) => e instanceof LrLabError && e.message === 'model.ts compiles its optimizer with beta1 1.5, which must be in [0, 1).' && /pass the momentum option/.test(e.fix ?? ''));
  // A value given for the run replaces it: nothing to refuse.
  assert.equal(chooseOptimizer({ momentum: 0.9 }, negative, '/w/model.json').params.momentum, 0.9);
});

/** A tiny 3-class model file compiled with `optimizer` (a JS expression). */
function modelFile(name: string, optimizer: string): string {
  const file = path.join(dir, `${name}.js`);
  writeFileSync(file, `const tf = require('@tensorflow/tfjs');
function blobs(n) {
  let s = 7;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const xs = [], ys = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push([Math.cos((2 * Math.PI * c) / 3) * 2 + (u() - 0.5) * 2, Math.sin((2 * Math.PI * c) / 3) * 2 + (u() - 0.5) * 2]);
    ys.push([0, 1, 2].map((k) => (k === c ? 1 : 0)));
  }
  return { xs, ys };
}
exports.createModel = () => {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 16, activation: 'relu', inputShape: [2] }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: ${optimizer}, loss: 'categoricalCrossentropy' });
  return model;
};
exports.loadData = async () => ({ train: blobs(300) });
`);
  return file;
}

const ctx = (): { reporter: Reporter; signal: AbortSignal } => ({ reporter: new Reporter('test', silentSink, 0), signal: new AbortController().signal });

test('a model compiled with plain tf.train.sgd is range-tested with momentum 0, and its 1cycle does not cycle momentum (and says so)', async () => {
  const file = modelFile('plainSgd', 'tf.train.sgd(0.1)');
  const found = await findLr({ kind: 'find-lr', model: file, steps: 20, batchSize: 32, seed: 1 }, ctx());
  assert.equal(found.settings.optimizer, 'sgd');
  assert.equal(found.settings.momentum, 0);
  assert.equal(found.settings.sources?.momentum, 'model.compile');
  assert.equal(found.settings.sources?.startLr, 'default');
  assert.equal(found.settings.sources?.batchSize, 'flag');
  assert.deepEqual(found.optimizer?.sources, { optimizer: 'model.compile', momentum: 'model.compile' });

  const trained = await train({ kind: 'train', model: file, epochs: 2, batchSize: 32, seed: 1, schedule: { maxLr: 0.5 } }, ctx());
  assert.equal(trained.schedule.cycleMomentum, false);
  assert.ok(trained.history.every((h) => h.momentum === null || h.momentum === 0), JSON.stringify(trained.history.map((h) => h.momentum)));
  assert.match(trained.warnings.join('\n'), /Momentum is not cycled: the run's momentum is 0 \(model\.compile\), so there is none to cycle/);
  // The flags with the LR found again at that momentum: a user's 99.4% MLP fell to chance on the flags alone at its headline.
  assert.match(trained.warnings.join('\n'), /Give --max-momentum and --base-momentum to train with cyclical momentum, with a max LR found at that momentum \(lrlab find-lr --momentum 0\.9\): momentum 0\.9 takes steps about 10x larger at the same LR, so this run's max LR would be too high\./);

  const flagged = await train({ kind: 'train', model: file, epochs: 1, batchSize: 32, seed: 1, momentum: 0.9, schedule: { maxLr: 0.5 } }, ctx());
  assert.notEqual(flagged.schedule.cycleMomentum, false, 'a momentum given by flag cycles again');
  assert.equal(flagged.optimizer?.sources.momentum, 'flag');
});

test('an Adagrad model has no momentum to cycle: its 1cycle says so without offering momentum flags, and momentum flags asking for a cycle are refused, naming the flag', async () => {
  const file = modelFile('adagradCycle', 'tf.train.adagrad(0.1)');
  const trained = await train({ kind: 'train', model: file, epochs: 1, batchSize: 32, seed: 1, schedule: { maxLr: 0.1 } }, ctx());
  const note = trained.warnings.find((w) => w.startsWith('Momentum is not cycled'));
  assert.equal(note, 'Momentum is not cycled: adagrad has no momentum to cycle. Give --optimizer sgd, nesterov or adam to train with cyclical momentum, with a max LR found for that optimizer (lrlab find-lr --optimizer adam): an LR found with one optimizer is in the wrong decade for another.');
  assert.ok(trained.history.every((h) => h.momentum === null), JSON.stringify(trained.history.map((h) => h.momentum)));
  // A user's Adagrad run with --max-momentum 0.95 --base-momentum 0.85 trained to the same bits as without, its momentum column cycling.
  for (const [schedule, option] of [[{ maxLr: 0.1, maxMomentum: 0.95, baseMomentum: 0.85 }, 'maxMomentum'], [{ maxLr: 0.1, baseMomentum: 0.85 }, 'baseMomentum'], [{ maxLr: 0.1, cycleMomentum: true }, 'cycleMomentum']] as const) {
    await assert.rejects(train({ kind: 'train', model: file, epochs: 1, batchSize: 32, seed: 1, schedule }, ctx()), (e: unknown) => e instanceof OptionError && e.option === option && e.message === `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} does not apply to adagrad: it has no momentum to cycle.` && /--optimizer sgd, nesterov, adam or rmsprop/.test(e.fix ?? ''), JSON.stringify(schedule));
  }
  // Turning the cycle off is no request for one.
  const off = await train({ kind: 'train', model: file, epochs: 1, batchSize: 32, seed: 1, schedule: { maxLr: 0.1, cycleMomentum: false } }, ctx());
  assert.ok(off.history.every((h) => h.momentum === null));
});

test('RMSprop, Adagrad and Adam models are range-tested with their own optimizer and values; a constant LR defaults to the compiled one', async () => {
  const rms = await findLr({ kind: 'find-lr', model: modelFile('rms', 'tf.train.rmsprop(0.01, 0.8, 0.5)'), steps: 20, batchSize: 32, seed: 1 }, ctx());
  assert.deepEqual([rms.optimizer?.name, rms.optimizer?.rho, rms.settings.momentum], ['rmsprop', 0.8, 0.5]);
  assert.ok(rms.points.some((p) => p.loss !== null));
  const adagrad = await findLr({ kind: 'find-lr', model: modelFile('adagrad', 'tf.train.adagrad(0.1)'), steps: 20, batchSize: 32, seed: 1 }, ctx());
  assert.deepEqual([adagrad.optimizer?.name, adagrad.optimizer?.momentum, adagrad.optimizer?.initialAccumulatorValue], ['adagrad', null, 0.1]);
  const adam: TrainResult = await train({ kind: 'train', model: modelFile('adam', "'adam'"), epochs: 1, batchSize: 32, seed: 1, policy: 'constant' }, ctx());
  assert.deepEqual([adam.optimizer?.name, adam.optimizer?.lr, adam.optimizer?.sources.lr], ['adam', 0.001, 'model.compile']);
  assert.equal(adam.history[0]?.lr, 0.001);
  // A constant policy reports the momentum its updates used (Adam's beta1 0.9 from compile; it read null, "—").
  assert.equal(adam.history[0]?.momentum, 0.9);
  const adagradRun: TrainResult = await train({ kind: 'train', model: modelFile('adagrad', 'tf.train.adagrad(0.1)'), epochs: 1, batchSize: 32, seed: 1, policy: 'constant' }, ctx());
  assert.equal(adagradRun.history[0]?.momentum, null, 'Adagrad has no momentum');
});

test('a compiled LR far from the headline is named in a warning (far below it, or above it); one near it, or an optimizer not the compiled one, says nothing', async () => {
  const noted = (r: FindLrResult): string | undefined => r.warnings.find((w) => / compiles \w+( \(momentum [\d.]+\))? with LR /.test(w));
  const slow = await findLr({ kind: 'find-lr', model: modelFile('slowAdam', 'tf.train.adam(1e-5)'), steps: 40, batchSize: 32, seed: 1, rangeTests: 1, lrTrials: 0 }, ctx());
  assert.ok(slow.recommended !== null && slow.recommended.maxLr > 30 * 1e-5, JSON.stringify(slow.recommended));
  assert.equal(slow.recommended?.maxLr, Number(slow.recommended?.maxLr.toPrecision(3)), 'the headline as printed, without short runs too');
  assert.match(noted(slow) ?? '', new RegExp(`^slowAdam\\.js compiles adam with LR 1e-5, [\\d,.]+x below the recommended max LR ${String(slow.recommended?.maxLr).replace('.', '\\.')}: trained as compiled, it runs at that LR, which the range test puts far below where this model learns fastest\\. Train with 1cycle at the recommended LR rather than the compiled one, or compile with a higher LR\\.$`));
  // A headline no short run confirmed (every one broke down: none picked) is nothing to weigh the compiled LR
  // against: a user's "2.3 … not confirmed" beside "even 0.0851 is too high" read "compiles adamax with LR
  // 0.002, 1,150x below … train at the recommended LR rather than the compiled one".
  assert.equal(headlineToWeigh(slow), true);
  assert.equal(headlineToWeigh({ ...slow, trials: { picked: 2 } as NonNullable<FindLrResult['trials']> }), true);
  assert.equal(headlineToWeigh({ ...slow, trials: { picked: null } as unknown as NonNullable<FindLrResult['trials']> }), false);
  assert.equal(headlineToWeigh({ ...slow, recommended: { ...slow.recommended, learned: false } }), false);
  assert.equal(headlineToWeigh({ ...slow, recommended: { ...slow.recommended, cut: true } }), false);
  // Outputs that start far from the labels (prices near 3e5, not standardized): the headline moves them there as
  // much as it trains, so the compiled LR is not weighed against it (it read "592x below … compile with a higher LR").
  const prices = path.join(dir, 'prices.js');
  writeFileSync(prices, `const tf = require('@tensorflow/tfjs');
exports.createModel = () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }), tf.layers.dense({ units: 1 })] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  return model;
};
exports.loadData = () => {
  const xs = Array.from({ length: 1000 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
  return { train: { xs, ys: xs.map(([a, b]) => [3.5e5 + 8e4 * a - 3e4 * b]) } };
};
`);
  // With its short runs (they learn: the headline is weighed where one picked it).
  const offset = await findLr({ kind: 'find-lr', model: prices, seed: 1, rangeTests: 1 }, ctx());
  assert.ok(offset.warnings.some((w) => w.startsWith("The freshly built model's outputs start far from the labels")), offset.warnings.join('\n'));
  assert.ok(offset.recommended !== null && offset.recommended.maxLr > 30 * 0.01 && headlineToWeigh(offset), JSON.stringify(offset.recommended));
  assert.equal(noted(offset), undefined, offset.warnings.join('\n'));
  const hot = await findLr({ kind: 'find-lr', model: modelFile('hotSgd', 'tf.train.sgd(50)'), steps: 40, batchSize: 32, seed: 1, rangeTests: 1, lrTrials: 0 }, ctx());
  assert.ok(hot.recommended !== null && hot.recommended.maxLr < 50 / 3, JSON.stringify(hot.recommended));
  // --lr-trials 0: only the range tests found it (it read "the range tests and short runs").
  assert.match(noted(hot) ?? '', /^hotSgd\.js compiles sgd with LR 50, [\d,.]+x above the recommended max LR [\d.e-]+: trained as compiled, it runs at that LR, past what the range tests found to train best, where it may not settle/);
  // tf.train.momentum is named with its momentum: it read "compiles sgd with LR …", a plain SGD the user never wrote.
  const hotMomentum = await findLr({ kind: 'find-lr', model: modelFile('hotMomentum', 'tf.train.momentum(50, 0.9)'), steps: 40, batchSize: 32, seed: 1, rangeTests: 1, lrTrials: 0 }, ctx());
  assert.match(noted(hotMomentum) ?? '', /^hotMomentum\.js compiles sgd \(momentum 0\.9\) with LR 50, [\d,.]+x above the recommended max LR /, hotMomentum.warnings.join('\n'));
  // Above the headline but not above the range tests' own (the short runs brought the headline down): no
  // "past where the range test did best" — a user's Adam at 1e-3 beat that headline, 3.2e-4, at three seeds.
  const lowered = aboveNote('m.js compiles adam with LR 0.001, 3.1x above the recommended max LR 3.2e-4', 1e-3, 3.2e-4, 1.2e-3, 'flag');
  assert.equal(lowered, 'm.js compiles adam with LR 0.001, 3.1x above the recommended max LR 3.2e-4, which short 1cycle runs chose over higher LRs (the range tests alone read 0.0012): trained as compiled, it runs at an LR those runs ranked lower, though within what the range tests tolerate. Compare where the two end (lrlab train --max-lr 3.2e-4, then 0.001) before choosing.');
  assert.match(aboveNote('m.js compiles adam with LR 0.01, 31x above the recommended max LR 3.2e-4', 1e-2, 3.2e-4, 1.2e-3, 'flag'), /past what the range tests and short runs found to train best/);
  // Without short runs (--lr-trials 0), only the range tests found it (a user trial read "and short runs").
  assert.match(aboveNote('m.js compiles adadelta with LR 1, 31x above the recommended max LR 0.032', 1, 0.032, null, 'flag', false), /past what the range tests found to train best/);
  assert.match(aboveNote('x', 1e-3, 3.2e-4, 1.2e-3, 'option'), /model\.fit with oneCycle\(\{ maxLr \}\) at 3\.2e-4, then 0\.001/);
  // Another optimizer by flag: the compiled LR belongs to an optimizer that did not run.
  const other = await findLr({ kind: 'find-lr', model: modelFile('slowAdam', 'tf.train.adam(1e-5)'), steps: 40, batchSize: 32, seed: 1, rangeTests: 1, lrTrials: 0, optimizer: 'sgd' }, ctx());
  assert.equal(noted(other), undefined, other.warnings.join('\n'));
  const near = await findLr({ kind: 'find-lr', model: modelFile('nearSgd', `tf.train.sgd(${slow.recommended?.maxLr})`), steps: 40, batchSize: 32, seed: 1, rangeTests: 1, lrTrials: 0 }, ctx());
  assert.equal(noted(near), undefined, near.warnings.join('\n'));
});

test('lrlab find-lr prints what ran and where each value came from; --json carries the same', () => {
  const file = modelFile('cli', 'tf.train.momentum(0.05, 0.9)');
  const run = (...extra: string[]): { status: number | null; stdout: string; stderr: string } => spawnSync(process.execPath, [path.join(root, 'bin', 'lrlab'), 'find-lr', file, '--steps', '15', '--batch-size', '32', '--seed', '1', ...extra], { encoding: 'utf8', timeout: 120_000 });
  const text = run('--momentum', '0.8');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^optimizer sgd \(model\.compile\), lr from the schedule, momentum 0\.8 \(--momentum\)$/m);
  const json = run('--json');
  const doc = JSON.parse(json.stdout) as FindLrResult;
  assert.deepEqual(doc.optimizer?.sources, { optimizer: 'model.compile', momentum: 'model.compile' });
  assert.equal(doc.settings.momentum, 0.9);
});
