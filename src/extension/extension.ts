/**
 * Entry of `dist/extension.js`: activate/deactivate and wiring only (style.md §1).
 * Nothing heavy at activation: tfjs lives in the engine process, never in the extension host.
 */
import type * as vscode from 'vscode';
import { registerCommands } from './commands';

export function activate(context: vscode.ExtensionContext): void {
  registerCommands(context);
}

export function deactivate(): void {
  // Registrations are disposed through context.subscriptions.
}
