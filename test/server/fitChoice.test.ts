/**
 * Files with several fit calls (the user trial's cases/c16_two_fits.mjs: a warm-up fit, then the
 * main one): a lens above each fit, each attaching to its own fit; one block per file whichever
 * fit gets the call, a fit that cannot see the block refused, and a factory call left by an older
 * LR Lab given the model of the fit it is in. Run with real tfjs (editedFiles.ts): after the
 * scheduled warm-up, the main fit trains at the LR and momentum (Adam: beta1) the file compiled,
 * not at the schedule's last minLr/1000, with no tensor left behind; the L2 weight decay on one fit
 * does not decay the other.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { smith } from '../../src/core/schedules';
import { EditedProject } from './editedFiles';
import { insertScheduleChanges, insertWeightDecayChanges } from '../../src/server/insertEdit';
import { insertLenses } from '../../src/server/insertLenses';
import { scan } from '../../src/server/scanner';
import { changed, schedule, weightDecay } from './insertCases';

const TWO_FITS = `import * as tf from '@tensorflow/tfjs';

export async function train() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 3, inputShape: [2], activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.001, 0.9), loss: 'meanSquaredError' });
  const xs = tf.randomNormal([8, 2], 0, 1, 'float32', 1);
  const ys = tf.randomNormal([8, 1], 0, 1, 'float32', 2);

  // Warm-up: one quick epoch at a small constant LR.
  await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0 });

  // The real training run.
  const history = await model.fit(xs, ys, { epochs: 3, batchSize: 4, verbose: 0 });
  return history;
}
`;

const blocks = (text: string): number => text.split('// <lrlab:schedule>').length - 1;
const withoutBlock = (text: string): string => text.replace(/ *\/\/ <lrlab:schedule>[\s\S]*?\/\/ <\/lrlab:schedule>\n/, '');

test('two fit calls: a schedule lens above each, passing its fit; the weight decay too, above each fit', () => {
  const result = scan('m.mjs', TWO_FITS);
  const lenses = insertLenses({ uri: 'file:///m.mjs', version: 3, fileName: 'm.mjs', text: TWO_FITS }, result, schedule, weightDecay);
  assert.deepEqual(
    lenses.map((l) => [l.range.start.line, l.command!.title, l.command!.arguments]),
    [
      [11, 'Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85)', ['file:///m.mjs', 3, 0]],
      [14, 'Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85)', ['file:///m.mjs', 3, 1]],
      [11, 'Insert weight decay 5e-2', ['file:///m.mjs', 3, 0]],
      [14, 'Insert weight decay 5e-2', ['file:///m.mjs', 3, 1]],
    ],
  );
  // One fit: the weight decay's lens stays above model.compile.
  const one = TWO_FITS.replace('  await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0 });\n', '');
  assert.deepEqual(insertLenses({ uri: 'file:///m.mjs', version: 1, fileName: 'm.mjs', text: one }, scan('m.mjs', one), schedule, weightDecay).map((l): unknown[] => [l.range.start.line, l.command!.arguments![2] as unknown]), [[13, 0], [6, 0]]);
});

test('a range test at another batch size than a fit trains at says both on that fit\'s lens (its batchSize literal, or tfjs\'s 32); where the text cannot tell, or they agree, nothing', () => {
  // A user trial's range test at batch 16 (lrlab.batchSize) was offered above a fit at 128 without a word.
  const at64 = { ...schedule, batchSize: 64 };
  const titles = (text: string, values: typeof at64 | typeof schedule): string[] => insertLenses({ uri: 'file:///b.mjs', version: 1, fileName: 'b.mjs', text }, scan('b.mjs', text), values, undefined).map((l) => l.command!.title);
  assert.deepEqual(titles(TWO_FITS, at64), Array(2).fill('Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85; found at batch 64, this fit trains at 4)'));
  // A recipe's constant momentum reads as one value (it read "momentum 0.9→0.9").
  assert.deepEqual(titles(TWO_FITS, { ...schedule, maxMomentum: 0.9, minMomentum: 0.9 }), Array(2).fill('Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.9)'));
  const head = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\n";
  assert.deepEqual(titles(`${head}await model.fit(xs, ys);\n`, at64), ['Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85; found at batch 64, this fit trains at 32)']);
  assert.deepEqual(titles(`${head}await model.fit(xs, ys, { epochs: 3 });\n`, at64), ['Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85; found at batch 64, this fit trains at 32)']);
  for (const fit of ['await model.fit(xs, ys, { batchSize: 64 });', 'await model.fit(xs, ys, options);', 'await model.fit(xs, ys, { ...options, epochs: 2 });', 'await model.fit(xs, ys, { batchSize: size });', 'await model.fitDataset(ds, { epochs: 2 });']) {
    const [title] = titles(`${head}${fit}\n`, at64);
    assert.ok(title?.startsWith('Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85)'), `${fit}: ${title}`);
    assert.doesNotMatch(title ?? "", /found at batch/, fit);
  }
  // Without the run's batch size (an older result), or a hostile one (run files are untrusted): nothing.
  for (const batchSize of [undefined, -1, 2.5, 'x', null]) {
    assert.deepEqual(titles(TWO_FITS, { ...schedule, batchSize } as typeof at64), Array(2).fill('Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85)'), String(batchSize));
  }
});

test('lenses that would sit together say which model each inserts into; the weight decay sits above the compile of the model the fit trains; a run whose optimizer had no momentum to cycle says the schedule drives the LR only', () => {
  // A user trial's cases/03-promise-all.ts: two fits in one statement had identical lenses on one line.
  const both = "import * as tf from '@tensorflow/tfjs';\nconst smallModel = tf.sequential();\nconst bigModel = tf.sequential();\nconst [a, b] = await Promise.all([smallModel.fit(xs, ys), bigModel.fit(xs, ys)]);\n";
  assert.deepEqual(
    insertLenses({ uri: 'file:///p.mjs', version: 1, fileName: 'p.mjs', text: both }, scan('p.mjs', both), schedule, weightDecay).map((l) => [l.range.start.line, l.command!.title]),
    [
      [3, 'Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85) for smallModel'],
      [3, 'Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85) for bigModel'],
      [3, 'Insert weight decay 5e-2 for smallModel'],
      [3, 'Insert weight decay 5e-2 for bigModel'],
    ],
  );
  // One model's two fits in one statement (a ternary): which fit each lens inserts into, in order (both read "for model").
  const ternary = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nexport const run = (quick) => (quick ? model.fit(xs, ys, { epochs: 1 }) : model.fit(xs, ys, { epochs: 2 }));\n";
  assert.deepEqual(
    insertLenses({ uri: 'file:///q.mjs', version: 1, fileName: 'q.mjs', text: ternary }, scan('q.mjs', ternary), schedule, undefined).map((l) => l.command!.title),
    ['Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85) for model, its first fit call in this statement', 'Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85) for model, its second fit call in this statement'],
  );
  // cases/27-teacher-student.ts: the lens sat above the teacher's compile and inserted into the student.
  const pair = "import * as tf from '@tensorflow/tfjs';\nconst teacherModel = tf.sequential();\nteacherModel.compile({ optimizer: 'adam', loss: 'meanSquaredError' });\nconst studentModel = tf.sequential();\nstudentModel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nawait studentModel.fit(xs, ys);\n";
  const wd = insertLenses({ uri: 'file:///t.mjs', version: 1, fileName: 't.mjs', text: pair }, scan('t.mjs', pair), undefined, weightDecay);
  assert.deepEqual(wd.map((l) => l.range.start.line), [4]);
  // Compiled elsewhere: above the fit, where the block goes.
  const elsewhere = pair.replace('studentModel.compile', 'teacherModel.compile');
  assert.deepEqual(insertLenses({ uri: 'file:///t.mjs', version: 1, fileName: 't.mjs', text: elsewhere }, scan('t.mjs', elsewhere), undefined, weightDecay).map((l) => l.range.start.line), [5]);
  // The run's optimizer kept its momentum (the engine cycles none there, nor does the block): the title says so; a text
  // from a run file that is not one of these is not shown.
  const title = (fixedMomentum: string): string => insertLenses({ uri: 'file:///m.mjs', version: 1, fileName: 'm.mjs', text: TWO_FITS }, scan('m.mjs', TWO_FITS), { ...schedule, fixedMomentum }, undefined)[0]!.command!.title;
  assert.equal(title("sgd's momentum is 0"), "Insert 1cycle schedule (max LR 0.3, min 0.03; LR only: sgd's momentum is 0)");
  assert.equal(title('adagrad has no momentum'), 'Insert 1cycle schedule (max LR 0.3, min 0.03; LR only: adagrad has no momentum)');
  assert.equal(title('<script> has no momentum'), 'Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85)');
});

test('the main fit chosen: the call goes there, the warm-up is untouched; choosing the warm-up too adds its call and keeps one block', () => {
  const main = changed(insertScheduleChanges('m.mjs', TWO_FITS, schedule, { fit: 1 }), TWO_FITS);
  assert.equal(blocks(main), 1);
  assert.match(main, /\n {2}\/\/ <lrlab:schedule>[\s\S]*\/\/ <\/lrlab:schedule>\n {2}\/\/ The real training run\.\n {2}const history = await model\.fit\(xs, ys, \{ callbacks: \[lrlabOneCycle\(model\)\], epochs: 3,/);
  assert.ok(main.includes('  await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0 });\n'), 'the warm-up fit is untouched');
  assert.equal(changed(insertScheduleChanges('m.mjs', main, schedule, { fit: 1 }), main), main, 'again on the main fit: no change');
  // The warm-up's lens, on a file whose one block the main fit already calls: its values change for both, and it says so, before and after.
  const sharing = insertScheduleChanges('m.mjs', main, { ...schedule, maxLr: 0.5, minLr: 0.05 }, { fit: 0 });
  assert.ok('changes' in sharing);
  const mainLine = main.split('\n').findIndex((l) => l.includes('const history = await model.fit')) + 1;
  assert.equal(sharing.caution?.reason, `the fit at line ${mainLine} calls the file's one block of the schedule too, and will train with these values as well`);
  assert.equal(sharing.caution?.fix, 'to keep its values, give that fit its own schedule with lrlab\'s library (oneCycle), or Undo');
  const warmUpLens = insertLenses({ uri: 'file:///m.mjs', version: 1, fileName: 'm.mjs', text: main }, scan('m.mjs', main), { ...schedule, maxLr: 0.5, minLr: 0.05 }, undefined)[0]!.command!.title;
  assert.ok(warmUpLens.endsWith(` (check: the fit at line ${mainLine} calls the file's one block of the schedule too, and will train with these values as well)`), warmUpLens);
  // Its own fit again: nothing shared.
  const own = insertScheduleChanges('m.mjs', main, schedule, { fit: 1 });
  assert.ok('changes' in own && own.caution === undefined);
  const both = changed(sharing, main);
  assert.equal(blocks(both), 1);
  assert.match(both, /const maxLr = 0\.5;/);
  assert.equal(both.match(/lrlabOneCycle\(model\)\]/g)?.length, 2);
  assert.equal(withoutBlock(both), TWO_FITS.replaceAll('{ epochs:', '{ callbacks: [lrlabOneCycle(model)], epochs:'));
  // The weight decay chooses its fit the same way.
  const decayed = changed(insertWeightDecayChanges('m.mjs', TWO_FITS, weightDecay, { fit: 1 }), TWO_FITS);
  assert.match(decayed, /const history = await model\.fit\(xs, ys, \{ callbacks: \[lrlabWeightDecay\(model\)\], epochs: 3/);
});

test('a fit that cannot see the block (LR Lab put it in another function, for that one\'s fit) moves the block to the top level, where both fits see it; a block the user wrote inside a top-level block is refused, saying where to move it', () => {
  const text = "import * as tf from '@tensorflow/tfjs';\nexport async function warmUp(model) {\n  await model.fit(xs, ys, { epochs: 1 });\n}\n/** The main run. */\nexport async function main() {\n  const model = tf.sequential();\n  await model.fit(xs, ys, { epochs: 3 });\n}\n";
  const main = changed(insertScheduleChanges('m.mjs', text, schedule, { fit: 1 }), text);
  assert.ok(main.indexOf('  // <lrlab:schedule>') > main.indexOf('export async function main'), 'first inside main, above its fit');
  const both = changed(insertScheduleChanges('m.mjs', main, schedule, { fit: 0 }), main);
  assert.equal(blocks(both), 1);
  assert.equal(both.match(/lrlabOneCycle\(model\)\]/g)?.length, 2);
  // Out of main, unindented, above main's JSDoc; main and warmUp as they were but for their calls.
  assert.ok(both.indexOf('\n// <lrlab:schedule>') < both.indexOf('/** The main run. */') && both.indexOf('\n// <lrlab:schedule>') > both.indexOf('export async function warmUp'), both);
  assert.equal(withoutBlock(both).replace(/callbacks: \[lrlabOneCycle\(model\)\], /g, ''), text);
  // Inserting again changes nothing but the values (idempotent).
  assert.equal(changed(insertScheduleChanges('m.mjs', both, schedule, { fit: 0 }), both), both);
  // A block inside a top-level block shared with other code on its line cannot move on its own: refused, with where to put it.
  const odd = "import * as tf from '@tensorflow/tfjs';\nasync function warmUp(model) {\n  await model.fit(xs, ys, { epochs: 1 });\n}\nconst x = 1; async function main() {\n  const model = tf.sequential();\n  await model.fit(xs, ys, { epochs: 3 });\n}\n";
  const inMain = changed(insertScheduleChanges('m.mjs', odd, schedule, { fit: 1 }), odd);
  const outcome = insertScheduleChanges('m.mjs', inMain, schedule, { fit: 0 });
  assert.ok('error' in outcome);
  assert.match(outcome.error.reason, /^the schedule's block \(line \d+\) is not visible from this fit call \(line 3\): `lrlabOneCycle` is declared inside another block or function$/);
  assert.equal(outcome.error.fix, 'move the block, with its marker lines, to the top level of the file (it uses nothing around it), then insert again (the schedule was not inserted)');
});

