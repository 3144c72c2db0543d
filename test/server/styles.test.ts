/**
 * Insertion in every common style, proved by running the edited files as their users would, with
 * real tfjs (editedFiles.ts: TypeScript checked under `strict` and compiled first; each file in its
 * own Node process with a recorder of what the optimizer applies at every step). Per style
 * (`test/server/snapshots/<style>.input.*`, the same files the byte-exact snapshots pin):
 *
 * - the 1cycle block with the L2 weight decay ("both"): at every step the LR (and the `-lr` scalar
 *   SGD-family updates use), the momentum scalar or Adam's `beta1` equal the rows of
 *   `lrlab schedule smith --max-lr 0.3 --min-lr 0.03 --max-momentum 0.95 --base-momentum 0.85
 *   --total-steps N --json` (N: the steps the file ran, which must be the steps it asks for) from
 *   the first batch on; the penalty adds exactly `wd × w` to each kernel's gradient and nothing to
 *   biases; `tf.memory().numTensors` does not grow from batch to batch within an epoch;
 * - the decoupled weight decay: after each step every kernel is `w × (1 − lr × wd)` of what the
 *   optimizer left, biases untouched.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../src/engine/cli/main';
import { checkSchedule } from '../../src/server/codeValues';
import type { ScheduleResult } from '../../src/protocol/results';
import { EditedProject } from './editedFiles';
import type { RecordedStep } from './editedFiles';
import { CASES, decoupled, inputs, output, schedule, weightDecay } from './insertCases';

/** What each style's file asks for: optimizer steps in all, per epoch, and what its optimizer has for momentum. */
const STYLES: Record<string, { readonly steps: number; readonly perEpoch: number; readonly momentum: 'momentum' | 'adam' | 'none' }> = {
  'ts-model': { steps: 4, perEpoch: 2, momentum: 'momentum' },
  'esm-model': { steps: 4, perEpoch: 2, momentum: 'adam' },
  'cjs-model': { steps: 1, perEpoch: 1, momentum: 'none' },
  'require-model': { steps: 4, perEpoch: 2, momentum: 'momentum' },
  'plain-callbacks': { steps: 6, perEpoch: 3, momentum: 'momentum' },
  'plain-callbacks-ts': { steps: 6, perEpoch: 2, momentum: 'momentum' },
  'single-callback': { steps: 4, perEpoch: 2, momentum: 'momentum' },
  'single-class-callback': { steps: 9, perEpoch: 3, momentum: 'momentum' },
  'single-untyped-handler': { steps: 4, perEpoch: 2, momentum: 'momentum' },
  'async-iife': { steps: 4, perEpoch: 2, momentum: 'momentum' },
  'class-arrow-field': { steps: 4, perEpoch: 2, momentum: 'adam' },
  'variable-callbacks': { steps: 6, perEpoch: 2, momentum: 'momentum' },
  'variable-callbacks-cjs': { steps: 6, perEpoch: 3, momentum: 'momentum' },
  'fit-dataset': { steps: 6, perEpoch: 3, momentum: 'adam' },
  'fit-dataset-batches': { steps: 6, perEpoch: 3, momentum: 'momentum' },
  'named-imports': { steps: 6, perEpoch: 3, momentum: 'momentum' },
  'named-require': { steps: 4, perEpoch: 2, momentum: 'momentum' },
  'tfjs-node': { steps: 4, perEpoch: 2, momentum: 'momentum' },
  'options-variable': { steps: 6, perEpoch: 3, momentum: 'momentum' },
  'options-callbacks': { steps: 6, perEpoch: 2, momentum: 'momentum' },
  'class-non-null': { steps: 4, perEpoch: 2, momentum: 'momentum' },
  'private-field': { steps: 9, perEpoch: 3, momentum: 'adam' },
  'cast-callbacks': { steps: 4, perEpoch: 2, momentum: 'momentum' },
  'standard-style': { steps: 8, perEpoch: 4, momentum: 'adam' },
};

