/**
 * What is refused, and how the lens says so instead of inserting:
 *
 * - files whose style cannot be edited safely (callbacks from a function call, a parameter, an
 *   import, a reassigned variable or another object; options in a variable or spread from another
 *   object, or with a computed key that may be `callbacks`; spread arguments): the block only, no call,
 *   and the lens reads "Insert …, block only (<why>: the call is yours to add)" (clicking it inserts
 *   the block and shows the why with the fix, lsp.test.ts);
 * - the schedule on a fit in a loop, or on a `fitDataset` whose epochs have no length tfjs knows;
 * - hostile run files (issue #16): a run id or date with newlines, comment ends, quotes,
 *   backslashes or U+2028/U+2029 never reaches the code (only `[A-Za-z0-9_-]` and `YYYY-MM-DD` do);
 *   a number that is a string, null, NaN, infinite, huge, negative or out of range makes no code,
 *   only a reason on the lens — and building the lens never throws, whatever the values hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { applyChanges, insertScheduleChanges, insertWeightDecayChanges } from '../../src/server/insertEdit';
import { insertLenses } from '../../src/server/insertLenses';
import { checkSchedule, safeDate, safeRunId } from '../../src/server/codeValues';
import { scan } from '../../src/server/scanner';
import type { ScheduleValues } from '../../src/server/scheduleCode';
import type { WeightDecayValues } from '../../src/server/weightDecayCode';
import { formatLr } from '../../src/protocol/format';
import { schedule, weightDecay } from './insertCases';

const HEAD = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\n";

/** The lenses of a file for the given values, as the server builds them. */
function lenses(text: string, s: unknown = schedule, w: unknown = weightDecay): { title: string }[] {
  const result = scan('model.mjs', text);
  return insertLenses({ uri: 'file:///model.mjs', version: 1, fileName: 'model.mjs', text }, result, s as ScheduleValues, w as WeightDecayValues).map((l) => ({ title: l.command!.title }));
}

