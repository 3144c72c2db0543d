/**
 * The insertion cases every server test shares: the values a run would give, the style inputs in
 * `test/server/snapshots/` (`<style>.input.<ext>.snap`, one per style users write), and the
 * sequences of insertions a user clicking lenses would make (`CASES`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { applyChanges, insertScheduleChanges, insertWeightDecayChanges } from '../../src/server/insertEdit';
import type { InsertOutcome } from '../../src/server/insertEdit';
import type { ScheduleValues } from '../../src/server/scheduleCode';
import type { WeightDecayValues } from '../../src/server/weightDecayCode';

export const SNAPSHOTS = path.join(__dirname, 'snapshots');

export const schedule: ScheduleValues = { maxLr: 0.3, minLr: 0.03, maxMomentum: 0.95, minMomentum: 0.85, runId: '0123456789abcdef', date: '2026-11-28' };
export const weightDecay: WeightDecayValues = { weightDecay: 0.05, form: 'l2', source: 'sweep', runId: 'fedcba9876543210', date: '2026-11-29' };
export const decoupled: WeightDecayValues = { weightDecay: 0.1, form: 'decoupled', source: 'recipe', runId: '5555aaaa5555aaaa', date: '2026-11-30' };

/** The text after an insertion; throws with the refusal when there was none. */
export function changed(outcome: InsertOutcome, text: string): string {
  if ('error' in outcome) throw new Error(`${outcome.error.reason}: ${outcome.error.fix}`);
  return applyChanges(text, outcome.changes);
}

/** The cases: each a sequence of insertions, as a user clicking lenses would make them. */
export const CASES: Record<string, (fileName: string, text: string) => string> = {
  schedule: (f, t) => changed(insertScheduleChanges(f, t, schedule), t),
  'weight-decay': (f, t) => changed(insertWeightDecayChanges(f, t, weightDecay), t),
  'weight-decay-decoupled': (f, t) => changed(insertWeightDecayChanges(f, t, decoupled), t),
  both: (f, t) => {
    const once = changed(insertScheduleChanges(f, t, schedule), t);
    return changed(insertWeightDecayChanges(f, once, weightDecay), once);
  },
  // Both inserted, then both inserted again from newer runs: the blocks are replaced in place.
  reinserted: (f, t) => {
    const both = CASES['both']!(f, t);
    const wd = changed(insertWeightDecayChanges(f, both, { ...weightDecay, weightDecay: 3.2e-4, runId: '9999999999999999' }), both);
    return changed(insertScheduleChanges(f, wd, { ...schedule, maxLr: 0.5, minLr: 0.05 }), wd);
  },
};

export interface StyleInput {
  readonly name: string;
  readonly ext: 'ts' | 'js' | 'mjs' | 'cjs';
  readonly text: string;
}

export const inputs: StyleInput[] = readdirSync(SNAPSHOTS)
  .map((file) => /^(.+)\.input\.(ts|js|mjs|cjs)\.snap$/.exec(file))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ name: m[1]!, ext: m[2]! as StyleInput['ext'], text: readFileSync(path.join(SNAPSHOTS, m[0]), 'utf8') }));

/** The generated text of one input and case (the file name gives the builders the file kind). */
export function output(input: StyleInput, kase: string): string {
  return CASES[kase]!(`model.${input.ext}`, input.text);
}