const RUN_CASES = ['both', 'weight-decay-decoupled'] as const;
const project = new EditedProject();
/** The file each style and run case runs as (TypeScript: its compiled CommonJS). */
const runnable = new Map<string, string>();
let typeErrors = new Map<string, string[]>();

before(() => {
  const typescript: string[] = [];
  for (const input of inputs) {
    for (const kase of Object.keys(CASES)) {
      const file = project.write(`${input.name}.${kase}.${input.ext}`, output(input, kase));
      if (input.ext === 'ts') typescript.push(file);
      runnable.set(`${input.name}.${kase}`, file.replace(/\.ts$/, '.js'));
    }
  }
  typeErrors = project.compile(typescript);
});
after(() => project.dispose());

const isDecayed = (name: string): boolean => /kernel|embeddings/i.test(name.slice(name.lastIndexOf('/') + 1)) && !/bias/i.test(name);

/** `lrlab schedule smith … --json`, run in-process: the rows the inserted schedule must apply. */
async function lrlabSchedule(totalSteps: number): Promise<ScheduleResult['steps']> {
  const literals = checkSchedule(schedule);
  assert.ok(literals.ok);
  const v = literals.value;
  const out: string[] = [];
  const argv = ['schedule', 'smith', '--max-lr', v.maxLr, '--min-lr', v.minLr, '--max-momentum', v.maxMomentum, '--base-momentum', v.minMomentum, '--total-steps', String(totalSteps), '--json'];
  assert.equal(await runCli(argv, { out: (t) => out.push(t), err: () => undefined, interactive: false }), 0);
  return (JSON.parse(out.join('\n')) as ScheduleResult).steps;
}

test('every style has its run expectations, and every TypeScript output passes tsc --strict (and @tsconfig/strictest) against the @tensorflow/tfjs types', () => {
  assert.deepEqual(inputs.map((i) => i.name).sort(), Object.keys(STYLES).sort());
  const failures = [...typeErrors.values()].flat();
  assert.deepEqual(failures, []);
  assert.ok(typeErrors.size >= 5 * Object.keys(CASES).length, `${typeErrors.size} TypeScript files checked`);
});

function checkScheduleSteps(name: string, steps: readonly RecordedStep[], want: ScheduleResult['steps']): void {
  const style = STYLES[name]!;
  steps.forEach((s, i) => {
    const w = want[i]!;
    const at = `${name} step ${i}`;
    assert.ok(Math.abs(s.lr - w.lr) <= 1e-9 * w.lr, `${at}: lr ${s.lr}, lrlab schedule says ${w.lr}`);
    if (s.c !== null) assert.ok(Math.abs(-s.c - w.lr) <= 1e-6 * w.lr, `${at}: the update's -lr scalar ${s.c}, want ${-w.lr}`);
    if (style.momentum === 'momentum') assert.ok(s.m !== null && Math.abs(s.m - w.momentum!) < 1e-6, `${at}: momentum ${s.m}, lrlab schedule says ${w.momentum}`);
    if (style.momentum === 'adam') assert.ok(s.beta1 !== null && Math.abs(s.beta1 - w.momentum!) < 1e-12, `${at}: beta1 ${s.beta1}, lrlab schedule says ${w.momentum}`);
    if (style.momentum === 'none') assert.ok(s.m === null && s.beta1 === null, `${at}: no momentum to drive`);
  });
  // No tensor left per batch: within an epoch, from its second step on (the first step made the
  // optimizer's slots, and tfjs' own epoch logger keeps its running totals from the first batch end).
  for (let start = 0; start < steps.length; start += style.perEpoch) {
    const epoch = steps.slice(start + 1, start + style.perEpoch).map((s) => s.numTensors);
    assert.ok(epoch.every((n) => n === epoch[0]), `${name}: numTensors per batch ${epoch.join(', ')}`);
  }
}

