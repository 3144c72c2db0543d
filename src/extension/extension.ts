/**
 * Entry of `dist/extension.js`: activate/deactivate and wiring only (style.md §1).
 * Nothing heavy at activation: tfjs lives in the engine process, never in the extension host.
 */
import type * as vscode from 'vscode';
import { LabContext } from './ctx';
import { registerCommands } from './commands';
import type { LrLabApi } from './api';
import { startLanguageClient } from './languageClient';
import { registerEnginePrestart } from './prestart';
import { LrPanel } from './lrPanel';

let active: LabContext | undefined;

export function activate(context: vscode.ExtensionContext): LrLabApi {
  const ctx = new LabContext(context);
  active = ctx;
  registerCommands(ctx);
  registerEnginePrestart(ctx);
  void ctx.loadHistory();
  // The language server (CodeLenses, schedule insertion) starts in the background.
  startLanguageClient(context, ctx.store).catch((error: unknown) => ctx.output.error(`language server did not start: ${String(error)}`));
  return { runs: () => ctx.store.all(), enginePids: () => ctx.host.pids, chartPng: async () => (await LrPanel.active?.requestPng()) ?? null, historyFolders: () => ctx.historyFolders };
}

export function deactivate(): Promise<void> | undefined {
  // Runs still going are kept as interrupted first; then everything, engine processes included, is
  // disposed through context.subscriptions.
  return active?.saveInterrupted();
}
