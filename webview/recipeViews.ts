/**
 * A recipe run drawn one step at a time (pure, no DOM; unit-tested like seriesStyle.ts). The panel drew
 * all of a recipe's series on one "validation loss against iteration" chart: the range test's loss
 * (against steps, not LR), the studies' short runs and the confirming run's epochs, on one axis (trial W
 * #4). Each step is now its own run to the panel: the range test on the LR axis with its headline, the
 * studies against iterations (the batch sizes against wall time), the 1cycle run against epochs, each
 * with the step's own result (its baseline and markers), as the commands that run it alone draw it.
 */
import type { RecipeStepName } from '../src/protocol/results';
import type { RunSnapshot } from '../src/protocol/webviewMessages';
import { recipeStepOfSeries } from '../src/protocol/progress';

export interface RecipeView {
  readonly step: RecipeStepName;
  /** The step's button. */
  readonly title: string;
  /** The step as a run of its own kind: its series, and its evidence (once in) as the result. */
  readonly run: RunSnapshot;
}

const ORDER: readonly RecipeStepName[] = ['range-test', 'batch-size', 'momentum', 'weight-decay', 'train'];

const TITLES: Readonly<Record<RecipeStepName, string>> = {
  'range-test': 'LR range test',
  'batch-size': 'Batch size',
  momentum: 'Momentum',
  'weight-decay': 'Weight decay',
  train: '1cycle run',
};

const KINDS: Readonly<Record<RecipeStepName, RunSnapshot['kind']>> = {
  'range-test': 'find-lr',
  'batch-size': 'batch-size',
  momentum: 'momentum',
  'weight-decay': 'weight-decay',
  train: 'train',
};

/** The steps of a recipe run that have points, in the recipe's order. */
export function recipeViews(run: RunSnapshot): RecipeView[] {
  const result = run.result?.kind === 'recipe' ? run.result : null;
  const series = new Map<RecipeStepName, Record<string, RunSnapshot['series'][string]>>();
  for (const [name, points] of Object.entries(run.series)) {
    const step = recipeStepOfSeries(name);
    if (step === null || points.length === 0) continue;
    const held = series.get(step) ?? {};
    held[name] = points;
    series.set(step, held);
  }
  return ORDER.flatMap((step) => {
    const points = series.get(step);
    if (points === undefined) return [];
    // A range test run again adds a row: the last one's evidence is the test the series shows.
    const evidence = result?.steps.filter((s) => s.name === step).at(-1)?.evidence ?? null;
    const kind = KINDS[step];
    const own = evidence?.kind === kind ? evidence : null;
    // The range test's settings (its signal: which baseline its loss is drawn against).
    const settings = own?.kind === 'find-lr' ? own.settings : run.settings;
    return [{ step, title: TITLES[step], run: { ...run, kind, series: points, settings, result: own, chosenRange: null } }];
  });
}

/** The view to draw: the step the user picked where it has points, else the latest one (a running recipe's chart follows its step). */
export function pickedView(views: readonly RecipeView[], picked: RecipeStepName | null): RecipeView | null {
  return views.find((v) => v.step === picked) ?? views.at(-1) ?? null;
}
