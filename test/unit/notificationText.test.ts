/** A run's end in its notification (src/extension/notificationText.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, skippedFilesText, unsavedRunText } from '../../src/extension/notificationText';

test('a notification says the first sentence of a run\'s end, or its first 220 characters at a word, and points to the panel for the rest (it repeated the whole paragraph)', () => {
  assert.equal(brief('recommended max LR 0.0554, min LR 0.00554: where the loss bottoms out'), 'recommended max LR 0.0554, min LR 0.00554: where the loss bottoms out');
  assert.equal(brief('good: Converged at 1e-3. Fewer epochs would do.'), 'good: Converged at 1e-3. (more in the panel)');
  const long = `recommended max LR 0.1, min LR 0.01: ${'the median of three range tests '.repeat(12)}and more.`;
  const said = brief(long);
  assert.ok(said.length <= 220 + '… (more in the panel)'.length, said);
  assert.match(said, /^recommended max LR 0\.1, min LR 0\.01: the median .* three… \(more in the panel\)$/);
});

test('run files the history skipped are one notification: how many, in which folder, the first reason, and the others pointed to (trial Z #10: said only in the output channel)', () => {
  assert.equal(
    skippedFilesText([{ folder: '.lrlab/runs', line: 'broken.json: unreadable (Unexpected end of JSON input)' }]),
    'A saved run file in .lrlab/runs could not be read and is not listed in the Runs view: broken.json: unreadable (Unexpected end of JSON input).',
  );
  assert.equal(
    skippedFilesText([
      { folder: '.lrlab/runs', line: 'a.json: written by a newer LR Lab (format 9); update LR Lab to read it' },
      { folder: '.lrlab/runs', line: 'b.json: not an LR Lab run file' },
    ]),
    '2 saved run files in .lrlab/runs could not be read and are not listed in the Runs view: a.json: written by a newer LR Lab (format 9); update LR Lab to read it (the others in the output).',
  );
  assert.match(skippedFilesText([{ folder: 'alpha/.lrlab/runs', line: 'a.json: x' }, { folder: 'beta/.lrlab/runs', line: 'b.json: y' }]), /^2 saved run files in 2 history folders could not be read/);
});

test('a run that could not be saved says so with the folder and the reason, and how to keep it (trial Z #9: said only in the output channel)', () => {
  assert.equal(
    unsavedRunText('net.js', '.lrlab/runs', "EEXIST: file already exists, mkdir '/w/.lrlab/runs'."),
    "The run on net.js could not be saved to .lrlab/runs (EEXIST: file already exists, mkdir '/w/.lrlab/runs'): it is listed in this window only, and gone after a reload. Export it (Export chart) to keep it.",
  );
});
