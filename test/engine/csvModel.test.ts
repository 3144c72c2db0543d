/** The no-code route: a tfjs model.json + CSV, its example, and its errors. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findLr } from '../../src/engine/experiments/findLr';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { LrLabError } from '../../src/protocol/errors';
import { parseCsv } from '../../src/engine/csvModel';

const example = path.join(__dirname, '..', '..', 'examples', 'tabular-csv');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ctx = (): { reporter: Reporter; signal: AbortSignal } => ({ reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal });

test('the iris example runs and the model.json and CSV are unchanged', async () => {
  const files = ['model.json', 'iris.csv'].map((f) => path.join(example, f));
  const before = files.map((f) => readFileSync(f, 'utf8'));
  const result = await findLr({ kind: 'find-lr', model: files[0]!, data: files[1]!, label: 'species', batchSize: 16, steps: 40, seed: 1 }, ctx());
  assert.equal(result.points.length <= 40 && result.points.length > 10, true);
  assert.ok(result.points.every((p) => p.loss === null || Number.isFinite(p.loss)));
  assert.deepEqual(files.map((f) => readFileSync(f, 'utf8')), before);
});

test('CSV parsing handles quotes, CRLF and a missing final newline', () => {
  const parsed = parseCsv('a,"b, with comma",c\r\n1,"2",3\r\n4,"5 ""x""",6');
  assert.deepEqual(parsed.header, ['a', 'b, with comma', 'c']);
  assert.deepEqual(parsed.rows, [['1', '2', '3'], ['4', '5 "x"', '6']]);
});

async function expectCsvError(csv: string, label: string, pattern: RegExp, option?: string): Promise<void> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, csv);
  await assert.rejects(findLr({ kind: 'find-lr', model: path.join(example, 'model.json'), data: file, label, batchSize: 2, steps: 5 }, ctx()), (e: unknown) => {
    assert.ok(e instanceof LrLabError, String(e));
    assert.match(e.message, pattern);
    if (option !== undefined) assert.equal(e.option, option);
    return true;
  });
}

const header = 'sepal_length,sepal_width,petal_length,petal_width,species\n';
test('missing label column lists the columns', async () => {
  await expectCsvError(`${header}1,2,3,4,0\n`, 'kind', /Label column 'kind' is not in .* \(columns: sepal_length, sepal_width, petal_length, petal_width, species\)/, 'label');
});
test('a missing cell names row and column', async () => {
  await expectCsvError(`${header}1,2,3,4,0\n1,,3,4,1\n`, 'species', /Row 3, column 'sepal_width' .* is empty/);
});
test('a non-numeric feature names row, column and value', async () => {
  await expectCsvError(`${header}1,2,3,4,0\n1,2,tall,4,1\n`, 'species', /Row 3, column 'petal_length' .* is 'tall', not a number/);
});
test('a class index outside the model outputs', async () => {
  await expectCsvError(`${header}1,2,3,4,0\n1,2,3,4,7\n`, 'species', /label 'species' is 7, but the model has 3 output classes/);
});

test('a model.json whose weights file is missing says which file', async () => {
  const model = JSON.parse(readFileSync(path.join(example, 'model.json'), 'utf8')) as Record<string, unknown>;
  model['weightsManifest'] = [{ paths: ['group1-shard1of1.bin'], weights: [] }];
  const file = path.join(dir, 'model.json');
  writeFileSync(file, JSON.stringify(model));
  copyFileSync(path.join(example, 'iris.csv'), path.join(dir, 'iris.csv'));
  await assert.rejects(findLr({ kind: 'find-lr', model: file, data: path.join(dir, 'iris.csv'), label: 'species', steps: 5 }, ctx()), (e: unknown) => e instanceof LrLabError && /weights file group1-shard1of1.bin, which is missing/.test(e.message));
});
