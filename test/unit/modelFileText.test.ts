import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeModelFile } from '../../src/core/modelFileText';

test('model files: ESM, CommonJS and export lists; not training code without the contract', () => {
  assert.ok(looksLikeModelFile('export function createModel() {}\nexport async function loadData() {}'));
  assert.ok(looksLikeModelFile('exports.createModel = () => 1;\nmodule.exports.loadData = async () => 2;'));
  assert.ok(looksLikeModelFile('function createModel() {}\nfunction loadData() {}\nexport { createModel, loadData };'));
  assert.ok(looksLikeModelFile('module.exports = { createModel, loadData };'));
  assert.ok(!looksLikeModelFile('const model = tf.sequential();\nawait model.fit(xs, ys);'));
  assert.ok(!looksLikeModelFile('export function createModel() {}'));
});
