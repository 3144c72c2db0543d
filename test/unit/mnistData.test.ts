/**
 * The examples' MNIST loader keeps the package's digits as bytes in a cache: the pixels it gives
 * must be the package's own float32 values, whether read from the JSON or from the cache, and a
 * cache cut short is made again rather than read.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CLASSES, PIXELS, PIXEL_VALUES, bytesOf, digitPixels, readSplit } from '../../examples/shared/mnistData';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-mnist-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function hashOf(split: ReturnType<typeof readSplit>): string {
  const hash = createHash('sha256');
  for (const part of [split.train.images, split.train.labels, split.validation.images, split.validation.labels]) hash.update(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
  return hash.digest('hex');
}

test("the bytes give the package's float32 pixels exactly, digit by digit; a value that is no byte's k/255 keeps the numbers", () => {
  const load = createRequire(path.resolve('examples/shared/mnistData.ts'));
  const { digits, from } = digitPixels(null);
  assert.equal(from, 'json');
  assert.equal(digits.length, CLASSES);
  for (let digit = 0; digit < CLASSES; digit++) {
    const raw = (load(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    const expected = Float32Array.from(raw.slice(0, Math.floor(raw.length / PIXELS) * PIXELS));
    const bytes = digits[digit];
    assert.ok(bytes instanceof Uint8Array);
    assert.deepEqual(Float32Array.from(bytes, (k) => PIXEL_VALUES[k]!), expected, `digit ${digit}`);
  }
  // 0.5 is no byte's k/255 to 3 decimals (127 → 0.498, 128 → 0.502): such a package is read as numbers, not bytes.
  assert.equal(bytesOf([...new Array<number>(PIXELS - 1).fill(0), 0.5]), null);
  assert.deepEqual(bytesOf([...new Array<number>(PIXELS - 1).fill(0), 0.502]), Uint8Array.from([...new Array<number>(PIXELS - 1).fill(0), 128]));
});

/** The split the examples, the tests and the advice bench's MNIST oracle grids were made with (before the cache). */
const SPLIT_SHA256 = 'd845fc7ee4ec1bc9fadba701e296ec16f12a18b05996eacb1ef5b94a87cd8984';

test('the split is the same read from the JSON, when the cache is made, and from the cache; a cut-short, zeroed or foreign cache is made again', () => {
  const file = path.join(dir, 'nested', 'digits.bin');
  const fromJson = hashOf(readSplit(null));
  assert.equal(fromJson, SPLIT_SHA256);
  assert.equal(digitPixels(file).from, 'json');
  const size = statSync(file).size;
  assert.equal(size, 8 + 4 * CLASSES + 4 + 10_000 * PIXELS);
  assert.equal(digitPixels(file).from, 'cache');
  assert.equal(hashOf(readSplit(file)), fromJson);
  const split = readSplit(file);
  assert.equal(split.train.count, 8000);
  assert.equal(split.validation.count, 2000);

  truncateSync(file, size - 1);
  assert.equal(digitPixels(file).from, 'json');
  assert.equal(statSync(file).size, size, 'made again whole');
  // The right length and header, the pixels zeroed (a file a crash left blank): its byte sum tells.
  const whole = readFileSync(file);
  whole.fill(0, 8 + 4 * CLASSES + 4);
  writeFileSync(file, whole);
  assert.equal(digitPixels(file).from, 'json');
  writeFileSync(file, 'not a cache');
  assert.equal(hashOf(readSplit(file)), fromJson);
  assert.equal(digitPixels(file).from, 'cache');
});
