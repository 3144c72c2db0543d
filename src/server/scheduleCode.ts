/**
 * The code "Insert 1cycle schedule" puts into the user's file: a self-contained tfjs callback
 * that sets the optimizer's learning rate and momentum before every batch, Smith's 1cycle shape
 * (the same formula as `smith` in src/core/schedules.ts: linear up over the first half of the
 * cycle, down over the second, then the last 10% annihilating to minLr/1000; momentum
 * 0.95 → 0.85 → 0.95, held during annihilation). The total number of steps is read at train
 * start from the callback's own `params` (epochs × batches per epoch), never guessed from source.
 *
 * tfjs 4.22: `MomentumOptimizer.setMomentum()` has no effect (the update uses the scalar `m`
 * built once), so the callback replaces that scalar; Adam reads `beta1` on every step, so it
 * sets that. A string optimizer 'sgd' has no momentum (only the LR is driven); 'adam' cycles
 * beta1; 'momentum' optimizers cycle momentum.
 */
import type { FileSchedule } from '../protocol/serverMessages';

export const BLOCK_START = '// <lrlab:schedule>';
export const BLOCK_END = '// </lrlab:schedule>';
export const CALLBACK_FACTORY = 'lrlabOneCycle';

/** The values of a file's schedule (run id and date feed the comment saying where they came from). */
export type ScheduleValues = Omit<FileSchedule, 'uri'>;

function num(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/** The marked block, in TypeScript (strict-clean) or plain JavaScript, indented with `indent`. */
export function scheduleBlock(values: ScheduleValues, options: { typescript: boolean; indent: string; quote: "'" | '"' }): string {
  const ts = options.typescript;
  const q = options.quote;
  const t = (typed: string, plain = ''): string => (ts ? typed : plain);
  const o = ts ? 'override ' : '';
  const lines = [
    BLOCK_START,
    `// LR Lab 1cycle (Smith) from run ${values.runId.slice(0, 8)} on ${values.date}: LR ${num(values.minLr)} → ${num(values.maxLr)} → ${num(values.minLr / 1000)}, momentum ${values.maxMomentum} → ${values.minMomentum} → ${values.maxMomentum}.`,
    `class LrLabOneCycle extends tf.Callback {`,
    `  ${t('private ')}step = 0;`,
    `  ${t('private ')}total = 2;`,
    `  // Linear up to maxLr over the first half of the cycle, down over the second, then anneal to minLr/1000.`,
    `  ${t('private ')}at(s${t(': number')})${t(': [number, number]')} {`,
    `    const maxLr = ${num(values.maxLr)};`,
    `    const minLr = ${num(values.minLr)};`,
    `    const maxM = ${values.maxMomentum};`,
    `    const minM = ${values.minMomentum};`,
    `    const last = this.total - 1;`,
    `    const cycleEnd = last * 0.9;`,
    `    const half = cycleEnd / 2;`,
    `    if (s <= half) return [minLr + (maxLr - minLr) * (half === 0 ? 1 : s / half), maxM + (minM - maxM) * (half === 0 ? 1 : s / half)];`,
    `    if (s <= cycleEnd) {`,
    `      const p = (s - half) / (cycleEnd - half);`,
    `      return [maxLr + (minLr - maxLr) * p, minM + (maxM - minM) * p];`,
    `    }`,
    `    const p = (s - cycleEnd) / (last - cycleEnd);`,
    `    return [minLr + (minLr / 1000 - minLr) * p, maxM];`,
    `  }`,
    `  ${o}async onTrainBegin()${t(': Promise<void>')} {`,
    `    // epochs × batches per epoch, from what fit()/fitDataset() tells its callbacks.`,
    `    const p = this.params${t(' as unknown as { epochs?: number; samples?: number; batchSize?: number; steps?: number | null }')};`,
    `    const perEpoch = p.steps ?? Math.ceil((p.samples ?? 0) / (p.batchSize ?? 32));`,
    `    this.total = Math.max(2, (p.epochs ?? 1) * Math.max(1, perEpoch));`,
    `    this.step = 0;`,
    `  }`,
    `  ${o}async onBatchBegin()${t(': Promise<void>')} {`,
    `    const [lr, m] = this.at(Math.min(this.step++, this.total - 1));`,
    `    const optimizer = this.model.optimizer${t(' as unknown as Record<string, unknown>')};`,
    `    const setLr = optimizer[${q}setLearningRate${q}];`,
    `    if (typeof setLr === ${q}function${q}) setLr.call(optimizer, lr);`,
    `    else optimizer[${q}learningRate${q}] = lr;`,
    `    // setMomentum() has no effect in tfjs 4.22: replace the scalar its update reads (Adam: beta1).`,
    `    const scalar = optimizer[${q}m${q}];`,
    `    if (scalar instanceof tf.Tensor) {`,
    `      scalar.dispose();`,
    `      optimizer[${q}m${q}] = tf.keep(tf.scalar(m));`,
    `      optimizer[${q}momentum${q}] = m;`,
    `    } else if (typeof optimizer[${q}beta1${q}] === ${q}number${q}) {`,
    `      optimizer[${q}beta1${q}] = m;`,
    `    }`,
    `  }`,
    `}`,
    `function ${CALLBACK_FACTORY}()${t(': tf.Callback')} {`,
    `  return new LrLabOneCycle();`,
    `}`,
    BLOCK_END,
  ];
  return lines.map((line) => (line === '' ? line : `${options.indent}${line}`)).join('\n');
}