const UNSAFE: [string, string, RegExp][] = [
  ['callbacks built by a function call', 'await model.fit(xs, ys, { callbacks: makeCallbacks(model) });', /the callbacks come from makeCallbacks\(…\), which LR Lab cannot see into/],
  ['options from a parameter', 'export function go(opts) {\n  return model.fit(xs, ys, opts);\n}', /fit's options are `opts`, not an object written in the call/],
  ['options in a variable the file also changes', 'const opts = { epochs: 2 };\nObject.assign(opts, extra);\nawait model.fit(xs, ys, opts);', /^`opts` is also used at line 4 \(passed to Object\.assign\): LR Lab cannot tell whether that changes its callbacks$/],
  ['options in a variable also logged', "const opts = { epochs: 2 };\nconsole.log('fit options', opts);\nawait model.fit(xs, ys, opts);", /^`opts` is also used at line 4 \(passed to console\.log\): LR Lab cannot tell whether that changes its callbacks$/],
  ['options in a variable put in another object, whose callbacks are set', 'const fitOptions = { epochs: 2 };\nconst config = { fit: fitOptions };\nconfig.fit.callbacks = [logger];\nawait model.fit(xs, ys, fitOptions);', /^`fitOptions` is also used at line 4 \(put in an object: `fit: fitOptions`\)/],
  ['options in a variable whose callbacks are set', "const opts = { epochs: 2 };\nopts['callbacks'] = [logger];\nawait model.fit(xs, ys, opts);", /^`opts` is also used at line 4 \(its `callbacks` is set: `opts\['callbacks'\] = \[logger\]`\)/],
  ['options in a variable with an alias', 'const opts = { epochs: 2 };\nconst same = opts;\nawait model.fit(xs, ys, opts);', /^`opts` is also used at line 4 \(assigned to `same`\)/],
  ['options in a variable whose method is called', 'const opts = { epochs: 2, more() {} };\nopts.more();\nawait model.fit(xs, ys, opts);', /^`opts` is also used at line 4 \(its method `more` is called\)/],
  ['options in a variable that spread another object', 'const opts = { ...base, epochs: 2 };\nawait model.fit(xs, ys, opts);', /^fit's options `opts` spread `\.\.\.base` \(line 3\), which may hold callbacks LR Lab cannot see$/],
  // Held callbacks of an untyped variable go into a copy at the call (styles.test.ts); a declared type decides what `opts.callbacks` is to tsc.
  ['options in a typed variable that holds callbacks', "/** @type {import('@tensorflow/tfjs').ModelFitArgs} */\nconst opts = { epochs: 2, callbacks: [log] };\nawait model.fit(xs, ys, opts);", /^fit's options are the variable `opts`, whose callbacks are written at line 4, away from the call$/],
  ['options in a variable cast by JSDoc that holds callbacks', "const opts = /** @type {import('@tensorflow/tfjs').ModelFitArgs} */ ({ epochs: 2, callbacks: [log] });\nawait model.fit(xs, ys, opts);", /^fit's options are the variable `opts`, whose callbacks are written at line 3, away from the call$/],
  ['options in a variable whose callbacks are a method', 'const opts = { epochs: 2, callbacks() { return [log]; } };\nawait model.fit(xs, ys, opts);', /^fit's options are the variable `opts`, whose callbacks are written at line 3, away from the call$/],
  ['options in a variable whose callbacks come from a call', 'const opts = { epochs: 2, callbacks: makeCallbacks() };\nawait model.fit(xs, ys, opts);', /^fit's options are the variable `opts`, whose callbacks are written at line 3, away from the call$/],
  ['options spread from another object', 'await model.fit(xs, ys, { ...base, epochs: 2 });', /fit's options spread `\.\.\.base`, which may hold callbacks LR Lab cannot see/],
  // `__proto__: base` sets the prototype: LR Lab's callbacks key would hide the ones inherited from base.
  ['options that inherit from another object', 'await model.fit(xs, ys, { __proto__: base, epochs: 1 });', /^fit's options inherit from `__proto__: base` \(line 3\), which may hold callbacks LR Lab's `callbacks` key would hide$/],
  ['options in a variable that inherit from another object', "const opts = { '__proto__': base, epochs: 1 };\nawait model.fit(xs, ys, opts);", /^fit's options `opts` inherit from `'__proto__': base` \(line 3\), which may hold callbacks LR Lab cannot see$/],
  ['a computed key in the options', 'await model.fit(xs, ys, { epochs: 2, [KEY]: [log] });', /^fit's options have the computed key `\[KEY\]` \(line 3\), which may be `callbacks` and replace the ones LR Lab adds$/],
  ['a computed key after the callbacks', 'await model.fit(xs, ys, { callbacks: [log], [KEY]: [] });', /^fit's options have the computed key `\[KEY\]` \(line 3\), which may be `callbacks`/],
  ['a computed key in options in a variable', 'const opts = { epochs: 2, [KEY]: [log] };\nawait model.fit(xs, ys, opts);', /^fit's options `opts` have the computed key `\[KEY\]` \(line 3\), which may be `callbacks`: LR Lab's would replace them$/],
  ['callbacks from a parameter', 'export function go(cbs) {\n  return model.fit(xs, ys, { callbacks: cbs });\n}', /the callbacks come from the parameter `cbs`/],
  ['callbacks in a variable the file reassigns', 'let cbs = [];\ncbs = more;\nawait model.fit(xs, ys, { callbacks: cbs });', /the callbacks come from `cbs`, which the file reassigns/],
  ['callbacks imported from another module', "import { cbs } from './cbs.js';\nawait model.fit(xs, ys, { callbacks: cbs });", /the callbacks come from `cbs`, defined where LR Lab cannot follow it/],
  ['callbacks in a variable LR Lab cannot tell the shape of', 'const cbs = quiet ? undefined : [log];\nawait model.fit(xs, ys, { callbacks: cbs });', /^the callbacks come from `cbs` \(line 3: `quiet \? undefined : \[log\]`\), which LR Lab cannot tell the shape of$/],
  ['callbacks read from another object', 'await model.fit(xs, ys, { callbacks: config.callbacks });', /LR Lab cannot tell what the callbacks `config\.callbacks` hold/],
  ['spread arguments', 'await model.fit(...args);', /fit's arguments are spread/],
  ['fitDataset options from a call', 'await model.fitDataset(ds, options());', /fitDataset's options are `options\(\)`/],
];

for (const [what, code, reason] of UNSAFE) {
  test(`the block only, with the reason on the lens: ${what}`, () => {
    const text = `${HEAD}${code}\n`;
    const [scheduled, decayed] = [insertScheduleChanges('model.mjs', text, schedule), insertWeightDecayChanges('model.mjs', text, weightDecay)];
    // The fit's callbacks are not LR Lab's to edit: the block goes in, so that the call the notice asks
    // for has its factory (a refusal that said "add lrlabOneCycle(model) yourself" to a file without it was a dead end).
    assert.ok('notice' in scheduled && 'notice' in decayed && scheduled.notice !== undefined && decayed.notice !== undefined, `${what}: no notice`);
    assert.match(scheduled.notice.reason, reason);
    assert.match(decayed.notice.reason, reason);
    assert.match(scheduled.notice.fix, /(add lrlabOneCycle\(model\) to|add `callbacks: \[lrlabOneCycle\(model\)\]` to|give fit its data).*: the schedule's block, which defines `lrlabOneCycle`, is inserted above the fit(Dataset)? call$/);
    assert.match(decayed.notice.fix, /lrlabWeightDecay\(model\)/);
    for (const [outcome, factory] of [[scheduled, 'lrlabOneCycle'], [decayed, 'lrlabWeightDecay']] as const) {
      const edited = applyChanges(text, outcome.changes);
      // The block and nothing else: the user's lines stay as they were (no call is added).
      assert.equal(edited.replace(/[ \t]*\/\/ <lrlab:(schedule|weight-decay)>[\s\S]*?\/\/ <\/lrlab:\1>\n/, ''), text);
      assert.equal(edited.split(`function ${factory}(`).length, 2, edited);
    }
    const [scheduleLens, decayLens] = lenses(text);
    assert.equal(scheduleLens!.title, `Insert 1cycle schedule (max LR 0.3, min 0.03, momentum 0.95→0.85), block only (${scheduled.notice.reason}: the call is yours to add)`);
    assert.equal(decayLens!.title, `Insert weight decay 5e-2, block only (${decayed.notice.reason}: the call is yours to add)`);
    // Inserted again from a newer run before the call was added: the block takes the new values (it was
    // refused, "add the call yourself", and the old values stayed), still one block, the user's lines as they were.
    const once = applyChanges(text, scheduled.changes);
    const again = insertScheduleChanges('model.mjs', once, { ...schedule, maxLr: 0.5, minLr: 0.05 });
    assert.ok('changes' in again && again.notice !== undefined, `${what}: ${'error' in again ? again.error.reason : ''}`);
    assert.match(again.notice.fix, /the schedule's block, which defines `lrlabOneCycle`, is updated with these values$/);
    const twice = applyChanges(once, again.changes);
    assert.equal(twice.split('function lrlabOneCycle(').length, 2);
    assert.ok(twice.includes('0.5') && !/maxLr = 0\.3\b/.test(twice), twice.slice(0, 400));
    assert.equal(twice.replace(/[ \t]*\/\/ <lrlab:schedule>[\s\S]*?\/\/ <\/lrlab:schedule>\n/, ''), text);
  });
}

test('fit() without arguments is refused outright: the block alone would be of no use until the fit has its data', () => {
  const text = `${HEAD}await model.fit();\n`;
  const outcome = insertScheduleChanges('model.mjs', text, schedule);
  assert.ok('error' in outcome);
  assert.equal(outcome.error.reason, 'fit() has no arguments');
  assert.equal(outcome.error.fix, 'give fit its data first (the schedule was not inserted)');
});

test('spreads inside the callbacks array, a const holding one callback, and a callback factory tfjs documents are safe: appended', () => {
  const cases: [string, string][] = [
    ['callbacks: [...extra, log]', 'callbacks: [...extra, log, lrlabOneCycle(model)]'],
    ['callbacks: single', 'callbacks: [single, lrlabOneCycle(model)]'],
    ['callbacks: tfvis.show.fitCallbacks(box, ["loss"])', 'callbacks: [tfvis.show.fitCallbacks(box, ["loss"]), lrlabOneCycle(model)]'],
    ["callbacks: tf.node.tensorBoard('/tmp/logs')", "callbacks: [tf.node.tensorBoard('/tmp/logs'), lrlabOneCycle(model)]"],
    ['callbacks: [], epochs: 1', 'callbacks: [lrlabOneCycle(model)], epochs: 1'],
    ['callbacks: [a,]', 'callbacks: [a, lrlabOneCycle(model),]'],
    // A computed key before the callbacks cannot replace them; a computed string key is the key itself.
    ['[KEY]: 1, callbacks: [a]', '[KEY]: 1, callbacks: [a, lrlabOneCycle(model)]'],
    ["['callbacks']: [a]", "['callbacks']: [a, lrlabOneCycle(model)]"],
    // No callbacks yet: null, undefined (the trial's cases/c38_callbacks_undefined.mjs), void 0.
    ['callbacks: null, epochs: 1', 'callbacks: [lrlabOneCycle(model)], epochs: 1'],
    ['callbacks: undefined', 'callbacks: [lrlabOneCycle(model)]'],
    ['callbacks: void 0', 'callbacks: [lrlabOneCycle(model)]'],
    // A variable holding one of two arrays (the trial's cases/c33_callbacks_conditional.mjs).
    ['callbacks: either', 'callbacks: [...either, lrlabOneCycle(model)]'],
    // A comment in an empty array stays (the user's note of what goes there).
    ["callbacks: [/* tfvis.show.fitCallbacks(surface, ['loss']) */]", "callbacks: [/* tfvis.show.fitCallbacks(surface, ['loss']) */ lrlabOneCycle(model)]"],
    ['callbacks: [\n    // a logger, later\n  ]', 'callbacks: [\n    // a logger, later\n    lrlabOneCycle(model)\n  ]'],
  ];
  // Options in a const without callbacks, read for its values, copied by a spread, given to another fit too.
  const opts = `${HEAD}const opts = { epochs: 2, batchSize: 4 };\nconsole.log(opts.epochs, opts['batchSize'], { ...opts });\nawait model.fit(xs, ys, opts);\nawait model.fit(xs, ys, opts);\n`;
  const outcome = insertScheduleChanges('model.mjs', opts, schedule);
  assert.ok('changes' in outcome);
  assert.ok(applyChanges(opts, outcome.changes).endsWith('\nawait model.fit(xs, ys, { ...opts, callbacks: [lrlabOneCycle(model)] });\nawait model.fit(xs, ys, opts);\n'), 'options in a const without callbacks');
  for (const [before, after] of cases) {
    const text = `${HEAD}const single = { onEpochEnd() {} };\nconst either = quiet ? [] : [single];\nawait model.fit(xs, ys, { ${before} });\n`;
    const outcome = insertScheduleChanges('model.mjs', text, schedule);
    assert.ok('changes' in outcome, before);
    assert.ok(applyChanges(text, outcome.changes).includes(`{ ${after} }`), before);
    assert.match(lenses(text)[0]!.title, /^Insert 1cycle schedule \(max LR 0\.3, min 0\.03, momentum 0\.95→0\.85\)$/);
  }
  // Options that hold only a comment keep it (a user trial: `{\n  // TODO: epochs, batchSize from the config\n}` lost it).
  for (const [before, after] of [
    ['{\n  // TODO: epochs, batchSize from the config\n}', '{ callbacks: [lrlabOneCycle(model)],\n  // TODO: epochs, batchSize from the config\n}'],
    ['{ /* defaults for now */ }', '{ callbacks: [lrlabOneCycle(model)], /* defaults for now */ }'],
    ['{}', '{ callbacks: [lrlabOneCycle(model)] }'],
    ['{  }', '{ callbacks: [lrlabOneCycle(model)] }'],
    ['{epochs:2}', '{callbacks: [lrlabOneCycle(model)],epochs:2}'],
    ['{ epochs: 2 }', '{ callbacks: [lrlabOneCycle(model)], epochs: 2 }'],
  ]) {
    const text = `${HEAD}await model.fit(xs, ys, ${before});\n`;
    const outcome = insertScheduleChanges('model.mjs', text, schedule);
    assert.ok('changes' in outcome, before);
    assert.ok(applyChanges(text, outcome.changes).endsWith(`await model.fit(xs, ys, ${after});\n`), before);
  }
});

test('a fit called in a loop: the schedule is refused (each call would restart it), naming the loop and the library way; the weight decay still goes in', () => {
  const loops: [string, number][] = [
    ['for (let epoch = 0; epoch < 3; epoch++) {\n  await model.fit(xs, ys, { epochs: 1 });\n}', 3],
    ['for (let e = 0; e < total; e++) await model.fit(xs, ys, { initialEpoch: e, epochs: e + 1 });', 3],
    ['for (const part of parts) {\n  if (part.ok) {\n    await model.fit(part.xs, part.ys);\n  }\n}', 3],
    ['for (const k in sets) await model.fitDataset(sets[k]);', 3],
    ['while (!done) {\n  const h = await model.fit(xs, ys);\n  done = h.history.loss[0] < 0.1;\n}', 3],
    ['do {\n  await model.fit(xs, ys);\n} while (more());', 3],
    ['let i = 0;\nwhile (i++ < 3) {\n  for (;;) {\n    await model.fit(xs, ys);\n    break;\n  }\n}', 5],
    // The trial's cases/c21_tabs.js: the model built before the loop, trained again each round.
    ['for (const bs of [4]) {\n  if (bs > 0) await model.fit(xs, ys, { epochs: 2, batchSize: bs });\n}', 3],
    ['for (const m of models) await model.fit(xs, ys);', 3],
    // Assigned only in some rounds, or after the fit; an index that is not the loop's: the same model again.
    ['let net = tf.sequential();\nfor (const units of [4, 8]) {\n  if (units > 4) net = tf.sequential();\n  await net.fit(xs, ys);\n}', 4],
    ['let net = tf.sequential();\nfor (const units of [4, 8]) {\n  await net.fit(xs, ys);\n  net = tf.sequential();\n}', 4],
    ['for (let i = 0; i < 3; i++) await models[best].fit(xs, ys);', 3],
  ];
  // One call away (a user trial's one-epoch helpers restarted the cycle each call, unrefused): a loop around a call of the
  // fit's function, or the function calling itself.
  const through: [string, string][] = [
    ['const once = async () => {\n  await model.fit(xs, ys);\n};\nfor (let i = 0; i < 2; i++) await once();', 'called in a loop (line 6, through once())'],
    ['async function trainEpoch() {\n  return model.fit(xs, ys, { epochs: 1 });\n}\nasync function main() {\n  let e = 0;\n  while (e++ < 5) await trainEpoch();\n}\nmain();', 'called in a loop (line 8, through trainEpoch())'],
    ['async function go(model) {\n  await model.fit(xs, ys);\n}\nconst trained = tf.sequential();\nfor (const k of [1, 2]) await go(trained);', 'called in a loop (line 7, through go())'],
    ['async function recurse(e) {\n  if (e >= 5) return;\n  await model.fit(xs, ys, { epochs: 1 });\n  return recurse(e + 1);\n}\nrecurse(0);', 'called again by its own function (line 6)'],
    // Methods, class fields holding functions, object methods, and callbacks an array method or setInterval calls
    // again and again (a user trial: a trainer class's one-epoch method in a loop restarted the cycle each epoch, unrefused).
    ['class T {\n  model = tf.sequential();\n  async trainEpoch() {\n    await this.model.fit(xs, ys, { epochs: 1 });\n  }\n}\nconst t = new T();\nfor (let e = 0; e < 3; e++) await t.trainEpoch();', 'called in a loop (line 10, through .trainEpoch())'],
    ['class T {\n  epoch = async () => {\n    await model.fit(xs, ys);\n  };\n  async run() {\n    for (let e = 0; e < 3; e++) await this.epoch();\n  }\n}', 'called in a loop (line 8, through .epoch())'],
    ['const trainer = {\n  async epoch() {\n    await model.fit(xs, ys);\n  },\n};\nwhile (more()) await trainer.epoch();', 'called in a loop (line 8, through .epoch())'],
    ['class T {\n  async train(left) {\n    await model.fit(xs, ys, { epochs: 1 });\n    if (left > 1) await this.train(left - 1);\n  }\n}', 'called again by its own function (line 6)'],
    ['await [0, 1, 2].reduce(async (previous) => {\n  await previous;\n  await model.fit(xs, ys, { epochs: 1 });\n}, Promise.resolve());', "called in a loop (line 3, .reduce(…)'s callback)"],
    ['async function epoch() {\n  await model.fit(xs, ys, { epochs: 1 });\n}\nsetInterval(epoch, 1000);', "called in a loop (line 6, epoch() as setInterval's callback)"],
    ['const t = {\n  async epoch() {\n    await model.fit(xs, ys);\n  },\n};\n[1, 2].forEach(t.epoch.bind(t));', "called in a loop (line 8, .epoch() as .forEach(…)'s callback)"],
    ['async function epoch() {\n  await model.fit(xs, ys);\n}\n[1, 2].forEach(async () => {\n  await epoch();\n});', "called in a loop (line 6, through epoch() in .forEach(…)'s callback)"],
    // More than one call away, or under another name (a user trial: each restarted the cycle at every call, unrefused).
    ['async function trainEpoch() {\n  await model.fit(xs, ys, { epochs: 1 });\n}\nconst step = trainEpoch;\nfor (let e = 0; e < 3; e++) await step();', 'called in a loop (line 7, through step())'],
    ['async function inner() {\n  await model.fit(xs, ys, { epochs: 1 });\n}\nasync function outer() {\n  await inner();\n}\nfor (let e = 0; e < 3; e++) await outer();', 'called in a loop (line 9, through outer())'],
    ['async function a(n) {\n  await model.fit(xs, ys, { epochs: 1 });\n  if (n > 0) await b(n - 1);\n}\nasync function b(n) {\n  await a(n);\n}\na(3);', 'called again through b() (line 5)'],
    ['async function trainEpoch() {\n  await model.fit(xs, ys, { epochs: 1 });\n}\nasync function next(e) {\n  if (e >= 3) return;\n  await trainEpoch();\n  await next(e + 1);\n}\nnext(0);', 'called again through next() (line 9)'],
    ['async function go(model) {\n  await model.fit(xs, ys);\n}\nasync function round(model) {\n  await go(model);\n}\nconst shared = tf.sequential();\nfor (const k of [1, 2]) await round(shared);', 'called in a loop (line 10, through round())'],
  ];
  for (const [code, where] of through) {
    const outcome = insertScheduleChanges('model.mjs', `${HEAD}${code}\n`, schedule);
    assert.ok('error' in outcome, code);
    assert.equal(outcome.error.reason, `fit is ${where}: each call would restart the 1cycle schedule`, code);
  }
  for (const [code, line] of loops) {
    const text = `${HEAD}${code}\n`;
    const outcome = insertScheduleChanges('model.mjs', text, schedule);
    assert.ok('error' in outcome, code);
    const method = code.includes('fitDataset') ? 'fitDataset' : 'fit';
    assert.equal(outcome.error.reason, `${method} is called in a loop (line ${line}): each call would restart the 1cycle schedule`, code);
    assert.equal(outcome.error.fix, `train with one ${method} of all the epochs, or, with lrlab's library, make one \`oneCycle({ maxLr: 0.3, minLr: 0.03, maxMomentum: 0.95, baseMomentum: 0.85, totalSteps })\` before the loop (totalSteps: the loop's batches in all) and pass it to every ${method} with \`initialEpoch: e\`: it resumes the cycle there (the schedule was not inserted)`);
    assert.equal(lenses(text)[0]!.title, `Can't insert 1cycle schedule: ${outcome.error.reason}`);
    // The weight decay does not start over with each fit (the L2 penalty is added once per layer).
    assert.ok('changes' in insertWeightDecayChanges('model.mjs', text, weightDecay), code);
  }
  // Not a loop that trains one model again: a fit after a loop, in a for loop's initializer or for…of's list, in a function
  // called once, or on a model each round makes (a sweep: built in the body, or the loop's variable, or passed to the
  // function from the body, or made by the function).
  const fresh = [
    'for (const x of xs) log(x);\nawait model.fit(xs, ys);',
    'for (const h = await model.fit(xs, ys); ;) break;',
    'for (const l of (await model.fit(xs, ys)).history.loss) log(l);',
    'const once = async () => {\n  await model.fit(xs, ys);\n};\nawait once();',
    'async function fold(model) {\n  await model.fit(xs, ys);\n}\nfor (let k = 0; k < 5; k++) {\n  const m = tf.sequential();\n  await fold(m);\n}',
    'async function trainOne() {\n  const model = tf.sequential();\n  await model.fit(xs, ys);\n}\nfor (let k = 0; k < 5; k++) await trainOne();',
    // Two calls away, each round's model passed down, or made by the middle function: each model trains once.
    'async function go(model) {\n  await model.fit(xs, ys);\n}\nasync function round(model) {\n  await go(model);\n}\nfor (let k = 0; k < 5; k++) {\n  const m = tf.sequential();\n  await round(m);\n}',
    'async function go(model) {\n  await model.fit(xs, ys);\n}\nasync function round() {\n  const model = tf.sequential();\n  await go(model);\n}\nfor (let k = 0; k < 5; k++) await round();',
    'async function inner() {\n  await model.fit(xs, ys, { epochs: 1 });\n}\nasync function outer() {\n  await inner();\n}\nawait outer();',
    'for (const units of [4, 8]) {\n  const net = tf.sequential();\n  await net.fit(xs, ys, { epochs: 3 });\n}',
    'for (const model of models) await model.fit(xs, ys, { epochs: 3 });',
    // A method called once; a callback whose rounds each have a model (its parameter, or built in it); a one-off timer.
    'class T {\n  model = tf.sequential();\n  async go() {\n    await this.model.fit(xs, ys);\n  }\n}\nawait new T().go();',
    'await Promise.all(nets.map((model) => model.fit(xs, ys)));',
    '[4, 8].forEach(async (units) => {\n  const net = tf.sequential();\n  await net.fit(xs, ys);\n});',
    'setTimeout(() => model.fit(xs, ys), 10);',
    // A new model assigned each round before its fit; the loop's index picking another model each round.
    'let net;\nfor (const units of [4, 8]) {\n  net = tf.sequential();\n  await net.fit(xs, ys);\n}',
    'for (let i = 0; i < models.length; i++) await models[i].fit(xs, ys);',
    'for (const k in models) await models[k]!.fit(xs, ys);',
  ];
  for (const code of fresh) {
    assert.ok('changes' in insertScheduleChanges('model.mjs', `${HEAD}${code}\n`, schedule), code);
  }
});

test('fitDataset on a dataset tfjs knows no size of, without batchesPerEpoch: the schedule is refused naming both lines (it would stop the fit at train start); the weight decay still goes in', () => {
  const unsized: [string, string, number][] = [
    ['const data = tf.data.generator(function* () {\n  yield { xs: x, ys: y };\n}).batch(4);\nawait model.fitDataset(data, { epochs: 2 });', 'tf.data.generator(…)', 3],
    ["const rows = tf.data.csv('train.csv', { columnConfigs: { y: { isLabel: true } } });\nconst batched = rows.map(toXY).batch(32);\nawait model.fitDataset(batched, { epochs: 5, callbacks: [log] });", 'tf.data.csv(…)', 3],
    ['await model.fitDataset(tf.data.array(items).filter((r) => r.ok).batch(8), { epochs: 2 });', '.filter(…)', 3],
    ['const opts = { epochs: 2 };\nawait model.fitDataset(tf.data.array(items).repeat().batch(8), opts);', '.repeat(…)', 4],
    ['await model.fitDataset(tf.data.zip({ xs: tf.data.array(xs), ys: tf.data.func(next) }).batch(4));', 'tf.data.func(…)', 3],
    // take(n) sizes an endless repeat(), not a dataset that never had a size.
    ['await model.fitDataset(tf.data.generator(gen).repeat().take(50).batch(8), { epochs: 2 });', 'tf.data.generator(…)', 3],
    ['await model.fitDataset(tf.data.generator(gen).take(50), { epochs: 2 });', 'tf.data.generator(…)', 3],
    // A user trial: zip's members in shorthand, and a generator appended by concatenate, were taken as sized.
    ['const xs = tf.data.generator(genX);\nconst ys = tf.data.array(labels);\nawait model.fitDataset(tf.data.zip({ xs, ys }).batch(4), { epochs: 2 });', 'tf.data.generator(…)', 3],
    ['const extra = tf.data.generator(gen);\nawait model.fitDataset(tf.data.array(items).concatenate(extra).batch(4), { epochs: 2 });', 'tf.data.generator(…)', 3],
  ];
  for (const [code, made, line] of unsized) {
    const text = `${HEAD}${code}\n`;
    const outcome = insertScheduleChanges('model.mjs', text, schedule);
    assert.ok('error' in outcome, code);
    const fitLine = text.split('\n').findIndex((l) => l.includes('fitDataset(')) + 1;
    assert.equal(outcome.error.reason, `fitDataset (line ${fitLine}) gives no batchesPerEpoch, and its dataset from ${made} (line ${line}) has no size tfjs knows: the 1cycle schedule cannot count its steps`, code);
    assert.equal(outcome.error.fix, "add `batchesPerEpoch: <batches in one epoch>` to fitDataset's options, then insert again (the schedule was not inserted)");
    assert.equal(lenses(text)[0]!.title, `Can't insert 1cycle schedule: ${outcome.error.reason}`);
    assert.ok('changes' in insertWeightDecayChanges('model.mjs', text, weightDecay), code);
  }
  // Sized, or told: batchesPerEpoch in the call or its options' const, a finite repeat, an array dataset; and where LR Lab cannot tell, not refused.
  const counted = [
    'const data = tf.data.generator(gen).batch(4);\nawait model.fitDataset(data, { epochs: 2, batchesPerEpoch: 10 });',
    'const opts = { epochs: 2, batchesPerEpoch: 10 };\nawait model.fitDataset(tf.data.generator(gen), opts);',
    'await model.fitDataset(tf.data.array(items).map(f).shuffle(10).batch(8).repeat(2), { epochs: 2 });',
    // tfjs: take(n) of repeat()'s endless dataset has size n (it was refused).
    'await model.fitDataset(tf.data.array(items).repeat().take(200).batch(8), { epochs: 2 });',
    'const endless = tf.data.array(items).shuffle(10).repeat();\nawait model.fitDataset(endless.take(64).batch(8), { epochs: 2 });',
    'const xs = tf.data.array(a);\nconst ys = tf.data.array(b);\nawait model.fitDataset(tf.data.zip({ xs, ys }).concatenate(tf.data.array(c)).batch(4), { epochs: 2 });',
    'await model.fitDataset(tf.data.zip({ xs: tf.data.array(xs), ys: tf.data.array(ys) }).batch(4), { epochs: 2 });',
    'export async function go(data) {\n  await model.fitDataset(data, { epochs: 2 });\n}',
    'await model.fitDataset(tf.data.generator(gen), { ...more, callbacks: [] });',
    'let data = tf.data.generator(gen);\ndata = withSize(data);\nawait model.fitDataset(data, { epochs: 2 });',
  ];
  for (const code of counted) assert.ok('changes' in insertScheduleChanges('model.mjs', `${HEAD}${code}\n`, schedule), code);
  // Inserted where LR Lab cannot follow the dataset, but not without a word: a user's fitDataset over a
  // dataset imported, made by a function or passed in (tf.data.csv each) got the schedule silently, and the edited script died at fit.
  const untraced: [string, string][] = [
    ['export async function go(data) {\n  await model.fitDataset(data, { epochs: 2 });\n}', '`data`'],
    ['await model.fitDataset(makeDataset(), { epochs: 2 });', 'the result of `makeDataset(…)`'],
    ['await model.fitDataset(loader.train().batch(32), { epochs: 2 });', 'the result of `loader.train(…)`'],
    ['let data = tf.data.generator(gen);\ndata = withSize(data);\nawait model.fitDataset(data, { epochs: 2 });', '`data`'],
  ];
  for (const [code, at] of untraced) {
    const text = `${HEAD}${code}\n`;
    const outcome = insertScheduleChanges('model.mjs', text, schedule);
    assert.ok('changes' in outcome && outcome.caution !== undefined, code);
    const fitLine = text.split('\n').findIndex((l) => l.includes('fitDataset(')) + 1;
    assert.equal(outcome.caution.reason, `fitDataset (line ${fitLine}) gives no batchesPerEpoch, and LR Lab cannot follow its dataset past ${at} to see whether tfjs knows its size`, code);
    assert.equal(outcome.caution.fix, "if it comes from tf.data.generator, csv or func, a filter, or a repeat() without a count, the schedule stops the fit at its start: add `batchesPerEpoch: <batches in one epoch>` to fitDataset's options");
    const decay = insertWeightDecayChanges('model.mjs', text, weightDecay);
    assert.ok('changes' in decay && decay.caution === undefined, 'the weight decay counts no steps');
  }
  // Followed to tf.data, or told: no caution.
  for (const code of counted.slice(0, 7)) {
    const outcome = insertScheduleChanges('model.mjs', `${HEAD}${code}\n`, schedule);
    assert.ok('changes' in outcome && outcome.caution === undefined, code);
  }
  assert.ok(!('caution' in insertScheduleChanges('model.mjs', `${HEAD}await model.fit(xs, ys, { epochs: 2 });\n`, schedule)));
});

test('a callbacks array cast to a type: the call is cast to its element type through unknown (strict-clean, styles.test.ts runs one); a type LR Lab cannot read the element of gets the block only', () => {
  const cases: [string, string][] = [
    ['[] as tf.Callback[]', '[lrlabOneCycle(model) as unknown as tf.Callback] as tf.Callback[]'],
    ['<Array<tf.Callback>>[stop]', '<Array<tf.Callback>>[stop, lrlabOneCycle(model) as unknown as tf.Callback]'],
    ['([log] as (tf.Callback | tf.CustomCallbackArgs)[])', '([log, lrlabOneCycle(model) as unknown as (tf.Callback | tf.CustomCallbackArgs)] as (tf.Callback | tf.CustomCallbackArgs)[])'],
    ['[stop] satisfies readonly tf.Callback[] as tf.Callback[]', '[stop, lrlabOneCycle(model) as unknown as tf.Callback] satisfies readonly tf.Callback[] as tf.Callback[]'],
    ['[log] as ReadonlyArray<tf.CustomCallbackArgs>', '[log, lrlabOneCycle(model) as unknown as tf.CustomCallbackArgs] as ReadonlyArray<tf.CustomCallbackArgs>'],
  ];
  for (const [before, after] of cases) {
    const text = `${HEAD}await model.fit(xs, ys, { callbacks: ${before} });\n`;
    const outcome = insertScheduleChanges('model.ts', text, schedule);
    assert.ok('changes' in outcome, before);
    assert.ok(applyChanges(text, outcome.changes).includes(`{ callbacks: ${after} }`), before);
  }
  const alias = `${HEAD}await model.fit(xs, ys, {\n  callbacks: [] as Callbacks,\n});\n`;
  const refused = insertScheduleChanges('model.ts', alias, schedule);
  assert.ok('notice' in refused && refused.notice !== undefined, 'the block only');
  assert.equal(refused.notice.reason, 'the callbacks array is cast to a type LR Lab cannot read its element type from (line 4)');
});

const HOSTILE_STRINGS = ['\nfor(var', ';;);//', '*/ alert(1) /*', "'\"\\`${x}", '\u2028x\u2029y', '\r\nconst a = 1', '2026-11-28\n', 'x'.repeat(100_000), '</script>', '\u0000'];

test('hostile run ids and dates: the comment keeps only safe characters and the code is the same as for clean values', () => {
  const fit = `${HEAD}await model.fit(xs, ys);\n`;
  const clean = applyChanges(fit, (insertScheduleChanges('model.mjs', fit, { ...schedule, runId: 'forvar', date: '' }) as { changes: [] }).changes);
  const cleanDecay = applyChanges(fit, (insertWeightDecayChanges('model.mjs', fit, { ...weightDecay, runId: 'forvar', date: '' }) as { changes: [] }).changes);
  const code = (text: string): string => text.split('\n').filter((l) => !l.trimStart().startsWith('//')).join('\n');
  // The JavaScript blocks' JSDoc types end their comments; nothing from a run file may end another.
  const commentEnds = (text: string): number => text.split('*/').length - 1;
  for (const runId of [...HOSTILE_STRINGS, 42, null, { toString: () => '\nboom' }]) {
    for (const date of [...HOSTILE_STRINGS, 20261128, undefined]) {
      const values = { ...schedule, runId, date } as unknown as ScheduleValues;
      const outcome = insertScheduleChanges('model.mjs', fit, values);
      assert.ok('changes' in outcome);
      const text = applyChanges(fit, outcome.changes);
      assert.equal(code(text), code(clean), `code from runId ${JSON.stringify(runId)} / date ${JSON.stringify(date)}`);
      const comment = text.split('\n').find((l) => l.startsWith('// LR Lab 1cycle'))!;
      assert.match(comment, /^\/\/ LR Lab 1cycle \(Smith\) from run [A-Za-z0-9_-]{1,8}( on \d{4}-\d{2}-\d{2})?: LR 0\.03 → 0\.3 → 3e-5, momentum 0\.95 → 0\.85 → 0\.95 where the optimizer has momentum \(not 0\)\.$/);
      assert.doesNotMatch(text, /[\u2028\u2029\r\u0000]|for\(var|<\/script>/);
      assert.equal(commentEnds(text), commentEnds(clean));
      const decay = insertWeightDecayChanges('model.mjs', fit, { ...weightDecay, runId, date, source: runId } as unknown as WeightDecayValues);
      assert.ok('changes' in decay);
      const decayed = applyChanges(fit, decay.changes);
      assert.doesNotMatch(decayed, /[\u2028\u2029\r\u0000]|for\(var|<\/script>/);
      assert.equal(commentEnds(decayed), commentEnds(cleanDecay));
      assert.equal(code(decayed), code(cleanDecay));
    }
  }
  assert.equal(safeRunId('\nfor(var'), 'forvar');
  assert.equal(safeRunId('"\u2028'), 'unknown');
  assert.equal(safeDate('2026-11-28'), '2026-11-28');
  assert.equal(safeDate(';;);//'), null);
});

const BAD_NUMBERS: [string, unknown, RegExp][] = [
  ['a string that reads as a huge number', '1e999', /is a string, not a number/],
  ['a string that reads as a fine number', '0.3', /is a string, not a number/],
  ['Infinity', Infinity, /is Infinity/],
  ['null (what JSON makes of Infinity)', null, /is null \(not a finite number\)/],
  ['NaN', NaN, /is NaN/],
  ['a huge number', 1e300, /1e300 is outside \(0, 100\]/],
  ['a negative number', -0.3, /-0\.3 is outside \(0, 100\]/],
  ['zero', 0, /0 is outside \(0, 100\]/],
  ['an object', { valueOf: () => 0.3 }, /is object, not a number/],
  ['an array', [0.3], /is an array, not a number/],
];

for (const [what, value, reason] of BAD_NUMBERS) {
  test(`a run whose maxLr is ${what} makes no code: the lens says why`, () => {
    const text = `${HEAD}await model.fit(xs, ys);\n`;
    const bad = { ...schedule, maxLr: value } as unknown as ScheduleValues;
    const outcome = insertScheduleChanges('model.mjs', text, bad);
    assert.ok('error' in outcome);
    assert.match(outcome.error.reason, /^run 01234567 on 2026-11-28: its maxLr /);
    assert.match(outcome.error.reason, reason);
    const [lens] = lenses(text, bad);
    assert.equal(lens!.title, `Can't insert 1cycle schedule: ${outcome.error.reason}`);
    assert.equal(outcome.error.fix, 'run the experiment again; the schedule was not inserted');
  });
}

test('every other field is checked too: minLr, the momentum pair, the weight decay and its form', () => {
  const text = `${HEAD}await model.fit(xs, ys);\n`;
  const refusedSchedule: [Partial<Record<keyof ScheduleValues, unknown>>, RegExp][] = [
    [{ minLr: '0.03' }, /its minLr is a string/],
    [{ minLr: 0.5 }, /its minLr 0\.5 exceeds its maxLr 0\.3/],
    [{ maxMomentum: 1 }, /its maxMomentum 1 is outside \[0, 1\)/],
    [{ maxMomentum: 0.99999 }, /its maxMomentum 1 is outside \[0, 1\)/],
    [{ minMomentum: -0.1 }, /its minMomentum -0\.1 is outside/],
    [{ minMomentum: 0.96 }, /its minMomentum 0\.96 exceeds its maxMomentum 0\.95/],
    [{ maxMomentum: '0.95\nfor(;;);' }, /its maxMomentum is a string/],
  ];
  for (const [change, reason] of refusedSchedule) {
    const outcome = insertScheduleChanges('model.mjs', text, { ...schedule, ...change } as ScheduleValues);
    assert.ok('error' in outcome && reason.test(outcome.error.reason), `${JSON.stringify(change)}: ${JSON.stringify(outcome)}`);
  }
  const refusedDecay: [Partial<Record<keyof WeightDecayValues, unknown>>, RegExp][] = [
    [{ weightDecay: '1e-4' }, /its weight decay is a string/],
    [{ weightDecay: Infinity }, /its weight decay is Infinity/],
    [{ weightDecay: 1.5 }, /its weight decay 1\.5e0 is outside \(0, 1\)/],
    [{ weightDecay: -1e-4 }, /its weight decay -1e-4 is outside \(0, 1\)/],
    [{ form: 'l2\nfor(;;);' }, /its form is not 'l2' or 'decoupled'/],
  ];
  for (const [change, reason] of refusedDecay) {
    const outcome = insertWeightDecayChanges('model.mjs', text, { ...weightDecay, ...change } as WeightDecayValues);
    assert.ok('error' in outcome && reason.test(outcome.error.reason), `${JSON.stringify(change)}: ${JSON.stringify(outcome)}`);
    assert.match(lenses(text, schedule, { ...weightDecay, ...change })[1]!.title, /^Can't insert weight decay: sweep run fedcba98 on 2026-11-29: /);
  }
  // Whatever the values hold, building lenses does not throw.
  for (const junk of [null, undefined, 'x', 42, [], { maxLr: { toString: null } }]) assert.doesNotThrow(() => lenses(text, junk, junk));
});

test('every LR in range becomes a literal equal to what the lens shows, and the code parses', () => {
  for (let i = 0; i < 200; i++) {
    const maxLr = 10 ** (-7 + (i / 200) * 9);
    const values = { ...schedule, maxLr, minLr: maxLr / 10 };
    const literals = checkSchedule(values);
    assert.ok(literals.ok, String(maxLr));
    assert.equal(literals.value.maxLr, formatLr(maxLr));
    const text = `${HEAD}await model.fit(xs, ys);\n`;
    const outcome = insertScheduleChanges('model.mjs', text, values);
    assert.ok('changes' in outcome);
    const edited = applyChanges(text, outcome.changes);
    assert.ok(edited.includes(`const maxLr = ${formatLr(maxLr)};`));
    const parsed = ts.createSourceFile('m.mjs', edited, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS) as ts.SourceFile & { parseDiagnostics: unknown[] };
    assert.deepEqual(parsed.parseDiagnostics, [], String(maxLr));
  }
});

test('a fit whose callbacks already drive the LR (LR Lab library schedules, a callback that sets the learning rate): the schedule goes in with a caution naming them; the weight decay without one', () => {
  // A user's `callbacks: [oneCycle({ maxLr: 0.05 }), decay]` got the schedule appended with nothing said, and trained at 0.287.
  const driven: [string, string][] = [
    ["import { oneCycle } from 'lrlab';\nconst decay = { onEpochEnd: async (e) => { model.optimizer.setLearningRate(0.1 / (e + 1)); } };\nawait model.fit(xs, ys, { epochs: 2, callbacks: [oneCycle({ maxLr: 0.05 }), decay] });", "`oneCycle(…)` (LR Lab's library oneCycle) and `decay`, which sets the learning rate"],
    ['const cbs = [lrlab.cyclicLr({ maxLr: 0.1, stepSizeUp: 10 })];\nawait model.fit(xs, ys, { epochs: 2, callbacks: cbs });', "`cyclicLr(…)` (LR Lab's library cyclicLr)"],
    ['await model.fit(xs, ys, { epochs: 2, callbacks: { onBatchBegin: async () => { model.optimizer.learningRate = 0.01; } } });', 'an inline callback, which sets the learning rate'],
  ];
  for (const [code, named] of driven) {
    const text = `${HEAD}${code}\n`;
    const outcome = insertScheduleChanges('model.mjs', text, schedule);
    assert.ok('changes' in outcome && outcome.caution !== undefined, code);
    assert.equal(outcome.caution.reason, `fit (line ${text.split('\n').findIndex((l) => l.includes('model.fit(')) + 1}) already has ${named} in its callbacks: both set the LR before every batch, and the schedule, last in the array, overrides it`, code);
    assert.equal(outcome.caution.fix, 'remove the other schedule from the callbacks to train with the schedule alone (Undo removes the schedule)');
    const decay = insertWeightDecayChanges('model.mjs', text, weightDecay);
    assert.ok('changes' in decay && decay.caution === undefined, code);
    // Inserted again: its own call is no other schedule, the others still are.
    const again = insertScheduleChanges('model.mjs', applyChanges(text, outcome.changes), schedule);
    assert.ok('changes' in again && again.caution?.reason.includes(named), code);
  }
  // Callbacks that only log, or read the LR: no caution.
  for (const code of ['await model.fit(xs, ys, { epochs: 2, callbacks: [tf.callbacks.earlyStopping(), { onEpochEnd: (e, logs) => console.log(model.optimizer.learningRate === 0.1, logs) }] });', 'await model.fit(xs, ys, { epochs: 2 });']) {
    const outcome = insertScheduleChanges('model.mjs', `${HEAD}${code}\n`, schedule);
    assert.ok('changes' in outcome && outcome.caution === undefined, code);
  }
});

test('the compile call checked is the fit\'s own model\'s: its variable (not another function\'s variable of the same name), or the one inside the local function that built it; where none links, another family elsewhere is a caution', () => {
  const builders = (order: 'model-first' | 'baseline-first'): string => {
    const model = "function createModel() {\n  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });\n  model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });\n  return model;\n}\n";
    const baseline = "function createBaseline() {\n  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });\n  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\n  return model;\n}\n";
    return `import * as tf from '@tensorflow/tfjs';\n${order === 'model-first' ? model + baseline : baseline + model}async function train(xs, ys) {\n  const model = createModel();\n  await model.fit(xs, ys, { epochs: 2 });\n}\n`;
  };
  // A user's Adam model beside a plain-SGD baseline compiled further down: an Adam run was refused ("compiles sgd (line 15)"), an SGD one taken.
  for (const order of ['model-first', 'baseline-first'] as const) {
    const text = builders(order);
    assert.ok('changes' in insertScheduleChanges('model.mjs', text, { ...schedule, optimizer: 'adam' }), order);
    const refused = insertScheduleChanges('model.mjs', text, { ...schedule, optimizer: 'sgd' });
    assert.ok('error' in refused, order);
    assert.match(refused.error.reason, /^the range test ran with sgd, but `model` compiles adam \(line (4|9)\): /, order);
  }
  // Built by a helper that compiles its own variable: `m.compile` is the model's.
  const helper = "import * as tf from '@tensorflow/tfjs';\nconst build = (units) => {\n  const m = tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [3] })] });\n  m.compile({ optimizer: tf.train.momentum(0.02, 0.9), loss: 'meanSquaredError' });\n  return m;\n};\nconst model = await build(4);\nawait model.fit(xs, ys, { epochs: 2 });\n";
  const viaHelper = insertScheduleChanges('model.mjs', helper, { ...schedule, optimizer: 'adam' });
  assert.ok('error' in viaHelper);
  assert.match(viaHelper.error.reason, /^the range test ran with adam, but `model` compiles sgd \(`m\.compile`, line 4\): /);
  assert.ok('changes' in insertScheduleChanges('model.mjs', helper, { ...schedule, optimizer: 'sgd' }));
  // An ensemble's models from a .map: no compile links to the fit's parameter; the file compiles another family, so a caution.
  const ensemble = "import * as tf from '@tensorflow/tfjs';\nconst models = [2, 4].map((units) => {\n  const m = tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [3] })] });\n  m.compile({ optimizer: tf.train.momentum(0.02, 0.9), loss: 'meanSquaredError' });\n  return m;\n});\nawait Promise.all(models.map((model) => model.fit(xs, ys, { epochs: 2 })));\n";
  const unlinked = insertScheduleChanges('model.mjs', ensemble, { ...schedule, optimizer: 'adam' });
  assert.ok('changes' in unlinked);
  assert.equal(unlinked.caution?.reason, 'the range test ran with adam, and LR Lab cannot tell which compile call compiles the model this fit (line 7) trains, while `m.compile` (line 4) compiles sgd: an LR found with one optimizer is in the wrong decade for another');
  const sameFamily = insertScheduleChanges('model.mjs', ensemble, { ...schedule, optimizer: 'sgd' });
  assert.ok('changes' in sameFamily && sameFamily.caution === undefined);
});

test('a schedule found with an optimizer of another family than the one the fit\'s model compiles is refused, naming both (read through a const too); the same family is not; one LR Lab cannot read goes in with a caution', () => {
  // A user's run on SGD, after which they compiled Adam: the lens inserted SGD's max LR 0.3 into the Adam model.
  const fitLine = 'await model.fit(xs, ys, { epochs: 2 });';
  const adamFile = `${HEAD}model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });\n${fitLine}\n`;
  const refused = insertScheduleChanges('model.mjs', adamFile, { ...schedule, optimizer: 'sgd' });
  assert.ok('error' in refused);
  assert.equal(refused.error.reason, 'the range test ran with sgd, but `model` compiles adam (line 3): an LR found with one optimizer is in the wrong decade for the other');
  assert.equal(refused.error.fix, 'run Find learning rate again on this file (it tests the optimizer the file compiles), or compile with sgd (the schedule was not inserted)');
  assert.equal(lenses(adamFile, { ...schedule, optimizer: 'sgd' })[0]!.title, `Can't insert 1cycle schedule: ${refused.error.reason}`);
  // Strings compile takes, and other namespaces: read as well.
  const stringFile = `${HEAD}model.compile({ optimizer: 'rmsprop', loss: 'meanSquaredError' });\n${fitLine}\n`;
  assert.ok('error' in insertScheduleChanges('model.mjs', stringFile, { ...schedule, optimizer: 'adam' }));
  const same: [string, string][] = [
    [adamFile, 'adam'],
    [adamFile, 'adamw'],
    [`${HEAD}model.compile({ optimizer: tf.train.momentum(0.1, 0.9, true), loss: 'meanSquaredError' });\n${fitLine}\n`, 'nesterov'],
    [stringFile, 'rmsprop'],
  ];
  for (const [text, optimizer] of same) assert.ok('changes' in insertScheduleChanges('model.mjs', text, { ...schedule, optimizer }), `${optimizer}: ${text}`);
  // An optimizer in a const the file declares, or a compile config in one: read there (a user's Adam behind
  // `const opt` took SGD's LR without a word).
  for (const compile of [`const opt = tf.train.adam(0.01);\nmodel.compile({ optimizer: opt, loss: 'meanSquaredError' });`, `const optimizer = 'adam';\nmodel.compile({ optimizer, loss: 'meanSquaredError' });`, `const args = { optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' };\nmodel.compile(args);`]) {
    const behind = insertScheduleChanges('model.mjs', `${HEAD}${compile}\n${fitLine}\n`, { ...schedule, optimizer: 'sgd' });
    assert.ok('error' in behind && behind.error.reason.startsWith('the range test ran with sgd, but `model` compiles adam (line 4)'), compile);
  }
  // One the file does not show: inserted, with a caution naming what LR Lab cannot read.
  for (const [compile, shown] of [['model.compile({ optimizer: cfg.optimizer, loss: \'meanSquaredError\' });', 'cfg.optimizer'], ['model.compile({ optimizer: makeOptimizer(), loss: \'meanSquaredError\' });', 'makeOptimizer()'], ['model.compile(config.compileArgs);', 'config.compileArgs'], ['model.compile({ ...base, loss: \'meanSquaredError\' });', 'base']]) {
    const unseen = insertScheduleChanges('model.mjs', `${HEAD}${compile}\n${fitLine}\n`, { ...schedule, optimizer: 'sgd' });
    assert.ok('changes' in unseen, compile);
    assert.equal(unseen.caution?.reason, `the range test ran with sgd, and LR Lab cannot tell which optimizer \`${shown}\` (line 3) compiles: an LR found with one optimizer is in the wrong decade for another`, compile);
    assert.equal(unseen.caution?.fix, 'check that `model` compiles sgd; if not, Undo and run Find learning rate again with the optimizer it compiles');
    // Without the run's optimizer (an older result): nothing to compare, no caution.
    const older = insertScheduleChanges('model.mjs', `${HEAD}${compile}\n${fitLine}\n`, schedule);
    assert.ok('changes' in older && older.caution === undefined, compile);
  }
  assert.ok('changes' in insertScheduleChanges('model.mjs', adamFile, schedule));
  assert.ok('changes' in insertScheduleChanges('model.mjs', adamFile, { ...schedule, optimizer: 42 as unknown as string }));
  // The weight decay is not an LR: it goes in.
  assert.ok('changes' in insertWeightDecayChanges('model.mjs', adamFile, weightDecay));
});

test('weight decay into a model whose layers regularize their own kernels: inserted, with a caution naming the regularizer, that the two add up as in LR Lab\'s runs; none where a regularizer is null or absent', () => {
  const own = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nmodel.add(tf.layers.dense({ units: 4, inputShape: [3], kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }));\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nawait model.fit(xs, ys, { epochs: 2 });\n";
  for (const form of ['l2', 'decoupled'] as const) {
    const outcome = insertWeightDecayChanges('model.mjs', own, { ...weightDecay, form });
    assert.ok('changes' in outcome, form);
    assert.equal(outcome.caution?.reason, "the model's layers have a regularizer of their own (`kernelRegularizer: tf.regularizers.l2({ l2: 0.01 })`, line 3): the inserted weight decay adds to it, as it did in LR Lab's runs, which trained with the model's own regularizers — the decay the model gets is both");
    assert.equal(outcome.caution?.fix, "keep both to train as LR Lab measured; to decay by LR Lab's value alone, remove the layers' kernelRegularizer and compare weight decays again (Undo removes the weight decay)");
  }
  // The schedule is no decay: no such caution; a regularizer set to null, or none: none.
  assert.ok(!('caution' in insertScheduleChanges('model.mjs', own, schedule)));
  for (const text of [own.replace('tf.regularizers.l2({ l2: 0.01 })', 'null'), own.replace(', kernelRegularizer: tf.regularizers.l2({ l2: 0.01 })', '')]) {
    const outcome = insertWeightDecayChanges('model.mjs', text, weightDecay);
    assert.ok('changes' in outcome && outcome.caution === undefined, text);
  }
});
