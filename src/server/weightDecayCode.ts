/**
 * The code "Insert weight decay" puts into the user's file: a self-contained tfjs callback that
 * applies the chosen weight decay to the model's kernels and embeddings (not biases or
 * batch-norm parameters — `decaysByDefault` in src/engine/optimizer.ts), in the convention of
 * the engine optimizer that chose the value, so the inserted number means what the run measured:
 *
 * - `l2` (the engine's sgd/nesterov/adam, and so every optimizer a tfjs `model.compile` can
 *   have): the gradient gets `+ wd × w`, PyTorch's `weight_decay`. tfjs 4.22 layers read
 *   `kernelRegularizer` only while they build their weights, so it cannot be set on a built
 *   model; the callback instead adds the same penalty to each layer's losses (`Layer.addLoss`,
 *   which `LayersModel` sums into the loss it differentiates every step) at train start. The
 *   penalty is `wd / 2 × Σw²` — what `tf.regularizers.l2({ l2: wd / 2 })` adds — because its
 *   gradient is `wd × w`; `l2: wd` would decay twice as hard. Like any regularizer it is part of
 *   the training loss fit() logs.
 * - `decoupled` (the engine's adamw): after every step `w ← w × (1 − lr × wd)`, with the
 *   optimizer's learning rate of that step (the 1cycle callback's, when it drives it). tfjs has
 *   no decoupled decay; a callback runs after the optimizer's update, where AdamW decays before
 *   it: the difference is `lr² × wd × update`, second order.
 *
 * The value sits on each layer under a global symbol, so a second fit() with the callback, or the
 * block re-run after re-insertion, updates it and never adds a second penalty; at train end it is
 * set to 0, so the penalty holds for the fits that have the callback only (a later fit without it,
 * the main run after a warm-up, trains without it).
 *
 * Like the 1cycle block (src/server/scheduleCode.ts) it names no tfjs import (tensors through their
 * chained ops, structural types: TypeScript's, or JSDoc in JavaScript) and is a plain object holding the model, so it works in
 * every callbacks style; the decoupled form disposes what it makes (no tensor left per batch).
 * Every number comes checked from src/server/codeValues.ts.
 */
import type { CheckedWeightDecay } from './codeValues';
import type { BlockStyle } from './scheduleCode';
import { typedSyntax } from './typedCode';
import type { FileWeightDecay } from '../protocol/serverMessages';

export const WD_BLOCK_START = '// <lrlab:weight-decay>';
export const WD_BLOCK_END = '// </lrlab:weight-decay>';
export const WD_CALLBACK_FACTORY = 'lrlabWeightDecay';

/** The values of a file's weight decay, as the server receives them (unchecked). */
export type WeightDecayValues = Omit<FileWeightDecay, 'uri'>;

