/**
 * The runs of this window: every streamed point kept in full (views decimate to draw), so a view
 * opened or reloaded mid-run gets a complete snapshot. History on disk builds on this.
 */
import * as vscode from 'vscode';
import type { AppendParams, ProgressParams } from '../protocol/progress';
import type { RunSnapshot } from '../protocol/webviewMessages';
import type { AnyResult, LrRange } from '../protocol/results';
import { asRestored, finishedState } from './runState';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type RunEvent =
  /** A run started or finished: all of it. */
  | { readonly type: 'snapshot'; readonly run: RunSnapshot }
  | { readonly type: 'append'; readonly runId: string; readonly params: AppendParams }
  | { readonly type: 'progress'; readonly runId: string; readonly params: ProgressParams }
  /** The set of runs changed (history loaded, a run removed) or a run's chosen range did. */
  | { readonly type: 'changed' };

export class RunStore implements vscode.Disposable {
  private readonly runs = new Map<string, Mutable<RunSnapshot> & { series: Record<string, AppendParams['points'][number][]> }>();
  private readonly emitter = new vscode.EventEmitter<RunEvent>();
  readonly onDidChange = this.emitter.event;

  start(run: Omit<RunSnapshot, 'series' | 'progress' | 'result' | 'chosenRange' | 'error' | 'state'>): void {
    this.runs.set(run.runId, { ...run, state: 'running', series: {}, progress: null, result: null, chosenRange: null, error: null });
    this.emitSnapshot(run.runId);
  }

  get(runId: string): RunSnapshot | undefined {
    return this.runs.get(runId);
  }

  latest(): RunSnapshot | undefined {
    return [...this.runs.values()].at(-1);
  }

  all(): RunSnapshot[] {
    return [...this.runs.values()];
  }

  append(params: AppendParams): void {
    const run = this.runs.get(params.runId);
    if (run === undefined) return;
    if (params.restart === true) run.series[params.series] = [...params.points];
    else (run.series[params.series] ??= []).push(...params.points);
    this.emitter.fire({ type: 'append', runId: params.runId, params });
  }

  progress(params: ProgressParams): void {
    const run = this.runs.get(params.runId);
    if (run === undefined) return;
    run.progress = params;
    this.emitter.fire({ type: 'progress', runId: params.runId, params });
  }

  finish(runId: string, outcome: { result: AnyResult; cancelled?: boolean } | { error: string; cancelled: boolean }): void {
    const run = this.runs.get(runId);
    // Once: a run kept as interrupted at deactivation is not finished again by its engine's end.
    if (run === undefined || run.state !== 'running') return;
    if ('result' in outcome) {
      run.result = outcome.result;
      run.state = finishedState(outcome.result, outcome.cancelled === true);
    } else {
      run.error = outcome.error;
      run.state = outcome.cancelled ? 'cancelled' : 'failed';
    }
    this.emitSnapshot(runId);
  }

  chooseRange(runId: string, range: LrRange): void {
    const run = this.runs.get(runId);
    if (run === undefined) return;
    run.chosenRange = range;
    this.emitter.fire({ type: 'changed' });
  }

  /**
   * Adds a run restored from elsewhere (a webview's saved state after a window reload, a run file);
   * one that says it is running was interrupted (`asRestored`). True where it was added so.
   */
  restore(run: RunSnapshot): boolean {
    if (this.runs.has(run.runId)) return false;
    const restored = asRestored(run);
    this.runs.set(run.runId, { ...restored, series: Object.fromEntries(Object.entries(run.series).map(([k, v]) => [k, [...v]])) });
    return restored !== run;
  }

  /** The runs of this window still running (an engine streams them). */
  running(): RunSnapshot[] {
    return [...this.runs.values()].filter((r) => r.state === 'running');
  }

  remove(runId: string): void {
    this.runs.delete(runId);
    this.touch();
  }

  /** Tells listeners the set of runs changed (history loaded, a run removed). */
  touch(): void {
    this.emitter.fire({ type: 'changed' });
  }

  private emitSnapshot(runId: string): void {
    const run = this.runs.get(runId);
    if (run !== undefined) this.emitter.fire({ type: 'snapshot', run });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
