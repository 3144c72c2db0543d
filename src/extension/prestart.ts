/**
 * Starts an engine ahead of a run (EngineHost.prestart) when a model file becomes the active editor
 * in a trusted workspace and `lrlab.startEngineAhead` is on: by the time the user runs a command,
 * tfjs and its wasm are loaded, the file is bundled and the training path is warm. Each engine runs
 * one run, so when a run ends (and its engine is gone) another is started ahead for the next, where
 * a model file is on screen (the active editor's, or the run's own beside the panel). When files
 * are saved, the waiting engine bundles its model file again, a moment after the last save, so that
 * a run after an edit does not wait for the bundler. Nothing starts in an untrusted workspace, for
 * non-file documents, or while a run is going; a settings change discards the waiting engine (it
 * was started with the old settings).
 */
import * as vscode from 'vscode';
import type { BackendChoice } from '../protocol/results';
import { OPTIONS } from '../protocol/options';
import type { LabContext } from './ctx';
import { isModelDocument, isSourceFile } from './modelFiles';

/** How long after the last save the waiting engine bundles again (an editor saving as the user types saves every second or so). */
const REBUNDLE_AFTER_SAVE_MS = 1500;

/** The longest a run's end waits for its engine to exit before the next is started ahead. */
const AFTER_RUN_WAIT_MS = 3000;

function allowed(ctx: LabContext): boolean {
  if (!vscode.workspace.isTrusted || ctx.activeRun !== null) return false;
  return vscode.workspace.getConfiguration('lrlab').get<boolean>('startEngineAhead', OPTIONS.startEngineAhead.default);
}

/** Starts an engine ahead for `document` where it is a model file; whether one was started. */
function consider(ctx: LabContext, document: vscode.TextDocument | undefined): boolean {
  if (document === undefined || !allowed(ctx)) return false;
  if (document.uri.scheme !== 'file' || !isModelDocument(document)) return false;
  return ctx.host.prestart({
    model: document.uri.fsPath,
    backend: vscode.workspace.getConfiguration('lrlab').get<BackendChoice>('backend', 'auto'),
    workspace: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath,
  });
}

/** The model file to start the next engine for once a run on `model` ended: the active editor's, else the run's where it is on screen. */
function afterRun(model: string): vscode.TextDocument | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active !== undefined && active.uri.scheme === 'file' && isModelDocument(active)) return active;
  return vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.uri.scheme === 'file' && d.uri.fsPath === model);
}

export function registerEnginePrestart(ctx: LabContext): void {
  let saved: NodeJS.Timeout | undefined;
  ctx.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor((editor) => consider(ctx, editor?.document)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => consider(ctx, vscode.window.activeTextEditor?.document)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('lrlab')) return;
      ctx.host.discardWarm();
      consider(ctx, vscode.window.activeTextEditor?.document);
    }),
    // Once the run's engine is gone (at most a few seconds): not beside its exit, or its kill after a cancel.
    ctx.onDidEndRun((request) => void ctx.host.settled(AFTER_RUN_WAIT_MS).then(() => consider(ctx, afterRun(request.model)))),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.uri.scheme !== 'file' || !isSourceFile(document.fileName)) return;
      clearTimeout(saved);
      saved = setTimeout(() => {
        // A model file saved while none waited (or another folder's did) gets its engine; else the waiting one bundles again.
        if (allowed(ctx) && !consider(ctx, vscode.window.activeTextEditor?.document)) ctx.host.refreshWarm();
      }, REBUNDLE_AFTER_SAVE_MS);
    }),
    { dispose: () => clearTimeout(saved) },
  );
  consider(ctx, vscode.window.activeTextEditor?.document);
}
