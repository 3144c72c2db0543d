/**
 * Entry of `dist/extension.js`: activate/deactivate and wiring only (style.md §1).
 * Nothing heavy at activation: tfjs lives in the engine process, never in the extension host.
 */
import type * as vscode from 'vscode';
import { LabContext } from './ctx';
import { registerCommands } from './commands';

export function activate(context: vscode.ExtensionContext): void {
  const ctx = new LabContext(context);
  registerCommands(ctx);
  void ctx.loadHistory();
}

export function deactivate(): void {
  // Everything, engine processes included, is disposed through context.subscriptions.
}
