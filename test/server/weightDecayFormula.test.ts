/**
 * The weight decay the inserted block applies, run with real tfjs in this process on data built
 * so that the formula can be checked exactly: L2 (the gradient gets `+ wd × w`, equal to a
 * `kernelRegularizer` with `l2 = wd / 2`) and decoupled (`w × (1 − lr × wd)` after every step, with
 * the schedule's per-step LR), biases untouched. styles.test.ts checks the same per step in every
 * style, on the files as users run them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { insertScheduleChanges, insertWeightDecayChanges } from '../../src/server/insertEdit';
import { smith } from '../../src/core/schedules';
import { changed, decoupled, schedule, weightDecay } from './insertCases';

/** The generated plain JS for `fit` text, run with the given model and data. */
async function runGenerated(fitText: string, insert: (text: string) => string, model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<void> {
  const code = insert(fitText).replace('model.fit(', 'await model.fit(');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the generated JS the way the user's file would
  const run = new Function('model', 'xs', 'ys', `return (async () => { ${code} })();`) as (...a: unknown[]) => Promise<void>;
  await run(model, xs, ys);
}

/** Two dense layers, or one (`single`: with zero inputs its bias then learns independently of its kernel). */
function denseModel(optimizer: tf.Optimizer, options: { regularize?: number; single?: boolean } = {}): tf.Sequential {
  const model = tf.sequential();
  const reg = options.regularize === undefined ? {} : { kernelRegularizer: tf.regularizers.l2({ l2: options.regularize }) };
  model.add(tf.layers.dense({ units: 3, inputShape: [2], activation: 'tanh', biasInitializer: 'ones', ...reg }));
  if (options.single !== true) model.add(tf.layers.dense({ units: 1, ...reg }));
  model.compile({ optimizer, loss: 'meanSquaredError' });
  return model;
}

const FIT = 'model.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false });\n';

test('L2 form with momentum SGD: kernels shrink as buf = m·buf + wd·w, w −= lr·buf; biases untouched', async () => {
  await tf.setBackend('cpu');
  const wd = 0.5;
  const lr = 0.1;
  const m = 0.9;
  // Zero inputs: the data gives the first layer's kernel no gradient, so only the decay moves it.
  const xs = tf.zeros([8, 2]);
  const ys = tf.ones([8, 3]);
  const decayed = denseModel(tf.train.momentum(lr, m), { single: true });
  const plain = denseModel(tf.train.momentum(lr, m), { single: true });
  plain.setWeights(decayed.getWeights());
  const w0 = Array.from(decayed.layers[0]!.getWeights()[0]!.dataSync());
  await runGenerated(FIT, (t) => changed(insertWeightDecayChanges('model.js', t, { ...weightDecay, weightDecay: wd }), t), decayed, xs, ys);
  await plain.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false });
  // 8 samples, batch 4, 2 epochs: 4 steps of tfjs' momentum update on the gradient wd·w.
  const want = w0.map((w) => {
    let buf = 0;
    for (let step = 0; step < 4; step++) {
      buf = m * buf + wd * w;
      w -= lr * buf;
    }
    return w;
  });
  const got = Array.from(decayed.layers[0]!.getWeights()[0]!.dataSync());
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-6 * Math.max(1, Math.abs(want[i]!)), `kernel[${i}] ${g} vs ${want[i]}`));
  assert.ok(got.every((g, i) => Math.abs(g) < Math.abs(w0[i]!) * 0.8), 'the kernels really shrank');
  assert.deepEqual(Array.from(plain.layers[0]!.getWeights()[0]!.dataSync()), w0, 'no gradient without the decay');
  // The bias is not decayed: with zero inputs its path does not depend on the kernel, so it is the same as without weight decay.
  const bias = Array.from(decayed.layers[0]!.getWeights()[1]!.dataSync());
  const plainBias = Array.from(plain.layers[0]!.getWeights()[1]!.dataSync());
  bias.forEach((b, i) => assert.ok(Math.abs(b - plainBias[i]!) < 1e-6, `bias[${i}] ${b} vs ${plainBias[i]}`));
});

test('L2 form equals a kernelRegularizer l2 = wd / 2 the layers could have been built with (Adam, real data)', async () => {
  await tf.setBackend('cpu');
  const wd = 0.2;
  const xs = tf.tensor2d([[1, 2], [-1, 0.5], [0.3, -2], [2, 1], [-0.5, -0.5], [1.5, -1], [0, 1], [-2, 0.2]]);
  const ys = tf.tensor2d([[1], [0], [-1], [2], [0.5], [-0.3], [0.7], [1.2]]);
  const reference = denseModel(tf.train.adam(0.05), { regularize: wd / 2 });
  const inserted = denseModel(tf.train.adam(0.05));
  inserted.setWeights(reference.getWeights());
  await reference.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false });
  await runGenerated(FIT, (t) => changed(insertWeightDecayChanges('model.js', t, { ...weightDecay, weightDecay: wd }), t), inserted, xs, ys);
  const a = reference.getWeights().map((w) => Array.from(w.dataSync()));
  const b = inserted.getWeights().map((w) => Array.from(w.dataSync()));
  a.forEach((weights, j) => weights.forEach((w, i) => assert.ok(Math.abs(w - b[j]![i]!) < 1e-5, `weight ${j}[${i}]: ${w} vs ${b[j]![i]}`)));
});

test("decoupled form beside the 1cycle schedule: kernels × Π(1 − lr_t·wd) with the schedule's per-step LR", async () => {
  await tf.setBackend('cpu');
  const wd = 0.5;
  const xs = tf.zeros([8, 2]);
  const ys = tf.ones([8, 1]);
  const model = denseModel(tf.train.momentum(0.01, 0.9));
  const w0 = Array.from(model.layers[0]!.getWeights()[0]!.dataSync());
  const bothInserted = (t: string): string => {
    const once = changed(insertScheduleChanges('model.js', t, schedule), t);
    return changed(insertWeightDecayChanges('model.js', once, { ...decoupled, weightDecay: wd }), once);
  };
  assert.match(bothInserted(FIT), /callbacks: \[lrlabOneCycle\(model\), lrlabWeightDecay\(model\)\]/);
  await runGenerated(FIT, bothInserted, model, xs, ys);
  // 4 steps; the schedule sets each step's LR before it, the decay reads it after.
  const lrs = [0, 1, 2, 3].map((s) => smith({ maxLr: schedule.maxLr, minLr: schedule.minLr, totalSteps: 4 }).at(s).lr);
  const factor = lrs.reduce((p, lr) => p * (1 - lr * wd), 1);
  const got = Array.from(model.layers[0]!.getWeights()[0]!.dataSync());
  got.forEach((g, i) => assert.ok(Math.abs(g - w0[i]! * factor) < 1e-6, `kernel[${i}] ${g} vs ${w0[i]! * factor}`));
  assert.ok(factor < 0.8, `a visible decay (${factor})`);
});
