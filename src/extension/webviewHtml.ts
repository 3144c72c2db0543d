/**
 * The one HTML shell of LR Lab webviews: CSP `default-src 'none'` with a fresh script nonce,
 * scripts and styles only from the extension's dist/ and media/, and the shared bundle.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, options: { title: string; view: 'panel' | 'sidebar'; body: string; initialState?: unknown }): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  // JSON inside <script>: escape '<' so no string in the data can close the tag.
  const initial = options.initialState === undefined ? '' : `<script nonce="${nonce}" id="initial-state" type="application/json">${JSON.stringify(options.initialState).replace(/</g, '\\u003c')}</script>\n`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${options.title}</title>
</head>
<body data-view="${options.view}">
${options.body}
${initial}<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
