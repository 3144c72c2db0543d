/**
 * Starts an engine ahead of the first run (EngineHost.prestart) when a model file becomes the
 * active editor in a trusted workspace and `lrlab.startEngineAhead` is on: by the time the user
 * runs a command, tfjs and its wasm are loaded, the file is bundled and the training path is warm.
 * Nothing starts in an untrusted workspace, for non-file documents, or while a run is going; a
 * settings change discards the waiting engine (it was started with the old settings).
 */
import * as vscode from 'vscode';
import type { BackendChoice } from '../protocol/results';
import { OPTIONS } from '../protocol/options';
import type { LabContext } from './ctx';
import { isModelDocument } from './modelFiles';

function consider(ctx: LabContext, editor: vscode.TextEditor | undefined): void {
  if (editor === undefined || !vscode.workspace.isTrusted || ctx.activeRun !== null) return;
  const config = vscode.workspace.getConfiguration('lrlab');
  if (!config.get<boolean>('startEngineAhead', OPTIONS.startEngineAhead.default)) return;
  const document = editor.document;
  if (document.uri.scheme !== 'file' || !isModelDocument(document)) return;
  ctx.host.prestart({
    model: document.uri.fsPath,
    backend: config.get<BackendChoice>('backend', 'auto'),
    workspace: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath,
  });
}

export function registerEnginePrestart(ctx: LabContext): void {
  ctx.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor((editor) => consider(ctx, editor)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => consider(ctx, vscode.window.activeTextEditor)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('lrlab')) return;
      ctx.host.discardWarm();
      consider(ctx, vscode.window.activeTextEditor);
    }),
  );
  consider(ctx, vscode.window.activeTextEditor);
}
