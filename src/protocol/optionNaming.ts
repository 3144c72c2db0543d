/**
 * How a result's advice names what its reader can change. The CLI and the editor read flags
 * (`raise --end-lr`, `--steps 300`; a setting has the flag's name) and a model file's `loadData()`;
 * the library's caller passed options to a call (`findLr(model, data, { endLr })`) and the data
 * itself. Each text is written once and takes the reader's naming, so the two cannot drift.
 */
import type { OptionName } from './options';
import { flagFor } from './options';

/** `flag`: the CLI's flags (the CLI, the editor); `option`: the library's options. */
export type OptionNaming = 'flag' | 'option';

/** An option as its reader names it: `--end-lr` / `endLr`. */
export function optionName(name: OptionName, naming: OptionNaming): string {
  return naming === 'flag' ? flagFor(name) : name;
}

/** An option given a value, as its reader would write it: `--steps 300` / `steps: 300`. */
export function optionGiven(name: OptionName, value: string | number, naming: OptionNaming): string {
  return naming === 'flag' ? `${flagFor(name)} ${value}` : `${name}: ${value}`;
}

/** Whole 1cycle trainings at these max LRs, one after another: `lrlab train --max-lr 0.1, then 0.3` / `model.fit with oneCycle({ maxLr }) at 0.1, then 0.3`. */
export function wholeRunsAt(maxLrs: readonly string[], naming: OptionNaming): string {
  return naming === 'flag' ? `lrlab train --max-lr ${maxLrs.join(', then ')}` : `model.fit with oneCycle({ maxLr }) at ${maxLrs.join(', then ')}`;
}
