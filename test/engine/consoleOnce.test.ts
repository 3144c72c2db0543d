/** tfjs' "Slowness may result" advice, from real GRU layers: once per run in the CLI, not once per model built. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { onceEach } from '../../src/engine/consoleOnce';

function buildGru(): tf.LayersModel {
  const model = tf.sequential();
  // 48 units: a 48 x 144 recurrent kernel, over tfjs' 2000-element threshold for its orthogonal initializer.
  model.add(tf.layers.gru({ units: 48, inputShape: [4, 3] }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}

test('the orthogonal-initializer warning tfjs prints for every GRU built is printed once', async () => {
  await tf.setBackend('cpu');
  const saved = console.warn;
  const raw: string[] = [];
  const printed: string[] = [];
  const once = onceEach((text) => printed.push(text));
  console.warn = (...args: unknown[]): void => {
    raw.push(args.map(String).join(' '));
    once(...args);
  };
  try {
    // As a run does: the probe model, then the run's own.
    buildGru().dispose();
    buildGru().dispose();
  } finally {
    console.warn = saved;
  }
  const slow = (lines: string[]): string[] => lines.filter((l) => /Orthogonal initializer.*Slowness may result/.test(l));
  assert.ok(slow(raw).length >= 2, `tfjs warned ${slow(raw).length} times: ${raw.join(' | ')}`);
  assert.equal(slow(printed).length, 1);
});
