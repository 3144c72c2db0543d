/**
 * What the commands share: the output channel, the run store, the engine host, the status bar
 * item, and the one active run (one run at a time per window; a second asks first).
 */
import { randomUUID } from 'node:crypto';
import fs, { existsSync } from 'node:fs';
import path from 'node:path';
import { compareRefusal, compareSnapshot } from './compare';
import * as vscode from 'vscode';
import type { RunRequestParams } from '../protocol/requests';
import type { AnyResult } from '../protocol/results';
import { LrLabError, formatError } from '../protocol/errors';
import { formatSeconds } from '../protocol/format';
import { EngineHost } from './engineHost';
import { INTERRUPTED } from './runState';
import { RunStore } from './runStore';
import { LrPanel, PANEL_VIEW_TYPE } from './lrPanel';
import type { PanelActions } from './lrPanel';
import { exportRun } from './exporter';
import { userAction } from './userErrors';
import { inSettingTerms, resultInSettingTerms } from './settings';
import { COMMANDS } from '../protocol/commandIds';
import { enginePriority, nodePath } from './config';
import { RunHistory, RunTooLargeError } from './history';
import { SIDE_VIEW_ID, SideViewProvider } from './sideView';
import type { RunSnapshot } from '../protocol/webviewMessages';
import type { SkippedRunFile } from './notificationText';
import { skippedFilesText, unsavedRunText } from './notificationText';

