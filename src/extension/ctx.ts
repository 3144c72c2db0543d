/**
 * What the commands share: the output channel, the run store, the engine host, the status bar
 * item, and the one active run (one run at a time per window; a second asks first).
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { RunRequestParams } from '../protocol/requests';
import type { AnyResult } from '../protocol/results';
import { LrLabError, formatError } from '../protocol/errors';
import { EngineHost } from './engineHost';
import { RunStore } from './runStore';
import { LrPanel, PANEL_VIEW_TYPE } from './lrPanel';
import type { PanelActions } from './lrPanel';
import { exportRun } from './exporter';
import { COMMANDS } from './commandIds';
import { nodePath } from './config';

export interface ActiveRun {
  readonly runId: string;
  readonly label: string;
  cancel(): void;
  readonly done: Promise<void>;
}

export class LabContext {
  readonly output: vscode.LogOutputChannel;
  readonly store = new RunStore();
  readonly host: EngineHost;
  readonly statusBar: vscode.StatusBarItem;
  activeRun: ActiveRun | null = null;
  private readonly panelActions: PanelActions;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('LR Lab', { log: true });
    this.host = new EngineHost({
      extensionPath: context.extensionPath,
      nodePath: nodePath(),
      log: (level, message) => {
        if (level === 'error') this.output.error(message);
        else if (level === 'warn') this.output.warn(message);
        else if (level === 'info') this.output.info(message);
        else this.output.debug(message);
      },
    });
    this.statusBar = vscode.window.createStatusBarItem('lrlab.run', vscode.StatusBarAlignment.Left, 10);
    this.statusBar.name = 'LR Lab run';
    this.statusBar.command = COMMANDS.cancelRun;
    this.panelActions = {
      cancel: (runId) => {
        if (this.activeRun?.runId === runId) this.activeRun.cancel();
      },
      export: async (run, format, png) => {
        await exportRun(run, format, png);
      },
    };
    this.subscriptions.push(
      this.output,
      this.store,
      this.statusBar,
      { dispose: () => this.host.dispose() },
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          LrPanel.revive(panel, context.extensionUri, this.store, this.panelActions, state);
        },
      }),
    );
  }

  get subscriptions(): vscode.Disposable[] {
    return this.context.subscriptions;
  }

  /** Runs a request in a fresh engine with progress, status bar, the panel, and cancellation. */
  async startRun(request: RunRequestParams, label: string, onResult: (result: AnyResult) => void, onError: (error: unknown) => Promise<void>): Promise<void> {
    const runId = randomUUID();
    this.store.start({ runId, kind: request.kind, model: request.model, label, startedAt: new Date().toISOString(), settings: {} });
    const snapshot = this.store.get(runId);
    if (snapshot !== undefined) LrPanel.show(this.context.extensionUri, this.store, this.panelActions, snapshot);
    const source = new vscode.CancellationTokenSource();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    this.activeRun = { runId, label, cancel: () => source.cancel(), done };
    this.statusBar.text = `$(sync~spin) LR Lab: ${label} starting…`;
    this.statusBar.tooltip = 'LR Lab run in progress — click to cancel';
    this.statusBar.show();
    const started = performance.now();
    this.output.info(`run ${runId}: ${request.kind} on ${request.model}`);
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LR Lab: ${request.kind} on ${label}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => source.cancel());
          let reported = 0;
          const result = await this.host.run(runId, request, {
            onProgress: (p) => {
              this.store.progress(p);
              this.statusBar.text = `$(sync~spin) LR Lab: ${p.message}`;
              const increment = p.fraction === null ? undefined : Math.max(0, p.fraction * 100 - reported);
              if (p.fraction !== null) reported = p.fraction * 100;
              progress.report(increment === undefined ? { message: p.message } : { message: p.message, increment });
            },
            onAppend: (a) => {
              if (a.runId === runId) this.store.append(a);
            },
          }, source.token);
          this.store.finish(runId, { result });
          this.output.info(`run ${runId}: finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
          onResult(result);
        },
      );
    } catch (error) {
      const lrlab = error instanceof LrLabError ? error : new LrLabError('internal', String(error));
      this.store.finish(runId, { error: formatError(lrlab.toData()), cancelled: lrlab.code === 'cancelled' });
      this.output.warn(`run ${runId}: ${formatError(lrlab.toData())}`);
      await onError(lrlab);
    } finally {
      source.dispose();
      this.activeRun = null;
      this.statusBar.hide();
      finished();
    }
  }
}