function checkL2(name: string, steps: readonly RecordedStep[]): void {
  let kernels = 0;
  steps.forEach((s, k) => {
    assert.equal(s.wd, weightDecay.weightDecay, `${name} step ${k}: the weight decay on the layers`);
    s.before.forEach((w, j) => {
      if (isDecayed(w.name)) kernels++;
      w.values.forEach((x, i) => {
        const want = isDecayed(w.name) ? weightDecay.weightDecay * x : 0;
        const got = s.penaltyGrad![j]![i]!;
        assert.ok(Math.abs(got - want) < 1e-5, `${name} step ${k} ${w.name}[${i}]: the penalty adds ${got} to the gradient, want ${want}`);
      });
    });
  });
  assert.ok(kernels > 0, `${name}: kernels decayed`);
}

function checkDecoupled(name: string, steps: readonly RecordedStep[]): void {
  for (let k = 0; k + 1 < steps.length; k++) {
    const s = steps[k]!;
    s.before.forEach((w, j) => {
      const factor = isDecayed(w.name) ? 1 - s.lr * decoupled.weightDecay : 1;
      s.after[j]!.forEach((x, i) => {
        const got = steps[k + 1]!.before[j]!.values[i]!;
        assert.ok(Math.abs(got - x * factor) <= 1e-6 * Math.max(1, Math.abs(x)), `${name} step ${k} ${w.name}[${i}]: ${got}, want ${x} × ${factor}`);
      });
    });
  }
}

test('each style, edited and run with real tfjs: the schedule and both weight-decay forms applied at every step', async (t) => {
  for (const input of inputs) {
    // The two runs of a style in parallel: two Node processes at a time.
    await t.test(`${input.name} (${input.ext})`, async () => {
      const style = STYLES[input.name]!;
      const [both, split] = await Promise.all(RUN_CASES.map((kase) => project.run(runnable.get(`${input.name}.${kase}`)!)));
      assert.equal(both!.length, style.steps, `${input.name}: optimizer steps`);
      checkScheduleSteps(input.name, both!, await lrlabSchedule(Math.max(2, style.steps)));
      checkL2(input.name, both!);
      assert.equal(split!.length, style.steps, `${input.name} decoupled: optimizer steps`);
      checkDecoupled(input.name, split!);
    });
  }
});

test('a scheduled fit inside tf.engine().startScope()/endScope(): the momentum scalar it leaves survives the scope, and the next fit trains at the compiled LR and momentum', async () => {
  const text = [
    "const tf = require('@tensorflow/tfjs');",
    '',
    '// Each run in its own engine scope (a common way to free what a run made): a scheduled fit, then a plain one.',
    '(async () => {',
    "  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'relu' }), tf.layers.dense({ units: 1 })] });",
    "  model.compile({ optimizer: tf.train.momentum(0.02, 0.9), loss: 'meanSquaredError' });",
    "  const xs = tf.randomNormal([8, 2], 0, 1, 'float32', 7);",
    "  const ys = tf.randomNormal([8, 1], 0, 1, 'float32', 8);",
    '  tf.engine().startScope();',
    '  await model.fit(xs, ys, { epochs: 2, batchSize: 4 });',
    '  tf.engine().endScope();',
    '  tf.engine().startScope();',
    '  await model.fit(xs, ys, { epochs: 1, batchSize: 4 });',
    '  tf.engine().endScope();',
    '})();',
    '',
  ].join('\n');
  const edited = CASES['schedule']!('model.js', text);
  assert.ok(edited.includes('await model.fit(xs, ys, { callbacks: [lrlabOneCycle(model)], epochs: 2, batchSize: 4 });'), edited);
  // Before the fix the second fit died: "Cannot read properties of undefined (reading 'backend')" (its `m` disposed by the first endScope).
  const steps = await project.run(project.write('engine-scope.schedule.js', edited));
  assert.equal(steps.length, 6, 'optimizer steps: 4 scheduled, then 2 plain');
  checkScheduleSteps('async-iife', steps.slice(0, 4), await lrlabSchedule(4));
  for (const [i, s] of steps.slice(4).entries()) {
    assert.ok(Math.abs(s.lr - 0.02) < 1e-12 && s.m !== null && Math.abs(s.m - 0.9) < 1e-6, `plain fit step ${i}: lr ${s.lr}, momentum ${s.m}; want the compiled 0.02 and 0.9`);
  }
});
