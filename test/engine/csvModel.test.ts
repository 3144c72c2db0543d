/**
 * The no-code route: a tfjs model.json (weights optional) + a CSV, as a model module; the
 * repository's iris example end to end; and every CSV error naming the row, column and value.
 * Fixtures: test/fixtures/models/csv/ (a 2→4→3 softmax model.json without weights, tiny CSVs).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_CSV_BYTES, loadLayersModelWithCsv, parseCsv, readCsvData } from '../../src/engine/csvModel';
import { prepareData } from '../../src/engine/data';
import { resolveLoss } from '../../src/engine/loss';
import { resolveCompiledOptimizer } from '../../src/engine/compiledOptimizer';
import { findLr } from '../../src/engine/experiments/findLr';
import { buildModel } from '../../src/engine/modelExports';
import { Reporter, silentSink } from '../../src/engine/reporter';
import { loadTf } from '../../src/engine/tfjs';
import { fileSystemIO } from '../../src/engine/fileSystemIO';
import { toLrLabError } from '../../src/engine/errorMapping';
import { writeModel } from './writeModel';
import type { Tf } from '../../src/engine/tfjs';
import { LrLabError } from '../../src/protocol/errors';
import type { ErrorCode } from '../../src/protocol/errors';

const root = path.join(__dirname, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'models', 'csv');
const modelJson = path.join(fixtures, 'model.json');
const tinyCsv = path.join(fixtures, 'tiny.csv');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let tf: Tf;
before(async () => {
  ({ tf } = await loadTf({ backend: 'wasm' }));
});

interface CsvTrain {
  train: { xs: { shape: number[]; arraySync(): number[][] }; ys: { arraySync(): number[][] } };
}

test('model.json without weights + CSV: a fresh model per call, one-hot labels, the loss inferred', async () => {
  const mod = await loadLayersModelWithCsv({ modelJson, data: tinyCsv, label: 'label' }, tf);
  assert.equal(mod.file, modelJson);
  assert.equal(mod.loss, undefined);
  const a = await buildModel(mod, {});
  const b = await buildModel(mod, {});
  assert.notEqual(a, b);
  assert.deepEqual(a.outputs[0]!.shape, [null, 3]);
  assert.notDeepEqual(Array.from(a.getWeights()[0]!.dataSync()), Array.from(b.getWeights()[0]!.dataSync()));
  const raw = (await mod.loadData()) as CsvTrain;
  // Float32 tensors (the cells as strings, then as arrays of numbers, took ~30x the file in memory).
  assert.equal(raw.train.xs.shape[0], 30);
  assert.deepEqual(raw.train.xs.arraySync()[0], [Math.fround(1.738), Math.fround(0.044)]);
  assert.deepEqual(raw.train.ys.arraySync().slice(0, 3), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const data = await prepareData(raw, tf, a, { file: mod.file, seed: 1 });
  assert.equal(resolveLoss(tf, mod, a, data.train.ys).name, 'categoricalCrossentropy');
  a.dispose();
  b.dispose();
});

test('class names in the label column (sorted, then numbered), semicolons, CRLF and a BOM', async () => {
  const mod = await loadLayersModelWithCsv({ modelJson, data: path.join(fixtures, 'named.csv'), label: 'kind' }, tf);
  const raw = (await mod.loadData()) as CsvTrain;
  assert.equal(raw.train.xs.shape[0], 12);
  assert.deepEqual(raw.train.xs.arraySync()[1], [Math.fround(0.1), Math.fround(-0.1)]);
  // alpha, beta, gamma → 0, 1, 2
  assert.deepEqual(raw.train.ys.arraySync().slice(0, 3), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
});

test("saved weights are every model's starting point; model.json's training config compiles each model and picks sparse labels", async () => {
  const source = await tf.loadLayersModel(fileSystemIO(tf, modelJson));
  const folder = path.join(dir, 'weighted');
  await writeModel(tf, source, path.join(folder, 'model.json'));
  const json = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8')) as Record<string, unknown>;
  json['trainingConfig'] = { loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } } };
  writeFileSync(path.join(folder, 'model.json'), JSON.stringify(json));
  const mod = await loadLayersModelWithCsv({ modelJson: path.join(folder, 'model.json'), data: tinyCsv, label: 'label' }, tf);
  assert.equal(mod.loss, 'sparse_categorical_crossentropy');
  const model = await buildModel(mod, {});
  assert.deepEqual(
    model.getWeights().map((w) => Array.from(w.dataSync())),
    source.getWeights().map((w) => Array.from(w.dataSync())),
  );
  assert.deepEqual(resolveCompiledOptimizer(model), { name: 'adam', className: 'Adam', learningRate: 0.01, momentum: 0.9, beta2: 0.999, epsilon: 1e-7, rho: null, centered: null, initialAccumulatorValue: null, decay: null });
  const raw = (await mod.loadData()) as CsvTrain;
  assert.deepEqual(raw.train.ys.arraySync().slice(0, 4), [[0], [1], [2], [0]]);
  assert.equal(resolveLoss(tf, mod, model).name, 'sparseCategoricalCrossentropy');
  model.dispose();
  source.dispose();
});

test('CSV parsing: quotes with commas and "" escapes, CRLF, blank lines, no final newline, row lines', () => {
  const parsed = parseCsv('a,"b, with comma",c\r\n1,"2",3\r\n\r\n4,"5 ""x""",6');
  assert.deepEqual(parsed.header, ['a', 'b, with comma', 'c']);
  assert.deepEqual(parsed.rows, [['1', '2', '3'], ['4', '5 "x"', '6']]);
  assert.deepEqual(parsed.lines, [2, 4]);
  assert.deepEqual(parseCsv('a\tb\n1\t2\n').rows, [['1', '2']]);
});

// ---------------------------------------------------------------------------------------------
// Errors

async function csvError(csv: string, label: string, code: ErrorCode, pattern: RegExp, option?: string): Promise<void> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, csv);
  const mod = await loadLayersModelWithCsv({ modelJson, data: file, label }, tf);
  await assert.rejects(mod.loadData(), (e: unknown) => {
    assert.ok(e instanceof LrLabError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    assert.equal(e.file, file);
    assert.ok((e.fix ?? '').length > 10);
    if (option !== undefined) assert.equal(e.option, option);
    return true;
  });
}

const header = 'x1,x2,label\n';

test('a CSV with more or fewer feature columns than the model takes: said in the CSV\'s columns, not as train.xs\'s shape blamed on model.json', async () => {
  await csvError('x1,x2,x3,label\n1,2,3,0\n', 'label', 'shape', /^.*\.csv has 3 feature columns \(x1, x2, x3: every column but --label label\), and model\.json takes 2 inputs\.$/);
  await csvError('x1,label\n1,0\n', 'label', 'shape', /^.*\.csv has 1 feature column \(x1: every column but --label label\), and model\.json takes 2 inputs\.$/);
});

test('a missing label column lists the columns', async () => {
  await csvError(`${header}1,2,0\n`, 'species', 'bad-option', /Label column 'species' is not in .*\.csv \(columns: x1, x2, label\)/, 'label');
});

test('a first row of numbers is data, not a header: said, not read as column names', async () => {
  await csvError('0.5,1.842,0\n1,2,1\n', '2', 'data', /The first row of .*\.csv \(0\.5, 1\.842, 0\) is numbers, not column names: LR Lab reads the first row as the header\./);
});

test('a missing cell names its row and column', async () => {
  await csvError(`${header}1,2,0\n1,,1\n`, 'label', 'data', /Row 3, column 'x2' of .*\.csv is empty/);
  await csvError(`${header}1,2,0\n1,2\n`, 'label', 'data', /Row 3 of .*\.csv has 2 cells; the header has 3/);
});

test('a non-numeric feature names its row, column and value', async () => {
  await csvError(`${header}1,2,0\n\n1,tall,1\n`, 'label', 'data', /Row 4, column 'x2' of .*\.csv is 'tall', not a number/);
  // Number() reads these as 16 and 5: a CSV's numbers are decimal.
  await csvError(`${header}1,2,0\n0x10,2,1\n`, 'label', 'data', /Row 3, column 'x1' of .*\.csv is '0x10', a hexadecimal literal, not a decimal number/);
  await csvError(`${header}1,2,0\n1,0b101,1\n`, 'label', 'data', /Row 3, column 'x2' of .*\.csv is '0b101', a binary literal, not a decimal number/);
});

test('labels that do not fit the model: a class index out of range, too many class names', async () => {
  await csvError(`${header}1,2,0\n1,2,7\n`, 'label', 'loss', /Row 3: label 'label' is 7, but the model has 3 output classes \(0\.\.2\)/);
  await csvError(`${header}1,2,a\n1,2,b\n1,2,c\n1,2,d\n`, 'label', 'shape', /Label column 'label' has 4 classes \(a: 1, b: 1, c: 1, d: 1\) but the model has 3 output units\.$/);
  await csvError(`${header}1,2,b\n1,2,a\n1,2,c\n1,2,0.5\n`, 'label', 'data', /Label column 'label' of .*\.csv mixes numbers and names: row 5 is '0\.5', row 2 is 'b'\./);
});

test('a user trial\'s CSVs: one NA among numeric labels, an unclosed quote, an unnamed or repeated column, UTF-16 or gzip bytes — each one line naming the row, column or file', async () => {
  // Read as class names, one NA made a 0/1 column three classes (and a regression's 197 values "classes"); then
  // "mixes numbers and names": it is a missing value, before or after the numbers.
  await csvError(`${header}1,2,0\n1,2,1\n1,3,NA\n1,2,1\n`, 'label', 'data', /^Row 4, label column 'label' of .*\.csv is 'NA', a missing value in a column of numbers\.$/);
  await csvError(`${header}1,3,?\n1,2,1\n`, 'label', 'data', /^Row 2, label column 'label' of .*\.csv is '\?', a missing value in a column of numbers\.$/);
  // An unclosed quote swallowed the rest of the file: "Row 11 … has 1 cells".
  await csvError(`${header}1,2,0\n"1,2,1\n1,2,1\n`, 'label', 'data', /^A quote opened on line 3 of .*\.csv is never closed: the rest of the file read as one value\.$/);
  await csvError('x1,x2,label,\n1,2,0,\n', 'label', 'data', /^Column 4 of .*\.csv has no name in the header \(a delimiter at the end of the header line makes an empty last column\)\.$/);
  await csvError('x1,x1,label\n1,2,0\n', 'label', 'data', /^.*\.csv names the column 'x1' twice in its header\.$/);
  await csvError(`${header}1,2,0\n`, 'label,label', 'bad-option', /^--label names the column 'label' twice\.$/, 'label');
  const utf16 = path.join(dir, 'utf16.csv');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}1,2,0\n`, 'utf16le')]));
  const mod = await loadLayersModelWithCsv({ modelJson, data: utf16, label: 'label' }, tf);
  await assert.rejects(mod.loadData(), (e: unknown) => e instanceof LrLabError && /^utf16\.csv is not UTF-8 text \(it looks like UTF-16\)\.$/.test(e.message) && /Save it as a UTF-8/.test(e.fix ?? ''));
});

test("a user trial's spreadsheet exports: decimal commas in a ';' file, thousands separators, a label column named with a comma, a cell past float32", async () => {
  const read = async (csv: string, label: string, outputUnits = 3): Promise<{ xs: number[]; ys: number[] }> => {
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file, csv);
    const data = await readCsvData(file, label, { outputUnits, sparse: true });
    return { xs: Array.from(data.xs), ys: Array.from(data.ys) };
  };
  // European Excel: ';' between fields, a comma for the decimal mark, '.' between thousands (a BOM and CRLF too).
  const excel = await read('\uFEFFx1;x2;label\r\n2,854;-0,5;1\r\n1.234,5;3;0\r\n', 'label');
  assert.deepEqual(excel.xs, [2.854, -0.5, 1234.5, 3].map(Math.fround));
  // A comma-separated file's quoted "1,234.5" (it read "not a number … encode non-numeric columns").
  assert.deepEqual((await read('x1,x2,label\n"1,234.5",2,1\n', 'label')).xs, [1234.5, 2]);
  // A quoted decimal comma in a comma-separated file is said as such.
  await csvError(`${header}"2,5",1,0\n`, 'label', 'data', /^Row 2, column 'x1' of .*\.csv is '2,5', not a number \(a decimal comma: in a comma-separated file the decimal mark is a point\)\.$/);
  // A column whose name holds a comma is one column (it was split into 'species' and 'name').
  assert.deepEqual((await read('x1,x2,"species, name"\n1,2,b\n1,2,a\n', 'species, name')).ys, [1, 0]);
  await csvError('x1,x2,"species, name"\n1,2,0\n', 'species', 'bad-option', /\(columns: x1, x2, "species, name"\)/, 'label');
  // Past float32's range (it read "train.xs sample 69 contains NaN or Infinity").
  await csvError(`${header}1,2,0\n1,1e39,1\n`, 'label', 'data', /^Row 3, column 'x2' of .*\.csv is '1e39', beyond the range of the float32 numbers a model computes in \(±3\.4e38\)\.$/);
});

test("Excel's empty rows at the end (';;;') are blank lines; a pandas index column and a header-less file are said as such", async () => {
  const file = path.join(dir, 'excelEmpty.csv');
  writeFileSync(file, 'x1;x2;label\r\n1;2;0\r\n3;4;1\r\n;;\r\n;;\r\n');
  assert.equal((await readCsvData(file, 'label', { outputUnits: 3 })).rows, 2);
  await csvError(',x1,x2,label\n0,1,2,0\n', 'label', 'data', /^Column 1 of .*\.csv has no name in the header \(a row index, as pandas' to_csv writes one unless index=False\)\.$/);
  const headerless = path.join(dir, 'headerless.csv');
  writeFileSync(headerless, '1,2,3,4,0\n');
  await assert.rejects(readCsvData(headerless, 'label', { outputUnits: 3 }), (e: unknown) => e instanceof LrLabError && /Add a header row naming the 5 columns \(e\.g\. x1,x2,…,x4,label\)/.test(e.fix ?? ''));
});

test("missing-value markers (NA, NaN, ?, #N/A, None) are missing cells, not words; class names that differ in case or are 'NA' are named when they are too many", async () => {
  for (const marker of ['NA', 'NaN', 'nan', '?', '#N/A', 'None', 'null']) {
    await csvError(`${header}1,2,0\n1,${marker},1\n`, 'label', 'data', new RegExp(`^Row 3, column 'x2' of .*\\.csv is '${marker.replace('?', '\\?')}', a missing value\\.$`));
  }
  // It read "has 6 classes (SETOSA, Setosa, …) … Give the last layer 6 units".
  await csvError(`${header}1,2,setosa\n1,2,Setosa\n1,2,SETOSA\n1,2,virginica\n1,2,versicolor\n`, 'label', 'shape', /^Label column 'label' has 5 classes \(SETOSA: 1, Setosa: 1, setosa: 1, versicolor: 1, virginica: 1\) but the model has 3 output units; 'SETOSA', 'Setosa', 'setosa' differ only in letter case or spacing \(LR Lab compares class names exactly\)\.$/);
  await csvError(`${header}1,2,a\n1,2,b\n1,2,c\n1,2,NA\n`, 'label', 'shape', /; 'NA' \(1 row\) reads as a missing value\.$/);
});

test('a model.json whose input has more dimensions takes each row in row-major order; a regression with two outputs needs two target columns', async () => {
  const image = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2] }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
  const imageJson = path.join(dir, 'image', 'model.json');
  await writeModel(tf, image, imageJson);
  const file = path.join(dir, 'pixels.csv');
  writeFileSync(file, 'p1,p2,p3,p4,label\n1,2,3,4,0\n5,6,7,8,2\n');
  const mod = await loadLayersModelWithCsv({ modelJson: imageJson, data: file, label: 'label' }, tf);
  const raw = (await mod.loadData()) as { train: { xs: { shape: number[]; arraySync(): unknown } } };
  assert.deepEqual(raw.train.xs.shape, [2, 2, 2]);
  assert.deepEqual(raw.train.xs.arraySync(), [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  writeFileSync(file, 'p1,p2,p3,label\n1,2,3,0\n');
  const short = await loadLayersModelWithCsv({ modelJson: imageJson, data: file, label: 'label' }, tf);
  await assert.rejects(short.loadData(), (e: unknown) => e instanceof LrLabError && /^pixels\.csv has 3 feature columns \(every column but --label label\), and model\.json takes inputs of shape \[2, 2\] \(4 numbers a sample\)\.$/.test(e.message));
  image.dispose();

  const twoOut = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2] })] });
  twoOut.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const regJson = path.join(dir, 'reg2', 'model.json');
  await writeModel(tf, twoOut, regJson);
  writeFileSync(file, 'x1,x2,a,b\n1,2,3.5,4\n');
  const reg = await loadLayersModelWithCsv({ modelJson: regJson, data: file, label: 'a' }, tf);
  // It read "label 'a' is 3.5, but the model has 2 output classes (0..1). Use class indices …".
  await assert.rejects(reg.loadData(), (e: unknown) => e instanceof LrLabError && /^--label names 1 column \('a'\), but the model has 2 output units and a regression loss \(\w+\): each output needs its target column\.$/.test(e.message) && /Name 2 target columns \(--label a,b\)/.test(e.fix ?? ''));
  twoOut.dispose();
});

test("a Keras model converted by tensorflowjs_converter: its loss and optimizer from modelTopology.training_config ('Custom>Adam', SGD with momentum, RMSprop's rho), where tfjs never reads them", async () => {
  const source = await tf.loadLayersModel(fileSystemIO(tf, modelJson));
  const folder = path.join(dir, 'keras');
  await writeModel(tf, source, path.join(folder, 'model.json'));
  const saved = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8')) as Record<string, unknown>;
  delete saved['trainingConfig'];
  const keras = (optimizer: unknown): string => {
    const json = { ...saved, format: 'layers-model', generatedBy: 'keras v2.12.0', convertedBy: 'TensorFlow.js Converter v4.4.0', modelTopology: { keras_version: '2.12.0', backend: 'tensorflow', model_config: saved['modelTopology'], training_config: { loss: 'sparse_categorical_crossentropy', metrics: [[{ class_name: 'MeanMetricWrapper', config: { name: 'accuracy', dtype: 'float32', fn: 'sparse_categorical_accuracy' } }]], weighted_metrics: null, loss_weights: null, optimizer_config: optimizer } } };
    const file = path.join(folder, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(json));
    return file;
  };
  const cases: [unknown, Record<string, unknown>][] = [
    [{ class_name: 'Custom>Adam', config: { name: 'Adam', weight_decay: null, use_ema: false, learning_rate: 0.0010000000474974513, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } }, { name: 'adam', learningRate: 0.0010000000474974513, momentum: 0.9, beta2: 0.999, epsilon: 1e-7 }],
    [{ class_name: 'SGD', config: { name: 'SGD', learning_rate: 0.05, momentum: 0.8, nesterov: true } }, { name: 'nesterov', learningRate: 0.05, momentum: 0.8 }],
    [{ class_name: 'RMSprop', config: { name: 'RMSprop', learning_rate: 0.002, rho: 0.8, momentum: 0, epsilon: 1e-7, centered: false } }, { name: 'rmsprop', learningRate: 0.002, rho: 0.8 }],
  ];
  for (const [optimizer, expected] of cases) {
    const mod = await loadLayersModelWithCsv({ modelJson: keras(optimizer), data: tinyCsv, label: 'label' }, tf);
    assert.equal(mod.loss, 'sparse_categorical_crossentropy');
    const model = await buildModel(mod, {});
    const got = resolveCompiledOptimizer(model) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) assert.equal(got[key], value, `${JSON.stringify(optimizer)}: ${key}`);
    model.dispose();
  }
  source.dispose();
});

test('a CSV read record by record: a cancel stops it between records, and it reports how far it got', async () => {
  const many = path.join(dir, 'many.csv');
  writeFileSync(many, header + Array.from({ length: 100_000 }, (_, i) => `${i % 7},${i % 5},${i % 3}\n`).join(''));
  const seen: number[] = [];
  const read = await readCsvData(many, 'label', { outputUnits: 3, onProgress: (fraction) => seen.push(fraction) });
  assert.equal(read.rows, 100_000);
  assert.deepEqual([read.xs.length, read.ys.length, read.labelWidth], [200_000, 300_000, 3]);
  assert.deepEqual([...read.xs.subarray(14, 16)], [0, 2]);
  assert.ok(seen.length >= 4 && seen.every((f, i) => f > 0 && f <= 1 && (i === 0 || f > seen[i - 1]!)), `progress ${seen.join(', ')}`);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(readCsvData(many, 'label', { outputUnits: 3, signal: controller.signal }), (e: unknown) => e instanceof LrLabError && e.code === 'cancelled' && /^Cancelled while reading many\.csv\.$/.test(e.message));
});

test('the data checks speak of the CSV, not of a loadData() the user never wrote', async () => {
  const three = path.join(dir, 'three.csv');
  writeFileSync(three, `${header}1,2,0\n2,1,1\n0,1,2\n`);
  const ctx = { reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal };
  await assert.rejects(findLr({ kind: 'find-lr', model: modelJson, data: three, label: 'label', steps: 30, seed: 1, backend: 'wasm' }, ctx), (e: unknown) => {
    assert.ok(e instanceof LrLabError && e.code === 'data', String(e));
    assert.equal(e.file, three);
    assert.match(e.message, /^The CSV three\.csv gave 3 samples; holding out 1 for validation \(--validation-split 0\.2\) leaves 2 to train on: too few/);
    assert.equal(e.fix, 'Give more data (rows: LR Lab holds out --validation-split of them to validate on).');
    assert.doesNotMatch(`${e.message} ${e.fix}`, /loadData/);
    return true;
  });
});

test("a label that does not fit the loss names the CSV's row (blank lines and the held-out split counted), not 'model.json: train.ys sample 119'", async () => {
  const ctx = { reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal };
  // One-hot label columns, 40 rows with a blank line after every tenth: row 24's label sums to 0.8.
  const rows = Array.from({ length: 40 }, (_, i) => `${i % 3},${(i * 7) % 5},${i === 21 ? '0.5,0.2,0.1' : ['1,0,0', '0,1,0', '0,0,1'][i % 3]}${i % 10 === 9 ? '\n' : ''}`);
  const oneHot = path.join(dir, 'onehot.csv');
  writeFileSync(oneHot, `x1,x2,a,b,c\n${rows.join('\n')}\n`);
  await assert.rejects(findLr({ kind: 'find-lr', model: modelJson, data: oneHot, label: 'a,b,c', steps: 30, seed: 1, backend: 'wasm' }, ctx), (e: unknown) => {
    assert.ok(e instanceof LrLabError && e.code === 'loss', String(e));
    assert.equal(e.file, oneHot);
    assert.match(e.message, /needs one-hot rows \(probabilities summing to 1\), but the label of row 25 of onehot\.csv is \[0\.5, 0\.2, 0\.1\]\.$/);
    return true;
  });
});

test('a missing CSV file names --data', async () => {
  const mod = await loadLayersModelWithCsv({ modelJson, data: path.join(dir, 'none.csv'), label: 'label' }, tf);
  await assert.rejects(mod.loadData(), (e: unknown) => e instanceof LrLabError && e.option === 'data' && /CSV file not found/.test(e.message));
});

test('a model.json whose weights file is missing says which file', async () => {
  const json = JSON.parse(readFileSync(modelJson, 'utf8')) as Record<string, unknown>;
  json['weightsManifest'] = [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'hidden/kernel', shape: [2, 4], dtype: 'float32' }] }];
  const file = path.join(dir, 'model.json');
  writeFileSync(file, JSON.stringify(json));
  await assert.rejects(loadLayersModelWithCsv({ modelJson: file, data: tinyCsv, label: 'label' }, tf), (e: unknown) => {
    assert.ok(e instanceof LrLabError);
    assert.equal(e.code, 'model-file');
    assert.equal(e.file, file);
    assert.match(e.message, /lists the weights file group1-shard1of1\.bin, which is missing/);
    return true;
  });
});

test('the iris example runs end to end and leaves the model.json and CSV unchanged', async () => {
  const example = path.join(root, 'examples', 'tabular-csv');
  const files = ['model.json', 'iris.csv'].map((f) => path.join(example, f));
  const before = files.map((f) => readFileSync(f, 'utf8'));
  const copy = path.join(dir, 'iris.csv');
  copyFileSync(files[1]!, copy);
  const ctx = { reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal };
  const result = await findLr({ kind: 'find-lr', model: files[0]!, data: files[1]!, label: 'species', batchSize: 16, steps: 30, seed: 1, backend: 'wasm' }, ctx);
  assert.ok(result.points.length > 10 && result.points.length <= 30);
  assert.ok(result.points.every((p) => p.loss === null || Number.isFinite(p.loss)));
  // The example is compiled (its trainingConfig): its loss and optimizer are its own, and nothing warns of them (every run did).
  assert.ok(!result.warnings.some((w) => /no loss of its own|compiles sgd with LR/.test(w)), result.warnings.join(' | '));
  assert.equal(result.optimizer?.sources.optimizer, 'model.compile');
  // Without a trainingConfig its loss is inferred, and the way to give one is model.json's (it has no createModel to compile in).
  const bare = path.join(dir, 'bare-iris', 'model.json');
  mkdirSync(path.dirname(bare));
  const { trainingConfig: _config, ...topologyOnly } = JSON.parse(before[0]!) as Record<string, unknown>;
  writeFileSync(bare, JSON.stringify(topologyOnly));
  const uncompiled = await findLr({ kind: 'find-lr', model: bare, data: files[1]!, label: 'species', batchSize: 16, steps: 30, seed: 1, backend: 'wasm', lrTrials: 0, rangeTests: 1 }, ctx);
  const inferred = uncompiled.warnings.find((w) => w.startsWith('The model has no loss of its own'));
  assert.match(inferred ?? '', /categoricalCrossentropy, inferred .* Save the compiled model with model\.save\(url, \{ includeOptimizer: true \}\): model\.json then carries its loss/);
  assert.doesNotMatch(inferred ?? '', /createModel/);
  assert.deepEqual(files.map((f) => readFileSync(f, 'utf8')), before);
});

test('a CSV past what can be read as one string is refused by its size, at once, naming --data (a 2 GB one read 18 s, then blamed model.json\'s "loadData()")', async () => {
  const big = path.join(dir, 'big.csv');
  writeFileSync(big, 'x1,label\n');
  truncateSync(big, MAX_CSV_BYTES + 1);
  const started = Date.now();
  await assert.rejects(readCsvData(big, 'label', { outputUnits: 2 }), (e: unknown) => e instanceof LrLabError && e.option === 'data' && e.file === big && /^--data big\.csv is 500 MB: LR Lab reads a CSV whole, up to 500 MB\.$/.test(e.message) && /sample of its rows/.test(e.fix ?? ''));
  assert.ok(Date.now() - started < 1000);
  rmSync(big);
});

test('a model.json naming a layer class tfjs does not know, or with a damaged weights manifest: what is wrong and what to do, not tfjs\'s cut-off sentence or "manifest is not iterable"', async () => {
  const original = JSON.parse(readFileSync(modelJson, 'utf8')) as { modelTopology: { config: { layers: { class_name: string }[] } } };
  const evil = path.join(dir, 'evil.json');
  original.modelTopology.config.layers[0]!.class_name = 'EvilLayer';
  writeFileSync(evil, JSON.stringify(original));
  await assert.rejects(loadLayersModelWithCsv({ modelJson: evil, data: tinyCsv, label: 'label' }, tf), (e: unknown) => e instanceof LrLabError && e.file === evil
    && /^evil\.json uses a layer tfjs does not know, EvilLayer: a custom class, which a model\.json names but cannot carry\.$/.test(e.message) && /registerClass/.test(e.fix ?? ''));
  // "an activation", not "a activation".
  const activation = JSON.parse(readFileSync(modelJson, 'utf8')) as { modelTopology: { config: { layers: { config: { activation?: string } }[] } } };
  activation.modelTopology.config.layers[0]!.config.activation = 'wiggle';
  const wiggle = path.join(dir, 'wiggle.json');
  writeFileSync(wiggle, JSON.stringify(activation));
  await assert.rejects(loadLayersModelWithCsv({ modelJson: wiggle, data: tinyCsv, label: 'label' }, tf), (e: unknown) => e instanceof LrLabError && /^wiggle\.json uses an activation tfjs does not know, wiggle: /.test(e.message));
  const damaged = path.join(dir, 'damaged.json');
  writeFileSync(damaged, JSON.stringify({ ...JSON.parse(readFileSync(modelJson, 'utf8')), weightsManifest: 5 }));
  await assert.rejects(loadLayersModelWithCsv({ modelJson: damaged, data: tinyCsv, label: 'label' }, tf), (e: unknown) => e instanceof LrLabError && /^damaged\.json's weightsManifest is not a list of \{ paths, weights \} groups/.test(e.message));
  // An unknown optimizer or loss in the training config, a graph model: said as such (a user trial's read
  // "uses a layer tfjs does not know, Lion", "Unknown loss fooLoss. Save it with model.save", "Improper config format").
  const withConfig = (name: string, extra: Record<string, unknown>): string => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(modelJson, 'utf8')), ...extra }));
    return file;
  };
  const lion = withConfig('lion.json', { trainingConfig: { loss: 'categorical_crossentropy', optimizer_config: { class_name: 'Lion', config: {} } } });
  await assert.rejects(loadLayersModelWithCsv({ modelJson: lion, data: tinyCsv, label: 'label' }, tf), (e: unknown) => e instanceof LrLabError && /^lion\.json's trainingConfig names an optimizer tfjs does not know, Lion\.$/.test(e.message) && /--optimizer picks the one LR Lab runs/.test(e.fix ?? ''));
  const foo = withConfig('foo.json', { trainingConfig: { loss: 'fooLoss', optimizer_config: { class_name: 'Adam', config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } } } });
  await assert.rejects(loadLayersModelWithCsv({ modelJson: foo, data: tinyCsv, label: 'label' }, tf), (e: unknown) => e instanceof LrLabError && /^foo\.json's trainingConfig\.loss is 'fooLoss', a loss tfjs does not know\.$/.test(e.message));
  const graph = path.join(dir, 'graph.json');
  writeFileSync(graph, JSON.stringify({ format: 'graph-model', generatedBy: '2.x', modelTopology: { node: [] }, weightsManifest: [] }));
  await assert.rejects(loadLayersModelWithCsv({ modelJson: graph, data: tinyCsv, label: 'label' }, tf), (e: unknown) => e instanceof LrLabError && /^graph\.json is a tfjs graph model \(format graph-model\): it runs inference only/.test(e.message) && /tfjs_layers_model/.test(e.fix ?? ''));
});

test('an Embedding fed the CSV\'s measurements (not ids): one line saying what an embedding takes, not "internal error: GatherV2 … please report it"', async () => {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: 10, outputDim: 3, inputLength: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  const file = path.join(dir, 'embed', 'model.json');
  await writeModel(tf, model, file);
  model.dispose();
  const ctx = { reporter: new Reporter('t', silentSink, 0), signal: new AbortController().signal };
  // As every command reports what a run threw (main.ts: toLrLabError).
  await assert.rejects(findLr({ kind: 'find-lr', model: file, data: tinyCsv, label: 'label', steps: 10, rangeTests: 1, lrTrials: 0, seed: 1, backend: 'wasm' }, ctx), (thrown: unknown) => {
    const e = toLrLabError(thrown);
    assert.ok(e.code === 'data', String(thrown));
    assert.match(e.message, /^An embedding lookup got the index -?[\d.]+, outside its table's 0\.\.9: the inputs that feed an Embedding layer must be whole numbers from 0 to its inputDim − 1/);
    assert.match(e.fix ?? '', /Encode those input values as ids 0\.\.9/);
    return true;
  });
});
