/**
 * Insertion into files as users leave them (the user trial's edits, scratch/user10/edits.ts): a
 * marker line deleted, duplicated or moved, a factory left without its markers, marker text in a
 * string. Each damaged file is refused with what to repair — never a second block (the factory
 * declared twice) and never the user's code between mismatched markers deleted — and only a
 * whole `//` comment line counts as a marker. A file that does not parse is refused, naming the
 * first error's line: the parser's recovered tree would place the edit wrongly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges, insertScheduleChanges, insertWeightDecayChanges } from '../../src/server/insertEdit';
import type { InsertOutcome } from '../../src/server/insertEdit';
import { insertLenses } from '../../src/server/insertLenses';
import { scan } from '../../src/server/scanner';
import { changed, schedule, weightDecay } from './insertCases';

/** The trial's base file (cases/c25_base.mjs). */
const BASE = `import * as tf from '@tensorflow/tfjs';

export async function train() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 3, inputShape: [2], activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  const xs = tf.ones([8, 2]);
  const ys = tf.ones([8, 1]);
  const stats = []; // per-epoch loss
  await model.fit(xs, ys, {
    epochs: 2,
    batchSize: 4,
    callbacks: [{ onEpochEnd: (e, logs) => stats.push(logs.loss) }],
  });
  return stats;
}
`;

const schedule2 = { ...schedule, maxLr: 0.5, minLr: 0.05 };
const inserted = changed(insertScheduleChanges('m.mjs', BASE, schedule), BASE);
/** Lines of the inserted file: the block's start marker (11), its end marker, and the file's last line. */
const lines = inserted.split('\n');
const END = lines.indexOf('  // </lrlab:schedule>') + 1;
const LAST = lines.length - 1;

function refused(outcome: InsertOutcome): { reason: string; fix: string } {
  assert.ok('error' in outcome, `inserted: ${'changes' in outcome ? JSON.stringify(outcome.changes.map((c) => c.text.slice(0, 60))) : ''}`);
  return outcome.error;
}

test('the end marker deleted (and code added after the block): re-inserting is refused, saying which marker is missing; nothing is added or deleted', () => {
  const damaged = inserted.replace('  // </lrlab:schedule>\n', '').replace('  await model.fit(', '  const userLine = "keep me";\n  console.log(userLine);\n  await model.fit(');
  const { reason, fix } = refused(insertScheduleChanges('m.mjs', damaged, schedule2));
  assert.equal(reason, "the schedule's block markers do not pair up: `// <lrlab:schedule>` at line 11 has no `// </lrlab:schedule>` after it");
  assert.match(fix, /^keep one `\/\/ <lrlab:schedule>` line above `function lrlabOneCycle` \(lines 15–\d+\) and one `\/\/ <\/lrlab:schedule>` line below it, or delete the block and its markers; then insert again \(the schedule was not inserted\)$/);
  // The weight decay has its own markers: it still goes in, and the user's lines stay.
  const decayed = changed(insertWeightDecayChanges('m.mjs', damaged, weightDecay), damaged);
  assert.ok(decayed.includes('const userLine = "keep me";\n  console.log(userLine);\n'));
  assert.equal(decayed.match(/function lrlabOneCycle/g)?.length, 1);
});

test('markers that do not pair up: an orphan end marker, two start markers, the end before the start — each refused with its lines', () => {
  const cases: [string, string][] = [
    [inserted.replace('  // <lrlab:schedule>\n', ''), `\`// </lrlab:schedule>\` at line ${END - 1} has no \`// <lrlab:schedule>\` before it`],
    [`${inserted}// <lrlab:schedule>\n`, `the file has 2 \`// <lrlab:schedule>\` markers (lines 11 and ${LAST + 1})`],
    [`${inserted}// </lrlab:schedule>\n`, `the file has 2 \`// </lrlab:schedule>\` markers (lines ${END} and ${LAST + 1})`],
    [inserted.replace('  // <lrlab:schedule>\n', '').replace('  // </lrlab:schedule>\n', '').replace('export async function train() {\n', 'export async function train() {\n  // </lrlab:schedule>\n').replace('  return stats;\n', '  // <lrlab:schedule>\n  return stats;\n'), `\`// </lrlab:schedule>\` (line 4) comes before \`// <lrlab:schedule>\` (line ${LAST - 2})`],
  ];
  for (const [text, why] of cases) {
    const { reason } = refused(insertScheduleChanges('m.mjs', text, schedule2));
    assert.equal(reason, `the schedule's block markers do not pair up: ${why}`);
  }
});

