/**
 * Batches straight from the backend's buffers (src/engine/batches.ts): on wasm and on cpu,
 * `gatherBatch` equals `tf.gather`, `sliceRows` and `firstRows` equal `tf.slice` on images, one-hot and
 * class-index labels, without running either kernel (the copies are the point: wasm's slice took
 * 40x the copy); indices outside the split fail with a RangeError and leave no tensor behind.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import { firstRows, gatherBatch, sliceRows } from '../../src/engine/batches';
import { type Tf, loadTf } from '../../src/engine/tfjs';

let tf: Tf;

before(async () => {
  tf = (await loadTf({ backend: 'wasm' })).tf;
});

const same = (a: Tensor, b: Tensor, what: string): void => {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  assert.equal(a.dtype, b.dtype, `${what}: dtype`);
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()), `${what}: values`);
};

for (const backend of ['wasm', 'cpu'] as const) {
  test(`${backend}: row copies equal tf.gather and tf.slice; bad rows throw and leak nothing`, async () => {
    await tf.setBackend(backend);
    const n = 37;
    const images = tf.tensor4d(Float32Array.from({ length: n * 5 * 3 * 2 }, (_, i) => Math.sin(i) * 100), [n, 5, 3, 2]);
    const oneHot = tf.oneHot(tf.tensor1d(Int32Array.from({ length: n }, (_, i) => (i * 7) % 4), 'int32'), 4).toFloat();
    const indices = tf.tensor1d(Int32Array.from({ length: n }, (_, i) => (i * 11) % n), 'int32');
    const classes = tf.tensor2d(Int32Array.from({ length: n }, (_, i) => i % 3), [n, 1], 'int32');
    const pick = Int32Array.from([36, 0, 5, 5, 17]);
    for (const [xs, ys, what] of [[images, oneHot, 'images, one-hot'], [indices, classes, 'int32 rows, class indices']] as const) {
      const [gx, gy] = gatherBatch(tf, xs, ys, pick);
      same(gx, tf.gather(xs, tf.tensor1d(pick, 'int32')), `${what}: gathered xs`);
      same(gy, tf.gather(ys, tf.tensor1d(pick, 'int32')), `${what}: gathered ys`);
      for (const [start, size] of [[0, 8], [30, 7], [12, 1], [5, 0]] as const) {
        const [sx, sy] = sliceRows(tf, xs, ys, start, size);
        same(sx, tf.slice(xs, start, size), `${what}: rows ${start}+${size} of xs`);
        same(sy, tf.slice(ys, start, size), `${what}: rows ${start}+${size} of ys`);
        const head = firstRows(tf, xs, start + size);
        same(head, tf.slice(xs, 0, start + size), `${what}: first ${start + size} rows of xs`);
        tf.dispose([sx, sy, head]);
      }
      tf.dispose([gx, gy]);
    }
    const profile = await tf.profile(() => {
      const [gx, gy] = gatherBatch(tf, images, oneHot, pick);
      const [sx, sy] = sliceRows(tf, images, oneHot, 3, 9);
      const head = firstRows(tf, images, 20);
      tf.dispose([gx, gy, sx, sy, head]);
    });
    assert.deepEqual(profile.kernelNames, [], 'no tfjs kernel runs for a batch');
    const settled = tf.memory().numTensors;
    assert.throws(() => gatherBatch(tf, images, oneHot, Int32Array.from([1, n])), RangeError);
    assert.throws(() => sliceRows(tf, images, oneHot, 30, 8), /rows 30 to 38 are outside the split's 37 samples/);
    assert.throws(() => sliceRows(tf, images, oneHot, -1, 2), RangeError);
    assert.throws(() => firstRows(tf, images, n + 1), /rows 0 to 38 are outside the split's 37 samples/);
    assert.equal(tf.memory().numTensors, settled, 'a failed copy leaves no tensor');
    tf.dispose([images, oneHot, indices, classes]);
  });
}
