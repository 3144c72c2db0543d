/**
 * loadData()'s result → tensors: every accepted form, the deterministic validation split, and
 * every bad input as an LrLabError naming the model file, the split, the sample and the fix.
 * Also which loss a run uses.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareData } from '../../src/engine/data';
import { checkLabels, resolveLoss } from '../../src/engine/loss';
import { baselineLossOf } from '../../src/core/baseline';
import { modelMeasures } from '../../src/engine/session';
import { readTensor } from '../../src/engine/readTensor';
import type { PreparedData } from '../../src/engine/data';
import type { UserModelModule } from '../../src/engine/modelFile';
import { seedProcess } from '../../src/engine/seed';
import { loadTf } from '../../src/engine/tfjs';
import type { Tf } from '../../src/engine/tfjs';
import { LrLabError } from '../../src/protocol/errors';
import type { ErrorCode } from '../../src/protocol/errors';

const FILE = '/workspace/model.ts';
let tf: Tf;
before(async () => {
  ({ tf } = await loadTf({ backend: 'wasm' }));
});

type Model = ReturnType<Tf['sequential']>;

function dense(inputShape: number[], units: number, activation: 'softmax' | 'sigmoid' | 'linear'): Model {
  const layers = inputShape.length > 1 ? [tf.layers.flatten({ inputShape }), tf.layers.dense({ units, activation })] : [tf.layers.dense({ units, activation, inputShape })];
  return tf.sequential({ layers });
}

const classifier = (): Model => dense([2], 3, 'softmax');
const regressor = (): Model => dense([2], 1, 'linear');

function prepare(raw: unknown, model: Model, options: Partial<Parameters<typeof prepareData>[3]> = {}): Promise<PreparedData> {
  return prepareData(raw, tf, model, { file: FILE, seed: 1, ...options });
}

function rejects(code: ErrorCode, pattern: RegExp, fix?: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof LrLabError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    assert.equal(e.file, FILE);
    assert.ok((e.fix ?? '').length > 10, `a fix for: ${e.message}`);
    if (fix !== undefined) assert.match(e.fix ?? '', fix);
    return true;
  };
}

const points = (n: number): number[][] => Array.from({ length: n }, (_, i) => [Math.cos(i), Math.sin(i)]);
const oneHot = (n: number, k = 3): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: k }, (_, j) => (j === i % k ? 1 : 0)));

// ---------------------------------------------------------------------------------------------
// Accepted forms

test('nested arrays: 20% held out by a seeded permutation, same seed same split, original order kept', async () => {
  const xs = Array.from({ length: 50 }, (_, i) => [i, -i]);
  const data = await prepare({ train: { xs, ys: oneHot(50) } }, classifier());
  assert.equal(data.train.count, 40);
  assert.equal(data.validation.count, 10);
  assert.equal(data.validationFromFile, false);
  assert.deepEqual(data.inputShape, [null, 2]);
  assert.deepEqual(data.outputShape, [null, 3]);
  const trainIds = Array.from(tf.tidy(() => tf.slice(data.train.xs, [0, 0], [-1, 1]).dataSync()));
  const valIds = Array.from(tf.tidy(() => tf.slice(data.validation.xs, [0, 0], [-1, 1]).dataSync()));
  assert.deepEqual([...trainIds, ...valIds].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(trainIds, [...trainIds].sort((a, b) => a - b));
  const again = await prepare({ train: { xs, ys: oneHot(50) } }, classifier());
  assert.deepEqual(Array.from(again.validation.xs.dataSync()), Array.from(data.validation.xs.dataSync()));
  const other = await prepare({ train: { xs, ys: oneHot(50) } }, classifier(), { seed: 2 });
  assert.notDeepEqual(Array.from(other.validation.xs.dataSync()), Array.from(data.validation.xs.dataSync()));
  const half = await prepare({ train: { xs, ys: oneHot(50) } }, classifier(), { validationFraction: 0.5 });
  assert.equal(half.validation.count, 25);
});

test("tensors, and the file's own validation split; the user's tensors are not disposed", async () => {
  const xs = tf.tensor2d(points(30));
  const ys = tf.tensor2d(oneHot(30));
  const vx = tf.tensor2d(points(6));
  const vy = tf.tensor2d(oneHot(6));
  const data = await prepare({ train: { xs, ys }, validation: { xs: vx, ys: vy } }, classifier());
  assert.equal(data.validationFromFile, true);
  assert.equal(data.train.count, 30);
  assert.equal(data.validation.count, 6);
  await prepare({ train: { xs, ys } }, classifier());
  assert.ok(!xs.isDisposed && !ys.isDisposed && !vx.isDisposed && !vy.isDisposed);
});

test('flat typed arrays are shaped by the model; class-index labels and one-value labels', async () => {
  const xs = Float32Array.from(points(20).flat());
  const sparse = await prepare({ train: { xs, ys: Int32Array.from({ length: 20 }, (_, i) => i % 3) } }, classifier());
  assert.deepEqual(sparse.train.xs.shape, [16, 2]);
  assert.deepEqual(sparse.train.ys.shape, [16]);
  const values = await prepare({ train: { xs, ys: Float64Array.from({ length: 20 }, (_, i) => i / 10) } }, regressor());
  assert.deepEqual(values.train.ys.shape, [16, 1]);
});

test('a missing trailing axis of 1 is added: [n] targets for one output unit, [n, h, w] images for [h, w, 1]', async () => {
  const images = Array.from({ length: 10 }, (_, i) => Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => i / 10)));
  const data = await prepare({ train: { xs: images, ys: Array.from({ length: 10 }, (_, i) => i % 2) } }, dense([4, 4, 1], 1, 'sigmoid'));
  assert.deepEqual(data.train.xs.shape, [8, 4, 4, 1]);
  assert.deepEqual(data.train.ys.shape, [8, 1]);
});

test('an array of per-sample tensors, booleans as 0/1, and a bare { xs, ys } as the training data', async () => {
  const xs = points(10).map((p) => tf.tensor1d(p));
  const data = await prepare({ xs, ys: Array.from({ length: 10 }, (_, i) => [i % 2 === 0]) }, dense([2], 1, 'sigmoid'));
  assert.equal(data.train.count + data.validation.count, 10);
  assert.deepEqual(data.train.xs.shape, [8, 2]);
  assert.equal(data.train.ys.dtype, 'float32');
});

test('xs and ys as model.fit also takes them: an array of one tensor of all the samples, or an object keyed by the input/output layer\'s name; another key is refused, naming the input\'s name', async () => {
  const model = classifier();
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const xs = tf.tensor2d(points(10));
  const ys = tf.tensor2d(oneHot(10));
  const arrays = await prepare({ train: { xs: [xs], ys: [ys] } }, model);
  assert.deepEqual(arrays.train.xs.shape, [8, 2]);
  assert.deepEqual(arrays.train.ys.shape, [8, 3]);
  const keyed = await prepare({ train: { xs: { [model.inputNames[0]!]: xs }, ys: { [model.outputNames[0]!]: ys } } }, model);
  assert.deepEqual(keyed.train.xs.shape, [8, 2]);
  assert.deepEqual(keyed.train.ys.shape, [8, 3]);
  // A list of one per-sample tensor stays a list of samples (its rank is the sample's, not the batch's).
  await assert.rejects(prepare({ xs: [tf.tensor1d([0.5, 0.25])], ys: [[1, 0, 0]] }, model), rejects('data', /has only 1 sample/));
  // Said as a key that is not the input's name (it read "train.xs is an object (Object); expected a tensor").
  await assert.rejects(prepare({ train: { xs: { other: xs }, ys } }, model), rejects('data', new RegExp(`^train\\.xs is keyed by 'other', and the model's input is named '${model.inputNames[0]!}' \\(model\\.inputNames\\): as fit, LR Lab takes an object keyed by that name\\.$`)));
});

test('tf.data.Dataset: per-sample and batched, { xs, ys } and [xs, ys] elements, plain-array elements', async () => {
  const samples = tf.data.zip({ xs: tf.data.array(points(24).map((p) => tf.tensor1d(p))), ys: tf.data.array(oneHot(24).map((y) => tf.tensor1d(y))) });
  const perSample = await prepare({ train: samples }, classifier());
  assert.equal(perSample.train.count + perSample.validation.count, 24);
  const batched = await prepare({ train: samples.batch(5), validation: samples.batch(10) }, classifier());
  assert.equal(batched.train.count, 24);
  assert.equal(batched.validation.count, 24);
  const tuples = tf.data.array(points(12).map((p, i) => [tf.tensor1d(p), tf.tensor1d(oneHot(12)[i]!)]));
  assert.equal((await prepare(tuples, classifier())).train.count, 10);
  const plain = tf.data.array(points(12).map((p, i) => ({ xs: p, ys: i % 3 })));
  const fromPlain = await prepare({ train: plain }, classifier());
  assert.deepEqual(fromPlain.train.xs.shape, [10, 2]);
});

test('a dataset over the cap stops with a message saying how to shrink it', async () => {
  const big = tf.data.generator(function* () {
    for (let i = 0; ; i++) yield { xs: tf.tensor1d([i, i]), ys: tf.tensor1d([1, 0, 0]) };
  });
  await assert.rejects(prepare({ train: big }, classifier(), { datasetSampleLimit: 10 }), rejects('data', /train dataset did not end within 10 samples: it is endless \(\.repeat\(\) without a count, a generator that never returns\) or larger than LR Lab keeps: LR Lab reads a tf\.data dataset into memory once and does not stream it\./, /\.take\(n\)/));
});

test('a long read of a dataset says how far it has got every 2 s (an endless generator showed only "Loading" for 91 s before the cap)', async () => {
  const slow = tf.data.generator(function* () {
    for (let i = 0; ; i++) {
      const until = performance.now() + 1;
      while (performance.now() < until);
      yield { xs: tf.tensor1d([i, i]), ys: tf.tensor1d([1, 0, 0]) };
    }
  });
  const told: string[] = [];
  await assert.rejects(prepare({ train: slow }, classifier(), { datasetSampleLimit: 2600, onProgress: (text) => told.push(text) }), rejects('data', /did not end within 2,600 samples/));
  assert.ok(told.length >= 1, 'no progress in over 2.6 s of reading');
  assert.match(told[0]!, /^Reading the train dataset into memory: [\d,]+ samples in 2 s \(at most 2,600 are read\)$/);
});

test('a dataset with a random map (augmentation) is flagged: it is read into memory once, so the augmentation repeats every epoch; a shuffle is not', async () => {
  const base = tf.data.array(points(40).map((p, i) => ({ xs: p, ys: oneHot(40)[i]! })));
  let draw = 0;
  // A random flip/noise as users write it: different values each time the dataset is read.
  const augmented = base.map((e) => {
    const { xs, ys } = e;
    draw++;
    return { xs: tf.tensor1d(xs.map((v) => v + Math.sin(draw * 12.9898) * 0.1)), ys: tf.tensor1d(ys) };
  });
  const flagged = await prepare({ train: augmented }, classifier());
  assert.equal(flagged.warnings.length, 1);
  assert.match(flagged.warnings[0]!, /The train dataset gives different values each time it is read \(a random \.map\(\), e\.g\. augmentation\): LR Lab reads it into memory once, so every epoch repeats the same augmented samples/);
  assert.deepEqual((await prepare({ train: base.shuffle(40, 'seed', true) }, classifier())).warnings, []);
  // Batched, deterministic: no augmentation warning. From a model file's loadData, the note that runs
  // batch at --batch-size, not at its 8 (the script route keeps its fit call's size: no note there).
  assert.deepEqual((await prepare({ train: base.batch(8) }, classifier())).warnings, []);
  assert.deepEqual((await prepare({ train: base.batch(8) }, classifier(), { noteDatasetBatches: true })).warnings, [`The train dataset comes in batches of 8: LR Lab reads its samples into memory and batches them itself at --batch-size (64 unless you give it), so runs use that size, not the dataset's (--batch-size 8 keeps yours).`]);
});

// ---------------------------------------------------------------------------------------------
// Refused data

test('loadData returning nothing useful, or no train', async () => {
  await assert.rejects(prepare(undefined, classifier()), rejects('data', /loadData\(\) returned undefined, not \{ train, validation\? \}/));
  await assert.rejects(prepare({ test: 1, labels: 2 }, classifier()), rejects('data', /without train \(keys: test, labels\)/));
  // It read "an object without train (keys: train)".
  await assert.rejects(prepare({ train: undefined, validation: null }, classifier()), rejects('data', /^loadData\(\) returned train: undefined\.$/));
  await assert.rejects(prepare({ train: { xs: points(4) } }, classifier()), rejects('data', /returned a train split without ys \(keys: xs\)/));
  await assert.rejects(prepare({ train: 'data.csv' }, classifier()), rejects('data', /train split that is the string 'data.csv'/));
  // An array of three is no [xs, ys].
  await assert.rejects(prepare({ train: [points(4), oneHot(4), 1] }, classifier()), rejects('data', /train split without xs \(keys: 0, 1, 2\)/));
});

test('a split as [xs, ys], as fit takes them (and the library\'s findLr): read as { xs, ys } (it read "a train split without xs (keys: 0, 1)")', async () => {
  const pair = await prepare({ train: [tf.tensor2d(points(8)), tf.tensor2d(oneHot(8))], validation: [points(4), oneHot(4)] }, classifier());
  assert.deepEqual([pair.train.xs.shape, pair.train.ys.shape, pair.validation?.xs.shape], [[8, 2], [8, 3], [4, 2]]);
});

test('empty data and xs/ys of different lengths', async () => {
  await assert.rejects(prepare({ train: { xs: [], ys: [] } }, classifier()), rejects('data', /The train data is empty \(0 samples\)/));
  await assert.rejects(prepare({ train: { xs: points(8), ys: oneHot(7) } }, classifier()), rejects('data', /train\.xs has 8 samples but train\.ys has 7/));
  await assert.rejects(prepare({ train: { xs: points(8), ys: oneHot(8) }, validation: { xs: [], ys: [] } }, classifier()), rejects('data', /validation data is empty/));
});

test("shapes that do not fit the model's input or output: both shapes named", async () => {
  await assert.rejects(prepare({ train: { xs: Array.from({ length: 6 }, () => [1, 2, 3]), ys: oneHot(6) } }, classifier()), rejects('shape', /train\.xs has shape \[batch, 3\] but the model expects inputs of shape \[batch, 2\]/, /inputShape/));
  await assert.rejects(prepare({ train: { xs: tf.zeros([6, 8]), ys: oneHot(6) } }, dense([4, 2], 3, 'softmax')), rejects('shape', /\[batch, 8\] but the model expects inputs of shape \[batch, 4, 2\]/, /reshape\(\[-1, 4, 2\]\)/));
  // The training inputs fit and validation's alone differ: the fix is validation's, not the model's inputShape.
  await assert.rejects(
    prepare({ train: { xs: points(6), ys: oneHot(6) }, validation: { xs: Array.from({ length: 4 }, () => [1, 2, 3]), ys: oneHot(4) } }, classifier()),
    rejects('shape', /validation\.xs has shape \[batch, 3\] but the model expects inputs of shape \[batch, 2\]/, /^The training inputs fit the model: give validation inputs of the same shape, \[batch, 2\] \(check that loadData\(\) builds both splits the same way\)\.$/),
  );
  // Four classes set: the last layer is the fix, not tf.oneHot(…, 3), which would zero the fourth class's rows.
  await assert.rejects(prepare({ train: { xs: points(6), ys: oneHot(6, 4) } }, classifier()), rejects('shape', /train\.ys has shape \[batch, 4\] but the model outputs \[batch, 3\]/, /^Make the last layer have 4 units to match the labels' 4 columns \(4 of them are set in some row: one per class or per target\)\.$/));
  // Narrower labels than outputs: the last layer, never "encoded with too many".
  await assert.rejects(prepare({ train: { xs: points(6), ys: oneHot(6, 2) } }, classifier()), rejects('shape', /train\.ys has shape \[batch, 2\] but the model outputs \[batch, 3\]/, /^Make the last layer have 2 units to match the labels' 2 columns \(2 of them are set in some row: one per class or per target\)\.$/));
  // Only three of four columns ever set: encoded with one too many, and the 3-unit model may be right.
  const threeOfFour = oneHot(6, 3).map((row) => [...row, 0]);
  await assert.rejects(prepare({ train: { xs: points(6), ys: threeOfFour } }, classifier()), rejects('shape', /train\.ys has shape \[batch, 4\]/, /^Make the last layer have 4 units to match the labels' 4 columns, or, if the model is right, give labels of 3 columns \(only 3 of the 4 are ever set: one-hot encoded with too many, e\.g\. tf\.oneHot\(classIndices, 3\)\)\.$/));
  // One-hot rows of two classes under one sigmoid unit: not "tf.oneHot(labels, 1)" (a user trial's message).
  await assert.rejects(prepare({ train: { xs: points(6), ys: oneHot(6, 2) } }, dense([2], 1, 'sigmoid')), rejects('shape', /train\.ys has shape \[batch, 2\] but the model outputs \[batch, 1\]/, /^If the labels are one-hot rows of two classes, keep the positive class's column \(ys\.slice\(\[0, 1\], \[-1, 1\]\)\) for the sigmoid unit, or make the last layer 2 units with softmax and use categoricalCrossentropy; for 2 regression targets, make the last layer 2 units\.$/));
});

test('NaN or Infinity in inputs or labels: the split and the sample', async () => {
  const xs = points(8);
  xs[5] = [Number.NaN, 1];
  await assert.rejects(prepare({ train: { xs, ys: oneHot(8) } }, classifier()), rejects('data', /train\.xs\[5\]\[0\] is NaN/));
  await assert.rejects(prepare({ train: { xs: tf.tensor2d([[1, 2], [3, Infinity], [5, 6]]), ys: tf.tensor2d(oneHot(3)) } }, classifier()), rejects('data', /train\.xs sample 1 contains NaN or Infinity/));
  await assert.rejects(prepare({ train: { xs: points(3), ys: tf.tensor2d([[0], [Number.NaN], [1]]) } }, regressor()), rejects('data', /train\.ys sample 1 contains NaN or Infinity/));
  await assert.rejects(prepare({ train: { xs: Float32Array.from([1, 2, 3, Number.POSITIVE_INFINITY]), ys: [1, 2] } }, regressor()), rejects('data', /train\.xs holds Infinity at index 3 \(sample 1\)/));
});

test('strings, ragged arrays, odd typed arrays and other non-numbers', async () => {
  await assert.rejects(prepare({ train: { xs: [[1, 'b'], [3, 4]], ys: oneHot(2) } }, classifier()), rejects('data', /train\.xs\[0\]\[1\] is the string 'b'; training needs numbers/, /Encode text/));
  await assert.rejects(prepare({ train: { xs: points(2), ys: ['cat', 'dog'] } }, classifier()), rejects('data', /train\.ys\[0\] is the string 'cat'/));
  await assert.rejects(prepare({ train: { xs: tf.tensor(['a', 'b']), ys: [1, 2] } }, regressor()), rejects('data', /train\.xs is a string tensor/));
  await assert.rejects(prepare({ train: { xs: [[1, 2], [3, 4, 5]], ys: oneHot(2) } }, classifier()), rejects('data', /train\.xs\[1\] has 3 values where the first sample has 2: the data is not rectangular/));
  await assert.rejects(prepare({ train: { xs: [[1, 2], [3, null]], ys: oneHot(2) } }, classifier()), rejects('data', /train\.xs\[1\]\[1\] is null/));
  await assert.rejects(prepare({ train: { xs: Float32Array.from([1, 2, 3]), ys: [1] } }, regressor()), rejects('data', /flat Float32Array of 3 values, which cannot be cut into samples of the model's shape \[batch, 2\]/));
});

test('malformed dataset elements', async () => {
  await assert.rejects(prepare({ train: tf.data.array([1, 2, 3]) }, classifier()), rejects('data', /Element 0 of the train dataset is a number, not \{ xs, ys \}/));
  // Inputs alone: each element a tensor (it read "an object (Tensor)").
  await assert.rejects(prepare({ train: tf.data.array([tf.tensor1d([1, 2]), tf.tensor1d([3, 4])]) }, classifier()), rejects('data', /^Element 0 of the train dataset is a tensor of shape \[2\], not \{ xs, ys \}\.$/, /^Give each element its labels as \{ xs, ys \}\. Zip an object, tf\.data\.zip\(\{ xs: xds, ys: yds \}\)/));
});

test('tf.data.zip([xds, yds]).batch(n), which tf.data cannot batch, is said as that with the object form to use (it read "Reading the train dataset failed: Invalid typed array length: 256")', async () => {
  const xs = tf.data.array(Array.from({ length: 10 }, (_, i) => tf.tensor1d([i, i % 3])));
  const ys = tf.data.array(Array.from({ length: 10 }, (_, i) => tf.oneHot(tf.tensor1d([i % 3], 'int32'), 3).reshape([3])));
  await assert.rejects(prepare({ train: tf.data.zip([xs, ys]).batch(2) }, classifier()), rejects('data', /^tf\.data's batch\(\) could not batch the train dataset \(.+\): it stacks tensors and objects of them, not arrays of tensors such as tf\.data\.zip\(\[xds, yds\]\) yields\.$/, /^Zip an object, tf\.data\.zip\(\{ xs: xds, ys: yds \}\), before \.batch\(n\)/));
  // The object form, as the fix says, reads.
  const zipped = await prepare({ train: tf.data.zip({ xs, ys }).batch(2) }, classifier());
  assert.equal(zipped.train.count + zipped.validation.count, 10);
});

test('a validation split that cannot be made', async () => {
  await assert.rejects(prepare({ train: { xs: [[1, 2]], ys: oneHot(1) } }, classifier()), rejects('data', /only 1 sample: none can be held out/));
  await assert.rejects(prepare({ train: { xs: points(4), ys: oneHot(4) } }, classifier(), { validationFraction: 1 }), (e: unknown) => e instanceof LrLabError && e.code === 'bad-option' && e.option === 'validationSplit');
});

test('too few samples to train on are refused, saying how many and what to give; four train (XOR with its own validation); a user\'s tensors survive the refusal', async () => {
  // A user's two samples: one trained on, one held out, and a range test that "learned" the one.
  await assert.rejects(
    prepare({ train: { xs: points(2), ys: oneHot(2) } }, classifier()),
    rejects('data', /^loadData\(\) gave 2 samples; holding out 1 for validation \(--validation-split 0\.2\) leaves 1 to train on: too few to measure anything about a learning rate \(at least 4 are needed to train on\)\.$/, /return a validation split from loadData\(\)/),
  );
  await assert.rejects(prepare({ train: { xs: points(4), ys: oneHot(4) } }, classifier(), { naming: 'option' }), rejects('data', /holding out 1 for validation \(validationSplit: 0\.2\) leaves 3 to train on/));
  assert.equal((await prepare({ train: { xs: points(5), ys: oneHot(5) } }, classifier())).train.count, 4);
  const xs = tf.tensor2d(points(3));
  const ys = tf.tensor2d(oneHot(3));
  await assert.rejects(prepare({ train: { xs, ys }, validation: { xs, ys } }, classifier()), rejects('data', /^loadData\(\) gave 3 training samples: too few/, /^Give more training data\.$/));
  assert.ok(!xs.isDisposed && !ys.isDisposed, "the user's tensors are theirs");
  const xor = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const xorData = await prepare({ train: { xs: xor, ys: [0, 1, 1, 0] }, validation: { xs: xor, ys: [0, 1, 1, 0] } }, dense([2], 1, 'sigmoid'));
  assert.equal(xorData.train.count, 4);
});

test('refused data leaves no tensors behind: what was made before the refusal (casts, arrays made tensors) is disposed, the caller\'s own are kept', async () => {
  const xs = tf.randomNormal([20, 5]);
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 20 }, (_, i) => i % 3), 'int32'), 3); // int32: cast before the checks
  const cases: [string, unknown][] = [
    ['inputs of another width', { train: { xs, ys } }],
    ['arrays of another width', { train: { xs: points(20).map((p) => [...p, 0]), ys: oneHot(20) } }],
    ['counts that differ', { train: { xs: tf.randomNormal([20, 2]), ys: tf.slice(ys, 0, 15) } }],
  ];
  const model = classifier();
  for (const [what, raw] of cases) {
    const before = tf.memory().numTensors;
    await assert.rejects(prepare(raw, model), (e: unknown) => e instanceof LrLabError, what);
    assert.equal(tf.memory().numTensors, before, `${what}: tensors left behind`);
  }
  assert.ok(!xs.isDisposed && !ys.isDisposed, "the caller's tensors are theirs");
});

test('a model with two inputs, or two outputs, is refused with what to do about that one', async () => {
  const a = tf.input({ shape: [2] });
  const b = tf.input({ shape: [2] });
  const merged = tf.layers.concatenate().apply([a, b]) as InstanceType<Tf['SymbolicTensor']>;
  const model = tf.model({ inputs: [a, b], outputs: tf.layers.dense({ units: 1 }).apply(merged) as InstanceType<Tf['SymbolicTensor']> });
  await assert.rejects(prepareData({ train: { xs: points(4), ys: [1, 2, 3, 4] } }, tf, model, { file: FILE }), rejects('shape', /The model has 2 inputs and 1 output; LR Lab trains models with one input and one output/, /^Give the model one input: one array of all the features, split apart inside the model where some must go their own way \(ids into an embedding: a layer that slices its input\)\. Or tune a single-input version of the model\.$/));
  // One input, two outputs: the fix is about outputs only.
  const x = tf.input({ shape: [2] });
  const twoOut = tf.model({ inputs: x, outputs: [tf.layers.dense({ units: 1 }).apply(x), tf.layers.dense({ units: 1 }).apply(x)] as InstanceType<Tf['SymbolicTensor']>[] });
  await assert.rejects(prepareData({ train: { xs: points(4), ys: [1, 2, 3, 4] } }, tf, twoOut, { file: FILE }), rejects('shape', /The model has 1 input and 2 outputs/, /^Give the model one output: its outputs merged into one \(tf\.layers\.concatenate\), with labels of as many columns in the same order\. Or tune a version of the model with one of its outputs\.$/));
});

// ---------------------------------------------------------------------------------------------
// Labels against the loss

async function labelsFail(ys: unknown, loss: string, model: Model, code: ErrorCode, pattern: RegExp, fix?: RegExp): Promise<void> {
  const data = await prepare({ train: { xs: points(6), ys } }, model);
  assert.throws(() => checkLabels(tf, data.train, loss, model, 'train', FILE), rejects(code, pattern, fix));
}

test('labels that do not fit the loss', async () => {
  await labelsFail([0, 1, 2, 0, 1, 2], 'categoricalCrossentropy', classifier(), 'loss', /needs one-hot labels of shape \[batch, 3\], but train\.ys has shape \[batch\]/, /sparseCategoricalCrossentropy|tf\.oneHot/);
  await labelsFail([[1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]], 'categoricalCrossentropy', classifier(), 'loss', /needs one-hot rows .* but train\.ys sample 0 is \[1, 1, 0\]/);
  await labelsFail([0, 1, 2.5, 0, 1, 2], 'sparseCategoricalCrossentropy', classifier(), 'loss', /needs class indices 0\.\.2 .* but train\.ys sample \d is 2\.5/);
  await labelsFail([0, 1, 3, 0, 3, 3], 'sparseCategoricalCrossentropy', classifier(), 'loss', /needs class indices 0\.\.2 \(the model has 3 output units\), but train\.ys sample \d is 3/, /as many units as there are classes/);
  await labelsFail(oneHot(6), 'sparseCategoricalCrossentropy', classifier(), 'loss', /needs one class index per sample, but train\.ys has shape \[batch, 3\] \(one-hot rows\)/, /categoricalCrossentropy/);
  await labelsFail([0, 1, 2, 0, 1, 2], 'binaryCrossentropy', dense([2], 1, 'sigmoid'), 'loss', /needs labels in \[0, 1\], but train\.ys sample \d holds 2/);
  await labelsFail([0, 1, 2, 0, 1, 2], 'meanSquaredError', classifier(), 'shape', /train\.ys has shape \[batch\] and the model outputs \[batch, 3\]/, /sparseCategoricalCrossentropy/);
  // One 0/1 label per sample under a 2-unit softmax: named at load (it was "internal error: logits and labels must have the same shape" at the first step).
  await labelsFail([0, 1, 1, 0, 1, 0], 'binaryCrossentropy', dense([2], 2, 'softmax'), 'loss', /^binaryCrossentropy compares each label with one output unit, but train\.ys has shape \[batch\] and the model outputs \[batch, 2\]\.$/, /1 unit with activation 'sigmoid'.*tf\.oneHot\(labels, 2\)/);
  await labelsFail([[0], [1], [1], [0], [1], [0]], 'binaryCrossentropy', dense([2], 2, 'softmax'), 'loss', /train\.ys has shape \[batch, 1\] and the model outputs \[batch, 2\]/);
  // Softmax over one unit is always 1: nothing trains it, whatever the loss (it read "nothing learned yet: run more --steps").
  for (const loss of ['binaryCrossentropy', 'meanSquaredError']) {
    await labelsFail([0, 1, 1, 0, 1, 0], loss, dense([2], 1, 'softmax'), 'model-build', /^The model's last layer \(Dense '\w+'\) applies softmax to 1 unit: softmax over one unit is always 1, whatever the input, so nothing can train it \(every gradient is 0\)\.$/, loss === 'binaryCrossentropy' ? /activation: 'sigmoid' \(1 unit, labels 0\/1\)/ : /C units with softmax/);
  }
  const softmaxLayer = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] }), tf.layers.softmax()] });
  await labelsFail([0, 1, 1, 0, 1, 0], 'binaryCrossentropy', softmaxLayer, 'model-build', /last layer \(Softmax '\w+'\) applies softmax to 1 unit/);
  // A sigmoid unit with 0/1 labels, and two sigmoid units with two labels each (multi-label), still pass.
  checkLabels(tf, (await prepare({ train: { xs: points(6), ys: [0, 1, 1, 0, 1, 0] } }, dense([2], 1, 'sigmoid'))).train, 'binaryCrossentropy', dense([2], 1, 'sigmoid'), 'train', FILE);
  checkLabels(tf, (await prepare({ train: { xs: points(6), ys: [[0, 1], [1, 1], [1, 0], [0, 0], [1, 0], [0, 1]] } }, dense([2], 2, 'sigmoid'))).train, 'binaryCrossentropy', dense([2], 2, 'sigmoid'), 'train', FILE);
  const fine = await prepare({ train: { xs: points(6), ys: oneHot(6) } }, classifier());
  checkLabels(tf, fine.train, 'categoricalCrossentropy', classifier(), 'train', FILE);
  // A class per position (sequence tagging): refused with what to tune instead, not "match the last layer's units".
  const tagger = tf.sequential({ layers: [tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'softmax' }), inputShape: [4, 2] })] });
  const xs = tf.zeros([6, 4, 2]);
  for (const [loss, ys] of [['categoricalCrossentropy', tf.oneHot(tf.zeros([6, 4], 'int32'), 3)], ['sparseCategoricalCrossentropy', tf.zeros([6, 4])]] as const) {
    assert.throws(() => checkLabels(tf, { xs, ys, count: 6 }, loss, tagger, 'train', FILE), rejects('loss', new RegExp(`^${loss} with a class per position: the model outputs \\[batch, 4, 3\\] and train\\.ys has shape \\[batch, 4${loss.startsWith('sparse') ? '' : ', 3'}\\]; LR Lab tunes models with one label per sample\\.$`), /one class per sample/));
  }
});

// ---------------------------------------------------------------------------------------------
// Loss and optimizer

function mod(loss?: UserModelModule['loss']): UserModelModule {
  return { file: FILE, createModel: () => classifier(), loadData: async () => ({}), loss };
}

test("the loss: the file's export (names and aliases, or a function), else model.compile's, else inferred", async () => {
  const yTrue = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
  const yPred = tf.tensor2d([[0.7, 0.2, 0.1], [0.3, 0.4, 0.3]]);
  const expected = -(Math.log(0.7) + Math.log(0.4)) / 2;

  const exported = resolveLoss(tf, mod('categorical_crossentropy'), classifier(), yTrue);
  assert.equal(exported.name, 'categoricalCrossentropy');
  assert.equal(exported.source, 'export');
  const value = exported.fn(yTrue, yPred);
  assert.equal(value.rank, 0);
  assert.ok(Math.abs(value.dataSync()[0]! - expected) < 1e-5);
  assert.equal(resolveLoss(tf, mod('mse'), classifier()).name, 'meanSquaredError');
  function myLoss(a: InstanceType<Tf['Tensor']>, b: InstanceType<Tf['Tensor']>): InstanceType<Tf['Tensor']> {
    return tf.abs(tf.sub(a, b));
  }
  const custom = resolveLoss(tf, mod(myLoss), classifier());
  assert.equal(custom.name, 'myLoss');
  assert.ok(Math.abs(custom.fn(yTrue, yPred).dataSync()[0]! - 1.8 / 6) < 1e-6);
  // tfjs's own loss ops by their names, without the op scope tfjs gives them (huberLoss__op).
  assert.equal(resolveLoss(tf, mod(tf.losses.huberLoss), classifier()).name, 'huberLoss');
  assert.equal(resolveLoss(tf, mod(tf.losses.meanSquaredError), classifier()).name, 'meanSquaredError');
  assert.throws(() => resolveLoss(tf, mod('crossEntropyPlease'), classifier()), rejects('loss', /Unknown loss 'crossEntropyPlease' \(the loss export of model\.ts\)/, /sparseCategoricalCrossentropy/));
  // Names of Object's own properties are no losses (`constructor` read Object's: "internal error: name3.toLowerCase is not a function").
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.throws(() => resolveLoss(tf, mod(name), classifier()), rejects('loss', new RegExp(`Unknown loss '${name}' \\(the loss export of model\\.ts\\)`), /sparseCategoricalCrossentropy/), name);
    assert.equal(baselineLossOf(name), null, name);
  }

  const compiled = classifier();
  compiled.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const fromCompile = resolveLoss(tf, mod(), compiled, yTrue);
  assert.equal(fromCompile.name, 'sparseCategoricalCrossentropy');
  assert.equal(fromCompile.source, 'compile');
  const sparse = fromCompile.fn(tf.tensor1d([0, 1]), yPred).dataSync()[0]!;
  assert.ok(Math.abs(sparse - expected) < 1e-5);

  assert.equal(resolveLoss(tf, mod(), classifier(), yTrue).name, 'categoricalCrossentropy');
  assert.equal(resolveLoss(tf, mod(), classifier(), tf.tensor1d([0, 2])).name, 'sparseCategoricalCrossentropy');
  assert.equal(resolveLoss(tf, mod(), dense([2], 1, 'sigmoid')).name, 'binaryCrossentropy');
  const inferred = resolveLoss(tf, mod(), regressor());
  assert.equal(inferred.name, 'meanSquaredError');
  assert.equal(inferred.source, 'inferred');
  const softmaxLayer = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] }), tf.layers.softmax()] });
  assert.equal(resolveLoss(tf, mod(), softmaxLayer, yTrue).name, 'categoricalCrossentropy');
});

test('--seed reaches tf.data: a dataset.shuffle() given no seed reads in one order per seed (it seeded itself from the clock); a seed given to it is kept', async () => {
  const order = async (seed: number | null, own?: string): Promise<number[]> => {
    seedProcess(seed);
    return await tf.data.array(Array.from({ length: 40 }, (_, i) => i)).shuffle(40, own).toArray();
  };
  try {
    const first = await order(7);
    assert.deepEqual(await order(7), first, 'the same --seed, the same order');
    assert.notDeepEqual(await order(8), first, 'another --seed, another order');
    assert.notDeepEqual(first, Array.from({ length: 40 }, (_, i) => i), 'still shuffled');
    assert.deepEqual(await order(7, 'mine'), await order(8, 'mine'), "the user's own seed decides, whatever --seed is");
  } finally {
    seedProcess(null);
  }
});

test("the data checks read per-sample values outside tf.tidy: tidy walks a typed array it is returned element by element (4 s of a 1.5-million-row CSV's checks, Ctrl-C waiting)", async () => {
  const returned: string[] = [];
  // Our own calls only: tfjs's ops use its engine, not this namespace's tidy.
  const watched = new Proxy(tf, {
    get(target, key, receiver) {
      if (key !== 'tidy') return Reflect.get(target, key, receiver) as unknown;
      return (...args: Parameters<Tf['tidy']>) => {
        const out = target.tidy(...args);
        if (ArrayBuffer.isView(out)) returned.push(`${out.constructor.name}(${(out as Float32Array).length})`);
        return out;
      };
    },
  });
  const model = classifier();
  const data = await prepareData({ train: { xs: points(200), ys: oneHot(200) } }, watched, model, { file: FILE, seed: 1 });
  checkLabels(watched, data.train, 'categoricalCrossentropy', model, 'train', FILE);
  checkLabels(watched, data.train, 'binaryCrossentropy', dense([2], 3, 'sigmoid'), 'train', FILE);
  const binary = await prepareData({ train: { xs: points(50), ys: Array.from({ length: 50 }, (_, i) => [i === 30 ? 2 : i % 2]) } }, watched, regressor(), { file: FILE, seed: 1 });
  assert.throws(() => checkLabels(watched, binary.train, 'binaryCrossentropy', regressor(), 'train', FILE, binary.origin?.train), /sample 30 holds 2/);
  assert.deepEqual(returned, []);
  const before = tf.memory().numTensors;
  assert.deepEqual(Array.from(readTensor(tf, () => tf.add(tf.tensor1d([1, 2]), 1))), [2, 3]);
  assert.equal(tf.memory().numTensors, before, 'readTensor leaves no tensor behind');
});

test('binary accuracy is reported for 0/1 labels only: with labels between 0 and 1 (an autoencoder\'s pixels) it counts nothing learned', async () => {
  // A user's sigmoid autoencoder under binaryCrossentropy, compiled with no metrics, read "val acc 90.1%": its background pixels' zeros.
  const measure = async (ys: number[][]): Promise<unknown> => {
    const model = dense([2], 2, 'sigmoid');
    const data = await prepare({ train: { xs: points(60), ys } }, model);
    const loss = resolveLoss(tf, mod('binaryCrossentropy'), model, data.train.ys);
    return modelMeasures(tf, undefined, model, loss, data, []).accuracy;
  };
  assert.equal(await measure(Array.from({ length: 60 }, (_, i) => [i % 2, (i + 1) % 2])), 'binary');
  assert.equal(await measure(Array.from({ length: 60 }, (_, i) => [i % 2, 0.3])), null);
});