test('the factory without its markers, or declared a second time outside the block: refused (a second block would declare it twice)', () => {
  const bare = inserted.replace('  // <lrlab:schedule>\n', '').replace('  // </lrlab:schedule>\n', '');
  const lost = refused(insertScheduleChanges('m.mjs', bare, schedule2));
  assert.equal(lost.reason, '`function lrlabOneCycle` at line 14 has lost its LR Lab markers');
  assert.ok(lost.fix.startsWith(`put back one \`// <lrlab:schedule>\` line above \`function lrlabOneCycle\` (lines 14–${END - 2}) and one \`// </lrlab:schedule>\` line below it, or delete the function; then insert again`), lost.fix);
  const twice = refused(insertScheduleChanges('m.mjs', `${inserted}function lrlabOneCycle(model) {}\n`, schedule2));
  assert.equal(twice.reason, `\`lrlabOneCycle\` is declared again at line ${LAST + 1}, outside LR Lab's block (lines 11–${END})`);
  assert.ok(twice.fix.startsWith(`delete the declaration at line ${LAST + 1} (LR Lab's block declares it)`), twice.fix);
  const decayTwice = changed(insertWeightDecayChanges('m.mjs', BASE, weightDecay), BASE);
  assert.match(refused(insertWeightDecayChanges('m.mjs', `${decayTwice}const lrlabWeightDecay = () => {};\n`, weightDecay)).reason, /^`lrlabWeightDecay` is declared again at line \d+, outside LR Lab's block/);
});

test('a marker line the user wrote more on is named as such (not "has no end marker" beside it in plain sight); a block whose function was renamed, its calls too, is refused rather than left calling a name the new block drops', () => {
  const noted = inserted.replace('  // </lrlab:schedule>\n', '  // </lrlab:schedule> (do not edit)\n');
  const loose = refused(insertScheduleChanges('m.mjs', noted, schedule2));
  assert.equal(loose.reason, `line ${END} holds \`// </lrlab:schedule>\` with other text on it: a marker of the schedule's block must be alone on its line`);
  assert.equal(loose.fix, `make line ${END} hold \`// </lrlab:schedule>\` alone (move the rest to a line of its own); then insert again (the schedule was not inserted)`);
  // Renamed in the block and at its call: inserting again would replace the block (declaring lrlabOneCycle) and leave oneCycle(model) undefined.
  const renamed = inserted.replaceAll('lrlabOneCycle', 'oneCycle');
  const callLine = renamed.split('\n').findIndex((l) => l.includes('callbacks: [') && l.includes('oneCycle(model)')) + 1;
  const gone = refused(insertScheduleChanges('m.mjs', renamed, schedule2));
  assert.equal(gone.reason, `LR Lab's block of the schedule (lines 11–${END}) declares \`oneCycle\`, not \`lrlabOneCycle\`, and line ${callLine} calls it: inserting replaces the whole block, which would leave that call undefined`);
  assert.match(gone.fix, /^rename it back to `lrlabOneCycle` in the block and where it is called, or delete the block and its calls; then insert again/);
  // Rewritten as an arrow const of its own name: still LR Lab's block, replaced in place.
  const arrow = inserted.replace(/function lrlabOneCycle\(([^)]*)\) \{/, 'const lrlabOneCycle = ($1) => {');
  assert.ok('changes' in insertScheduleChanges('m.mjs', arrow, schedule2), arrow.slice(0, 200));
});

test('marker text that is not a whole comment line is no marker: in a string, a template literal, a block comment, after code', () => {
  const cases = [
    "const HELP = 'LR Lab writes // <lrlab:schedule> … // </lrlab:schedule> around its code';\n",
    'const doc = `\n// <lrlab:schedule>\n`;\n',
    '/*\n// </lrlab:schedule>\n*/\n',
    'const a = 1; // <lrlab:schedule>\n',
  ];
  for (const extra of cases) {
    const text = `import * as tf from '@tensorflow/tfjs';\n${extra}const model = tf.sequential();\nawait model.fit(xs, ys, { epochs: 2 });\n`;
    const out = changed(insertScheduleChanges('m.mjs', text, schedule), text);
    assert.ok(out.startsWith(`import * as tf from '@tensorflow/tfjs';\n${extra}const model = tf.sequential();\n// <lrlab:schedule>\n`), out.slice(0, 300));
    assert.equal(out.match(/function lrlabOneCycle/g)?.length, 1);
    // Inserting again replaces the block it made.
    assert.equal(changed(insertScheduleChanges('m.mjs', out, schedule), out), out);
  }
});

test('an intact block is still replaced in place, with CRLF line ends too', () => {
  const again = changed(insertScheduleChanges('m.mjs', inserted, schedule2), inserted);
  assert.equal(again, applyChanges(BASE, (insertScheduleChanges('m.mjs', BASE, schedule2) as { changes: [] }).changes));
  const crlf = inserted.replace(/\n/g, '\r\n');
  const replaced = changed(insertScheduleChanges('m.mjs', crlf, schedule2), crlf);
  assert.match(replaced, /const maxLr = 0\.5;/);
  assert.equal(replaced.match(/<lrlab:schedule>/g)?.length, 1);
});

test('a file with a syntax error is refused, naming its first error, on the lens too: the recovered tree would glue the call into the next statement', () => {
  // The trial's cases/c27b_syntax_in_fit.mjs: the callbacks array left open.
  const text = "import * as tf from '@tensorflow/tfjs';\n\nconst model = tf.sequential();\nmodel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nawait model.fit(tf.ones([4, 2]), tf.ones([4, 1]), { epochs: 1, callbacks: [logger\nconsole.log('after');\n";
  for (const outcome of [insertScheduleChanges('m.mjs', text, schedule), insertWeightDecayChanges('m.mjs', text, weightDecay)]) {
    const { reason, fix } = refused(outcome);
    assert.equal(reason, "the file has a syntax error at line 6 (',' expected)");
    assert.match(fix, /^fix it, then insert again \(the (schedule|weight decay) was not inserted\)$/);
  }
  const titles = insertLenses({ uri: 'file:///m.mjs', version: 1, fileName: 'm.mjs', text }, scan('m.mjs', text), schedule, weightDecay).map((l) => l.command!.title);
  assert.deepEqual(titles, ["Can't insert 1cycle schedule: the file has a syntax error at line 6 (',' expected)", "Can't insert weight decay: the file has a syntax error at line 6 (',' expected)"]);
  // An error far from the fit counts too (cases/c27_syntax_error.mjs), and TypeScript syntax in a .js file is no parse error.
  assert.match(refused(insertScheduleChanges('m.mjs', `function helper(a, b {\n  return a + b;\n}\n${text.split('\n').slice(0, 4).join('\n')}\nawait model.fit(xs, ys);\n`, schedule)).reason, /^the file has a syntax error at line 1 /);
  assert.ok('changes' in insertScheduleChanges('m.js', 'const model = tf.sequential();\nconst n: number = 1;\nawait model.fit(xs, ys);\n', schedule));
  // A call left open on the last line is an error there, not on the line after the final line break (a 3-line file's "line 4").
  assert.match(refused(insertScheduleChanges('m.mjs', "const model = tf.sequential();\nawait model.fit(xs, ys);\nconsole.log('done'\n", schedule)).reason, /^the file has a syntax error at line 3 \('\)' expected\)$/);
});

test("users' comments stay with their code: end-of-line comments after the last callback, comments above the first option", () => {
  const head = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\n";
  const cases: [string, string][] = [
    // The trial's cases/c29_trailing_comments.mjs: a trailing comma, a comment after it.
    ['{\n  callbacks: [\n    stop, // stop when flat\n    log, // progress\n  ],\n}', '{\n  callbacks: [\n    stop, // stop when flat\n    log, // progress\n    lrlabOneCycle(model),\n  ],\n}'],
    ['{\n  callbacks: [\n    stop, // stop when flat\n    log /* progress */ // every epoch\n  ],\n}', '{\n  callbacks: [\n    stop, // stop when flat\n    log, /* progress */ // every epoch\n    lrlabOneCycle(model)\n  ],\n}'],
    ['{\n  callbacks: [\n    log /* a, b */,\n  ],\n}', '{\n  callbacks: [\n    log /* a, b */,\n    lrlabOneCycle(model),\n  ],\n}'],
    // The trial's cases/c41_options_comment_first.mjs: the comment belongs to `epochs`.
    ['{\n  // 2 epochs is enough for this toy problem\n  epochs: 2,\n}', '{\n  callbacks: [lrlabOneCycle(model)],\n  // 2 epochs is enough for this toy problem\n  epochs: 2,\n}'],
  ];
  for (const [before, after] of cases) {
    const text = `${head}await model.fit(xs, ys, ${before});\n`;
    const out = changed(insertScheduleChanges('m.mjs', text, schedule), text);
    assert.ok(out.endsWith(`await model.fit(xs, ys, ${after});\n`), out.slice(out.lastIndexOf('// </lrlab:schedule>')));
  }
});
