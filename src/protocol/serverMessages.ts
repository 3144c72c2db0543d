/**
 * Extension ⇄ language server messages beyond LSP. The extension tells the server which runs
 * exist per model file, so lenses can offer to insert their schedule and weight decay. Typed
 * constants as in engineRpc.ts, from vscode-languageserver-protocol: the copy of vscode-jsonrpc
 * that both the language client and the server use (its `ParameterStructures` are compared by
 * identity, so a message type from another copy would not send).
 */
import { NotificationType } from 'vscode-languageserver-protocol';

/** The schedule to insert for one model file (from its latest range test or recipe). */
export interface FileSchedule {
  readonly uri: string;
  readonly maxLr: number;
  readonly minLr: number;
  readonly maxMomentum: number;
  readonly minMomentum: number;
  /**
   * Set where the range test's optimizer had no momentum to cycle (the block then drives the LR
   * only, as the run did): "sgd's momentum is 0", "adagrad has no momentum". Shown in the lens title.
   */
  readonly fixedMomentum?: string;
  /**
   * Set where the schedule is the run's headline and that headline is unconfirmed (`learned`
   * false: nothing was seen to learn at it); a range the user dragged is theirs. Shown in the lens title.
   */
  readonly unconfirmed?: boolean;
  /**
   * The optimizer the range test ran with (`OptimizerName`; absent in older results). Where the file
   * compiles one of another family, the schedule is refused: its LR is in the wrong decade there.
   */
  readonly optimizer?: string;
  /**
   * The batch size the range test ran at (its `settings.batchSize`). Where a fit call trains at another
   * (its own `batchSize`, or tfjs's 32), the lens says so: the LR that suits a batch size grows with it.
   */
  readonly batchSize?: number;
  /** A training script's run: the line of the fit call it tested (the result's `fitCall`); its lens goes above fits of that call's model only. */
  readonly fitLine?: number;
  /** That line's text when the run loaded the script (`fitCall.text`): the call is found by it after edits move lines. */
  readonly fitText?: string;
  readonly runId: string;
  readonly date: string;
}

/**
 * How a weight-decay value acts, in the convention of the engine optimizer that chose it
 * (src/engine/optimizer.ts), so the inserted code means what the run measured:
 * - `l2`: the gradient gets `+ wd × w` (sgd, nesterov, adam; PyTorch's `weight_decay`);
 * - `decoupled`: after each step `w ← w × (1 − lr × wd)` (adamw).
 */
export type WeightDecayForm = 'l2' | 'decoupled';

/** The weight decay a sweep, weight-decay study or recipe chose for one model file (its latest such run). */
export interface FileWeightDecay {
  readonly uri: string;
  /** Positive: a chosen 0 offers nothing to insert. */
  readonly weightDecay: number;
  readonly form: WeightDecayForm;
  /** The run kind that chose it, for the inserted comment. */
  readonly source: 'sweep' | 'weight-decay' | 'recipe';
  readonly runId: string;
  readonly date: string;
}

export interface ResultsParams {
  readonly schedules: readonly FileSchedule[];
  readonly weightDecays: readonly FileWeightDecay[];
}

/** extension → server: the current schedules and weight decays (replace the previous sets). */
export namespace ResultsNotification {
  export const method = 'lrlab/results';
  export const type = new NotificationType<ResultsParams>(method);
}

/** Server-side command that builds and applies the insertion edit. Arguments: [uri, version, fit] (fit: the index of the fit call the lens is above; 0 when absent). */
export const INSERT_SCHEDULE_COMMAND = 'lrlab.insertSchedule';

/** Server-side command that inserts the chosen weight decay. Arguments: [uri, version, fit], as for the schedule. */
export const INSERT_WEIGHT_DECAY_COMMAND = 'lrlab.insertWeightDecay';
