/**
 * The activity-bar side view: a small live chart of the running job and the run history —
 * click a run to open it in the panel, pick two to compare, delete one.
 */
import * as vscode from 'vscode';
import type { HostToSidebar, RunSnapshot, RunSummary } from '../protocol/webviewMessages';
import { parseSidebarMessage } from '../protocol/webviewMessages';
import type { RunStore } from './runStore';
import { webviewHtml } from './webviewHtml';
import { headlineRange, recommendedOf } from '../protocol/rangeView';

export const SIDE_VIEW_ID = 'lrlab.sidebar';

export interface SideViewActions {
  open(run: RunSnapshot): void;
  remove(run: RunSnapshot): Promise<void>;
  compare(a: RunSnapshot, b: RunSnapshot): void;
}

export function summarize(run: RunSnapshot): RunSummary {
  const result = run.result;
  const findLr = result?.kind === 'find-lr' ? result : null;
  return {
    runId: run.runId,
    kind: run.kind,
    label: run.label,
    model: run.model,
    startedAt: run.startedAt,
    state: run.state,
    backend: result?.backend ?? null,
    suggestion: findLr === null ? null : (recommendedOf(findLr)?.maxLr ?? null),
    range: run.chosenRange ?? (findLr === null ? null : headlineRange(findLr)),
  };
}

/**
 * Points of the running job the side view gets (its 120-px chart draws 300): every point of a long run,
 * sent four times a second, was 38,000 points a post at step 38,000 of a 100,000-step test, and the view,
 * shown then, stayed blank.
 */
const LIVE_POINTS = 1000;

/** At most `max` of `points`, evenly spaced by index, the last one always. */
export function thinned<T>(points: readonly T[], max: number): readonly T[] {
  if (points.length <= max) return points;
  const stride = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * stride)]!);
}

export class SideViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: RunStore,
    private readonly actions: SideViewActions,
  ) {
    this.disposables.push(store.onDidChange(() => this.refreshSoon()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')] };
    view.webview.html = this.html(view.webview);
    this.disposables.push(
      view.webview.onDidReceiveMessage(async (raw: unknown) => {
        const message = parseSidebarMessage(raw);
        if (message === null) return;
        if (message.type === 'ready') this.refresh();
        else if (message.type === 'openRun') {
          const run = this.store.get(message.runId);
          if (run !== undefined) this.actions.open(run);
        } else if (message.type === 'deleteRun') {
          const run = this.store.get(message.runId);
          if (run !== undefined) await this.actions.remove(run);
          this.refresh();
        } else {
          const [a, b] = message.runIds.map((id) => this.store.get(id));
          if (a !== undefined && b !== undefined) this.actions.compare(a, b);
        }
      }),
      view.onDidDispose(() => {
        this.view = undefined;
      }),
    );
  }

  /** Coalesces bursts of appends into one update every 250 ms. */
  private refreshSoon(): void {
    if (this.pending !== undefined) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.refresh();
    }, 250);
  }

  refresh(): void {
    if (this.view === undefined) return;
    const runs = this.store.all().filter((r) => r.state !== 'running').map(summarize).reverse();
    const running = this.store.running()[0];
    const message: HostToSidebar = {
      type: 'runs',
      runs,
      live: running === undefined ? null : { runId: running.runId, label: running.label, points: thinned(running.series['main'] ?? [], LIVE_POINTS) },
    };
    void this.view.webview.postMessage(message);
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, this.extensionUri, {
      title: 'LR Lab runs',
      view: 'sidebar',
      body: `<section id="live" hidden><h2><button id="live-title" class="link" type="button" title="Open this run's panel"></button></h2><div id="live-box"><canvas id="live-chart"></canvas></div></section>
<div class="actions"><button id="compare" type="button" disabled>Compare selected</button></div>
<ul id="runs" data-count="0"></ul>`,
    });
  }

  dispose(): void {
    if (this.pending !== undefined) clearTimeout(this.pending);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