test("an older LR Lab's lrlabOneCycle() gets the model of the fit it is in; a lens index past the file's fits is refused", () => {
  const text = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nconst otherModel = tf.sequential();\nawait model.fit(xs, ys, { epochs: 2 });\nawait otherModel.fit(xs, ys, { epochs: 2, callbacks: [lrlabOneCycle()] });\n";
  const out = changed(insertScheduleChanges('m.mjs', text, schedule, { fit: 1 }), text);
  assert.ok(out.includes('\nawait model.fit(xs, ys, { epochs: 2 });\n// <lrlab:schedule>\n'), 'the first fit is untouched');
  assert.ok(out.endsWith('// </lrlab:schedule>\nawait otherModel.fit(xs, ys, { epochs: 2, callbacks: [lrlabOneCycle(otherModel)] });\n'), out.slice(-200));
  // The lens on the first fit attaches it there, and the older call still gets its own fit's model.
  const first = changed(insertScheduleChanges('m.mjs', text, schedule, { fit: 0 }), text);
  assert.ok(first.endsWith('await model.fit(xs, ys, { callbacks: [lrlabOneCycle(model)], epochs: 2 });\nawait otherModel.fit(xs, ys, { epochs: 2, callbacks: [lrlabOneCycle(otherModel)] });\n'), first.slice(-200));
  const gone = insertScheduleChanges('m.mjs', text, schedule, { fit: 2 });
  assert.ok('error' in gone);
  assert.equal(gone.error.reason, 'the fit call the lens was shown for is gone');
});

