/**
 * Snapshot tests of the edits the language server makes, one input per style users write.
 *
 * Every `test/server/snapshots/<style>.input.<ext>.snap` is a training file in one style
 * (TypeScript, ESM, CommonJS; tfjs as `tf`, `tfjs`, named imports, `require`, tfjs-node; plain-object,
 * single, class and variable callbacks, none, options in a variable, `fitDataset`; different
 * indentation and quotes). The
 * real edit builders of the server (`insertScheduleChanges`, `insertWeightDecayChanges`) are applied
 * to it for each case of `CASES` and the text must equal `<style>.<case>.expected.<ext>.snap` byte
 * for byte. The `.snap` suffix keeps these files out of the repository's tsc project and ESLint (they
 * are data; styles.test.ts type-checks the TypeScript ones under `strict` and runs every one).
 *
 * After a deliberate change of the generated code, rewrite the expected files and review the
 * diff before committing:
 *
 *     LRLAB_UPDATE_SNAPSHOTS=1 npm run test:server
 *
 * Then, per input: re-insertion is idempotent, and everything outside the two blocks and the
 * `fit` call's arguments is the user's code, unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { insertScheduleChanges, insertWeightDecayChanges } from '../../src/server/insertEdit';
import { scan } from '../../src/server/scanner';
import { CASES, SNAPSHOTS, changed, inputs, output, schedule, weightDecay } from './insertCases';

const root = path.join(__dirname, '..', '..');
const update = process.env['LRLAB_UPDATE_SNAPSHOTS'] === '1';

test('snapshot inputs: TypeScript, ESM and CommonJS styles', () => {
  assert.deepEqual([...new Set(inputs.map((i) => i.ext))].sort(), ['cjs', 'js', 'mjs', 'ts']);
  assert.ok(inputs.length >= 19, `${inputs.length} styles`);
});

for (const input of inputs) {
  for (const kase of Object.keys(CASES)) {
    test(`snapshot ${input.name} ${kase}`, () => {
      const file = path.join(SNAPSHOTS, `${input.name}.${kase}.expected.${input.ext}.snap`);
      const got = output(input, kase);
      if (update) writeFileSync(file, got);
      assert.ok(existsSync(file), `${path.relative(root, file)} is missing: run with LRLAB_UPDATE_SNAPSHOTS=1 and review it`);
      assert.equal(got, readFileSync(file, 'utf8'), `differs from ${path.relative(root, file)} (LRLAB_UPDATE_SNAPSHOTS=1 rewrites it)`);
    });
  }

  test(`${input.name}: re-insertion is idempotent and leaves the user's code alone`, () => {
    const f = `model.${input.ext}`;
    const both = output(input, 'both');
    assert.equal(changed(insertScheduleChanges(f, both, schedule), both), both, 'schedule again: no change');
    assert.equal(changed(insertWeightDecayChanges(f, both, weightDecay), both), both, 'weight decay again: no change');
    const again = output(input, 'reinserted');
    assert.equal(again.split('<lrlab:schedule>').length, 2, 'one schedule block');
    assert.equal(again.split('<lrlab:weight-decay>').length, 2, 'one weight-decay block');
    assert.equal(again.match(/(?<!function )lrlabOneCycle\(/g)?.length, 1, 'the schedule attached once');
    assert.equal(again.match(/(?<!function )lrlabWeightDecay\(/g)?.length, 1, 'the weight decay attached once');
    assert.match(again, /const weightDecay = 3\.2e-4;?$/m);
    assert.match(again, /const maxLr = 0\.5;?$/m);
    // Without the blocks, the file differs from the input only inside the fit call's arguments.
    const stripped = again.replace(/^[ \t]*\/\/ <lrlab:(schedule|weight-decay)>[\s\S]*?\/\/ <\/lrlab:\1>\n/gm, '');
    const fit = scan(f, input.text).fitCalls[0]!.node;
    let prefix = 0;
    while (prefix < input.text.length && input.text[prefix] === stripped[prefix]) prefix++;
    let suffix = 0;
    while (suffix < input.text.length - prefix && input.text.at(-1 - suffix) === stripped.at(-1 - suffix)) suffix++;
    assert.ok(prefix >= fit.arguments.pos && input.text.length - suffix <= fit.getEnd(), `changed outside ${input.name}'s fit arguments:\n${stripped}`);
  });
}
