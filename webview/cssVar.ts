/** A VS Code theme colour (a `--vscode-*` CSS variable) as the webview sees it now, or `fallback`. */
export function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}
