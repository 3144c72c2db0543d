/**
 * The one error path for what users do in the editor (commands, lenses, panel and side-view
 * buttons): a failure becomes an LrLabError, goes to the log, and shows as one line naming the
 * file at fault, with "Open file" and "Show log". A cancelled run is not an error.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { LrLabError, formatError } from '../protocol/errors';

export async function reportError(output: vscode.LogOutputChannel, error: unknown): Promise<void> {
  const lrlab = error instanceof LrLabError ? error : new LrLabError('internal', error instanceof Error ? error.message : String(error));
  if (lrlab.code === 'cancelled') return;
  output.error(formatError(lrlab.toData()));
  const open = 'Open file';
  // A file that is not there (a model file not found) is named, but not offered to open.
  const openable = lrlab.file !== null && isFile(lrlab.file);
  // A setting's value at fault (its message names `lrlab.<option>`): the button opens Settings at it.
  const setting = lrlab.code === 'bad-option' && lrlab.option !== null && lrlab.message.includes(`lrlab.${lrlab.option}`) ? `lrlab.${lrlab.option}` : null;
  const openSettings = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(`LR Lab: ${formatError({ ...lrlab.toData(), file: lrlab.file === null ? null : path.basename(lrlab.file) })}`, ...(openable ? [open] : []), ...(setting === null ? [] : [openSettings]), 'Show log');
  if (choice === openSettings && setting !== null) {
    await vscode.commands.executeCommand('workbench.action.openSettings', setting);
  } else if (choice === open && lrlab.file !== null) {
    const document = await vscode.workspace.openTextDocument(lrlab.file);
    const line = Math.max(0, (lrlab.line ?? 1) - 1);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(line, 0, line, 0) });
  } else if (choice === 'Show log') {
    output.show(true);
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Runs one user action; whatever it throws is reported (never swallowed, never a stray rejection). */
export async function userAction(output: vscode.LogOutputChannel, action: () => unknown): Promise<void> {
  try {
    await action();
  } catch (error) {
    await reportError(output, error);
  }
}
