/**
 * The code "Insert 1cycle schedule" puts into the user's file: a factory `lrlabOneCycle(model)`
 * returning a callback that sets the optimizer's learning rate and momentum before every batch,
 * from the first, in Smith's 1cycle shape (the same formula as `smith` in src/core/schedules.ts:
 * linear up over the first half of the cycle, down over the second, then the last 10% annealing to
 * minLr/1000; momentum 0.95 → 0.85 → 0.95, held during annihilation). The total number of steps is
 * read at train start from what fit()/fitDataset() tells its callbacks (`params`: epochs × batches
 * per epoch), never guessed from source.
 *
 * It works in every style users write because it depends on nothing around it:
 * - it names no tfjs import (`tf`, `tfjs`, named imports, `require`, tfjs-node all work): tensors
 *   are made with the tensor's own chained ops, and its types are structural — TypeScript
 *   annotations in a .ts file, the same types as JSDoc in JavaScript (src/server/typedCode.ts), so
 *   the block type-checks under the user's `strict` or `// @ts-check`;
 * - it is a plain object closing over the model, so it needs neither `setModel` nor its own methods
 *   through `this`: tfjs wraps it in a `CustomCallback` when the array starts with a plain object
 *   (then only the wrapper's `params` are read through `this`), and calls it directly when the array
 *   starts with a `tf.Callback` (then `setParams` gets them) — so it carries every method tfjs calls.
 *
 * tfjs 4.22: `MomentumOptimizer.setMomentum()` has no effect (the update reads the scalar `m` built
 * once), so the callback replaces that scalar, disposing the old one (no tensor is left behind per
 * batch); Adam reads `beta1` and RMSprop `momentum` on every step, so it sets those. Momentum
 * is cycled only where the optimizer has some at train start — plain SGD (a string 'sgd'),
 * `tf.train.momentum(lr, 0)` and RMSprop's default momentum 0 keep theirs, as LR Lab's own runs do
 * (a momentum-0 SGD driven to 0.95 would step ~20x as far); Adagrad and Adadelta have none. At train end it puts back the LR and momentum the optimizer
 * had at train start (the same way, disposing the scalar it replaces), so a later fit without the
 * callback — the main run after a scheduled warm-up — trains as the file says, not at minLr/1000.
 *
 * Every number comes checked from src/server/codeValues.ts; nothing else from a run file is embedded.
 */
import type { CheckedSchedule } from './codeValues';
import { formatLr } from '../protocol/format';
import { typedSyntax } from './typedCode';
import type { FileSchedule } from '../protocol/serverMessages';

export const BLOCK_START = '// <lrlab:schedule>';
export const BLOCK_END = '// </lrlab:schedule>';
export const CALLBACK_FACTORY = 'lrlabOneCycle';

/** The values of a file's schedule, as the server receives them (unchecked). */
export type ScheduleValues = Omit<FileSchedule, 'uri'>;

/** What the factory needs of the model (structural: the block names no tfjs import). */
const MODEL_TYPE = '{ readonly optimizer: object; readonly history: object }';

export interface BlockStyle {
  readonly typescript: boolean;
  readonly indent: string;
  readonly quote: "'" | '"';
}

