/**
 * Which optimizer a run trains with, and with what: a flag (or an explicitly set `lrlab.*`
 * setting) wins, else the user's `model.compile`, else the optimizer's default
 * (`OPTIMIZER_DEFAULTS`). Every value keeps where it came from, for the result and the CLI.
 * Compiled hyper-parameters carry over only within the compiled optimizer's family (SGD and
 * Nesterov share a momentum; Adam and AdamW share beta1/beta2/epsilon): Adam's beta1 is not an
 * SGD momentum. An optimizer LR Lab cannot drive is refused, never swapped silently.
 */
import path from 'node:path';
import type { CommonRunOptions } from '../protocol/requests';
import type { OptimizerName, OptimizerReport } from '../protocol/results';
import type { OptionSource } from '../protocol/options';
import type { OptimizerHyperParameters } from '../protocol/optimizerDefaults';
import { flagFor } from '../protocol/options';
import { checkNumberOption, rangeBreach } from '../protocol/optionRules';
import { OPTIMIZER_DEFAULTS } from '../protocol/optimizerDefaults';
import { LrLabError, OptionError } from '../protocol/errors';
import { OPTIMIZER_FAMILY, OPTIMIZER_NAMES } from '../protocol/results';
import { formatLr, momentumWord } from '../protocol/format';
import { ownValue } from '../protocol/own';
import type { OptionNaming } from '../protocol/optionNaming';
import type { CompiledOptimizer, UnsupportedOptimizer } from './compiledOptimizer';
import type { OptimizerSettings } from './optimizer';

export interface OptimizerChoice {
  readonly report: OptimizerReport;
  /** What the engine's optimizer is built with; each experiment adds its LR and weight decay. */
  readonly params: Omit<OptimizerSettings, 'lr' | 'weightDecay'>;
  /** Whether the run has momentum to cycle: not for momentum 0 (plain SGD, tfjs's RMSprop) nor Adagrad/Adadelta. */
  readonly cyclesMomentum: boolean;
  /** Settings that do not apply to this optimizer, and were left out. */
  readonly warnings: readonly string[];
}

/** The hyper-parameters a request may give. */
type Given = Pick<CommonRunOptions, 'optimizer' | 'beta2' | 'epsilon' | 'sources'> & { readonly momentum?: number | undefined };

const HYPER_KEYS = ['momentum', 'beta2', 'epsilon', 'rho', 'centered', 'initialAccumulatorValue', 'decay'] as const satisfies readonly (keyof OptimizerHyperParameters)[];

/**
 * The optimizer of a run; throws when the model compiles one LR Lab cannot drive and none is given
 * (saying what to pass in the caller's `naming`: a flag or setting, or the library's option).
 */
export function chooseOptimizer(given: Given, compiled: CompiledOptimizer | UnsupportedOptimizer | null, file: string, naming: OptionNaming = 'flag'): OptimizerChoice {
  const requestSource = (name: 'optimizer' | 'momentum' | 'beta2' | 'epsilon'): OptionSource => given.sources?.[name] ?? 'flag';
  if (compiled !== null && compiled.name === null && given.optimizer === undefined) {
    throw new LrLabError('model-build', `${path.basename(file)} compiles a ${compiled.className} optimizer, which LR Lab cannot drive.`, {
      file,
      fix: naming === 'flag' ? `Pass ${flagFor('optimizer')} (${OPTIMIZER_NAMES.join(', ')}) or set lrlab.optimizer to the one your training uses.` : `Pass the optimizer option (${OPTIMIZER_NAMES.join(', ')}) naming the one your training uses, e.g. { optimizer: 'adam' }.`,
    });
  }
  const known = compiled !== null && compiled.name !== null ? compiled : null;
  const name: OptimizerName = given.optimizer ?? known?.name ?? 'sgd';
  const sources: Partial<Record<keyof OptimizerReport['sources'], OptionSource>> = {
    optimizer: given.optimizer !== undefined ? requestSource('optimizer') : known !== null ? 'model.compile' : 'default',
  };
  const fromCompile = known !== null && OPTIMIZER_FAMILY[known.name] === OPTIMIZER_FAMILY[name] ? known : null;
  const defaults = OPTIMIZER_DEFAULTS[name];
  const warnings: string[] = [];
  const values: { -readonly [K in keyof OptimizerHyperParameters]: OptimizerHyperParameters[K] } = { ...defaults };
  for (const key of HYPER_KEYS) {
    const explicit = key === 'momentum' || key === 'beta2' || key === 'epsilon' ? given[key] : undefined;
    if (defaults[key] === null) {
      // Not a hyper-parameter of this optimizer: a flag (or a library option) saying otherwise is an error, a setting is left out.
      if (explicit !== undefined && (key === 'momentum' || key === 'beta2' || key === 'epsilon')) {
        if (requestSource(key) !== 'setting') throw new OptionError(key, `${flagFor(key)} does not apply to ${name}: it has no ${key}.`, `Leave out ${flagFor(key)}, or pick another ${flagFor('optimizer')}.`);
        warnings.push(`lrlab.${key} (${explicit}) is not used: ${name} has no ${key}.`);
      }
      continue;
    }
    if (explicit !== undefined && (key === 'momentum' || key === 'beta2' || key === 'epsilon')) {
      values[key] = checkNumberOption(key, explicit);
      sources[key] = requestSource(key);
      continue;
    }
    const compiledValue = fromCompile?.[key];
    if (compiledValue !== undefined && compiledValue !== null) {
      if (key === 'centered') values.centered = compiledValue === true;
      else if (typeof compiledValue === 'number') values[key] = checkCompiled(key, compiledValue, name, file, naming);
      sources[key] = 'model.compile';
    } else {
      sources[key] = 'default';
    }
  }
  const report: OptimizerReport = { name, lr: null, ...values, sources };
  const params: Omit<OptimizerSettings, 'lr' | 'weightDecay'> = {
    name,
    momentum: values.momentum ?? 0,
    ...(values.beta2 === null ? {} : { beta2: values.beta2 }),
    ...(values.epsilon === null ? {} : { epsilon: values.epsilon }),
    ...(values.rho === null ? {} : { rho: values.rho }),
    ...(values.centered === null ? {} : { centered: values.centered }),
    ...(values.initialAccumulatorValue === null ? {} : { initialAccumulatorValue: values.initialAccumulatorValue }),
    ...(values.decay === null ? {} : { decay: values.decay }),
  };
  return { report, params, cyclesMomentum: (values.momentum ?? 0) > 0, warnings };
}

