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
    await openSettingAt(setting, lrlab.file === null ? vscode.window.activeTextEditor?.document.uri : vscode.Uri.file(lrlab.file));
  } else if (choice === open && lrlab.file !== null) {
    const document = await vscode.workspace.openTextDocument(lrlab.file);
    const line = Math.max(0, (lrlab.line ?? 1) - 1);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(line, 0, line, 0) });
  } else if (choice === 'Show log') {
    output.show(true);
  }
}

/**
 * Opens where a setting's value comes from, for the file a run was for (`scope`): the settings.json
 * of the folder or the workspace that sets it, with the setting selected; else the Settings editor
 * at it (a user setting). "Open Settings" opened the User tab for a bad value set in a folder's
 * .vscode/settings.json, where the user found the default (trial W #9).
 */
export async function openSettingAt(setting: string, scope: vscode.Uri | undefined): Promise<void> {
  const file = settingFile(setting.replace(/^lrlab\./, ''), scope);
  if (file === 'workspace') {
    await vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile');
    return;
  }
  if (file === null) {
    await vscode.commands.executeCommand('workbench.action.openSettings', setting);
    return;
  }
  const document = await vscode.workspace.openTextDocument(file);
  const at = document.getText().indexOf(JSON.stringify(setting));
  const start = document.positionAt(Math.max(0, at));
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, at < 0 ? start : document.positionAt(at + setting.length + 2)) });
}

/** The settings file that gives `lrlab.<key>` its value for `scope`; 'workspace': an untitled workspace's; null: not a file in the workspace (a user or default value). */
function settingFile(key: string, scope: vscode.Uri | undefined): vscode.Uri | 'workspace' | null {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const own = scope === undefined ? undefined : vscode.workspace.getWorkspaceFolder(scope);
  const multiRoot = vscode.workspace.workspaceFile !== undefined;
  for (const folder of own === undefined ? folders : [own, ...folders.filter((f) => f.uri.toString() !== own.uri.toString())]) {
    const info = vscode.workspace.getConfiguration('lrlab', folder.uri).inspect(key);
    if (info === undefined) return null;
    // In a single-folder window the folder's .vscode/settings.json is the workspace's settings too.
    if (info.workspaceFolderValue !== undefined || (!multiRoot && info.workspaceValue !== undefined)) return vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    if (info.workspaceValue !== undefined) return vscode.workspace.workspaceFile?.scheme === 'file' ? vscode.workspace.workspaceFile : 'workspace';
  }
  return null;
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
