/**
 * Which workspace files LR Lab can run: JS/TS modules exporting `createModel` and `loadData`
 * (the contract), training scripts that call `model.fit`/`fitDataset` without them (run up to
 * that call), or tfjs `model.json` files. A cheap text check used to pick a file for a command;
 * the language server's parser-based scanner refines it for CodeLenses.
 */
import * as vscode from 'vscode';
import { looksLikeModelFile, looksLikeTrainingScript } from '../core/modelFileText';

const SOURCE_GLOB = '**/*.{ts,mts,cts,js,mjs,cjs,tsx,jsx}';
const EXCLUDE = '{**/node_modules/**,**/dist/**,**/out/**,**/.git/**,**/*.d.ts}';

/** A JS/TS source file by its name (.ts, .mjs, .cjs, .tsx, …): what a model file or its helpers can be. */
export function isSourceFile(fileName: string): boolean {
  return /\.(m|c)?(t|j)sx?$/.test(fileName);
}

export function isModelDocument(document: vscode.TextDocument): boolean {
  if (!isSourceFile(document.fileName)) return false;
  const text = document.getText();
  return looksLikeModelFile(text) || looksLikeTrainingScript(text);
}

/** For the workspace-wide pick: contract files, and training scripts that import tfjs themselves. */
function isCandidate(text: string): boolean {
  return looksLikeModelFile(text) || (looksLikeTrainingScript(text) && text.includes('@tensorflow/'));
}

/** The model files of the workspace (at most `limit` candidates are read). */
export async function findModelFiles(limit = 400): Promise<vscode.Uri[]> {
  const candidates = await vscode.workspace.findFiles(SOURCE_GLOB, EXCLUDE, limit);
  const found: vscode.Uri[] = [];
  for (const uri of candidates) {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength < 2_000_000 && isCandidate(Buffer.from(bytes).toString('utf8'))) found.push(uri);
    } catch {
      // unreadable: not a candidate
    }
  }
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}