/**
 * A hyper-parameter read from the model's compile (or a model.json's trainingConfig), in the range its
 * option takes: out of it, the model is at fault, not an option the user never gave (a model.json's
 * momentum -0.5 read "--momentum must be in [0, 1), got -0.5", exit 2).
 */
function checkCompiled(key: (typeof HYPER_KEYS)[number], value: number, optimizer: OptimizerName, file: string, naming: OptionNaming): number {
  if (key !== 'momentum' && key !== 'beta2' && key !== 'epsilon') return value;
  const rule = rangeBreach(key, value);
  if (rule === null) return value;
  const what = key === 'momentum' ? momentumWord(optimizer) : key;
  const json = path.extname(file).toLowerCase() === '.json';
  throw new LrLabError('model-build', `${path.basename(file)} compiles its optimizer with ${what} ${value}${json ? ' (its trainingConfig.optimizer_config)' : ''}, which ${rule}.`, {
    file,
    fix: naming === 'flag' ? `Compile it with a ${key} in range, or give ${flagFor(key)} to run with another.` : `Compile it with a ${key} in range, or pass the ${key} option to run with another.`,
  });
}

/** The compiled LR, for a run that trains at a constant LR it was not given. */
export function compiledLr(compiled: CompiledOptimizer | UnsupportedOptimizer | null): number | null {
  return compiled !== null && compiled.name !== null ? compiled.learningRate : null;
}

/** Why a 1cycle run keeps momentum constant, for its warnings: "plain SGD compiles momentum 0 (model.compile)". */
export function noCycleReason(report: OptimizerReport): string {
  if (report.momentum === null) return `${report.name} has no momentum to cycle`;
  const source = report.sources.momentum ?? 'default';
  return `the run's momentum is ${report.momentum} (${source === 'flag' ? flagFor('momentum') : source === 'setting' ? 'lrlab.momentum' : source}), so there is none to cycle`;
}

/**
 * Said where a run's max LR was found with an optimizer of another family than the one it trains
 * (`lrFoundWith`: the editor's latest range test): a user's range test with adamw (0.0151) was offered
 * to "Train with 1cycle" on a model compiled with SGD momentum, which trained at it without a word
 * and read "underfitting" (its own range test gave 0.0973).
 */
export function lrFoundWithNote(lrFoundWith: OptimizerName | undefined, report: OptimizerReport, maxLr: number | undefined): string | null {
  const family = ownValue(OPTIMIZER_FAMILY, lrFoundWith);
  if (lrFoundWith === undefined || family === undefined || family === OPTIMIZER_FAMILY[report.name]) return null;
  return `The max LR${maxLr === undefined ? '' : ` ${formatLr(maxLr)}`} was found by a range test with ${lrFoundWith}, but this run trains with ${report.name} (from ${report.sources.optimizer ?? 'its setting'}): an LR found with one optimizer is in the wrong decade for the other. Run Find learning rate again with the optimizer this run trains with.`;
}

/**
 * Said where a run's max LR was found at another batch size than the run trains at (`lrFoundAtBatch`:
 * the editor's latest range test or recipe, whose recommended batch size may differ from the run's).
 */
export function lrFoundAtBatchNote(lrFoundAtBatch: number | undefined, batchSize: number, maxLr: number | undefined): string | null {
  if (lrFoundAtBatch === undefined || !Number.isSafeInteger(lrFoundAtBatch) || lrFoundAtBatch < 1 || lrFoundAtBatch === batchSize) return null;
  return `The max LR${maxLr === undefined ? '' : ` ${formatLr(maxLr)}`} was found at batch size ${lrFoundAtBatch}, and this run trains at ${batchSize}: the LR that suits a batch grows with its size. Train at batch size ${lrFoundAtBatch}, or find the LR at ${batchSize}.`;
}
