/** What the webview's page gets written into it, and what stays linked (src/extension/inlineText.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inlineText } from '../../src/extension/inlineText';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-inline-'));
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('a script or stylesheet is written into the page whole; text that would end its element early, or a missing file, stays linked', () => {
  assert.equal(inlineText(file('ok.js', 'const a = 1 < 2;\n'), 'script'), 'const a = 1 < 2;\n');
  assert.equal(inlineText(file('close.js', 'const s = "</SCRIPT>";'), 'script'), null);
  assert.equal(inlineText(file('comment.js', 'const s = "<!--";'), 'script'), null);
  assert.equal(inlineText(file('open.js', 'const s = "<script>";'), 'script'), null);
  assert.equal(inlineText(file('ok.css', 'body { color: red; }'), 'style'), 'body { color: red; }');
  assert.equal(inlineText(file('close.css', 'a::after { content: "</style>"; }'), 'style'), null);
  assert.equal(inlineText(path.join(dir, 'missing.js'), 'script'), null);
});

test('a rebuilt file is read again (its size or time changed); an unchanged one is not', () => {
  const p = file('rebuilt.js', 'one();');
  assert.equal(inlineText(p, 'script'), 'one();');
  writeFileSync(p, 'two(); three();');
  assert.equal(inlineText(p, 'script'), 'two(); three();');
  // Same size and time: the text read before (a file is read once per build, not per page).
  const before = new Date('2026-01-01T00:00:00Z');
  writeFileSync(p, 'four();');
  utimesSync(p, before, before);
  assert.equal(inlineText(p, 'script'), 'four();');
  writeFileSync(p, 'five();');
  utimesSync(p, before, before);
  assert.equal(inlineText(p, 'script'), 'four();');
});
