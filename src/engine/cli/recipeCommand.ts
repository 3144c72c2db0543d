/** `lrlab recipe <model> --budget 10m`: Smith's Section 5 end to end. */
import type { RecipeRequest } from '../../protocol/requests';
import type { RecipeResult, RecipeStep } from '../../protocol/results';
import { RECIPE_STEP_NUMBER } from '../../protocol/results';
import { OptionError } from '../../protocol/errors';
import type { CliIo } from './io';
import { booleanFlag, flagSpec, parseFlags, readOption } from './args';
import { COMMON_OPTIONS, commonFieldsFromFlags, givenFlags, requireModelFile, runInterruptible, shellWord } from './common';
import { commandHelp } from './help';
import { recipe } from '../experiments/recipe';
import { remoteFieldsFromFlags } from './remoteFlag';
import { placementOf } from '../../protocol/placement';
import { formatWeightDecay } from '../../core/decisions';
import { flagFor } from '../../protocol/options';
import { describeOptimizer, formatLr, formatMomentum, formatSeconds, modelName } from '../../protocol/format';

/** How the user ran `lrlab recipe`: the model path as typed and the common flags to carry over to `lrlab train`. */
export interface RecipeInvocation {
  readonly model: string;
  readonly flags: readonly string[];
  /** A training script's own arguments (after `--`). */
  readonly scriptArgs?: readonly string[];
}

export const RECIPE_HELP = commandHelp(
  'Usage: lrlab recipe <model> --budget 10m [--batch-size N] [--json]',
  `Smith's disciplined recipe within a wall-time budget: LR range test → min/max LR; batch size by
wall time (when the budget allows); momentum by short runs; weight decay by short runs; then a
confirming 1cycle run and its verdict. Each step's evidence is kept; a step that would overrun
the budget is shortened or skipped, and says so. A range test without a usable LR is retried
within the budget (more steps, a wider or lower range); without one the recipe exits 1.
The plan follows the clock: how long each step runs, which are shortened or skipped and the
confirming run's epochs depend on the machine's speed and load, so --seed repeats each run's
initialization and order but two recipes can still differ.`,
  [{ title: 'Options:', command: 'recipe' }],
);

export async function runRecipeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, flagSpec('recipe'), 'recipe');
  if (booleanFlag(args, 'help') === true) {
    io.out(RECIPE_HELP);
    return 0;
  }
  // The model and the values given first, as train does: "--budget is required" for `recipe` alone, or
  // before "--seed abc" is refused, sent users back one error at a time.
  const common = commonFieldsFromFlags(args, 'recipe');
  requireModelFile(common.model);
  const budgetSeconds = readOption(args, 'budgetSeconds');
  if (budgetSeconds === undefined) throw new OptionError('budgetSeconds', '--budget is required, e.g. --budget 10m.');
  const request: RecipeRequest = { kind: 'recipe', ...common, budgetSeconds, ...(await remoteFieldsFromFlags(args, common.model)) };
  const result = await runInterruptible(io, 'recipe', (ctx) => recipe(request, ctx));
  // The batch size is the recommendation's; every other common option is passed on as typed.
  const invocation: RecipeInvocation = { model: args.positionals[0] ?? result.model, flags: givenFlags(args, COMMON_OPTIONS.filter((n) => n !== 'batchSize')), ...(args.rest === undefined ? {} : { scriptArgs: args.rest }) };
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderRecipe(result, invocation));
  if (result.failure === null) return 0;
  // The evidence is printed above; the failure is the exit status and one line on stderr.
  io.err(`lrlab: recipe: ${result.failure}`);
  return 1;
}

/**
 * The `lrlab train` command line that trains with the recommendation, as one pasteable line: the
 * model path as the user gave it (absolute when unknown), the options they gave that decide what
 * trains (data, backend, optimizer, seed, ...), and the recommended values in LR Lab's formats.
 * Momentum flags only when the recipe studied momentum; otherwise train cycles as the recipe did.
 */