const project = new EditedProject();
after(() => project.dispose());

for (const [optimizer, momentum] of [['tf.train.momentum(0.001, 0.9)', 'm'], ['tf.train.adam(0.001, 0.9)', 'beta1']] as const) {
  test(`the schedule on the warm-up fit (${optimizer}): the main fit after it trains at the compiled LR and ${momentum}, and holds no more tensors than without the schedule`, async () => {
    const input = TWO_FITS.replace('tf.train.momentum(0.001, 0.9)', optimizer);
    const edited = changed(insertScheduleChanges('m.mjs', input, schedule, { fit: 0 }), input);
    const [plain, scheduled] = await Promise.all([project.run(project.write(`plain-${momentum}.mjs`, input)), project.run(project.write(`warm-up-${momentum}.mjs`, edited))]);
    // The warm-up: 8 samples in batches of 4, 1 epoch; the main fit: 3 epochs of 2.
    assert.equal(scheduled.length, 8);
    const want = smith({ maxLr: 0.3, minLr: 0.03, totalSteps: 2 });
    scheduled.slice(0, 2).forEach((s, i) => assert.ok(Math.abs(s.lr - want.at(i).lr) < 1e-9, `warm-up step ${i}: lr ${s.lr}`));
    scheduled.slice(2).forEach((s, i) => {
      assert.equal(s.lr, 0.001, `main fit step ${i}: lr`);
      if (momentum === 'm') {
        assert.ok(Math.abs(s.c! + 0.001) < 1e-9, `main fit step ${i}: the update's -lr scalar ${s.c}`);
        assert.ok(Math.abs(s.m! - 0.9) < 1e-6, `main fit step ${i}: momentum ${s.m}`);
      } else {
        assert.equal(s.beta1, 0.9, `main fit step ${i}: beta1`);
      }
      assert.equal(s.numTensors, plain[i + 2]!.numTensors, `main fit step ${i}: tensors, against the file without the schedule`);
    });
  });
}

