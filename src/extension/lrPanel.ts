/**
 * The LR-vs-loss panel. Strict CSP with a nonce, resources only from dist/ and media/, initial
 * state embedded in the HTML, complete snapshots on (re)open, live appends while a run streams,
 * and a serializer so a window reload restores the panel from the webview's own saved state.
 * Every message from the webview is validated; anything else is dropped.
 */
import * as vscode from 'vscode';
import type { HostToWebview, RunSnapshot } from '../protocol/webviewMessages';
import { parseWebviewMessage } from '../protocol/webviewMessages';
import type { WebviewToHost } from '../protocol/webviewMessages';
import type { RunStore } from './runStore';
import type { LrRange } from '../protocol/results';
import { webviewHtml } from './webviewHtml';
import { runSnapshotSchema } from '../protocol/resultSchema';

/** The run a webview saved in its state (it comes back from the webview: checked like a run file), or `null`. */
function savedRun(state: unknown): RunSnapshot | null {
  const run: unknown = typeof state === 'object' && state !== null ? (state as { run?: unknown }).run : undefined;
  try {
    return run === undefined ? null : runSnapshotSchema.parse(run, 'state.run');
  } catch {
    return null;
  }
}
import { WebviewRequests } from './webviewRequests';

export const PANEL_VIEW_TYPE = 'lrlab.chart';

export interface PanelActions {
  cancel(runId: string): void;
  /** The user dragged the range: keep it with the run (memory and history). */
  chooseRange(runId: string, range: LrRange): void;
  export(run: RunSnapshot, format: 'csv' | 'json' | 'png', pngDataUrl?: string): Promise<void>;
}

export class LrPanel implements vscode.Disposable {
  private static current: LrPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private runId: string | null = null;
  private readonly pngRequests = new WebviewRequests<string>();
  private readonly readyEmitter = new vscode.EventEmitter<string | null>();
  /** The webview's script has started and asked for its run (the id it shows); the run's timing log reads it. */
  readonly onDidBecomeReady = this.readyEmitter.event;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly store: RunStore,
    private readonly actions: PanelActions,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(parseWebviewMessage(raw))),
      store.onDidChange((event) => {
        if (this.runId === null) return;
        if (event.type === 'snapshot' && event.run.runId === this.runId) void this.post({ type: 'snapshot', run: event.run });
        else if (event.type === 'append' && event.runId === this.runId) void this.post({ type: 'append', runId: event.runId, params: event.params });
        else if (event.type === 'progress' && event.runId === this.runId) void this.post({ type: 'progress', runId: event.runId, params: event.params });
      }),
    );
  }

  static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  /** Shows a run in the panel (creating or revealing it). */
  static show(extensionUri: vscode.Uri, store: RunStore, actions: PanelActions, run: RunSnapshot): LrPanel {
    let target = LrPanel.current;
    if (target === undefined) {
      const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'LR Lab', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, LrPanel.options(extensionUri));
      target = new LrPanel(panel, extensionUri, store, actions);
      LrPanel.current = target;
    } else {
      target.panel.reveal(undefined, true);
    }
    target.display(run);
    return target;
  }

  /** Restores a panel after a window reload, from the state the webview saved. */
  /** Revives a panel after a window reload; returns the id of the run it shows where that run was interrupted (it was running), else null. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, store: RunStore, actions: PanelActions, state: unknown): string | null {
    panel.webview.options = LrPanel.options(extensionUri);
    const revived = new LrPanel(panel, extensionUri, store, actions);
    LrPanel.current = revived;
    const saved = savedRun(state);
    if (saved === null) {
      panel.webview.html = revived.html(null);
      return null;
    }
    const interrupted = store.restore(saved);
    revived.display(store.get(saved.runId) ?? saved);
    return interrupted ? saved.runId : null;
  }

  static get active(): LrPanel | undefined {
    return LrPanel.current;
  }

  get shownRunId(): string | null {
    return this.runId;
  }

  private display(run: RunSnapshot): void {
    this.runId = run.runId;
    this.panel.title = `LR Lab: ${run.label}`;
    this.panel.webview.html = this.html(run);
  }

  /** Asks the webview for a PNG of the chart as it is drawn now; `null` when it shows none or does not answer. */
  requestPng(): Promise<string | null> {
    return this.pngRequests.ask((requestId) => this.post({ type: 'exportPng', requestId }));
  }

  private receive(message: WebviewToHost | null): void {
    if (message === null) return; // malformed or unknown: ignored by design
    switch (message.type) {
      case 'ready': {
        // Messages posted while the webview was still loading its script can be lost (a run that
        // ends within a second of starting did exactly that): its first word gets the run as it is now.
        const run = this.runId === null ? undefined : this.store.get(this.runId);
        if (run !== undefined) void this.post({ type: 'snapshot', run });
        this.readyEmitter.fire(this.runId);
        return;
      }
      case 'chooseRange':
        this.actions.chooseRange(message.runId, message.range);
        return;
      case 'cancel':
        this.actions.cancel(message.runId);
        return;
      case 'export': {
        const run = this.store.get(message.runId);
        if (run !== undefined) void this.actions.export(run, message.format);
        return;
      }
      case 'pngData': {
        const run = this.store.get(message.runId);
        if (run !== undefined) void this.actions.export(run, 'png', message.dataUrl);
        return;
      }
      case 'pngAnswer':
        this.pngRequests.answer(message.requestId, message.dataUrl);
        return;
    }
  }

  private post(message: HostToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  private html(run: RunSnapshot | null): string {
    return webviewHtml(this.panel.webview, this.extensionUri, {
      title: 'LR Lab',
      view: 'panel',
      initialState: { run },
      body: `<header id="header"><h1 id="title"></h1><span id="status"></span>
<span class="actions"><button id="cancel" type="button">Cancel</button><button id="export-csv" type="button">CSV</button><button id="export-json" type="button">JSON</button><button id="export-png" type="button">PNG</button></span></header>
<nav id="steps" aria-label="Recipe steps" hidden></nav>
<div id="chart-box"><canvas id="chart" aria-label="Loss against learning rate"></canvas></div>
<section id="summary" data-points="0"></section>`,
    });
  }

  dispose(): void {
    if (LrPanel.current === this) LrPanel.current = undefined;
    this.pngRequests.dispose();
    this.readyEmitter.dispose();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
