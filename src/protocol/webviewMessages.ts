/**
 * Messages between the extension host and the LR Lab webviews. Plain JSON types plus a
 * validator for everything coming *from* a webview: the host drops anything malformed.
 * Host → webview notifications carry complete snapshots (a reload can always redraw).
 */
import type { AppendParams, ProgressParams } from './progress';
import type { AnyResult, FindLrSettings, LrRange } from './results';

/** A run id: what `randomUUID()` and the compare view make; the only ids the views and the history accept. */
export const RUN_ID = /^[\w.-]{1,80}$/;

/** Everything the panel needs to draw one run, from scratch. */
export interface RunSnapshot {
  readonly runId: string;
  readonly kind: AnyResult['kind'];
  readonly model: string;
  readonly label: string;
  readonly startedAt: string;
  readonly state: 'running' | 'done' | 'failed' | 'cancelled';
  readonly settings: Partial<FindLrSettings>;
  /** Points streamed so far, per series (complete, never decimated: the webview decimates to draw). */
  readonly series: Readonly<Record<string, AppendParams['points']>>;
  readonly progress: ProgressParams | null;
  readonly result: AnyResult | null;
  /** The LR range the user chose by dragging (`null`: the suggested one). */
  readonly chosenRange: LrRange | null;
  readonly error: string | null;
}

export type HostToWebview =
  | { readonly type: 'snapshot'; readonly run: RunSnapshot }
  | { readonly type: 'append'; readonly runId: string; readonly params: AppendParams }
  | { readonly type: 'progress'; readonly runId: string; readonly params: ProgressParams }
  /** A request: the webview answers with `pngAnswer` and the same id, in every state. */
  | { readonly type: 'exportPng'; readonly requestId: number };

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'chooseRange'; readonly runId: string; readonly range: LrRange }
  | { readonly type: 'cancel'; readonly runId: string }
  | { readonly type: 'export'; readonly runId: string; readonly format: 'csv' | 'json' }
  /** The panel's own PNG button: the chart as drawn. */
  | { readonly type: 'pngData'; readonly runId: string; readonly dataUrl: string }
  /** The answer to `exportPng`: the chart as drawn, or `null` when the panel shows no chart. */
  | { readonly type: 'pngAnswer'; readonly requestId: number; readonly dataUrl: string | null };

/** One line of the run history in the side view. */
export interface RunSummary {
  readonly runId: string;
  readonly kind: AnyResult['kind'];
  readonly label: string;
  readonly model: string;
  readonly startedAt: string;
  readonly state: RunSnapshot['state'];
  readonly backend: string | null;
  /** The headline max LR of a range test (`FindLrResult.recommended`), when there is one. */
  readonly suggestion: number | null;
  /** The chosen range, else the recommended (headline) one. */
  readonly range: LrRange | null;
}

export type HostToSidebar = {
  readonly type: 'runs';
  readonly runs: readonly RunSummary[];
  /** The running job's main curve, for the small live chart. */
  readonly live: { readonly runId: string; readonly label: string; readonly points: AppendParams['points'] } | null;
};

export type SidebarToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'openRun'; readonly runId: string }
  | { readonly type: 'deleteRun'; readonly runId: string }
  | { readonly type: 'compareRuns'; readonly runIds: readonly [string, string] };

export function parseSidebarMessage(message: unknown): SidebarToHost | null {
  if (!isObject(message) || typeof message['type'] !== 'string') return null;
  switch (message['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'openRun':
    case 'deleteRun':
      return isRunId(message['runId']) ? { type: message['type'], runId: message['runId'] } : null;
    case 'compareRuns': {
      const ids = message['runIds'];
      return Array.isArray(ids) && ids.length === 2 && isRunId(ids[0]) && isRunId(ids[1]) && ids[0] !== ids[1] ? { type: 'compareRuns', runIds: [ids[0], ids[1]] } : null;
    }
    default:
      return null;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isRunId(v: unknown): v is string {
  return typeof v === 'string' && RUN_ID.test(v);
}

function isPngDataUrl(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('data:image/png;base64,') && v.length < 20_000_000;
}

function isPositive(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/** Returns the message when it is one we accept, else `null` (the host ignores it). */
export function parseWebviewMessage(message: unknown): WebviewToHost | null {
  if (!isObject(message) || typeof message['type'] !== 'string') return null;
  switch (message['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'chooseRange': {
      const range = message['range'];
      if (!isRunId(message['runId']) || !isObject(range) || !isPositive(range['minLr']) || !isPositive(range['maxLr']) || range['minLr'] >= range['maxLr']) return null;
      return { type: 'chooseRange', runId: message['runId'], range: { minLr: range['minLr'], maxLr: range['maxLr'] } };
    }
    case 'cancel':
      return isRunId(message['runId']) ? { type: 'cancel', runId: message['runId'] } : null;
    case 'export': {
      const format = message['format'];
      return isRunId(message['runId']) && (format === 'csv' || format === 'json') ? { type: 'export', runId: message['runId'], format } : null;
    }
    case 'pngData': {
      const dataUrl = message['dataUrl'];
      return isRunId(message['runId']) && isPngDataUrl(dataUrl) ? { type: 'pngData', runId: message['runId'], dataUrl } : null;
    }
    case 'pngAnswer': {
      const requestId = message['requestId'];
      const dataUrl = message['dataUrl'];
      return Number.isSafeInteger(requestId) && (dataUrl === null || isPngDataUrl(dataUrl)) ? { type: 'pngAnswer', requestId: requestId as number, dataUrl } : null;
    }
    default:
      return null;
  }
}