test('the L2 weight decay on one fit of two: its penalty holds for that fit only', async () => {
  for (const fit of [0, 1]) {
    const edited = changed(insertWeightDecayChanges('m.mjs', TWO_FITS, weightDecay, { fit }), TWO_FITS);
    const steps = await project.run(project.write(`decay-${fit}.mjs`, edited));
    assert.equal(steps.length, 8);
    steps.forEach((s, i) => {
      const decayed = fit === 0 ? i < 2 : i >= 2;
      assert.equal(s.wd ?? 0, decayed ? weightDecay.weightDecay : 0, `weight decay on fit ${fit}, step ${i}`);
      if (!decayed) assert.ok((s.penaltyGrad ?? []).flat().every((g) => g === 0), `fit ${fit}, step ${i}: no penalty gradient`);
    });
  }
});

test('a training script\'s run names its fit call (fitLine): the schedule lens goes above the fits of that call\'s model only, not above another model\'s (compiled with another optimizer); without it, or with a line no fit is on now, above every fit', () => {
  const text = [
    "import * as tf from '@tensorflow/tfjs';",
    'const baselineModel = tf.sequential();',
    "baselineModel.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });",
    'await baselineModel.fit(xs, ys, { epochs: 2 });',
    'const mainModel = tf.sequential();',
    "mainModel.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });",
    'await mainModel.fit(xs, ys, { epochs: 1 });',
    'await mainModel.fit(xs, ys, { epochs: 5 });',
    '',
  ].join('\n');
  const result = scan('m.mjs', text);
  const scheduleLines = (fitLine?: number): number[] =>
    insertLenses({ uri: 'file:///m.mjs', version: 1, fileName: 'm.mjs', text }, result, fitLine === undefined ? schedule : { ...schedule, fitLine }, undefined)
      .filter((l) => l.command!.title.startsWith('Insert 1cycle'))
      .map((l) => l.range.start.line + 1);
  assert.deepEqual(scheduleLines(4), [4], 'the SGD model\'s run: its fit only');
  assert.deepEqual(scheduleLines(8), [7, 8], 'the Adam model\'s run: its warm-up and main fit');
  assert.deepEqual(scheduleLines(), [4, 7, 8], 'a model file\'s run names no fit');
  assert.deepEqual(scheduleLines(2), [4, 7, 8], 'the file changed: no fit at that line');
  assert.deepEqual(scheduleLines(Number.NaN), [4, 7, 8], 'untrusted: not a line');
});