export function trainCommandLine(result: RecipeResult, invocation: RecipeInvocation = { model: result.model, flags: [] }): string | null {
  const r = result.recommendation;
  if (r === null) return null;
  const momentumStudied = result.steps.some((s) => s.name === 'momentum' && s.status !== 'skipped');
  const words = [
    'lrlab train',
    shellWord(invocation.model),
    ...invocation.flags,
    `${flagFor('policy')} ${r.schedule}`,
    `${flagFor('maxLr')} ${formatLr(r.lr.maxLr)}`,
    `${flagFor('minLr')} ${formatLr(r.lr.minLr)}`,
    ...(momentumStudied ? [`${flagFor('maxMomentum')} ${formatMomentum(r.momentum.max)}`, `${flagFor('baseMomentum')} ${formatMomentum(r.momentum.min)}`] : []),
    ...(r.weightDecay === 0 ? [] : [`${flagFor('weightDecay')} ${formatWeightDecay(r.weightDecay)}`]),
    `${flagFor('batchSize')} ${r.batchSize}`,
    `${flagFor('epochs')} ${r.epochs}`,
    // A training script's own arguments, after -- as given.
    ...(invocation.scriptArgs === undefined ? [] : ['--', ...invocation.scriptArgs.map(shellWord)]),
  ];
  return words.join(' ');
}

export function renderRecipe(result: RecipeResult, invocation?: RecipeInvocation): string {
  const lines = [`Recipe: ${modelName(result.model)} — ${formatSeconds(result.seconds)} of a ${formatSeconds(result.budgetSeconds)} budget${result.estimatedSeconds > 0 ? ` (plan: ${formatSeconds(result.estimatedSeconds)})` : ''} on ${result.backend}`];
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer));
  for (const step of result.steps) {
    lines.push(`  ${step.name.padEnd(13)} ${step.status.padEnd(9)} ${formatSeconds(step.seconds).padStart(9)}  ${step.message}`);
    // --redis: the studies' trials ran on workers.
    const placed = step.evidence === null ? null : placementOf(step.evidence);
    if (placed !== null) lines.push(`${' '.repeat(37)}${placed}`);
  }
  const r = result.recommendation;
  const command = trainCommandLine(result, invocation);
  if (r !== null && command !== null) {
    lines.push('', 'Recommendation:');
    lines.push(`  schedule      ${r.schedule} (1cycle): LR ${formatLr(r.lr.minLr)} → ${formatLr(r.lr.maxLr)} → annihilation`);
    // A value whose step was skipped is the default the step line names, not a finding: said so (a 1 s recipe's read as studied).
    // A step that ran and whose ranking said nothing (every batch size broke down) is marked skipped too: not "its step was skipped".
    // A study that ran whole and named no value (its short runs learned nothing) likewise: a user's recipe
    // printed "weight decay 0" bare beside a weight-decay step that chose none.
    const unstudied = (name: RecipeStep['name']): string => {
      const named = [...result.steps].reverse().find((s) => s.name === name);
      const step = named !== undefined && (named.status === 'skipped' || (named.evidence !== null && 'best' in named.evidence && named.evidence.best === null)) ? named : undefined;
      return step === undefined ? '' : step.evidence !== null ? ` (not chosen by its study: it ran, but its ranking said nothing; step ${RECIPE_STEP_NUMBER[name]} says why)` : ' (not studied: its step was skipped)';
    };
    lines.push(`  momentum      ${r.momentum.max === r.momentum.min ? formatMomentum(r.momentum.max) : `${formatMomentum(r.momentum.max)} → ${formatMomentum(r.momentum.min)} (cyclical)`}${unstudied('momentum')}`);
    lines.push(`  weight decay  ${formatWeightDecay(r.weightDecay)}${unstudied('weight-decay')}`);
    lines.push(`  batch size    ${r.batchSize}${unstudied('batch-size')}`);
    lines.push(`  epochs        ${r.epochs} (${r.epochsReason})`);
  }
  if (result.failure !== null) lines.push('', `No recommendation: ${result.failure}`);
  if (result.diagnosis !== null) lines.push('', `verdict: ${result.diagnosis.verdict ?? 'none'} — ${result.diagnosis.reason}`);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  // Last, alone on its line: easy to copy, and `| tail -n 1` gives it.
  if (command !== null) lines.push('', 'Train with it (paste in this folder):', command);
  return lines.join('\n');
}
