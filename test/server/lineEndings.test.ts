/**
 * Files with Windows line endings (a user trial's CRLF file got blocks with bare LFs, leaving it
 * with mixed endings): every change an insertion makes — the marked blocks, the callbacks edit in
 * each style, the restore-at-end code inside the schedule, the weight decay, the markers, a block
 * replaced on re-insertion, an older factory call given its model — is written with the file's
 * line ending, and with the dominant one when a file mixes them. Through the same builders the
 * snapshot tests run, on the same style inputs with their line endings turned into CRLF.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertScheduleChanges, insertWeightDecayChanges } from '../../src/server/insertEdit';
import type { InsertOutcome } from '../../src/server/insertEdit';
import { CASES, changed, decoupled, inputs, output, schedule, weightDecay } from './insertCases';

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
const BARE_LF = /(?<!\r)\n/;

/** 1-based lines of `text` that end with a bare LF, for the failure message. */
function bareLfLines(text: string): number[] {
  return text.split('\n').flatMap((line, i, all) => (i < all.length - 1 && !line.endsWith('\r') ? [i + 1] : []));
}

test('every style and insertion sequence on a CRLF file: no bare LF anywhere, and the same code as on the LF file', () => {
  let checked = 0;
  for (const input of inputs) {
    for (const kase of Object.keys(CASES)) {
      const got = CASES[kase]!(`model.${input.ext}`, crlf(input.text));
      assert.doesNotMatch(got, BARE_LF, `${input.name} ${kase}: bare LF at lines ${bareLfLines(got).join(', ')}`);
      assert.equal(got, crlf(output(input, kase)), `${input.name} ${kase}: differs from the LF file's output beyond its line endings`);
      checked++;
    }
  }
  // The 22 snapshot styles there are now x the 5 sequences: a style that drops out of the fixtures is caught.
  assert.ok(checked >= 22 * 5, `${checked} outputs checked`);
});

test('re-inserting into a CRLF file replaces each block with CRLF lines and is idempotent', () => {
  for (const input of inputs) {
    const f = `model.${input.ext}`;
    const both = CASES['both']!(f, crlf(input.text));
    assert.equal(changed(insertScheduleChanges(f, both, schedule), both), both, `${input.name}: schedule again`);
    assert.equal(changed(insertWeightDecayChanges(f, both, weightDecay), both), both, `${input.name}: weight decay again`);
    // Replaced from a newer run, in the other weight-decay form: still CRLF only.
    const replaced = changed(insertWeightDecayChanges(f, both, decoupled), both);
    assert.match(replaced, /const weightDecay = 1e-1;?\r\n/);
    assert.doesNotMatch(replaced, BARE_LF, `${input.name}: replaced block`);
  }
});

/** Callbacks edits that write line breaks of their own: multi-line arrays, comments, a new key above a comment, a fit sharing its line. */
const EDITS: Record<string, string> = {
  'multi-line array with a trailing comment': `import * as tf from '@tensorflow/tfjs';
export async function train(model, xs, ys) {
  await model.fit(xs, ys, {
    epochs: 2,
    callbacks: [
      { onEpochEnd: () => {} } // log
    ],
  });
}
`,
  'multi-line array with a trailing comma': `import * as tf from '@tensorflow/tfjs';
export async function train(model, xs, ys) {
  await model.fit(xs, ys, {
    callbacks: [
      tf.callbacks.earlyStopping({ monitor: 'loss' }),
    ],
  });
}
`,
  'empty array holding a line comment': `export async function train(model, xs, ys) {
  await model.fit(xs, ys, {
    callbacks: [
      // later: a logger
    ],
  });
}
`,
  'new key above the first option and its comment': `export async function train(model, xs, ys) {
  await model.fit(xs, ys, {
    // two passes
    epochs: 2,
  });
}
`,
  'fit sharing its line with other code': `export async function train(model, xs, ys) {
  const t0 = Date.now(); await model.fit(xs, ys, { epochs: 2 });
  return t0;
}
`,
  'tab-indented file': `export async function train(model, xs, ys) {
\tif (xs) {
\t\tawait model.fit(xs, ys, { epochs: 2 });
\t}
}
`,
};

test('callbacks edits that add line breaks (multi-line arrays, comments, a new key, a shared line, tabs) write CRLF in a CRLF file', () => {
  for (const [name, text] of Object.entries(EDITS)) {
    for (const insert of [(t: string) => insertScheduleChanges('m.mjs', t, schedule), (t: string) => insertWeightDecayChanges('m.mjs', t, decoupled)]) {
      const lf = changed(insert(text), text);
      const got = changed(insert(crlf(text)), crlf(text));
      assert.doesNotMatch(got, BARE_LF, `${name}: bare LF at lines ${bareLfLines(got).join(', ')}`);
      assert.equal(got, crlf(lf), name);
    }
  }
});

test("an older block's factory call without the model gets it, and the block is replaced, in CRLF", () => {
  const inserted = changed(insertScheduleChanges('m.mjs', crlf(EDITS['new key above the first option and its comment']!), schedule), crlf(EDITS['new key above the first option and its comment']!));
  const older = inserted.replace('lrlabOneCycle(model)', 'lrlabOneCycle()');
  assert.notEqual(older, inserted);
  const again = changed(insertScheduleChanges('m.mjs', older, { ...schedule, maxLr: 0.5 }), older);
  assert.match(again, /callbacks: \[lrlabOneCycle\(model\)\],\r\n/);
  assert.match(again, /const maxLr = 0\.5;\r\n/);
  assert.doesNotMatch(again, BARE_LF);
});

/** The texts an outcome would write. */
function written(outcome: InsertOutcome): string {
  assert.ok('changes' in outcome, 'error' in outcome ? outcome.error.reason : '');
  return outcome.changes.map((c) => c.text).join('');
}

test('a file with mixed endings gets its dominant one: CRLF where most lines end CRLF, LF where most end LF', () => {
  const lines = EDITS['multi-line array with a trailing comment']!.split('\n');
  // All but one line CRLF (a line pasted from elsewhere), and the other way round.
  const mostlyCrlf = lines.map((l, i) => (i === 2 ? `${l}\n` : `${l}\r\n`)).join('');
  const mostlyLf = lines.map((l, i) => (i === 2 ? `${l}\r\n` : `${l}\n`)).join('');
  const builders = [(t: string) => insertScheduleChanges('m.mjs', t, schedule), (t: string) => insertWeightDecayChanges('m.mjs', t, weightDecay)];
  for (const insert of builders) {
    const toCrlf = written(insert(mostlyCrlf));
    assert.match(toCrlf, /\r\n/);
    assert.doesNotMatch(toCrlf, BARE_LF, 'mostly CRLF: the inserted text is CRLF only');
    const toLf = written(insert(mostlyLf));
    assert.match(toLf, /\n/);
    assert.doesNotMatch(toLf, /\r/, 'mostly LF: the inserted text is LF only');
  }
});
