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
 * block re-run after re-insertion, updates it and never adds a second penalty.
 */
import { formatWeightDecay } from '../core/decisions';
import type { WeightDecayForm } from '../protocol/serverMessages';

export const WD_BLOCK_START = '// <lrlab:weight-decay>';
export const WD_BLOCK_END = '// </lrlab:weight-decay>';
export const WD_CALLBACK_FACTORY = 'lrlabWeightDecay';

export interface WeightDecayValues {
  /** Positive; inserted as `formatWeightDecay` shows it (the lens title shows the same text). */
  readonly weightDecay: number;
  readonly form: WeightDecayForm;
  /** What chose it, for the comment: run kind, run id and date. */
  readonly source: string;
  readonly runId: string;
  readonly date: string;
}

/** The literal inserted, and shown in the lens title: two significant figures, `1e-4`, `3.2e-4`. */
export function weightDecayLiteral(weightDecay: number): string {
  return formatWeightDecay(weightDecay);
}

/** The marked block, in TypeScript (strict-clean) or plain JavaScript, indented with `indent`. */
export function weightDecayBlock(values: WeightDecayValues, options: { typescript: boolean; indent: string; quote: "'" | '"' }): string {
  const ts = options.typescript;
  const q = options.quote;
  const t = (typed: string, plain = ''): string => (ts ? typed : plain);
  const o = ts ? 'override ' : '';
  const wd = weightDecayLiteral(values.weightDecay);
  // Shared by both forms: the trainable kernels/embeddings of every layer, nested models included
  // (a nested model's layer losses count in the outer model's loss).
  const collect = (body: string[]): string[] => [
    `    const layers = [...this.model.layers];`,
    `    for (let layer = layers.pop(); layer !== undefined; layer = layers.pop()) {`,
    `      const inner = ${t('(layer as unknown as { layers?: unknown })', 'layer')}.layers;`,
    `      if (Array.isArray(inner)) {`,
    `        layers.push(...${t('(inner as typeof layers)', 'inner')});`,
    `        continue;`,
    `      }`,
    `      // Kernels and embeddings decay; biases and batch-norm parameters do not (as in LR Lab's engine).`,
    `      const decayed = layer.trainableWeights.filter((w) => {`,
    `        const leaf = w.name.slice(w.name.lastIndexOf(${q}/${q}) + 1);`,
    `        return /kernel|embeddings/i.test(leaf) && !/bias/i.test(leaf);`,
    `      });`,
    `      if (decayed.length === 0) continue;`,
    ...body,
    `    }`,
  ];
  const l2 = [
    `// LR Lab weight decay ${wd} from ${values.source} run ${values.runId.slice(0, 8)} on ${values.date}: L2 on kernels, gradient + ${wd} × w (PyTorch's weight_decay), as LR Lab measured it.`,
    `// Built layers take no kernelRegularizer, so this adds its penalty, ${wd} / 2 × Σw² (tf.regularizers.l2 with l2 = wd / 2), to each layer's losses; fit() logs it in the loss.`,
    `class LrLabWeightDecay extends tf.Callback {`,
    `  ${o}async onTrainBegin()${t(': Promise<void>')} {`,
    `    const weightDecay = ${wd};`,
    `    // The value lives on each layer: a second fit() or a re-inserted block updates it, never adds a second penalty.`,
    `    const mark = Symbol.for(${q}lrlab.weightDecay${q});`,
    ...collect([
      `      const held = layer${t(' as unknown as Record<symbol, number | undefined>')};`,
      `      if (held[mark] === undefined) {`,
      `        layer.addLoss(() => {`,
      `          let sum = tf.scalar(0);`,
      `          for (const w of decayed) sum = tf.add(sum, tf.sum(tf.square(w.read())));`,
      `          return tf.mul((held[mark] ?? 0) / 2, sum);`,
      `        });`,
      `      }`,
      `      held[mark] = weightDecay;`,
    ]),
    `  }`,
    `}`,
  ];
  const decoupled = [
    `// LR Lab weight decay ${wd} from ${values.source} run ${values.runId.slice(0, 8)} on ${values.date}: decoupled (AdamW) on kernels, w × (1 − lr × ${wd}) after every step, as LR Lab measured it.`,
    `// tfjs optimizers have no decoupled decay; this uses each step's learning rate (the schedule's, when one drives it).`,
    `class LrLabWeightDecay extends tf.Callback {`,
    `  ${o}async onBatchEnd()${t(': Promise<void>')} {`,
    `    const weightDecay = ${wd};`,
    `    const lr = ${t(`(this.model.optimizer as unknown as Record<string, unknown>)[${q}learningRate${q}]`, `this.model.optimizer[${q}learningRate${q}]`)};`,
    `    if (typeof lr !== ${q}number${q}) return;`,
    ...collect([`      tf.tidy(() => decayed.forEach((w) => w.write(tf.mul(w.read(), 1 - lr * weightDecay))));`]),
    `  }`,
    `}`,
  ];
  const lines = [
    WD_BLOCK_START,
    ...(values.form === 'l2' ? l2 : decoupled),
    `function ${WD_CALLBACK_FACTORY}()${t(': tf.Callback')} {`,
    `  return new LrLabWeightDecay();`,
    `}`,
    WD_BLOCK_END,
  ];
  return lines.map((line) => (line === '' ? line : `${options.indent}${line}`)).join('\n');
}
