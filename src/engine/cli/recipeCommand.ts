/** `lrlab recipe <model> --budget 10m`: Smith's Section 5 end to end. */
import path from 'node:path';
import type { RecipeRequest } from '../../protocol/requests';
import type { RecipeResult } from '../../protocol/results';
import { OptionError } from '../../protocol/errors';
import type { CliIo } from './io';
import { booleanFlag, flagSpec, parseFlags, readOption } from './args';
import { commonFieldsFromFlags, runInterruptible } from './common';
import { commandHelp } from './help';
import { recipe } from '../experiments/recipe';
import { describeOptimizer, formatLr } from '../../protocol/format';

export const RECIPE_HELP = commandHelp(
  'Usage: lrlab recipe <model> --budget 10m [--batch-size N] [--json]',
  `Smith's disciplined recipe within a wall-time budget: LR range test → min/max LR; batch size by
wall time (when the budget allows); momentum by short runs; weight decay by short runs; then a
confirming 1cycle run and its verdict. Each step's evidence is kept; a step that would overrun
the budget is shortened or skipped, and says so. A range test without a usable LR is retried
within the budget (more steps, a wider or lower range); without one the recipe exits 1.`,
  [{ title: 'Options:', command: 'recipe' }],
);

export async function runRecipeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, flagSpec('recipe'));
  if (booleanFlag(args, 'help') === true) {
    io.out(RECIPE_HELP);
    return 0;
  }
  const budgetSeconds = readOption(args, 'budgetSeconds');
  if (budgetSeconds === undefined) throw new OptionError('budgetSeconds', '--budget is required, e.g. --budget 10m.');
  const request: RecipeRequest = { kind: 'recipe', ...commonFieldsFromFlags(args, 'recipe'), budgetSeconds };
  const result = await runInterruptible(io, 'recipe', (ctx) => recipe(request, ctx));
  io.out(booleanFlag(args, 'json') === true ? JSON.stringify(result) : renderRecipe(result));
  if (result.failure === null) return 0;
  // The evidence is printed above; the failure is the exit status and one line on stderr.
  io.err(`lrlab: recipe: ${result.failure}`);
  return 1;
}

export function renderRecipe(result: RecipeResult): string {
  const lines = [`Recipe: ${path.basename(result.model)} — ${result.seconds.toFixed(0)} s of a ${result.budgetSeconds} s budget${result.estimatedSeconds > 0 ? ` (plan: ${result.estimatedSeconds} s)` : ''} on ${result.backend}`];
  if (result.optimizer !== undefined) lines.push(describeOptimizer(result.optimizer));
  for (const step of result.steps) lines.push(`  ${step.name.padEnd(13)} ${step.status.padEnd(9)} ${step.seconds.toFixed(1).padStart(6)} s  ${step.message}`);
  const r = result.recommendation;
  if (r !== null) {
    lines.push('', 'Recommendation:');
    lines.push(`  schedule      ${r.schedule} (1cycle): LR ${formatLr(r.lr.minLr)} → ${formatLr(r.lr.maxLr)} → annihilation`);
    lines.push(`  momentum      ${r.momentum.max === r.momentum.min ? r.momentum.max : `${r.momentum.max} → ${r.momentum.min} (cyclical)`}`);
    lines.push(`  weight decay  ${r.weightDecay}`);
    lines.push(`  batch size    ${r.batchSize}`);
    lines.push(`  epochs        ${r.epochs} (${r.epochsReason})`);
    lines.push(`  lrlab train ${path.basename(result.model)} --policy smith --max-lr ${formatLr(r.lr.maxLr)} --min-lr ${formatLr(r.lr.minLr)} --max-momentum ${r.momentum.max} --base-momentum ${r.momentum.min} --wd ${r.weightDecay} --batch-size ${r.batchSize} --epochs ${r.epochs}`);
  }
  if (result.failure !== null) lines.push('', `No recommendation: ${result.failure}`);
  if (result.diagnosis !== null) lines.push('', `verdict: ${result.diagnosis.verdict ?? 'none'} — ${result.diagnosis.reason}`);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}