/** The button of a warning whose details are in the output channel. */
const SHOW_OUTPUT = 'Show Output';

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
  private readonly runEnded = new vscode.EventEmitter<RunRequestParams>();
  /** A run ended (finished, failed or cancelled); `activeRun` is null by then. */
  readonly onDidEndRun = this.runEnded.event;
  /** Where runs are kept: the extension's storage, or each workspace folder's `.lrlab/runs` (historiesOf). */
  private histories: readonly RunHistory[];
  /** runId → the history it was loaded from or saved to: removed from there. */
  private readonly kept = new Map<string, RunHistory>();
  /** Watchers of the history folders (watchHistories). */
  private readonly historyWatchers: vscode.Disposable[] = [];
  private readonly watched = new Set<RunHistory>();
  /** Run files skipped and not yet in a notification (reportSkipped). */
  private readonly skipped: SkippedRunFile[] = [];
  private skippedTimer: NodeJS.Timeout | undefined;
  private readonly panelActions: PanelActions;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('LR Lab', { log: true });
    this.host = new EngineHost({
      extensionPath: context.extensionPath,
      // Read at each engine start: a changed setting took a reload of the window.
      nodePath,
      // lrlab.enginePriority: normal by default; low keeps VS Code responsive but lets any busy program starve the run.
      priority: enginePriority,
      // The engine's bundle cache lives in the extension's own storage (src/engine/bundleCache.ts).
      env: { LRLAB_CACHE_DIR: context.globalStorageUri.fsPath },
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
      chooseRange: (runId, range) => {
        this.store.chooseRange(runId, range);
        if (this.store.get(runId)?.state !== 'running') void this.saveRun(runId);
      },
      export: (run, format, png) => userAction(this.output, () => exportRun(run, format, png)),
    };
    this.histories = historiesOf(context);
    const sideView = new SideViewProvider(context.extensionUri, this.store, {
      open: (run) => this.showRun(run),
      remove: (run) => userAction(this.output, async () => {
        const history = this.historyOf(run);
        // One click on × deleted a run at once, a shared one from the repository's folder too (trial W #12).
        const where = history.shared
          ? `Its file ${vscode.workspace.asRelativePath(history.pathOf(run))} is deleted from the workspace folder: anyone who shares this folder's run history loses it too.`
          : "It is removed from LR Lab's run history for this workspace.";
        const choice = await vscode.window.showWarningMessage(`Delete the ${run.kind} run of ${run.label} (${new Date(run.startedAt).toLocaleString()})?`, { modal: true, detail: where }, 'Delete');
        if (choice !== 'Delete') return;
        this.store.remove(run.runId);
        await history.remove(run);
        this.kept.delete(run.runId);
      }),
      compare: (a, b) => {
        const refusal = compareRefusal(a, b);
        if (refusal !== null) void vscode.window.showWarningMessage(`LR Lab: ${refusal}`);
        else this.showRun(compareSnapshot(a, b));
      },
    });
    this.subscriptions.push(
      sideView,
      vscode.window.registerWebviewViewProvider(SIDE_VIEW_ID, sideView),
      this.output,
      this.store,
      this.statusBar,
      this.runEnded,
      { dispose: () => this.host.dispose() },
      {
        dispose: () => {
          for (const watcher of this.historyWatchers.splice(0)) watcher.dispose();
          clearTimeout(this.skippedTimer);
        },
      },
      // Trust granted: the workspace's settings (lrlab.shareHistory) and .lrlab/runs now count.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.histories = historiesOf(context);
        this.kept.clear();
        void this.loadHistory();
      }),
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          // Said in the log: a panel tab that comes back empty after a reload was never handed to us.
          this.output.info(`panel restored after a reload (${panel.title})`);
          // A run the reload interrupted is kept as such: it was never saved, and went missing from the history.
          const interrupted = LrPanel.revive(panel, context.extensionUri, this.store, this.panelActions, state);
          if (interrupted !== null) await this.saveRun(interrupted);
        },
      }),
    );
  }

  /** The folders run history is kept in (the API's `historyFolders`). */
  get historyFolders(): readonly string[] {
    return this.histories.map((h) => h.folder);
  }

  /**
   * The history a run is kept in: where it was loaded from or saved to, else (shared) the
   * `.lrlab/runs` of the workspace folder that holds its model — in a multi-root workspace, each
   * folder's runs go with that folder's repository — else the extension's storage.
   */
  private historyOf(run: RunSnapshot): RunHistory {
    const kept = this.kept.get(run.runId);
    if (kept !== undefined) return kept;
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(run.model));
    return this.histories.find((h) => folder !== undefined && h.root === folder.uri.fsPath) ?? this.histories[0]!;
  }

  /**
   * Loads saved runs in the background; a bad file is skipped with a warning, never fatal. Run
   * history kept in the workspace (`.lrlab/runs`) is repository content: read only once the
   * workspace is trusted.
   */
  async loadHistory(): Promise<void> {
    const histories = this.histories;
    if (histories.some((h) => h.shared) && !vscode.workspace.isTrusted) {
      this.output.info(`history: ${histories.map((h) => h.folder).join(', ')} ${histories.length === 1 ? 'is' : 'are'} read once this workspace is trusted`);
      return;
    }
    this.watchHistories(histories);
    let restored = 0;
    for (const history of histories) {
      const { runs, skipped } = await history.load();
      if (this.histories !== histories) return; // trust granted meanwhile: loaded again
      for (const run of runs) {
        this.store.restore(run);
        this.kept.set(run.runId, history);
      }
      this.reportSkipped(history, skipped);
      restored += runs.length;
    }
    if (restored > 0) this.store.touch();
  }

  /**
   * Run files written or deleted in a history folder while this window is open — another window on the
   * same workspace, a `git pull` of a shared `.lrlab/runs` — show in the Runs view as they come and go:
   * each window listed only its own new runs until a reload (trial Z #11). Node's own watcher: code-server's
   * file watcher for such a folder (createFileSystemWatcher) passed on no event. A folder not there yet is
   * watched once this window saves a run into it.
   */
  private watchHistories(histories: readonly RunHistory[]): void {
    for (const watcher of this.historyWatchers.splice(0)) watcher.dispose();
    for (const history of histories) this.watchHistory(history);
  }

  private watchHistory(history: RunHistory): void {
    if (this.watched.has(history)) return;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(history.folder, { persistent: false });
    } catch {
      return; // no folder yet (saveRun watches it once it makes it), or one that cannot be watched: listed at the next reload
    }
    this.watched.add(history);
    const pending = new Map<string, NodeJS.Timeout>();
    watcher.on('change', (_event, name) => {
      const file = typeof name === 'string' ? name : name?.toString();
      if (file === undefined || !file.endsWith('.json') || file.startsWith('.')) return;
      // A save is a temp file renamed into place: one look once the events settle.
      clearTimeout(pending.get(file));
      pending.set(file, setTimeout(() => {
        pending.delete(file);
        void this.historyFileChanged(history, file);
      }, 200));
    });
    // The folder deleted (or unreadable): watched again once a save makes it.
    watcher.on('error', () => {
      watcher.close();
      this.watched.delete(history);
    });
    this.historyWatchers.push({
      dispose: () => {
        for (const timer of pending.values()) clearTimeout(timer);
        watcher.close();
        this.watched.delete(history);
      },
    });
  }

  private async historyFileChanged(history: RunHistory, name: string): Promise<void> {
    if (!this.histories.includes(history)) return;
    const one = await history.loadOne(name, (runId) => this.store.get(runId) !== undefined);
    if (one === null) {
      // Gone: a run this window listed from that file, unless it is one of its own still going.
      const runId = history.runIdOf(name);
      if (runId === null || this.kept.get(runId) !== history || this.store.get(runId)?.state === 'running' || existsSync(path.join(history.folder, name))) return;
      history.forget(runId);
      this.store.remove(runId);
      this.kept.delete(runId);
      return;
    }
    if ('skip' in one) {
      this.reportSkipped(history, [one.skip]);
      return;
    }
    // A run this window has (its own save, or one it loaded) stays as it is here.
    if (this.store.get(one.run.runId) !== undefined) return;
    this.store.restore(one.run);
    this.kept.set(one.run.runId, history);
    this.store.touch();
  }

  /**
   * Run files a history skipped: each in the output channel, and together in one notification (files
   * skipped within a second of each other, as a `git pull` brings them, share it).
   */
  private reportSkipped(history: RunHistory, lines: readonly string[]): void {
    for (const line of lines) this.output.warn(`history: skipped ${line}`);
    if (lines.length === 0) return;
    const folder = vscode.workspace.asRelativePath(history.folder);
    this.skipped.push(...lines.map((line) => ({ folder, line })));
    if (this.skippedTimer !== undefined) return;
    this.skippedTimer = setTimeout(() => {
      this.skippedTimer = undefined;
      this.warnWithOutput(skippedFilesText(this.skipped.splice(0)));
    }, 1000);
  }

  /** A warning whose details are in the output channel, with a button that shows it. */
  private warnWithOutput(text: string): void {
    void vscode.window.showWarningMessage(`LR Lab: ${text}`, SHOW_OUTPUT).then((choice) => {
      if (choice === SHOW_OUTPUT) this.output.show(true);
    });
  }

  /**
   * At deactivation (a window reload or close): each run still going is kept as interrupted, with
   * the points it streamed. Such a run was lost with its curve (its engine ends with the window).
   */
  async saveInterrupted(): Promise<void> {
    for (const run of this.store.running()) {
      this.store.finish(run.runId, { error: INTERRUPTED, cancelled: true });
      await this.saveRun(run.runId);
    }
  }

  showRun(run: RunSnapshot): void {
    this.store.restore(run);
    LrPanel.show(this.context.extensionUri, this.store, this.panelActions, this.store.get(run.runId) ?? run);
  }

  private async saveRun(runId: string): Promise<void> {
    const run = this.store.get(runId);
    if (run === undefined) return;
    const history = this.historyOf(run);
    try {
      await history.save(run);
      this.kept.set(runId, history);
      // Its folder may be new: watched from now on (watchHistory).
      if (this.histories.includes(history)) this.watchHistory(history);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.output.warn(`history: could not save run ${runId} to ${history.folder}: ${why}`);
      this.warnWithOutput(error instanceof RunTooLargeError ? `${error.message}.` : unsavedRunText(run.label, vscode.workspace.asRelativePath(history.folder), why));
    }
  }

  get subscriptions(): vscode.Disposable[] {
    return this.context.subscriptions;
  }

  /** Runs a request in a fresh engine with progress, status bar, the panel, and cancellation. */
  async startRun(request: RunRequestParams, label: string, onResult: (result: AnyResult, runId: string) => void, onError: (error: unknown) => Promise<void>): Promise<void> {
    const runId = randomUUID();
    const requested = performance.now();
    const since = (): string => `${((performance.now() - requested) / 1000).toFixed(2)} s`;
    this.store.start({ runId, kind: request.kind === 'batch-size-trial' ? 'batch-size' : request.kind, model: request.model, label, startedAt: new Date().toISOString(), settings: {} });
    const snapshot = this.store.get(runId);
    // When the panel and the first point arrive, from the run's start: where a slow first plot comes from.
    const panelReady = snapshot === undefined ? undefined : LrPanel.show(this.context.extensionUri, this.store, this.panelActions, snapshot).onDidBecomeReady((shown) => {
      if (shown !== runId) return;
      this.output.info(`run ${runId}: panel ready after ${since()}`);
      panelReady?.dispose();
    });
    let firstPoint = true;
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
    let failure: LrLabError | null = null;
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
              if (a.runId !== runId) return;
              if (firstPoint) this.output.info(`run ${runId}: first point from the engine after ${since()}`);
              firstPoint = false;
              this.store.append(a);
            },
          }, source.token);
          const shown = resultInSettingTerms(result, request.sources);
          this.store.finish(runId, { result: shown, cancelled: source.token.isCancellationRequested });
          // Kept on disk as a failed or cancelled run is: the side view lists it, and the Insert lenses
          // find it, after a reload (only a run whose panel was open came back, through the panel's state).
          await this.saveRun(runId);
          this.output.info(`run ${runId}: finished in ${formatSeconds((performance.now() - started) / 1000)}`);
          onResult(shown, runId);
        },
      );
    } catch (error) {
      const lrlab = inSettingTerms(error instanceof LrLabError ? error : new LrLabError('internal', String(error)), request.sources);
      this.store.finish(runId, { error: formatError(lrlab.toData()), cancelled: lrlab.code === 'cancelled' });
      await this.saveRun(runId);
      this.output.warn(`run ${runId}: ${formatError(lrlab.toData())}`);
      failure = lrlab;
    } finally {
      panelReady?.dispose();
      source.dispose();
      this.activeRun = null;
      this.statusBar.hide();
      finished();
      this.runEnded.fire(request);
    }
    // Shown once the run is over: the error notification waits for the user's click, and the run stayed
    // "in progress" (its status bar spinning, every next run asked to cancel it) until they dismissed it.
    if (failure !== null) await onError(failure);
  }
}

/**
 * `.lrlab/runs` in each workspace folder when shared with the repo (its real path must stay inside
 * that folder), else the extension's workspace storage. `lrlab.shareHistory` is a restricted
 * setting: an untrusted workspace's own value is not read.
 */
function historiesOf(context: vscode.ExtensionContext): RunHistory[] {
  const share = vscode.workspace.getConfiguration('lrlab').get<boolean>('shareHistory', false);
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (share && folders.length > 0) return folders.map((folder) => new RunHistory(vscode.Uri.joinPath(folder.uri, '.lrlab', 'runs').fsPath, folder.uri.fsPath));
  return [new RunHistory(vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'runs').fsPath)];
}