/** The marked block, in TypeScript or JavaScript with JSDoc types (clean under `strict` and `checkJs`), indented with `indent`. */
export function scheduleBlock(values: CheckedSchedule, style: BlockStyle): string {
  const q = style.quote;
  const { t, js, cast, alias } = typedSyntax(style);
  const lines = [
    BLOCK_START,
    `// LR Lab 1cycle (Smith) from ${values.origin}: LR ${values.minLr} → ${values.maxLr} → ${formatLr(Number(values.minLr) / 1000)}, momentum ${values.maxMomentum} → ${values.minMomentum} → ${values.maxMomentum} where the optimizer has momentum (not 0).`,
    `// A plain-object callback that holds the model: it works beside plain-object and tf.Callback callbacks alike.`,
    ...js(`/** @param {${MODEL_TYPE}} model */`),
    `function ${CALLBACK_FACTORY}(model${t(`: ${MODEL_TYPE}`)}) {`,
    `  ${alias('LrLabScalar', '{ mul(x: number): LrLabScalar; add(x: number): LrLabScalar; dispose(): void; kept: boolean }')}`,
    `  ${alias('LrLabParams', '{ epochs: number; initialEpoch?: number | null; samples?: number | null; batchSize?: number | null; steps?: number | null }')}`,
    `  const maxLr = ${values.maxLr};`,
    `  const minLr = ${values.minLr};`,
    `  const maxM = ${values.maxMomentum};`,
    `  const minM = ${values.minMomentum};`,
    ...js(`  /** @type {LrLabParams | undefined} */`),
    `  let params${t(': LrLabParams | undefined')};`,
    `  let step = 0;`,
    `  let total = 2;`,
    `  // Linear up to maxLr over the first half of the cycle, down over the second, then anneal to minLr/1000.`,
    ...js(`  /** @type {(s: number) => [number, number]} */`),
    `  const at = (s${t(': number')})${t(': [number, number]')} => {`,
    `    const last = total - 1;`,
    `    const cycleEnd = last * 0.9;`,
    `    const half = cycleEnd / 2;`,
    `    if (s <= half) return [minLr + (maxLr - minLr) * (half === 0 ? 1 : s / half), maxM + (minM - maxM) * (half === 0 ? 1 : s / half)];`,
    `    if (s <= cycleEnd) {`,
    `      const p = (s - half) / (cycleEnd - half);`,
    `      return [maxLr + (minLr - maxLr) * p, minM + (maxM - minM) * p];`,
    `    }`,
    `    const p = (s - cycleEnd) / (last - cycleEnd);`,
    `    return [minLr + (minLr / 1000 - minLr) * p, maxM];`,
    `  };`,
    `  // Sets the optimizer's LR, and its momentum (Adam: beta1; RMSprop: momentum) when \`m\` is a number.`,
    ...js(`  /** @type {(lr: number, m: unknown) => void} */`),
    `  const drive = (lr${t(': number')}, m${t(': unknown')})${t(': void')} => {`,
    `    const optimizer = ${cast('model.optimizer', 'Record<string, unknown>')};`,
    `    const setLr = optimizer[${q}setLearningRate${q}];`,
    `    if (typeof setLr === ${q}function${q}) setLr.call(optimizer, lr);`,
    `    else optimizer[${q}learningRate${q}] = lr;`,
    `    if (typeof m !== ${q}number${q}) return;`,
    `    // setMomentum() has no effect in tfjs 4.22: replace the scalar its update reads (Adam: beta1),`,
    `    // kept as tf.keep() keeps it, so that a tf.engine().endScope() around the fit cannot dispose it.`,
    `    const old = ${cast(`optimizer[${q}m${q}]`, 'LrLabScalar | undefined')};`,
    `    if (typeof old?.mul === ${q}function${q}) {`,
    `      const zero = old.mul(0);`,
    `      const next = zero.add(m);`,
    `      next.kept = true;`,
    `      optimizer[${q}m${q}] = next;`,
    `      zero.dispose();`,
    `      old.dispose();`,
    `      optimizer[${q}momentum${q}] = m;`,
    `    } else if (typeof optimizer[${q}beta1${q}] === ${q}number${q}) {`,
    `      optimizer[${q}beta1${q}] = m;`,
    `    } else if (typeof optimizer[${q}momentum${q}] === ${q}number${q}) {`,
    `      optimizer[${q}momentum${q}] = m;`,
    `    }`,
    `  };`,
    `  // The LR and momentum the optimizer had before this fit, put back at its end: a later fit trains as the file says, not at minLr/1000.`,
    ...js(`  /** @type {[unknown, unknown] | undefined} */`),
    `  let before${t(': [unknown, unknown] | undefined')};`,
    `  // Momentum is cycled only where the optimizer has some (plain SGD, momentum 0 and RMSprop's default 0 keep theirs), as LR Lab's runs do.`,
    `  let cycles = false;`,
    `  const idle = async ()${t(': Promise<void>')} => {};`,
    `  return {`,
    `    // fit()'s params (epochs, batches): tfjs hands them to setParams when the callbacks array starts with a`,
    `    // tf.Callback, else to the CustomCallback it wraps this object in, which calls onTrainBegin as its own method.`,
    ...js(`    /** @param {object} given */`),
    `    setParams: (given${t(': object')})${t(': void')} => {`,
    `      params = ${cast('given', 'LrLabParams')};`,
    `    },`,
    `    setModel: ()${t(': void')} => {},`,
    ...js(`    /** @this {{ readonly params?: object }} */`),
    `    onTrainBegin: async function (${t('this: { readonly params?: object }')})${t(': Promise<void>')} {`,
    `      // epochs × batches per epoch, as fit()/fitDataset() tells its callbacks.`,
    `      const p = params ?? ${cast('this.params', 'LrLabParams | undefined', true)};`,
    `      const perEpoch = p?.steps ?? Math.ceil((p?.samples ?? 0) / (p?.batchSize ?? 32));`,
    `      if (p === undefined || !(perEpoch >= 1)) throw new Error(${q}LR Lab 1cycle: fit() did not say how many batches an epoch has (for fitDataset, give batchesPerEpoch).${q});`,
    `      total = Math.max(2, (p.epochs - (p.initialEpoch ?? 0)) * perEpoch);`,
    `      step = 0;`,
    `      const optimizer = ${cast('model.optimizer', 'Record<string, unknown>')};`,
    `      const m0 = typeof optimizer[${q}beta1${q}] === ${q}number${q} ? optimizer[${q}beta1${q}] : optimizer[${q}momentum${q}];`,
    `      before = [optimizer[${q}learningRate${q}], m0];`,
    `      cycles = typeof m0 === ${q}number${q} && m0 > 0;`,
    `    },`,
    `    onBatchBegin: async ()${t(': Promise<void>')} => {`,
    `      const [lr, m] = at(Math.min(step++, total - 1));`,
    `      drive(lr, cycles ? m : undefined);`,
    `    },`,
    `    onBatchEnd: idle,`,
    `    onEpochBegin: idle,`,
    `    onEpochEnd: idle,`,
    `    onTrainEnd: async ()${t(': Promise<void>')} => {`,
    `      const [lr, m] = before ?? [];`,
    `      before = undefined;`,
    `      if (typeof lr === ${q}number${q}) drive(lr, m);`,
    `    },`,
    `  };`,
    `}`,
    BLOCK_END,
  ];
  return lines.map((line) => (line === '' ? line : `${style.indent}${line}`)).join('\n');
}
