/** How LR Lab writes facts of a run for people, the same in the CLI, the panel, the lens and notifications. */
import type { OptionName, OptionSource } from './options';
import { flagFor } from './options';
import type { OptimizerReport } from './results';

/**
 * A learning rate, everywhere (CLI, panel, CodeLens, notifications, reasons): 3 significant
 * digits, exponent form below 1e-3 (and from 1e4 up), no trailing zeros. `0.0123`, `0.3`,
 * `1.23e-4`, `2e-5`. One rule so that the same LR reads the same in every place.
 */
export function formatLr(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const rounded = Number(x.toPrecision(3)); // decide the form on the digits that are shown
  const a = Math.abs(rounded);
  if (a >= 1e-3 && a < 1e4) return String(rounded);
  const [mantissa = '', exponent = ''] = rounded.toExponential(2).split('e');
  return `${String(Number(mantissa))}e${exponent.replace('+', '')}`;
}

/** Where a value came from, for people: `--momentum`, `lrlab.momentum`, `model.compile`, `default`. */
export function sourceText(source: OptionSource, option: OptionName): string {
  if (source === 'flag') return flagFor(option);
  if (source === 'setting') return `lrlab.${option}`;
  return source;
}

/**
 * What optimizer ran and where each value came from, on one line:
 * `optimizer sgd (model.compile), lr —, momentum 0 (model.compile)`. `lr —`: the run drives the LR.
 */
export function describeOptimizer(report: OptimizerReport): string {
  const from = (key: keyof OptimizerReport['sources'], option: OptionName): string => {
    const source = report.sources[key];
    return source === undefined ? '' : ` (${sourceText(source, option)})`;
  };
  const adamLike = report.name === 'adam' || report.name === 'adamw' || report.name === 'adamax';
  const parts = [`optimizer ${report.name}${from('optimizer', 'optimizer')}`, report.lr === null ? 'lr —' : `lr ${formatLr(report.lr)}${from('lr', 'lr')}`];
  if (report.momentum !== null) parts.push(`${adamLike ? 'beta1' : 'momentum'} ${report.momentum}${from('momentum', 'momentum')}`);
  if (report.beta2 !== null) parts.push(`beta2 ${report.beta2}${from('beta2', 'beta2')}`);
  if (report.epsilon !== null) parts.push(`epsilon ${report.epsilon}${from('epsilon', 'epsilon')}`);
  if (report.rho !== null) parts.push(`${report.name === 'rmsprop' ? 'decay' : 'rho'} ${report.rho}${report.sources.rho === undefined ? '' : ` (${report.sources.rho})`}`);
  if (report.centered === true) parts.push('centered');
  if (report.initialAccumulatorValue !== null) parts.push(`initial accumulator ${report.initialAccumulatorValue}${report.sources.initialAccumulatorValue === undefined ? '' : ` (${report.sources.initialAccumulatorValue})`}`);
  if (report.decay !== null && report.decay !== 0) parts.push(`LR decay ${report.decay}`);
  return parts.join(', ');
}
