/** Export of a run: CSV or JSON of the data, PNG of the chart, to a file the user picks. */
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunSnapshot } from '../protocol/webviewMessages';

export function toCsv(run: RunSnapshot): string {
  const lines = ['series,step,lr,momentum,loss,smoothed,valLoss,valAccuracy,seconds'];
  const cell = (v: number | null): string => (v === null ? '' : String(v));
  for (const [series, points] of Object.entries(run.series)) {
    for (const p of points) {
      lines.push([JSON.stringify(series), p.step, p.lr, cell(p.momentum), cell(p.loss), cell(p.smoothed), cell(p.valLoss), cell(p.valAccuracy), p.seconds].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

export function toJson(run: RunSnapshot): string {
  return `${JSON.stringify({ model: run.model, startedAt: run.startedAt, chosenRange: run.chosenRange, result: run.result, series: run.series }, null, 1)}\n`;
}

/**
 * The file name the save dialog proposes: one plain name, to be joined to the workspace folder.
 * `kind`, `startedAt` and `model` come from run files (a shared `.lrlab/runs` is repository
 * content), so `../`, separators of either platform, control characters or markup in them must
 * not make the proposal point outside the folder or carry odd characters; and it stays short.
 */
export function exportFileName(run: Pick<RunSnapshot, 'model' | 'kind' | 'startedAt'>, format: 'csv' | 'json' | 'png'): string {
  const clean = (text: string, max: number): string => Array.from(text.replace(/[^\p{L}\p{N}_. -]+/gu, '_').replace(/^[. ]+/, '').replace(/\.{2,}/g, '.')).slice(0, max).join('');
  const model = String(run.model).split(/[\\/]/).pop() ?? '';
  const stem = [clean(model.replace(/\.[^.]+$/, ''), 60), clean(String(run.kind), 20), clean(String(run.startedAt).slice(0, 19).replace(/[:T]/g, '-'), 19)].filter((p) => p !== '').join('-');
  return `${stem === '' ? 'lrlab-run' : stem}.${format}`;
}

/** Asks where to save, then writes exactly that file, atomically (nothing else is touched). */
export async function exportRun(run: RunSnapshot, format: 'csv' | 'json' | 'png', pngDataUrl?: string): Promise<vscode.Uri | undefined> {
  // A run that failed before its first point has nothing to chart or list: CSV wrote a header alone and
  // said "exported failed.csv". (JSON keeps the error, which is worth keeping.)
  if (format !== 'json' && Object.values(run.series).every((points) => points.length === 0)) {
    void vscode.window.showWarningMessage(`LR Lab: ${run.label} has no points to export as ${format.toUpperCase()}${run.error === null ? '' : ` (it failed: ${run.error.split('\n')[0] ?? ''})`}. Export JSON for the run's record.`);
    return undefined;
  }
  // The folder of the run's model (in a multi-root workspace, not the first folder's).
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(run.model))?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(path.dirname(run.model));
  const target = await vscode.window.showSaveDialog({
    title: `Export LR Lab ${format.toUpperCase()}`,
    defaultUri: vscode.Uri.joinPath(folder, exportFileName(run, format)),
    filters: { [format.toUpperCase()]: [format] },
  });
  if (target === undefined) return undefined;
  let bytes: Uint8Array;
  if (format === 'png') {
    if (pngDataUrl === undefined) throw new Error('no chart image to export');
    bytes = Buffer.from(pngDataUrl.slice(pngDataUrl.indexOf(',') + 1), 'base64');
  } else {
    bytes = Buffer.from(format === 'csv' ? toCsv(run) : toJson(run), 'utf8');
  }
  // Whole or not at all (#16): a temp file beside it, renamed over it (the dialog asked about overwriting).
  const temp = target.with({ path: `${target.path}.${process.pid}.lrlab-tmp` });
  try {
    await vscode.workspace.fs.writeFile(temp, bytes);
    await vscode.workspace.fs.rename(temp, target, { overwrite: true });
  } catch (error) {
    await Promise.resolve(vscode.workspace.fs.delete(temp)).catch(() => undefined);
    throw error;
  }
  void vscode.window.showInformationMessage(`LR Lab: exported ${path.basename(target.fsPath)}`);
  return target;
}
