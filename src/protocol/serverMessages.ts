/**
 * Extension ⇄ language server messages beyond LSP. The extension tells the server which runs
 * exist per model file, so lenses can offer to insert their schedule.
 */

/** The schedule to insert for one model file (from its latest range test or recipe). */
export interface FileSchedule {
  readonly uri: string;
  readonly maxLr: number;
  readonly minLr: number;
  readonly maxMomentum: number;
  readonly minMomentum: number;
  readonly runId: string;
  readonly date: string;
}

/** extension → server: the current schedules (replaces the previous set). */
export const RESULTS_NOTIFICATION = 'lrlab/results';
export interface ResultsParams {
  readonly schedules: readonly FileSchedule[];
}

/** Server-side command that builds and applies the insertion edit. Arguments: [uri, version]. */
export const INSERT_SCHEDULE_COMMAND = 'lrlab.insertSchedule';