/** The marked block, in TypeScript or JavaScript with JSDoc types (clean under `strict` and `checkJs`), indented with `indent`. */
export function weightDecayBlock(values: CheckedWeightDecay, style: BlockStyle): string {
  const q = style.quote;
  const { t, js, cast, alias } = typedSyntax(style);
  const wd = values.weightDecay;
  const l2 = values.form === 'l2';
  const model = `{ readonly layers: readonly object[]${l2 ? '' : '; readonly optimizer: object'} }`;
  const lines = [
    WD_BLOCK_START,
    ...(l2
      ? [
          `// LR Lab weight decay ${wd} from ${values.origin}: L2 on kernels, gradient + ${wd} × w (PyTorch's weight_decay), as LR Lab measured it.`,
          `// Built layers take no kernelRegularizer, so this adds its penalty, ${wd} / 2 × Σw² (tf.regularizers.l2 with l2 = wd / 2), to each layer's losses; fit() logs it in the loss.`,
        ]
      : [
          `// LR Lab weight decay ${wd} from ${values.origin}: decoupled (AdamW) on kernels, w × (1 − lr × ${wd}) after every step, as LR Lab measured it.`,
          `// tfjs optimizers have no decoupled decay; this uses each step's learning rate (the schedule's, when one drives it).`,
        ]),
    `// A plain-object callback that holds the model: it works beside plain-object and tf.Callback callbacks alike.`,
    ...js(`/** @param {${model}} model */`),
    `function ${WD_CALLBACK_FACTORY}(model${t(`: ${model}`)}) {`,
    `  ${alias('LrLabTensor', '{ square(): LrLabTensor; sum(): LrLabTensor; add(x: LrLabTensor): LrLabTensor; mul(x: number): LrLabTensor; dispose(): void }')}`,
    `  ${alias('LrLabWeight', '{ readonly name: string; read(): LrLabTensor; write(value: LrLabTensor): unknown }')}`,
    // The decay each layer holds sits under a symbol key of its own (see onTrainBegin).
    `  ${alias('LrLabLayer', '{ [decay: symbol]: number | undefined; readonly layers?: readonly LrLabLayer[]; readonly trainableWeights: readonly LrLabWeight[]; addLoss(loss: () => LrLabTensor): void }')}`,
    `  const weightDecay = ${wd};`,
    `  // Every layer's kernels and embeddings, nested models included; biases and batch-norm parameters do not decay (as in LR Lab's engine).`,
    ...js(`  /** @type {(visit: (layer: LrLabLayer, weights: LrLabWeight[]) => void) => void} */`),
    `  const eachDecayed = (visit${t(': (layer: LrLabLayer, weights: LrLabWeight[]) => void')})${t(': void')} => {`,
    `    const layers = ${cast('[...model.layers]', 'LrLabLayer[]')};`,
    `    for (let layer = layers.pop(); layer !== undefined; layer = layers.pop()) {`,
    `      if (Array.isArray(layer.layers)) {`,
    `        layers.push(...layer.layers);`,
    `        continue;`,
    `      }`,
    `      const weights = layer.trainableWeights.filter((w) => {`,
    `        const leaf = w.name.slice(w.name.lastIndexOf(${q}/${q}) + 1);`,
    `        return /kernel|embeddings/i.test(leaf) && !/bias/i.test(leaf);`,
    `      });`,
    `      if (weights.length > 0) visit(layer, weights);`,
    `    }`,
    `  };`,
    `  const idle = async ()${t(': Promise<void>')} => {};`,
    `  return {`,
    `    // tfjs calls these two only when the array starts with a tf.Callback; the model is known already.`,
    `    setParams: ()${t(': void')} => {},`,
    `    setModel: ()${t(': void')} => {},`,
    ...(l2
      ? [
          `    onTrainBegin: async ()${t(': Promise<void>')} => {`,
          `      // The value lives on each layer: a second fit() or a re-inserted block updates it, never adds a second penalty.`,
          `      const mark = Symbol.for(${q}lrlab.weightDecay${q});`,
          `      eachDecayed((layer, weights) => {`,
          `        if (layer[mark] === undefined) {`,
          `          layer.addLoss(() => weights.map((w) => w.read().square().sum()).reduce((a, b) => a.add(b)).mul((layer[mark] ?? 0) / 2));`,
          `        }`,
          `        layer[mark] = weightDecay;`,
          `      });`,
          `    },`,
          `    onBatchEnd: idle,`,
          `    // The penalty holds for this fit only: a later fit without this callback trains without it.`,
          `    onTrainEnd: async ()${t(': Promise<void>')} => {`,
          `      const mark = Symbol.for(${q}lrlab.weightDecay${q});`,
          `      eachDecayed((layer) => {`,
          `        layer[mark] = 0;`,
          `      });`,
          `    },`,
        ]
      : [
          `    onTrainBegin: idle,`,
          `    onBatchEnd: async ()${t(': Promise<void>')} => {`,
          `      const lr = ${cast('model.optimizer', 'Record<string, unknown>', true)}[${q}learningRate${q}];`,
          `      if (typeof lr !== ${q}number${q}) return;`,
          `      eachDecayed((_layer, weights) => {`,
          `        for (const w of weights) {`,
          `          const next = w.read().mul(1 - lr * weightDecay);`,
          `          w.write(next);`,
          `          next.dispose();`,
          `        }`,
          `      });`,
          `    },`,
          `    onTrainEnd: idle,`,
        ]),
    `    onBatchBegin: idle,`,
    `    onEpochBegin: idle,`,
    `    onEpochEnd: idle,`,
    `  };`,
    `}`,
    WD_BLOCK_END,
  ];
  return lines.map((line) => (line === '' ? line : `${style.indent}${line}`)).join('\n');
}
