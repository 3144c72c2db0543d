/**
 * A file's text for writing into a webview's page (`webviewHtml.ts`), without vscode so its rule is
 * unit-tested: `null` where it cannot be read or its text would end its element early.
 */
import { readFileSync, statSync } from 'node:fs';

/** A file's text as it was last read, by path; read again when its size or time changes (a rebuilt bundle). */
const texts = new Map<string, { stamp: string; text: string | null }>();

/** `file`'s text when it can go inside a `<tag>` element whole, else `null` (then it is linked). */
export function inlineText(file: string, tag: 'script' | 'style'): string | null {
  let stamp: string;
  try {
    const stat = statSync(file);
    stamp = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return null;
  }
  const known = texts.get(file);
  if (known?.stamp === stamp) return known.text;
  let text: string | null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = null;
  }
  // The HTML parser ends a script or style element at `</tag`, and treats `<!--` and `<script` inside a
  // script specially: such text is linked, never embedded.
  if (text !== null && new RegExp(`</${tag}|<!--|<script`, 'i').test(text)) text = null;
  texts.set(file, { stamp, text });
  return text;
}
