/**
 * The host ⇄ engine JSON-RPC messages (vscode-jsonrpc over the child's IPC channel). Each is a
 * typed constant with its params and direction, as vscode-eslint's `customMessages.ts` does.
 * Cancellation is JSON-RPC's own (`$/cancelRequest`), mapped to the run's AbortSignal.
 * (The webview never imports this file: it sees only the plain types.)
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { AppendParams, LogParams, ProgressParams } from './progress';
import type { AnyResult } from './results';
import type { LrLabErrorData } from './errors';
import type { RunRequestParams } from './requests';
import type { BackendChoice } from './results';
import type { OptionValue } from './options';

/**
 * The CPU priority an engine gives itself at start (`lrlab.enginePriority`), set by its host in
 * the environment as ENGINE_PRIORITY_ENV: 'low' is nice 10 (below the editor's), 'normal' the editor's.
 */
export type EnginePriority = OptionValue<'enginePriority'>;
export const ENGINE_PRIORITY_ENV = 'LRLAB_ENGINE_PRIORITY';

export interface RunParams {
  readonly runId: string;
  readonly request: RunRequestParams;
}

/** host → engine: run an experiment; resolves with its result, or an error whose `data` is `LrLabErrorData`. */
export namespace RunRequest {
  export const method = 'lrlab/run';
  export const type = new RequestType<RunParams, AnyResult, LrLabErrorData>(method);
}

/** engine → host: phase and fraction of a run. */
export namespace ProgressNotification {
  export const method = 'lrlab/progress';
  export const type = new NotificationType<ProgressParams>(method);
}

/** engine → host: new points of a live curve (batched, never dropped). */
export namespace AppendNotification {
  export const method = 'lrlab/append';
  export const type = new NotificationType<AppendParams>(method);
}

/** engine → host: a log line for the output channel. */
export namespace LogNotification {
  export const method = 'lrlab/log';
  export const type = new NotificationType<LogParams>(method);
}

/** What a pre-started engine readies itself for: the run it will serve must match (else a fresh engine runs it). */
export interface PrepareParams {
  readonly model: string;
  readonly backend?: BackendChoice;
  readonly workspace?: string;
}

/** What a prepare made ready. */
export interface PrepareResult {
  /** Why the model file did not bundle, `file:line: message` (its run will say so, with the fix), or null: bundled, or a model.json. */
  readonly bundleProblem: string | null;
}

/**
 * host → engine: get ready for a run on this model (tfjs, the bundle, a warm training path) and
 * wait for it; resolves when ready. The engine exits by itself if no run comes (ENGINE_IDLE_MS).
 */
export namespace PrepareRequest {
  export const method = 'lrlab/prepare';
  export const type = new RequestType<PrepareParams, PrepareResult, LrLabErrorData>(method);
}

/** A pre-started engine that gets no run within this long exits (`LRLAB_ENGINE_IDLE_MS` overrides). */
export const ENGINE_IDLE_MS = 10 * 60_000;

/** host → engine: finish the current work and exit. */
export namespace ShutdownRequest {
  export const method = 'lrlab/shutdown';
  export const type = new RequestType<null, null, void>(method);
}
