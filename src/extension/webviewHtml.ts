/**
 * The one HTML shell of LR Lab webviews: CSP `default-src 'none'` with a fresh nonce, and the shared
 * bundle and stylesheet written into the page (nonce-tagged) rather than fetched: in VS Code for the
 * web and code-server every resource a webview fetches goes through its service worker, the
 * workbench and the server, and the panel's first point waited on those two fetches (0.2–1 s on a
 * 2-CPU machine, `test/editor`'s timeline). A file that cannot be read, or whose text could end its
 * tag early, is linked from dist/ or media/ as before.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { inlineText } from './inlineText';

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, options: { title: string; view: 'panel' | 'sidebar'; body: string; initialState?: unknown }): string {
  const nonce = randomBytes(16).toString('base64');
  const scriptFile = vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js');
  const styleFile = vscode.Uri.joinPath(extensionUri, 'media', 'panel.css');
  const scriptText = inlineText(scriptFile.fsPath, 'script');
  const styleText = inlineText(styleFile.fsPath, 'style');
  const script = scriptText === null ? `<script nonce="${nonce}" src="${webview.asWebviewUri(scriptFile).toString()}"></script>` : `<script nonce="${nonce}">${scriptText}</script>`;
  const style = styleText === null ? `<link rel="stylesheet" href="${webview.asWebviewUri(styleFile).toString()}">` : `<style nonce="${nonce}">${styleText}</style>`;
  // JSON inside <script>: escape '<' so no string in the data can close the tag.
  const initial = options.initialState === undefined ? '' : `<script nonce="${nonce}" id="initial-state" type="application/json">${JSON.stringify(options.initialState).replace(/</g, '\\u003c')}</script>\n`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${style}
<title>${options.title}</title>
</head>
<body data-view="${options.view}">
${options.body}
${initial}${script}
</body>
</html>`;
}