test('a model compiled again between two fits is not the same model for the run\'s lens (a warm-up\'s "LR only" lens sat above the momentum fit, whose momentum the block cycled); a model file\'s run goes above the fits of createModel()\'s model, not a baseline model beside it', () => {
  // A user trial's k01-warmup-run.mjs: an 'sgd' warm-up, then compiled with momentum 0.9 for the main fit.
  const recompiled = [
    "import * as tf from '@tensorflow/tfjs';",
    'const model = tf.sequential();',
    "model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });",
    'await model.fit(xs, ys, { epochs: 1, batchSize: 4 });',
    "model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });",
    'await model.fit(xs, ys, { epochs: 2, batchSize: 4 });',
    'await model.fit(xs, ys, { epochs: 2, batchSize: 4 });',
    '',
  ].join('\n');
  const lines = (text: string, run: Partial<typeof schedule>): number[] =>
    insertLenses({ uri: 'file:///m.mjs', version: 1, fileName: 'm.mjs', text }, scan('m.mjs', text), { ...schedule, ...run }, undefined)
      .filter((l) => l.command!.title.startsWith('Insert 1cycle'))
      .map((l) => l.range.start.line + 1);
  assert.deepEqual(lines(recompiled, { fitLine: 4 }), [4], 'the warm-up\'s run: its fit only');
  assert.deepEqual(lines(recompiled, { fitLine: 6 }), [6, 7], 'the main run: the fits after the second compile');
  // A user trial's r01-modelfile-two.mjs: train() fits a plain-SGD baseline, then createModel()'s model.
  const modelFile = [
    "import * as tf from '@tensorflow/tfjs';",
    'export function createModel() {',
    '  const model = tf.sequential();',
    "  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });",
    '  return model;',
    '}',
    'export async function train(data) {',
    '  const baseline = tf.sequential();',
    "  baseline.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });",
    '  await baseline.fit(data.xs, data.ys, { epochs: 2 });',
    '  const model = await createModel();',
    '  await model.fit(data.xs, data.ys, { epochs: 2 });',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(lines(modelFile, {}), [12], "a model file's run: createModel()'s model only");
  assert.deepEqual(lines(modelFile.replace('const model = await createModel();', 'const model = tf.sequential();'), {}), [10, 12], 'no fit of a createModel() model: every fit, as before');
});

test('after edits that move lines, the run\'s fit call is found by the line it kept (fitText): not whatever fit an edit put at its old line; an in-place edit of the call keeps it; a call found no way leaves no lens where the file trains two models, every fit where it trains one', () => {
  // The run tested line 8 of the previous test's file: mainModel's main fit, the line below.
  const fitText = 'await mainModel.fit(xs, ys, { epochs: 5 });';
  const lines = (...body: string[]): string => ["import * as tf from '@tensorflow/tfjs';", ...body, ''].join('\n');
  const sgd = ['const baselineModel = tf.sequential();', "baselineModel.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });"];
  const adam = ['const mainModel = tf.sequential();', "mainModel.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });"];
  const scheduleLines = (text: string, values: Record<string, unknown>): number[] =>
    insertLenses({ uri: 'file:///m.mjs', version: 2, fileName: 'm.mjs', text }, scan('m.mjs', text), { ...schedule, ...values }, undefined)
      .filter((l) => l.command!.title.startsWith('Insert 1cycle'))
      .map((l) => l.range.start.line + 1);
  // The models swapped places: line 8 is now the SGD model's fit (the run's line alone put Adam's LR above it).
  const swapped = lines(...adam, 'await mainModel.fit(xs, ys, { epochs: 1 });', fitText, ...sgd, 'await baselineModel.fit(xs, ys, { epochs: 2 });');
  assert.deepEqual(scheduleLines(swapped, { fitLine: 8 }), [8], 'by the line alone (a run from before fitText): whatever fit is there now');
  assert.deepEqual(scheduleLines(swapped, { fitLine: 8, fitText }), [4, 5], 'by the kept line: the Adam model\'s fits, wherever they went');
  // Lines added above: no fit at line 8 any more (by the line alone: every fit, the SGD one too).
  const shifted = lines('// data', '// more data', ...sgd, 'await baselineModel.fit(xs, ys, { epochs: 2 });', ...adam, 'await mainModel.fit(xs, ys, { epochs: 1 });', fitText);
  assert.deepEqual(scheduleLines(shifted, { fitLine: 8 }), [6, 9, 10]);
  assert.deepEqual(scheduleLines(shifted, { fitLine: 8, fitText }), [9, 10]);
  // The call itself edited where it is (other epochs): the fit at that line, on the model its kept line names.
  const edited = lines(...sgd, 'await baselineModel.fit(xs, ys, { epochs: 2 });', ...adam, 'await mainModel.fit(xs, ys, { epochs: 1 });', 'await mainModel.fit(xs, ys, { epochs: 8 });');
  assert.deepEqual(scheduleLines(edited, { fitLine: 8, fitText }), [7, 8]);
  // Moved and edited: found no way. Two models in the file: no lens rather than a guess; one model: every fit.
  const lost = lines('// data', '// more data', ...sgd, 'await baselineModel.fit(xs, ys, { epochs: 2 });', ...adam, 'await mainModel.fit(xs, ys, { epochs: 1 });', 'await mainModel.fit(xs, ys, { epochs: 8 });');
  assert.deepEqual(scheduleLines(lost, { fitLine: 8, fitText }), []);
  const swappedEdited = lines(...adam, 'await mainModel.fit(xs, ys, { epochs: 1 });', 'await mainModel.fit(xs, ys, { epochs: 8 });', ...sgd, 'await baselineModel.fit(xs, ys, { epochs: 2 });');
  assert.deepEqual(scheduleLines(swappedEdited, { fitLine: 8, fitText }), [], 'another model\'s fit at the line, its call not the kept one');
  const oneModel = lines('// data', ...adam, 'await mainModel.fit(xs, ys, { epochs: 1 });', 'await mainModel.fit(xs, ys, { epochs: 8 });');
  assert.deepEqual(scheduleLines(oneModel, { fitLine: 8, fitText }), [5, 6]);
  // Untrusted: a kept line that is no text is ignored (the line alone decides).
  assert.deepEqual(scheduleLines(swapped, { fitLine: 8, fitText: 42 }), [8]);
});

test('a kept fit line the file holds elsewhere is not taken where the fit at the run\'s line may be the call edited in place: identical lines of two functions\' own `model`s, a call split after its receiver; the receiver a kept line names is the one its fit is called on', () => {
  const scheduleLines = (body: string[], values: Record<string, unknown>): number[] => {
    const text = ["import * as tf from '@tensorflow/tfjs';", ...body, ''].join('\n');
    return insertLenses({ uri: 'file:///m.mjs', version: 2, fileName: 'm.mjs', text }, scan('m.mjs', text), { ...schedule, ...values }, undefined)
      .filter((l) => l.command!.title.startsWith('Insert 1cycle'))
      .map((l) => l.range.start.line + 1);
  };
  const fn = (name: string, optimizer: string, fit: string): string[] => [`async function ${name}(xs, ys) {`, '  const model = tf.sequential();', `  model.compile({ optimizer: ${optimizer}, loss: 'meanSquaredError' });`, `  ${fit}`, '}'];
  const fitText = 'await model.fit(xs, ys, { epochs: 5 });';
  // The run tested line 10 (main's fit); the user then edited it in place. baseline's line still reads as the kept one:
  // it could as well be the tested call moved there (two functions swapped), so neither gets the run's LR.
  const edited = [...fn('baseline', 'tf.train.sgd(0.1)', fitText), ...fn('main', 'tf.train.adam(1e-3)', 'await model.fit(xs, ys, { epochs: 9 });')];
  assert.deepEqual(scheduleLines(edited, { fitLine: 10 }), [10], 'by the line alone');
  assert.deepEqual(scheduleLines(edited, { fitLine: 10, fitText }), []);
  // Unedited, the same file gives the tested function's fit.
  assert.deepEqual(scheduleLines([...fn('baseline', 'tf.train.sgd(0.1)', fitText), ...fn('main', 'tf.train.adam(1e-3)', fitText)], { fitLine: 10, fitText }), [10]);
  // A call split after its receiver: its kept line names none, so a same-reading line of another model is not taken either.
  const split = ['const aModel = tf.sequential();', 'const bModel = tf.sequential();', 'await aModel', '  .fit(xs, ys, { epochs: 2 });', 'await bModel', '  .fit(xs, ys, { epochs: 3 });'];
  assert.deepEqual(scheduleLines(split, { fitLine: 7, fitText: '.fit(xs, ys, { epochs: 2 });' }), []);
  assert.deepEqual(scheduleLines(split, { fitLine: 7, fitText: '.fit(xs, ys, { epochs: 3 });' }), [6], 'unedited: its own fit');
  // The receiver is the one the call is on, not any name in the line: teacher is no receiver of student's fit.
  const distil = ['const teacher = tf.sequential();', "teacher.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });", 'await teacher.fit(xs, ys, { epochs: 2 });', 'const student = tf.sequential();', "student.compile({ optimizer: 'adam', loss: 'meanSquaredError' });", 'await student.fit(xs, teacher.predict(xs), { epochs: 5 });'];
  assert.deepEqual(scheduleLines(distil, { fitLine: 4, fitText: 'await student.fit(xs, teacher.predict(xs), { epochs: 3 });' }), [], 'teacher\'s fit at the line, the kept call student\'s: no lens');
  assert.deepEqual(scheduleLines(distil, { fitLine: 7, fitText: 'await student.fit(xs, teacher.predict(xs), { epochs: 3 });' }), [7], 'student\'s fit edited in place');
  const prefixed = ['const model = tf.sequential();', "model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });", 'await model.fit(xs, ys, { epochs: 2 });', 'const student_model = tf.sequential();', "student_model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });", 'await student_model.fit(xs, ys, { epochs: 5 });'];
  assert.deepEqual(scheduleLines(prefixed, { fitLine: 4, fitText: 'await student_model.fit(xs, ys, { epochs: 3 });' }), [], 'model is not student_model');
});

test('the same receiver name is not the same model: two functions that each declare their own `model` keep the run\'s lens above the tested one\'s fits only; a helper\'s parameter is one model for all its fits', () => {
  const text = [
    "import * as tf from '@tensorflow/tfjs';",
    'async function baseline(xs, ys) {',
    '  const model = tf.sequential();',
    "  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });",
    '  await model.fit(xs, ys, { epochs: 2 });',
    '}',
    'async function main(xs, ys) {',
    '  const model = tf.sequential();',
    "  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });",
    '  await model.fit(xs, ys, { epochs: 1 });',
    '  await model.fit(xs, ys, { epochs: 5 });',
    '}',
    'async function train(model, xs, ys) {',
    '  await model.fit(xs, ys, { epochs: 1 });',
    '  await model.fit(xs, ys, { epochs: 5 });',
    '}',
    '',
  ].join('\n');
  const result = scan('m.mjs', text);
  const scheduleLines = (fitLine: number): number[] =>
    insertLenses({ uri: 'file:///m.mjs', version: 1, fileName: 'm.mjs', text }, result, { ...schedule, fitLine }, undefined)
      .filter((l) => l.command!.title.startsWith('Insert 1cycle'))
      .map((l) => l.range.start.line + 1);
  assert.deepEqual(scheduleLines(5), [5], 'the SGD model\'s run: its own fit, not main\'s model of the same name');
  assert.deepEqual(scheduleLines(11), [10, 11], 'the Adam model\'s run: its warm-up and main fit');
  assert.deepEqual(scheduleLines(15), [14, 15], 'a helper\'s parameter: both its fits');
});

test('a model made by a builder of a builder (function build() { return createModel(); }; const net = build()): its fits get the lenses (they had none, and no word why)', () => {
  const text = [
    "import * as tf from '@tensorflow/tfjs';",
    'export function createModel() {',
    '  const m = tf.sequential();',
    "  m.add(tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [6] }));",
    '  return m;',
    '}',
    'function build() { return createModel(); }',
    'const wrap = () => build();',
    'export async function main(xs, ys) {',
    '  const net = wrap();',
    '  await net.fit(xs, ys, { epochs: 1, batchSize: 40 });',
    '  await net.fit(xs, ys, { epochs: 4, batchSize: 40 });',
    '}',
    '',
  ].join('\n');
  const result = scan('n.mjs', text);
  assert.deepEqual(result.fitCalls.map((f) => [f.receiver, f.line]), [['net', 10], ['net', 11]]);
  const lenses = insertLenses({ uri: 'file:///n.mjs', version: 1, fileName: 'n.mjs', text }, result, schedule, undefined);
  assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command!.title.startsWith('Insert 1cycle schedule (max LR 0.3')]), [[10, true], [11, true]]);
});
