/** file:// URI → path, for the scanner's file-kind decision (no I/O happens with it). */
export function uriToPath(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}
